package vectorindex

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/viterin/vek/vek32"
)

// graph is a hierarchical navigable small world graph (Malkov & Yashunin,
// 2016) over the slots of one partition. It owns the vectors. Deleted slots
// stay in the graph as tombstones: they still route searches but are never
// returned; the partition rebuilds the graph when tombstones pile up.
//
// graph is not safe for concurrent mutation: the partition serialises
// writers and lets readers search concurrently.
type graph struct {
	dims     int
	m        int // links per node on upper levels
	m0       int // links per node on level 0
	efc      int // candidate list size while building
	ml       float64
	rng      *rand.Rand
	vecs     []float32 // slot*dims
	levels   []uint8
	links    [][][]int32 // links[slot][level]
	entry    int32
	maxLevel int
	// linked is false while the partition is small enough for exact
	// search: vectors are stored but not linked until linkAll.
	linked bool
	visits sync.Pool // *visitSet
}

func newGraph(dims, m, efc int, seed uint64) *graph {
	return &graph{
		dims:  dims,
		m:     m,
		m0:    2 * m,
		efc:   efc,
		ml:    1 / math.Log(float64(m)),
		rng:   rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		entry: -1,
	}
}

func (g *graph) len() int { return len(g.levels) }

func (g *graph) vec(slot int32) []float32 {
	i := int(slot) * g.dims
	return g.vecs[i : i+g.dims : i+g.dims]
}

// visitSet marks visited slots with an epoch so it is reset in O(1).
type visitSet struct {
	marks []uint32
	epoch uint32
}

func (g *graph) getVisits() *visitSet {
	v, _ := g.visits.Get().(*visitSet)
	if v == nil {
		v = &visitSet{}
	}
	if len(v.marks) < g.len() {
		v.marks = make([]uint32, g.len()+g.len()/4+64)
		v.epoch = 0
	}
	v.epoch++
	if v.epoch == 0 {
		clear(v.marks)
		v.epoch = 1
	}
	return v
}

// visit marks slot and reports whether it was unvisited.
func (v *visitSet) visit(slot int32) bool {
	if v.marks[slot] == v.epoch {
		return false
	}
	v.marks[slot] = v.epoch
	return true
}

// cand is a slot with its similarity to the query (higher is closer).
type cand struct {
	slot int32
	sim  float32
}

// candHeap is a binary heap of candidates; max orders it best first,
// otherwise worst first.
type candHeap struct {
	items []cand
	max   bool
}

func (h *candHeap) less(i, j int) bool {
	if h.max {
		return h.items[i].sim > h.items[j].sim
	}
	return h.items[i].sim < h.items[j].sim
}

func (h *candHeap) push(c cand) {
	h.items = append(h.items, c)
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *candHeap) pop() cand {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= last {
			break
		}
		best := l
		if r := l + 1; r < last && h.less(r, l) {
			best = r
		}
		if !h.less(best, i) {
			break
		}
		h.items[i], h.items[best] = h.items[best], h.items[i]
		i = best
	}
	return top
}

func (h *candHeap) top() cand { return h.items[0] }
func (h *candHeap) len() int  { return len(h.items) }

// keep reports whether a slot with similarity sim would enter a worst-first
// heap bounded to n items.
func (h *candHeap) keep(sim float32, n int) bool {
	return len(h.items) < n || sim > h.items[0].sim
}

// pushBounded pushes c into a worst-first heap, dropping the worst beyond n.
func (h *candHeap) pushBounded(c cand, n int) {
	if len(h.items) < n {
		h.push(c)
		return
	}
	if c.sim > h.items[0].sim {
		h.items[0] = c
		h.pop()
		h.push(c)
	}
}

// greedy walks level from ep towards q and returns the closest slot found.
func (g *graph) greedy(q []float32, ep cand, level int) cand {
	for changed := true; changed; {
		changed = false
		for _, n := range g.links[ep.slot][level] {
			if s := dot(q, g.vec(n)); s > ep.sim {
				ep = cand{n, s}
				changed = true
			}
		}
	}
	return ep
}

