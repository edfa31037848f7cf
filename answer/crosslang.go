package answer

import (
	"slices"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/textnorm"
)

// Cross-language FAQ lookup. A customer may ask in English about a Polish
// shop's FAQ ("Which courier do you ship with?" about "Wysyłka paczek:
// Paczki wysyłane są za pomocą kuriera InPost"). A semantic embedder
// bridges the languages only partly and the local one not at all, so when
// retrieval finds nothing relevant, the question's service words (returns,
// delivery, payment, cancelling, tracking, …) are looked up in a small
// glossary of the six languages and the shop's FAQ is searched again in the
// shop's language. An entry answers only when it holds every concept the
// question was translated to and most of the question's words could be
// translated: a question about something the glossary does not know
// ("heating service") is left to the fallback, never guessed.

// glossary lists service concepts of shop FAQs and their word forms per
// language, lower case without diacritics (as textnorm.Words gives them).
// A question word matches a form when their retriever stems agree; the
// forms of the shop's language are searched.
var glossary = []map[string][]string{
	{ // return
		"en": {"return", "returns", "returning"},
		"pl": {"zwrot", "zwrotu", "zwrocic", "zwracac", "oddac"},
		"de": {"ruckgabe", "zuruckgeben", "rucksendung", "retoure", "zurucksenden"},
		"it": {"reso", "resi", "restituire", "rendere", "restituzione"},
		"fr": {"retour", "retourner", "renvoyer", "retours"},
		"es": {"devolucion", "devolver", "devoluciones"},
	},
	{ // refund
		"en": {"refund", "refunds", "refunded"},
		"pl": {"zwrot", "zwrotu", "pieniadze", "srodki"},
		"de": {"erstattung", "ruckerstattung", "erstattet", "geld"},
		"it": {"rimborso", "rimborsi", "rimborsare", "rimborsato"},
		"fr": {"remboursement", "rembourser", "rembourse"},
		"es": {"reembolso", "reembolsar", "reembolsos"},
	},
	{ // delivery, shipping
		"en": {"delivery", "deliver", "delivered", "shipping", "ship", "ships", "shipped", "send", "postage"},
		"pl": {"wysylka", "wysylacie", "wysylane", "wysylki", "dostawa", "dostawy", "przesylka", "przesylki"},
		"de": {"versand", "versenden", "versendet", "lieferung", "liefern", "geliefert"},
		"it": {"spedizione", "spedizioni", "spedire", "spedito", "consegna", "consegnare"},
		"fr": {"livraison", "livrer", "livre", "expedition", "expedier", "envoi"},
		"es": {"envio", "enviar", "envios", "entrega", "entregar"},
	},
	{ // courier, carrier
		"en": {"courier", "carrier", "couriers"},
		"pl": {"kurier", "kuriera", "kurierem", "kurierska", "przewoznik"},
		"de": {"kurier", "paketdienst", "zusteller", "versanddienstleister"},
		"it": {"corriere", "corrieri"},
		"fr": {"transporteur", "coursier", "transporteurs"},
		"es": {"mensajero", "transportista", "mensajeria"},
	},
	{ // payment
		"en": {"pay", "payment", "payments", "paying", "paid"},
		"pl": {"platnosc", "zaplacic", "placic", "platnosci", "zaplata"},
		"de": {"zahlung", "bezahlen", "zahlen", "bezahlung", "zahlungsarten"},
		"it": {"pagamento", "pagare", "pagamenti", "pagato"},
		"fr": {"paiement", "payer", "paiements", "paye"},
		"es": {"pago", "pagar", "pagos"},
	},
	{ // order
		"en": {"order", "orders", "ordered"},
		"pl": {"zamowienie", "zamowienia", "zamowic", "zamawiac"},
		"de": {"bestellung", "bestellen", "bestellt"},
		"it": {"ordine", "ordini", "ordinare", "ordinato"},
		"fr": {"commande", "commander", "commandes"},
		"es": {"pedido", "pedidos", "pedir"},
	},
	{ // cancel
		"en": {"cancel", "cancelling", "cancellation", "canceled", "cancelled"},
		"pl": {"anulowac", "anulowanie", "anulowac", "zrezygnowac"},
		"de": {"stornieren", "stornierung", "storno"},
		"it": {"annullare", "cancellare", "annullamento"},
		"fr": {"annuler", "annulation"},
		"es": {"cancelar", "anular", "cancelacion"},
	},
	{ // track a parcel
		"en": {"track", "tracking", "trace"},
		"pl": {"sledzic", "sledzenie", "sledzenia"},
		"de": {"verfolgen", "sendungsverfolgung", "tracking"},
		"it": {"rintracciare", "tracciare", "tracking", "tracciabilita"},
		"fr": {"suivre", "suivi", "tracking"},
		"es": {"rastrear", "seguimiento", "rastreo"},
	},
	{ // damaged
		"en": {"damaged", "broken", "damage"},
		"pl": {"uszkodzony", "uszkodzona", "uszkodzone", "uszkodzenia", "zniszczony"},
		"de": {"beschadigt", "kaputt", "beschadigung"},
		"it": {"danneggiato", "danneggiata", "rotto", "danni"},
		"fr": {"endommage", "endommagee", "casse", "abime"},
		"es": {"danado", "danada", "roto", "rota"},
	},
	{ // days
		"en": {"day", "days"},
		"pl": {"dni", "dzien", "dnia"},
		"de": {"tag", "tage", "tagen"},
		"it": {"giorno", "giorni"},
		"fr": {"jour", "jours"},
		"es": {"dia", "dias"},
	},
	{ // account
		"en": {"account", "accounts"},
		"pl": {"konto", "konta", "kontem"},
		"de": {"konto", "kundenkonto"},
		"it": {"account"},
		"fr": {"compte"},
		"es": {"cuenta"},
	},
	{ // address
		"en": {"address", "addresses"},
		"pl": {"adres", "adresu"},
		"de": {"adresse", "anschrift"},
		"it": {"indirizzo", "indirizzi"},
		"fr": {"adresse"},
		"es": {"direccion"},
	},
	{ // contact
		"en": {"contact", "phone", "email", "call"},
		"pl": {"kontakt", "telefon", "telefonu", "mail", "mailowo"},
		"de": {"kontakt", "telefon", "mail", "kontaktieren"},
		"it": {"contatto", "contattarci", "telefono", "email"},
		"fr": {"contact", "telephone", "contacter", "mail"},
		"es": {"contacto", "telefono", "correo"},
	},
	{ // warranty
		"en": {"warranty", "guarantee"},
		"pl": {"gwarancja", "gwarancji", "rekojmia"},
		"de": {"garantie", "gewahrleistung"},
		"it": {"garanzia"},
		"fr": {"garantie"},
		"es": {"garantia"},
	},
	{ // parcel
		"en": {"parcel", "package", "parcels", "packages"},
		"pl": {"paczka", "paczki", "paczke", "przesylka"},
		"de": {"paket", "pakete", "sendung"},
		"it": {"pacco", "pacchi"},
		"fr": {"colis"},
		"es": {"paquete", "paquetes"},
	},
	{ // invoice
		"en": {"invoice", "receipt"},
		"pl": {"faktura", "fakture", "faktury", "paragon"},
		"de": {"rechnung", "quittung"},
		"it": {"fattura", "ricevuta"},
		"fr": {"facture", "recu"},
		"es": {"factura", "recibo"},
	},
}

