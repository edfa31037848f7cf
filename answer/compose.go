package answer

import (
	"strings"
	"unicode"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/retriever"
)

// Aspect is what a customer asks about a product offer.
type Aspect string

// Aspects of an offer an answer can be composed for.
const (
	AspectNone         Aspect = ""
	AspectPrice        Aspect = "price"
	AspectAvailability Aspect = "availability"
	AspectDelivery     Aspect = "delivery"
	AspectOptions      Aspect = "options"
	AspectReturns      Aspect = "returns"
	AspectWarranty     Aspect = "warranty"
)

// aspectStems are word beginnings (lower case, without diacritics, as
// retriever.Words gives them) naming each aspect in en, pl, it, fr, de, es
// (and cs, for Czech feeds). The order is the order of precedence: "how
// much is delivery?" asks about delivery, not the price.
var aspectStems = []struct {
	aspect Aspect
	stems  []string
}{
	{AspectAvailability, []string{"stock", "availab", "unavailab", "sold", "dostep", "niedostep", "magazyn", "disponib",
		"indisponib", "rupture", "lager", "verfugbar", "lieferbar", "vorrat", "existenc", "agotad", "skladem", "dostupn"}},
	{AspectDelivery, []string{"deliver", "shipping", "ship", "postage", "courier", "dostaw", "wysylk", "wysyla", "przesylk",
		"kurier", "consegn", "spedizi", "spedi", "corriere", "livrai", "livrer", "livre", "expedi", "envoi", "versand",
		"liefer", "zustell", "porto", "envio", "envia", "entreg", "doprav", "doruc", "posil"}},
	{AspectOptions, []string{"colour", "color", "size", "variant", "option", "kolor", "rozmiar", "wariant", "wersj",
		"colore", "colori", "taglia", "taglie", "misur", "versio", "couleur", "taille", "farbe", "grosse", "ausfuhr",
		"talla", "tallas", "barv", "velikost", "format"}},
	{AspectReturns, []string{"return", "refund", "zwrot", "zwroc", "odstap", "reso", "resi", "rendere", "rimbors",
		"restitu", "retour", "rembours", "ruckgab", "rucksend", "zuruckgeb", "widerruf", "devoluc", "devolver", "reembols",
		"vracen", "vratit"}},
	{AspectWarranty, []string{"warrant", "guarant", "gwaranc", "rekojm", "garanz", "garanti", "gewahr", "zaruk", "zaruc"}},
	{AspectPrice, []string{"price", "cost", "cheap", "expensive", "cena", "ceny", "koszt", "kosztuj", "drog", "tani",
		"prezzo", "costa", "costo", "quanto", "prix", "coute", "combien", "preis", "kostet", "kosten", "teuer", "precio",
		"cuesta", "cuanto", "stoji", "kolik"}},
}

// AspectOf says which aspect of an offer a question asks about.
func AspectOf(question string) Aspect {
	words := retriever.Words(question)
	for _, a := range aspectStems {
		for _, w := range words {
			if hasStem(w, a.stems) {
				return a.aspect
			}
		}
	}
	for i := 0; i+1 < len(words); i++ {
		if words[i] == "how" && words[i+1] == "much" {
			return AspectPrice
		}
	}
	return AspectNone
}

func hasStem(w string, stems []string) bool {
	for _, s := range stems {
		if strings.HasPrefix(w, s) && (len(s) >= 4 || w == s || len(w) <= len(s)+3) {
			return true
		}
	}
	return false
}

// descriptionLabels start the free-text description line of an offer
// document: its words never classify the line.
var descriptionLabels = []string{"description", "opis", "descrizione", "beschreibung", "descripcion", "popis"}

// lineAspect classifies a line of an offer document by its first words
// (offer documents put the label first: "Dostawa do PL: 14.99 PLN",
// "Gwarancja: 2 lata", "Auf Lager.", "Options: …").
func lineAspect(line string) Aspect {
	words := retriever.Words(line)
	if len(words) == 0 {
		return AspectNone
	}
	for _, d := range descriptionLabels {
		if words[0] == d {
			return AspectNone
		}
	}
	head := words[:min(len(words), 3)]
	for _, a := range aspectStems {
		if a.aspect == AspectPrice {
			continue
		}
		for _, w := range head {
			if hasStem(w, a.stems) {
				return a.aspect
			}
		}
	}
	return AspectNone
}

// genericWords are content words of product questions that name no product.
var genericWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`product products item items thing produkt produkty towar towaru prodotto prodotti
	articolo articoli produit produits article articles artikel producto productos articulo zbozi vyrobek
	have sell buy order purchase offer kupic kupie zamowic zamowie sprzedajecie macie mam masz jest sa ma moge mozna
	comprare ordinare vendete avete avere acheter commander vendez avez kaufen bestellen verkauft habt haben gibt
	comprar pedir venden tienen hay tiene mate mam koupit objednat prodavate
	much many ile quanto quanti combien viel viele cuanto cuantos kolik
	still currently now today also jeszcze teraz obecnie ancora adesso encore maintenant noch jetzt todavia aun ahora
	which what jakie jaki jaka jakich quali quale quels quelles quel quelle welche welcher welches cuales cual jake jaky
	oferta offerta offre angebot nabidka available dostepny disponibile disponible verfugbar
	the your you shop store sklep negozio boutique laden tienda obchod
	free darmowa darmowy gratis gratuit gratuita kostenlos zdarma
	one jeden uno une ein
	long dlugo quanto tempo combien temps lange tiempo dlouho
	take takes trwa richiede prend dauert tarda trva
	get dostac ricevere recevoir bekommen recibir dostat`) {
		m[w] = true
	}
	return m
}()