// searchLayer is the beam search of the paper on one level. It returns up to
// ef slots for which accept is true (all slots when accept is nil), in no
// particular order. Slots that are not accepted still route the search.
func (g *graph) searchLayer(q []float32, eps []cand, ef, level int, accept func(int32) bool) []cand {
	vs := g.getVisits()
	defer g.visits.Put(vs)
	frontier := candHeap{items: make([]cand, 0, ef*2), max: true}
	found := candHeap{items: make([]cand, 0, ef+1)}
	for _, ep := range eps {
		vs.visit(ep.slot)
		frontier.push(ep)
		if accept == nil || accept(ep.slot) {
			found.pushBounded(ep, ef)
		}
	}
	for frontier.len() > 0 {
		c := frontier.pop()
		if found.len() >= ef && c.sim < found.top().sim {
			break
		}
		for _, n := range g.links[c.slot][level] {
			if !vs.visit(n) {
				continue
			}
			s := dot(q, g.vec(n))
			if found.len() < ef || s > found.top().sim {
				frontier.push(cand{n, s})
				if accept == nil || accept(n) {
					found.pushBounded(cand{n, s}, ef)
				}
			}
		}
	}
	return found.items
}

// search returns up to ef accepted slots near q, best first.
func (g *graph) search(q []float32, ef int, accept func(int32) bool) []cand {
	if g.entry < 0 {
		return nil
	}
	ep := cand{g.entry, dot(q, g.vec(g.entry))}
	for l := g.maxLevel; l > 0; l-- {
		ep = g.greedy(q, ep, l)
	}
	res := g.searchLayer(q, []cand{ep}, ef, 0, accept)
	slices.SortFunc(res, func(a, b cand) int {
		if a.sim > b.sim {
			return -1
		}
		if a.sim < b.sim {
			return 1
		}
		return int(a.slot - b.slot)
	})
	return res
}

func (g *graph) randomLevel() int {
	l := int(-math.Log(1-g.rng.Float64()) * g.ml)
	return min(l, 30)
}

// add appends a vector as a new slot and, when the graph is linked and
// deferLink is false, links it; alive reports whether a slot may be chosen
// as a neighbour (tombstones are not linked to).
func (g *graph) add(v []float32, alive func(int32) bool, deferLink bool) int32 {
	slot := int32(g.len())
	g.vecs = append(g.vecs, v...)
	level := g.randomLevel()
	g.levels = append(g.levels, uint8(level))
	g.links = append(g.links, make([][]int32, level+1))
	if g.linked && !deferLink {
		g.connect(slot, level, alive)
	}
	return slot
}

// linkAll links every live stored slot; later adds are linked as they come.
func (g *graph) linkAll(alive func(int32) bool, workers int) {
	var slots []int32
	for s := range g.levels {
		if alive(int32(s)) {
			slots = append(slots, int32(s))
		}
	}
	g.linkMany(slots, alive, workers, nil)
	g.linked = true
}

// linkRound is the number of slots planned together by linkMany: small
// enough that the graph a round searches is nearly current.
const linkRound = 32

// linkMany links stored, unlinked slots in rounds: the neighbourhoods of a
// round's slots are searched in parallel over the graph as it stood (read
// only), then the slots are linked one by one, each also considering the
// round's earlier slots, which the searches could not see. lock, when not
// nil, takes the partition's lock in the given mode and returns its unlock;
// without it nothing else may use the graph meanwhile.
func (g *graph) linkMany(slots []int32, alive func(int32) bool, workers int, lock func(write bool) func()) {
	if lock == nil {
		lock = func(bool) func() { return func() {} }
	}
	for len(slots) > 0 && g.entry < 0 {
		unlock := lock(true)
		g.connect(slots[0], int(g.levels[slots[0]]), alive)
		unlock()
		slots = slots[1:]
	}
	plans := make([]linkPlan, linkRound)
	for len(slots) > 0 {
		round := slots[:min(linkRound, len(slots))]
		slots = slots[len(round):]
		unlock := lock(false)
		g.planAll(round, plans[:len(round)], workers)
		unlock()
		unlock = lock(true)
		g.applyRound(plans[:len(round)], alive, workers)
		unlock()
	}
}

