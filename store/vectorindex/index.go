package vectorindex

import (
	"slices"
	"strings"
)

// index is the in-memory state of one tenant's partition: the graph (which
// owns the vectors) and, per slot, the chunk's keys. Slots are never reused;
// a replaced or deleted chunk leaves a tombstone until the next rebuild.
type index struct {
	g        *graph
	ids      []string
	docs     []string
	res      []int32
	dead     []bool
	byID     map[string]int32
	resIDs   map[string]int32
	resNames []string
	resSlots []map[int32]struct{} // live slots of each resource
	live     int
	tomb     int
	// linkAt is the number of live vectors above which the graph is linked
	// (below it every search is exact); negative links from the start.
	linkAt int
	// manualLink leaves linking to the owner, which links in parallel and
	// outside its lock so searches go on meanwhile: new slots of a linked
	// graph wait in pending.
	manualLink bool
	pending    []int32
}

func newIndex(g *graph, linkAt int) *index {
	if linkAt < 0 && g.len() == 0 {
		g.linked = true
	}
	return &index{g: g, byID: map[string]int32{}, resIDs: map[string]int32{}, linkAt: linkAt}
}

// needsLink reports whether the partition outgrew exact search.
func (ix *index) needsLink() bool { return !ix.g.linked && ix.live > ix.linkAt }

// maybeLink links the graph once the partition outgrows exact search.
func (ix *index) maybeLink() {
	if ix.needsLink() {
		ix.g.linkAll(ix.alive, 1)
	}
}

// linkNow links pending slots, and the whole graph if the partition
// outgrew exact search, with workers goroutines. Nothing else may use the
// index meanwhile.
func (ix *index) linkNow(workers int) {
	if len(ix.pending) > 0 {
		ix.g.linkMany(ix.pending, ix.alive, workers, nil)
		ix.pending = nil
	}
	if ix.needsLink() {
		ix.g.linkAll(ix.alive, workers)
	}
}

func (ix *index) alive(slot int32) bool { return !ix.dead[slot] }

func (ix *index) resource(name string) int32 {
	if r, ok := ix.resIDs[name]; ok {
		return r
	}
	r := int32(len(ix.resNames))
	ix.resIDs[name] = r
	ix.resNames = append(ix.resNames, name)
	ix.resSlots = append(ix.resSlots, map[int32]struct{}{})
	return r
}

// upsert inserts or replaces a chunk's vector (already normalised).
func (ix *index) upsert(chunkID, resourceID, documentID string, v []float32) {
	r := ix.resource(resourceID)
	if slot, ok := ix.byID[chunkID]; ok {
		if slices.Equal(ix.g.vec(slot), v) {
			// Same vector: only the keys change, the graph stays as it is.
			delete(ix.resSlots[ix.res[slot]], slot)
			ix.res[slot] = r
			ix.docs[slot] = documentID
			ix.resSlots[r][slot] = struct{}{}
			return
		}
		ix.kill(slot)
	}
	slot := int32(len(ix.ids))
	ix.ids = append(ix.ids, chunkID)
	ix.docs = append(ix.docs, documentID)
	ix.res = append(ix.res, r)
	ix.dead = append(ix.dead, false)
	ix.g.add(v, ix.alive, ix.manualLink)
	if ix.g.linked && ix.manualLink {
		ix.pending = append(ix.pending, slot)
	}
	ix.byID[chunkID] = slot
	ix.resSlots[r][slot] = struct{}{}
	ix.live++
	if !ix.manualLink {
		ix.maybeLink()
	}
}

func (ix *index) kill(slot int32) {
	ix.dead[slot] = true
	delete(ix.byID, ix.ids[slot])
	delete(ix.resSlots[ix.res[slot]], slot)
	ix.live--
	ix.tomb++
}

func (ix *index) delete(chunkID string) {
	if slot, ok := ix.byID[chunkID]; ok {
		ix.kill(slot)
	}
}

