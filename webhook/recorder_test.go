package webhook

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

func TestRecorderSubscribedWebhooksOnly(t *testing.T) {
	tests := []struct {
		name  string
		typ   ragkb.EventType
		wantN []string // names of the webhooks that get a delivery
	}{
		{name: "assistant_failed", typ: ragkb.EventAssistantFailed, wantN: []string{"failures", "support"}},
		{name: "agent_requested", typ: ragkb.EventAgentRequested, wantN: []string{"ops", "support"}},
		{name: "resource_failed", typ: ragkb.EventResourceFailed, wantN: []string{"ops"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			hooks := map[string]*ragkb.Webhook{
				"failures": e.webhook(e.tenant.ID, "https://a.example/failures", "", ragkb.EventAssistantFailed),
				"ops":      e.webhook(e.tenant.ID, "https://a.example/ops", "", ragkb.EventAgentRequested, ragkb.EventResourceFailed),
				"support":  e.webhook(e.tenant.ID, "https://a.example/support", "", ragkb.EventAssistantFailed, ragkb.EventAgentRequested),
				// Another tenant subscribed to everything must get nothing.
				"other tenant": e.webhook(e.other.ID, "https://b.example/all", "",
					ragkb.EventAssistantFailed, ragkb.EventAgentRequested, ragkb.EventResourceFailed),
			}
			e.clock.Advance(90 * time.Second)
			ev := e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: tt.typ, Detail: "d"})

			var got []string
			for _, d := range e.deliveries(e.tenant.ID) {
				for name, w := range hooks {
					if w.ID == d.WebhookID {
						got = append(got, name)
					}
				}
				if d.EventID != ev.ID || d.TenantID != e.tenant.ID || d.Status != StatusPending || d.Attempts != 0 {
					t.Errorf("delivery = %+v, want pending, 0 attempts, event %s of tenant %s", d, ev.ID, e.tenant.ID)
				}
				if d.NextAttempt == nil || !d.NextAttempt.Equal(e.clock.Now()) {
					t.Errorf("NextAttempt = %v, want now (%v)", d.NextAttempt, e.clock.Now())
				}
				if !ragkb.HasPrefix(d.ID, "dlv") {
					t.Errorf("delivery id = %q, want a dlv_ id", d.ID)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.wantN) {
				t.Errorf("deliveries to %v, want %v", got, tt.wantN)
			}
			if ds := e.deliveries(e.other.ID); len(ds) != 0 {
				t.Errorf("another tenant got deliveries: %+v", ds)
			}
		})
	}
}

func TestRecorderStoresEvent(t *testing.T) {
	e := newEnv(t)
	e.clock.Advance(1500 * time.Millisecond)
	ev := e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventResourceFailed, ResourceID: "res_1", Detail: "404"})
	if !ragkb.HasPrefix(ev.ID, "evt") {
		t.Errorf("ID = %q, want an evt_ id", ev.ID)
	}
	if !ev.CreatedAt.Equal(e.clock.Now()) {
		t.Errorf("CreatedAt = %v, want %v", ev.CreatedAt, e.clock.Now())
	}
	got, err := e.store.GetEvent(e.ctx, e.tenant.ID, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The stored event encodes to the same bytes as the recorded one, so
	// the body signed at delivery is what the recorder saw.
	a, _ := MarshalEvent(ev)
	b, _ := MarshalEvent(got)
	if string(a) != string(b) {
		t.Errorf("stored event encodes to\n%s\nwant\n%s", b, a)
	}
	if ds := e.deliveries(e.tenant.ID); len(ds) != 0 {
		t.Errorf("no webhooks, yet deliveries %+v", ds)
	}

	// Given ID and CreatedAt are kept.
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	kept := e.record(&ragkb.Event{ID: "evt_given", CreatedAt: at, TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested})
	if kept.ID != "evt_given" || !kept.CreatedAt.Equal(at) {
		t.Errorf("event = %+v, want the given id and time kept", kept)
	}
}

func TestRecorderRejectsInvalidEvents(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name      string
		ev        *ragkb.Event
		wantField string
	}{
		{name: "nil", ev: nil, wantField: "event"},
		{name: "no tenant", ev: &ragkb.Event{Type: ragkb.EventAgentRequested}, wantField: "tenant_id"},
		{name: "unknown type", ev: &ragkb.Event{TenantID: e.tenant.ID, Type: "order_created"}, wantField: "type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.recorder().Record(e.ctx, tt.ev)
			var re *ragkb.Error
			if !errors.As(err, &re) || re.Code != ragkb.EINVALID || re.Field != tt.wantField {
				t.Errorf("Record() = %v, want invalid %q", err, tt.wantField)
			}
		})
	}
	evs, err := e.store.ListEvents(e.ctx, ragkb.EventFilter{TenantID: e.tenant.ID})
	if err != nil || len(evs) != 0 {
		t.Errorf("invalid events were stored: %v, %v", evs, err)
	}
}

func TestRecorderUnknownTenant(t *testing.T) {
	e := newEnv(t)
	err := e.recorder().Record(e.ctx, &ragkb.Event{TenantID: "ten_missing", Type: ragkb.EventAgentRequested})
	if got, want := ragkb.ErrorCodeOf(err), ragkb.ENOTFOUND; got != want {
		t.Errorf("Record for an unknown tenant: code %q (%v), want %q", got, err, want)
	}
}
