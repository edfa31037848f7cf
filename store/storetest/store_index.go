package storetest

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

func testApplyIndex(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "Shop")
	r := newResource(t, s, ten.ID, "Catalogue", t0)
	other := newResource(t, s, ten.ID, "Policies", t0)

	offer := newDoc("sku-1", "Espresso machine", "Espresso machine with milk frother.", "Two year warranty on the pump.")
	offer.d.Kind, offer.d.URL, offer.d.Language = ragkb.DocOffer, "https://shop.example/p/1", "en"
	offer.d.Offer = &ragkb.Offer{ID: "1", Price: "1299.00", SalePrice: "999.00", Currency: "PLN", Availability: "in_stock",
		Condition: "new", Warranty: "24 months", Brand: "Acme", SKU: "AC-1", GTIN: "5901234123457"}
	qa := newDoc("invoice", "Do you issue invoices?", "Yes, we issue VAT invoices.")
	qa.d.Kind, qa.d.Intent, qa.d.Examples = ragkb.DocQA, "invoice", []string{"VAT invoice?", "faktura"}
	qa.d.ComputeHash()
	offer.d.ComputeHash()
	pol := newDoc("p1", "Returns", "Returns within 30 days.")
	index(t, s, other, []doc{pol})

	removed := index(t, s, r, []doc{offer, qa})
	if len(removed) != 0 {
		t.Errorf("first ApplyIndex removed %v, want nothing", removed)
	}
	got, err := s.GetResource(ctx, ten.ID, r.ID)
	must(t, err, "GetResource")
	if got.Documents != 2 || got.Chunks != 3 {
		t.Errorf("resource counts = %d documents, %d chunks; want 2, 3", got.Documents, got.Chunks)
	}

	docs, err := s.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: ten.ID, ResourceIDs: []string{r.ID}})
	must(t, err, "ListDocuments")
	wantDocs := []*ragkb.Document{qa.d, offer.d} // ordered by source id: "invoice" < "sku-1"
	for _, d := range wantDocs {
		d.TenantID, d.ResourceID = ten.ID, r.ID
	}
	if !reflect.DeepEqual(docs, wantDocs) {
		t.Errorf("ListDocuments = %+v, want %+v", docs, wantDocs)
	}
	for _, tc := range []struct {
		name string
		f    ragkb.DocumentFilter
		want []string
	}{
		{"whole tenant, by resource then source", ragkb.DocumentFilter{TenantID: ten.ID}, docOrder(r, other, []doc{qa, offer}, []doc{pol})},
		{"kind", ragkb.DocumentFilter{TenantID: ten.ID, Kind: ragkb.DocOffer}, []string{offer.d.ID}},
		{"resource and kind", ragkb.DocumentFilter{TenantID: ten.ID, ResourceIDs: []string{other.ID}, Kind: ragkb.DocPage}, []string{pol.d.ID}},
		{"no match", ragkb.DocumentFilter{TenantID: ten.ID, ResourceIDs: []string{other.ID}, Kind: ragkb.DocQA}, nil},
	} {
		docs, err := s.ListDocuments(ctx, tc.f)
		must(t, err, tc.name)
		var ids []string
		for _, d := range docs {
			ids = append(ids, d.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: ListDocuments = %v, want %v", tc.name, ids, tc.want)
		}
	}

	chunks, err := s.GetChunks(ctx, ten.ID, append(chunkIDs(offer, qa), "chk_unknown"))
	must(t, err, "GetChunks")
	slices.SortFunc(chunks, func(a, b *ragkb.Chunk) int { return strings.Compare(a.ID, b.ID) })
	var want []*ragkb.Chunk
	for _, c := range append(slices.Clone(offer.chunks), qa.chunks...) {
		c.TenantID, c.ResourceID = ten.ID, r.ID
		want = append(want, c)
	}
	slices.SortFunc(want, func(a, b *ragkb.Chunk) int { return strings.Compare(a.ID, b.ID) })
	if !reflect.DeepEqual(chunks, want) {
		t.Errorf("GetChunks = %+v, want %+v", chunks, want)
	}

	// Second run: the offer changed (new chunks), the QA is gone.
	offer2 := doc{offer.d, nil}
	offer2.d.Text, offer2.d.Offer.Price = "Espresso machine, now with grinder.", "1399.00"
	offer2.d.ComputeHash()
	offer2.chunks = []*ragkb.Chunk{{ID: ragkb.NewID("chk"), DocumentID: offer.d.ID, Kind: ragkb.DocOffer,
		Title: "Espresso machine", Text: "Espresso machine with a built-in burr grinder."}}
	removed = index(t, s, r, []doc{offer2}, qa.d.ID)
	if got, want := sorted(removed), chunkIDs(offer, qa); !slices.Equal(got, want) {
		t.Errorf("second ApplyIndex removed %v, want %v", got, want)
	}
	got, err = s.GetResource(ctx, ten.ID, r.ID)
	must(t, err, "GetResource")
	if got.Documents != 1 || got.Chunks != 1 {
		t.Errorf("resource counts after second run = %d documents, %d chunks; want 1, 1", got.Documents, got.Chunks)
	}
	if got, err := s.GetChunks(ctx, ten.ID, chunkIDs(offer, qa)); err != nil || len(got) != 0 {
		t.Errorf("GetChunks(old ids) = %d chunks, %v; want none", len(got), err)
	}
	docs, err = s.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: ten.ID, ResourceIDs: []string{r.ID}})
	must(t, err, "ListDocuments")
	if len(docs) != 1 || docs[0].Offer == nil || docs[0].Offer.Price != "1399.00" || docs[0].Hash != offer2.d.Hash {
		t.Errorf("ListDocuments after second run = %+v, want the updated offer", docs)
	}
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"new text is searchable", "grinder", chunkIDs(offer2)},
		{"replaced text is gone", "frother pump", nil},
		{"deleted document is gone", "VAT invoices", nil},
	} {
		hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, ResourceIDs: []string{r.ID}, Text: tc.query, Limit: 10})
		must(t, err, tc.name)
		if got := sorted(hitIDs(hits)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: SearchLexical(%q) = %v, want %v", tc.name, tc.query, got, tc.want)
		}
	}
	// The other resource was not touched.
	got, err = s.GetResource(ctx, ten.ID, other.ID)
	must(t, err, "GetResource(other)")
	if got.Documents != 1 || got.Chunks != 1 {
		t.Errorf("other resource counts = %d, %d; want 1, 1", got.Documents, got.Chunks)
	}

	// Chunks must belong to upserted documents of the change.
	stray := ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: lease(t, s, r),
		Chunks: []*ragkb.Chunk{{ID: ragkb.NewID("chk"), DocumentID: "doc_elsewhere", Kind: ragkb.DocPage, Text: "x"}}}
	if _, err := s.ApplyIndex(ctx, stray); err == nil {
		t.Errorf("ApplyIndex with a chunk of no upserted document succeeded, want an error")
	}
}

