// Package lexicon is ragkb's multilingual word list: concepts customers of
// a shop ask about (returns, delivery, sizes, rental, assembly…) with their
// word forms in English, Polish, German, Italian, French and Spanish. It
// lets package answer's cross-language FAQ lookup see that
// "wypożyczacie?", "alquiláis?" and "do you rent?" ask the same thing,
// which neither the local embedder nor shared words can tell, and its
// lane-retrieval agreement see that a text lacks a concept the question
// names.
//
// Forms are lower case without diacritics, as textnorm.Words gives them. A
// word matches a form when their stems (Stem) agree, so the forms list the
// inflections whose five-letter prefixes differ.
package lexicon

import "slices"

// Concept is one meaning with its word forms per language.
type Concept struct {
	Name  string              // short English identifier, e.g. "size"
	Forms map[string][]string // ISO 639-1 code (en, pl, de, it, fr, es) -> word forms
}

// Service returns the service concepts (return, refund, delivery,
// courier, payment, order, cancel, track, damaged, day, account, address,
// contact, warranty, parcel, invoice). The slice is shared: do not modify.
func Service() []Concept { return service }

// All returns the service concepts followed by the shop ones. The slice is
// shared: do not modify.
func All() []Concept { return all }

var all = slices.Concat(service, shop)

// Stem is the stem words are matched by: the first five letters after a
// plural "s" is dropped from a word of four letters or more.
func Stem(w string) string {
	n := len(w)
	if n >= 4 && w[n-1] == 's' {
		w = w[:n-1]
	}
	i := 0
	for j := range w {
		if i == 5 {
			return w[:j]
		}
		i++
	}
	return w
}

// byForm and byStem map a form and a form's stem to the indices in All of
// the concepts holding it.
var byForm, byStem = func() (map[string][]int, map[string][]int) {
	forms, stems := map[string][]int{}, map[string][]int{}
	for i, c := range all {
		for _, fs := range c.Forms {
			for _, f := range fs {
				if !slices.Contains(forms[f], i) {
					forms[f] = append(forms[f], i)
				}
				s := Stem(f)
				if !slices.Contains(stems[s], i) {
					stems[s] = append(stems[s], i)
				}
			}
		}
	}
	return forms, stems
}()

// Lookup returns the indices in All of the concepts word (lower case,
// without diacritics) is a form of: those listing it, else those with a
// form of its stem; nil when none. The slice is shared: do not modify.
func Lookup(word string) []int {
	if cs, ok := byForm[word]; ok {
		return cs
	}
	return byStem[Stem(word)]
}
