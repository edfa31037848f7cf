package storetest

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

func testTenantsAndKeys(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	must(t, s.Ping(ctx), "Ping")
	a := newTenant(t, s, "Shop A")
	b := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "Shop B", CreatedAt: at(time.Second)}
	must(t, s.CreateTenant(ctx, b), "CreateTenant B")

	got, err := s.GetTenant(ctx, a.ID)
	must(t, err, "GetTenant")
	if !reflect.DeepEqual(got, a) {
		t.Errorf("GetTenant = %+v, want %+v", got, a)
	}
	_, err = s.GetTenant(ctx, "ten_missing")
	isNotFound(t, err, "GetTenant(missing)")
	wantCode(t, s.CreateTenant(ctx, &ragkb.Tenant{ID: a.ID, Name: "Other", CreatedAt: t0}), ragkb.ECONFLICT, "CreateTenant(duplicate id)")
	wantCode(t, s.CreateTenant(ctx, &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "Shop A", CreatedAt: t0}), ragkb.ECONFLICT, "CreateTenant(duplicate name)")

	list, err := s.ListTenants(ctx)
	must(t, err, "ListTenants")
	var names []string
	for _, ten := range list {
		names = append(names, ten.Name)
	}
	if want := []string{"Shop A", "Shop B"}; !reflect.DeepEqual(names, want) {
		t.Errorf("ListTenants names = %v, want %v (oldest first)", names, want)
	}
	if v, err := s.TenantVersion(ctx, a.ID); err != nil || v != 0 {
		t.Errorf("TenantVersion(new tenant) = %d, %v, want 0, nil", v, err)
	}
	_, err = s.TenantVersion(ctx, "ten_missing")
	isNotFound(t, err, "TenantVersion(missing)")

	// A zero CreatedAt is filled in by the store.
	c := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "Shop C"}
	must(t, s.CreateTenant(ctx, c), "CreateTenant without time")
	if got, err := s.GetTenant(ctx, c.ID); err != nil || got.CreatedAt.IsZero() {
		t.Errorf("GetTenant(C) = %+v, %v, want a creation time", got, err)
	}

	keys := []*ragkb.APIKey{
		{ID: ragkb.NewID("key"), Role: ragkb.RoleAdmin, Hash: "h-admin", Prefix: "rk_adm", CreatedAt: t0},
		{ID: ragkb.NewID("key"), TenantID: a.ID, Role: ragkb.RoleMerchant, Hash: "h-merchant-a", Prefix: "rk_ma", CreatedAt: t0},
		{ID: ragkb.NewID("key"), TenantID: a.ID, Role: ragkb.RoleChatbot, Hash: "h-bot-a", Prefix: "rk_ba", CreatedAt: t0},
		{ID: ragkb.NewID("key"), TenantID: b.ID, Role: ragkb.RoleMerchant, Hash: "h-merchant-b", Prefix: "rk_mb", CreatedAt: t0},
	}
	for _, k := range keys {
		must(t, s.CreateAPIKey(ctx, k), "CreateAPIKey")
	}
	for _, want := range keys {
		got, err := s.GetAPIKeyByHash(ctx, want.Hash)
		must(t, err, "GetAPIKeyByHash")
		if !reflect.DeepEqual(got, want) {
			t.Errorf("GetAPIKeyByHash(%s) = %+v, want %+v", want.Hash, got, want)
		}
	}
	_, err = s.GetAPIKeyByHash(ctx, "h-unknown")
	isNotFound(t, err, "GetAPIKeyByHash(unknown)")
	dup := &ragkb.APIKey{ID: ragkb.NewID("key"), TenantID: b.ID, Role: ragkb.RoleChatbot, Hash: "h-bot-a", Prefix: "x", CreatedAt: t0}
	wantCode(t, s.CreateAPIKey(ctx, dup), ragkb.ECONFLICT, "CreateAPIKey(duplicate hash)")

	for _, tc := range []struct {
		name string
		role ragkb.Role
		want int
	}{
		{"admin", ragkb.RoleAdmin, 1},
		{"merchant", ragkb.RoleMerchant, 2},
		{"chatbot", ragkb.RoleChatbot, 1},
		{"unknown role", ragkb.Role("nobody"), 0},
	} {
		got, err := s.CountAPIKeys(ctx, tc.role)
		must(t, err, "CountAPIKeys")
		if got != tc.want {
			t.Errorf("%s: CountAPIKeys(%s) = %d, want %d", tc.name, tc.role, got, tc.want)
		}
	}

	// Listing is per tenant ("" = admin keys); revoking works at once and only
	// within the tenant; last use is recorded.
	listIDs := func(tenantID string) []string {
		ks, err := s.ListAPIKeys(ctx, tenantID)
		must(t, err, "ListAPIKeys")
		ids := []string{}
		for _, k := range ks {
			ids = append(ids, k.ID)
		}
		return ids
	}
	if got, want := listIDs(a.ID), []string{keys[1].ID, keys[2].ID}; !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		t.Errorf("ListAPIKeys(A) = %v, want %v", got, want)
	}
	if got, want := listIDs(""), []string{keys[0].ID}; !slices.Equal(got, want) {
		t.Errorf("ListAPIKeys(admin) = %v, want %v", got, want)
	}
	if got := listIDs("ten_missing"); len(got) != 0 {
		t.Errorf("ListAPIKeys(missing tenant) = %v, want none", got)
	}
	isNotFound(t, s.DeleteAPIKey(ctx, b.ID, keys[2].ID), "DeleteAPIKey(another tenant's key)")
	if _, err := s.GetAPIKeyByHash(ctx, keys[2].Hash); err != nil {
		t.Errorf("a key survives a revocation attempt from another tenant: GetAPIKeyByHash = %v", err)
	}
	used := at(5 * time.Minute)
	must(t, s.TouchAPIKey(ctx, keys[1].ID, used), "TouchAPIKey")
	if got, err := s.GetAPIKeyByHash(ctx, keys[1].Hash); err != nil || got.LastUsedAt == nil || !got.LastUsedAt.Equal(used) {
		t.Errorf("after TouchAPIKey GetAPIKeyByHash = %+v, %v, want last used %v", got, err, used)
	}
	must(t, s.DeleteAPIKey(ctx, a.ID, keys[2].ID), "DeleteAPIKey")
	_, err = s.GetAPIKeyByHash(ctx, keys[2].Hash)
	isNotFound(t, err, "GetAPIKeyByHash(revoked)")
	isNotFound(t, s.DeleteAPIKey(ctx, a.ID, keys[2].ID), "DeleteAPIKey twice")
}

