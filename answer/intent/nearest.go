package intent

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// Nearest is a nearest-phrasing index over a tenant's custom questions and
// their example phrasings: one class per custom question, no trained
// weights. It is what lets a tenant have 100,000 custom questions: a linear
// model needs a weight row per class and a softmax over every class, which
// costs memory and time in proportion to the number of questions, while
// Nearest holds posting lists of the phrasings' words and finds the closest
// phrasings of a question in two steps:
//
//  1. candidates: the phrasings sharing words, stems or word bigrams with
//     the question, scored by the TF-IDF weight of what they share (posting
//     lists of features in more than maxPostingShare of the phrasings are
//     skipped: such words say little and cost most);
//  2. the best maxCandidates of them are scored exactly: the cosine of
//     their TF-IDF vectors over every feature group (character n-grams
//     included), recomputed from their text, the same similarity the
//     Classifier's nearest-example scorer uses.
//
// Document frequencies are the base classifier's (the built-ins) plus the
// phrasings' own, counted in a count-min sketch, so no per-feature
// vocabulary is held. A Nearest is immutable and safe for concurrent use;
// Classifier.ClassifyNear combines it with a Classifier.
type Nearest struct {
	base    *Classifier
	classes []string // class names, by class index
	class   []int32  // class of each phrasing
	texts   []string // text of each phrasing
	norm    []float32
	// Posting lists of the word, stem and bigram features, sorted by key.
	keys  []uint64
	start []int32
	docs  []int32
	// Count-min sketch of the phrasings' document frequencies.
	sketch [2][]uint16
	mask   uint64
	n      float64 // documents: the base's examples and the phrasings
	maxIDF float32
	pool   sync.Pool // *nearScratch
}

// maxCandidates is how many phrasings step 2 scores exactly.
const maxCandidates = 32

// maxPostingShare is the share of phrasings above which a feature's posting
// list is not walked in step 1 (when the list is also longer than
// minSkippedPosting).
const (
	maxPostingShare   = 0.05
	minSkippedPosting = 2000
)

type nearScratch struct {
	acc     []float32
	touched []int32
	// The question's features by key, for cosine: an open-addressing table
	// of their indices plus one (0 is empty), and a phrasing's count of each.
	slots []int32
	count []int32
	qdot  []float64 // per question feature, see search
}

// logTFs are 1+ln(c), the term frequency weight of a count c, for small c.
var logTFs = func() (t [64]float64) {
	for c := 1; c < len(t); c++ {
		t[c] = 1 + math.Log(float64(c))
	}
	return t
}()

func logTF(c int32) float64 {
	if c < int32(len(logTFs)) {
		return logTFs[c]
	}
	return 1 + math.Log(float64(c))
}

// index fills s's table with the keys of q (weights qw) and each
// feature's share of a cosine's dot product before the phrasing's term
// frequency: its weight squared over its own term frequency.
func (s *nearScratch) index(q []rawFeature, qw []float32) {
	s.qdot = slices.Grow(s.qdot[:0], len(q))[:len(q)]
	for i, f := range q {
		s.qdot[i] = float64(qw[i]) * float64(qw[i]) / (1 + math.Log(float64(f.count)))
	}
	size := 64
	for size < 2*len(q) {
		size <<= 1
	}
	if cap(s.slots) < size {
		s.slots = make([]int32, size)
	}
	s.slots = s.slots[:size]
	clear(s.slots)
	s.count = slices.Grow(s.count[:0], len(q))[:len(q)]
	mask := uint64(size - 1)
	for i, f := range q {
		h := slot(f.key) & mask
		for s.slots[h] != 0 {
			h = (h + 1) & mask
		}
		s.slots[h] = int32(i + 1)
	}
}

// find returns the index in q of the feature key, or -1.
func (s *nearScratch) find(q []rawFeature, key uint64) int {
	mask := uint64(len(s.slots) - 1)
	for h := slot(key) & mask; ; h = (h + 1) & mask {
		i := s.slots[h]
		if i == 0 {
			return -1
		}
		if q[i-1].key == key {
			return int(i - 1)
		}
	}
}

// slot mixes a feature key's bits for the table (keys are FNV hashes, whose
// low bits alone are weaker).
func slot(key uint64) uint64 { return (key ^ key>>31) * 0x9e3779b97f4a7c15 >> 32 }

