package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

func TestEventsWebhooksDeliveries(t *testing.T) {
	s := newStore(t, 0)
	ctx := context.Background()
	a, b := mustTenant(t, s, "a"), mustTenant(t, s, "b")
	for i, ev := range []*ragkb.Event{
		{TenantID: a.ID, Type: ragkb.EventAgentRequested, Question: "q1", CreatedAt: t0},
		{TenantID: a.ID, Type: ragkb.EventResourceFailed, Detail: "d", CreatedAt: t0.Add(time.Minute)},
		{TenantID: b.ID, Type: ragkb.EventAgentRequested, CreatedAt: t0.Add(2 * time.Minute)},
	} {
		if err := s.CreateEvent(ctx, ev); err != nil {
			t.Fatalf("CreateEvent %d: %v", i, err)
		}
	}
	tests := []struct {
		name   string
		filter ragkb.EventFilter
		want   int
	}{
		{name: "all tenants", filter: ragkb.EventFilter{}, want: 3},
		{name: "one tenant", filter: ragkb.EventFilter{TenantID: a.ID}, want: 2},
		{name: "tenant and type", filter: ragkb.EventFilter{TenantID: a.ID, Type: ragkb.EventResourceFailed}, want: 1},
		{name: "limit", filter: ragkb.EventFilter{Limit: 1}, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ListEvents(ctx, tt.filter)
			if err != nil {
				t.Fatalf("ListEvents: %v", err)
			}
			if len(got) != tt.want {
				t.Fatalf("ListEvents(%+v) = %d events, want %d", tt.filter, len(got), tt.want)
			}
			for i := 1; i < len(got); i++ {
				if got[i].CreatedAt.After(got[i-1].CreatedAt) {
					t.Errorf("events not newest first: %v then %v", got[i-1].CreatedAt, got[i].CreatedAt)
				}
			}
		})
	}

	w := &ragkb.Webhook{TenantID: a.ID, URL: "https://example.com/hook", Events: []ragkb.EventType{ragkb.EventAgentRequested}, Secret: "s"}
	if err := s.CreateWebhook(ctx, w); err != nil {
		t.Fatalf("CreateWebhook: %v", err)
	}
	if _, err := s.GetWebhook(ctx, b.ID, w.ID); !ragkb.IsNotFound(err) {
		t.Errorf("GetWebhook of another tenant: %v, want ENOTFOUND", err)
	}
	got, err := s.GetWebhook(ctx, a.ID, w.ID)
	if err != nil || got.Secret != "s" || !slices.Equal(got.Events, w.Events) {
		t.Errorf("GetWebhook = %+v, %v; want the saved webhook", got, err)
	}
	due := t0.Add(time.Hour)
	d := &ragkb.Delivery{TenantID: a.ID, WebhookID: w.ID, EventID: "evt_1", Status: "pending", NextAttempt: &due}
	if err := s.CreateDelivery(ctx, d); err != nil {
		t.Fatalf("CreateDelivery: %v", err)
	}
	d.Status, d.Attempts, d.LastCode, d.NextAttempt = "delivered", 1, 200, nil
	if err := s.UpdateDelivery(ctx, d); err != nil {
		t.Fatalf("UpdateDelivery: %v", err)
	}
	list, err := s.ListDeliveries(ctx, a.ID, w.ID, 0)
	if err != nil || len(list) != 1 || list[0].Status != "delivered" || list[0].NextAttempt != nil || list[0].LastCode != 200 {
		t.Errorf("ListDeliveries = %+v, %v; want the delivered delivery", list, err)
	}
	if err := s.DeleteWebhook(ctx, b.ID, w.ID); !ragkb.IsNotFound(err) {
		t.Errorf("DeleteWebhook by another tenant: %v, want ENOTFOUND", err)
	}
	if err := s.DeleteWebhook(ctx, a.ID, w.ID); err != nil {
		t.Errorf("DeleteWebhook: %v", err)
	}
}

func TestAssistantsAndIntents(t *testing.T) {
	s := newStore(t, 0)
	ctx := context.Background()
	a := mustTenant(t, s, "a")
	as := &ragkb.Assistant{TenantID: a.ID, Name: "bot", ResourceIDs: []string{"res_1"}, AutoClose: true}
	if err := s.CreateAssistant(ctx, as); err != nil {
		t.Fatalf("CreateAssistant: %v", err)
	}
	as.Name, as.PremiumIntents = "bot 2", []string{"complaint"}
	if err := s.UpdateAssistant(ctx, as); err != nil {
		t.Fatalf("UpdateAssistant: %v", err)
	}
	got, err := s.GetAssistant(ctx, a.ID, as.ID)
	if err != nil || got.Name != "bot 2" || !got.AutoClose || !slices.Equal(got.PremiumIntents, []string{"complaint"}) {
		t.Errorf("GetAssistant = %+v, %v; want the updated assistant", got, err)
	}
	if err := s.UpdateAssistant(ctx, &ragkb.Assistant{TenantID: "ten_x", ID: as.ID}); !ragkb.IsNotFound(err) {
		t.Errorf("UpdateAssistant of another tenant: %v, want ENOTFOUND", err)
	}

	v0, err := s.TenantVersion(ctx, a.ID)
	if err != nil {
		t.Fatalf("TenantVersion: %v", err)
	}
	for _, d := range []*ragkb.IntentDef{
		{TenantID: a.ID, Name: "returns", Examples: []string{"how to return"}, Tier: "fast"},
		{TenantID: a.ID, Name: "returns", Examples: []string{"refund?"}, Tier: "grounded"}, // replaces
	} {
		if err := s.CreateIntent(ctx, d); err != nil {
			t.Fatalf("CreateIntent: %v", err)
		}
	}
	list, err := s.ListIntents(ctx, a.ID)
	if err != nil || len(list) != 1 || list[0].Tier != "grounded" || !slices.Equal(list[0].Examples, []string{"refund?"}) {
		t.Errorf("ListIntents = %+v, %v; want the replaced intent", list, err)
	}
	if err := s.DeleteIntent(ctx, a.ID, "returns"); err != nil {
		t.Fatalf("DeleteIntent: %v", err)
	}
	if err := s.DeleteIntent(ctx, a.ID, "returns"); !ragkb.IsNotFound(err) {
		t.Errorf("second DeleteIntent: %v, want ENOTFOUND", err)
	}
	if v, err := s.TenantVersion(ctx, a.ID); err != nil || v != v0+3 {
		t.Errorf("TenantVersion after 2 creates and a delete = %d, %v; want %d", v, err, v0+3)
	}
}