// testResourceVersion checks the optimistic concurrency of UpdateResource:
// a writer holding a stale copy is refused and changes nothing.
func testResourceVersion(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "Shop")
	r := newResource(t, s, ten.ID, "Returns", at(time.Minute))
	cur, err := s.GetResource(ctx, ten.ID, r.ID)
	must(t, err, "GetResource")
	stale := *cur
	cur.Name = "first writer"
	must(t, s.UpdateResource(ctx, cur, &ragkb.Job{ID: ragkb.NewID("job"), Kind: ragkb.JobIndex, CreatedAt: t0}), "UpdateResource (first writer)")
	stale.Name = "second writer"
	wantCode(t, s.UpdateResource(ctx, &stale, &ragkb.Job{ID: ragkb.NewID("job"), Kind: ragkb.JobRefresh, CreatedAt: t0}), ragkb.ECONFLICT, "UpdateResource (stale copy)")
	got, err := s.GetResource(ctx, ten.ID, r.ID)
	must(t, err, "GetResource after conflict")
	if got.Name != "first writer" || got.Version != cur.Version {
		t.Errorf("after a stale update: name %q version %d, want %q version %d", got.Name, got.Version, "first writer", cur.Version)
	}
	// The winner's copy carries the new version and can save again.
	cur.Name = "first writer again"
	must(t, s.UpdateResource(ctx, cur, nil), "UpdateResource with the returned version")
}

