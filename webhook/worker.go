package webhook

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/retryafter"
	"github.com/riverqueue/river"
)

// WorkerStore is the part of ragkb.Store the Worker reads and updates.
type WorkerStore interface {
	GetEvent(ctx context.Context, tenantID, id string) (*ragkb.Event, error)
	GetWebhook(ctx context.Context, tenantID, id string) (*ragkb.Webhook, error)
	UpdateDelivery(ctx context.Context, d *ragkb.Delivery) error
}

// Defaults of WorkerConfig.
const (
	DefaultMaxAttempts = ragkb.WebhookMaxAttempts
	DefaultTimeout     = 10 * time.Second
	DefaultConcurrency = 4
	DefaultUserAgent   = "ragkb-webhooks/1"
)

// Backoff bounds.
const (
	// BackoffBase is the delay after the first failed attempt; it doubles with each attempt.
	BackoffBase = 10 * time.Second
	// BackoffMax caps the delay between attempts.
	BackoffMax = time.Hour
	// MaxRetryAfter caps how long a receiver's Retry-After may postpone a delivery.
	MaxRetryAfter = 24 * time.Hour
	// minRetryAfter keeps "Retry-After: 0" from making the worker spin.
	minRetryAfter = time.Second
	// recordTimeout bounds saving an outcome once it is known, even while stopping.
	recordTimeout = 5 * time.Second
	// maxErrorLen bounds Delivery.LastError.
	maxErrorLen = 300
	// maxDrain bounds how much of a response body is read (to reuse the connection).
	maxDrain = 64 << 10
	// jobMargin is added to Timeout for River's job timeout (reading the
	// webhook and event, saving the outcome).
	jobMargin = 30 * time.Second
)

// WorkerConfig configures a Worker.
type WorkerConfig struct {
	// Store holds the events, webhooks and delivery records (required).
	Store WorkerStore
	// Client sends the requests (required). Pass a client whose dialer refuses
	// private and loopback addresses (the connectors package's safe client):
	// webhook URLs are chosen by merchants. Redirects are never followed.
	Client *http.Client
	// MaxAttempts after which a delivery is marked failed (default 8).
	MaxAttempts int
	// Backoff is the delay before the next attempt after attempt failures
	// (default DefaultBackoff). A Retry-After header on 429 and 503 overrides it.
	Backoff func(attempt int) time.Duration
	// Timeout bounds each request (default 10s).
	Timeout time.Duration
	// Now is the clock of the delivery records and signatures (default time.Now).
	Now func() time.Time
	// Logger (default: discarded).
	Logger *slog.Logger
	// UserAgent of the requests (default "ragkb-webhooks/1").
	UserAgent string
}

