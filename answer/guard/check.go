package guard

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ragkb/ragkb/answer/lang"
)

// Verdict is the outcome of the grounding check.
type Verdict struct {
	OK bool
	// Unsupported lists the facts ("€49", "50%", "SAVE50", "12 March")
	// and the sentences the sources do not back, as written in the answer.
	Unsupported []string
	// Reason summarises why the answer was rejected, for logs.
	Reason string
}

// Checker holds the thresholds of the grounding check; the zero value uses
// the defaults.
type Checker struct {
	// MinOverlap is the share of a sentence's content words whose stem must
	// occur in the sources (default 0.5).
	MinOverlap float64
	// MinWords is the number of content words below which a sentence is a
	// connective ("Sure!", "Here is what I found.") and not checked
	// (default 3).
	MinWords int
}

// Check runs the grounding check with the default thresholds; see
// Checker.Check.
func Check(answer string, sources []string) Verdict {
	return Checker{}.Check(answer, sources)
}

var (
	citationMarkRe = regexp.MustCompile(`\[\s*\d{1,3}(?:\s*,\s*\d{1,3})*\s*\](?:\([^)\s]*\))?`)
	listMarkRe     = regexp.MustCompile(`(?m)^[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]+`)
	markdownRe     = regexp.MustCompile("\\*\\*|__|`|(?m)^#+ ")
)

// Check rejects an answer that states something the sources do not: every
// number, price, percentage, date, time and code ("SAVE50") in the answer
// must occur in at least one source, compared by value ("1,299.00",
// "1.299,00 zł" and "1299" are equal; "50%", "50 %" and "50 percent" are
// equal; "12/03/2025" and "12 March 2025" are equal), and each sentence
// must share at least MinOverlap of its content words (function words and
// politeness in the six languages do not count) with the sources. Citation
// markers like [1] are ignored. The word check needs answer and sources in
// one language: when lang.Detect is sure the answer's language is not that
// of any source (a Polish answer from English pages), only the facts are
// checked.
func (c Checker) Check(answer string, sources []string) Verdict {
	minOverlap := cmp.Or(c.MinOverlap, 0.5)
	minWords := cmp.Or(c.MinWords, 3)
	text := citationMarkRe.ReplaceAllString(answer, " ")
	text = listMarkRe.ReplaceAllString(text, "")
	text = markdownRe.ReplaceAllString(text, "")
	if strings.TrimSpace(text) == "" {
		return Verdict{Reason: "empty answer"}
	}
	idx := indexSources(sources)
	var unsupported []string
	var facts []string
	for _, f := range extractFacts(text) {
		if !idx.supports(f) && !slices.Contains(unsupported, f.text) {
			unsupported = append(unsupported, f.text)
			facts = append(facts, fmt.Sprintf("%s %q", f.kind, f.text))
		}
	}
	nSentences := 0
	checkWords := sameLanguage(text, sources)
	for _, s := range sentences(text) {
		if !checkWords {
			break
		}
		words := contentStems(s)
		if len(words) < minWords {
			continue
		}
		hit := 0
		for _, w := range words {
			if idx.stems[w] {
				hit++
			}
		}
		if float64(hit) < minOverlap*float64(len(words)) {
			unsupported = append(unsupported, strings.TrimSpace(s))
			nSentences++
		}
	}
	if len(unsupported) == 0 {
		return Verdict{OK: true}
	}
	var reasons []string
	if len(facts) > 0 {
		reasons = append(reasons, "not in the sources: "+strings.Join(facts, ", "))
	}
	if nSentences > 0 {
		reasons = append(reasons, strconv.Itoa(nSentences)+" sentence(s) not backed by the sources")
	}
	return Verdict{Unsupported: unsupported, Reason: strings.Join(reasons, "; ")}
}

// sourceIndex holds what the sources state, in comparable form.
type sourceIndex struct {
	numbers  map[string][]string // value -> currencies it appears with ("" for none)
	percents map[string]bool
	dates    map[string]bool
	times    map[string]bool
	tokens   map[string]bool // lower-cased tokens, for codes
	stems    map[string]bool
}