func testResourceCRUD(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "Shop")
	r := newResource(t, s, ten.ID, "Returns", at(time.Minute))

	for _, tc := range []struct {
		name     string
		tenantID string
	}{
		{"own tenant", ten.ID},
		{"admin (any tenant)", ""},
	} {
		got, err := s.GetResource(ctx, tc.tenantID, r.ID)
		must(t, err, tc.name+": GetResource")
		if !reflect.DeepEqual(got, r) {
			t.Errorf("%s: GetResource = %+v, want %+v", tc.name, got, r)
		}
	}
	_, err := s.GetResource(ctx, ten.ID, "res_missing")
	isNotFound(t, err, "GetResource(missing)")
	wantCode(t, s.CreateResource(ctx, r, nil), ragkb.ECONFLICT, "CreateResource(duplicate id)")

	// UpdateResource saves every field.
	r.Name, r.Status, r.Error = "Returns policy", ragkb.StatusFailed, "The page could not be read."
	r.Warnings = []string{"section 3 skipped"}
	r.Attempts, r.Documents, r.Chunks = 3, 7, 21
	r.LastRun = &ragkb.RunStats{Added: 1, Changed: 2, Removed: 3, Unchanged: 4, Skipped: 5, Embedded: 6,
		StartedAt: at(2 * time.Minute), Duration: 12.5}
	r.UpdatedAt = at(3 * time.Minute)
	r.IndexedAt, r.NextRefreshAt = ptr(at(4*time.Minute)), ptr(at(30*24*time.Hour))
	r.RefreshAvailableAt, r.LastManualRefreshAt = ptr(at(31*24*time.Hour)), ptr(at(time.Hour))
	r.Language = "pl"
	r.Policy = &ragkb.PolicySpec{URL: "https://shop.example/returns"}
	must(t, s.UpdateResource(ctx, r, nil), "UpdateResource")
	got, err := s.GetResource(ctx, ten.ID, r.ID)
	must(t, err, "GetResource after update")
	if !reflect.DeepEqual(got, r) {
		t.Errorf("after UpdateResource got %+v, want %+v", got, r)
	}
	// Optional times can be cleared again.
	r.IndexedAt, r.NextRefreshAt, r.LastRun, r.Warnings = nil, nil, nil, nil
	must(t, s.UpdateResource(ctx, r, nil), "UpdateResource clearing")
	got, err = s.GetResource(ctx, ten.ID, r.ID)
	must(t, err, "GetResource after clearing")
	if got.IndexedAt != nil || got.NextRefreshAt != nil || got.LastRun != nil || len(got.Warnings) != 0 {
		t.Errorf("after clearing got IndexedAt=%v NextRefreshAt=%v LastRun=%v Warnings=%v, want all empty",
			got.IndexedAt, got.NextRefreshAt, got.LastRun, got.Warnings)
	}

	missing := *r
	missing.ID = "res_missing"
	isNotFound(t, s.UpdateResource(ctx, &missing, nil), "UpdateResource(missing)")
	isNotFound(t, s.UpdateResource(ctx, &missing, &ragkb.Job{ID: ragkb.NewID("job"), Kind: ragkb.JobIndex, CreatedAt: t0}),
		"UpdateResource(missing, job)")
	if _, err := claimAt(s, "w", time.Now(), time.Minute); ragkb.ErrorCodeOf(err) != ragkb.ENOTFOUND {
		t.Errorf("ClaimJob after failed UpdateResource = %v, want ENOTFOUND (no job enqueued)", err)
	}

	// A resource created with a job has it enqueued for its tenant and id.
	job := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: ten.ID, Kind: ragkb.JobIndex, CreatedAt: t0}
	r2 := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: ten.ID, Name: "KB", Type: ragkb.TypeKnowledgeBase,
		Status: ragkb.StatusProcessing, CreatedAt: t0, UpdatedAt: t0, KnowledgeBase: &ragkb.KnowledgeBase{Invoice: "Yes."}}
	job.ResourceID = r2.ID
	must(t, s.CreateResource(ctx, r2, job), "CreateResource with job")
	j, err := claimAt(s, "w", time.Now(), time.Minute)
	must(t, err, "ClaimJob")
	if j.ID != job.ID || j.ResourceID != r2.ID || j.TenantID != ten.ID || j.Kind != ragkb.JobIndex {
		t.Errorf("ClaimJob = %+v, want job %s of resource %s", j, job.ID, r2.ID)
	}
}

