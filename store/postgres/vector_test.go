package postgres_test

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/postgres"
	"github.com/ragkb/ragkb/store/storetest"
)

func TestVectorStoreConformance(t *testing.T) {
	storetest.RunVectorStore(t, func(t *testing.T, dims int) ragkb.VectorStore {
		return newStore(t, dims).Vectors()
	})
}

func TestVectorsDisabledWithoutDimensions(t *testing.T) {
	v := newStore(t, 0).Vectors()
	_, err := v.Search(t.Context(), ragkb.VectorQuery{TenantID: "ten_a", Vector: []float32{1, 0}, K: 1})
	if err == nil {
		t.Fatal("Search on a store without dimensions succeeded, want an error")
	}
}

// TestSearchHNSWPath searches a tenant big enough (over 10,000 rows) for
// Search to use the HNSW index rather than an exact scan, with another
// tenant's vectors right next to the query: results must stay within the
// tenant and resource and match brute force closely.
func TestSearchHNSWPath(t *testing.T) {
	if testing.Short() {
		t.Skip("inserts 14,000 vectors")
	}
	const dims = 16
	u := schemaURL(t)
	v := openStore(t, u, dims).Vectors()

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := pgxvec.RegisterTypes(ctx, conn); err != nil {
		t.Fatal(err)
	}
	// Loading with COPY and building the index once is much faster than
	// maintaining it row by row; Upsert is tested by the suite.
	if _, err := conn.Exec(ctx, `DROP INDEX vectors_embedding`); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	unit := func() []float32 {
		x := make([]float32, dims)
		var n float64
		for i := range x {
			f := r.NormFloat64()
			x[i], n = float32(f), n+f*f
		}
		for i := range x {
			x[i] /= float32(math.Sqrt(n))
		}
		return x
	}
	type rec struct {
		id, res string
		vec     []float32
	}
	var mine []rec
	var batch []ragkb.VectorRecord
	flush := func() {
		_, err := conn.CopyFrom(ctx, pgx.Identifier{"vectors"}, []string{"chunk_id", "tenant_id", "resource_id", "embedding"},
			pgx.CopyFromSlice(len(batch), func(i int) ([]any, error) {
				r := batch[i]
				return []any{r.ChunkID, r.TenantID, r.ResourceID, pgvector.NewVector(r.Vector)}, nil
			}))
		if err != nil {
			t.Fatalf("COPY: %v", err)
		}
		batch = batch[:0]
	}
	for i := range 12_000 {
		res := "res_a"
		if i%8 == 0 {
			res = "res_b"
		}
		x := rec{id: fmt.Sprintf("chk_%05d", i), res: res, vec: unit()}
		mine = append(mine, x)
		batch = append(batch, ragkb.VectorRecord{ChunkID: x.id, TenantID: "ten_big", ResourceID: res, Vector: x.vec})
		if len(batch) == 1000 {
			flush()
		}
	}
	queries := make([][]float32, 20)
	for i := range queries {
		queries[i] = unit()
		// Another tenant's vectors are the closest of all to each query.
		for j := range 100 {
			near := slices.Clone(queries[i])
			near[j%dims] += 0.01
			batch = append(batch, ragkb.VectorRecord{ChunkID: fmt.Sprintf("other_%d_%d", i, j), TenantID: "ten_other", ResourceID: "res_a", Vector: near})
		}
	}
	flush()
	for _, sql := range []string{`CREATE INDEX vectors_embedding ON vectors USING hnsw (embedding vector_cosine_ops)`, `VACUUM ANALYZE vectors`} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	// The plans Search uses: HNSW for the big tenant, an exact scan for
	// the small one (2,000 rows).
	for _, tc := range []struct {
		tenant    string
		resources []string
		hnsw      bool
	}{
		{tenant: "ten_big", hnsw: true},
		{tenant: "ten_big", resources: []string{"res_a"}, hnsw: true},
		{tenant: "ten_big", resources: []string{"res_b"}, hnsw: false},
		{tenant: "ten_other", hnsw: false},
	} {
		plan, err := postgres.ExplainSearch(ctx, v, ragkb.VectorQuery{TenantID: tc.tenant, ResourceIDs: tc.resources, Vector: queries[0], K: 10})
		if err != nil {
			t.Fatalf("ExplainSearch: %v", err)
		}
		text := strings.Join(plan, "\n")
		if got := strings.Contains(text, "Index Scan using vectors_embedding"); got != tc.hnsw {
			t.Errorf("%s %v: HNSW used = %v, want %v; plan:\n%s", tc.tenant, tc.resources, got, tc.hnsw, text)
		}
	}

	for _, tc := range []struct {
		name      string
		resources []string
	}{
		{name: "tenant only"},
		{name: "resource of 10,500 rows", resources: []string{"res_a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var found, total int
			for _, q := range queries {
				hits, err := v.Search(ctx, ragkb.VectorQuery{TenantID: "ten_big", ResourceIDs: tc.resources, Vector: q, K: 10})
				if err != nil {
					t.Fatalf("Search: %v", err)
				}
				if len(hits) != 10 {
					t.Fatalf("%d hits, want 10", len(hits))
				}
				type scored struct {
					id    string
					score float64
				}
				var want []scored
				byID := map[string]rec{}
				for _, m := range mine {
					byID[m.id] = m
					if tc.resources == nil || m.res == tc.resources[0] {
						want = append(want, scored{m.id, cosine(q, m.vec)})
					}
				}
				slices.SortFunc(want, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
				top := map[string]bool{}
				for _, w := range want[:10] {
					top[w.id] = true
				}
				for i, h := range hits {
					m, ok := byID[h.ChunkID]
					if !ok {
						t.Fatalf("hit %s is not the tenant's", h.ChunkID)
					}
					if tc.resources != nil && m.res != tc.resources[0] {
						t.Fatalf("hit %s of %s, want only %v", h.ChunkID, m.res, tc.resources)
					}
					if got, want := h.Score, cosine(q, m.vec); math.Abs(got-want) > 1e-4 {
						t.Errorf("hit %s score %v, want its cosine %v", h.ChunkID, got, want)
					}
					if i > 0 && h.Score > hits[i-1].Score {
						t.Errorf("hits not sorted: %v", hits)
					}
					if top[h.ChunkID] {
						found++
					}
				}
				total += 10
			}
			if recall := float64(found) / float64(total); recall < 0.9 {
				t.Errorf("recall@10 = %.3f, want >= 0.9", recall)
			}
		})
	}
}

func cosine(a, b []float32) float64 {
	var d, na, nb float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return d / math.Sqrt(na*nb)
}
