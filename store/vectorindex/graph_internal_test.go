package vectorindex

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// topicVectors returns n unit vectors around c topics (as in the external tests).
func topicVectors(seed uint64, n, c, dims int) [][]float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	unit := func() []float32 {
		v := make([]float32, dims)
		var s float64
		for i := range v {
			f := r.NormFloat64()
			v[i], s = float32(f), s+f*f
		}
		for i := range v {
			v[i] = float32(float64(v[i]) / math.Sqrt(s))
		}
		return v
	}
	centres := make([][]float32, c)
	for i := range centres {
		centres[i] = unit()
	}
	out := make([][]float32, n)
	for i := range out {
		ctr, noise := centres[r.IntN(c)], unit()
		v := make([]float32, dims)
		var s float64
		for j := range v {
			v[j] = ctr[j] + 0.9*noise[j]
			s += float64(v[j]) * float64(v[j])
		}
		for j := range v {
			v[j] = float32(float64(v[j]) / math.Sqrt(s))
		}
		out[i] = v
	}
	return out
}

// BenchmarkGraphParams compares graph parameters: per M and efConstruction
// the build's CPU time (build-s), and per ef the search time (ns/op, over
// the related-topic queries) with recall@10 on related and unrelated-topic
// queries. Slow (20,000 384-dimensional vectors per build):
//
//	go test ./store/vectorindex -run '^$' -bench GraphParams -benchtime 1x
func BenchmarkGraphParams(b *testing.B) {
	const n, dims = 20_000, 384
	all := topicVectors(1, n+200, 200, dims)
	data, queries := all[:n], all[n:]
	far := topicVectors(2, 200, 50, dims)
	truth := func(q []float32) []int32 {
		c := candHeap{}
		for i, v := range data {
			c.pushBounded(cand{int32(i), dot(q, v)}, 10)
		}
		var ids []int32
		for _, x := range c.items {
			ids = append(ids, x.slot)
		}
		return ids
	}
	var want, wantFar [][]int32
	for _, q := range queries {
		want = append(want, truth(q))
	}
	for _, q := range far {
		wantFar = append(wantFar, truth(q))
	}
	for _, m := range []int{12, 16} {
		for _, efc := range []int{64, 100, 128} {
			var ix *index
			var build time.Duration
			for _, ef := range []int{32, 64, 96, 128} {
				b.Run(fmt.Sprintf("M=%d/efc=%d/ef=%d", m, efc, ef), func(b *testing.B) {
					if ix == nil { // one build per M and efc, shared by its ef runs
						start := cpuNow()
						ix = newIndex(newGraph(dims, m, efc, 1), -1)
						for i, v := range data {
							ix.upsert(string(rune(i)), "r", "", v)
						}
						build = cpuNow() - start
					}
					p := searchParams{k: 10, ef: ef, exactThreshold: -1}
					recall := func(qs [][]float32, truth [][]int32) float64 {
						found := 0
						for qi, q := range qs {
							for _, c := range ix.search(q, nil, p) {
								if slices.Contains(truth[qi], c.slot) {
									found++
								}
							}
						}
						return float64(found) / float64(10*len(qs))
					}
					b.ResetTimer()
					for i := 0; b.Loop(); i++ {
						ix.search(queries[i%len(queries)], nil, p)
					}
					b.StopTimer()
					b.ReportMetric(recall(queries, want), "recall@10")
					b.ReportMetric(recall(far, wantFar), "far-recall@10")
					b.ReportMetric(build.Seconds(), "build-s")
				})
			}
		}
	}
}

// TestGraphRecall checks the graph itself (Store searches fall back to an
// exact scan, which would hide a broken graph): built incrementally and
// built at once by linkAll, with tombstones, against brute force.
func TestGraphRecall(t *testing.T) {
	const n, dims, k = 3000, 32, 10
	all := topicVectors(3, n+100, 30, dims)
	data, queries := all[:n], all[n:]
	tests := []struct {
		name   string
		linkAt int
		batch  int // > 0: link in parallel rounds after every batch of this many
		kill   int // every kill-th vector is deleted afterwards (0 = none)
	}{
		{name: "incremental", linkAt: -1},
		{name: "linked at once", linkAt: 2000},
		{name: "linked at once in parallel", linkAt: 2000, batch: n},
		{name: "parallel rounds per batch", linkAt: -1, batch: 100},
		{name: "with tombstones", linkAt: -1, kill: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := newIndex(newGraph(dims, 16, 100, 7), tt.linkAt)
			ix.manualLink = tt.batch > 0
			for i, v := range data {
				ix.upsert(string(rune(i+1)), "r", "", v)
				if tt.batch > 0 && (i+1)%tt.batch == 0 {
					ix.linkNow(2)
				}
			}
			if !ix.g.linked {
				t.Fatal("graph not linked past linkAt")
			}
			if tt.kill > 0 {
				for i := 0; i < n; i += tt.kill {
					ix.delete(string(rune(i + 1)))
				}
			}
			var found, total int
			for _, q := range queries {
				var truth candHeap
				for i, v := range data {
					if ix.alive(int32(i)) {
						truth.pushBounded(cand{int32(i), dot(q, v)}, k)
					}
				}
				var accept func(int32) bool
				if tt.kill > 0 {
					accept = ix.alive
				}
				got := ix.g.search(q, 64, accept)
				if len(got) < k {
					t.Fatalf("graph returned %d results, want >= %d", len(got), k)
				}
				for _, c := range got[:k] {
					if !ix.alive(c.slot) {
						t.Fatalf("graph returned deleted slot %d", c.slot)
					}
					if slices.ContainsFunc(truth.items, func(x cand) bool { return x.slot == c.slot }) {
						found++
					}
				}
				total += k
			}
			if recall := float64(found) / float64(total); recall < 0.95 {
				t.Fatalf("graph recall@%d = %.3f, want >= 0.95", k, recall)
			}
		})
	}
}