// NewNearest indexes phrasings (Example.Intent is the class, e.g. one per
// custom question) with the features and document frequencies of base.
func NewNearest(base *Classifier, phrasings []Example) *Nearest {
	phrasings = usable(phrasings)
	n := &Nearest{base: base, texts: make([]string, len(phrasings)), class: make([]int32, len(phrasings)), norm: make([]float32, len(phrasings))}
	classOf := map[string]int32{}
	raws := make([][]rawFeature, len(phrasings))
	occurrences := 0
	for i, p := range phrasings {
		c, ok := classOf[p.Intent]
		if !ok {
			c = int32(len(n.classes))
			classOf[p.Intent] = c
			n.classes = append(n.classes, p.Intent)
		}
		n.class[i], n.texts[i] = c, p.Text
		raws[i] = base.ext.extract(p.Text)
		occurrences += len(raws[i])
	}
	size := uint64(4096)
	for size < uint64(occurrences) && size < 1<<22 {
		size <<= 1
	}
	n.mask = size - 1
	n.sketch = [2][]uint16{make([]uint16, size), make([]uint16, size)}
	type posting struct {
		key uint64
		doc int32
	}
	var posts []posting
	for d, raw := range raws {
		for _, f := range raw {
			for r := range n.sketch {
				b := &n.sketch[r][n.bucket(f.key, r)]
				if *b < math.MaxUint16 {
					*b++
				}
			}
			if f.group != uint8(groupChar) {
				posts = append(posts, posting{f.key, int32(d)})
			}
		}
	}
	n.n = float64(len(base.examples) + len(phrasings))
	n.maxIDF = float32(math.Log(1+n.n) + 1)
	// The phrasings' norms, now that every frequency is known.
	for d, raw := range raws {
		var sum float64
		for _, f := range raw {
			w := float64(n.weight(f))
			sum += w * w
		}
		n.norm[d] = float32(math.Sqrt(sum))
	}
	slices.SortFunc(posts, func(a, b posting) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.doc, b.doc))
	})
	n.docs = make([]int32, len(posts))
	for i, p := range posts {
		if len(n.keys) == 0 || n.keys[len(n.keys)-1] != p.key {
			n.keys = append(n.keys, p.key)
			n.start = append(n.start, int32(i))
		}
		n.docs[i] = p.doc
	}
	n.start = append(n.start, int32(len(posts)))
	n.keys, n.start = slices.Clip(n.keys), slices.Clip(n.start)
	n.pool.New = func() any { return &nearScratch{acc: make([]float32, len(n.texts))} }
	return n
}

// Len is the number of indexed phrasings.
func (n *Nearest) Len() int { return len(n.texts) }

// MemoryBytes estimates the memory n holds (not the phrasings' texts,
// which belong to the caller).
func (n *Nearest) MemoryBytes() int {
	return 16*len(n.texts) + 12*len(n.keys) + 4*len(n.docs) + 4*len(n.norm) + 4*len(n.class) +
		2*len(n.sketch[0])*len(n.sketch) + 24*len(n.classes)
}

func (n *Nearest) bucket(key uint64, row int) uint64 {
	if row == 1 {
		key = (key ^ key>>29) * 0xbf58476d1ce4e5b9
		key ^= key >> 32
	}
	return key & n.mask
}

// df is the document frequency of a feature: the base classifier's plus
// the phrasings' (a count-min estimate, never below the true count).
func (n *Nearest) df(key uint64) float64 {
	d := float64(min(n.sketch[0][n.bucket(key, 0)], n.sketch[1][n.bucket(key, 1)]))
	if i, ok := n.base.vocab.index[key]; ok {
		// idf = log((1+N)/(1+df)) + 1, so df = (1+N)/exp(idf-1) - 1.
		nb := float64(len(n.base.examples))
		d += math.Round((1+nb)/math.Exp(float64(n.base.vocab.idf[i])-1) - 1)
	}
	return d
}

// weight is a feature's TF-IDF weight before normalisation, as
// vocabulary.vector computes it.
func (n *Nearest) weight(f rawFeature) float32 {
	gw := n.base.vocab.weights[f.group]
	if gw == 0 {
		return 0
	}
	tf := 1 + float32(math.Log(float64(f.count)))
	idf := float32(math.Log((1+n.n)/(1+n.df(f.key))) + 1)
	return tf * idf * gw
}

