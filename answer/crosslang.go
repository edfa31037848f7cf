package answer

import (
	"slices"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/lexicon"
	"github.com/ragkb/ragkb/internal/textnorm"
)

// Cross-language FAQ lookup. A customer may ask in English about a Polish
// shop's FAQ ("Which courier do you ship with?" about "Wysyłka paczek:
// Paczki wysyłane są za pomocą kuriera InPost"). A semantic embedder
// bridges the languages only partly and the local one not at all, so when
// retrieval finds nothing relevant, the question's service and shop words
// (returns, delivery, payment, sizes, rental, assembly, …) are looked up in
// the glossary of package lexicon and the shop's FAQ is searched again in
// the shop's language. An entry answers only when it holds every concept the
// question was translated to and most of the question's words could be
// translated: a question about something the glossary does not know
// ("heating service") is left to the fallback, never guessed.

// glossary is the concepts of lexicon.All (service and shop), as concepts.
var glossary = func() []concept {
	var out []concept
	for _, c := range lexicon.All() {
		out = append(out, c.Forms)
	}
	return out
}()

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
		// An exact form decides before a shared stem: "kontakt" is a
		// contact, not "konta" (of an account).
		cs := lexicon.Lookup(t)
		for _, i := range cs {
			if !seen[i] {
				seen[i] = true
				out = append(out, glossary[i])
			}
		}
		if len(cs) > 0 {
			found++
		}
	}
	return out, float64(found) / float64(len(content))
}

// glossStem is the retriever's stem (lexicon.Stem).
func glossStem(w string) string { return lexicon.Stem(w) }

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

// missesConcept reports whether the question names a glossary concept
// (storage, rental, size…) that text holds in none of the six languages.
func missesConcept(question, text string) bool {
	concepts, _ := translateTerms(question)
	if len(concepts) == 0 {
		return false
	}
	stems := map[string]bool{}
	for _, w := range textnorm.Words(text) {
		stems[glossStem(w)] = true
	}
	for _, c := range concepts {
		found := false
		for _, forms := range c {
			for _, f := range forms {
				if stems[glossStem(f)] {
					found = true
				}
			}
		}
		if !found {
			return true
		}
	}
	return false
}