// namingTerms are the words of the question that may name a product: its
// content words that are neither about an aspect nor generic.
func namingTerms(question string) []string {
	var out []string
	terms := retriever.Terms(question)
	for _, w := range retriever.Words(question) {
		if len(w) == 1 && unicode.IsDigit(rune(w[0])) {
			terms = append(terms, w) // "volume 3": one digit is a product's number too
		}
	}
	for _, t := range terms {
		if genericWords[t] {
			continue
		}
		isAspect := false
		for _, a := range aspectStems {
			isAspect = isAspect || hasStem(t, a.stems)
		}
		if !isAspect {
			out = append(out, t)
		}
	}
	return out
}

// NamesProduct reports whether the offer titled title (with identity text
// such as its brand and codes) is the product the question names, if it
// names one: every number or model code of the question is in it, and most
// of its other naming words. A question naming no product matches any
// offer. An answer about a product must be about the product named, never
// its closest neighbour in the catalogue.
func NamesProduct(question, title, identity string) bool {
	terms := namingTerms(question)
	if len(terms) == 0 {
		return true
	}
	have := map[string]bool{}
	for _, w := range retriever.Words(title + " " + identity) {
		have[w] = true
		have[stemOf(w)] = true
	}
	var codes, words []string
	for _, t := range terms {
		if strings.IndexFunc(t, unicode.IsDigit) >= 0 {
			codes = append(codes, t)
		} else {
			words = append(words, t)
		}
	}
	strong := false
	for _, c := range codes {
		if !have[c] {
			return false
		}
		strong = strong || len(c) > 1 // "310", "8gb", "1l"; not a lone "1" (volume 1 of any series)
	}
	if strong {
		return true
	}
	matched := 0
	for _, w := range words {
		if have[w] || have[stemOf(w)] {
			matched++
		}
	}
	return matched*2 > len(words) || len(words) == 0
}

func stemOf(w string) string {
	r := []rune(w)
	if len(r) > 5 {
		r = r[:5]
	}
	return string(r)
}

