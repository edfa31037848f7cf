// Package webhook records events (assistant_failed, agent_requested, account_failed,
// resource_failed) and delivers them to merchants' webhooks, signed with
// HMAC-SHA256.
//
// Delivery is durable and split in two halves that may run in different
// processes: the Recorder stores the event and one pending ragkb.Delivery per
// subscribed webhook in the ragkb.Store; the Dispatcher polls the store for due
// deliveries, POSTs them and records the outcome, retrying with backoff. A
// delivery survives restarts because its whole state lives in the store.
// Delivery is at least once: receivers should deduplicate by the
// X-Ragkb-Delivery header (or the event id in the body).
//
// Each request carries:
//
//	Content-Type: application/json
//	X-Ragkb-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed by the webhook secret>
//	X-Ragkb-Event: <event type>
//	X-Ragkb-Delivery: <delivery id>
//	X-Ragkb-Timestamp: <unix seconds when sent>
//
// and a body encoded from Payload. Receivers check it with Verify over the
// exact bytes they received, before parsing them.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
)

// Request headers set on every delivery.
const (
	HeaderSignature = "X-Ragkb-Signature"
	HeaderEvent     = "X-Ragkb-Event"
	HeaderDelivery  = "X-Ragkb-Delivery"
	HeaderTimestamp = "X-Ragkb-Timestamp"
)

// Delivery statuses stored in ragkb.Delivery.Status.
const (
	StatusPending   = "pending"
	StatusDelivered = "delivered"
	StatusFailed    = "failed"
)

// Limits enforced by ValidateWebhook.
const (
	MaxURLLength    = 2048
	MinSecretLength = 16
	MaxSecretLength = 256
)

// signaturePrefix names the algorithm in the signature header, so another
// one can be added later without breaking receivers.
const signaturePrefix = "sha256="

// Sign returns the X-Ragkb-Signature header value for body:
// "sha256=" followed by the hex HMAC-SHA256 of body keyed by secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return signaturePrefix + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is a valid X-Ragkb-Signature of body under
// secret. The comparison takes constant time with respect to the signature.
func Verify(secret string, body []byte, header string) bool {
	got, ok := strings.CutPrefix(strings.TrimSpace(header), signaturePrefix)
	if !ok {
		return false
	}
	sum, err := hex.DecodeString(got)
	if err != nil || len(sum) != sha256.Size {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(sum, m.Sum(nil))
}

// NewSecret returns a random signing secret (32 random bytes, hex encoded),
// used when the merchant does not choose one.
func NewSecret() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("webhook: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// ValidEventType reports whether t is an event a webhook may subscribe to.
func ValidEventType(t ragkb.EventType) bool {
	switch t {
	case ragkb.EventAssistantFailed, ragkb.EventAgentRequested, ragkb.EventResourceFailed, ragkb.EventTicketUrgent, ragkb.EventAccountFailed, ragkb.EventClarifyAsked:
		return true
	}
	return false
}

// ValidateWebhook checks the fields a merchant sets on a webhook and returns
// an EINVALID *ragkb.Error naming the first bad field ("url", "events[1]",
// "secret"). An empty secret is valid: the caller then sets NewSecret().
func ValidateWebhook(w *ragkb.Webhook) error {
	if w == nil {
		return ragkb.Invalid("", "a webhook is required")
	}
	if err := validateURL(w.URL); err != nil {
		return err
	}
	if len(w.Events) == 0 {
		return ragkb.Invalid("events", "list at least one event: assistant_failed, agent_requested, resource_failed, ticket_urgent or account_failed")
	}
	for i, t := range w.Events {
		if !ValidEventType(t) {
			return ragkb.Invalid(fmt.Sprintf("events[%d]", i),
				"unknown event %q: use assistant_failed, agent_requested, resource_failed, ticket_urgent or account_failed", t)
		}
	}
	if n := len(w.Secret); n > 0 && (n < MinSecretLength || n > MaxSecretLength) {
		return ragkb.Invalid("secret", "must be %d to %d characters long (or omitted, to have one generated)",
			MinSecretLength, MaxSecretLength)
	}
	return nil
}

func validateURL(raw string) error {
	switch {
	case raw == "":
		return ragkb.Invalid("url", "the URL to deliver events to is required")
	case len(raw) > MaxURLLength:
		return ragkb.Invalid("url", "must be at most %d characters long", MaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ragkb.Invalid("url", "is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ragkb.Invalid("url", "must start with https:// or http://")
	}
	if u.Hostname() == "" {
		return ragkb.Invalid("url", "must name a host")
	}
	return nil
}

// Payload is the JSON body of a delivery. Every field is always present, so
// receivers see a stable shape.
type Payload struct {
	ID          string          `json:"id"`
	Type        ragkb.EventType `json:"type"`
	CreatedAt   time.Time       `json:"created_at"`
	TenantID    string          `json:"tenant_id"`
	ResourceID  string          `json:"resource_id"`
	AssistantID string          `json:"assistant_id"`
	Question    string          `json:"question"`
	Detail      string          `json:"detail"`
	// AccountID is set on account_failed events only (older receivers see no change).
	AccountID string `json:"account_id,omitempty"`
}

// MarshalEvent encodes e as the body of a delivery. The same event always
// gives the same bytes, so a retried delivery carries the same signature.
func MarshalEvent(e *ragkb.Event) ([]byte, error) {
	b, err := json.Marshal(Payload{
		ID:          e.ID,
		Type:        e.Type,
		CreatedAt:   e.CreatedAt.UTC(),
		TenantID:    e.TenantID,
		ResourceID:  e.ResourceID,
		AssistantID: e.AssistantID,
		Question:    e.Question,
		Detail:      e.Detail,
		AccountID:   e.AccountID,
	})
	if err != nil {
		return nil, fmt.Errorf("webhook: encode event: %w", err)
	}
	return b, nil
}
