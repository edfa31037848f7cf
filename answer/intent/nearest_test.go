package intent

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// TestNearSlope measures NearSlope: classes trained from one example each
// (a built-in example relabelled as its own class, the way a custom
// question is added with With) get a linear logit that grows with the
// similarity to that example; the least-squares slope through the origin
// over the example itself and the other examples of its built-in intent
// must be near NearSlope.
func TestNearSlope(t *testing.T) {
	base := Train(Builtins(), Options{TopN: 5})
	byIntent := map[string][]string{}
	for _, e := range base.examples {
		byIntent[e.Intent] = append(byIntent[e.Intent], e.Text)
	}
	var extra []Example
	probe := map[string][]string{}
	names := make([]string, 0, len(byIntent))
	for name := range byIntent {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		texts := byIntent[name]
		for j := 0; j < 3 && j*7 < len(texts); j++ {
			cls := fmt.Sprintf("pseudo:%s:%d", name, j)
			extra = append(extra, Example{Intent: cls, Text: texts[j*7]})
			probe[cls] = append([]string{texts[j*7]}, texts[j*7+1:min(len(texts), j*7+4)]...)
		}
	}
	c := base.With(extra)
	idx := map[string]int{}
	for i, n := range c.intents {
		idx[n] = i
	}
	var sxy, sxx, pxy, pxx float64
	s := c.scratch.Get().(*scratch)
	for cls, texts := range probe {
		for j, text := range texts {
			x, _ := c.vocab.vector(c.ext.extract(text))
			c.lin.logits(x, s.z)
			lin := s.z[idx[cls]]
			// Similarity to the class's one example.
			ex, _ := c.vocab.vector(c.ext.extract(texts[0]))
			sim := sparseDot(x, ex)
			sxy += lin * sim
			sxx += sim * sim
			if j > 0 {
				pxy += lin * sim
				pxx += sim * sim
			}
		}
	}
	slope := sxy / sxx
	t.Logf("linear logit of one-example classes ≈ %.2f × similarity (NearSlope %.1f); %.2f on paraphrases only", slope, NearSlope, pxy/pxx)
	if slope < NearSlope*0.75 || slope > NearSlope*1.25 {
		t.Errorf("measured slope %.2f, NearSlope %.1f: update NearSlope", slope, NearSlope)
	}
}

func sparseDot(a, b sparse) float64 {
	m := map[int32]float32{}
	for i, f := range a.idx {
		m[f] = a.val[i]
	}
	var d float64
	for i, f := range b.idx {
		d += float64(m[f] * b.val[i])
	}
	return d
}

