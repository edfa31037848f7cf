package storetest

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

func testEvents(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	a, b := newTenant(t, s, "A"), newTenant(t, s, "B")
	mk := func(tenantID string, typ ragkb.EventType, sec int) *ragkb.Event {
		e := &ragkb.Event{ID: ragkb.NewID("evt"), TenantID: tenantID, Type: typ, ResourceID: "res_x", AssistantID: "asst_y",
			Question: "Where is my order [email]?", Detail: "no passage above threshold", CreatedAt: at(time.Duration(sec) * time.Second)}
		must(t, s.CreateEvent(ctx, e), "CreateEvent")
		return e
	}
	e1 := mk(a.ID, ragkb.EventAssistantFailed, 1)
	e2 := mk(a.ID, ragkb.EventAgentRequested, 2)
	e3 := mk(b.ID, ragkb.EventResourceFailed, 3)
	e4 := mk(a.ID, ragkb.EventAssistantFailed, 4)
	wantCode(t, s.CreateEvent(ctx, e1), ragkb.ECONFLICT, "CreateEvent(duplicate id)")

	ids := func(es []*ragkb.Event) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    ragkb.EventFilter
		want []*ragkb.Event
	}{
		{"tenant, newest first", ragkb.EventFilter{TenantID: a.ID}, []*ragkb.Event{e4, e2, e1}},
		{"type", ragkb.EventFilter{TenantID: a.ID, Type: ragkb.EventAssistantFailed}, []*ragkb.Event{e4, e1}},
		{"limit", ragkb.EventFilter{TenantID: a.ID, Limit: 1}, []*ragkb.Event{e4}},
		{"every tenant", ragkb.EventFilter{}, []*ragkb.Event{e4, e3, e2, e1}},
		{"type across tenants", ragkb.EventFilter{Type: ragkb.EventResourceFailed}, []*ragkb.Event{e3}},
		{"other tenant", ragkb.EventFilter{TenantID: b.ID, Type: ragkb.EventAgentRequested}, nil},
	} {
		got, err := s.ListEvents(ctx, tc.f)
		must(t, err, tc.name)
		if g, w := ids(got), ids(tc.want); !slices.Equal(g, w) {
			t.Errorf("%s: ListEvents = %v, want %v", tc.name, g, w)
		}
	}
	got, err := s.GetEvent(ctx, a.ID, e2.ID)
	must(t, err, "GetEvent")
	if !reflect.DeepEqual(got, e2) {
		t.Errorf("GetEvent = %+v, want %+v", got, e2)
	}
	_, err = s.GetEvent(ctx, a.ID, "evt_missing")
	isNotFound(t, err, "GetEvent(missing)")

	// The default limit is at least 100.
	for i := range 105 {
		mk(b.ID, ragkb.EventAgentRequested, 10+i)
	}
	list, err := s.ListEvents(ctx, ragkb.EventFilter{TenantID: b.ID})
	must(t, err, "ListEvents(default limit)")
	if len(list) < 100 {
		t.Errorf("ListEvents(default limit) = %d events, want at least 100", len(list))
	}
}