// nearClass is a class with the similarity of its closest phrasing.
type nearClass struct {
	class int32
	sim   float64
}

// search returns the classes of the phrasings closest to a question with
// features q, best first, at most maxCandidates.
func (n *Nearest) search(q []rawFeature) []nearClass {
	if len(n.texts) == 0 || len(q) == 0 {
		return nil
	}
	qw := make([]float32, len(q))
	var qn float64
	for i, f := range q {
		qw[i] = n.weight(f)
		qn += float64(qw[i]) * float64(qw[i])
	}
	if qn == 0 {
		return nil
	}
	qinv := float32(1 / math.Sqrt(qn))
	s := n.pool.Get().(*nearScratch)
	defer n.pool.Put(s)
	s.touched = s.touched[:0]
	skip := max(minSkippedPosting, int(maxPostingShare*float64(len(n.texts))))
	for i, f := range q {
		if f.group == uint8(groupChar) || qw[i] == 0 {
			continue
		}
		j, ok := slices.BinarySearch(n.keys, f.key)
		if !ok {
			continue
		}
		lo, hi := n.start[j], n.start[j+1]
		if int(hi-lo) > skip {
			continue
		}
		// The phrasing's weight of the feature, taking its count as one.
		v := qw[i] * qinv * (qw[i] / (1 + float32(math.Log(float64(f.count)))))
		for _, d := range n.docs[lo:hi] {
			if s.acc[d] == 0 {
				s.touched = append(s.touched, d)
			}
			s.acc[d] += v / n.norm[d]
		}
	}
	cands := topDocs(s.touched, s.acc, maxCandidates)
	for _, d := range s.touched {
		s.acc[d] = 0
	}
	best := map[int32]float64{}
	s.index(q, qw)
	for _, d := range cands {
		sim := n.cosine(s, q, qw, qinv, d)
		if b, ok := best[n.class[d]]; !ok || sim > b {
			best[n.class[d]] = sim
		}
	}
	out := make([]nearClass, 0, len(best))
	for c, sim := range best {
		out = append(out, nearClass{c, sim})
	}
	slices.SortFunc(out, func(a, b nearClass) int { return cmp.Or(cmp.Compare(b.sim, a.sim), cmp.Compare(a.class, b.class)) })
	return out
}

// cosine is the exact TF-IDF cosine of the question (features q sorted by
// key, weights qw, inverse norm qinv, indexed in s) and phrasing d. A
// feature they share has the same IDF on both sides, so the phrasing's
// weight of it is the question's divided by the question's term frequency,
// times its own. The phrasing's features are recomputed from its text (the
// index holds no vectors) and counted only where the question has them: no
// sorting, no allocation beyond the text's words.
func (n *Nearest) cosine(s *nearScratch, q []rawFeature, qw []float32, qinv float32, d int32) float64 {
	if n.norm[d] == 0 {
		return 0
	}
	clear(s.count)
	n.base.ext.each(normalize(n.texts[d]), func(key, _ uint64) {
		if i := s.find(q, key); i >= 0 {
			s.count[i]++
		}
	})
	var dot float64
	for i, c := range s.count {
		if c > 0 && qw[i] != 0 {
			dot += s.qdot[i] * logTF(c)
		}
	}
	return dot * float64(qinv) / float64(n.norm[d])
}

