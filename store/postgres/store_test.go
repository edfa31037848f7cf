package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/postgres"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func mustTenant(t *testing.T, s *postgres.Store, name string) *ragkb.Tenant {
	t.Helper()
	ten := &ragkb.Tenant{Name: name}
	if err := s.CreateTenant(context.Background(), ten); err != nil {
		t.Fatalf("CreateTenant: %v", err)
	}
	return ten
}

func mustResource(t *testing.T, s *postgres.Store, tenantID string, job *ragkb.Job) *ragkb.Resource {
	t.Helper()
	r := &ragkb.Resource{TenantID: tenantID, Name: "FAQ", Type: ragkb.TypePolicy, Status: ragkb.StatusProcessing,
		Policy: &ragkb.PolicySpec{Content: "x"}, Warnings: []string{"w1"}}
	if err := s.CreateResource(context.Background(), r, job); err != nil {
		t.Fatalf("CreateResource: %v", err)
	}
	return r
}

func TestMigrateIsIdempotent(t *testing.T) {
	u := schemaURL(t)
	for i := range 2 {
		if err := postgres.Migrate(context.Background(), u); err != nil {
			t.Fatalf("Migrate #%d: %v", i+1, err)
		}
	}
	s := openStore(t, u, 8)
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	openStore(t, u, 8) // the vectors table exists with the same dimensions
}

func TestNewRefusesOtherDimensions(t *testing.T) {
	u := schemaURL(t)
	openStore(t, u, 8)
	_, err := postgres.New(context.Background(), postgres.Config{URL: u, Dimensions: 16})
	if got, want := ragkb.ErrorCodeOf(err), ragkb.EINVALID; got != want {
		t.Fatalf("New with other dimensions: code %q (%v), want %q", got, err, want)
	}
	if got, want := ragkb.ErrorField(err), "Dimensions"; got != want {
		t.Errorf("field %q, want %q", got, want)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name  string
		cfg   postgres.Config
		field string
	}{
		{name: "ok", cfg: postgres.Config{URL: "postgres://x"}},
		{name: "no url", cfg: postgres.Config{}, field: "URL"},
		{name: "negative dims", cfg: postgres.Config{URL: "postgres://x", Dimensions: -1}, field: "Dimensions"},
		{name: "huge ef", cfg: postgres.Config{URL: "postgres://x", EfSearch: 5000}, field: "EfSearch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if got, want := ragkb.ErrorField(err), tt.field; got != want {
				t.Errorf("Validate() field = %q (%v), want %q", got, err, want)
			}
		})
	}
}

func TestUnreachableIsUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Port 1 on localhost refuses connections.
	_, err := postgres.New(ctx, postgres.Config{URL: "postgres://x@127.0.0.1:1/db?sslmode=disable&connect_timeout=2"})
	if got, want := ragkb.ErrorCodeOf(err), ragkb.EUNAVAILABLE; got != want {
		t.Fatalf("New on a closed port: code %q (%v), want %q", got, err, want)
	}
}

