package intent

import "testing"

// TestTopicWords checks that a word nearly all of whose uses are in one
// intent's examples is that intent's topic word, even when another intent
// borrows it once, and that a word shared evenly is nobody's.
func TestTopicWords(t *testing.T) {
	var ex []Example
	for _, s := range []string{"how long is the warranty", "is there a warranty on it", "warranty claim please", "what does the warranty cover", "warranty for two years?"} {
		ex = append(ex, Example{Intent: "warranty", Text: s})
	}
	for _, s := range []string{"can you repair it under warranty", "do you repair bikes", "repair price please", "how much is a repair"} {
		ex = append(ex, Example{Intent: "repair", Text: s})
	}
	for _, s := range []string{"how much is delivery", "how much is shipping", "delivery price please"} {
		ex = append(ex, Example{Intent: "delivery", Text: s})
	}
	c := Train(ex, Options{})
	w, r := int32(indexOf(c.intents, "warranty")), int32(indexOf(c.intents, "repair"))
	if !c.words.isTopic(w, "warranty") {
		t.Error(`"warranty" (5 of its 6 uses in the warranty intent) is not its topic word`)
	}
	if c.words.isTopic(r, "warranty") {
		t.Error(`"warranty" is a topic word of the repair intent`)
	}
	if c.words.topicOf("much") != -1 {
		t.Error(`"much" (used evenly by two intents) is a topic word`)
	}
}

// TestAnchoredQuestionsInScope: questions naming the shop's own products
// (words no built-in phrasing uses) next to an intent's topic word stay in
// scope, where the new words used to dilute the similarity or outweigh the
// generic ones; questions that share no topic word stay out of scope.
func TestAnchoredQuestionsInScope(t *testing.T) {
	c := Train(Builtins(), Options{})
	for _, tc := range []struct{ text, want string }{
		{"what warranty do you give on scooters?", "warranty"},
		{"les chaussures sont d'origine ?", "original_products_only"},
		{"Are the Lego sets originals?", "original_products_only"},
		{"what is the best pizza in Naples?", ""},
		{"Wer hat die Fußball-WM 2014 gewonnen?", ""},
		{"Quanto è alto il Monte Bianco?", ""},
	} {
		p := c.Classify(tc.text)
		switch {
		case tc.want == "" && !p.OutOfScope:
			t.Errorf("%q: %s %.2f in scope, want out of scope", tc.text, p.Intent, p.Confidence)
		case tc.want != "" && (p.OutOfScope || p.Intent != tc.want):
			t.Errorf("%q: %s %.2f out of scope %v (unsupported %v, similarity %.3f), want %s in scope", tc.text, p.Intent, p.Confidence, p.OutOfScope, p.Unsupported, p.Similarity, tc.want)
		}
	}
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}
