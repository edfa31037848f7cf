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