// docOrder returns the ids of d1 (documents of r1) and d2 (of r2), the
// group of the resource with the smaller id first, as ListDocuments orders.
func docOrder(r1, r2 *ragkb.Resource, d1, d2 []doc) []string {
	groups := [][]doc{d1, d2}
	if r2.ID < r1.ID {
		groups = [][]doc{d2, d1}
	}
	var ids []string
	for _, g := range groups {
		for _, d := range g {
			ids = append(ids, d.d.ID)
		}
	}
	return ids
}

// testApplyIndexReusedChunkIDs checks that a chunk id written again by the
// same change is not reported as removed: deleting it from the vector store
// would drop the new vector.
func testApplyIndexReusedChunkIDs(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "Shop")
	r := newResource(t, s, ten.ID, "FAQ", t0)
	d := newDoc("q", "Payment", "We accept cards.", "And bank transfers.")
	index(t, s, r, []doc{d})
	kept, dropped := d.chunks[0], d.chunks[1]
	d2 := doc{d.d, []*ragkb.Chunk{{ID: kept.ID, DocumentID: d.d.ID, Kind: ragkb.DocPage, Title: "Payment", Text: "We accept cards and BLIK."}}}
	removed := index(t, s, r, []doc{d2})
	if want := []string{dropped.ID}; !slices.Equal(removed, want) {
		t.Errorf("ApplyIndex removed %v, want %v (the re-written id %s is not removed)", removed, want, kept.ID)
	}
	chunks, err := s.GetChunks(ctx, ten.ID, []string{kept.ID})
	must(t, err, "GetChunks")
	if len(chunks) != 1 || chunks[0].Text != "We accept cards and BLIK." {
		t.Errorf("GetChunks(re-written) = %+v, want the new text", chunks)
	}
	hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: "BLIK", Limit: 5})
	must(t, err, "SearchLexical")
	if !slices.Equal(hitIDs(hits), []string{kept.ID}) {
		t.Errorf("SearchLexical(BLIK) = %v, want [%s]", hitIDs(hits), kept.ID)
	}
}