func (c WorkerConfig) withDefaults() WorkerConfig {
	c.MaxAttempts = cmp.Or(c.MaxAttempts, DefaultMaxAttempts)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.UserAgent = cmp.Or(c.UserAgent, DefaultUserAgent)
	if c.Backoff == nil {
		c.Backoff = DefaultBackoff
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports the first invalid field. Zero values mean the defaults.
func (c WorkerConfig) Validate() error {
	switch {
	case c.Store == nil:
		return ragkb.Invalid("Store", "a store is required")
	case c.Client == nil:
		return ragkb.Invalid("Client", "an HTTP client is required (use the SSRF-safe client)")
	case c.MaxAttempts < 0:
		return ragkb.Invalid("MaxAttempts", "must not be negative")
	case c.Timeout < 0:
		return ragkb.Invalid("Timeout", "must not be negative")
	}
	return nil
}

// DefaultBackoff waits 10s after the first failure and doubles the delay with
// each further failure, with ±20% jitter (so receivers coming back up are not
// hit by every retry at once), capped at one hour.
func DefaultBackoff(attempt int) time.Duration {
	d := BackoffBase
	for i := 1; i < attempt && d < BackoffMax; i++ {
		d *= 2
	}
	d = min(d, BackoffMax)
	jitter := time.Duration(rand.Int64N(int64(d)*2/5+1)) - d/5
	return min(d+jitter, BackoffMax)
}

// Worker is the River worker of ragkb.DeliveryJob: it signs and POSTs one
// delivery and records the outcome on the ragkb.Delivery the API lists.
// River fetches each job for one worker at a time (so two processes never
// both send the same attempt), retries a failed attempt at the time
// NextRetry gives (the backoff, or the receiver's Retry-After), and keeps
// the job through restarts. Delivery is at least once: a process that dies
// after sending and before recording sends again once River rescues the
// job; receivers deduplicate by X-Ragkb-Delivery.
type Worker struct {
	river.WorkerDefaults[ragkb.DeliveryJob]

	cfg    WorkerConfig
	client *http.Client
	next   sync.Map // job ID -> time.Time of its next attempt, set by Work for NextRetry
}

// NewWorker returns a Worker. It panics if cfg fails Validate (a wiring
// mistake); call cfg.Validate first to get an error instead.
func NewWorker(cfg WorkerConfig) *Worker {
	if err := cfg.Validate(); err != nil {
		panic("webhook: NewWorker: " + err.Error())
	}
	cfg = cfg.withDefaults()
	client := *cfg.Client
	// A redirect is answered as a failure: following it would let a receiver
	// bounce the signed request to a URL the merchant never registered.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Worker{cfg: cfg, client: &client}
}

// Timeout bounds one run of a job: the request plus reading and saving.
func (w *Worker) Timeout(*river.Job[ragkb.DeliveryJob]) time.Duration {
	return w.cfg.Timeout + jobMargin
}

// NextRetry is when River runs a failed job again: the time Work recorded
// on the delivery (backoff or Retry-After), else the backoff.
func (w *Worker) NextRetry(job *river.Job[ragkb.DeliveryJob]) time.Time {
	if t, ok := w.next.LoadAndDelete(job.ID); ok {
		return t.(time.Time)
	}
	return w.cfg.Now().Add(w.cfg.Backoff(job.Attempt))
}

// Work makes one attempt at the job's delivery and records its outcome. It
// returns nil once delivered, an error (River retries) after a failed
// attempt that has attempts left, and a cancelling error once the delivery
// failed for good or cannot be sent (its webhook or event is gone).
func (w *Worker) Work(ctx context.Context, job *river.Job[ragkb.DeliveryJob]) error {
	a := job.Args
	log := w.cfg.Logger.With("delivery_id", a.DeliveryID, "tenant_id", a.TenantID, "webhook_id", a.WebhookID)
	dl := &ragkb.Delivery{ID: a.DeliveryID, TenantID: a.TenantID, WebhookID: a.WebhookID, EventID: a.EventID,
		Attempts: max(job.Attempt-1, 0)}
	wh, err := w.cfg.Store.GetWebhook(ctx, a.TenantID, a.WebhookID)
	if ragkb.IsNotFound(err) || (err == nil && wh.TenantID != "" && wh.TenantID != a.TenantID) {
		return w.giveUp(ctx, dl, "the webhook was deleted")
	}
	if err != nil {
		return fmt.Errorf("get webhook: %w", err)
	}
	ev, err := w.cfg.Store.GetEvent(ctx, a.TenantID, a.EventID)
	if ragkb.IsNotFound(err) {
		return w.giveUp(ctx, dl, "the event no longer exists")
	}
	if err != nil {
		return fmt.Errorf("get event: %w", err)
	}
	body, err := MarshalEvent(ev)
	if err != nil {
		return w.giveUp(ctx, dl, "the event could not be encoded")
	}

	code, retryAfter, sendErr := w.send(ctx, wh, dl, ev, body)
	if sendErr != nil && ctx.Err() != nil {
		// We cancelled (shutdown), the receiver did not fail: a snooze does
		// not count as an attempt, and the delivery stays pending.
		return river.JobSnooze(time.Second)
	}
	now := w.cfg.Now().UTC()
	dl.Attempts = job.Attempt
	dl.LastCode = code
	dl.UpdatedAt = now
	switch {
	case sendErr == nil && code >= 200 && code < 300:
		dl.Status, dl.LastError, dl.NextAttempt = StatusDelivered, "", nil
		log.Debug("webhook: delivered", "attempts", dl.Attempts, "status_code", code)
		return w.save(ctx, dl)
	case dl.Attempts >= w.maxAttempts(job):
		dl.Status, dl.LastError, dl.NextAttempt = StatusFailed, failureText(code, sendErr), nil
		log.Warn("webhook: delivery failed for good", "attempts", dl.Attempts, "status_code", code, "err", sendErr)
		if err := w.save(ctx, dl); err != nil {
			return err
		}
		return river.JobCancel(errors.New(dl.LastError))
	default:
		delay := w.cfg.Backoff(dl.Attempts)
		if retryAfter > 0 {
			delay = retryAfter
		}
		next := now.Add(delay)
		dl.Status, dl.LastError, dl.NextAttempt = StatusPending, failureText(code, sendErr), &next
		log.Info("webhook: attempt failed, will retry", "attempts", dl.Attempts, "status_code", code,
			"next_attempt", next, "err", sendErr)
		if err := w.save(ctx, dl); err != nil {
			return err
		}
		w.next.Store(job.ID, next)
		return errors.New(dl.LastError)
	}
}

// maxAttempts is the worker's MaxAttempts, or the job's own if lower: River
// discards a job past its max attempts, so the delivery must be marked
// failed by then.
func (w *Worker) maxAttempts(job *river.Job[ragkb.DeliveryJob]) int {
	if job.MaxAttempts > 0 {
		return min(w.cfg.MaxAttempts, job.MaxAttempts)
	}
	return w.cfg.MaxAttempts
}

// send POSTs body to the webhook. code is 0 when no response arrived;
// retryAfter is set from a 429 or 503 answer's Retry-After.
func (w *Worker) send(ctx context.Context, wh *ragkb.Webhook, dl *ragkb.Delivery, ev *ragkb.Event, body []byte) (code int, retryAfter time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.URL, bytes.NewReader(body))
	if err != nil {
		return 0, 0, fmt.Errorf("the webhook URL is not valid: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", w.cfg.UserAgent)
	req.Header.Set(HeaderSignature, Sign(wh.Secret, body))
	req.Header.Set(HeaderEvent, string(ev.Type))
	req.Header.Set(HeaderDelivery, dl.ID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(w.cfg.Now().Unix(), 10))
	resp, err := w.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return 0, 0, fmt.Errorf("no response within %s", w.cfg.Timeout)
		}
		return 0, 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if ra, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), w.cfg.Now()); ok {
			retryAfter = max(ra, minRetryAfter)
		}
	}
	return resp.StatusCode, retryAfter, nil
}

