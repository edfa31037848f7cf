package embed

import (
	"slices"
	"testing"

	"github.com/ragkb/ragkb/internal/textnorm"
)

// TestSplitWordsMatchesTextnorm keeps the embedder's allocation-free word
// splitter in step with textnorm.Words, the one folding every other scorer
// uses (Hangul excepted: the embedder keeps its jamo decomposed).
func TestSplitWordsMatchesTextnorm(t *testing.T) {
	for _, in := range []string{
		"", "Can I get a VAT invoice?", "Fakturę VAT, proszę!", "Łódź Straße Øresund",
		"dzień dobry, żółć", "Größe ÜBER café naïve", "don't-stop 24h 12.99", "emoji 🚚 delivery",
		"Æsir œuvre þorn ðe ıi", "e\u0301cole", "İstanbul", "élève à côté", "ελληνικά Ρωμαίος ёж 配送",
	} {
		var sc scratch
		got := slices.Clone(sc.splitWords(in))
		if want := textnorm.Words(in); !slices.Equal(got, want) {
			t.Errorf("splitWords(%q) = %q, textnorm.Words = %q", in, got, want)
		}
	}
}