// backLink is a link from a round's new slot that its neighbour gets back.
type backLink struct {
	from, slot int32
	level      int
}

// applyRound links a round's planned slots: each slot's own links are chosen
// in parallel (from its plan and the round's earlier slots, which only
// depend on vectors), then the links back are added in parallel by
// neighbour, each worker owning the neighbours that fall to it, in the
// round's order, so the result is what applying the plans one by one gives.
// The graph has an entry point (linkMany links a first slot on its own).
func (g *graph) applyRound(plans []linkPlan, alive func(int32) bool, workers int) {
	workers = max(1, min(workers, len(plans)))
	backs := make([][]backLink, len(plans))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(plans); i += workers {
				backs[i] = g.chooseLinks(plans[i], plans[:i], alive)
			}
		})
	}
	wg.Wait()
	for _, p := range plans {
		if alive(p.slot) && int(g.levels[p.slot]) > g.maxLevel {
			g.entry, g.maxLevel = p.slot, int(g.levels[p.slot])
		}
	}
	for w := range workers {
		wg.Go(func() {
			var scratch []cand
			for _, bs := range backs {
				for _, b := range bs {
					if int(b.from)%workers != w {
						continue
					}
					maxLinks := g.m
					if b.level == 0 {
						maxLinks = g.m0
					}
					scratch = g.linkBackInto(b.from, b.slot, b.level, maxLinks, scratch)
				}
			}
		})
	}
	wg.Wait()
}

// chooseLinks sets p.slot's own links on each of its levels and returns the
// links back its neighbours are to get. It writes only p.slot's links.
func (g *graph) chooseLinks(p linkPlan, earlier []linkPlan, alive func(int32) bool) []backLink {
	if !alive(p.slot) {
		return nil
	}
	var backs []backLink
	q := g.vec(p.slot)
	for l := int(g.levels[p.slot]); l >= 0; l-- {
		var cs []cand
		if l < len(p.cands) {
			cs = make([]cand, 0, len(p.cands[l])+len(earlier))
			for _, c := range p.cands[l] {
				if c.slot != p.slot && alive(c.slot) {
					cs = append(cs, c)
				}
			}
		}
		for _, e := range earlier {
			if e.slot != p.slot && int(g.levels[e.slot]) >= l && alive(e.slot) && !slices.ContainsFunc(cs, func(c cand) bool { return c.slot == e.slot }) {
				cs = append(cs, cand{e.slot, dot(q, g.vec(e.slot))})
			}
		}
		neigh := g.selectNeighbors(cs, g.m)
		ls := make([]int32, 0, len(neigh))
		for _, n := range neigh {
			ls = append(ls, n.slot)
			backs = append(backs, backLink{from: n.slot, slot: p.slot, level: l})
		}
		g.links[p.slot][l] = ls
	}
	return backs
}

// linkPlan holds the neighbourhood search of one slot, per level.
type linkPlan struct {
	slot  int32
	cands [][]cand
}

// planAll searches the neighbourhoods of slots with up to workers goroutines.
func (g *graph) planAll(slots []int32, plans []linkPlan, workers int) {
	workers = max(1, min(workers, len(slots)))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(slots); i += workers {
				plans[i] = g.plan(slots[i])
			}
		})
	}
	wg.Wait()
}

// plan searches slot's neighbourhood on each of its levels that exist.
func (g *graph) plan(slot int32) linkPlan {
	p := linkPlan{slot: slot}
	level := int(g.levels[slot])
	q := g.vec(slot)
	ep := cand{g.entry, dot(q, g.vec(g.entry))}
	for l := g.maxLevel; l > level; l-- {
		ep = g.greedy(q, ep, l)
	}
	top := min(level, g.maxLevel)
	p.cands = make([][]cand, top+1)
	eps := []cand{ep}
	for l := top; l >= 0; l-- {
		p.cands[l] = g.searchLayer(q, eps, g.efc, l, nil)
		eps = p.cands[l]
	}
	return p
}

