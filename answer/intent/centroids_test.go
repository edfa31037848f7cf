package intent

import (
	"math"
	"math/rand/v2"
	"testing"
)

// langVecs builds synthetic embeddings the way a multilingual model lays
// them out: a strong shared direction per language plus a weaker one per
// topic plus noise.
type langVecs struct {
	rng    *rand.Rand
	dim    int
	lang   map[string][]float32
	topic  map[string][]float32
	weight float32 // of the language direction
}

func newLangVecs(seed uint64) *langVecs {
	return &langVecs{rng: rand.New(rand.NewPCG(seed, 1)), dim: 64, lang: map[string][]float32{}, topic: map[string][]float32{}, weight: 2}
}

func (g *langVecs) dir(m map[string][]float32, key string) []float32 {
	if v, ok := m[key]; ok {
		return v
	}
	v := make([]float32, g.dim)
	for i := range v {
		v[i] = float32(g.rng.NormFloat64())
	}
	v = normalized(v)
	m[key] = v
	return v
}

func (g *langVecs) vec(lang, topic string) []float32 {
	l, t := g.dir(g.lang, lang), g.dir(g.topic, topic)
	v := make([]float32, g.dim)
	for i := range v {
		v[i] = g.weight*l[i] + t[i] + 0.15*float32(g.rng.NormFloat64())
	}
	return normalized(v)
}

func testCentroids(t *testing.T, g *langVecs) *Centroids {
	t.Helper()
	var es []Example
	var vs [][]float32
	for _, l := range []string{"en", "pl", "de"} {
		for i := range 40 {
			es = append(es, Example{Text: "x", Lang: l})
			vs = append(vs, g.vec(l, string(rune('a'+i%20))))
		}
	}
	c, err := NewCentroids(es, vs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCentroidsWithinOneLanguageKeepRawCosine(t *testing.T) {
	g := newLangVecs(1)
	c := testCentroids(t, g)
	for i := range 20 {
		a, b := g.vec("pl", "t"), g.vec("pl", string(rune('A'+i)))
		ca, cb := c.center(a, "pl"), c.center(b, "pl")
		rank, floor := c.similarity(ca, cb, dot(ca.vec, cb.vec))
		if want := dot(a, b); math.Abs(rank-want) > 1e-5 || math.Abs(floor-want) > 1e-5 {
			t.Fatalf("same language: similarity %.6f / %.6f, raw cosine %.6f", rank, floor, want)
		}
	}
}

func TestCentroidsAcrossLanguages(t *testing.T) {
	g := newLangVecs(2)
	c := testCentroids(t, g)
	// Raw: a Polish question is nearer another Polish topic than the same
	// topic in English; centred, the same topic wins.
	q, same, other := g.vec("en", "shipping"), g.vec("pl", "shipping"), g.vec("en", "invoice")
	if dot(q, same) >= dot(q, other) {
		t.Fatalf("synthetic layout: raw cosine already prefers the topic (%.3f vs %.3f)", dot(q, same), dot(q, other))
	}
	cq, cs, co := c.center(q, "en"), c.center(same, "pl"), c.center(other, "en")
	s1, f1 := c.similarity(cq, cs, dot(cq.vec, cs.vec))
	s2, f2 := c.similarity(cq, co, dot(cq.vec, co.vec))
	if s1 <= s2 || f1 <= f2 {
		t.Errorf("centred: same topic in Polish %.3f (floor %.3f), other topic in English %.3f (%.3f); want the same topic nearer", s1, f1, s2, f2)
	}
}

func TestSemanticCentredMatchesAcrossLanguages(t *testing.T) {
	g := newLangVecs(3)
	c := testCentroids(t, g)
	lex := Train([]Example{{Intent: "invoice", Text: "Do you issue invoices?"}, {Intent: "invoice", Text: "can I get a VAT invoice"}}, Options{})
	examples := []Example{
		{Intent: "custom:abroad", Text: "Czy wysyłacie za granicę?", Lang: "pl"},
		{Intent: "invoice", Text: "Do you issue invoices?", Lang: "en"},
		{Intent: "invoice", Text: "can I get a VAT invoice", Lang: "en"},
	}
	vecs := [][]float32{g.vec("pl", "abroad"), g.vec("en", "invoice"), g.vec("en", "invoice")}
	q := g.vec("en", "abroad")
	for _, tc := range []struct {
		cent *Centroids
		want string
	}{{nil, "invoice"}, {c, "custom:abroad"}} {
		s, err := NewSemantic(lex, examples, vecs, SemanticOptions{Centroids: tc.cent})
		if err != nil {
			t.Fatal(err)
		}
		if p := s.Classify("Do you ship to other countries?", q); p.Intent != tc.want {
			t.Errorf("centred %v: got %s (%.2f), want %s", tc.cent != nil, p.Intent, p.Confidence, tc.want)
		}
	}
}

func TestCentroidExamples(t *testing.T) {
	es := CentroidExamples()
	per := map[string]int{}
	for _, e := range es {
		per[e.Lang]++
		if e.Text == "" {
			t.Fatalf("empty example")
		}
	}
	for _, l := range languages {
		if per[l] != centroidPerLang {
			t.Errorf("%s: %d examples, want %d", l, per[l], centroidPerLang)
		}
	}
	if _, err := NewCentroids([]Example{{Text: "a", Lang: "en"}}, [][]float32{{1, 0}}); err == nil {
		t.Errorf("one vector per language: want a degenerate-centroids error")
	}
}

// BenchmarkSemanticClassify classifies one question against 2,000
// embedded examples (384 dimensions, six languages) with and without
// language centring: `go test ./answer/intent -bench SemanticClassify`.
func BenchmarkSemanticClassify(b *testing.B) {
	g := newLangVecs(4)
	g.dim = 384
	langs := []string{"en", "pl", "de", "it", "fr", "es"}
	var es, cs []Example
	var vs, cvs [][]float32
	for i := range 2000 {
		l := langs[i%len(langs)]
		es = append(es, Example{Intent: string(rune('A' + i%40)), Text: "example", Lang: l})
		vs = append(vs, g.vec(l, string(rune('a'+i%40))))
	}
	for i := range 48 * len(langs) {
		l := langs[i%len(langs)]
		cs = append(cs, Example{Text: "x", Lang: l})
		cvs = append(cvs, g.vec(l, string(rune('a'+i%23))))
	}
	cent, err := NewCentroids(cs, cvs)
	if err != nil {
		b.Fatal(err)
	}
	lex := Train([]Example{{Intent: "A", Text: "Do you ship abroad?"}, {Intent: "B", Text: "Do you issue invoices?"}}, Options{})
	q := g.vec("en", "c")
	for _, tc := range []struct {
		name string
		cent *Centroids
	}{{"raw", nil}, {"centred", cent}} {
		s, err := NewSemantic(lex, es, vs, SemanticOptions{Centroids: tc.cent})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				s.Classify("Do you ship to Austria?", q)
			}
		})
	}
}
