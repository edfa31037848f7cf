package answer

import (
	"testing"

	"github.com/ragkb/ragkb"
)

func offerHit(title, text string) ragkb.SearchHit {
	return ragkb.SearchHit{Chunk: &ragkb.Chunk{Kind: ragkb.DocOffer, Title: title, Text: text}, Relevance: 0.8}
}

func TestAspectOf(t *testing.T) {
	tests := []struct {
		name, question string
		want           Aspect
	}{
		{"en stock", "Is Dark Metro in stock?", AspectAvailability},
		{"pl dostępny", "Czy wózek Anex Modu jest dostępny?", AspectAvailability},
		{"fr disponible", "Le vitrificateur est-il disponible ?", AspectAvailability},
		{"cs skladem", "Je odšťavňovač H 100 skladem?", AspectAvailability},
		{"delivery beats price", "How much is delivery?", AspectDelivery},
		{"de Versand", "Was kostet der Versand?", AspectDelivery},
		{"options", "Which colours does the iPod Nano come in?", AspectOptions},
		{"it taglie", "Quali taglie avete?", AspectOptions},
		{"returns", "Can I return it?", AspectReturns},
		{"warranty pl", "Jaka jest gwarancja?", AspectWarranty},
		{"price", "How much is the Beanie with Logo?", AspectPrice},
		{"none", "Tell me about Dramacon", AspectNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AspectOf(tt.question); got != tt.want {
				t.Errorf("AspectOf(%q) = %q, want %q", tt.question, got, tt.want)
			}
		})
	}
}

func TestNamesProduct(t *testing.T) {
	tests := []struct {
		name, question, title string
		want                  bool
	}{
		{"same product", "How much is Dark Metro?", "Dark Metro, Volume 1", true},
		{"volume number differs", "How much is Dark Metro volume 3?", "Dark Metro, Volume 1", false},
		{"volume number matches", "Is Dramacon volume 2 available?", "Dramacon, Volume 2", true},
		{"another product", "How much is Naruto?", "Dark Metro, Volume 1", false},
		{"one shared word is not enough", "How much is Dark Horse?", "Dark Metro, Volume 1", false},
		{"model code", "Kolik stojí Hurom H 310 A?", "Odšťavňovač H 310 A | bílý", true},
		{"other model code", "Kolik stojí H 400?", "Odšťavňovač H 310 A | bílý", false},
		{"no product named", "Is it in stock?", "Dark Metro, Volume 1", true},
		{"polish inflection", "Ile kosztuje wózek Anex Modu?", "Anex Modu – wózek wielofunkcyjny", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NamesProduct(tt.question, tt.title, ""); got != tt.want {
				t.Errorf("NamesProduct(%q, %q) = %v, want %v (naming terms %q)", tt.question, tt.title, got, tt.want, namingTerms(tt.question))
			}
		})
	}
}

func TestComposeOffer(t *testing.T) {
	tee := offerHit("Organic Tee", "Organic Tee costs 19.99 USD.\nIn stock.\nBrand: Greenwear.\nOptions: S — 19.99 USD; M — 19.99 USD (sold out).\nDescription: Soft tee, ships in a box.")
	juicer := offerHit("Odšťavňovač H 100 | černý", "Odšťavňovač H 100 | černý costs 12490.00.\nIn stock.\nBrand: HUROM.\nDelivery to CZ: free.")
	tests := []struct {
		name, question string
		hits           []ragkb.SearchHit
		want           string
		wantOK         bool
	}{
		{"availability line", "Is the Organic Tee in stock?", []ragkb.SearchHit{tee}, "Organic Tee costs 19.99 USD. In stock.", true},
		{"options line", "Which sizes does the Organic Tee come in?", []ragkb.SearchHit{tee}, "Organic Tee costs 19.99 USD. Options: S — 19.99 USD; M — 19.99 USD (sold out).", true},
		{"no delivery line: not the price", "How much is delivery for the Organic Tee?", []ragkb.SearchHit{tee}, "", false},
		{"named product is the second hit", "How much is delivery for the H 100?", []ragkb.SearchHit{tee, juicer}, "Odšťavňovač H 100 | černý costs 12490.00. Delivery to CZ: free.", true},
		{"product not in the catalogue", "Is the Naruto box set in stock?", []ragkb.SearchHit{tee, juicer}, "", false},
		{"a size the offer never mentions", "How much is the Organic Tee XXL?", []ragkb.SearchHit{tee}, "", false},
		{"a model code is enough", "How much is the black H 100 juicer?", []ragkb.SearchHit{juicer}, "Odšťavňovač H 100 | černý costs 12490.00.", true},
		{"no aspect: extraction decides", "Tell me about the Organic Tee", []ragkb.SearchHit{tee}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, reason := ComposeOffer(tt.question, tt.hits)
			if ok != tt.wantOK || got.Text != tt.want {
				t.Errorf("ComposeOffer(%q) = %q, %v (%s); want %q, %v", tt.question, got.Text, ok, reason, tt.want, tt.wantOK)
			}
		})
	}
}

func TestPickQA(t *testing.T) {
	qa := func(q, a string, rel float64) ragkb.SearchHit {
		return ragkb.SearchHit{Chunk: &ragkb.Chunk{Kind: ragkb.DocQA, Title: q, Text: a}, Relevance: rel}
	}
	hits := []ragkb.SearchHit{
		qa("Kto może zamawiać książki?", "Funkcja zamawiania jest dostępna tylko dla zarejestrowanych użytkowników.", 0.61),
		qa("Jaki jest termin zwrotu zakupionych przedmiotów?", "Zakupione książki można zwrócić w ciągu 14 dni.", 0.58),
		qa("Wysyłka paczek", "Paczki wysyłane są za pomocą kuriera InPost", 0.2),
	}
	if got := PickQA("Ile mam czasu na zwrot książki?", hits); got != 1 {
		t.Errorf("PickQA: got %d, want 1 (the returns entry)", got)
	}
	if got := PickQA("Kto może zamawiać?", hits); got != 0 {
		t.Errorf("PickQA: got %d, want 0 (the best hit already fits)", got)
	}
	if got := PickQA("Czy wysyłacie paczki kurierem InPost?", hits[:1:1]); got != 0 {
		t.Errorf("PickQA with one hit: got %d, want 0", got)
	}
}