func (ix *index) deleteResource(resourceID string) {
	r, ok := ix.resIDs[resourceID]
	if !ok {
		return
	}
	for slot := range ix.resSlots[r] {
		ix.kill(slot)
	}
}

// rebuilt returns a new index holding only the live chunks, with a fresh graph.
func (ix *index) rebuilt(g *graph, workers int) *index {
	nx := newIndex(g, ix.linkAt)
	nx.manualLink = true
	nx.g.vecs = make([]float32, 0, ix.live*ix.g.dims)
	for slot := range ix.ids {
		if ix.dead[slot] {
			continue
		}
		s := int32(slot)
		nx.upsert(ix.ids[slot], ix.resNames[ix.res[slot]], ix.docs[slot], ix.g.vec(s))
	}
	nx.linkNow(workers)
	return nx
}

// searchParams tune one search.
type searchParams struct {
	k              int
	ef             int
	exactThreshold int
}

// search returns up to k live slots nearest to q, best first, restricted to
// the resources in filter when it is not empty.
func (ix *index) search(q []float32, filter []string, p searchParams) []cand {
	var (
		accept    func(int32) bool
		allowed   []bool
		candCount = ix.live
	)
	if len(filter) > 0 {
		allowed = make([]bool, len(ix.resNames))
		candCount = 0
		for _, name := range filter {
			if r, ok := ix.resIDs[name]; ok && !allowed[r] {
				allowed[r] = true
				candCount += len(ix.resSlots[r])
			}
		}
		accept = func(s int32) bool { return !ix.dead[s] && allowed[ix.res[s]] }
	} else if ix.tomb > 0 {
		accept = ix.alive
	}
	if candCount == 0 {
		return nil
	}
	k := min(p.k, candCount)
	// An exact scan costs one dot product per candidate; a graph search
	// about as much as an exact scan of exactThreshold vectors, times
	// live/candCount with a filter (rejected slots route but do not count).
	// So scan when candCount^2 <= exactThreshold*live.
	if !ix.g.linked || candCount <= p.exactThreshold ||
		(candCount < ix.live && int64(candCount)*int64(candCount) <= int64(p.exactThreshold)*int64(ix.live)) {
		return ix.exact(q, k, allowed)
	}
	// Rejected slots (other resources, tombstones) route the search but do
	// not fill the beam, so a filter makes it explore further by itself.
	ef := max(p.ef, k)
	res := ix.g.search(q, ef, accept)
	if len(res) < k {
		return ix.exact(q, k, allowed)
	}
	return res[:k]
}

// candidates counts the live slots of the allowed resources.
func (ix *index) candidates(allowed []bool) int {
	n := 0
	for r, ok := range allowed {
		if ok {
			n += len(ix.resSlots[r])
		}
	}
	return n
}

// exact scans the live slots (of the allowed resources when allowed is not
// nil) and returns the k best, best first.
func (ix *index) exact(q []float32, k int, allowed []bool) []cand {
	h := candHeap{items: make([]cand, 0, k+1)}
	consider := func(s int32) {
		sim := dot(q, ix.g.vec(s))
		if h.keep(sim, k) {
			h.pushBounded(cand{s, sim}, k)
		}
	}
	switch {
	case allowed == nil:
		for s := range ix.dead {
			if !ix.dead[s] {
				consider(int32(s))
			}
		}
	case len(ix.dead) <= 8*ix.candidates(allowed):
		// A large share is allowed: a linear pass in slot order is kinder
		// to the cache than walking the resources' slot sets.
		for s := range ix.dead {
			if !ix.dead[s] && allowed[ix.res[s]] {
				consider(int32(s))
			}
		}
	default:
		for r, ok := range allowed {
			if !ok {
				continue
			}
			for s := range ix.resSlots[r] {
				consider(s)
			}
		}
	}
	out := h.items
	slices.SortFunc(out, func(a, b cand) int {
		if a.sim > b.sim {
			return -1
		}
		if a.sim < b.sim {
			return 1
		}
		return strings.Compare(ix.ids[a.slot], ix.ids[b.slot])
	})
	return out
}