func TestErrorCodes(t *testing.T) {
	s := newStore(t, 0)
	ctx := context.Background()
	ten := mustTenant(t, s, "shop")
	tests := []struct {
		name string
		err  error
		want ragkb.ErrorCode
	}{
		{name: "duplicate tenant name", err: s.CreateTenant(ctx, &ragkb.Tenant{Name: "shop"}), want: ragkb.ECONFLICT},
		{name: "duplicate tenant id", err: s.CreateTenant(ctx, &ragkb.Tenant{ID: ten.ID, Name: "other"}), want: ragkb.ECONFLICT},
		{name: "resource of unknown tenant", err: s.CreateResource(ctx, &ragkb.Resource{TenantID: "ten_nope", Name: "x",
			Type: ragkb.TypePolicy, Status: ragkb.StatusProcessing}, nil), want: ragkb.ENOTFOUND},
		{name: "missing resource", err: func() error { _, err := s.GetResource(ctx, ten.ID, "res_nope"); return err }(), want: ragkb.ENOTFOUND},
		{name: "missing tenant", err: func() error { _, err := s.GetTenant(ctx, "ten_nope"); return err }(), want: ragkb.ENOTFOUND},
		{name: "no job to claim", err: func() error { _, err := s.ClaimJob(ctx, "w1", time.Minute); return err }(), want: ragkb.ENOTFOUND},
		// A NUL in a customer's question is dropped, never the event (issue 15, row 6).
		{name: "text with NUL", err: s.CreateEvent(ctx, &ragkb.Event{TenantID: ten.ID, Type: ragkb.EventAgentRequested,
			Question: "a\x00b"}), want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ragkb.ErrorCodeOf(tt.err); got != tt.want {
				t.Errorf("code = %q (%v), want %q", got, tt.err, tt.want)
			}
		})
	}
}

func TestResourceRoundTrip(t *testing.T) {
	s := newStore(t, 0)
	ctx := context.Background()
	ten := mustTenant(t, s, "shop")
	r := mustResource(t, s, ten.ID, nil)
	idx := t0.Add(time.Hour)
	r.LastRun = &ragkb.RunStats{Added: 3, StartedAt: t0, Duration: 12.5}
	r.IndexedAt = &idx
	r.Status = ragkb.StatusSuccess
	if err := s.UpdateResource(ctx, r, nil); err != nil {
		t.Fatalf("UpdateResource: %v", err)
	}
	got, err := s.GetResource(ctx, "", r.ID)
	if err != nil {
		t.Fatalf("GetResource: %v", err)
	}
	if got.Policy == nil || got.Policy.Content != "x" || got.LastRun == nil || got.LastRun.Added != 3 ||
		!got.LastRun.StartedAt.Equal(t0) || got.IndexedAt == nil || !got.IndexedAt.Equal(idx) ||
		!slices.Equal(got.Warnings, []string{"w1"}) || got.Status != ragkb.StatusSuccess || got.Offers != nil {
		t.Errorf("GetResource = %+v, want the saved fields back", got)
	}
	if _, err := s.GetResource(ctx, "ten_other", r.ID); !ragkb.IsNotFound(err) {
		t.Errorf("GetResource of another tenant: %v, want ENOTFOUND", err)
	}
}

