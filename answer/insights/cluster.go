package insights

import (
	"math"
	"slices"
)

// Clustering groups questions by meaning without being told how many
// topics there are: each question is linked to its nearest neighbours, a link
// weighs how much closer the two are than the set's background similarity,
// and the communities of that graph (Louvain modularity) are the topics.
//
// Links are relative (nearest neighbours, minus the median similarity), not
// an absolute cut-off, because embedders disagree wildly on what "similar"
// scores: multilingual-e5 puts unrelated questions at 0.8, OpenAI's models at
// 0.2, the local n-gram embedder at 0.05.

// Parameters, measured by TestClusterQuality (multilingual-e5-small and the
// local embedder; 30 gap questions of three kinds in three languages, and
// three examples per language of every built-in intent): five neighbours
// and resolution 1 keep topics pure (few questions of another kind in a
// topic, so applying a topic teaches few wrong examples) at the price of
// splitting some kinds in two; eight neighbours or resolution 0.7 merged
// more and purer topics became rarer.
const (
	neighbours = 5
	resolution = 1.0
	// minLanguageGroup is the fewest questions of a language whose own mean
	// is removed; smaller groups use the mean of all questions.
	minLanguageGroup = 5
)

// cluster returns the community of each vector (community ids are dense, 0..k-1).
// cluster returns the topic of each vector (ids dense, 0..k-1); langs are
// the questions' languages.
func cluster(vecs [][]float32, langs []string) []int {
	if len(vecs) == 0 {
		return nil
	}
	return clusterWith(centre(vecs, langs, minLanguageGroup), neighbours, 0.5, resolution)
}

// centre subtracts from each vector the mean of the vectors of its group
// (language) and re-normalises: multilingual embedders place questions of
// one language near each other whatever they ask, and that shared
// direction is what the mean of many questions of one language is.
func centre(vecs [][]float32, group []string, minGroup int) [][]float32 {
	dims := len(vecs[0])
	mean := func(idx []int) []float32 {
		m := make([]float32, dims)
		for _, i := range idx {
			for d, x := range vecs[i] {
				m[d] += x
			}
		}
		for d := range m {
			m[d] /= float32(len(idx))
		}
		return m
	}
	byGroup := map[string][]int{}
	var all []int
	for i := range vecs {
		byGroup[group[i]] = append(byGroup[group[i]], i)
		all = append(all, i)
	}
	global := mean(all)
	out := make([][]float32, len(vecs))
	for _, idx := range byGroup {
		m := global
		if len(idx) >= minGroup {
			m = mean(idx)
		}
		for _, i := range idx {
			v := make([]float32, dims)
			var norm float64
			for d := range v {
				v[d] = vecs[i][d] - m[d]
				norm += float64(v[d] * v[d])
			}
			if norm > 0 {
				inv := float32(1 / math.Sqrt(norm))
				for d := range v {
					v[d] *= inv
				}
			}
			out[i] = v
		}
	}
	return out
}

func clusterWith(vecs [][]float32, nb int, pct float64, res float64) []int {
	n := len(vecs)
	if n == 0 {
		return nil
	}
	if n == 1 {
		return []int{0}
	}
	sims := make([][]float32, n)
	for i := range sims {
		sims[i] = make([]float32, n)
	}
	for i := 0; i < n; i++ {
		sims[i][i] = 1
		for j := i + 1; j < n; j++ {
			s := dot(vecs[i], vecs[j])
			sims[i][j], sims[j][i] = s, s
		}
	}
	base := percentile(sims, pct)
	k := min(nb, n-1)
	g := newGraph(n)
	top := make([]int, 0, k+1)
	for i := 0; i < n; i++ {
		row := sims[i]
		// The k most similar questions (ties: lower index), by insertion
		// into a short sorted list: O(n·k), not a sort of the row.
		top = top[:0]
		for j := 0; j < n; j++ {
			if j == i || len(top) == k && row[j] <= row[top[k-1]] {
				continue
			}
			at := len(top)
			for at > 0 && row[top[at-1]] < row[j] {
				at--
			}
			top = slices.Insert(top, at, j)
			if len(top) > k {
				top = top[:k]
			}
		}
		for _, j := range top {
			if w := float64(row[j] - base); w > 0 {
				g.link(i, j, w)
			}
		}
	}
	return louvain(g, res)
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// median is the median off-diagonal similarity (sampled on large sets).
func percentile(sims [][]float32, pct float64) float32 {
	n := len(sims)
	var xs []float32
	step := 1
	if pairs := n * (n - 1) / 2; pairs > 200_000 {
		step = pairs/200_000 + 1
	}
	c := 0
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if c%step == 0 {
				xs = append(xs, sims[i][j])
			}
			c++
		}
	}
	slices.Sort(xs)
	return xs[min(len(xs)-1, int(pct*float64(len(xs))))]
}

