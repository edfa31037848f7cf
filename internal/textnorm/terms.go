package textnorm

import "strings"

// Terms returns the normalised content words of a question: lower-cased,
// diacritics removed, stopwords of the supported languages dropped.
func Terms(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range Words(text) {
		if len([]rune(w)) < 2 || relevanceStopwords[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// Coverage is the share of terms found in text. A term matches a word of the
// text that shares its first five letters after a plural "s" is dropped (a
// cheap stem that copes with "invoice"/"invoices", "cost"/"costs",
// "faktura"/"faktury").
func Coverage(terms []string, text string) float64 {
	if len(terms) == 0 {
		return 0
	}
	n := 0
	for _, f := range Matched(terms, text) {
		if f {
			n++
		}
	}
	return float64(n) / float64(len(terms))
}

// Matched reports, for each of terms, whether text holds it (under its
// stem), as Coverage counts them.
func Matched(terms []string, text string) []bool {
	found := make([]bool, len(terms))
	if len(terms) == 0 {
		return found
	}
	// Look the text's words up among the few terms' stems rather than
	// collecting every word of the text: the text is long, the question short.
	want := make(map[string][]int, len(terms))
	for i, t := range terms {
		st := prefix(t)
		want[st] = append(want[st], i)
	}
	n := 0
	for _, w := range Words(text) {
		idx, ok := want[prefix(w)]
		if !ok {
			continue
		}
		for _, i := range idx {
			if !found[i] {
				found[i] = true
				n++
			}
		}
		if n == len(terms) {
			break
		}
	}
	return found
}

// prefix is the cheap stem Matched compares: the first five letters after
// a plural "s" is dropped.
func prefix(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii { // bytes are runes: no conversion
		if len(w) >= 4 && w[len(w)-1] == 's' { // plurals: costs/cost, days/day
			w = w[:len(w)-1]
		}
		return w[:min(len(w), 5)]
	}
	r := []rune(w)
	if len(r) >= 4 && r[len(r)-1] == 's' {
		r = r[:len(r)-1]
	}
	if len(r) > 5 {
		r = r[:5]
	}
	return string(r)
}

// relevanceStopwords are function words of en, it, fr, de, pl and es that carry no
// topic: they must not make an unrelated passage look relevant.
var relevanceStopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
a an the and or but if of to in on at by for with from as is are was were be been being do does did done
have has had i me my mine we our you your yours he she it its they them their this that these those there here
what which who whom whose when where why how can could would should will shall may might must not no yes
please any some all about into over than then so too very just also get got give want need tell know
il lo la i gli le un una uno di da in con su per tra fra e o ma se che chi cosa come dove quando perche
non si mi ti ci vi del della dei delle al alla ai alle nel nella sono sei siamo avete hanno ho hai ha
posso puoi potete vorrei voglio mio mia vostro vostra
le la les un une des de du et ou mais si que qui quoi comment ou quand pourquoi ne pas je tu il elle nous vous
ils elles mon ma mes votre vos est sont suis etes avez ai au aux ce cette ces en dans sur pour par avec
der die das ein eine einen einem einer und oder aber wenn dass wer was wie wo wann warum nicht ich du er sie
es wir ihr mein meine ist sind bin habe hast hat haben kann konnen ich mich mir den dem des zu im am vom zum zur
mit fur auf aus bei nach von
i w z na do od po za ze o u a ale czy jak gdzie kiedy dlaczego co kto nie tak ja ty on ona my wy oni moj moja
moje jest sa mam masz ma macie mozna moge sie to ten ta te tego
el la los las un una unos unas y o pero si que quien como donde cuando por para con sin de del al en es son
soy eres tengo tiene tienen puedo puede mi mis su sus vuestro lo le les se no
`) {
		m[w] = true
	}
	return m
}()