// topDocs returns the k documents of docs with the highest score, best
// first (ties by document), without sorting all of docs.
func topDocs(docs []int32, score []float32, k int) []int32 {
	better := func(a, b int32) bool { return score[a] > score[b] || score[a] == score[b] && a < b }
	h := make([]int32, 0, k) // min-heap on "better": h[0] is the worst kept
	down := func(i int) {
		for {
			l, r, m := 2*i+1, 2*i+2, i
			if l < len(h) && better(h[m], h[l]) {
				m = l
			}
			if r < len(h) && better(h[m], h[r]) {
				m = r
			}
			if m == i {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for _, d := range docs {
		switch {
		case len(h) < k:
			h = append(h, d)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !better(h[p], h[i]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
		case better(d, h[0]):
			h[0] = d
			down(0)
		}
	}
	slices.SortFunc(h, func(a, b int32) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
	return h
}

// NearSlope is the weight of a custom class's similarity in its score, in
// place of the linear model's logit and the nearest-example term of a
// trained class: KNNWeight (the nearest-example term) plus NearSlope. A
// linear class trained on one to three examples has weights close to a
// multiple of its examples' vectors, so its logit grows with the similarity
// to them; NearSlope is that multiple, measured on the built-ins by
// TestNearSlope (classes trained from one example each).
const NearSlope = 8.0

// ClassifyNear classifies text over c's intents and the classes of near
// (nil: Classify). The classes of near score (KNNWeight+NearSlope) times
// the similarity to their closest phrasing, on the scale of c's combined
// scores, and share c's calibrated softmax; only the classes near finds as
// candidates take part, so the cost does not grow with near's size.
func (c *Classifier) ClassifyNear(near *Nearest, text string) Prediction {
	if near == nil || near.Len() == 0 {
		return c.Classify(text)
	}
	z, names, maxSim, empty := c.distributionNear(near, text)
	if len(z) == 0 {
		return Prediction{OutOfScope: true}
	}
	order := make([]int, len(z))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(z[b], z[a]) })
	p := Prediction{Intent: names[order[0]], Confidence: z[order[0]], Similarity: maxSim}
	p.OutOfScope = p.Intent == OutOfScopeIntent || empty || maxSim < c.opts.MinSimilarity || p.Confidence < c.opts.MinConfidence
	if len(order) > 1 {
		p.Margin = z[order[0]] - z[order[1]]
	} else {
		p.Margin = p.Confidence
	}
	k := min(c.opts.TopN, len(order))
	p.Top = make([]Scored, k)
	for i := range k {
		p.Top[i] = Scored{Intent: names[order[i]], Confidence: z[order[i]]}
	}
	return p
}

// ProbabilitiesNear is Probabilities over c's intents and the candidate
// classes of near (classes that are not candidates have none).
func (c *Classifier) ProbabilitiesNear(near *Nearest, text string) map[string]float64 {
	if near == nil || near.Len() == 0 {
		return c.Probabilities(text)
	}
	z, names, _, _ := c.distributionNear(near, text)
	m := make(map[string]float64, len(z))
	for i, p := range z {
		m[names[i]] = p
	}
	return m
}

// distributionNear returns the calibrated probabilities of c's intents and
// near's candidate classes with their names, the similarity to the closest
// example or phrasing, and whether the question has no known feature.
func (c *Classifier) distributionNear(near *Nearest, text string) ([]float64, []string, float64, bool) {
	text = truncate(text, MaxTextBytes)
	feats := c.ext.extract(text)
	cands := near.search(feats)
	z := make([]float64, 0, len(c.intents)+len(cands))
	names := make([]string, 0, len(c.intents)+len(cands))
	maxSim := 0.0
	empty := true
	if len(c.intents) > 0 {
		s := c.scratch.Get().(*scratch)
		x, _ := c.vocab.vector(feats)
		maxSim = c.scores(x, s)
		z = append(z, s.z...)
		c.scratch.Put(s)
		names = append(names, c.intents...)
		empty = len(x.idx) == 0
	}
	slope := max(c.opts.KNNWeight, 0) + NearSlope
	for _, nc := range cands {
		z = append(z, slope*nc.sim)
		names = append(names, near.classes[nc.class])
		maxSim = max(maxSim, nc.sim)
		if nc.sim > 0 {
			empty = false
		}
	}
	for i := range z {
		z[i] /= c.temperature
	}
	softmaxInPlace(z)
	return z, names, maxSim, empty
}

// MemoryBytes estimates the memory the classifier holds (model, index and
// vocabulary, not the shared example features).
func (c *Classifier) MemoryBytes() int { return c.memoryBytes() }

// MemoryBytes estimates the memory of the embedded examples.
func (s *Semantic) MemoryBytes() int {
	n := 4 * len(s.class)
	for _, v := range s.vecs {
		n += 24 + 4*len(v)
	}
	// With centroids: per vector its language, norm and centroid products
	// (the vector itself is counted above), and per class its languages.
	n += 64*len(s.cvecs) + 64*len(s.langs)
	return n
}
