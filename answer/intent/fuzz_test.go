package intent

import (
	"math"
	"testing"
	"unicode"
)

// FuzzClassify checks that any input gives a well-formed prediction:
// go test -fuzz FuzzClassify ./answer/intent.
func FuzzClassify(f *testing.F) {
	for _, tc := range unseenCases[:20] {
		f.Add(tc.text)
	}
	for _, s := range []string{"", "asdfgh", "\x00\xff", "ǅǈǋ ﬁ ẞ", "😀 faktura?", "a\u0301\u0301\u0301"} {
		f.Add(s)
	}
	c := Train(Builtins(), Options{})
	f.Fuzz(func(t *testing.T, text string) {
		p := c.Classify(text)
		if math.IsNaN(p.Confidence) || p.Confidence < 0 || p.Confidence > 1 {
			t.Fatalf("Classify(%q).Confidence = %v, want a probability", text, p.Confidence)
		}
		if math.IsNaN(p.Similarity) || p.Similarity < 0 || p.Similarity > 1.0001 {
			t.Fatalf("Classify(%q).Similarity = %v, want a cosine in [0,1]", text, p.Similarity)
		}
		if len(p.Top) == 0 || p.Top[0].Intent != p.Intent {
			t.Fatalf("Classify(%q).Top = %v, want it to start with %s", text, p.Top, p.Intent)
		}
		for i := 1; i < len(p.Top); i++ {
			if p.Top[i].Confidence > p.Top[i-1].Confidence {
				t.Fatalf("Classify(%q).Top not sorted: %v", text, p.Top)
			}
		}
	})
}

// FuzzNormalize checks that words are non-empty, mark-free and lower-cased.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Lieferzeit nach Österreich?", "Czy wystawiacie faktury VAT?", "ǅ ß ł Æ", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range normalize(s) {
			if w == "" {
				t.Fatalf("normalize(%q) has an empty word", s)
			}
			for _, r := range w {
				if unicode.Is(unicode.Mn, r) || unicode.ToLower(r) != r || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
					t.Fatalf("normalize(%q) word %q has rune %q", s, w, r)
				}
			}
		}
	})
}
