package storetest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/ragkb/ragkb"
)

// RunVectorStore runs the vector store conformance suite. newStore returns
// a store for vectors of dims dimensions; it may be shared with other
// subtests (every subtest uses fresh tenant ids) and is closed by the
// caller's cleanup, not by the suite.
func RunVectorStore(t *testing.T, newStore func(t *testing.T, dims int) ragkb.VectorStore) {
	const dims = 16
	cases := []struct {
		name string
		run  func(t *testing.T, s ragkb.VectorStore, dims int)
	}{
		{"UpsertAndSearch", vectorUpsertAndSearch},
		{"ReplaceByChunkID", vectorReplace},
		{"Delete", vectorDelete},
		{"DeleteResource", vectorDeleteResource},
		{"VectorResources", vectorResources},
		{"ResourceFilter", vectorResourceFilter},
		{"TenantIsolation", vectorTenantIsolation},
		{"BatchAcrossTenants", vectorBatchAcrossTenants},
		{"K", vectorK},
		{"EmptyTenant", vectorEmptyTenant},
		{"CosineNormalises", vectorCosine},
		{"RankingMatchesBruteForce", vectorRanking},
		{"Concurrent", vectorConcurrent},
		{"DimensionMismatch", vectorDims},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, newStore(t, dims), dims)
		})
	}
}

// vecUnit returns a random unit vector.
func vecUnit(r *rand.Rand, dims int) []float32 {
	v := make([]float32, dims)
	var sum float64
	for i := range v {
		f := r.NormFloat64()
		v[i] = float32(f)
		sum += f * f
	}
	inv := 1 / math.Sqrt(sum)
	for i := range v {
		v[i] = float32(float64(v[i]) * inv)
	}
	return v
}

// vecAxis returns the unit vector along dimension i.
func vecAxis(dims, i int) []float32 {
	v := make([]float32, dims)
	v[i] = 1
	return v
}

func vecCosine(a, b []float32) float64 {
	var d, na, nb float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return d / math.Sqrt(na*nb)
}

func vecMustUpsert(t *testing.T, s ragkb.VectorStore, recs ...ragkb.VectorRecord) {
	t.Helper()
	if err := s.Upsert(context.Background(), recs); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
}

func vecMustSearch(t *testing.T, s ragkb.VectorStore, q ragkb.VectorQuery) []ragkb.VectorHit {
	t.Helper()
	hits, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score+1e-6 {
			t.Fatalf("Search hits not best first: %v", hits)
		}
	}
	return hits
}

func vecHitIDs(hits []ragkb.VectorHit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ChunkID
	}
	return ids
}

func vecSortedIDs(hits []ragkb.VectorHit) []string {
	ids := vecHitIDs(hits)
	sort.Strings(ids)
	return ids
}

func vectorUpsertAndSearch(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant, res := ragkb.NewID("ten"), ragkb.NewID("res")
	a, b, c := ragkb.NewID("chk"), ragkb.NewID("chk"), ragkb.NewID("chk")
	mixed := vecAxis(dims, 0)
	mixed[0], mixed[1] = 0.8, 0.6
	vecMustUpsert(t, s,
		ragkb.VectorRecord{ChunkID: a, TenantID: tenant, ResourceID: res, DocumentID: "d1", Vector: vecAxis(dims, 0)},
		ragkb.VectorRecord{ChunkID: b, TenantID: tenant, ResourceID: res, DocumentID: "d1", Vector: vecAxis(dims, 1)},
		ragkb.VectorRecord{ChunkID: c, TenantID: tenant, ResourceID: res, DocumentID: "d2", Vector: mixed},
	)
	if err := s.Upsert(context.Background(), nil); err != nil {
		t.Fatalf("Upsert(nil): %v", err)
	}
	hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: vecAxis(dims, 0), K: 3})
	if got, want := vecHitIDs(hits), []string{a, c, b}; !slices.Equal(got, want) {
		t.Fatalf("hits = %v, want %v", got, want)
	}
	for i, want := range []float64{1, 0.8, 0} {
		if got := hits[i].Score; math.Abs(got-want) > 1e-4 {
			t.Errorf("hit %d score = %v, want %v (cosine similarity)", i, got, want)
		}
	}
}

