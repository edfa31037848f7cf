package intent

import (
	"fmt"
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
	for name, texts := range byIntent {
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
	var sxy, sxx float64
	s := c.scratch.Get().(*scratch)
	for cls, texts := range probe {
		for _, text := range texts {
			x, _ := c.vocab.vector(c.ext.extract(text))
			c.lin.logits(x, s.z)
			lin := s.z[idx[cls]]
			// Similarity to the class's one example.
			ex, _ := c.vocab.vector(c.ext.extract(texts[0]))
			sim := sparseDot(x, ex)
			sxy += lin * sim
			sxx += sim * sim
		}
	}
	slope := sxy / sxx
	t.Logf("linear logit of one-example classes ≈ %.2f × similarity (NearSlope %.1f)", slope, NearSlope)
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