// offerIdentity is the part of an offer's text that identifies it: its
// first line (name and price) and its brand and product-code lines.
func offerIdentity(text string) string {
	lines := strings.Split(text, "\n")
	var out []string
	for i, l := range lines {
		w := retriever.Words(l)
		if i == 0 || len(w) > 0 && (w[0] == "brand" || w[0] == "marka" || w[0] == "marca" || w[0] == "marque" || w[0] == "marke" ||
			w[0] == "znacka" || w[0] == "sku" || w[0] == "gtin" || strings.HasPrefix(w[0], "product") || strings.HasPrefix(w[0], "kod") ||
			strings.HasPrefix(w[0], "codice") || strings.HasPrefix(w[0], "code") || strings.HasPrefix(w[0], "codigo")) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// OfferAnswer is an answer composed from one offer.
type OfferAnswer struct {
	Text string
	Hit  int // index of the offer in the hits
}

// ComposeOffer answers a question about a product offer from the offer
// hits: the first offer that is the product named (see NamesProduct) gives
// its name-and-price line followed by the lines of the aspect asked
// (availability, delivery, options, returns, warranty), copied verbatim.
// ok is false with a reason when no offer can answer: the product named is
// not among the hits, or its offer does not state the aspect asked (the
// price is never given in place of the delivery terms). A question about
// no particular aspect returns ok with an empty Text: extraction decides.
func ComposeOffer(question string, hits []ragkb.SearchHit) (ans OfferAnswer, ok bool, reason string) {
	aspect := AspectOf(question)
	named, best := -1, 0
	for i, h := range hits {
		if h.Chunk.Kind != ragkb.DocOffer || !NamesProduct(question, h.Chunk.Title, offerIdentity(h.Chunk.Text)) ||
			!mentionsNaming(question, h.Chunk.Title+"\n"+h.Chunk.Text) {
			continue
		}
		// Of the offers that fit, the one whose name has the fewest words
		// the question does not say: "PALL-X EXTRÊME MAT K.A." is not
		// "PALL-X EXTREME mat K.A. 5L".
		if score := -extraWords(h.Chunk.Title, question); named < 0 || score > best {
			named, best = i, score
		}
	}
	if named < 0 {
		return OfferAnswer{}, false, "the product named in the question is not among the offers found"
	}
	h := hits[named]
	lines := strings.Split(h.Chunk.Text, "\n")
	first := ""
	if h.Chunk.Ordinal == 0 && len(lines) > 0 {
		first, lines = strings.TrimSpace(lines[0]), lines[1:]
	}
	var picked []string
	switch aspect {
	case AspectPrice:
	case AspectNone:
		// "What is the mileage of …?": the lines that hold what is asked,
		// the words of the question that do not name the product.
		asked := askedTerms(question, h.Chunk.Title)
		if len(asked) == 0 {
			return OfferAnswer{Hit: named}, true, ""
		}
		bestCov := 0.0
		for _, l := range lines {
			if c := retriever.Coverage(asked, l); c > bestCov {
				bestCov, picked = c, []string{strings.TrimSpace(l)}
			} else if c == bestCov && c > 0 && len(picked) < 2 {
				picked = append(picked, strings.TrimSpace(l))
			}
		}
		if len(picked) == 0 {
			return OfferAnswer{}, false, "the offer does not say what was asked"
		}
	default:
		for _, l := range lines {
			if lineAspect(l) == aspect {
				picked = append(picked, strings.TrimSpace(l))
			}
		}
		if len(picked) == 0 {
			return OfferAnswer{}, false, "the offer does not state its " + string(aspect)
		}
	}
	if first != "" {
		picked = append([]string{first}, picked...)
	}
	if len(picked) == 0 {
		return OfferAnswer{}, false, "the offer does not state its " + string(aspect)
	}
	return OfferAnswer{Text: strings.Join(picked, " "), Hit: named}, true, ""
}

// mentionsNaming reports whether every naming word of the question is
// somewhere in the offer (its name, options or description): "Hoodie with
// Zipper XXL" is not the hoodie whose offer never mentions an XXL. A model
// code of several characters that the offer's name or codes hold is enough
// on its own (NamesProduct checked it).
func mentionsNaming(question, text string) bool {
	have := map[string]bool{}
	for _, w := range retriever.Words(text) {
		have[w], have[stemOf(w)] = true, true
	}
	for _, t := range namingTerms(question) {
		if strings.IndexFunc(t, unicode.IsDigit) >= 0 && len(t) > 1 {
			return true
		}
	}
	for _, t := range namingTerms(question) {
		if !have[t] && !have[stemOf(t)] {
			return false
		}
	}
	return true
}

// extraWords counts the words of title the question does not contain.
func extraWords(title, question string) int {
	have := map[string]bool{}
	for _, w := range retriever.Words(question) {
		have[w] = true
	}
	n := 0
	for _, w := range retriever.Words(title) {
		if !have[w] {
			n++
		}
	}
	return n
}

// askedTerms are the naming terms of the question that are not in the
// offer's title: what the customer asks about the product.
func askedTerms(question, title string) []string {
	inTitle := map[string]bool{}
	for _, w := range retriever.Words(title) {
		inTitle[w], inTitle[stemOf(w)] = true, true
	}
	var out []string
	for _, t := range namingTerms(question) {
		if !inTitle[t] && !inTitle[stemOf(t)] && strings.IndexFunc(t, unicode.IsDigit) < 0 {
			out = append(out, t)
		}
	}
	return out
}

// offer answers a question whose best source is a product offer (see
// ComposeOffer). It returns the response, or nil and the hits extraction
// should use instead: the named offer alone, or only the other kinds of
// source when the offer does not state what was asked.
func (t *turn) offer(hits []ragkb.SearchHit) (*ragkb.AnswerResponse, []ragkb.SearchHit) {
	oa, ok, reason := ComposeOffer(t.question, hits)
	if !ok {
		var other []ragkb.SearchHit
		for _, h := range hits {
			if h.Chunk.Kind != ragkb.DocOffer {
				other = append(other, h)
			}
		}
		if len(other) == 0 || strings.HasPrefix(reason, "the product named") {
			t.reason = reason
			return t.fallback(), nil
		}
		return nil, other
	}
	h := hits[oa.Hit]
	if oa.Text != "" {
		return t.checked(oa.Text, []ragkb.Citation{t.citation(1, h)}, []string{h.Chunk.Title + "\n" + h.Chunk.Text}), nil
	}
	// Nothing particular asked ("tell me about …"): sentences of that
	// offer only, never of its neighbours.
	return nil, []ragkb.SearchHit{h}
}

// qaSlack is how far below the best hit's relevance another FAQ entry may be
// and still answer, when it covers more of the question's words.
const qaSlack = 0.1

// PickQA returns the index of the question-and-answer hit that answers the
// question: among the entries close to the best one in relevance, the one
// whose question and answer share the most words with the question ("Ile
// mam czasu na zwrot książki?" is about returns, not about who may order
// books). hits[0] must be a DocQA hit.
func PickQA(question string, hits []ragkb.SearchHit) int {
	terms := retriever.Terms(question)
	best, bestCov := 0, retriever.Coverage(terms, hits[0].Chunk.Title+"\n"+hits[0].Chunk.Text)
	for i, h := range hits[1:] {
		if h.Chunk.Kind != ragkb.DocQA || h.Relevance < hits[0].Relevance-qaSlack {
			continue
		}
		if c := retriever.Coverage(terms, h.Chunk.Title+"\n"+h.Chunk.Text); c > bestCov {
			best, bestCov = i+1, c
		}
	}
	return best
}