// connect links an already stored slot into the graph at levels 0..level.
func (g *graph) connect(slot int32, level int, alive func(int32) bool) {
	if g.entry < 0 {
		g.entry, g.maxLevel = slot, level
		return
	}
	q := g.vec(slot)
	ep := cand{g.entry, dot(q, g.vec(g.entry))}
	for l := g.maxLevel; l > level; l-- {
		ep = g.greedy(q, ep, l)
	}
	eps := []cand{ep}
	for l := min(level, g.maxLevel); l >= 0; l-- {
		found := g.searchLayer(q, eps, g.efc, l, nil)
		eps = found
		live := make([]cand, 0, len(found))
		for _, c := range found {
			if c.slot != slot && alive(c.slot) {
				live = append(live, c)
			}
		}
		maxLinks := g.m
		if l == 0 {
			maxLinks = g.m0
		}
		neigh := g.selectNeighbors(live, g.m)
		g.links[slot][l] = make([]int32, 0, len(neigh))
		for _, n := range neigh {
			g.links[slot][l] = append(g.links[slot][l], n.slot)
			g.linkBack(n.slot, slot, l, maxLinks)
		}
	}
	if level > g.maxLevel {
		g.entry, g.maxLevel = slot, level
	}
}

// linkBack adds slot to from's links on level. A node's links may grow to
// half as many again as maxLinks before the heuristic prunes them back to
// maxLinks: pruning on every link back was a quarter of building a 100k
// graph, and pruning in bulk loses no recall (BenchmarkSearch100k).
func (g *graph) linkBack(from, slot int32, level, maxLinks int) {
	g.linkBackInto(from, slot, level, maxLinks, nil)
}

// linkBackInto is linkBack with a scratch buffer, which it returns grown.
func (g *graph) linkBackInto(from, slot int32, level, maxLinks int, scratch []cand) []cand {
	ls := g.links[from][level]
	if len(ls) < maxLinks+maxLinks/2 {
		g.links[from][level] = append(ls, slot)
		return scratch
	}
	fv := g.vec(from)
	cs := scratch[:0]
	cs = append(cs, cand{slot, dot(fv, g.vec(slot))})
	for _, n := range ls {
		cs = append(cs, cand{n, dot(fv, g.vec(n))})
	}
	keep := g.selectNeighbors(cs, maxLinks)
	ls = ls[:0]
	for _, c := range keep {
		ls = append(ls, c.slot)
	}
	g.links[from][level] = ls
	return cs
}

// selectNeighbors is the paper's heuristic (algorithm 4): take candidates
// best first and keep one only if it is closer to the base than to every
// neighbour already kept, which preserves links towards other clusters. The
// remaining places are filled with the best pruned candidates so that nodes
// in dense regions stay well connected.
func (g *graph) selectNeighbors(cs []cand, m int) []cand {
	slices.SortFunc(cs, func(a, b cand) int {
		if a.sim > b.sim {
			return -1
		}
		if a.sim < b.sim {
			return 1
		}
		return 0
	})
	if len(cs) <= m {
		return cs
	}
	kept := make([]cand, 0, m)
	var pruned []cand
	for _, c := range cs {
		if len(kept) == m {
			break
		}
		cv := g.vec(c.slot)
		good := true
		for _, k := range kept {
			if dot(cv, g.vec(k.slot)) > c.sim {
				good = false
				break
			}
		}
		if good {
			kept = append(kept, c)
		} else {
			pruned = append(pruned, c)
		}
	}
	for _, c := range pruned {
		if len(kept) == m {
			break
		}
		kept = append(kept, c)
	}
	return kept
}

// dot is the inner product. It dominates search time, so it uses vek's
// AVX2 kernel when the CPU has one (about 5x the pure Go loop at 384
// dimensions).
func dot(a, b []float32) float32 { return vek32.Dot(a, b) }