func testAssistants(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "A")
	a1 := &ragkb.Assistant{ID: ragkb.NewID("asst"), TenantID: ten.ID, Name: "Main", ResourceIDs: []string{"res_1", "res_2"},
		FallbackMessage: "Nie wiem.", AgentMessage: "Łączę z konsultantem.", AutoClose: true,
		PremiumIntents: []string{"product_advice"}, Language: "pl", Translate: true, CreatedAt: t0, UpdatedAt: t0,
		FallbackMessages: map[string]string{"de": "Das weiß ich nicht."}, AgentMessages: map[string]string{"en": "A colleague will reply."},
		AgentOptOut: []string{"complaint"},
		Triage: &ragkb.TriageConfig{
			Rules:  []ragkb.TriageRule{{When: ragkb.TriageWhen{Intent: []string{"complaint"}, Sentiment: []string{"negative"}}, Priority: "urgent"}},
			Topics: map[string]string{"subscription": "billing"},
		}}
	a2 := &ragkb.Assistant{ID: ragkb.NewID("asst"), TenantID: ten.ID, Name: "Minimal", CreatedAt: at(time.Second), UpdatedAt: at(time.Second)}
	must(t, s.CreateAssistant(ctx, a1), "CreateAssistant")
	must(t, s.CreateAssistant(ctx, a2), "CreateAssistant minimal")
	wantCode(t, s.CreateAssistant(ctx, a1), ragkb.ECONFLICT, "CreateAssistant(duplicate id)")

	got, err := s.GetAssistant(ctx, ten.ID, a1.ID)
	must(t, err, "GetAssistant")
	if !reflect.DeepEqual(got, a1) {
		t.Errorf("GetAssistant = %+v, want %+v", got, a1)
	}
	list, err := s.ListAssistants(ctx, ten.ID)
	must(t, err, "ListAssistants")
	if len(list) != 2 || !reflect.DeepEqual(list[0], a1) || !reflect.DeepEqual(list[1], a2) {
		t.Errorf("ListAssistants = %+v, want [%+v %+v] (oldest first)", list, a1, a2)
	}

	no := false
	a1.Name, a1.ResourceIDs, a1.AutoClose, a1.PremiumIntents, a1.Translate, a1.UpdatedAt = "Renamed", []string{"res_3"}, false, nil, false, at(time.Hour)
	a1.Triage = &ragkb.TriageConfig{Rules: []ragkb.TriageRule{{When: ragkb.TriageWhen{Topic: []string{"product"}}, Priority: "low", NeedsAgent: &no}}}
	a1.FallbackMessages, a1.AgentOptOut = map[string]string{"it": "Non lo so."}, nil
	must(t, s.UpdateAssistant(ctx, a1), "UpdateAssistant")
	got, err = s.GetAssistant(ctx, ten.ID, a1.ID)
	must(t, err, "GetAssistant after update")
	if !reflect.DeepEqual(got, a1) {
		t.Errorf("after UpdateAssistant got %+v, want %+v", got, a1)
	}
	missing := *a1
	missing.ID = "asst_missing"
	isNotFound(t, s.UpdateAssistant(ctx, &missing), "UpdateAssistant(missing)")

	must(t, s.DeleteAssistant(ctx, ten.ID, a1.ID), "DeleteAssistant")
	_, err = s.GetAssistant(ctx, ten.ID, a1.ID)
	isNotFound(t, err, "GetAssistant after delete")
	isNotFound(t, s.DeleteAssistant(ctx, ten.ID, a1.ID), "DeleteAssistant twice")
	list, err = s.ListAssistants(ctx, ten.ID)
	must(t, err, "ListAssistants")
	if len(list) != 1 || list[0].ID != a2.ID {
		t.Errorf("ListAssistants after delete = %d, want only %s", len(list), a2.ID)
	}
}