func vectorReplace(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant, r1, r2 := ragkb.NewID("ten"), ragkb.NewID("res"), ragkb.NewID("res")
	id, other := ragkb.NewID("chk"), ragkb.NewID("chk")
	vecMustUpsert(t, s,
		ragkb.VectorRecord{ChunkID: id, TenantID: tenant, ResourceID: r1, DocumentID: "d", Vector: vecAxis(dims, 0)},
		ragkb.VectorRecord{ChunkID: other, TenantID: tenant, ResourceID: r1, DocumentID: "d", Vector: vecAxis(dims, 2)},
	)
	vecMustUpsert(t, s, ragkb.VectorRecord{ChunkID: id, TenantID: tenant, ResourceID: r2, DocumentID: "d", Vector: vecAxis(dims, 1)})

	hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: vecAxis(dims, 1), K: 10})
	if got, want := vecSortedIDs(hits), vecSortedIDs([]ragkb.VectorHit{{ChunkID: id}, {ChunkID: other}}); !slices.Equal(got, want) {
		t.Fatalf("after replace hits = %v, want each chunk once: %v", got, want)
	}
	if hits[0].ChunkID != id || math.Abs(hits[0].Score-1) > 1e-4 {
		t.Fatalf("top hit = %+v, want %s with score 1 (the new vector)", hits[0], id)
	}
	old := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, ResourceIDs: []string{r1}, Vector: vecAxis(dims, 0), K: 10})
	if got, want := vecHitIDs(old), []string{other}; !slices.Equal(got, want) {
		t.Fatalf("filter on the old resource = %v, want %v (the chunk moved to %s)", got, want, r2)
	}
	moved := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, ResourceIDs: []string{r2}, Vector: vecAxis(dims, 0), K: 10})
	if got, want := vecHitIDs(moved), []string{id}; !slices.Equal(got, want) {
		t.Fatalf("filter on the new resource = %v, want %v", got, want)
	}
}

func vectorDelete(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant, res := ragkb.NewID("ten"), ragkb.NewID("res")
	var ids []string
	for i := range 4 {
		id := ragkb.NewID("chk")
		ids = append(ids, id)
		vecMustUpsert(t, s, ragkb.VectorRecord{ChunkID: id, TenantID: tenant, ResourceID: res, Vector: vecAxis(dims, i)})
	}
	if err := s.Delete(context.Background(), tenant, []string{ids[0], ids[2], ragkb.NewID("chk")}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: vecAxis(dims, 0), K: 10})
	if got, want := vecSortedIDs(hits), vecSortedIDs([]ragkb.VectorHit{{ChunkID: ids[1]}, {ChunkID: ids[3]}}); !slices.Equal(got, want) {
		t.Fatalf("after delete hits = %v, want %v", got, want)
	}
	if err := s.Delete(context.Background(), tenant, nil); err != nil {
		t.Fatalf("Delete(nil): %v", err)
	}
	// A deleted chunk can come back.
	vecMustUpsert(t, s, ragkb.VectorRecord{ChunkID: ids[0], TenantID: tenant, ResourceID: res, Vector: vecAxis(dims, 0)})
	hits = vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: vecAxis(dims, 0), K: 1})
	if len(hits) != 1 || hits[0].ChunkID != ids[0] {
		t.Fatalf("re-inserted chunk: hits = %v, want [%s]", vecHitIDs(hits), ids[0])
	}
}

func vectorDeleteResource(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant, r1, r2 := ragkb.NewID("ten"), ragkb.NewID("res"), ragkb.NewID("res")
	keep := ragkb.NewID("chk")
	for i := range 5 {
		vecMustUpsert(t, s, ragkb.VectorRecord{ChunkID: ragkb.NewID("chk"), TenantID: tenant, ResourceID: r1, Vector: vecAxis(dims, i)})
	}
	vecMustUpsert(t, s, ragkb.VectorRecord{ChunkID: keep, TenantID: tenant, ResourceID: r2, Vector: vecAxis(dims, 0)})
	if err := s.DeleteResource(context.Background(), tenant, r1); err != nil {
		t.Fatalf("DeleteResource: %v", err)
	}
	if err := s.DeleteResource(context.Background(), tenant, ragkb.NewID("res")); err != nil {
		t.Fatalf("DeleteResource(unknown): %v", err)
	}
	hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: vecAxis(dims, 0), K: 10})
	if got, want := vecHitIDs(hits), []string{keep}; !slices.Equal(got, want) {
		t.Fatalf("after DeleteResource hits = %v, want %v", got, want)
	}
}

