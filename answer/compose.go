package answer

import (
	"slices"
	"strings"
	"unicode"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/guard"
	"github.com/ragkb/ragkb/internal/textnorm"
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
// textnorm.Words gives them) naming each aspect in en, pl, it, fr, de, es
// (and cs, for Czech feeds). The order is the order of precedence: "how
// much is delivery?" asks about delivery, not the price.
var aspectStems = []struct {
	aspect Aspect
	stems  []string
}{
	{AspectAvailability, []string{"stock", "availab", "unavailab", "sold", "dostep", "niedostep", "magazyn", "disponib",
		"indisponib", "rupture", "lager", "verfugbar", "lieferbar", "vorrat", "existenc", "agotad", "skladem", "dostupn"}},
	{AspectDelivery, []string{"deliver", "shipping", "ship", "postage", "courier", "dostaw", "wysylk", "wysyla", "przesylk",
		"kurier", "wysl", "consegn", "spedizi", "spedi", "corriere", "livrai", "livrer", "livre", "expedi", "envoi", "versand",
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
	words := textnorm.Words(question)
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
	words := textnorm.Words(line)
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
	get dostac ricevere recevoir bekommen recibir dostat
	use uses esta estan`) {
		m[w] = true
	}
	return m
}()

// namingTerms are the words of the question that may name a product: its
// content words that are neither about an aspect nor generic.
func namingTerms(question string) []string {
	var out []string
	terms := textnorm.Terms(question)
	for _, w := range textnorm.Words(question) {
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
	return namesProduct(question, title, identity, "")
}

// namesProduct is NamesProduct; asking is the offer's whole text, where a
// question about no particular aspect may find the word it asks about.
func namesProduct(question, title, identity, asking string) bool {
	terms := namingTerms(question)
	if len(terms) == 0 {
		return true
	}
	have := wordSet(title + " " + identity)
	var codes, words []string
	for _, t := range terms {
		if strings.IndexFunc(t, unicode.IsDigit) >= 0 {
			codes = append(codes, t)
		} else {
			words = append(words, t)
		}
	}
	joined := joinedCodes(question)
	strong := false
	for _, c := range codes {
		if !have[c] && !have[joined[c]] {
			return false
		}
		strong = strong || len(c) > 1 // "310", "8gb", "1l"; not a lone "1" (volume 1 of any series)
	}
	if strong {
		return true
	}
	matched := 0
	var rest []string
	for _, w := range words {
		if have[w] || have[stemOf(w)] {
			matched++
		} else {
			rest = append(rest, w)
		}
	}
	if matched*2 > len(words) || len(words) == 0 {
		return true
	}
	// A question about no particular aspect asks about something the offer
	// says beyond its name ("¿De qué están hechos los felpudos?": "hechos"
	// is in the description): one such word counts as what is asked, when
	// another names the product.
	if asking != "" && matched > 0 && AspectOf(question) == AspectNone {
		text := wordSet(asking)
		for _, w := range rest {
			if text[w] || text[stemOf(w)] {
				return (matched+1)*2 > len(words)
			}
		}
	}
	return false
}

// wordSet holds the words of text, their stems, and the model codes
// written across two words joined ("H 400" also gives "h400", "h400" also
// gives "400"), so that "H400" and "H 400" name the same model.
func wordSet(text string) map[string]bool {
	have := map[string]bool{}
	ws := textnorm.Words(text)
	for i, w := range ws {
		have[w], have[stemOf(w)] = true, true
		if i+1 < len(ws) && isLetters(w) && len(w) <= 3 && isDigits(ws[i+1]) {
			have[w+ws[i+1]] = true
		}
		if j := strings.IndexFunc(w, unicode.IsDigit); j > 0 && j <= 3 && isLetters(w[:j]) && isDigits(w[j:]) {
			have[w[j:]] = true
		}
	}
	return have
}

// joinedCodes maps each number of the question that follows a short
// letter prefix ("H 400") to the prefix and number joined ("h400").
func joinedCodes(question string) map[string]string {
	out := map[string]string{}
	ws := textnorm.Words(question)
	for i := 0; i+1 < len(ws); i++ {
		if isLetters(ws[i]) && len(ws[i]) <= 3 && isDigits(ws[i+1]) {
			out[ws[i+1]] = ws[i] + ws[i+1]
		}
	}
	return out
}

func isLetters(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
}

func isDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
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
		w := textnorm.Words(l)
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
	return ComposeOfferIn(question, "", hits)
}

// ComposeOfferIn is ComposeOffer for a question in language lang (ISO
// 639-1, "" when unknown). A question in another language than the offer
// may carry one word of its own language the offer cannot hold ("How much
// is the Anex Modu pram?" about a Polish "Anex Modu – wózek …"): see
// mentionsNaming.
func ComposeOfferIn(question, lang string, hits []ragkb.SearchHit) (ans OfferAnswer, ok bool, reason string) {
	aspect := AspectOf(question)
	named, best := -1, 0
	var loose []int
	for i, h := range hits {
		cross, same := languagesOf(lang, h.Chunk.Language)
		if h.Chunk.Kind != ragkb.DocOffer || !mentionsNaming(question, h.Chunk.Title+"\n"+h.Chunk.Text, cross, same) {
			continue
		}
		if !NamesProduct(question, h.Chunk.Title, offerIdentity(h.Chunk.Text)) {
			if namesProduct(question, h.Chunk.Title, offerIdentity(h.Chunk.Text), h.Chunk.Text) {
				loose = append(loose, i)
			}
			continue
		}
		// Of the offers that fit, the one whose name has the fewest words
		// the question does not say: "PALL-X EXTRÊME MAT K.A." is not
		// "PALL-X EXTREME mat K.A. 5L".
		if score := -extraWords(h.Chunk.Title, question); named < 0 || score > best {
			named, best = i, score
		}
	}
	if named < 0 && len(loose) == 1 {
		// Named only with the word asked about: one offer, or a guess.
		named = loose[0]
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
		if first != "" && priceOf(first) == "" {
			// "Album." states no price: never answer a price question with it.
			return OfferAnswer{}, false, "the offer does not state its price"
		}
	case AspectNone:
		// "What is the mileage of …?": the lines that hold what is asked,
		// the words of the question that do not name the product.
		asked := askedTerms(question, h.Chunk.Title)
		if len(asked) == 0 {
			return OfferAnswer{Hit: named}, true, ""
		}
		if first != "" && textnorm.Coverage(asked, first) > 0 && textnorm.Coverage(asked, h.Chunk.Title) == 0 {
			// "Is the Hoodie with Pocket on sale?": the first line says.
			return OfferAnswer{Text: first, Hit: named}, true, ""
		}
		bestCov := 0.0
		for _, l := range lines {
			if c := textnorm.Coverage(asked, l); c > bestCov {
				bestCov, picked = c, []string{strings.TrimSpace(l)}
			} else if c == bestCov && c > 0 && len(picked) < 2 {
				picked = append(picked, strings.TrimSpace(l))
			}
		}
		if len(picked) == 0 {
			picked = labelledLines(asked, lines)
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
		if aspect == AspectDelivery && asksTime(question) && !slices.ContainsFunc(picked, statesDuration) {
			// "Quel est le délai de livraison ?" is not answered by the
			// delivery cost.
			return OfferAnswer{}, false, "the offer does not state its delivery time"
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
// Zipper XXL" is not the hoodie whose offer never mentions an XXL.
//
// crossLang: the question is in another language than the offer. A model
// code of several characters that the offer's name or codes hold
// (NamesProduct checked it) is then enough on its own ("How much is the H
// 310 A juicer?" about a Czech "Odšťavňovač H 310 A"), and otherwise its
// naming words may include one common noun of its own language (a word of
// at least four letters, not a size or a code) that the offer cannot
// contain, when at least two other naming words are in the offer: "pram"
// next to "Anex Modu". In the offer's own language every word counts: a
// "MAGIC OIL 2K Original 2,75L" is not the "MAGIC OIL 2K ERGO monocouche
// 2,75L" although their codes agree. sameLang false and crossLang false:
// the languages are not known, and a model code is enough.
func mentionsNaming(question, text string, crossLang, sameLang bool) bool {
	have := wordSet(text)
	terms := namingTerms(question)
	for _, t := range terms {
		if !sameLang && strings.IndexFunc(t, unicode.IsDigit) >= 0 && len(t) > 1 {
			return true
		}
	}
	missing, found, noun := 0, 0, true
	for _, t := range terms {
		if have[t] || have[stemOf(t)] {
			found++
			continue
		}
		missing++
		noun = noun && len(t) >= 4 && isLetters(t) && !sizeWords[t]
	}
	if missing == 0 {
		return true
	}
	// The word let through must not be a colour, country, payment method,
	// day or model the offer does not have ("czerwonym" is a colour).
	return crossLang && missing == 1 && noun && found >= 2 && guard.SpecificFit(question, text) != guard.FitConflict
}

// sizeWords are sizes a question may name: never a noun of another language.
var sizeWords = map[string]bool{"xxs": true, "xxl": true, "xxxl": true, "xxxxl": true, "small": true, "large": true, "medium": true}

// extraWords counts the words of title the question does not contain.
func extraWords(title, question string) int {
	have := map[string]bool{}
	for _, w := range textnorm.Words(question) {
		have[w] = true
	}
	n := 0
	for _, w := range textnorm.Words(title) {
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
	for _, w := range textnorm.Words(title) {
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
	oa, ok, reason := ComposeOfferIn(t.question, t.language, hits)
	if !ok && strings.HasPrefix(reason, "the product named") {
		// The model code may be spelt the other way in the catalogue.
		if more := t.codeSearch(); len(more) > 0 {
			if oa2, ok2, reason2 := ComposeOfferIn(t.question, t.language, more); ok2 || !strings.HasPrefix(reason2, "the product named") {
				oa, ok, reason, hits = oa2, ok2, reason2, more
			}
		}
	}
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
	terms := textnorm.Terms(question)
	best, bestCov := 0, textnorm.Coverage(terms, hits[0].Chunk.Title+"\n"+hits[0].Chunk.Text)
	for i, h := range hits[1:] {
		if h.Chunk.Kind != ragkb.DocQA || h.Relevance < hits[0].Relevance-qaSlack {
			continue
		}
		if c := textnorm.Coverage(terms, h.Chunk.Title+"\n"+h.Chunk.Text); c > bestCov {
			best, bestCov = i+1, c
		}
	}
	return best
}

// qaTieMargin is how close in relevance two FAQ entries must be for the
// question's words alone to have to tell them apart.
const qaTieMargin = 0.05

// TiedQA reports whether another approved entry among hits fits the question
// as well as hits[chosen]: it is about as relevant, says something else, and
// holds every question word the chosen one holds while the chosen one leaves
// some of the question unmatched. Then the matched words are what the entries
// share (a product name, "delivery"), not what was asked ("Will I stay dry
// in the rain with the Kestrel tent?" among the tent's waterproof,
// lightweight and warranty entries), and answering with one of them is a
// guess.
func TiedQA(question string, hits []ragkb.SearchHit, chosen int) bool {
	terms := textnorm.Terms(question)
	if len(terms) == 0 {
		return false
	}
	c := hits[chosen]
	mine := textnorm.Matched(terms, c.Chunk.Title+"\n"+c.Chunk.Text)
	if !slices.Contains(mine, false) {
		return false
	}
	for i, h := range hits {
		if i == chosen || h.Chunk.Kind != ragkb.DocQA || h.Relevance < c.Relevance-qaTieMargin ||
			strings.TrimSpace(h.Chunk.Text) == strings.TrimSpace(c.Chunk.Text) {
			continue
		}
		theirs := textnorm.Matched(terms, h.Chunk.Title+"\n"+h.Chunk.Text)
		covers := true
		for j := range mine {
			covers = covers && (!mine[j] || theirs[j])
		}
		if covers {
			return true
		}
	}
	return false
}

// namedOfferFloor is the share of the relevance threshold an offer must
// still reach to answer through its name (see namedOffers).
const namedOfferFloor = 0.4

// namedOffers returns the offer hits below the relevance threshold that a
// question names beyond doubt, best first; nil when there are none or the
// name fits several offers that state different prices. A short product
// question ("Kolik stojí odšťavňovač H 310 A?", "How much is the Anex Modu
// pram?") shares few words with the offer's prose, in particular in
// another language, so its relevance stays low although the product is
// named exactly. It counts as named when the offer passes the identity
// check (NamesProduct, mentionsNaming) and either
//   - every word of the offer's name is in the question, or
//   - the question's model code (several characters: "310", "8gb", "h400")
//     is in the offer's name, or at least two naming words of the
//     question are and none is missing from it.
func namedOffers(question, lang string, hits []ragkb.SearchHit, threshold float64) []ragkb.SearchHit {
	terms := namingTerms(question)
	if len(terms) == 0 {
		return nil
	}
	qwords := wordSet(question)
	joined := joinedCodes(question)
	aspect := AspectOf(question)
	var out []ragkb.SearchHit
	price := ""
	for _, h := range hits {
		if h.Chunk.Kind != ragkb.DocOffer || h.Relevance < threshold*namedOfferFloor {
			continue
		}
		cross, same := languagesOf(lang, h.Chunk.Language)
		if !NamesProduct(question, h.Chunk.Title, offerIdentity(h.Chunk.Text)) || !mentionsNaming(question, h.Chunk.Title+"\n"+h.Chunk.Text, cross, same) {
			continue
		}
		title := wordSet(h.Chunk.Title)
		whole := true
		for _, w := range textnorm.Terms(h.Chunk.Title) {
			whole = whole && (qwords[w] || qwords[stemOf(w)])
		}
		code, inTitle, asked := false, 0, 0
		text := wordSet(h.Chunk.Text)
		for _, t := range terms {
			switch {
			case title[t] || title[stemOf(t)] || title[joined[t]]:
				inTitle++
				code = code || strings.IndexFunc(t, unicode.IsDigit) >= 0 && len(t) > 1
			case aspect == AspectNone && asked == 0 && (text[t] || text[stemOf(t)]):
				// What is asked about the product ("Ile stron ma …?"),
				// stated in the offer beyond its name.
				asked++
			}
		}
		missing := len(terms) - inTitle - asked
		if !whole && !code && (inTitle < 2 || missing > 1 || missing == 1 && !cross) {
			continue
		}
		// Several offers of that name (colours of one model) answer only
		// when they cost the same: the first line is name and price.
		p := priceOf(h.Chunk.Text)
		if len(out) > 0 && p != price {
			return nil
		}
		price = p
		out = append(out, h)
	}
	return out
}

// priceOf is the price stated in an offer's first line ("… costs 9490.00.").
func priceOf(text string) string {
	first, _, _ := strings.Cut(text, "\n")
	ws := textnorm.Words(first)
	for i := len(ws) - 1; i >= 0; i-- {
		if isDigits(ws[i]) {
			if i > 0 && isDigits(ws[i-1]) {
				return ws[i-1] + "." + ws[i]
			}
			return ws[i]
		}
	}
	return ""
}

// codeVariants are the question's model codes written the other way: "H
// 400" joined ("h400"), "H400" apart ("h 400"). Shops write them either way
// and a word search finds only the spelling asked.
func codeVariants(question string) []string {
	var out []string
	ws := textnorm.Words(question)
	for i, w := range ws {
		if i+1 < len(ws) && isLetters(w) && len(w) <= 3 && isDigits(ws[i+1]) {
			out = append(out, w+ws[i+1])
		}
		if j := strings.IndexFunc(w, unicode.IsDigit); j > 0 && j <= 3 && isLetters(w[:j]) && isDigits(w[j:]) {
			out = append(out, w[:j]+" "+w[j:])
		}
	}
	return out
}

// namedOffer finds the offers a question names although none was relevant
// enough (namedOffers), searching again for its model codes spelt the
// other way (alone: the question's other words would outweigh them) when
// the first search did not find them.
func (t *turn) namedOffer(hits []ragkb.SearchHit) []ragkb.SearchHit {
	if named := namedOffers(t.question, t.language, hits, t.s.cfg.Relevance); len(named) > 0 {
		return named
	}
	return namedOffers(t.question, t.language, t.codeSearch(), t.s.cfg.Relevance)
}

// codeSearch searches for the question's model codes spelt the other way
// (codeVariants), nil when it has none.
func (t *turn) codeSearch() []ragkb.SearchHit {
	v := codeVariants(t.question)
	if len(v) == 0 {
		return nil
	}
	more, err := t.s.cfg.Searcher.Search(t.ctx, ragkb.SearchQuery{TenantID: t.tenantID, ResourceIDs: t.sc.resourceIDs, Text: strings.Join(v, " "), TopK: 5})
	if err != nil {
		t.s.log.Warn("answer: model code search", "tenant_id", t.tenantID, "err", err)
		return nil
	}
	return more
}

// timeStems are word beginnings asking how long or when (en, pl, de, it,
// fr, es), matched on textnorm.Words.
var timeStems = []string{"long", "when", "soon", "fast", "quick", "time", "days", "kiedy", "jak szybko", "szybko", "czas", "dlugo",
	"ile dni", "wann", "lange", "dauer", "schnell", "quando", "tempo", "tempi", "giorni", "quand", "delai", "temps", "combien de jours",
	"rapide", "cuando", "tiempo", "plazo", "rapido", "dias"}

// asksTime reports whether a question asks how long or when.
func asksTime(question string) bool {
	for _, w := range textnorm.Words(question) {
		for _, s := range timeStems {
			if !strings.Contains(s, " ") && (w == s || len(s) >= 4 && strings.HasPrefix(w, s)) {
				return true
			}
		}
	}
	return false
}

// durationUnits are word beginnings of time units in the six languages.
var durationUnits = []string{"h", "day", "hour", "week", "dni", "dzien", "dnia", "godzin", "tydz", "tygod", "tag", "stund", "woche",
	"giorn", "ore", "settiman", "jour", "heure", "semaine", "dia", "hora", "semana"}

// statesDuration reports whether a line states a duration: a number
// followed by a time unit ("24 godzin", "2-3 Tage", "24h").
func statesDuration(line string) bool {
	ws := textnorm.Words(line)
	for i, w := range ws {
		unit := ""
		if j := strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) }); j > 0 {
			unit = w[j:] // "24h"
		} else if j < 0 && i+1 < len(ws) {
			unit = ws[i+1]
		}
		if unit == "" {
			continue
		}
		for _, u := range durationUnits {
			if unit == u || len(u) >= 3 && strings.HasPrefix(unit, u) {
				return true
			}
		}
	}
	return false
}

// StatesPrice reports whether an approved text can answer a price question:
// it names a price, a cost or a fee, or an amount. A question that is not
// about a price is always answered. "Was kostet eine Heizungswartung?" is
// not answered by how long a service takes, although both are about the
// service.
func StatesPrice(question, text string) bool {
	if AspectOf(question) != AspectPrice {
		return true
	}
	for _, w := range textnorm.Words(text) {
		if hasStem(w, priceWords) || isDigits(w) && len(w) >= 2 {
			return true
		}
	}
	return false
}

// priceWords name prices, costs and fees in answers (en, pl, de, it, fr, es).
var priceWords = []string{"price", "pricing", "cost", "fee", "charge", "free", "cena", "ceny", "koszt", "oplat", "platn", "bezplat",
	"darmow", "preis", "kosten", "gebuhr", "kostenlos", "gratis", "prezz", "cost", "spes", "tariff", "gratuit", "prix", "cout", "frais",
	"tarif", "precio", "coste", "tarifa", "eur", "usd", "pln", "gbp", "chf", "czk"}

// languagesOf says whether a question in language q is in another language
// than an offer in language o (cross) or in the same (same); both false
// when either is unknown.
func languagesOf(q, o string) (cross, same bool) {
	if q == "" || o == "" {
		return false, false
	}
	return q != o, q == o
}

// attributeLabels are the labels of offer detail lines ("Mileage: 8827
// miles.", "Rok wydania: 2020") in the six languages, lower case without
// diacritics: a question in one language finds the line labelled in
// another ("Quel est le kilométrage …?" finds "Mileage: …").
var attributeLabels = [][]string{
	{"mileage", "kilometrage", "kilometerstand", "przebieg", "chilometraggio", "kilometraje", "odometer"},
	{"fuel", "paliwo", "kraftstoff", "carburante", "carburant", "combustible"},
	{"year", "rok", "jahr", "baujahr", "anno", "annee", "ano"},
	{"weight", "waga", "gewicht", "peso", "poids"},
	{"pages", "stron", "strony", "seiten", "pagine", "paginas"},
	{"author", "autor", "autore", "auteur"},
	{"material", "materials", "materiale", "matiere", "tworzywo"},
	{"dimensions", "size", "wymiar", "wymiary", "abmessungen", "masse", "dimensioni", "dimension", "dimensiones", "medidas"},
}

// labelledLines returns the lines of an offer whose label (the words
// before its colon) is an attribute one of the asked terms names.
func labelledLines(asked, lines []string) []string {
	var out []string
	for _, forms := range attributeLabels {
		named := false
		for _, a := range asked {
			named = named || slices.Contains(forms, a)
		}
		if !named {
			continue
		}
		for _, l := range lines {
			label, _, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			for _, w := range textnorm.Words(label) {
				if slices.Contains(forms, w) {
					out = append(out, strings.TrimSpace(l))
					break
				}
			}
		}
	}
	return out
}