// TestNearBanking77 measures custom questions in a Nearest index against
// the trained linear classes they replace (Classifier.With): BANKING77's 77
// intents become 77 custom questions of three phrasings each (a question and
// two examples, seed 1) over the built-ins, and the 3,080 test questions
// are classified. The index must not answer more wrongly than the trained
// classes and must keep most of their right answers.
func TestNearBanking77(t *testing.T) {
	if testing.Short() {
		t.Skip("BANKING77 evaluation")
	}
	dir := banking77Dir(t)
	base := Train(Builtins(), Options{TopN: 5})
	old, err := evaluate(dir, 3, 1, func(train []Example) (func(int, string) Prediction, []string, error) {
		c := base.With(train)
		return func(_ int, text string) Prediction { return c.Classify(text) }, uniqueIntents(train), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained classes (With): right %.1f%% wrong %.1f%% refused %.1f%%, %v per question", 100*old.Right, 100*old.Wrong, 100*old.Refused, old.MeanLatency)
	near, err := evaluate(dir, 3, 1, func(train []Example) (func(int, string) Prediction, []string, error) {
		n := NewNearest(base, train)
		return func(_ int, text string) Prediction { return base.ClassifyNear(n, text) }, uniqueIntents(train), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("nearest index (slope %.0f): right %.1f%% wrong %.1f%% refused %.1f%%, %v per question", NearSlope, 100*near.Right, 100*near.Wrong, 100*near.Refused, near.MeanLatency)
	if near.Wrong > old.Wrong+0.01 {
		t.Errorf("nearest index answers %.1f%% wrongly, trained classes %.1f%%", 100*near.Wrong, 100*old.Wrong)
	}
	if near.Right < old.Right*0.8 {
		t.Errorf("nearest index answers %.1f%% rightly, trained classes %.1f%%", 100*near.Right, 100*old.Right)
	}
}

func uniqueIntents(es []Example) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range es {
		if !seen[e.Intent] {
			seen[e.Intent] = true
			out = append(out, e.Intent)
		}
	}
	return out
}

// TestSemanticWithNear: a Semantic lane whose custom questions live in a
// Nearest index picks the custom question whose vector the question has,
// and its lexical side sees the index's candidates.
func TestSemanticWithNear(t *testing.T) {
	base := Train(Builtins(), Options{TopN: 5})
	var custom []Example
	var vecs [][]float32
	for i := range 300 {
		name := fmt.Sprintf("custom:%d", i)
		custom = append(custom, Example{Intent: name, Text: fmt.Sprintf("Is the Kestrel model %d tent waterproof?", 1000+i)})
		v := make([]float32, 16)
		v[i%16] = 1
		v[(i/16)%16] += 0.5
		vecs = append(vecs, v)
	}
	near := NewNearest(base, custom)
	sem, err := NewSemantic(base, custom, vecs, SemanticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sem = sem.WithNear(near)
	p := sem.Classify("Is the Kestrel model 1042 tent waterproof?", vecs[42])
	if p.Intent != "custom:42" {
		t.Errorf("semantic with near: got %s (%.2f), want custom:42", p.Intent, p.Confidence)
	}
	if lp := sem.Classify("Is the Kestrel model 1042 tent waterproof?", nil); lp.Intent != "custom:42" || lp.OutOfScope {
		t.Errorf("lexical side: got %s out of scope %v, want custom:42 in scope", lp.Intent, lp.OutOfScope)
	}
	if p := base.ClassifyNear(near, "Do you issue invoices?"); p.Intent != "invoice" {
		t.Errorf("a built-in question with a near index: got %s, want invoice", p.Intent)
	}
}

// cosineByMerge is the TF-IDF cosine of Nearest.cosine computed the
// direct way: both sides' sorted features merged.
func cosineByMerge(n *Nearest, q []rawFeature, qw []float32, qinv float32, d int32) float64 {
	if n.norm[d] == 0 {
		return 0
	}
	var dot float64
	i := 0
	for _, f := range n.base.ext.extract(n.texts[d]) {
		for i < len(q) && q[i].key < f.key {
			i++
		}
		if i == len(q) {
			break
		}
		if q[i].key == f.key && qw[i] != 0 {
			tq := 1 + math.Log(float64(q[i].count))
			td := 1 + math.Log(float64(f.count))
			dot += float64(qw[i]) * float64(qw[i]) / tq * td
		}
	}
	return dot * float64(qinv) / float64(n.norm[d])
}

// TestNearCosineExact: the cosine Nearest scores its candidates with (the
// phrasing's features counted through the question's table) equals the
// cosine of the two sorted feature lists merged, bit for bit, for every
// pair of built-in phrasings drawn.
func TestNearCosineExact(t *testing.T) {
	base := Train(Builtins(), Options{TopN: 5})
	var ps []Example
	for i, e := range base.examples {
		if i%5 == 0 {
			ps = append(ps, Example{Intent: fmt.Sprintf("c%d", i), Text: e.Text + " " + e.Text[:len(e.Text)/2]})
		}
	}
	n := NewNearest(base, ps)
	s := n.pool.Get().(*nearScratch)
	defer n.pool.Put(s)
	pairs := 0
	for qi := 0; qi < len(n.texts); qi += 7 {
		q := n.base.ext.extract(n.texts[qi])
		qw := make([]float32, len(q))
		var qn float64
		for i, f := range q {
			qw[i] = n.weight(f)
			qn += float64(qw[i]) * float64(qw[i])
		}
		qinv := float32(1 / math.Sqrt(qn))
		s.index(q, qw)
		for d := int32(0); d < int32(len(n.texts)); d += 3 {
			got, want := n.cosine(s, q, qw, qinv, d), cosineByMerge(n, q, qw, qinv, d)
			if got != want {
				t.Fatalf("cosine(%q, %q) = %v, merged %v", n.texts[qi], n.texts[d], got, want)
			}
			pairs++
		}
	}
	s.index(nil, nil)
	if got := n.cosine(s, nil, nil, 1, int32(len(n.texts)/2)); got != 0 {
		t.Errorf("cosine with an empty question = %v, want 0", got)
	}
	t.Logf("%d pairs over %d phrasings", pairs, len(n.texts))
}

// BenchmarkClassifyNear15k classifies product questions against 15,000
// custom questions in a Nearest index (the scale bench's shape: 40 brands ×
// 16 lines × 30 products × 10 attributes, here the first 15,000 product
// questions), word for word and paraphrased.
func BenchmarkClassifyNear15k(b *testing.B) {
	base := Train(Builtins(), Options{TopN: 5})
	brands := []string{"Kestrel", "Glenmore", "Sierra", "Aurora", "Falcon", "Nordic", "Tundra", "Summit", "Ridge", "Cascade"}
	lines := []string{"Pro", "Ultra", "Lite", "Vista", "Trail", "Peak", "Max", "Air"}
	products := []string{"tent", "gloves", "cooler box", "backpack", "sleeping bag", "jacket", "boots", "stove", "lantern", "hammock",
		"trekking poles", "water filter", "headlamp", "camp chair", "rain cover", "dry bag", "sleeping mat", "compass", "tarp"}
	attrs := []string{"Is the %s waterproof?", "Can I repair the %s?", "How heavy is the %s?", "Does the %s come with a warranty?",
		"What is the %s made of?", "Can I wash the %s?", "Is the %s suitable for winter?", "Where is the %s made?", "How do I store the %s?", "Is the %s recyclable?"}
	var ps []Example
	for _, br := range brands {
		for _, l := range lines {
			for _, p := range products {
				for _, a := range attrs {
					ps = append(ps, Example{Intent: fmt.Sprintf("custom:%d", len(ps)), Text: fmt.Sprintf(a, br+" "+l+" "+p)})
				}
			}
		}
	}
	ps = ps[:min(len(ps), 15000)]
	n := NewNearest(base, ps)
	questions := []string{"Is the Kestrel Pro tent waterproof?", "Will I stay dry in heavy rain with the Kestrel Pro tent?",
		"Who fixes the Glenmore Ultra gloves if it tears?", "how much does the sierra lite stove weigh", "Can I return my order?"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		base.ClassifyNear(n, questions[i%len(questions)])
		i++
	}
}