// vectorResources: a store that lists which resources hold vectors (for
// indexer.RemoveOrphanVectors) lists exactly those, by tenant, and forgets a
// deleted resource. Stores without the method skip.
func vectorResources(t *testing.T, s ragkb.VectorStore, dims int) {
	vo, ok := s.(interface {
		VectorResources(ctx context.Context) (map[string][]string, error)
	})
	if !ok {
		t.Skip("the store does not list vector owners")
	}
	t1, t2 := ragkb.NewID("ten"), ragkb.NewID("ten")
	r1, r2, r3 := ragkb.NewID("res"), ragkb.NewID("res"), ragkb.NewID("res")
	vecMustUpsert(t, s,
		ragkb.VectorRecord{ChunkID: ragkb.NewID("chk"), TenantID: t1, ResourceID: r1, Vector: vecAxis(dims, 0)},
		ragkb.VectorRecord{ChunkID: ragkb.NewID("chk"), TenantID: t1, ResourceID: r1, Vector: vecAxis(dims, 1)},
		ragkb.VectorRecord{ChunkID: ragkb.NewID("chk"), TenantID: t1, ResourceID: r2, Vector: vecAxis(dims, 2)},
		ragkb.VectorRecord{ChunkID: ragkb.NewID("chk"), TenantID: t2, ResourceID: r3, Vector: vecAxis(dims, 3)})
	if err := s.DeleteResource(context.Background(), t1, r2); err != nil {
		t.Fatal(err)
	}
	got, err := vo.VectorResources(context.Background())
	if err != nil {
		t.Fatalf("VectorResources: %v", err)
	}
	if !slices.Equal(got[t1], []string{r1}) || !slices.Equal(got[t2], []string{r3}) {
		t.Fatalf("VectorResources = %v, want %s: [%s], %s: [%s]", got, t1, r1, t2, r3)
	}
}

func vectorResourceFilter(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant := ragkb.NewID("ten")
	resources := []string{ragkb.NewID("res"), ragkb.NewID("res"), ragkb.NewID("res")}
	r := rand.New(rand.NewPCG(1, 2))
	owner := map[string]string{}
	var recs []ragkb.VectorRecord
	for i := range 60 {
		id := ragkb.NewID("chk")
		res := resources[i%3]
		owner[id] = res
		recs = append(recs, ragkb.VectorRecord{ChunkID: id, TenantID: tenant, ResourceID: res, DocumentID: "d", Vector: vecUnit(r, dims)})
	}
	tiny := ragkb.NewID("res")
	for range 2 {
		id := ragkb.NewID("chk")
		owner[id] = tiny
		recs = append(recs, ragkb.VectorRecord{ChunkID: id, TenantID: tenant, ResourceID: tiny, DocumentID: "d", Vector: vecUnit(r, dims)})
	}
	vecMustUpsert(t, s, recs...)
	tests := []struct {
		name   string
		filter []string
		want   int
	}{
		{name: "one resource", filter: resources[:1], want: 20},
		{name: "two resources", filter: resources[1:], want: 40},
		{name: "small resource", filter: []string{tiny}, want: 2},
		{name: "small and unknown resource", filter: []string{ragkb.NewID("res"), tiny}, want: 2},
		{name: "unknown resource", filter: []string{ragkb.NewID("res")}, want: 0},
		{name: "no filter", filter: nil, want: 62},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, ResourceIDs: tt.filter, Vector: vecUnit(r, dims), K: 100})
			if got := len(hits); got != tt.want {
				t.Fatalf("got %d hits, want %d", got, tt.want)
			}
			for _, h := range hits {
				if tt.filter != nil && !slices.Contains(tt.filter, owner[h.ChunkID]) {
					t.Fatalf("hit %s of resource %s is outside the filter %v", h.ChunkID, owner[h.ChunkID], tt.filter)
				}
			}
		})
	}
}