// giveUp marks dl failed without sending it and cancels its job.
func (w *Worker) giveUp(ctx context.Context, dl *ragkb.Delivery, reason string) error {
	w.cfg.Logger.Info("webhook: delivery abandoned", "delivery_id", dl.ID, "reason", reason)
	dl.Status, dl.LastError, dl.NextAttempt = StatusFailed, reason, nil
	dl.UpdatedAt = w.cfg.Now().UTC()
	if err := w.save(ctx, dl); err != nil {
		return err
	}
	return river.JobCancel(errors.New(reason))
}

// save records dl even if ctx was cancelled meanwhile: an outcome once known
// must not be lost, or the receiver would get the event again.
func (w *Worker) save(ctx context.Context, dl *ragkb.Delivery) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	err := w.cfg.Store.UpdateDelivery(ctx, dl)
	if ragkb.IsNotFound(err) {
		// Deleted along with its webhook meanwhile: nothing left to record.
		return nil
	}
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	return nil
}

// failureText is the merchant-readable reason an attempt failed.
func failureText(code int, err error) string {
	var s string
	if err != nil {
		s = "request failed: " + err.Error()
	} else {
		s = fmt.Sprintf("the endpoint answered %d %s", code, http.StatusText(code))
	}
	if len(s) > maxErrorLen {
		s = strings.ToValidUTF8(s[:maxErrorLen], "") + "…"
	}
	return s
}

// ParseRetryAfter reads a Retry-After header, either delay-seconds or an
// HTTP date (relative to now), capped at MaxRetryAfter. ok is false when the
// header is absent or malformed.
func ParseRetryAfter(h string, now time.Time) (d time.Duration, ok bool) {
	d, ok = retryafter.Parse(h, now)
	return min(d, MaxRetryAfter), ok
}
