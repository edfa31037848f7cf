package guard

import (
	"testing"

	"github.com/ragkb/ragkb/internal/translateset"
)

// TestCheckFiguresOnTheSet runs the guardrail over the benchmark set: no
// spoiled translation may pass, and every faithful or merely reformatted
// one should.
func TestCheckFiguresOnTheSet(t *testing.T) {
	cases := translateset.Cases()
	if len(cases) < 100 {
		t.Fatalf("%d cases, want at least 100", len(cases))
	}
	kinds := map[string]int{}
	for _, c := range cases {
		text, kind := translateset.Translate(c)
		kinds[kind]++
		v := CheckFigures(c.Source, text)
		switch good := translateset.Good(kind); {
		case !good && v.OK:
			t.Errorf("case %d (%s, %s→%s) passed the check:\n  %s\n  %s", c.ID, kind, c.From, c.To, c.Source, text)
		case good && !v.OK:
			t.Errorf("case %d (%s, %s→%s) was wrongly rejected (%s):\n  %s\n  %s", c.ID, kind, c.From, c.To, v.Reason, c.Source, text)
		}
	}
	t.Logf("kinds: %v", kinds)
}

func BenchmarkCheckFigures(b *testing.B) {
	cases := translateset.Cases()
	texts := make([]string, len(cases))
	for i, c := range cases {
		texts[i], _ = translateset.Translate(c)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c := cases[i%len(cases)]
		CheckFigures(c.Source, texts[i%len(cases)])
	}
}
