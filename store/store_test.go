package store

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestLexicalTerms(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"english question", "Can I get a VAT invoice for my order?", []string{"vat", "invoice", "order"}},
		{"polish diacritics folded", "Czy wystawiacie fakturę VAT?", []string{"wystawiacie", "fakture", "vat"}},
		{"polish l with stroke folded (analysis version 2)", "Cena w złotych", []string{"cena", "zlotych"}},
		{"german", "Wie lange ist die Lieferzeit nach Österreich?", []string{"lange", "lieferzeit", "osterreich"}},
		{"italian", "Quanto costa la spedizione in Italia?", []string{"quanto", "costa", "spedizione", "italia"}},
		{"french elision", "Où est l'entrepôt ?", []string{"entrepot"}},
		{"spanish", "¿Cuánto tarda el envío a Canarias?", []string{"cuanto", "tarda", "envio", "canarias"}},
		{"only stopwords are kept", "What is it?", []string{"what", "is", "it"}},
		{"duplicates removed, first order kept", "Order order ORDER status order", []string{"order", "status"}},
		{"fts syntax is punctuation", `"DPD" AND NOT -InPost* NEAR(x y) title:ship`, []string{"dpd", "inpost", "near", "x", "title", "ship"}},
		{"digits and models", "Galaxy S24 128GB 5G", []string{"galaxy", "s24", "128gb", "5g"}},
		{"emoji separate", "🚚delivery📦time", []string{"delivery", "time"}},
		{"nothing", " ?!. 😀 ", nil},
		{"empty", "", nil},
	} {
		got := LexicalTerms(tc.text)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: LexicalTerms(%q) = %q, want %q", tc.name, tc.text, got, tc.want)
		}
	}
}

func TestLexicalTermsCap(t *testing.T) {
	var words []string
	for i := range 3 * MaxLexicalTerms {
		words = append(words, "w"+strings.Repeat("x", i+1))
	}
	got := LexicalTerms(strings.Join(words, " "))
	if len(got) != MaxLexicalTerms || got[0] != words[0] {
		t.Errorf("LexicalTerms(%d words) = %d terms starting %q, want %d starting %q", len(words), len(got), got[0], MaxLexicalTerms, words[0])
	}
	if n := len(Terms(strings.Join(words, " "))); n != len(words) {
		t.Errorf("Terms(%d words) = %d terms, want all", len(words), n)
	}
}

// FuzzLexicalTerms checks the properties backends rely on to quote terms
// into a full-text query: terms are non-empty runs of letters, digits and
// marks, lower case, distinct and capped.
func FuzzLexicalTerms(f *testing.F) {
	for _, s := range []string{"Can I get a VAT invoice?", `"a" OR b*`, "fakturę", "\x00\xff", "İstanbul ǅ ﬁ", "a\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := LexicalTerms(text)
		if len(got) > MaxLexicalTerms {
			t.Fatalf("LexicalTerms(%q) = %d terms, more than %d", text, len(got), MaxLexicalTerms)
		}
		seen := map[string]bool{}
		for _, term := range got {
			if term == "" || seen[term] || !utf8.ValidString(term) {
				t.Fatalf("LexicalTerms(%q) = %q: empty, duplicate or invalid term %q", text, got, term)
			}
			seen[term] = true
			for _, r := range term {
				if isSeparator(r) {
					t.Fatalf("LexicalTerms(%q): term %q holds separator %q", text, term, r)
				}
				if unicode.IsUpper(r) && unicode.ToLower(r) != r {
					t.Fatalf("LexicalTerms(%q): term %q is not lower case", text, term)
				}
			}
		}
	})
}

func isSeparator(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r)
}
