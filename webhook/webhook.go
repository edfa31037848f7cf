// Package webhook records events (assistant_failed, agent_requested, account_failed,
// resource_failed, ticket_urgent, clarify_asked) and delivers them to merchants'
// webhooks, signed with HMAC-SHA256.
//
// Deliveries are River jobs (github.com/riverqueue/river, on the store's own
// database: riverpgxv5 for PostgreSQL, riversqlite for the embedded SQLite).
// The Recorder hands the store the event and one pending ragkb.Delivery per
// subscribed webhook; the store (Store.RecordEvent) writes them and inserts
// one ragkb.DeliveryJob per delivery in the same transaction, so an event is
// never kept without its jobs. A Runner runs a River client whose Worker
// signs and POSTs a delivery, records the outcome on the ragkb.Delivery the
// API lists (pending, delivered, failed; attempts, last code and error, next
// attempt) and leaves retries to River: a failed attempt returns an error and
// Worker.NextRetry gives River the backoff (or the receiver's Retry-After);
// after MaxAttempts, or when the webhook or event is gone, the job is
// cancelled and the delivery marked failed. River fetches a job for one
// worker at a time, so two processes never both send one attempt. Delivery
// is at least once: receivers should deduplicate by the X-Ragkb-Delivery
// header (or the event id in the body).
//
// Indexing jobs (package worker) stay on the store's leases: they are
// resources' own rows (status, attempts, next run, refresh schedule) that
// the API shows and edits, they are extended while a long fetch runs and
// released at once on a graceful stop, and their conformance tests already
// hold on both backends; moving them would duplicate that state in River's
// tables for no gain. Webhook deliveries had no such state beyond a retry
// queue, which is exactly what River provides.
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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
