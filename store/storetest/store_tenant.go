package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// testTenantIsolation gives tenant A one of everything and checks that
// every tenant-scoped method called with tenant B's id neither finds,
// changes nor lists A's objects.
func testTenantIsolation(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	a, b := newTenant(t, s, "A"), newTenant(t, s, "B")
	r := newResource(t, s, a.ID, "FAQ", t0)
	d := newDoc("q", "Secret shipping", "Tenant A ships with a flamingo courier.")
	index(t, s, r, []doc{d})
	asst := &ragkb.Assistant{ID: ragkb.NewID("asst"), TenantID: a.ID, Name: "A bot", CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateAssistant(ctx, asst), "CreateAssistant")
	must(t, s.CreateIntent(ctx, &ragkb.IntentDef{ID: ragkb.NewID("int"), TenantID: a.ID, Name: "hours", Examples: []string{"open?"}, Tier: "fast", CreatedAt: t0}), "CreateIntent")
	wh := &ragkb.Webhook{ID: ragkb.NewID("wh"), TenantID: a.ID, URL: "https://a.example", Events: []ragkb.EventType{ragkb.EventAgentRequested}, Secret: "s", CreatedAt: t0}
	must(t, s.CreateWebhook(ctx, wh), "CreateWebhook")
	ev := &ragkb.Event{ID: ragkb.NewID("evt"), TenantID: a.ID, Type: ragkb.EventAgentRequested, CreatedAt: t0}
	must(t, s.CreateEvent(ctx, ev), "CreateEvent")
	dl := &ragkb.Delivery{ID: ragkb.NewID("dlv"), TenantID: a.ID, WebhookID: wh.ID, EventID: ev.ID, Status: "pending", CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateDelivery(ctx, dl), "CreateDelivery")
	must(t, s.RecordAnswer(ctx, &ragkb.AnswerLog{TenantID: a.ID, Intent: "hours", Status: ragkb.AnswerAnswered, Tier: ragkb.TierFast, CreatedAt: t0}), "RecordAnswer")
	va, err := s.TenantVersion(ctx, a.ID)
	must(t, err, "TenantVersion")

	// Another tenant's id finds nothing.
	notFound := []struct {
		name string
		err  error
	}{
		{"GetResource", func() error { _, err := s.GetResource(ctx, b.ID, r.ID); return err }()},
		{"UpdateResource", func() error { x := *r; x.TenantID = b.ID; x.Name = "hijacked"; return s.UpdateResource(ctx, &x, nil) }()},
		{"UpdateResource with job", func() error {
			x := *r
			x.TenantID = b.ID
			return s.UpdateResource(ctx, &x, &ragkb.Job{ID: ragkb.NewID("job"), TenantID: b.ID, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: t0})
		}()},
		{"DeleteResource", s.DeleteResource(ctx, b.ID, r.ID)},
		{"GetAssistant", func() error { _, err := s.GetAssistant(ctx, b.ID, asst.ID); return err }()},
		{"UpdateAssistant", func() error { x := *asst; x.TenantID = b.ID; x.Name = "hijacked"; return s.UpdateAssistant(ctx, &x) }()},
		{"DeleteAssistant", s.DeleteAssistant(ctx, b.ID, asst.ID)},
		{"DeleteIntent", s.DeleteIntent(ctx, b.ID, "hours")},
		{"GetWebhook", func() error { _, err := s.GetWebhook(ctx, b.ID, wh.ID); return err }()},
		{"DeleteWebhook", s.DeleteWebhook(ctx, b.ID, wh.ID)},
		{"GetEvent", func() error { _, err := s.GetEvent(ctx, b.ID, ev.ID); return err }()},
		{"UpdateDelivery", func() error { x := *dl; x.TenantID = b.ID; x.Status = "failed"; return s.UpdateDelivery(ctx, &x) }()},
	}
	for _, tc := range notFound {
		isNotFound(t, tc.err, tc.name+" with another tenant's id")
	}
	// A delivery cannot point at another tenant's webhook.
	if err := s.CreateDelivery(ctx, &ragkb.Delivery{ID: ragkb.NewID("dlv"), TenantID: b.ID, WebhookID: wh.ID, EventID: ev.ID,
		Status: "pending", CreatedAt: t0, UpdatedAt: t0}); err == nil {
		t.Errorf("CreateDelivery for tenant B with A's webhook succeeded, want an error")
	}
	// Writing into A's resource as B fails and writes nothing.
	l := lease(t, s, r)
	foreign := newDoc("q2", "Injected", "Injected by tenant B: pelican.")
	if _, err := s.ApplyIndex(ctx, ragkb.IndexChange{TenantID: b.ID, ResourceID: r.ID, Lease: l,
		Upsert: []*ragkb.Document{foreign.d}, Chunks: foreign.chunks}); err == nil {
		t.Errorf("ApplyIndex as tenant B into A's resource succeeded, want an error")
	}

	// The same intent name in B is B's own intent, not a replacement of A's.
	must(t, s.CreateIntent(ctx, &ragkb.IntentDef{ID: ragkb.NewID("int"), TenantID: b.ID, Name: "hours", Examples: []string{"B's example"}, Tier: "agent", CreatedAt: t0}), "CreateIntent(B, same name)")
	intentsA, err := s.ListIntents(ctx, a.ID)
	must(t, err, "ListIntents(A)")
	if len(intentsA) != 1 || intentsA[0].Tier != "fast" || len(intentsA[0].Examples) != 1 || intentsA[0].Examples[0] != "open?" {
		t.Errorf("A's intents after B created one of the same name = %+v, want A's own unchanged", intentsA)
	}
	intentsB, err := s.ListIntents(ctx, b.ID)
	must(t, err, "ListIntents(B)")
	if len(intentsB) != 1 || intentsB[0].Tier != "agent" {
		t.Errorf("B's intents = %+v, want B's own", intentsB)
	}
	must(t, s.DeleteIntent(ctx, b.ID, "hours"), "DeleteIntent(B)")

	// Lists for B are empty.
	empty := []struct {
		name string
		f    func() (int, error)
	}{
		{"ListResources", func() (int, error) { return lenOf(s.ListResources(ctx, ragkb.ResourceFilter{TenantID: b.ID})) }},
		{"ListDocuments", func() (int, error) { return lenOf(s.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: b.ID})) }},
		{"ListDocuments of A's resource", func() (int, error) {
			return lenOf(s.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: b.ID, ResourceIDs: []string{r.ID}}))
		}},
		{"GetChunks", func() (int, error) { return lenOf(s.GetChunks(ctx, b.ID, chunkIDs(d, foreign))) }},
		{"SearchLexical", func() (int, error) {
			return lenOf(s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: b.ID, Text: "flamingo courier shipping pelican", Limit: 10}))
		}},
		{"SearchLexical of A's resource", func() (int, error) {
			return lenOf(s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: b.ID, ResourceIDs: []string{r.ID}, Text: "flamingo", Limit: 10}))
		}},
		{"ListAssistants", func() (int, error) { return lenOf(s.ListAssistants(ctx, b.ID)) }},
		{"ListIntents", func() (int, error) { return lenOf(s.ListIntents(ctx, b.ID)) }},
		{"ListWebhooks", func() (int, error) { return lenOf(s.ListWebhooks(ctx, b.ID)) }},
		{"ListDeliveries", func() (int, error) { return lenOf(s.ListDeliveries(ctx, b.ID, "", 0)) }},
		{"ListDeliveries of A's webhook", func() (int, error) { return lenOf(s.ListDeliveries(ctx, b.ID, wh.ID, 0)) }},
		{"ListEvents", func() (int, error) { return lenOf(s.ListEvents(ctx, ragkb.EventFilter{TenantID: b.ID})) }},
		{"ListAnswerLogs", func() (int, error) { return lenOf(s.ListAnswerLogs(ctx, b.ID, time.Time{})) }},
	}
	for _, tc := range empty {
		n, err := tc.f()
		if err != nil || n != 0 {
			t.Errorf("%s for tenant B = %d items, %v; want none", tc.name, n, err)
		}
	}

	// A's objects are intact.
	got, err := s.GetResource(ctx, a.ID, r.ID)
	must(t, err, "GetResource(A)")
	if got.Name != "FAQ" {
		t.Errorf("A's resource name = %q, want FAQ", got.Name)
	}
	if ga, err := s.GetAssistant(ctx, a.ID, asst.ID); err != nil || ga.Name != "A bot" {
		t.Errorf("A's assistant = %+v, %v; want intact", ga, err)
	}
	for _, tc := range []struct {
		name string
		f    func() (int, error)
	}{
		{"ListIntents(A)", func() (int, error) { return lenOf(s.ListIntents(ctx, a.ID)) }},
		{"ListWebhooks(A)", func() (int, error) { return lenOf(s.ListWebhooks(ctx, a.ID)) }},
		{"ListDeliveries(A)", func() (int, error) { return lenOf(s.ListDeliveries(ctx, a.ID, "", 0)) }},
		{"GetChunks(A)", func() (int, error) { return lenOf(s.GetChunks(ctx, a.ID, chunkIDs(d))) }},
		{"SearchLexical(A)", func() (int, error) {
			return lenOf(s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: a.ID, Text: "flamingo", Limit: 10}))
		}},
	} {
		if n, err := tc.f(); err != nil || n != 1 {
			t.Errorf("%s = %d items, %v; want 1", tc.name, n, err)
		}
	}
	if hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: a.ID, Text: "pelican", Limit: 10}); err != nil || len(hits) != 0 {
		t.Errorf("SearchLexical(A, pelican) = %v, %v; want none (B's write was refused)", hits, err)
	}
	dls, err := s.ListDeliveries(ctx, a.ID, "", 0)
	must(t, err, "ListDeliveries(A)")
	if len(dls) == 1 && dls[0].Status != "pending" {
		t.Errorf("A's delivery status = %q, want pending", dls[0].Status)
	}
	if v, err := s.TenantVersion(ctx, a.ID); err != nil || v != va {
		t.Errorf("A's TenantVersion = %d, %v; want %d (B changed nothing)", v, err, va)
	}
}

// lenOf adapts a (slice, error) result for table checks.
func lenOf[T any](v []T, err error) (int, error) { return len(v), err }
