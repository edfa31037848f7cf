// Package sentence splits shop texts into sentences in the six languages
// ragkb answers in (en, pl, it, de, fr, es). A full stop after a known
// abbreviation ("ul.", "nr.", "tel.", "z o.o.", "z.B.", "S.p.A.", "etc."), an
// initial or before a lower-case word does not end a sentence, so an answer
// is never cut in the middle of an address or a company name.
package sentence

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a full stop without ending a sentence. Lower case,
// without the stop; tokens with an inner stop ("z.b", "s.p.a") are handled by
// shape, not listed.
var abbreviations = set(
	// en
	"mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "approx", "incl", "excl", "dept", "est",
	"inc", "ltd", "co", "corp", "jr", "sr", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
	"oct", "nov", "dec", "tel", "fig", "vol", "ca", "min", "max", "pcs", "qty", "ref", "ave", "rd",
	// pl
	"ul", "al", "os", "nr", "tj", "np", "godz", "str", "ok", "ds", "mgr", "inż", "hab", "wg", "zob", "sp",
	"św", "pn", "wt", "śr", "czw", "pt", "sob", "niedz", "woj", "pow", "gm", "tzw", "tzn", "jw", "lit",
	"poz", "rozdz", "ust", "pkt", "art", "szt", "zm", "dz", "im", "gen", "płk",
	// it
	"sig", "sigg", "dott", "avv", "ing", "geom", "rag", "es", "pag", "pagg", "cfr", "ecc",
	"tot", "num", "rif", "fatt", "sgg", "vd", "gent", "spett",
	// de
	"bzw", "usw", "evtl", "ggf", "inkl", "exkl", "zzgl", "mwst", "vgl", "sog", "hr", "fr", "jh", "abs",
	"tsd", "mio", "mrd", "str", "hrsg", "nr", "stk", "gem", "lt", "mind", "max", "ca", "bspw", "allg",
	"okt", "dez", "mär",
	// fr
	"m", "mme", "mlle", "mm", "pr", "ste", "av", "bd", "etc", "cf", "env", "tél", "ex", "éd", "réf",
	"min", "hr", "sté", "art",
	// es
	"sra", "srta", "dra", "d", "dña", "ud", "uds", "avda", "pág", "núm", "aprox", "ej", "atte", "dto",
	"ctra", "pza", "col", "depto", "cía", "sres", "vda", "admón",
)

// closing abbreviations often end a list and a sentence: they end one
// before a word in upper case.
var closing = set("etc", "ecc", "usw", "itd", "itp", "u.a", "i.in", "e.a")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Split splits text into trimmed sentences and lines (a line break always
// ends one). Empty pieces are dropped.
func Split(text string) []string {
	var out []string
	for _, u := range Units(text) {
		if s := strings.TrimSpace(u); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Units splits text like Split but keeps each piece's trailing whitespace,
// so that joining the units restores the text.
func Units(text string) []string {
	var units []string
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		end := i + size
		if r == '\n' || isStop(r) && endsSentence(text, i, end) {
			for end < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[end:])
				if !unicode.IsSpace(r2) {
					break
				}
				end += s2
			}
			units = append(units, text[start:end])
			start = end
		}
		i = end
	}
	if start < len(text) {
		units = append(units, text[start:])
	}
	return units
}

func isStop(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '…' || r == '。'
}

// endsSentence decides whether the stop at text[i:end] ends a sentence.
func endsSentence(text string, i, end int) bool {
	if end < len(text) {
		next, _ := utf8.DecodeRuneInString(text[end:])
		if !unicode.IsSpace(next) {
			return false // "3.5", "z.B", "www.shop.pl", "?!"
		}
	}
	if text[i] != '.' {
		return true
	}
	word := nextWord(text[end:])
	if word == "" {
		return true // end of the text or of the line
	}
	first, _ := utf8.DecodeRuneInString(word)
	if unicode.IsLower(first) {
		return false // "ul. długa", "5. maja", "np. kurier"
	}
	tok := tokenBefore(text[:i])
	low := strings.ToLower(tok)
	switch {
	case tok == "":
		return true
	case strings.Contains(tok, ".") && shortSegments(tok):
		// "z.B", "S.p.A", "o.o", "e.g", "m.in": an abbreviation by its shape
		// (not "www.sklep.pl").
		return closing[low]
	case isNumber(tok) && len(tok) <= 2 && months[strings.ToLower(word)]:
		return false // "5. Mai", "1. März"
	case closing[low]:
		return unicode.IsUpper(first)
	case abbreviations[low], len(low) > 4 && strings.HasSuffix(low, "str"):
		return false // "ul.", "tel.", "Hauptstr."
	case utf8.RuneCountInString(tok) == 1 && unicode.IsLetter([]rune(tok)[0]):
		return false // an initial: "J. Smith", "r." (rok)
	}
	return true
}

// months follow an ordinal day ("5. Mai") in German and Polish dates.
var months = set("januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
	"oktober", "november", "dezember", "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
	"sierpnia", "września", "października", "listopada", "grudnia")

func isNumber(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// shortSegments reports whether every dot-separated part of tok has at most
// three letters ("S.p.A", "z.B", "m.in"), unlike a domain name.
func shortSegments(tok string) bool {
	for _, seg := range strings.Split(tok, ".") {
		if utf8.RuneCountInString(seg) > 3 {
			return false
		}
	}
	return true
}

// tokenBefore returns the word that ends at the end of s (letters, digits and
// inner stops), without surrounding punctuation.
func tokenBefore(s string) string {
	j := len(s)
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.') {
			break
		}
		j -= size
	}
	return strings.Trim(s[j:], ".")
}

// nextWord returns the first word after leading spaces, or "" at a line
// break or the end of the text.
func nextWord(s string) string {
	for i, r := range s {
		if r == '\n' {
			return ""
		}
		if !unicode.IsSpace(r) {
			rest := s[i:]
			if k := strings.IndexFunc(rest, unicode.IsSpace); k >= 0 {
				rest = rest[:k]
			}
			return strings.TrimLeft(rest, "\"'«„“([")
		}
	}
	return ""
}
