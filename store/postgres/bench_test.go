package postgres_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/postgres"
)

// The benchmark corpus: 100k clustered 384-dimension unit vectors (like
// sentence embeddings, which form topical clusters). 90% belong to one big
// tenant, the rest to 10 small tenants of 1,000 vectors each, so that the
// small-tenant searches exercise HNSW with a selective filter (1% of rows).
const (
	benchRows     = 100_000
	benchDims     = 384
	benchClusters = 200
	benchSmall    = 10
	benchSmallN   = 1_000
	benchSchema   = "bench_pgvector_100k"
)

var bench struct {
	once    sync.Once
	store   *postgres.Store
	url     string
	queries [][]float32
	err     error
}

// benchTenant returns the tenant of row i.
func benchTenant(i int) string {
	if i < benchSmall*benchSmallN {
		return fmt.Sprintf("ten_small%02d", i/benchSmallN)
	}
	return "ten_big"
}

// clustered returns a generator of unit vectors drawn around benchClusters
// random centroids.
func clustered(seed uint64) func() []float32 {
	r := rand.New(rand.NewPCG(seed, 42))
	centroids := make([][]float64, benchClusters)
	for i := range centroids {
		centroids[i] = make([]float64, benchDims)
		for j := range centroids[i] {
			centroids[i][j] = r.NormFloat64()
		}
	}
	return func() []float32 {
		c := centroids[r.IntN(benchClusters)]
		v := make([]float32, benchDims)
		var sum float64
		for j := range v {
			x := c[j] + 0.6*r.NormFloat64()
			v[j] = float32(x)
			sum += x * x
		}
		inv := float32(1 / math.Sqrt(sum))
		for j := range v {
			v[j] *= inv
		}
		return v
	}
}

// benchSetup loads the corpus once per process into schema benchSchema
// (kept between runs: a complete corpus is reused) with COPY, then builds
// the HNSW index.
func benchSetup(b *testing.B) {
	b.Helper()
	bench.once.Do(func() { bench.err = loadBenchCorpus(b) })
	if bench.err != nil {
		b.Fatalf("bench setup: %v", bench.err)
	}
}

func loadBenchCorpus(b *testing.B) error {
	ctx := context.Background()
	raw := baseURL(b)
	admin, err := pgx.Connect(ctx, raw)
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+benchSchema); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	q := u.Query()
	q.Set("search_path", benchSchema+",public")
	u.RawQuery = q.Encode()
	bench.url = u.String()

	gen := clustered(1)
	vectors := make([][]float32, benchRows)
	for i := range vectors {
		vectors[i] = gen()
	}
	// Queries come from the same distribution but are not in the corpus.
	qgen := clustered(1)
	for range benchRows { // advance past the corpus draws
		qgen()
	}
	for range 100 {
		bench.queries = append(bench.queries, qgen())
	}

	s, err := postgres.New(ctx, postgres.Config{URL: bench.url, Dimensions: benchDims})
	if err != nil {
		return err
	}
	bench.store = s
	conn, err := pgx.Connect(ctx, bench.url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if err := pgxvec.RegisterTypes(ctx, conn); err != nil {
		return err
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM vectors`).Scan(&n); err != nil {
		return err
	}
	if n == benchRows {
		b.Logf("reusing the %d-vector corpus in schema %s", n, benchSchema)
		return nil
	}
	// Load without the index (COPY), then build it once: much faster than
	// maintaining the graph row by row.
	if _, err := conn.Exec(ctx, `TRUNCATE vectors; DROP INDEX IF EXISTS vectors_embedding`); err != nil {
		return err
	}
	start := time.Now()
	copied, err := conn.CopyFrom(ctx, pgx.Identifier{"vectors"},
		[]string{"chunk_id", "tenant_id", "resource_id", "document_id", "embedding"},
		pgx.CopyFromSlice(benchRows, func(i int) ([]any, error) {
			t := benchTenant(i)
			return []any{fmt.Sprintf("chk_%06d", i), t, fmt.Sprintf("res_%s_%d", t, i%4), fmt.Sprintf("doc_%06d", i/3),
				pgvector.NewVector(vectors[i])}, nil
		}))
	if err != nil {
		return err
	}
	b.Logf("COPY %d vectors: %v", copied, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '1GB'; SET max_parallel_maintenance_workers = 1;
		CREATE INDEX vectors_embedding ON vectors USING hnsw (embedding vector_cosine_ops)`); err != nil {
		return err
	}
	b.Logf("HNSW index build (m=16, ef_construction=64): %v", time.Since(start).Round(time.Millisecond))
	// Autovacuum would do this soon after a load; without it index-only
	// scans (the candidate count) visit the heap.
	if _, err := conn.Exec(ctx, `VACUUM ANALYZE vectors`); err != nil {
		return err
	}
	return nil
}