func testResourceFilters(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	a, b := newTenant(t, s, "A"), newTenant(t, s, "B")
	mk := func(tenantID, name string, typ ragkb.ResourceType, status ragkb.ResourceStatus, minute int) *ragkb.Resource {
		r := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: tenantID, Name: name, Type: typ, Status: status,
			CreatedAt: at(time.Duration(minute) * time.Minute), UpdatedAt: t0}
		must(t, s.CreateResource(ctx, r, nil), "CreateResource "+name)
		return r
	}
	a1 := mk(a.ID, "a1", ragkb.TypePolicy, ragkb.StatusSuccess, 1)
	a2 := mk(a.ID, "a2", ragkb.TypeOffers, ragkb.StatusFailed, 2)
	a3 := mk(a.ID, "a3", ragkb.TypeFAQPage, ragkb.StatusProcessing, 3)
	b1 := mk(b.ID, "b1", ragkb.TypeOffers, ragkb.StatusFailed, 4)

	for _, tc := range []struct {
		name string
		f    ragkb.ResourceFilter
		want []*ragkb.Resource
	}{
		{"tenant, newest first", ragkb.ResourceFilter{TenantID: a.ID}, []*ragkb.Resource{a3, a2, a1}},
		{"other tenant", ragkb.ResourceFilter{TenantID: b.ID}, []*ragkb.Resource{b1}},
		{"every tenant", ragkb.ResourceFilter{}, []*ragkb.Resource{b1, a3, a2, a1}},
		{"failed across tenants", ragkb.ResourceFilter{Status: ragkb.StatusFailed}, []*ragkb.Resource{b1, a2}},
		{"failed of a tenant", ragkb.ResourceFilter{TenantID: a.ID, Status: ragkb.StatusFailed}, []*ragkb.Resource{a2}},
		{"types", ragkb.ResourceFilter{TenantID: a.ID, Types: []ragkb.ResourceType{ragkb.TypePolicy, ragkb.TypeFAQPage}}, []*ragkb.Resource{a3, a1}},
		{"type and status", ragkb.ResourceFilter{Types: []ragkb.ResourceType{ragkb.TypeOffers}, Status: ragkb.StatusFailed}, []*ragkb.Resource{b1, a2}},
		{"limit", ragkb.ResourceFilter{Limit: 2}, []*ragkb.Resource{b1, a3}},
		{"nothing matches", ragkb.ResourceFilter{TenantID: b.ID, Status: ragkb.StatusSuccess}, nil},
		{"unknown tenant", ragkb.ResourceFilter{TenantID: "ten_missing"}, nil},
	} {
		got, err := s.ListResources(ctx, tc.f)
		must(t, err, tc.name)
		if g, w := resourceIDs(got), resourceIDs(tc.want); !slices.Equal(g, w) {
			t.Errorf("%s: ListResources = %v, want %v", tc.name, g, w)
		}
		// The same filter without specs finds the same resources, with
		// their names and kinds.
		f := tc.f
		f.NoSpec = true
		names, err := s.ListResources(ctx, f)
		must(t, err, tc.name+" (names only)")
		if g, w := resourceIDs(names), resourceIDs(tc.want); !slices.Equal(g, w) {
			t.Errorf("%s: ListResources(NoSpec) = %v, want %v", tc.name, g, w)
		}
		for i, r := range names {
			if w := tc.want[i]; r.Name != w.Name || r.TenantID != w.TenantID || r.Type != w.Type || r.Status != w.Status {
				t.Errorf("%s: ListResources(NoSpec)[%d] = %+v, want name %q, tenant %s, type %s, status %s", tc.name, i, r, w.Name, w.TenantID, w.Type, w.Status)
			}
		}
	}
	kb := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: a.ID, Name: "questions", Type: ragkb.TypeKnowledgeBase, Status: ragkb.StatusSuccess,
		KnowledgeBase: &ragkb.KnowledgeBase{Invoice: "Yes, we issue VAT invoices."}, CreatedAt: at(5 * time.Minute), UpdatedAt: t0}
	must(t, s.CreateResource(ctx, kb, nil), "CreateResource knowledge base")
	names, err := s.ListResources(ctx, ragkb.ResourceFilter{TenantID: a.ID, NoSpec: true, Limit: 1})
	must(t, err, "ListResources(NoSpec) of a knowledge base")
	if len(names) != 1 || names[0].ID != kb.ID || names[0].Name != kb.Name || names[0].KnowledgeBase != nil {
		t.Errorf("ListResources(NoSpec) = %+v, want %s without its knowledge base", names, kb.ID)
	}
}

