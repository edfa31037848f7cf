package guard

import "testing"

// TestStopwordsPinned pins which words the grounding check ignores, words
// where ragkb's stopword lists used to differ included, so that a change of
// the list (internal/textnorm) is a deliberate one.
func TestStopwordsPinned(t *testing.T) {
	for w, want := range map[string]bool{
		"the":        true,
		"and":        true,
		"hello":      false,
		"thanks":     true,
		"want":       false,
		"need":       true,
		"know":       true,
		"yes":        true,
		"give":       false,
		"tell":       false,
		"voglio":     false,
		"vorrei":     false,
		"posso":      false,
		"kto":        true,
		"wer":        true,
		"mein":       false,
		"porque":     false,
		"anche":      true,
		"piu":        true,
		"quel":       false,
		"jaki":       false,
		"faktura":    false,
		"order":      false,
		"vat":        false,
		"question":   true,
		"help":       true,
		"team":       true,
		"zwrot":      false,
		"rechnung":   false,
		"envio":      false,
		"livraison":  false,
		"spedizione": false,
	} {
		if got := stopwords[w]; got != want {
			t.Errorf("stopwords[%q] = %v, want %v", w, got, want)
		}
	}
}
