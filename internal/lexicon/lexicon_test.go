package lexicon

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ragkb/ragkb/internal/textnorm"
)

// languages are the six languages every concept must have forms in.
var languages = []string{"en", "pl", "de", "it", "fr", "es"}

// sharedStems are the stems two concepts may share on purpose: Polish
// "zwrot" is a return and a refund, "przesyłka" a delivery and a parcel;
// "konta" (of an account) and "kontakt" are told apart by their exact
// forms.
var sharedStems = map[string]bool{"zwrot": true, "przes": true, "konta": true}

func TestConceptsWellFormed(t *testing.T) {
	form := regexp.MustCompile(`^[a-z0-9]{2,}$`)
	names := map[string]bool{}
	owner := map[string]string{}
	for _, c := range All() {
		if c.Name == "" || names[c.Name] {
			t.Errorf("concept name %q empty or repeated", c.Name)
		}
		names[c.Name] = true
		for _, l := range languages {
			if len(c.Forms[l]) == 0 {
				t.Errorf("concept %q has no %s forms", c.Name, l)
			}
		}
		for l, forms := range c.Forms {
			if !slices.Contains(languages, l) {
				t.Errorf("concept %q: unknown language %q", c.Name, l)
			}
			for _, f := range forms {
				if !form.MatchString(f) {
					t.Errorf("concept %q %s: form %q is not one folded lower-case word", c.Name, l, f)
				}
				// A form must be what textnorm gives for the word, or no
				// question word can ever match it.
				if w := textnorm.Words(f); len(w) != 1 || w[0] != f {
					t.Errorf("concept %q %s: form %q folds to %v", c.Name, l, f, w)
				}
				s := Stem(f)
				if o, ok := owner[s]; ok && o != c.Name && !sharedStems[s] {
					t.Errorf("stem %q of %q (%s, %s) is also a form of %q: a word would mean both", s, f, c.Name, l, o)
				}
				owner[s] = c.Name
			}
		}
	}
}

func TestLookup(t *testing.T) {
	name := func(w string) []string {
		var out []string
		for _, i := range Lookup(w) {
			out = append(out, All()[i].Name)
		}
		slices.Sort(out)
		return out
	}
	for _, tt := range []struct {
		word string
		want string
	}{
		{"returns", "return"},
		{"zwrotem", "refund,return"}, // a Polish inflection beyond the listed forms
		{"spedizioni", "delivery"},
		{"versandkosten", "delivery"},
		{"konta", "account"},
		{"kontakt", "contact"},
		{"hello", ""},
		{"", ""},
	} {
		if got := strings.Join(name(tt.word), ","); got != tt.want {
			t.Errorf("Lookup(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	for w, want := range map[string]string{"returns": "retur", "days": "day", "bus": "bus", "zwrotu": "zwrot", "dni": "dni", "żółw": "żółw", "żółwiami": "żółwi"} {
		if got := Stem(w); got != want {
			t.Errorf("Stem(%q) = %q, want %q", w, got, want)
		}
	}
}

// TestFalseFriends: words that in one of the six languages mean something
// else than a concept's form of another (or the same) language are not
// forms. A word maps to a concept whatever the question's language, so
// "store" (a shop) must not be storage, French "location" (rental) not the
// English location, Polish "termin" (a deadline) not a German appointment,
// "odbiór"/"ritiro" (pickup) not taking the old furniture back.
func TestFalseFriends(t *testing.T) {
	for _, w := range []string{
		"store", "book", "books", "location", "customer", "customers", "care", "rate", "rates",
		"charge", "sale", "present", "custom", "mobile", "usage",
		"stanie", "termin", "odbior", "odbioru", "praca", "pracujecie",
		"ritiro", "prova", "porta", "deposito", "vale", "retirada", "prueba", "bon", "laden",
		"mas", "massello", "massage", "masse",
	} {
		if cs := Lookup(w); len(cs) > 0 {
			t.Errorf("Lookup(%q) = concept %q: a word of everyday meaning in one of the languages", w, All()[cs[0]].Name)
		}
	}
}