func vectorTenantIsolation(t *testing.T, s ragkb.VectorStore, dims int) {
	ta, tb := ragkb.NewID("ten"), ragkb.NewID("ten")
	res := ragkb.NewID("res") // the same resource id in both tenants, to prove the tenant scopes it
	r := rand.New(rand.NewPCG(3, 4))
	var vecs [][]float32
	var aIDs, bIDs []string
	for range 30 {
		v := vecUnit(r, dims)
		vecs = append(vecs, v)
		a, b := ragkb.NewID("chk"), ragkb.NewID("chk")
		aIDs, bIDs = append(aIDs, a), append(bIDs, b)
		vecMustUpsert(t, s,
			ragkb.VectorRecord{ChunkID: a, TenantID: ta, ResourceID: res, Vector: v},
			ragkb.VectorRecord{ChunkID: b, TenantID: tb, ResourceID: res, Vector: v},
		)
	}
	check := func(tenant string, own []string, wantN int) {
		t.Helper()
		for _, v := range vecs[:5] {
			hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: v, K: 100})
			if len(hits) != wantN {
				t.Fatalf("tenant %s: %d hits, want %d", tenant, len(hits), wantN)
			}
			for _, h := range hits {
				if !slices.Contains(own, h.ChunkID) {
					t.Fatalf("tenant %s got chunk %s of another tenant", tenant, h.ChunkID)
				}
			}
		}
	}
	check(ta, aIDs, 30)
	check(tb, bIDs, 30)

	// Deletes through another tenant touch nothing.
	if err := s.Delete(context.Background(), tb, aIDs[:10]); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := s.DeleteResource(context.Background(), tb, res); err != nil {
		t.Fatalf("DeleteResource: %v", err)
	}
	check(ta, aIDs, 30)
	hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tb, Vector: vecs[0], K: 100})
	if len(hits) != 0 {
		t.Fatalf("tenant b after DeleteResource: hits %v, want none", vecHitIDs(hits))
	}
	hits = vecMustSearch(t, s, ragkb.VectorQuery{TenantID: ragkb.NewID("ten"), Vector: vecs[0], K: 100})
	if len(hits) != 0 {
		t.Fatalf("unknown tenant: hits %v, want none", vecHitIDs(hits))
	}
}

func vectorBatchAcrossTenants(t *testing.T, s ragkb.VectorStore, dims int) {
	ta, tb := ragkb.NewID("ten"), ragkb.NewID("ten")
	a1, a2, b1 := ragkb.NewID("chk"), ragkb.NewID("chk"), ragkb.NewID("chk")
	vecMustUpsert(t, s,
		ragkb.VectorRecord{ChunkID: a1, TenantID: ta, ResourceID: "r", Vector: vecAxis(dims, 0)},
		ragkb.VectorRecord{ChunkID: b1, TenantID: tb, ResourceID: "r", Vector: vecAxis(dims, 0)},
		ragkb.VectorRecord{ChunkID: a2, TenantID: ta, ResourceID: "r", Vector: vecAxis(dims, 1)},
	)
	tests := []struct {
		name   string
		tenant string
		want   []string
	}{
		{name: "tenant a", tenant: ta, want: []string{a1, a2}},
		{name: "tenant b", tenant: tb, want: []string{b1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tt.tenant, Vector: vecAxis(dims, 0), K: 10})
			if got := vecHitIDs(hits); !slices.Equal(got, tt.want) {
				t.Fatalf("hits = %v, want %v", got, tt.want)
			}
		})
	}
}