// concept is a glossary entry a question word was matched to.
type concept map[string][]string

// translateTerms returns the glossary concepts of the question's words and
// the share of its content words (generic words left aside) they cover.
func translateTerms(question string) ([]concept, float64) {
	var content []string
	for _, t := range textnorm.Terms(question) {
		if !genericWords[t] && !frameWords[t] {
			content = append(content, t)
		}
	}
	if len(content) == 0 {
		return nil, 0
	}
	var out []concept
	seen := map[int]bool{}
	found := 0
	for _, t := range content {
		hit := false
		for i, c := range glossary {
			if matchesConcept(t, c) {
				hit = true
				if !seen[i] {
					seen[i] = true
					out = append(out, c)
				}
			}
		}
		if hit {
			found++
		}
	}
	return out, float64(found) / float64(len(content))
}

func matchesConcept(w string, c concept) bool {
	sw := glossStem(w)
	for _, forms := range c {
		for _, f := range forms {
			if !strings.Contains(f, " ") && glossStem(f) == sw {
				return true
			}
		}
	}
	return false
}

// glossStem is the retriever's stem: the first five letters after a plural
// "s" is dropped.
func glossStem(w string) string {
	r := []rune(w)
	if len(r) >= 4 && r[len(r)-1] == 's' {
		r = r[:len(r)-1]
	}
	if len(r) > 5 {
		r = r[:5]
	}
	return string(r)
}

