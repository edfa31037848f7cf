package textnorm_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/ragkb/ragkb/internal/textnorm"
)

// The tables pin the behaviour of the functions textnorm replaced
// (store.Tokens, retriever.Words, the local embedder's word splitter), so
// a change of analysis is a deliberate edit of this file.

func TestTokens(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"Can I get a VAT invoice?", "can i get a vat invoice"},
		{"Fakturę VAT, proszę!", "fakture vat prosze"},
		{"Łódź Straße Øresund", "łodz straße øresund"},
		{"Größe ÜBER café naïve", "große uber cafe naive"},
		{"e\u0301cole", "ecole"}, // a decomposed mark is dropped too
		{"don't-stop", "don t stop"},
		{"24h 12.99 PLN", "24h 12 99 pln"},
		{"\"quoted\" OR NEAR(a b) *", "quoted or near a b"},
		{"emoji 🚚 delivery", "emoji delivery"},
		{"dzień dobry, żółć", "dzien dobry zołc"},
		{"İstanbul ıi", "istanbul ıi"},
	} {
		got := strings.Join(textnorm.Tokens(c.in), " ")
		if got != c.want {
			t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"Can I get a VAT invoice?", "can i get a vat invoice"},
		{"Fakturę VAT, proszę!", "fakture vat prosze"},
		{"Łódź Straße Øresund", "lodz strasse oresund"},
		{"dzień dobry, żółć", "dzien dobry zolc"},
		{"Größe ÜBER café naïve", "grosse uber cafe naive"},
		{"don't-stop 24h 12.99", "don t stop 24h 12 99"},
		{"emoji 🚚 delivery", "emoji delivery"},
		// Folded since textnorm (retriever.Words kept them): as the local
		// embedder always did.
		{"Æsir œuvre þorn ðe ıi", "aesir oeuvre thorn de ii"},
	} {
		if got := strings.Join(textnorm.Words(c.in), " "); got != c.want {
			t.Errorf("Words(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFoldModes(t *testing.T) {
	if got := textnorm.FoldSQLite("Łódź"); got != "łodz" {
		t.Errorf("FoldSQLite = %q", got)
	}
	if got := textnorm.Fold("Łódź"); got != "lodz" {
		t.Errorf("Fold = %q", got)
	}
	if got := textnorm.Words("ASCII only, fast path"); !slices.Equal(got, []string{"ascii", "only", "fast", "path"}) {
		t.Errorf("Words = %q", got)
	}
}

// TestFoldSQLite moved here from store (foldDiacritics).
func TestFoldSQLite(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"polish", "zażółć gęślą jaźń", "zazołc gesla jazn"},
		{"german", "größe über", "große uber"},
		{"french", "élève à côté", "eleve a cote"},
		{"combining sequence", "e\u0301te\u0301", "ete"},
		{"nested marks", "ǖ", "u"},
		{"greek", "άλφα", "αλφα"},
		{"hangul kept", "배송", "배송"},
		{"cjk kept", "配送", "配送"},
		{"ascii", "plain text 123", "plain text 123"},
	} {
		if got := textnorm.FoldSQLite(tc.in); got != tc.want {
			t.Errorf("%s: textnorm.FoldSQLite(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// FuzzWords checks the one-pass Words against its definition: Fold, then
// runs of letters and digits.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"Can I get a VAT invoice?", "Łódź Straße", "e\u0301cole", "İstanbul ıi", "配送 배송", "a\u0301b \u0301c", "ǅ ﬁ ½ Ⅻ", "\xff\xfeabc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.FieldsFunc(textnorm.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		if got := textnorm.Words(s); !slices.Equal(got, want) {
			t.Fatalf("Words(%q) = %q, want %q", s, got, want)
		}
	})
}

func BenchmarkWords(b *testing.B) {
	text := strings.Repeat("We issue a VAT invoice for every order; delivery to Kraków takes one or two working days. ", 10)
	for b.Loop() {
		textnorm.Words(text)
	}
}

func TestFoldRune(t *testing.T) {
	for in, want := range map[rune]rune{
		'A': 'a', 'z': 'z', '7': '7', '?': '?', 'Ą': 'a', 'ę': 'e', 'Ó': 'o', 'ł': 'l', 'Ł': 'l', 'ż': 'z',
		'ü': 'u', 'ß': 'ß', 'é': 'e', 'ç': 'c', 'ñ': 'n', 'ø': 'o', 'æ': 'æ', 'œ': 'œ', 'đ': 'd', 'ı': 'i',
		'ř': 'r', 'й': 'и', '\u0301': '\u0301', '€': '€', '²': '²',
	} {
		if got := textnorm.FoldRune(in); got != want {
			t.Errorf("textnorm.FoldRune(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFoldRuneAgreesWithFold checks that FoldRune folds as Fold does
// wherever Fold keeps one rune for one.
func TestFoldRuneAgreesWithFold(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		if unicode.Is(unicode.Mn, r) || !unicode.IsPrint(r) {
			continue
		}
		f := []rune(textnorm.Fold(string(r)))
		if len(f) == 1 && textnorm.FoldRune(r) != f[0] {
			t.Errorf("textnorm.FoldRune(%q) = %q, Fold = %q", r, textnorm.FoldRune(r), string(f))
		}
	}
}