// TestConcurrentClaimers has two pools (as two worker processes would) with
// several goroutines each claim jobs until none is left: every job must be
// claimed exactly once.
func TestConcurrentClaimers(t *testing.T) {
	u := schemaURL(t)
	a, b := openStore(t, u, 0), openStore(t, u, 0)
	ctx := context.Background()
	ten := mustTenant(t, a, "shop")
	const jobs = 60
	want := make([]string, 0, jobs)
	for i := range jobs {
		j := &ragkb.Job{Kind: ragkb.JobIndex, CreatedAt: t0.Add(time.Duration(i) * time.Second)}
		mustResource(t, a, ten.ID, j)
		want = append(want, j.ID)
	}
	var mu sync.Mutex
	claimed := map[string]string{}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 16 {
		s := a
		if w%2 == 1 {
			s = b
		}
		owner := fmt.Sprintf("worker-%d", w)
		wg.Go(func() {
			for {
				j, err := s.ClaimJob(ctx, owner, time.Hour)
				if ragkb.IsNotFound(err) {
					return
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				if prev, dup := claimed[j.ID]; dup {
					errs <- fmt.Errorf("job %s claimed by %s and %s", j.ID, prev, owner)
				}
				claimed[j.ID] = owner
				mu.Unlock()
				if j.LeaseOwner != owner || j.Attempts != 1 {
					errs <- fmt.Errorf("claimed job %+v, want owner %s and 1 attempt", j, owner)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := make([]string, 0, len(claimed))
	for id := range claimed {
		got = append(got, id)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("claimed %d jobs, want each of the %d exactly once", len(got), len(want))
	}
}

func TestLeaseLostWritesNothing(t *testing.T) {
	// The store's clock: leases are taken and checked with it.
	var mu sync.Mutex
	now := t0
	s := openStoreClock(t, schemaURL(t), 0, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	ctx := context.Background()
	ten := mustTenant(t, s, "shop")
	r := mustResource(t, s, ten.ID, &ragkb.Job{Kind: ragkb.JobIndex, CreatedAt: t0})
	j, err := s.ClaimJob(ctx, "w1", time.Minute)
	if err != nil {
		t.Fatalf("ClaimJob: %v", err)
	}
	if !j.LeaseUntil.Equal(t0.Add(time.Minute)) {
		t.Errorf("LeaseUntil = %v, want the store's now + lease, %v", j.LeaseUntil, t0.Add(time.Minute))
	}
	// The lease expires and another worker takes the job over.
	setNow(t0.Add(2 * time.Minute))
	j2, err := s.ClaimJob(ctx, "w2", time.Minute)
	if err != nil || j2.ID != j.ID || j2.Attempts != 2 {
		t.Fatalf("takeover ClaimJob = %+v, %v; want job %s with 2 attempts", j2, err, j.ID)
	}
	lost := ragkb.Lease{JobID: j.ID, Owner: "w1"}
	doc := &ragkb.Document{ID: "doc_1", SourceID: "s1", Kind: ragkb.DocPage, Title: "t", Text: "refund policy"}
	_, err = s.ApplyIndex(ctx, ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: lost,
		Upsert: []*ragkb.Document{doc}, Chunks: []*ragkb.Chunk{{ID: "chk_1", DocumentID: doc.ID, Kind: ragkb.DocPage, Text: "refund"}}})
	if got, want := ragkb.ErrorCodeOf(err), ragkb.ECONFLICT; got != want {
		t.Fatalf("ApplyIndex with a lost lease: code %q (%v), want %q", got, err, want)
	}
	docs, err := s.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: ten.ID})
	if err != nil || len(docs) != 0 {
		t.Errorf("ListDocuments after a refused ApplyIndex = %d docs, %v; want none", len(docs), err)
	}
	for name, err := range map[string]error{
		"FinishJob":   s.FinishJob(ctx, lost, r),
		"ExtendLease": s.ExtendLease(ctx, lost, time.Hour),
		"ReleaseJob":  s.ReleaseJob(ctx, lost),
	} {
		if got, want := ragkb.ErrorCodeOf(err), ragkb.ECONFLICT; got != want {
			t.Errorf("%s with a lost lease: code %q (%v), want %q", name, got, err, want)
		}
	}
	if err := s.FinishJob(ctx, ragkb.Lease{JobID: j.ID, Owner: "w2"}, r); err != nil {
		t.Errorf("FinishJob by the lease holder: %v", err)
	}
}

func TestSearchLexical(t *testing.T) {
	s := newStore(t, 0)
	ctx := context.Background()
	ten := mustTenant(t, s, "shop")
	other := mustTenant(t, s, "other")
	r := mustResource(t, s, ten.ID, &ragkb.Job{Kind: ragkb.JobIndex, CreatedAt: t0})
	ro := mustResource(t, s, other.ID, &ragkb.Job{Kind: ragkb.JobIndex, CreatedAt: t0.Add(time.Second)})
	index := func(owner string, tenantID, resourceID string, chunks map[string]string) {
		t.Helper()
		j, err := s.ClaimJob(ctx, owner, time.Hour)
		if err != nil {
			t.Fatalf("ClaimJob: %v", err)
		}
		c := ragkb.IndexChange{TenantID: tenantID, ResourceID: j.ResourceID, Lease: ragkb.Lease{JobID: j.ID, Owner: owner}}
		if j.ResourceID != resourceID {
			t.Fatalf("claimed job of %s, want %s", j.ResourceID, resourceID)
		}
		for id, text := range chunks {
			d := &ragkb.Document{ID: "doc_" + id, SourceID: id, Kind: ragkb.DocPage, Title: id, Text: text}
			c.Upsert = append(c.Upsert, d)
			c.Chunks = append(c.Chunks, &ragkb.Chunk{ID: id, DocumentID: d.ID, Kind: ragkb.DocPage, Title: "", Text: text})
		}
		if _, err := s.ApplyIndex(ctx, c); err != nil {
			t.Fatalf("ApplyIndex: %v", err)
		}
	}
	index("w1", ten.ID, r.ID, map[string]string{
		"c_warranty": "Die Gewährleistung beträgt zwei Jahre.",
		"c_zloty":    "Ceny podajemy w złotych; płatność kartą.",
		"c_returns":  "Returns are free within 30 days. Returns need the receipt.",
		"c_shipping": "Shipping takes 2 days.",
		"c_free":     "Free shipping on orders over 100 zł.",
	})
	index("w1", other.ID, ro.ID, map[string]string{"c_other": "Returns are free forever."})

	tests := []struct {
		name      string
		text      string
		resources []string
		want      []string
	}{
		{name: "diacritics folded both ways", text: "gewahrleistung", want: []string{"c_warranty"}},
		{name: "query with diacritics", text: "Gewährleistung?", want: []string{"c_warranty"}},
		{name: "polish l with stroke", text: "złotych", want: []string{"c_zloty"}},
		{name: "polish l typed without stroke", text: "zlotych", want: []string{"c_zloty"}},
		{name: "rarer term first, then shorter chunks", text: "returns shipping", want: []string{"c_returns", "c_shipping", "c_free"}},
		{name: "stopwords only still searched", text: "the", want: []string{"c_returns"}},
		{name: "other tenant never returned", text: "forever", want: nil},
		{name: "resource filter", text: "returns", resources: []string{"res_none"}, want: nil},
		{name: "resource filter match", text: "returns", resources: []string{r.ID}, want: []string{"c_returns"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: tt.text, ResourceIDs: tt.resources, Limit: 10})
			if err != nil {
				t.Fatalf("SearchLexical(%q): %v", tt.text, err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.ChunkID)
				if h.Score <= 0 {
					t.Errorf("hit %s score %v, want > 0", h.ChunkID, h.Score)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("SearchLexical(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// hostileQueries are inputs that would be tsquery syntax errors if passed
// through to to_tsquery unquoted.
var hostileQueries = []string{
	"", "'", "''", `\`, `\'`, "a & b", "a | | b", "!!!", "(", "foo:*", "foo:ABCD", "<->", "a <2> b",
	"it's", "don't stop", "x\x00y", "\xff\xfe", "🙂 refund 🙂", "ŁÓDŹ", "1 | 2 & !(3)", "'; DROP TABLE chunks; --",
}

func TestSearchLexicalHostileInput(t *testing.T) {
	s := newStore(t, 0)
	ten := mustTenant(t, s, "shop")
	for _, q := range hostileQueries {
		if _, err := s.SearchLexical(context.Background(), ragkb.LexicalQuery{TenantID: ten.ID, Text: q}); err != nil {
			t.Errorf("SearchLexical(%q): %v", q, err)
		}
	}
}

func FuzzSearchLexical(f *testing.F) {
	for _, q := range hostileQueries {
		f.Add(q)
	}
	s := newStore(f, 0)
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := s.SearchLexical(context.Background(), ragkb.LexicalQuery{TenantID: "ten_x", Text: q}); err != nil {
			t.Errorf("SearchLexical(%q): %v", q, err)
		}
	})
}

func TestApplyIndexReportsOnlyChunksGone(t *testing.T) {
	s := newStore(t, 0)
	ctx := context.Background()
	ten := mustTenant(t, s, "shop")
	r := mustResource(t, s, ten.ID, &ragkb.Job{Kind: ragkb.JobIndex, CreatedAt: t0})
	other := mustResource(t, s, ten.ID, nil)
	j, err := s.ClaimJob(ctx, "w1", time.Hour)
	if err != nil {
		t.Fatalf("ClaimJob: %v", err)
	}
	lease := ragkb.Lease{JobID: j.ID, Owner: "w1"}
	apply := func(docID string, chunkIDs ...string) ([]string, error) {
		d := &ragkb.Document{ID: docID, SourceID: docID, Kind: ragkb.DocPage, Title: "t", Text: "x"}
		c := ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: lease, Upsert: []*ragkb.Document{d}}
		for i, id := range chunkIDs {
			c.Chunks = append(c.Chunks, &ragkb.Chunk{ID: id, DocumentID: d.ID, Ordinal: i, Kind: ragkb.DocPage, Text: id})
		}
		return s.ApplyIndex(ctx, c)
	}
	if _, err := apply("doc_a", "chk_1", "chk_2", "chk_3"); err != nil {
		t.Fatalf("first ApplyIndex: %v", err)
	}
	removed, err := apply("doc_a", "chk_1", "chk_4")
	if err != nil {
		t.Fatalf("second ApplyIndex: %v", err)
	}
	if got, want := removed, []string{"chk_2", "chk_3"}; !slices.Equal(got, want) {
		t.Errorf("removed = %v, want %v (chk_1 is written again)", got, want)
	}
	got, err := s.GetResource(ctx, ten.ID, r.ID)
	if err != nil || got.Documents != 1 || got.Chunks != 2 {
		t.Errorf("resource counts = %d documents, %d chunks (%v); want 1, 2", got.Documents, got.Chunks, err)
	}
	// A document id of another resource is not taken over.
	j2 := &ragkb.Job{Kind: ragkb.JobIndex}
	if err := s.UpdateResource(ctx, other, j2); err != nil {
		t.Fatalf("UpdateResource: %v", err)
	}
	if _, err := s.ClaimJob(ctx, "w2", time.Hour); err != nil {
		t.Fatalf("ClaimJob: %v", err)
	}
	_, err = s.ApplyIndex(ctx, ragkb.IndexChange{TenantID: ten.ID, ResourceID: other.ID, Lease: ragkb.Lease{JobID: j2.ID, Owner: "w2"},
		Upsert: []*ragkb.Document{{ID: "doc_a", SourceID: "a", Kind: ragkb.DocPage}}})
	if got, want := ragkb.ErrorCodeOf(err), ragkb.ECONFLICT; got != want {
		t.Errorf("ApplyIndex taking another resource's document: code %q (%v), want %q", got, err, want)
	}
}

// TestSearchLexicalCommonTerms checks the candidate restriction by term
// statistics: a term common in the table (another tenant's boilerplate)
// must not hide a tenant's only chunk that has it.
func TestSearchLexicalCommonTerms(t *testing.T) {
	u := schemaURL(t)
	s := openStore(t, u, 0)
	ctx := context.Background()
	big, small := mustTenant(t, s, "big"), mustTenant(t, s, "small")
	index := func(tenantID string, texts map[string]string) {
		t.Helper()
		r := mustResource(t, s, tenantID, &ragkb.Job{Kind: ragkb.JobIndex})
		j, err := s.ClaimJob(ctx, "w", time.Hour)
		if err != nil {
			t.Fatalf("ClaimJob: %v", err)
		}
		c := ragkb.IndexChange{TenantID: tenantID, ResourceID: r.ID, Lease: ragkb.Lease{JobID: j.ID, Owner: "w"}}
		for id, text := range texts {
			d := &ragkb.Document{ID: "doc_" + id, SourceID: id, Kind: ragkb.DocPage, Text: text}
			c.Upsert = append(c.Upsert, d)
			c.Chunks = append(c.Chunks, &ragkb.Chunk{ID: id, DocumentID: d.ID, Kind: ragkb.DocPage, Text: text})
		}
		if _, err := s.ApplyIndex(ctx, c); err != nil {
			t.Fatalf("ApplyIndex: %v", err)
		}
	}
	offers := map[string]string{}
	for i := range 400 {
		offers[fmt.Sprintf("big_%03d", i)] = fmt.Sprintf("Product model%d. Free delivery, warranty included.", i)
	}
	index(big.ID, offers)
	index(small.ID, map[string]string{
		"small_warranty": "Our warranty lasts two years.",
		"small_iphone":   "Cases for the iPhone.",
	})
	if err := execSQL(ctx, u, `ANALYZE chunks`); err != nil {
		t.Fatalf("ANALYZE: %v", err)
	}
	tests := []struct {
		name   string
		tenant string
		text   string
		limit  int
		want   []string
	}{
		{name: "rare term selects, common term ranks", tenant: big.ID, text: "warranty model7", limit: 1, want: []string{"big_007"}},
		{name: "few rare hits fall back to all terms", tenant: small.ID, text: "iphone warranty", limit: 10,
			want: []string{"small_iphone", "small_warranty"}},
		{name: "only common terms are all required", tenant: big.ID, text: "delivery warranty", limit: 500, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: tt.tenant, Text: tt.text, Limit: tt.limit})
			if err != nil {
				t.Fatalf("SearchLexical: %v", err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.ChunkID)
			}
			if tt.want == nil {
				if len(got) != 400 {
					t.Errorf("SearchLexical(%q) = %d hits, want all 400 offers", tt.text, len(got))
				}
				return
			}
			slices.Sort(got)
			if tt.limit == 1 {
				got = got[:min(1, len(got))]
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("SearchLexical(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// TestReanalyze opens a database whose lexical vectors were built by an
// older analysis (here: none) and checks that they are rebuilt, stemmed:
// "invoice" finds "invoices", "ordered" finds "order".
func TestReanalyze(t *testing.T) {
	ctx := context.Background()
	u := schemaURL(t)
	s := openStore(t, u, 0)
	ten := mustTenant(t, s, "shop")
	mustResource(t, s, ten.ID, &ragkb.Job{Kind: ragkb.JobIndex, CreatedAt: testNow})
	j, err := s.ClaimJob(ctx, "w1", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c := ragkb.IndexChange{TenantID: ten.ID, ResourceID: j.ResourceID, Lease: ragkb.Lease{JobID: j.ID, Owner: "w1"}}
	for id, text := range map[string]string{"c_invoice": "We issue invoices for every order.", "c_ship": "Parcels ship daily."} {
		d := &ragkb.Document{ID: "doc_" + id, SourceID: id, Kind: ragkb.DocPage, Title: id, Text: text, Language: "en"}
		c.Upsert = append(c.Upsert, d)
		c.Chunks = append(c.Chunks, &ragkb.Chunk{ID: id, DocumentID: d.ID, Kind: ragkb.DocPage, Text: text, Language: "en"})
	}
	if _, err := s.ApplyIndex(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := execSQL(ctx, u, `UPDATE chunks SET tsv = NULL; UPDATE lexical_analysis SET version = 1`); err != nil {
		t.Fatal(err)
	}
	if hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: "invoice"}); err != nil || len(hits) != 0 {
		t.Fatalf("before re-analysis: %v, %v; want no hits", hits, err)
	}
	s2 := openStore(t, u, 0)
	for q, want := range map[string]string{"invoice": "c_invoice", "ordered": "c_invoice", "shipping": "c_ship"} {
		hits, err := s2.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: q})
		if err != nil || len(hits) == 0 || hits[0].ChunkID != want {
			t.Errorf("SearchLexical(%q) = %v, %v; want %s first", q, hits, err, want)
		}
	}
}
