package vectorindex

import (
	"flag"
	"math"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"
)

var tune = flag.Bool("tune", false, "compare graph parameters (slow)")

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

// TestTuneGraph prints build cost, search cost and recall@10 for graph
// parameters; run with -run TuneGraph -v -args -tune.
func TestTuneGraph(t *testing.T) {
	if !*tune {
		t.Skip("run with -args -tune")
	}
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
			start := cpuNow()
			ix := newIndex(newGraph(dims, m, efc, 1))
			for i, v := range data {
				ix.upsert(string(rune(i)), "r", "", v)
			}
			build := cpuNow() - start
			for _, ef := range []int{32, 64, 96, 128} {
				p := searchParams{k: 10, ef: ef, exactThreshold: -1}
				recall := func(qs [][]float32, truth [][]int32) (float64, time.Duration) {
					found := 0
					start := cpuNow()
					for qi, q := range qs {
						for _, c := range ix.search(q, nil, p) {
							if slices.Contains(truth[qi], c.slot) {
								found++
							}
						}
					}
					return float64(found) / float64(10*len(qs)), (cpuNow() - start) / time.Duration(len(qs))
				}
				r1, t1 := recall(queries, want)
				r2, t2 := recall(far, wantFar)
				t.Logf("M %2d efc %3d build %6.1fs | ef %3d: recall %.3f (%4dµs)  unrelated-topic recall %.3f (%4dµs)",
					m, efc, build.Seconds(), ef, r1, t1.Microseconds(), r2, t2.Microseconds())
			}
		}
	}
}
