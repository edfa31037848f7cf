package webhook

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/ragkb/ragkb"
)

// RecorderStore is the part of ragkb.Store the Recorder writes to.
type RecorderStore interface {
	ListWebhooks(ctx context.Context, tenantID string) ([]*ragkb.Webhook, error)
	RecordEvent(ctx context.Context, e *ragkb.Event, ds []*ragkb.Delivery) error
}

// RecorderConfig configures a Recorder.
type RecorderConfig struct {
	Store  RecorderStore    // required
	Now    func() time.Time // default time.Now
	Logger *slog.Logger     // default: discarded
}

// Validate reports the first invalid field.
func (c RecorderConfig) Validate() error {
	if c.Store == nil {
		return ragkb.Invalid("Store", "a store is required")
	}
	return nil
}

// Recorder stores events and queues their deliveries to the tenant's
// subscribed webhooks. It is the answer service's EventSink and is also used
// by the worker for resource_failed. It is safe for concurrent use.
type Recorder struct {
	store RecorderStore
	now   func() time.Time
	log   *slog.Logger
}

// NewRecorder returns a Recorder. It panics if cfg fails Validate (a wiring
// mistake); call cfg.Validate first to get an error instead.
func NewRecorder(cfg RecorderConfig) *Recorder {
	if err := cfg.Validate(); err != nil {
		panic("webhook: NewRecorder: " + err.Error())
	}
	r := &Recorder{store: cfg.Store, now: cfg.Now, log: cfg.Logger}
	if r.now == nil {
		r.now = time.Now
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	return r
}

// Record stores e (filling ID and CreatedAt when empty) with one pending
// delivery, and its River job, for each of the tenant's webhooks subscribed
// to e.Type, all in one store transaction: the event and its deliveries
// are kept together or not at all.
func (r *Recorder) Record(ctx context.Context, e *ragkb.Event) error {
	switch {
	case e == nil:
		return ragkb.Invalid("event", "an event is required")
	case e.TenantID == "":
		return ragkb.Invalid("tenant_id", "an event belongs to a tenant")
	case !ragkb.ValidWebhookEvent(e.Type):
		return ragkb.Invalid("type", "unknown event type %q", e.Type)
	}
	now := r.now().UTC()
	if e.ID == "" {
		e.ID = ragkb.NewID("evt")
	}
	if e.CreatedAt.IsZero() {
		// Microseconds: the precision every backend keeps, so the event read
		// back for delivery encodes to the same bytes.
		e.CreatedAt = now.Truncate(time.Microsecond)
	}
	hooks, err := r.store.ListWebhooks(ctx, e.TenantID)
	if err != nil {
		return fmt.Errorf("webhook: list webhooks: %w", err)
	}
	var ds []*ragkb.Delivery
	for _, w := range hooks {
		if w.TenantID != "" && w.TenantID != e.TenantID {
			// The store scopes by tenant; this guards against a backend bug
			// ever sending one merchant's events to another.
			r.log.ErrorContext(ctx, "webhook: store returned another tenant's webhook",
				"tenant_id", e.TenantID, "webhook_id", w.ID)
			continue
		}
		if !slices.Contains(w.Events, e.Type) {
			continue
		}
		next := now
		ds = append(ds, &ragkb.Delivery{
			ID:          ragkb.NewID("dlv"),
			TenantID:    e.TenantID,
			WebhookID:   w.ID,
			EventID:     e.ID,
			Status:      StatusPending,
			NextAttempt: &next,
			CreatedAt:   now,
			UpdatedAt:   now,
		})
	}
	if err := r.store.RecordEvent(ctx, e, ds); err != nil {
		return fmt.Errorf("webhook: record event: %w", err)
	}
	r.log.DebugContext(ctx, "webhook: event recorded", "event_id", e.ID, "type", e.Type,
		"tenant_id", e.TenantID, "deliveries", len(ds))
	return nil
}