// graph is a weighted undirected graph; adj[i][j] is the weight of i–j
// (self-loops after aggregation).
type graph struct {
	adj []map[int]float64
}

func newGraph(n int) *graph {
	g := &graph{adj: make([]map[int]float64, n)}
	for i := range g.adj {
		g.adj[i] = map[int]float64{}
	}
	return g
}

// link sets the weight of i–j to the larger of its current and w.
func (g *graph) link(i, j int, w float64) {
	if w > g.adj[i][j] {
		g.adj[i][j], g.adj[j][i] = w, w
	}
}

// louvain maximises modularity (Blondel et al. 2008): move nodes to the
// neighbouring community that gains most, then fold communities into nodes,
// until nothing moves. Deterministic: nodes are visited in index order.
func louvain(g *graph, res float64) []int {
	n := len(g.adj)
	member := make([]int, n) // original node -> current super node
	for i := range member {
		member[i] = i
	}
	for level := 0; level < 20; level++ {
		comm, moved := moveNodes(g, res)
		if !moved {
			break
		}
		comm = dense(comm)
		for i := range member {
			member[i] = comm[member[i]]
		}
		g = aggregate(g, comm)
	}
	return dense(member)
}

func moveNodes(g *graph, res float64) ([]int, bool) {
	n := len(g.adj)
	comm := make([]int, n)
	deg := make([]float64, n)
	tot := make([]float64, n)
	var m2 float64
	for i := range g.adj {
		comm[i] = i
		for j, w := range g.adj[i] {
			deg[i] += w
			if j == i {
				deg[i] += w // a self-loop counts twice in the degree
			}
		}
		tot[i] = deg[i]
		m2 += deg[i]
	}
	if m2 == 0 {
		return comm, false
	}
	movedAny := false
	for pass := 0; pass < 50; pass++ {
		moved := false
		for i := 0; i < n; i++ {
			if deg[i] == 0 {
				continue
			}
			old := comm[i]
			links := map[int]float64{}
			for j, w := range g.adj[i] {
				if j != i {
					links[comm[j]] += w
				}
			}
			tot[old] -= deg[i]
			best, bestGain := old, links[old]-res*tot[old]*deg[i]/m2
			cands := make([]int, 0, len(links))
			for c := range links {
				cands = append(cands, c)
			}
			slices.Sort(cands)
			for _, c := range cands {
				if gain := links[c] - res*tot[c]*deg[i]/m2; gain > bestGain+1e-12 {
					best, bestGain = c, gain
				}
			}
			tot[best] += deg[i]
			if best != old {
				comm[i] = best
				moved, movedAny = true, true
			}
		}
		if !moved {
			break
		}
	}
	return comm, movedAny
}

// aggregate folds each community of g into one node.
func aggregate(g *graph, comm []int) *graph {
	k := 0
	for _, c := range comm {
		k = max(k, c+1)
	}
	h := newGraph(k)
	for i := range g.adj {
		for j, w := range g.adj[i] {
			if j < i {
				continue
			}
			a, b := comm[i], comm[j]
			h.adj[a][b] += w
			if a != b {
				h.adj[b][a] += w
			}
		}
	}
	return h
}

// dense renumbers community ids 0..k-1 in order of first appearance.
func dense(comm []int) []int {
	ids := map[int]int{}
	out := make([]int, len(comm))
	for i, c := range comm {
		id, ok := ids[c]
		if !ok {
			id = len(ids)
			ids[c] = id
		}
		out[i] = id
	}
	return out
}