// minTranslated is the share of a question's content words the glossary
// must translate for a cross-language lookup.
const minTranslated = 0.6

// crossLanguage searches the FAQ entries of the shop's other languages
// with the glossary's words of the question (see the comment above). It
// returns the one entry hit that holds every translated concept best (in
// its question rather than only its answer), or nil when none does or two
// do equally well.
func (t *turn) crossLanguage() []ragkb.SearchHit {
	if t.language == "" {
		return nil
	}
	concepts, share := translateTerms(t.question)
	if len(concepts) == 0 || share < minTranslated {
		return nil
	}
	var best []ragkb.SearchHit
	bestScore, tie := 0.0, false
	for _, l := range t.sc.languages {
		// In the question's own language the search above already matched
		// its words: the glossary bridges only inflections and synonyms
		// ("zapłacić" for "Płatność"), and only to an entry whose question
		// holds every concept.
		same := l == t.language
		var words []string
		for _, c := range concepts {
			words = append(words, c[l]...)
		}
		if len(words) == 0 {
			continue
		}
		hits, err := t.s.cfg.Searcher.Search(t.ctx, ragkb.SearchQuery{TenantID: t.tenantID, ResourceIDs: t.sc.resourceIDs, Text: strings.Join(words, " "), TopK: 5})
		if err != nil {
			t.s.log.Warn("answer: cross-language search", "tenant_id", t.tenantID, "err", err)
			return nil
		}
		for _, h := range hits {
			// The retriever's relevance measures the glossary's word list,
			// not the question: the concepts decide.
			if h.Chunk.Kind != ragkb.DocQA || h.Chunk.Language != l {
				continue
			}
			switch score := conceptScore(concepts, l, h.Chunk.Title, h.Chunk.Text, same); {
			case score > bestScore:
				best, bestScore, tie = []ragkb.SearchHit{h}, score, false
			case score == bestScore && score > 0 && best[0].Chunk.DocumentID != h.Chunk.DocumentID:
				tie = true
			}
		}
	}
	if tie {
		// Two entries fit as well: which one is meant is a guess.
		return nil
	}
	return best
}

// conceptScore is 0 when the entry misses a concept or holds fewer than
// half of them (allInTitle: not all of them) in its question (title), else
// two points for
// each concept in its question (title) and one for each in its answer,
// plus the share of the question's words that are concepts: "Wysyłka
// paczek" is more about shipping than "Moje zamówienie zostało dostarczone
// uszkodzone".
func conceptScore(concepts []concept, lang, title, text string, allInTitle bool) float64 {
	stems := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, w := range textnorm.Words(s) {
			m[glossStem(w)] = true
		}
		return m
	}
	inTitle, inText := stems(title), stems(text)
	score, titleHits := 0.0, 0
	for _, c := range concepts {
		ti, te := false, false
		for _, f := range c[lang] {
			for _, w := range textnorm.Words(f) {
				ti = ti || inTitle[glossStem(w)]
				te = te || inText[glossStem(w)]
			}
		}
		switch {
		case ti:
			score += 2
			titleHits++
		case te:
			score++
		default:
			return 0
		}
	}
	if titleHits*2 < len(concepts) || allInTitle && titleHits < len(concepts) {
		// The entry's question is about something else and mentions the
		// concepts in passing ("konto bankowe" in a payment entry is not
		// about accounts).
		return 0
	}
	if n := len(textnorm.Terms(title)); n > 0 {
		score += float64(titleHits) / float64(n)
	}
	return score
}

