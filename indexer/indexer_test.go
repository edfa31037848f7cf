package indexer_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/embed"
	"github.com/ragkb/ragkb/indexer"
	"github.com/ragkb/ragkb/retriever"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/ragkb/ragkb/store/vectorindex"
)

// env is the embedded stack: SQLite, the vector index and the local embedder.
type env struct {
	store   *sqlite.Store
	vectors *vectorindex.Store
	emb     *embed.Local
	tenant  string
	res     *ragkb.Resource
	docs    []*ragkb.Document // what the fake connector returns next
	// incomplete and unread are the FetchResult fields of the next fetch.
	incomplete, unread []string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.New(ctx, sqlite.Config{Path: filepath.Join(dir, "db.sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	emb := embed.NewLocal(embed.LocalConfig{})
	vi, err := vectorindex.New(vectorindex.Config{Dir: filepath.Join(dir, "vectors"), Dimensions: emb.Dimensions()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vi.Close() })
	ten := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "Shop", CreatedAt: time.Now().UTC()}
	if err := st.CreateTenant(ctx, ten); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	r := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: ten.ID, Name: "Catalogue", Type: ragkb.TypeOffers, Status: ragkb.StatusProcessing,
		Offers: &ragkb.OffersSpec{Source: "google_feed", URL: "https://shop.example/feed.xml"}, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateResource(ctx, r, &ragkb.Job{ID: ragkb.NewID("job"), TenantID: ten.ID, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	return &env{store: st, vectors: vi, emb: emb, tenant: ten.ID, res: r}
}

func offer(id, title, text string) *ragkb.Document {
	d := &ragkb.Document{SourceID: id, Kind: ragkb.DocOffer, Title: title, Text: text, URL: "https://shop.example/p/" + id}
	d.ComputeHash()
	return d
}

// run claims the resource's job and runs the indexer once.
func (e *env) run(t *testing.T) *ragkb.IndexResult {
	t.Helper()
	res, err := e.try(t, false)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// try runs the indexer once (confirmed or not) and queues the next run,
// whatever the outcome.
func (e *env) try(t *testing.T, confirm bool) (*ragkb.IndexResult, error) {
	t.Helper()
	ctx := context.Background()
	ix, err := indexer.New(indexer.Config{Store: e.store, Vectors: e.vectors, Embedder: e.emb,
		Connector: ragkb.ConnectorFunc(func(context.Context, *ragkb.Resource) (*ragkb.FetchResult, error) {
			return &ragkb.FetchResult{Documents: e.docs, Incomplete: e.incomplete, Unread: e.unread}, nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	job, err := e.store.ClaimJob(ctx, "t", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	l := ragkb.Lease{JobID: job.ID, Owner: "t"}
	r := *e.res
	r.ConfirmShrink = confirm
	res, runErr := ix.Run(ctx, l, &r)
	fresh, _ := e.store.GetResource(ctx, e.tenant, e.res.ID)
	fresh.Status = ragkb.StatusSuccess
	if runErr != nil {
		fresh.Status = ragkb.StatusFailed
	}
	if err := e.store.FinishJob(ctx, l, fresh); err != nil {
		t.Fatal(err)
	}
	// Queue the next run.
	if err := e.store.UpdateResource(ctx, fresh, &ragkb.Job{ID: ragkb.NewID("job"), TenantID: e.tenant, ResourceID: e.res.ID, Kind: ragkb.JobRefresh, CreatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	return res, runErr
}

func TestIncrementalRuns(t *testing.T) {
	e := newEnv(t)
	e.docs = []*ragkb.Document{
		offer("1", "Salomon Speedcross 6", "Trail shoes. Price 499 PLN."),
		offer("2", "Hoka Speedgoat 5", "Cushioned trail shoes. Price 649 PLN."),
		offer("3", "Petzl Actik headlamp", "450 lumens. Price 199 PLN."),
	}
	tests := []struct {
		name   string
		mutate func()
		want   ragkb.RunStats
		vecs   int
	}{
		{"first run adds everything", func() {}, ragkb.RunStats{Added: 3, Embedded: 3}, 3},
		{"same content embeds nothing", func() {}, ragkb.RunStats{Unchanged: 3}, 3},
		{"one price changed", func() { e.docs[1] = offer("2", "Hoka Speedgoat 5", "Cushioned trail shoes. Price 599 PLN.") }, ragkb.RunStats{Changed: 1, Unchanged: 2, Embedded: 1}, 3},
		{"one offer gone, one new", func() {
			e.docs = []*ragkb.Document{e.docs[0], e.docs[1], offer("4", "Black Diamond poles", "Carbon poles. Price 899 PLN.")}
		}, ragkb.RunStats{Added: 1, Removed: 1, Unchanged: 2, Embedded: 1}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.mutate()
			got := e.run(t).Stats
			if got.Added != tt.want.Added || got.Changed != tt.want.Changed || got.Removed != tt.want.Removed ||
				got.Unchanged != tt.want.Unchanged || got.Embedded != tt.want.Embedded {
				t.Fatalf("stats: got %+v, want %+v", got, tt.want)
			}
			if n := e.vectors.Len(e.tenant); n != tt.vecs {
				t.Fatalf("vectors: got %d, want %d (stale vectors must leave the index)", n, tt.vecs)
			}
		})
	}
	// Search sees the new price and the new offer, not the removed one.
	r, _ := retriever.New(retriever.Config{Store: e.store, Vectors: e.vectors, Embedder: e.emb})
	hits, err := r.Search(context.Background(), retriever.Query{TenantID: e.tenant, Text: "Hoka Speedgoat price", TopK: 5})
	if err != nil || len(hits) == 0 || !strings.Contains(hits[0].Chunk.Text, "599 PLN") {
		t.Fatalf("search after changes: got %+v, %v", hits, err)
	}
	for _, h := range hits {
		if strings.Contains(h.Chunk.Title, "Petzl") || strings.Contains(h.Chunk.Text, "649 PLN") {
			t.Fatalf("removed or replaced content still found: %q", h.Chunk.Text)
		}
	}
}

func TestOrphanVectorsAreDropped(t *testing.T) {
	e := newEnv(t)
	e.docs = []*ragkb.Document{offer("1", "Salomon Speedcross 6", "Trail shoes. Price 499 PLN.")}
	e.run(t)
	// A vector whose chunk never made it to the store (a run that crashed
	// between writing vectors and applying) must never be returned.
	v, _ := e.emb.Embed(context.Background(), []string{"Salomon Speedcross 6 trail shoes"})
	if err := e.vectors.Upsert(context.Background(), []ragkb.VectorRecord{{ChunkID: "chk_orphan", TenantID: e.tenant, ResourceID: e.res.ID, DocumentID: "doc_x", Vector: v[0]}}); err != nil {
		t.Fatal(err)
	}
	r, _ := retriever.New(retriever.Config{Store: e.store, Vectors: e.vectors, Embedder: e.emb})
	hits, err := r.Search(context.Background(), retriever.Query{TenantID: e.tenant, Text: "Salomon Speedcross 6 trail shoes", TopK: 5})
	if err != nil || len(hits) != 1 || hits[0].Chunk.ID == "chk_orphan" {
		t.Fatalf("got %d hits (%v); want only the stored chunk", len(hits), err)
	}
}
