package vectorindex_test

import (
	"github.com/ragkb/ragkb/internal/testenv"

	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/vectorindex"
)

const benchDims = 384

// reportCPU adds a cpu-ns/op metric measured from start.
func reportCPU(b *testing.B, start time.Duration, ops int) {
	b.ReportMetric(float64((testenv.CPUTime()-start).Nanoseconds())/float64(max(ops, 1)), "cpu-ns/op")
}

// big100k builds, once per test binary, an in-memory index of 100,000
// clustered 384-dimensional vectors in one tenant (10 resources), which
// takes tens of seconds.
var big100k = sync.OnceValues(func() (*vectorindex.Store, [2][][]float32) {
	all := clustered(42, 101_000, 1000, benchDims)
	vecs, queries := all[:100_000], all[100_000:]
	s, err := vectorindex.New(vectorindex.Config{Dimensions: benchDims})
	if err != nil {
		panic(err)
	}
	start := time.Now()
	var batch []ragkb.VectorRecord
	for i, v := range vecs {
		batch = append(batch, ragkb.VectorRecord{ChunkID: fmt.Sprintf("c%06d", i), TenantID: "t", ResourceID: fmt.Sprintf("r%d", i%10), Vector: v})
		if len(batch) == 1000 {
			if err := s.Upsert(context.Background(), batch); err != nil {
				panic(err)
			}
			batch = batch[:0]
		}
	}
	fmt.Printf("built 100k x %d index in %v\n", benchDims, time.Since(start).Round(time.Millisecond))
	return s, [2][][]float32{vecs, queries}
})