func testIntents(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "A")
	d1 := &ragkb.IntentDef{ID: ragkb.NewID("int"), TenantID: ten.ID, Name: "opening_hours", Examples: []string{"when are you open", "godziny otwarcia"}, Tier: "fast", CreatedAt: t0}
	d2 := &ragkb.IntentDef{ID: ragkb.NewID("int"), TenantID: ten.ID, Name: "complaint", Examples: []string{"I want to complain"}, Tier: "agent", CreatedAt: t0}
	must(t, s.CreateIntent(ctx, d1), "CreateIntent")
	must(t, s.CreateIntent(ctx, d2), "CreateIntent")
	list, err := s.ListIntents(ctx, ten.ID)
	must(t, err, "ListIntents")
	if len(list) != 2 {
		t.Fatalf("ListIntents = %d intents, want 2", len(list))
	}
	byName := func(list []*ragkb.IntentDef) map[string]*ragkb.IntentDef {
		m := make(map[string]*ragkb.IntentDef)
		for _, d := range list {
			m[d.Name] = d
		}
		return m
	}
	if got := byName(list)["opening_hours"]; !reflect.DeepEqual(got, d1) {
		t.Errorf("ListIntents[opening_hours] = %+v, want %+v", got, d1)
	}

	// Same name: replaced, not duplicated.
	repl := &ragkb.IntentDef{ID: ragkb.NewID("int"), TenantID: ten.ID, Name: "opening_hours", Examples: []string{"are you open on sunday"}, Tier: "grounded", CreatedAt: at(time.Hour)}
	must(t, s.CreateIntent(ctx, repl), "CreateIntent(replace)")
	list, err = s.ListIntents(ctx, ten.ID)
	must(t, err, "ListIntents")
	got := byName(list)["opening_hours"]
	if len(list) != 2 || got == nil || !slices.Equal(got.Examples, repl.Examples) || got.Tier != "grounded" {
		t.Errorf("after replacing, ListIntents = %d intents, opening_hours = %+v; want 2 and the new examples and tier", len(list), got)
	}

	must(t, s.DeleteIntent(ctx, ten.ID, "complaint"), "DeleteIntent")
	isNotFound(t, s.DeleteIntent(ctx, ten.ID, "complaint"), "DeleteIntent twice")
	list, err = s.ListIntents(ctx, ten.ID)
	must(t, err, "ListIntents")
	if len(list) != 1 || list[0].Name != "opening_hours" {
		t.Errorf("ListIntents after delete = %+v, want only opening_hours", list)
	}
}