func testResourceSpecRoundTrip(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "Shop")
	for _, tc := range []struct {
		name string
		r    ragkb.Resource
	}{
		{"knowledge base", ragkb.Resource{Type: ragkb.TypeKnowledgeBase, Language: "it", KnowledgeBase: &ragkb.KnowledgeBase{
			DeliveryTime: "2-3 giorni lavorativi", StorePickup: "Sì, a Milano", DeliveryMethods: "GLS, BRT",
			Discounts: "10% con newsletter", StoreLocation: "Via Roma 1", NewProductsOnly: "Sì",
			OriginalProductsOnly: "Sì", Warranty: "24 mesi", Invoice: "Sì, fattura elettronica",
			Custom: []ragkb.CustomQuestion{
				{Question: "Fate spedizioni all'estero?", Answer: "Sì, in tutta l'UE.", Examples: []string{"spedite in Francia?", "consegna 🇫🇷"}},
				{Question: "Posso pagare alla consegna?", Answer: "No."},
			}}}},
		{"faq page", ragkb.Resource{Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{URL: "https://shop.example/faq?lang=de", Sitemap: true, MaxPages: 50}}},
		{"policy inline", ragkb.Resource{Type: ragkb.TypePolicy, Policy: &ragkb.PolicySpec{Title: "Zwroty", Content: "# Zwroty\n\n30 dni na zwrot \"bez\" podania przyczyny.", Format: "markdown"}}},
		{"offers with token", ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: ragkb.SourceAllegro, URL: "https://api.allegro.pl", Token: "secret-token"}}},
		{"orders with token", ragkb.Resource{Type: ragkb.TypeOrders, Orders: &ragkb.OrdersSpec{Source: ragkb.SourceShopify, URL: "https://shop.example", Token: "secret-token",
			Templates: map[string]map[string]string{"shipped": {"pl": "Wysłane: {tracking_url}"}}}}},
		{"no spec", ragkb.Resource{Type: ragkb.TypePolicy}},
	} {
		r := tc.r
		r.ID, r.TenantID, r.Name, r.Status = ragkb.NewID("res"), ten.ID, tc.name, ragkb.StatusProcessing
		r.CreatedAt, r.UpdatedAt = at(time.Microsecond), at(time.Second+time.Microsecond)
		must(t, s.CreateResource(ctx, &r, nil), tc.name+": CreateResource")
		got, err := s.GetResource(ctx, ten.ID, r.ID)
		must(t, err, tc.name+": GetResource")
		if !reflect.DeepEqual(got, &r) {
			t.Errorf("%s: round trip got %+v, want %+v", tc.name, got, &r)
		}
		if got.Orders != nil && got.Orders.Token != "secret-token" {
			t.Errorf("%s: orders token = %q, want it stored", tc.name, got.Orders.Token)
		}
		if got.Offers != nil && got.Offers.Token != "secret-token" {
			t.Errorf("%s: token = %q, want it stored", tc.name, got.Offers.Token)
		}
	}
}

func testDeleteResource(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "Shop")
	r := newResource(t, s, ten.ID, "FAQ", t0)
	keep := newResource(t, s, ten.ID, "Other", t0)
	d1 := newDoc("q1", "Shipping", "We ship parcels with DPD.", "Parcels arrive in two days.")
	d2 := newDoc("q2", "Invoices", "Every order gets an invoice.")
	index(t, s, r, []doc{d1, d2})
	k := newDoc("k1", "Kept", "This zebra text stays.")
	index(t, s, keep, []doc{k})
	// A pending job of the resource goes with it.
	cur, err := s.GetResource(ctx, ten.ID, r.ID)
	must(t, err, "GetResource")
	must(t, s.UpdateResource(ctx, cur, &ragkb.Job{ID: ragkb.NewID("job"), Kind: ragkb.JobRefresh, CreatedAt: t0}), "UpdateResource with job")

	isNotFound(t, s.DeleteResource(ctx, ten.ID, "res_missing"), "DeleteResource(missing)")
	must(t, s.DeleteResource(ctx, ten.ID, r.ID), "DeleteResource")
	if left, err := s.GetChunks(ctx, ten.ID, append(chunkIDs(d1, d2), chunkIDs(k)...)); err != nil {
		t.Fatalf("GetChunks: %v", err)
	} else if len(left) != len(chunkIDs(k)) {
		t.Errorf("after DeleteResource %d chunks are left, want only the %d of the other resource", len(left), len(chunkIDs(k)))
	}
	_, err = s.GetResource(ctx, ten.ID, r.ID)
	isNotFound(t, err, "GetResource after delete")
	isNotFound(t, s.DeleteResource(ctx, ten.ID, r.ID), "DeleteResource twice")
	docs, err := s.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: ten.ID})
	must(t, err, "ListDocuments")
	if len(docs) != 1 || docs[0].ID != k.d.ID {
		t.Errorf("ListDocuments after delete = %d documents, want only %s", len(docs), k.d.ID)
	}
	if got, err := s.GetChunks(ctx, ten.ID, chunkIDs(d1, d2)); err != nil || len(got) != 0 {
		t.Errorf("GetChunks of deleted resource = %d chunks, %v; want none", len(got), err)
	}
	if hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: "DPD parcels invoice", Limit: 10}); err != nil || len(hits) != 0 {
		t.Errorf("SearchLexical after delete = %v, %v; want no hits", hits, err)
	}
	if hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: "zebra", Limit: 10}); err != nil || len(hits) != 1 {
		t.Errorf("SearchLexical(zebra) = %v, %v; want the kept chunk", hits, err)
	}
	// The deleted resource's jobs are gone; only the kept resource's
	// leftover lease from index() remains, and it is held.
	if j, err := claimAt(s, "w", time.Now(), time.Minute); ragkb.ErrorCodeOf(err) != ragkb.ENOTFOUND {
		t.Errorf("ClaimJob after delete = %+v, %v; want ENOTFOUND", j, err)
	}
}