func vectorK(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant, res := ragkb.NewID("ten"), ragkb.NewID("res")
	r := rand.New(rand.NewPCG(5, 6))
	var recs []ragkb.VectorRecord
	for range 12 {
		recs = append(recs, ragkb.VectorRecord{ChunkID: ragkb.NewID("chk"), TenantID: tenant, ResourceID: res, Vector: vecUnit(r, dims)})
	}
	vecMustUpsert(t, s, recs...)
	tests := []struct {
		name string
		k    int
		want int
	}{
		{name: "one", k: 1, want: 1},
		{name: "some", k: 5, want: 5},
		{name: "all", k: 12, want: 12},
		{name: "more than stored", k: 50, want: 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: vecUnit(r, dims), K: tt.k})
			if got := len(hits); got != tt.want {
				t.Fatalf("K=%d: got %d hits, want %d", tt.k, got, tt.want)
			}
		})
	}
	for _, k := range []int{0, -1} {
		_, err := s.Search(context.Background(), ragkb.VectorQuery{TenantID: tenant, Vector: vecUnit(r, dims), K: k})
		if got, want := ragkb.ErrorCodeOf(err), ragkb.EINVALID; got != want {
			t.Errorf("K=%d: error code %q (%v), want %q", k, got, err, want)
		}
	}
}

func vectorEmptyTenant(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant := ragkb.NewID("ten")
	hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: vecAxis(dims, 0), K: 5})
	if len(hits) != 0 {
		t.Fatalf("empty tenant hits = %v, want none", hits)
	}
	if err := s.Delete(context.Background(), tenant, []string{ragkb.NewID("chk")}); err != nil {
		t.Fatalf("Delete in empty tenant: %v", err)
	}
	if err := s.DeleteResource(context.Background(), tenant, ragkb.NewID("res")); err != nil {
		t.Fatalf("DeleteResource in empty tenant: %v", err)
	}
}

func vectorCosine(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant, res := ragkb.NewID("ten"), ragkb.NewID("res")
	long, short := ragkb.NewID("chk"), ragkb.NewID("chk")
	big := vecAxis(dims, 0)
	big[0], big[1] = 30, 40 // length 50, cosine 0.6 with axis 0
	small := vecAxis(dims, 0)
	small[0], small[2] = 0.008, 0.006 // length 0.01, cosine 0.8 with axis 0
	vecMustUpsert(t, s,
		ragkb.VectorRecord{ChunkID: long, TenantID: tenant, ResourceID: res, Vector: big},
		ragkb.VectorRecord{ChunkID: short, TenantID: tenant, ResourceID: res, Vector: small},
	)
	q := vecAxis(dims, 0)
	q[0] = 7 // queries need not be unit length either
	hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: q, K: 2})
	if got, want := vecHitIDs(hits), []string{short, long}; !slices.Equal(got, want) {
		t.Fatalf("hits = %v, want %v (cosine, not inner product)", got, want)
	}
	for i, want := range []float64{0.8, 0.6} {
		if got := hits[i].Score; math.Abs(got-want) > 1e-4 {
			t.Errorf("hit %d score = %v, want %v", i, got, want)
		}
	}
}

func vectorRanking(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant := ragkb.NewID("ten")
	resources := []string{ragkb.NewID("res"), ragkb.NewID("res")}
	r := rand.New(rand.NewPCG(7, 8))
	type item struct {
		id, res string
		v       []float32
	}
	var items []item
	var recs []ragkb.VectorRecord
	for i := range 400 {
		it := item{id: ragkb.NewID("chk"), res: resources[i%2], v: vecUnit(r, dims)}
		items = append(items, it)
		recs = append(recs, ragkb.VectorRecord{ChunkID: it.id, TenantID: tenant, ResourceID: it.res, Vector: it.v})
	}
	vecMustUpsert(t, s, recs...)
	const k, queries = 10, 40
	var found, total int
	for qi := range queries {
		q := vecUnit(r, dims)
		var filter []string
		if qi%2 == 1 {
			filter = resources[:1]
		}
		type scored struct {
			id    string
			score float64
		}
		var want []scored
		for _, it := range items {
			if filter == nil || it.res == filter[0] {
				want = append(want, scored{it.id, vecCosine(q, it.v)})
			}
		}
		sort.Slice(want, func(i, j int) bool { return want[i].score > want[j].score })
		want = want[:k]
		exact := map[string]float64{}
		for _, it := range items {
			exact[it.id] = vecCosine(q, it.v)
		}
		hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, ResourceIDs: filter, Vector: q, K: k})
		if len(hits) != k {
			t.Fatalf("query %d: %d hits, want %d", qi, len(hits), k)
		}
		for _, h := range hits {
			if got, want := h.Score, exact[h.ChunkID]; math.Abs(got-want) > 1e-3 {
				t.Fatalf("query %d: hit %s score %v, want its cosine %v", qi, h.ChunkID, got, want)
			}
			if slices.ContainsFunc(want, func(s scored) bool { return s.id == h.ChunkID }) {
				found++
			}
		}
		total += k
	}
	// Backends may be approximate, but at this size they must be near exact.
	if recall := float64(found) / float64(total); recall < 0.95 {
		t.Fatalf("recall@%d vs brute force = %.3f, want >= 0.95", k, recall)
	}
}