func testWebhooksAndDeliveries(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	a, b := newTenant(t, s, "A"), newTenant(t, s, "B")
	w1 := &ragkb.Webhook{ID: ragkb.NewID("wh"), TenantID: a.ID, URL: "https://a.example/hook",
		Events: []ragkb.EventType{ragkb.EventAgentRequested, ragkb.EventResourceFailed}, Secret: "s3cret", CreatedAt: t0}
	w2 := &ragkb.Webhook{ID: ragkb.NewID("wh"), TenantID: a.ID, URL: "https://a.example/other",
		Events: []ragkb.EventType{ragkb.EventAssistantFailed}, Secret: "x", CreatedAt: at(time.Second)}
	wb := &ragkb.Webhook{ID: ragkb.NewID("wh"), TenantID: b.ID, URL: "https://b.example/hook",
		Events: []ragkb.EventType{ragkb.EventAgentRequested}, Secret: "y", CreatedAt: t0}
	for _, w := range []*ragkb.Webhook{w1, w2, wb} {
		must(t, s.CreateWebhook(ctx, w), "CreateWebhook")
	}
	got, err := s.GetWebhook(ctx, a.ID, w1.ID)
	must(t, err, "GetWebhook")
	if !reflect.DeepEqual(got, w1) {
		t.Errorf("GetWebhook = %+v, want %+v (secret kept)", got, w1)
	}
	list, err := s.ListWebhooks(ctx, a.ID)
	must(t, err, "ListWebhooks")
	if len(list) != 2 || list[0].ID != w1.ID || list[1].ID != w2.ID {
		t.Errorf("ListWebhooks = %d webhooks, want [%s %s]", len(list), w1.ID, w2.ID)
	}

	ev := &ragkb.Event{ID: ragkb.NewID("evt"), TenantID: a.ID, Type: ragkb.EventAgentRequested, CreatedAt: t0}
	must(t, s.CreateEvent(ctx, ev), "CreateEvent")
	mk := func(tenantID string, w *ragkb.Webhook, status string, next *time.Time, sec int) *ragkb.Delivery {
		d := &ragkb.Delivery{ID: ragkb.NewID("dlv"), TenantID: tenantID, WebhookID: w.ID, EventID: ev.ID, Status: status,
			NextAttempt: next, CreatedAt: at(time.Duration(sec) * time.Second), UpdatedAt: at(time.Duration(sec) * time.Second)}
		must(t, s.CreateDelivery(ctx, d), "CreateDelivery")
		return d
	}
	d1 := mk(a.ID, w1, "pending", ptr(at(time.Minute)), 1)
	d2 := mk(a.ID, w2, "pending", ptr(at(time.Hour)), 2)
	d3 := mk(a.ID, w1, "delivered", nil, 3)
	d4 := mk(b.ID, wb, "pending", ptr(at(2*time.Minute)), 4)

	dids := func(ds []*ragkb.Delivery) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		tenant  string
		webhook string
		limit   int
		want    []*ragkb.Delivery
	}{
		{"tenant, newest first", a.ID, "", 0, []*ragkb.Delivery{d3, d2, d1}},
		{"one webhook", a.ID, w1.ID, 0, []*ragkb.Delivery{d3, d1}},
		{"limit", a.ID, "", 1, []*ragkb.Delivery{d3}},
		{"other tenant", b.ID, "", 0, []*ragkb.Delivery{d4}},
		{"other tenant's webhook", b.ID, w1.ID, 0, nil},
	} {
		got, err := s.ListDeliveries(ctx, tc.tenant, tc.webhook, tc.limit)
		must(t, err, tc.name)
		if g, w := dids(got), dids(tc.want); !slices.Equal(g, w) {
			t.Errorf("%s: ListDeliveries = %v, want %v", tc.name, g, w)
		}
	}
	d1.Status, d1.Attempts, d1.LastCode, d1.LastError = "delivered", 2, 204, ""
	d1.NextAttempt, d1.UpdatedAt = nil, at(5*time.Minute)
	must(t, s.UpdateDelivery(ctx, d1), "UpdateDelivery")
	d2.Attempts, d2.LastCode, d2.LastError, d2.NextAttempt, d2.UpdatedAt = 1, 500, "server error", ptr(at(3*time.Hour)), at(5*time.Minute)
	must(t, s.UpdateDelivery(ctx, d2), "UpdateDelivery")
	list2, err := s.ListDeliveries(ctx, a.ID, "", 0)
	must(t, err, "ListDeliveries")
	if want := []*ragkb.Delivery{d3, d2, d1}; !reflect.DeepEqual(list2, want) {
		t.Errorf("ListDeliveries after update = %+v, want %+v", list2, want)
	}
	missing := *d1
	missing.ID = "dlv_missing"
	isNotFound(t, s.UpdateDelivery(ctx, &missing), "UpdateDelivery(missing)")

	must(t, s.DeleteWebhook(ctx, a.ID, w2.ID), "DeleteWebhook")
	_, err = s.GetWebhook(ctx, a.ID, w2.ID)
	isNotFound(t, err, "GetWebhook after delete")
	isNotFound(t, s.DeleteWebhook(ctx, a.ID, w2.ID), "DeleteWebhook twice")
	list, err = s.ListWebhooks(ctx, a.ID)
	must(t, err, "ListWebhooks")
	if len(list) != 1 || list[0].ID != w1.ID {
		t.Errorf("ListWebhooks after delete = %d, want only %s", len(list), w1.ID)
	}
}