// BenchmarkPgvectorSearch100k measures Store.Vectors().Search (K=10,
// ef_search 100, iterative scan) on the 100k corpus.
func BenchmarkPgvectorSearch100k(b *testing.B) {
	benchSetup(b)
	v := bench.store.Vectors()
	for _, tc := range []struct {
		name      string
		tenant    string
		resources []string
	}{
		{name: "tenant=90%", tenant: "ten_big"},
		{name: "tenant=1%", tenant: "ten_small03"},
		{name: "tenant=90%,resource=22%", tenant: "ten_big", resources: []string{"res_ten_big_1"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				q := bench.queries[i%len(bench.queries)]
				i++
				hits, err := v.Search(context.Background(), ragkb.VectorQuery{TenantID: tc.tenant, ResourceIDs: tc.resources, Vector: q, K: 10})
				if err != nil || len(hits) != 10 {
					b.Fatalf("Search: %d hits, %v", len(hits), err)
				}
			}
		})
	}
}

// BenchmarkPgvectorRecall100k reports recall@10 of Search (HNSW with
// iterative scan) against exact search (the same query with index scans
// disabled, which makes PostgreSQL scan and sort), over 100 queries.
func BenchmarkPgvectorRecall100k(b *testing.B) {
	benchSetup(b)
	v := bench.store.Vectors()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, bench.url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := pgxvec.RegisterTypes(ctx, conn); err != nil {
		b.Fatal(err)
	}
	exact := func(tenant string, q []float32) map[string]bool {
		want := map[string]bool{}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL enable_indexscan = off`); err != nil {
				return err
			}
			rows, _ := tx.Query(ctx, `SELECT chunk_id FROM vectors WHERE tenant_id = $2 ORDER BY embedding <=> $1 LIMIT 10`,
				pgvector.NewVector(q), tenant)
			ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
			for _, id := range ids {
				want[id] = true
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		return want
	}
	// Show the plans Search uses, so the numbers can be trusted to come
	// from HNSW (big tenant) and from the exact path (small tenant).
	for _, tenant := range []string{"ten_big", "ten_small03"} {
		plan, err := postgres.ExplainSearch(ctx, v, ragkb.VectorQuery{TenantID: tenant, Vector: bench.queries[0], K: 10})
		if err != nil {
			b.Fatal(err)
		}
		for i, line := range plan {
			if len(line) > 100 {
				plan[i] = line[:100] + "..."
			}
		}
		b.Logf("plan for %s:\n%s", tenant, strings.Join(plan, "\n"))
	}
	for _, tenant := range []string{"ten_big", "ten_small03"} {
		b.Run("tenant="+tenant, func(b *testing.B) {
			var found, total int
			for b.Loop() {
				found, total = 0, 0
				for _, q := range bench.queries {
					want := exact(tenant, q)
					hits, err := v.Search(ctx, ragkb.VectorQuery{TenantID: tenant, Vector: q, K: 10})
					if err != nil {
						b.Fatal(err)
					}
					for _, h := range hits {
						if want[h.ChunkID] {
							found++
						}
					}
					total += len(want)
				}
			}
			b.ReportMetric(float64(found)/float64(total), "recall@10")
		})
	}
}
