package intent

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// SemanticOptions tune a Semantic classifier. Zero fields take the defaults
// (DefaultSemanticOptions), which were measured with multilingual-e5-small
// on BANKING77 and the shop evaluation set (`ragkb bench -sections intent`);
// another embedder needs its own MinSimilarity, measured the same way.
type SemanticOptions struct {
	// Temperature of the softmax over the dense similarities of the intents:
	// embedding similarities of one model sit in a narrow band, so
	// small differences must count (0.01).
	Temperature float64
	// DenseWeight in [0,1] is the share of the dense distribution in the
	// combined one; the rest is the lexical classifier's (0.6).
	DenseWeight float64
	// MinSimilarity is the dense similarity to the nearest example of the
	// winning intent below which the question is out of scope (0.82: an
	// unrelated question sits near 0.77 with multilingual-e5-small, the same
	// question in another language near 0.84).
	MinSimilarity float64
	// MinConfidence is the combined probability below which the question is
	// out of scope (0.6: wrong answers at most 3% at 10 shots on BANKING77).
	MinConfidence float64
	// Centroids, when set, centre every vector on its language's mean
	// (Centroids) before comparing, so a custom question written in one
	// language matches the same question asked in another about as well as
	// in its own. Nil: raw cosine similarities.
	Centroids *Centroids
}

// crossLangDenseWeight is the dense share when the nearest intent has no
// example in the question's language.
const crossLangDenseWeight = 0.9

// DefaultSemanticOptions returns the defaults NewSemantic uses for zero fields.
func DefaultSemanticOptions() SemanticOptions { return SemanticOptions{}.withDefaults() }

// WithDefaults returns o with its zero fields set to the defaults.
func (o SemanticOptions) WithDefaults() SemanticOptions { return o.withDefaults() }

func (o SemanticOptions) withDefaults() SemanticOptions {
	o.Temperature = cmp.Or(o.Temperature, 0.01)
	o.DenseWeight = cmp.Or(o.DenseWeight, 0.6)
	o.MinSimilarity = cmp.Or(o.MinSimilarity, 0.82)
	o.MinConfidence = cmp.Or(o.MinConfidence, 0.6)
	return o
}

// Semantic adds embedding similarity to a lexical Classifier: the question's
// vector is compared with the vectors of example phrasings (a merchant's
// custom questions and their examples, the questions of the questionnaire,
// or a whole training set), the nearest example of each intent gives a
// dense distribution, and that is mixed with the lexical one. A multilingual
// embedder so matches a custom question written in English when it is asked
// in Polish or German, which shared character n-grams cannot.
//
// Intents without embedded examples keep their lexical probability (scaled
// by 1-DenseWeight), so a tenant lane can embed only the intents it answers
// with an approved text. Semantic is immutable and safe for concurrent use.
type Semantic struct {
	lex     *Classifier
	opts    SemanticOptions
	lexIdx  map[string]int
	classes []string // dense classes
	class   []int32  // class of each vector
	vecs    [][]float32
	extra   []string          // dense classes unknown to lex, after lex.intents
	langs   []map[string]bool // per dense class: its examples' languages (with Centroids)
	cvecs   []centred         // with Centroids: vecs centred (vecs then holds their vectors)
	near    *Nearest          // lexical candidates beyond lex's intents (WithNear)
}

// WithNear returns a copy of s whose lexical side is lex combined with near
// (Classifier.ClassifyNear): the custom questions of a tenant lane.
func (s *Semantic) WithNear(near *Nearest) *Semantic {
	c := *s
	c.near = near
	return &c
}

// lexical returns the lexical distribution of text over lex's intents
// followed by near's candidates (as indices of the combined intents, -1
// for a candidate without embedded examples), the lexical similarity and
// whether the question has no known feature.
func (s *Semantic) lexical(text string) ([]float64, []int, float64, bool) {
	if s.near == nil {
		p, sim, empty := s.lex.distribution(text)
		idx := make([]int, len(p))
		for i := range idx {
			idx[i] = i
		}
		return p, idx, sim, empty
	}
	p, names, sim, empty := s.lex.distributionNear(s.near, text)
	idx := make([]int, len(p))
	for i, name := range names {
		if j, ok := s.lexIdx[name]; ok {
			idx[i] = j
		} else {
			idx[i] = -1
		}
	}
	return p, idx, sim, empty
}

// NewSemantic returns a Semantic over lex with examples[i] embedded as
// vecs[i] (by the embedder that will embed the questions; vectors are
// normalised here).
func NewSemantic(lex *Classifier, examples []Example, vecs [][]float32, opts SemanticOptions) (*Semantic, error) {
	if len(examples) != len(vecs) {
		return nil, fmt.Errorf("intent: semantic: %d examples but %d vectors", len(examples), len(vecs))
	}
	s := &Semantic{lex: lex, opts: opts.withDefaults(), lexIdx: make(map[string]int, len(lex.intents))}
	for i, name := range lex.intents {
		s.lexIdx[name] = i
	}
	classOf := map[string]int32{}
	for i, e := range examples {
		if e.Intent == "" || len(vecs[i]) == 0 {
			continue
		}
		c, ok := classOf[e.Intent]
		if !ok {
			c = int32(len(s.classes))
			classOf[e.Intent] = c
			s.classes = append(s.classes, e.Intent)
			if _, known := s.lexIdx[e.Intent]; !known {
				s.lexIdx[e.Intent] = len(lex.intents) + len(s.extra)
				s.extra = append(s.extra, e.Intent)
			}
		}
		s.class = append(s.class, c)
		if cent := s.opts.Centroids; cent != nil {
			cv := cent.center(vecs[i], langOf(e))
			for len(s.langs) <= int(c) {
				s.langs = append(s.langs, map[string]bool{})
			}
			s.langs[c][cv.lang] = true
			s.cvecs = append(s.cvecs, cv)
			s.vecs = append(s.vecs, cv.vec)
		} else {
			s.vecs = append(s.vecs, normalized(vecs[i]))
		}
	}
	return s, nil
}