func testAnswerLogs(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	a, b := newTenant(t, s, "A"), newTenant(t, s, "B")
	logs := []*ragkb.AnswerLog{
		{TenantID: a.ID, AssistantID: "asst_1", Intent: "invoice", Status: ragkb.AnswerAnswered, Tier: ragkb.TierFast, LatencyMS: 1.25,
			Topic: "billing", Priority: "normal", Sentiment: "neutral", CreatedAt: at(time.Minute)},
		{TenantID: a.ID, Intent: "product_advice", Status: ragkb.AnswerAnswered, Tier: ragkb.TierPremium, LLMCalls: 1, PromptTokens: 812, CompletionTokens: 96, LatencyMS: 950.5, CreatedAt: at(2 * time.Minute)},
		{TenantID: a.ID, Intent: "other", Status: ragkb.AnswerFallback, Tier: ragkb.TierGrounded, LatencyMS: 3, CreatedAt: at(3 * time.Minute)},
		{TenantID: b.ID, Intent: "invoice", Status: ragkb.AnswerAgent, Tier: ragkb.TierFast, LatencyMS: 2, CreatedAt: at(2 * time.Minute)},
	}
	for _, l := range logs {
		must(t, s.RecordAnswer(ctx, l), "RecordAnswer")
	}
	for _, tc := range []struct {
		name   string
		tenant string
		since  time.Time
		want   []*ragkb.AnswerLog
	}{
		{"all of a tenant", a.ID, time.Time{}, logs[:3]},
		{"since is inclusive", a.ID, at(2 * time.Minute), logs[1:3]},
		{"after the last", a.ID, at(time.Hour), nil},
		{"other tenant", b.ID, t0, logs[3:]},
	} {
		got, err := s.ListAnswerLogs(ctx, tc.tenant, tc.since)
		must(t, err, tc.name)
		slices.SortFunc(got, func(x, y *ragkb.AnswerLog) int { return x.CreatedAt.Compare(y.CreatedAt) })
		if len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("%s: ListAnswerLogs = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// testRecordEvent: the event and its deliveries are kept together, with
// the tenant's scoping, or not at all.
func testRecordEvent(t *testing.T, s ragkb.Store) {
	ctx := t.Context()
	a, b := newTenant(t, s, "A"), newTenant(t, s, "B")
	wa := &ragkb.Webhook{TenantID: a.ID, URL: "https://a.example/h", Events: []ragkb.EventType{ragkb.EventAgentRequested}, Secret: "0123456789abcdef"}
	wb := &ragkb.Webhook{TenantID: b.ID, URL: "https://b.example/h", Events: []ragkb.EventType{ragkb.EventAgentRequested}, Secret: "0123456789abcdef"}
	must(t, s.CreateWebhook(ctx, wa), "CreateWebhook")
	must(t, s.CreateWebhook(ctx, wb), "CreateWebhook")
	ev := &ragkb.Event{TenantID: a.ID, Type: ragkb.EventAgentRequested, CreatedAt: t0}
	mine := &ragkb.Delivery{WebhookID: wa.ID, Status: "pending", NextAttempt: ptr(t0), CreatedAt: t0, UpdatedAt: t0}
	theirs := &ragkb.Delivery{WebhookID: wb.ID, Status: "pending", NextAttempt: ptr(t0), CreatedAt: t0, UpdatedAt: t0}
	must(t, s.RecordEvent(ctx, ev, []*ragkb.Delivery{mine, theirs}), "RecordEvent")
	if ev.ID == "" || mine.ID == "" || mine.EventID != ev.ID || mine.TenantID != a.ID {
		t.Fatalf("RecordEvent filled event %q, delivery %+v", ev.ID, mine)
	}
	got, err := s.GetEvent(ctx, a.ID, ev.ID)
	if err != nil || got.Type != ev.Type {
		t.Errorf("GetEvent = %+v, %v; want the recorded event", got, err)
	}
	ds, err := s.ListDeliveries(ctx, a.ID, "", 0)
	must(t, err, "ListDeliveries")
	if len(ds) != 1 || ds[0].ID != mine.ID || ds[0].WebhookID != wa.ID || ds[0].Status != "pending" {
		t.Errorf("tenant A's deliveries = %+v, want only %s", ds, mine.ID)
	}
	ds, err = s.ListDeliveries(ctx, b.ID, "", 0)
	must(t, err, "ListDeliveries")
	if len(ds) != 0 {
		t.Errorf("tenant B got %d deliveries of tenant A's event via its own webhook, want none", len(ds))
	}
	// A duplicate event ID fails and leaves no delivery behind.
	dup := &ragkb.Event{ID: ev.ID, TenantID: a.ID, Type: ragkb.EventAgentRequested, CreatedAt: t0}
	wantCode(t, s.RecordEvent(ctx, dup, []*ragkb.Delivery{{WebhookID: wa.ID, Status: "pending"}}), ragkb.ECONFLICT, "RecordEvent(duplicate id)")
	ds, err = s.ListDeliveries(ctx, a.ID, "", 0)
	must(t, err, "ListDeliveries")
	if len(ds) != 1 {
		t.Errorf("after a failed RecordEvent tenant A has %d deliveries, want 1", len(ds))
	}
}