func testApplyIndexLeaseLost(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "Shop")
	r := newResource(t, s, ten.ID, "FAQ", t0)
	d := newDoc("q", "Shipping", "Parcels leave the warehouse daily.")
	change := func(l ragkb.Lease) ragkb.IndexChange {
		return ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: l, Upsert: []*ragkb.Document{d.d}, Chunks: d.chunks}
	}
	v0, err := s.TenantVersion(ctx, ten.ID)
	must(t, err, "TenantVersion")

	enqueue := func() *ragkb.Job {
		cur, err := s.GetResource(ctx, ten.ID, r.ID)
		must(t, err, "GetResource")
		job := &ragkb.Job{ID: ragkb.NewID("job"), Kind: ragkb.JobIndex, CreatedAt: t0}
		must(t, s.UpdateResource(ctx, cur, job), "UpdateResource with job")
		return job
	}
	enqueue()
	// Claimed an hour ago for a minute: the lease has expired.
	j, err := claimAt(s, "w1", time.Now().Add(-time.Hour), time.Minute)
	must(t, err, "ClaimJob")
	setClock(s, time.Now()) // the store checks the lease with its own clock
	expired := ragkb.Lease{JobID: j.ID, Owner: "w1"}
	_, err = s.ApplyIndex(ctx, change(expired))
	wantCode(t, err, ragkb.ECONFLICT, "expired lease of the current job")

	enqueue()
	j2, err := claimAt(s, "w2", time.Now(), time.Hour)
	must(t, err, "ClaimJob")
	live := ragkb.Lease{JobID: j2.ID, Owner: "w2"}

	for _, tc := range []struct {
		name string
		l    ragkb.Lease
	}{
		{"lease of a removed job", expired},
		{"wrong owner", ragkb.Lease{JobID: j2.ID, Owner: "w1"}},
		{"unknown job", ragkb.Lease{JobID: "job_missing", Owner: "w2"}},
		{"empty lease", ragkb.Lease{}},
	} {
		_, err := s.ApplyIndex(ctx, change(tc.l))
		wantCode(t, err, ragkb.ECONFLICT, tc.name)
	}
	// A lease of another resource's job does not cover this resource.
	r2 := newResource(t, s, ten.ID, "Other", t0)
	l2 := lease(t, s, r2)
	_, err = s.ApplyIndex(ctx, change(l2))
	wantCode(t, err, ragkb.ECONFLICT, "lease of another resource")

	// Nothing was written.
	if docs, err := s.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: ten.ID}); err != nil || len(docs) != 0 {
		t.Errorf("ListDocuments after lost leases = %d, %v; want none", len(docs), err)
	}
	if hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: "warehouse", Limit: 5}); err != nil || len(hits) != 0 {
		t.Errorf("SearchLexical after lost leases = %v, %v; want none", hits, err)
	}
	if v, err := s.TenantVersion(ctx, ten.ID); err != nil || v != v0 {
		t.Errorf("TenantVersion after lost leases = %d, %v; want %d", v, err, v0)
	}

	// The live lease works, until the job is replaced by an update.
	if _, err := s.ApplyIndex(ctx, change(live)); err != nil {
		t.Fatalf("ApplyIndex with a live lease: %v", err)
	}
	enqueue()
	_, err = s.ApplyIndex(ctx, change(live))
	wantCode(t, err, ragkb.ECONFLICT, "lease of a replaced job")
}

func testTenantVersion(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten, other := newTenant(t, s, "Shop"), newTenant(t, s, "Other")
	r := newResource(t, s, ten.ID, "FAQ", t0)
	version := func(id string) int64 {
		t.Helper()
		v, err := s.TenantVersion(ctx, id)
		must(t, err, "TenantVersion")
		return v
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"ApplyIndex", func() { index(t, s, r, []doc{newDoc("a", "A", "alpha")}) }},
		{"CreateIntent", func() {
			must(t, s.CreateIntent(ctx, &ragkb.IntentDef{TenantID: ten.ID, Name: "greeting", Examples: []string{"hi"}, Tier: "fast", CreatedAt: t0}), "CreateIntent")
		}},
		{"DeleteIntent", func() { must(t, s.DeleteIntent(ctx, ten.ID, "greeting"), "DeleteIntent") }},
		{"DeleteResource", func() {
			err := s.DeleteResource(ctx, ten.ID, r.ID)
			must(t, err, "DeleteResource")
		}},
	}
	otherV := version(other.ID)
	for _, st := range steps {
		before := version(ten.ID)
		st.do()
		if after := version(ten.ID); after <= before {
			t.Errorf("%s: TenantVersion %d -> %d, want it bumped", st.name, before, after)
		}
	}
	if v := version(other.ID); v != otherV {
		t.Errorf("other tenant's version changed %d -> %d", otherV, v)
	}
}
