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
		{"asked word in the description", "What box does the Organic Tee ship in?", []ragkb.SearchHit{tee}, "", false},
		{"asked word beside the name", "What is the tee made of? Organic?", []ragkb.SearchHit{tee}, "", false},
		{"description word with the name", "Is the Organic Tee soft?", []ragkb.SearchHit{tee}, "Organic Tee costs 19.99 USD. Description: Soft tee, ships in a box.", true},
		{"description word without the name", "Is the Organic Hoodie soft?", []ragkb.SearchHit{tee}, "", false},
		{"description word, two offers of that name", "Is the Organic soft?", []ragkb.SearchHit{tee, offerHit("Organic Socks", "Organic Socks cost 5.00 USD.\nDescription: Soft socks.")}, "", false},
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

func TestComposeOfferAcrossLanguages(t *testing.T) {
	pram := offerHit("Anex Modu – wózek wielofunkcyjny – Rooty", "Anex Modu – wózek wielofunkcyjny – Rooty kosztuje 5896.00 PLN.\nDostępny.")
	pram.Chunk.Language = "pl"
	nano := offerHit("IPod Nano - 8GB", "IPod Nano - 8GB costs 199.00 USD.\nIn stock.\nOptions: Pink — 199.00 USD; Black — 199.00 USD.")
	nano.Chunk.Language = "en"
	ergo := offerHit("MAGIC OIL 2K ERGO monocouche 2,75L", "MAGIC OIL 2K ERGO monocouche 2,75L coûte 422.60 EUR.\nEn stock.")
	ergo.Chunk.Language = "fr"
	juicer := offerHit("Odšťavňovač H 310 A | bílý", "Odšťavňovač H 310 A | bílý costs 9490.00.\nIn stock.")
	juicer.Chunk.Language = "cs"
	tests := []struct {
		name, question, lang string
		hit                  ragkb.SearchHit
		want                 string
	}{
		{"a noun of the question's language", "How much is the Anex Modu pram?", "en", pram, "Anex Modu – wózek wielofunkcyjny – Rooty kosztuje 5896.00 PLN."},
		{"same language: every word must be there", "How much is the Anex Modu pram?", "pl", pram, ""},
		{"two words missing", "How much is the Anex Modu pram seat?", "en", pram, ""},
		{"a size is not a noun", "Ile kosztuje Anex Modu XXL?", "pl", pram, ""},
		{"a colour the offer lacks", "Czy iPod Nano jest dostępny w kolorze zielonym?", "pl", nano, ""},
		{"same codes, another product", "Combien coûte le MAGIC OIL 2K Original 2,75L ?", "fr", ergo, ""},
		{"a code is enough across languages", "How much is the H 310 A juicer?", "en", juicer, "Odšťavňovač H 310 A | bílý costs 9490.00."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, reason := ComposeOfferIn(tt.question, tt.lang, []ragkb.SearchHit{tt.hit})
			if got.Text != tt.want {
				t.Errorf("ComposeOfferIn(%q, %s) = %q (%s), want %q", tt.question, tt.lang, got.Text, reason, tt.want)
			}
		})
	}
}

func TestNamedOffers(t *testing.T) {
	low := func(title, text, lang string) ragkb.SearchHit {
		h := offerHit(title, text)
		h.Relevance, h.Chunk.Language = 0.3, lang
		return h
	}
	white := low("Odšťavňovač H 310 A | bílý", "Odšťavňovač H 310 A | bílý costs 9490.00.\nIn stock.", "cs")
	black := low("Odšťavňovač H 310 A | černý", "Odšťavňovač H 310 A | černý costs 9490.00.\nIn stock.", "cs")
	dearer := low("Odšťavňovač H 310 A | zlatý", "Odšťavňovač H 310 A | zlatý costs 12990.00.\nIn stock.", "cs")
	h400 := low("Hurom H400 | stříbrný", "Hurom H400 | stříbrný costs 15990.00.\nIn stock.", "cs")
	cap := low("Cap", "Cap costs 16.00 USD.\nIn stock.", "en")
	book := low("[A-seed] Nauka duża książka", "[A-seed] Nauka duża książka kosztuje 29.99 PLN.\nOpis: twarda okładka\n- Ilość stron: 128", "pl")
	tests := []struct {
		name, question string
		hits           []ragkb.SearchHit
		want           int
	}{
		{"model code", "How much is the Hurom H 310 A juicer?", []ragkb.SearchHit{white, black}, 2},
		{"same name, other prices: a guess", "Kolik stojí H 310 A?", []ragkb.SearchHit{white, dearer}, 0},
		{"code written apart", "Kolik stojí odšťavňovač H 400?", []ragkb.SearchHit{h400}, 1},
		{"another code", "Kolik stojí odšťavňovač H 500?", []ragkb.SearchHit{h400, white}, 0},
		{"whole name", "How much is the cap?", []ragkb.SearchHit{cap}, 1},
		{"name plus a word it lacks", "How much is the cap for kids?", []ragkb.SearchHit{cap}, 0},
		{"no product named", "How much is delivery?", []ragkb.SearchHit{cap}, 0},
		{"below the floor", "How much is the cap?", []ragkb.SearchHit{{Chunk: cap.Chunk, Relevance: 0.1}}, 0},
		{"asked word in the offer", "Ile stron ma książka Nauka duża?", []ragkb.SearchHit{book}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := namedOffers(tt.question, "en", tt.hits, 0.425); len(got) != tt.want {
				t.Errorf("namedOffers(%q) = %d hits, want %d", tt.question, len(got), tt.want)
			}
		})
	}
}

