package textnorm

// Terms returns the normalised content words of a question: lower-cased,
// diacritics removed, stopwords of the supported languages dropped.
func Terms(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range Words(text) {
		if len([]rune(w)) < 2 || IsStopword(w) || seen[w] {
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
