package answer

import "testing"

func TestConceptLookup(t *testing.T) {
	tests := []struct {
		name, question string
		wantConcepts   int
		enough         bool
	}{
		{"courier and shipping", "Which courier do you ship with?", 2, true},
		{"returns and days", "How many days do I have to return a book?", 2, true},
		{"polish payment", "Jak mogę zapłacić za zamówienie?", 2, true},
		{"italian cancel and order", "Posso annullare un ordine?", 2, true},
		{"words the glossary does not know", "How long does a heating service take?", 0, false},
		{"a country is not translated", "Do you ship to Japan?", 1, false},
		{"shop concepts: rental and size", "¿Alquiláis tallas grandes?", 2, true},
		{"an exact form decides: kontakt is contact, not konta (account)", "Kontakt?", 1, true},
		{"a false friend is not translated", "Where is your store location?", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, share := translateTerms(tt.question)
			if len(cs) != tt.wantConcepts || (share >= minTranslated) != tt.enough {
				t.Errorf("translateTerms(%q) = %d concepts, share %.2f; want %d, enough=%v", tt.question, len(cs), share, tt.wantConcepts, tt.enough)
			}
		})
	}
	cs, _ := translateTerms("Which courier do you ship with?")
	ship := conceptScore(cs, "pl", "Wysyłka paczek", "Paczki wysyłane są za pomocą kuriera InPost", false)
	damaged := conceptScore(cs, "pl", "Moje zamówienie zostało dostarczone uszkodzone", "Prosimy o spisanie raportu uszkodzenia paczki z kurierem", false)
	other := conceptScore(cs, "pl", "Czas realizacji zamówień", "Zamówienia są przekazywane kurierowi.", false)
	if !(ship > damaged && damaged > 0 && other == 0) {
		t.Errorf("concept scores: shipping entry %.2f, damaged entry %.2f, entry without shipping %.2f; want the first best and the last 0", ship, damaged, other)
	}
	// In the question's own language every concept must be in the entry's
	// question: "konto bankowe" in a payment entry is not about accounts.
	cs, _ = translateTerms("Czy muszę mieć konto, żeby zamawiać książki?")
	if got := conceptScore(cs, "pl", "Płatność za zamówienie", "Płatność należy uiścić na podane poniżej konto bankowe.", true); got != 0 {
		t.Errorf("same-language entry with a concept only in its answer: score %.2f, want 0", got)
	}
	cs, _ = translateTerms("Jak mogę zapłacić za zamówienie?")
	if got := conceptScore(cs, "pl", "Płatność za zamówienie", "Płatność należy uiścić za pomocą przelewu.", true); got == 0 {
		t.Errorf("same-language entry holding every concept in its question: score 0")
	}
}

func TestMissesConcept(t *testing.T) {
	for _, tt := range []struct {
		question, text string
		want           bool
	}{
		// Winter storage over a test-ride text: storage is missing.
		{"Przechowujecie rowery przez zimę?", "Czy mogę wypróbować rower przed zakupem? Tak, jazda testowa jest bezpłatna.", true},
		// Samples asked in Spanish over the French samples text.
		{"¿Puedo pedir muestras de tela?", "Puis-je recevoir des échantillons de tissu ? Oui, jusqu'à 5 échantillons gratuits.", false},
		// No glossary concept in the question: nothing can be missing.
		{"Come si pulisce un tavolo in legno massello?", "Comment entretenir mes meubles en bois ?", false},
	} {
		if got := missesConcept(tt.question, tt.text); got != tt.want {
			t.Errorf("missesConcept(%q, %q) = %v, want %v", tt.question, tt.text, got, tt.want)
		}
	}
}