func indexSources(sources []string) *sourceIndex {
	idx := &sourceIndex{
		numbers: map[string][]string{}, percents: map[string]bool{}, dates: map[string]bool{},
		times: map[string]bool{}, tokens: map[string]bool{}, stems: map[string]bool{},
	}
	text := strings.Join(sources, "\n")
	for _, f := range extractFacts(text) {
		switch f.kind {
		case factNumber, factPrice, factPercent:
			for _, k := range f.keys {
				idx.numbers[k] = append(idx.numbers[k], f.currency)
				if f.kind == factPercent {
					idx.percents[k] = true
				}
			}
		case factDate:
			for _, k := range f.keys {
				idx.dates[k] = true
				if i := strings.Index(k, "m"); i > 0 {
					idx.dates[k[i:]] = true // the same day without the year
				}
			}
			for _, n := range numRe.FindAllString(f.text, -1) { // "2025" of "12.03.2025"
				idx.numbers[canon(n)] = append(idx.numbers[canon(n)], "")
			}
		case factTime:
			idx.times[f.keys[0]] = true
		}
	}
	for _, t := range tokenRe.FindAllString(text, -1) {
		idx.tokens[strings.ToLower(t)] = true
		if v, ok := numberWords[fold(t)]; ok {
			idx.numbers[v] = append(idx.numbers[v], "")
		}
	}
	for _, s := range contentStems(text) {
		idx.stems[s] = true
	}
	return idx
}

func (idx *sourceIndex) supports(f fact) bool {
	for _, k := range f.keys {
		switch f.kind {
		case factNumber:
			if _, ok := idx.numbers[k]; ok {
				return true
			}
		case factPrice:
			for _, cur := range idx.numbers[k] {
				if cur == "" || f.currency == "" || cur == f.currency {
					return true
				}
			}
		case factPercent:
			if idx.percents[k] {
				return true
			}
		case factDate:
			if idx.dates[k] {
				return true
			}
		case factTime:
			if idx.times[k] {
				return true
			}
			if h, m, _ := strings.Cut(k[1:], ":"); m == "00" {
				if _, ok := idx.numbers[h]; ok {
					return true
				}
			}
		case factCode:
			if idx.tokens[k] {
				return true
			}
		}
	}
	return false
}

// sentences splits text at sentence ends (., !, ?, ; or … before a space)
// and at line breaks.
func sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		end := i + size
		split := r == '\n'
		if r == '.' || r == '!' || r == '?' || r == ';' || r == '…' {
			split = end == len(text) || text[end] == ' ' || text[end] == '\n' || text[end] == '\t'
		}
		if split {
			if s := strings.TrimSpace(text[start:end]); s != "" {
				out = append(out, s)
			}
			start = end
		}
		i = end
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// contentStems returns the stems of the words of s that carry content:
// folded, stopwords and one- or two-letter words dropped, a plural s
// dropped, cut to five letters. Crude, but language-agnostic and enough to
// tell a paraphrase from an invention.
func contentStems(s string) []string {
	var out []string
	for _, t := range tokenRe.FindAllString(fold(s), -1) {
		t = strings.Trim(t, "-_")
		if isStopword(t) {
			continue
		}
		n := utf8.RuneCountInString(t)
		if n < 3 && !hasDigit(t) {
			continue
		}
		if n >= 4 && strings.HasSuffix(t, "s") {
			t = t[:len(t)-1]
			n--
		}
		if n > 5 {
			t = string([]rune(t)[:5])
		}
		out = append(out, t)
	}
	return out
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

// sameLanguage reports whether the word check applies: unless the answer's
// language and every source's language are known and all differ.
func sameLanguage(answer string, sources []string) bool {
	a, _ := lang.Detect(answer)
	if a == "" {
		return true
	}
	for _, s := range sources {
		if l, _ := lang.Detect(s); l == "" || l == a {
			return true
		}
	}
	return len(sources) == 0
}
