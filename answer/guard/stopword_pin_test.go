package guard

import "testing"

// TestStopwordsPinned pins which words the grounding check ignores, words
// where ragkb's stopword lists used to differ included, so that a change of
// the list (internal/textnorm) is a deliberate one.
func TestStopwordsPinned(t *testing.T) {
	for w, want := range map[string]bool{
		"the":        true,
		"and":        true,
		"hello":      true, // was false
		"thanks":     true,
		"want":       true, // was false
		"need":       true,
		"know":       true,
		"yes":        true,
		"give":       true, // was false
		"tell":       true, // was false
		"voglio":     true, // was false
		"vorrei":     true, // was false
		"posso":      true, // was false
		"kto":        true,
		"wer":        true,
		"mein":       true, // was false
		"porque":     true, // was false
		"anche":      true,
		"piu":        true,
		"quel":       true, // was false
		"jaki":       true, // was false
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
		if got := isStopword(w); got != want {
			t.Errorf("isStopword(%q) = %v, want %v", w, got, want)
		}
	}
}