// scopeLanguages are the distinct languages of the resources in scope.
func scopeLanguages(rs []*ragkb.Resource, inScope func(string) bool) []string {
	var out []string
	for _, r := range rs {
		if r.Language != "" && inScope(r.ID) && !slices.Contains(out, r.Language) {
			out = append(out, r.Language)
		}
	}
	return out
}

// frameWords are verbs and conjunctions that frame a service question in
// the six languages ("I must", "to obtain", "if"): left aside when counting
// how much of a question the glossary translated.
var frameWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`must need should obtain receive happen
	musze musi trzeba miec zeby aby gdy jesli zrobic robic otrzymac uzyskac
	muss musste soll sollte brauche wenn damit erhalten machen
	devo deve bisogna serve quando ottenere fare succede
	dois doit faut quand obtenir faire recevoir
	debo debe tengo hay cuando obtener hacer`) {
		m[w] = true
	}
	return m
}()

// pickQAByConcepts chooses among FAQ entries close to the best hit (within
// qaSlack) for a question in another language than they are: the one that
// holds the question's glossary concepts best ("Comment obtenir un
// remboursement ?" is "Come ottenere un rimborso?", not the entry on cash
// payments that mentions refunds in passing). -1 when the concepts do not
// decide (no concepts, or two entries fit as well).
func (t *turn) pickQAByConcepts(hits []ragkb.SearchHit) int {
	if t.language == "" || hits[0].Chunk.Language == "" || hits[0].Chunk.Language == t.language {
		return -1
	}
	concepts, share := translateTerms(t.question)
	if len(concepts) == 0 || share < minTranslated {
		return -1
	}
	best, bestScore, tie := -1, 0.0, false
	for i, h := range hits {
		if h.Chunk.Kind != ragkb.DocQA || h.Relevance < hits[0].Relevance-qaSlack || h.Chunk.Language == t.language {
			continue
		}
		switch score := conceptScore(concepts, h.Chunk.Language, h.Chunk.Title, h.Chunk.Text, false); {
		case score > bestScore:
			best, bestScore, tie = i, score, false
		case score == bestScore && score > 0:
			tie = true
		}
	}
	if tie {
		return -1
	}
	return best
}

// betterByConcepts returns the FAQ entry the glossary lookup finds
// (crossLanguage) in place of top, for a question in another language than
// top, when that entry holds the question's concepts better: semantic
// retrieval across languages can rank an entry that mentions a refund in
// passing above the one about refunds, and leave the latter out of its
// first hits.
func (t *turn) betterByConcepts(top ragkb.SearchHit) ragkb.SearchHit {
	l := top.Chunk.Language
	if t.language == "" || l == "" || l == t.language {
		return top
	}
	concepts, share := translateTerms(t.question)
	if len(concepts) == 0 || share < minTranslated {
		return top
	}
	found := t.crossLanguage()
	if len(found) == 0 || found[0].Chunk.ID == top.Chunk.ID {
		return top
	}
	if conceptScore(concepts, found[0].Chunk.Language, found[0].Chunk.Title, found[0].Chunk.Text, false) >
		conceptScore(concepts, l, top.Chunk.Title, top.Chunk.Text, false) {
		return found[0]
	}
	return top
}