func TestComposeOfferAspects(t *testing.T) {
	album := offerHit("Album", "Album.\nIn stock.")
	hoodie := offerHit("Hoodie with Pocket", "Hoodie with Pocket costs 35.00 on sale (regular price 45.00).\nIn stock.")
	feed := offerHit("PALLMANN P4", "PALLMANN P4 coûte 12.60 EUR.\nEn stock.\nLivraison vers FR (Standard): 15.00 EUR.")
	van := offerHit("Etrusco A7300 DB", "Etrusco A7300 DB costs 66290.00 GBP.\nYear: 2021.\nMileage: 10233 miles.")
	book := offerHit("Nauka", "Nauka kosztuje 29.99 PLN.\nDostawa: od 12.99 PLN, wysyłka w ciągu 24 godzin.")
	tests := []struct {
		name, question string
		hit            ragkb.SearchHit
		want           string
		wantOK         bool
	}{
		{"no price stated", "How much is the Album?", album, "", false},
		{"first line answers", "Is the Hoodie with Pocket on sale?", hoodie, "Hoodie with Pocket costs 35.00 on sale (regular price 45.00).", true},
		{"delivery cost", "Combien coûte la livraison du PALLMANN P4 ?", feed, "PALLMANN P4 coûte 12.60 EUR. Livraison vers FR (Standard): 15.00 EUR.", true},
		{"delivery time not stated", "Quel est le délai de livraison du PALLMANN P4 ?", feed, "", false},
		{"delivery time stated", "Kiedy wyślecie Nauka?", book, "Nauka kosztuje 29.99 PLN. Dostawa: od 12.99 PLN, wysyłka w ciągu 24 godzin.", true},
		{"a label in another language", "Quel est le kilométrage de l'Etrusco A7300 DB ?", van, "Etrusco A7300 DB costs 66290.00 GBP. Mileage: 10233 miles.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, reason := ComposeOffer(tt.question, []ragkb.SearchHit{tt.hit})
			if ok != tt.wantOK || got.Text != tt.want {
				t.Errorf("ComposeOffer(%q) = %q, %v (%s); want %q, %v", tt.question, got.Text, ok, reason, tt.want, tt.wantOK)
			}
		})
	}
}

func TestTiedQA(t *testing.T) {
	qa := func(q, a string, rel float64) ragkb.SearchHit {
		return ragkb.SearchHit{Chunk: &ragkb.Chunk{Kind: ragkb.DocQA, Title: q, Text: a}, Relevance: rel}
	}
	tent := []ragkb.SearchHit{
		qa("Is the Kestrel Pro tent lightweight?", "Yes: the Kestrel Pro tent weighs 1.9 kg.", 0.62),
		qa("Is the Kestrel Pro tent waterproof?", "Yes: the Kestrel Pro tent has a 3000 mm hydrostatic head.", 0.60),
		qa("What warranty does the Kestrel Pro tent have?", "Two years on the Kestrel Pro tent.", 0.59),
	}
	for _, c := range []struct {
		name     string
		question string
		hits     []ragkb.SearchHit
		chosen   int
		want     bool
	}{
		{"only the shared name matches", "Will I stay dry in heavy rain with the Kestrel Pro tent?", tent, 0, true},
		{"the asked aspect picks one entry", "Is the Kestrel Pro tent waterproof?", tent, 1, false},
		{"every question word matched", "Kestrel Pro tent lightweight", tent, 0, false},
		{"the other entry is much less relevant", "Will I stay dry in heavy rain with the Kestrel Pro tent?",
			[]ragkb.SearchHit{tent[0], qa(tent[1].Chunk.Title, tent[1].Chunk.Text, 0.40)}, 0, false},
		{"a single entry", "Will I stay dry in heavy rain with the Kestrel Pro tent?", tent[:1], 0, false},
		{"same text under two questions is no tie", "Will I stay dry with the Kestrel Pro tent?",
			[]ragkb.SearchHit{tent[1], qa("Kestrel Pro tent in rain?", tent[1].Chunk.Text, 0.60)}, 0, false},
	} {
		if got := TiedQA(c.question, c.hits, c.chosen); got != c.want {
			t.Errorf("%s: TiedQA(%q) = %v, want %v", c.name, c.question, got, c.want)
		}
	}
}