func vectorConcurrent(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant, res := ragkb.NewID("ten"), ragkb.NewID("res")
	const writers, perWriter, readers = 4, 25, 4
	vecs := make([][][]float32, writers)
	ids := make([][]string, writers)
	for w := range writers {
		r := rand.New(rand.NewPCG(uint64(w), 9))
		for range perWriter {
			vecs[w] = append(vecs[w], vecUnit(r, dims))
			ids[w] = append(ids[w], ragkb.NewID("chk"))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers+readers)
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				err := s.Upsert(context.Background(), []ragkb.VectorRecord{{ChunkID: ids[w][i], TenantID: tenant, ResourceID: res, Vector: vecs[w][i]}})
				if err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
			}
		})
	}
	for rd := range readers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(rd), 10))
			for range 50 {
				if _, err := s.Search(context.Background(), ragkb.VectorQuery{TenantID: tenant, Vector: vecUnit(r, dims), K: 5}); err != nil {
					errs <- fmt.Errorf("reader %d: %w", rd, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: vecs[0][0], K: writers * perWriter * 2})
	if got, want := len(hits), writers*perWriter; got != want {
		t.Fatalf("after concurrent upserts: %d vectors, want %d", got, want)
	}
	for w := range writers {
		for i := range perWriter {
			hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: vecs[w][i], K: 1})
			if len(hits) != 1 || hits[0].ChunkID != ids[w][i] {
				t.Fatalf("vector %d of writer %d: top hit %v, want %s", i, w, vecHitIDs(hits), ids[w][i])
			}
		}
	}
}

func vectorDims(t *testing.T, s ragkb.VectorStore, dims int) {
	tenant, res := ragkb.NewID("ten"), ragkb.NewID("res")
	vecMustUpsert(t, s, ragkb.VectorRecord{ChunkID: ragkb.NewID("chk"), TenantID: tenant, ResourceID: res, Vector: vecAxis(dims, 0)})
	tests := []struct {
		name string
		call func() error
	}{
		{name: "upsert shorter", call: func() error {
			return s.Upsert(context.Background(), []ragkb.VectorRecord{{ChunkID: ragkb.NewID("chk"), TenantID: tenant, ResourceID: res, Vector: vecAxis(dims-1, 0)}})
		}},
		{name: "upsert longer", call: func() error {
			return s.Upsert(context.Background(), []ragkb.VectorRecord{{ChunkID: ragkb.NewID("chk"), TenantID: tenant, ResourceID: res, Vector: vecAxis(dims+1, 0)}})
		}},
		{name: "search shorter", call: func() error {
			_, err := s.Search(context.Background(), ragkb.VectorQuery{TenantID: tenant, Vector: vecAxis(dims-1, 0), K: 1})
			return err
		}},
		{name: "search longer", call: func() error {
			_, err := s.Search(context.Background(), ragkb.VectorQuery{TenantID: tenant, Vector: vecAxis(dims+1, 0), K: 1})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if got, want := ragkb.ErrorCodeOf(err), ragkb.EINVALID; got != want {
				t.Fatalf("error code %q (%v), want %q", got, err, want)
			}
		})
	}
	hits := vecMustSearch(t, s, ragkb.VectorQuery{TenantID: tenant, Vector: vecAxis(dims, 0), K: 10})
	if len(hits) != 1 {
		t.Fatalf("after rejected upserts: %d vectors, want 1", len(hits))
	}
}