// BenchmarkSearch100k measures an unfiltered k=10 search in a 100k tenant
// and reports the graph's recall@10 against exact search (failing under
// 0.9) for queries from the data's topics, and for queries from unrelated
// topics, whose true neighbours are barely closer than any other vector.
func BenchmarkSearch100k(b *testing.B) {
	s, data := big100k()
	vecs, queries := data[0], data[1]
	recall := recallAt(b, s, vecs, queries[:100], 10, "")
	far := recallAt(b, s, vecs, clustered(43, 100, 100, benchDims), 10, "")
	if recall < 0.9 {
		b.Fatalf("recall@10 at 100k = %.4f, want >= 0.9", recall)
	}
	b.ResetTimer()
	cpu := testenv.CPUTime()
	i := 0
	for b.Loop() {
		if _, err := s.Search(context.Background(), ragkb.VectorQuery{TenantID: "t", Vector: queries[i%len(queries)], K: 10}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu, i)
	b.ReportMetric(recall, "recall@10")
	b.ReportMetric(far, "unrelated-recall@10")
}

// BenchmarkSearch100kFiltered searches within 1 of 10 resources (10,000
// candidates of 100,000: an exact scan, memory-bound as every tenth vector
// is read) and reports recall@10 against exact search over that resource.
func BenchmarkSearch100kFiltered(b *testing.B) {
	s, data := big100k()
	vecs, queries := data[0], data[1]
	recall := recallAt(b, s, vecs, queries[:100], 10, "r3")
	b.ResetTimer()
	cpu := testenv.CPUTime()
	i := 0
	for b.Loop() {
		if _, err := s.Search(context.Background(), ragkb.VectorQuery{TenantID: "t", ResourceIDs: []string{"r3"}, Vector: queries[i%len(queries)], K: 10}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu, i)
	b.ReportMetric(recall, "recall@10")
}

// BenchmarkSearch100kFilteredHalf searches within 5 of 10 resources
// (50,000 candidates: the graph with a filter).
func BenchmarkSearch100kFilteredHalf(b *testing.B) {
	s, data := big100k()
	queries := data[1]
	filter := []string{"r0", "r2", "r4", "r6", "r8"}
	b.ResetTimer()
	cpu := testenv.CPUTime()
	i := 0
	for b.Loop() {
		if _, err := s.Search(context.Background(), ragkb.VectorQuery{TenantID: "t", ResourceIDs: filter, Vector: queries[i%len(queries)], K: 10}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu, i)
}

// BenchmarkSearchExact4k is the exact scan at the default threshold (its
// 6 MB of vectors stay in cache; a cold scan costs several times more).
func BenchmarkSearchExact4k(b *testing.B) {
	s, err := vectorindex.New(vectorindex.Config{Dimensions: benchDims})
	if err != nil {
		b.Fatal(err)
	}
	fill(b, s, "t", clustered(44, 4096, 50, benchDims), 1)
	queries := clustered(45, 100, 50, benchDims)
	b.ResetTimer()
	cpu := testenv.CPUTime()
	i := 0
	for b.Loop() {
		if _, err := s.Search(context.Background(), ragkb.VectorQuery{TenantID: "t", Vector: queries[i%len(queries)], K: 10}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu, i)
}

// BenchmarkUpsert measures journaled (fsynced) upserts of 64-vector batches
// into a growing on-disk tenant; ns/op is per batch.
func BenchmarkUpsert(b *testing.B) {
	s, err := vectorindex.New(vectorindex.Config{Dir: b.TempDir(), Dimensions: benchDims})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(1, 1))
	pool := clustered(46, 4096, 100, benchDims)
	n := 0
	cpu := testenv.CPUTime()
	for b.Loop() {
		batch := make([]ragkb.VectorRecord, 64)
		for i := range batch {
			batch[i] = ragkb.VectorRecord{ChunkID: fmt.Sprintf("c%d", n), TenantID: "t", ResourceID: "r", Vector: pool[r.IntN(len(pool))]}
			n++
		}
		if err := s.Upsert(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu, n/64)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/vector")
}

// recallAt returns the mean recall@k of s against exact search over vecs.
// With only set, just vectors of that resource count (vector i belongs to
// resource "r<i%10>", as fill and big100k assign them).
func recallAt(t testing.TB, s *vectorindex.Store, vecs, queries [][]float32, k int, only string) float64 {
	var found, total int
	for _, q := range queries {
		type scored struct {
			i   int
			sim float32
		}
		exact := make([]scored, 0, len(vecs))
		for i, v := range vecs {
			if only != "" && fmt.Sprintf("r%d", i%10) != only {
				continue
			}
			var d float32
			for j := range v {
				d += v[j] * q[j]
			}
			exact = append(exact, scored{i, d})
		}
		sort.Slice(exact, func(a, b int) bool { return exact[a].sim > exact[b].sim })
		var want []string
		for _, e := range exact[:k] {
			want = append(want, fmt.Sprintf("c%06d", e.i))
		}
		query := ragkb.VectorQuery{TenantID: "t", Vector: q, K: k}
		if only != "" {
			query.ResourceIDs = []string{only}
		}
		hits := search(t, s, query)
		for _, h := range hits {
			if slices.Contains(want, h.ChunkID) {
				found++
			}
		}
		total += k
	}
	return float64(found) / float64(total)
}

// TestRecall compares the graph with exact search at 10,000 vectors (the
// 100k figure is reported by BenchmarkSearch100k as recall@10).
func TestRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10k index")
	}
	// Queries come from the same topics as the data, as real questions do.
	all := clustered(42, 10_100, 100, benchDims)
	vecs, queries := all[:10_000], all[10_000:]
	s := open(t, vectorindex.Config{Dimensions: benchDims})
	fill(t, s, "t", vecs, 10)
	recall := recallAt(t, s, vecs, queries, 10, "")
	t.Logf("recall@10 of the graph vs exact search over 10k clustered %d-dim vectors: %.4f", benchDims, recall)
	// Queries from nowhere near the data are the graph's hard case: their
	// true neighbours are barely closer than anything else.
	far := recallAt(t, s, vecs, clustered(43, 100, 100, benchDims), 10, "")
	t.Logf("recall@10 for queries from unrelated topics: %.4f", far)
	if recall < 0.95 {
		t.Fatalf("recall@10 = %.4f, want >= 0.95", recall)
	}
}

// BenchmarkOpen20k measures a restart: opening an on-disk tenant of 20,000
// 384-dimensional vectors (snapshot with graph, plus a journal tail).
func BenchmarkOpen20k(b *testing.B) {
	dir := b.TempDir()
	s, err := vectorindex.New(vectorindex.Config{Dir: dir, Dimensions: benchDims})
	if err != nil {
		b.Fatal(err)
	}
	fill(b, s, "t", clustered(48, 20_000, 200, benchDims), 10)
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := testenv.CPUTime()
	n := 0
	for b.Loop() {
		s, err := vectorindex.New(vectorindex.Config{Dir: dir, Dimensions: benchDims})
		if err != nil {
			b.Fatal(err)
		}
		if s.Len("t") != 20_000 {
			b.Fatalf("Len = %d", s.Len("t"))
		}
		s.Close()
		n++
	}
	reportCPU(b, cpu, n)
}

// BenchmarkBuild20k measures building a 20k-vector graph (ns/op per build).
func BenchmarkBuild20k(b *testing.B) {
	vecs := clustered(42, 20_000, 200, benchDims)
	cpu := testenv.CPUTime()
	for b.Loop() {
		s, _ := vectorindex.New(vectorindex.Config{Dimensions: benchDims})
		fill(b, s, "t", vecs, 10)
	}
	reportCPU(b, cpu, b.N)
}

// BenchmarkGrow100k measures the journal and its compactions alone: a new
// on-disk tenant grows to 100,000 vectors in batches of 128, as a first
// indexing run writes them, with the graph left out (exact search only);
// ns/op is per 100k.
func BenchmarkGrow100k(b *testing.B) {
	vecs := clustered(49, 100_000, 1000, benchDims)
	cpu := testenv.CPUTime()
	for b.Loop() {
		s, err := vectorindex.New(vectorindex.Config{Dir: b.TempDir(), Dimensions: benchDims, ExactThreshold: 1 << 30})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(vecs); i += 128 {
			batch := make([]ragkb.VectorRecord, 0, 128)
			for j := i; j < min(i+128, len(vecs)); j++ {
				batch = append(batch, ragkb.VectorRecord{ChunkID: fmt.Sprintf("c%06d", j), TenantID: "t", ResourceID: "r", Vector: vecs[j]})
			}
			if err := s.Upsert(context.Background(), batch); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu, b.N)
}
