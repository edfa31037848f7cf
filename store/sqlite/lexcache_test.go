package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// TestLexicalCacheFollowsChanges checks that a store whose chunk terms are
// cached (lexCache) ranks exactly as a store opened afresh on the same file
// after each change: a chunk rewritten in place (its document replaced, and
// the last rowid reused), another added, a document deleted, the resource
// deleted; and that another tenant's search never gets this tenant's
// chunks from the cache.
func TestLexicalCacheFollowsChanges(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ragkb.db")
	s, err := New(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ten := &ragkb.Tenant{Name: "shop"}
	other := &ragkb.Tenant{Name: "other"}
	for _, x := range []*ragkb.Tenant{ten, other} {
		if err := s.CreateTenant(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	r := &ragkb.Resource{TenantID: ten.ID, Name: "faq", Type: ragkb.TypeKnowledgeBase, Status: ragkb.StatusProcessing}
	job := &ragkb.Job{}
	if err := s.CreateResource(ctx, r, job); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimJob(ctx, "t", time.Hour); err != nil {
		t.Fatal(err)
	}
	lease := ragkb.Lease{JobID: job.ID, Owner: "t"}
	docs := map[string]string{} // source id -> document id
	apply := func(texts map[string]string, del ...string) {
		t.Helper()
		c := ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: lease}
		for _, src := range slices.Sorted(func(yield func(string) bool) {
			for k := range texts {
				if !yield(k) {
					return
				}
			}
		}) {
			id, ok := docs[src]
			if !ok {
				id = ragkb.NewID("doc")
				docs[src] = id
			}
			d := &ragkb.Document{ID: id, SourceID: src, Kind: ragkb.DocQA, Title: "FAQ", Text: texts[src]}
			c.Upsert = append(c.Upsert, d)
			c.Chunks = append(c.Chunks, &ragkb.Chunk{ID: "chk_" + src, DocumentID: id, Kind: d.Kind, Title: d.Title, Text: texts[src]})
		}
		for _, src := range del {
			c.Delete = append(c.Delete, docs[src])
		}
		if _, err := s.ApplyIndex(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	queries := []string{"zebra stripes", "lion mane", "parcel delivery", "zebra lion parcel"}
	check := func(step string) {
		t.Helper()
		fresh, err := New(ctx, Config{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		defer fresh.Close()
		for _, q := range queries {
			for range 2 { // the second search is served from the cache
				got, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: q})
				if err != nil {
					t.Fatal(err)
				}
				want, err := fresh.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: q})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: %q: cached store ranks %v, a fresh one %v", step, q, got, want)
				}
			}
			if hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: other.ID, Text: q}); err != nil || len(hits) != 0 {
				t.Errorf("%s: %q: the other tenant got %v, %v", step, q, hits, err)
			}
		}
	}
	apply(map[string]string{"a": "Parcel delivery takes two days", "b": "Zebra stripes are printed"})
	check("indexed")
	apply(map[string]string{"b": "Lion mane brushes, no zebra here"})
	check("last chunk rewritten")
	apply(map[string]string{"c": "Zebra stripes again, lion too"})
	check("chunk added")
	apply(nil, "a")
	check("document deleted")
	if err := s.DeleteResource(ctx, ten.ID, r.ID); err != nil {
		t.Fatal(err)
	}
	check("resource deleted")
}

// TestLexCacheVersions checks the cache's own rules: entries of an older
// tenant version are never served, a rowid found not to be the tenant's is
// remembered as such, and a read older than the cached version is ignored.
func TestLexCacheVersions(t *testing.T) {
	var c lexCache
	cands := map[string]string{}
	if miss := c.get("t1", 1, []int64{1, 2}, cands); !slices.Equal(miss, []int64{1, 2}) || len(cands) != 0 {
		t.Fatalf("empty cache: missing %v, cands %v", miss, cands)
	}
	c.put("t1", 1, []int64{1, 2}, []lexEntry{{seq: 1, id: "chk_1", analyzed: "a\nb"}})
	if miss := c.get("t1", 1, []int64{1, 2, 3}, cands); !slices.Equal(miss, []int64{3}) || len(cands) != 1 || cands["chk_1"] != "a\nb" {
		t.Fatalf("version 1: missing %v, cands %v; want [3] and chk_1 only (rowid 2 is not the tenant's)", miss, cands)
	}
	clear(cands)
	if miss := c.get("t1", 2, []int64{1}, cands); !slices.Equal(miss, []int64{1}) || len(cands) != 0 {
		t.Fatalf("version 2 read from a version 1 cache: missing %v, cands %v", miss, cands)
	}
	if miss := c.get("t2", 1, []int64{1}, cands); !slices.Equal(miss, []int64{1}) || len(cands) != 0 {
		t.Fatalf("another tenant: missing %v, cands %v", miss, cands)
	}
	c.put("t1", 2, []int64{1}, []lexEntry{{seq: 1, id: "chk_9", analyzed: "c"}})
	c.put("t1", 1, []int64{5}, []lexEntry{{seq: 5, id: "chk_5", analyzed: "old"}}) // late read of version 1
	if miss := c.get("t1", 2, []int64{1, 5}, cands); !slices.Equal(miss, []int64{5}) || cands["chk_9"] != "c" || len(cands) != 1 {
		t.Fatalf("version 2: missing %v, cands %v", miss, cands)
	}
	if c.size != 1 {
		t.Errorf("size = %d, want 1 (version 1's entries dropped)", c.size)
	}
}

// TestLexicalCacheAfterReanalysisElsewhere: a second process that
// re-analyses the shared database bumps every tenant's version, so the
// first one's cached terms are not served.
func TestLexicalCacheAfterReanalysisElsewhere(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ragkb.db")
	a, err := New(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	tenantID, ids := fill(t, a, []string{"We issue invoices for every order", "Parcels ship daily"})
	// Stale terms behind the store's back, and an older analysis version.
	if _, err := a.w.ExecContext(ctx, `UPDATE chunks SET analyzed = 'zzz'`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.w.ExecContext(ctx, `UPDATE lexical_analysis SET version = 1`); err != nil {
		t.Fatal(err)
	}
	search := func() []ragkb.ChunkHit {
		t.Helper()
		hits, err := a.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: tenantID, Text: "invoices"})
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}
	if hits := search(); len(hits) > 0 && hits[0].Score > 0 {
		t.Fatalf("SearchLexical with stale terms = %v, want no score (the cache holds them now)", hits)
	}
	b, err := New(ctx, Config{Path: path}) // re-analyses
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if hits := search(); len(hits) == 0 || hits[0].ChunkID != ids[0] || hits[0].Score <= 0 {
		t.Errorf("SearchLexical after another store re-analysed = %v, want %s first with a score", hits, ids[0])
	}
}

// TestTermFilter: a term added is always found; most others are not.
func TestTermFilter(t *testing.T) {
	var f termFilter
	added := []string{"invoic", "faktur", "rechnung", "fattur", "factur", "ship", "a", "zz"}
	for _, a := range added {
		f.add(a)
	}
	for _, a := range added {
		if !f.has(a) {
			t.Errorf("has(%q) = false after add", a)
		}
	}
	others := []string{"order", "deliveri", "parcel", "week", "day", "return", "warranti", "price", "colour", "size", "stock", "pay", "card", "blik", "paypal", "monday"}
	passed := 0
	for _, o := range others {
		if f.has(o) {
			passed++
		}
	}
	if passed > len(others)/4 {
		t.Errorf("%d of %d terms not added pass the filter", passed, len(others))
	}
}