// Lexical returns the lexical classifier s extends.
func (s *Semantic) Lexical() *Classifier { return s.lex }

func normalized(v []float32) []float32 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n == 0 || math.Abs(n-1) < 1e-6 {
		// Already unit length (most embedders' output): shared, not copied.
		return v
	}
	inv := float32(1 / math.Sqrt(n))
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = x * inv
	}
	return out
}

func dot(a, b []float32) float64 {
	n := min(len(a), len(b))
	var sum float32
	for i := range n {
		sum += a[i] * b[i]
	}
	return float64(sum)
}

// Classify classifies text whose embedding (as a query, by the embedder of
// the examples) is q. A nil q gives the lexical prediction.
func (s *Semantic) Classify(text string, q []float32) Prediction {
	if q == nil || len(s.vecs) == 0 {
		return s.lex.ClassifyNear(s.near, text)
	}
	lexP, lexIdx, lexSim, empty := s.lexical(text)
	cent := s.opts.Centroids
	qLang := ""
	var qc centred
	if cent != nil {
		qc = cent.center(q, detectLang(text))
		q, qLang = qc.vec, qc.lang
	} else {
		q = normalized(q)
	}
	best := make([]float64, len(s.classes))
	floor := make([]float64, len(s.classes)) // the out-of-scope measure of each best example
	for i := range best {
		best[i] = -2
	}
	var inLang []bool // per dense class: has an example in the question's language
	if qLang != "" {
		inLang = make([]bool, len(s.classes))
		for c := range inLang {
			inLang[c] = c < len(s.langs) && s.langs[c][qLang]
		}
	}
	for i, v := range s.vecs {
		if inLang != nil && inLang[s.class[i]] && s.cvecs[i].lang != qLang {
			// Centring only bridges a language gap: an intent with
			// examples in the question's language is judged on those
			// (raw similarities, as without centroids).
			continue
		}
		d := dot(q, v)
		f := d
		if cent != nil {
			d, f = cent.similarity(qc, s.cvecs[i], d)
		}
		if c := s.class[i]; d > best[c] {
			best[c], floor[c] = d, f
		}
	}
	dense := make([]float64, len(best))
	for i, b := range best {
		dense[i] = b / s.opts.Temperature
	}
	softmaxInPlace(dense)

	n := len(s.lex.intents) + len(s.extra)
	z := make([]float64, n)
	w := s.opts.DenseWeight
	if qLang != "" {
		// The lexical side sees only within a language: when the nearest
		// intent has no example in the question's language (a custom
		// question written in Polish, asked in English), it cannot judge.
		top := 0
		for c := range best {
			if best[c] > best[top] {
				top = c
			}
		}
		if !inLang[top] {
			w = max(w, crossLangDenseWeight)
		}
	}
	for i, p := range lexP {
		if j := lexIdx[i]; j >= 0 {
			z[j] += (1 - w) * p
		}
	}
	sim := make([]float64, n) // dense similarity per combined intent, 0 when none
	for c, name := range s.classes {
		i := s.lexIdx[name]
		z[i] += w * dense[c]
		sim[i] = floor[c]
	}
	names := s.lex.intents
	if len(s.extra) > 0 {
		names = append(slices.Clone(names), s.extra...)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(z[b], z[a]) })
	top := order[0]
	p := Prediction{Intent: names[top], Confidence: z[top], Similarity: lexSim, DenseSimilarity: sim[top]}
	if n > 1 {
		p.Margin = z[top] - z[order[1]]
	} else {
		p.Margin = p.Confidence
	}
	hasDense := sim[top] != 0
	p.OutOfScope = p.Intent == OutOfScopeIntent ||
		(hasDense && sim[top] < s.opts.MinSimilarity) ||
		(!hasDense && (empty || lexSim < s.lex.opts.MinSimilarity))
	if !p.OutOfScope && p.Confidence < s.opts.MinConfidence {
		p.OutOfScope, p.ScopeFloor = true, s.opts.MinConfidence
	}
	if (!p.OutOfScope || p.ScopeFloor > 0) && p.Intent != OutOfScopeIntent {
		// Topic words do not vouch here: the dense side already weighs the
		// topic, and letting them vouch cost 3.6 points of right answers
		// on BANKING77 at 10 shots (55.3% -> 51.7%, wrong 2.5% -> 1.9%).
		if uns, out, _ := s.lex.support(text, p.Intent, nil, false); out {
			p.Unsupported, p.OutOfScope, p.ScopeFloor = uns, true, 0
		}
	}
	k := min(max(s.lex.opts.TopN, 1), n)
	p.Top = make([]Scored, k)
	for i := range k {
		p.Top[i] = Scored{Intent: names[order[i]], Confidence: z[order[i]]}
	}
	return p
}
