package ragkb

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"
)

// Limits enforced by Webhook.Validate.
const (
	WebhookMaxURLLength    = 2048
	WebhookMinSecretLength = 16
	WebhookMaxSecretLength = 256
)

// NewWebhookSecret returns a random signing secret (32 random bytes, hex encoded),
// used when the merchant does not choose one.
func NewWebhookSecret() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("ragkb: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// ValidWebhookEvent reports whether t is an event a webhook may subscribe to.
func ValidWebhookEvent(t EventType) bool {
	switch t {
	case EventAssistantFailed, EventAgentRequested, EventResourceFailed, EventTicketUrgent, EventAccountFailed, EventClarifyAsked:
		return true
	}
	return false
}

// Validate checks the fields a merchant sets on a webhook and returns an
// EINVALID *Error naming the first bad field ("url", "events[1]", "secret").
// An empty secret is valid: the caller then sets NewWebhookSecret(). A nil
// webhook is invalid.
func (w *Webhook) Validate() error {
	if w == nil {
		return Invalid("", "a webhook is required")
	}
	if err := validateWebhookURL(w.URL); err != nil {
		return err
	}
	if len(w.Events) == 0 {
		return Invalid("events", "list at least one event: assistant_failed, agent_requested, resource_failed, ticket_urgent or account_failed")
	}
	for i, t := range w.Events {
		if !ValidWebhookEvent(t) {
			return Invalid(fmt.Sprintf("events[%d]", i),
				"unknown event %q: use assistant_failed, agent_requested, resource_failed, ticket_urgent or account_failed", t)
		}
	}
	if n := len(w.Secret); n > 0 && (n < WebhookMinSecretLength || n > WebhookMaxSecretLength) {
		return Invalid("secret", "must be %d to %d characters long (or omitted, to have one generated)",
			WebhookMinSecretLength, WebhookMaxSecretLength)
	}
	return nil
}

func validateWebhookURL(raw string) error {
	switch {
	case raw == "":
		return Invalid("url", "the URL to deliver events to is required")
	case len(raw) > WebhookMaxURLLength:
		return Invalid("url", "must be at most %d characters long", WebhookMaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Invalid("url", "is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Invalid("url", "must start with https:// or http://")
	}
	if u.Hostname() == "" {
		return Invalid("url", "must name a host")
	}
	return nil
}

// WebhookMaxAttempts is how many times a delivery is attempted before it is
// marked failed.
const WebhookMaxAttempts = 8

// DeliveryJob is the job (River job args) that sends one Delivery. The
// store inserts it in the transaction that records the event
// (Store.RecordEvent); the webhook package's worker runs it.
type DeliveryJob struct {
	DeliveryID string `json:"delivery_id"`
	TenantID   string `json:"tenant_id"`
	WebhookID  string `json:"webhook_id"`
	EventID    string `json:"event_id"`
}

// Kind names the job for River.
func (DeliveryJob) Kind() string { return "ragkb_webhook_delivery" }

// PrepareRecord fills what RecordEvent needs before writing: the event's id
// and time (now) when unset, and for each delivery its id, times, tenant
// and event. Both stores call it, so they store the same rows.
func PrepareRecord(e *Event, ds []*Delivery, now time.Time) {
	if e.ID == "" {
		e.ID = NewID("evt")
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = now
	}
	for _, d := range ds {
		if d.ID == "" {
			d.ID = NewID("dlv")
		}
		if d.CreatedAt.IsZero() {
			d.CreatedAt = e.CreatedAt
		}
		if d.UpdatedAt.IsZero() {
			d.UpdatedAt = d.CreatedAt
		}
		d.TenantID, d.EventID = e.TenantID, e.ID
	}
}
