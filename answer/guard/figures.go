package guard

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// FigureVerdict is the outcome of CheckFigures.
type FigureVerdict struct {
	OK bool
	// Missing lists the figures of the source that the translation lost or
	// changed, as written in the source ("49 PLN", "RABAT10").
	Missing []string
	// Added lists the figures of the translation the source does not have,
	// as written in the translation ("94 PLN").
	Added []string
	// Reason summarises the verdict, for logs.
	Reason string
}

// urlRe matches web addresses; trailing sentence punctuation is trimmed.
// E-mail addresses are found with the redaction pass's emailRe.
var urlRe = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"'“”„«»]+`)

// Times written the way a target language writes them in running text,
// read as hh:mm so that they compare with the source's "14:30".
var (
	clock12Re = regexp.MustCompile(`(?i)\b(\d{1,2})(?::(\d{2}))?\s?([ap])\.?m\b\.?`) // 2 pm, 2:30 p.m.
	uhrRe     = regexp.MustCompile(`\b(\d{1,2})\.(\d{2})\s?Uhr\b`)                   // 14.30 Uhr
)

// clockTimes rewrites 12-hour and "14.30 Uhr" times as hh:mm.
func clockTimes(s string) string {
	s = uhrRe.ReplaceAllString(s, "$1:$2 Uhr")
	return clock12Re.ReplaceAllStringFunc(s, func(m string) string {
		g := clock12Re.FindStringSubmatch(m)
		h, min := atoi(g[1]), cmp.Or(g[2], "00")
		if h < 1 || h > 12 {
			return m
		}
		if strings.EqualFold(g[3], "p") && h != 12 {
			h += 12
		} else if strings.EqualFold(g[3], "a") && h == 12 {
			h = 0
		}
		return strconv.Itoa(h) + ":" + min
	})
}

// CheckFigures checks that a translation keeps the figures of its source
// unchanged: every number, price (with its currency), percentage, date,
// time, code (order numbers, discount codes, postcodes, SKUs: the tokens
// the grounding check reads as codes, compared case-sensitively), URL and
// e-mail address of source must be in translation, and translation must
// state none that source does not. Numbers are compared by value with the
// grounding check's rules, so a translation may write "1 299,00 zł" as
// "1.299,00 zł" or "1299.00 zł", "12.03.2025" as "12 March 2025", "50%" as
// "50 Prozent", "14:30" as "2:30 pm" or "14.30 Uhr", or "two" as "2"
// (numbers to thirty); it may not turn "49 PLN"
// into "94 PLN" or "49 EUR", drop a currency, "50%" into "50", "RABAT10"
// into "rabat10", or translate a URL.
func CheckFigures(source, translation string) FigureVerdict {
	src, dst := readFigures(source), readFigures(translation)
	var missing, added []string
	for _, l := range src.links {
		if !slices.Contains(dst.links, l) && !slices.Contains(missing, l) {
			missing = append(missing, l)
		}
	}
	for _, l := range dst.links {
		if !slices.Contains(src.links, l) && !slices.Contains(added, l) {
			added = append(added, l)
		}
	}
	for _, f := range src.facts {
		if !dst.has(f) && !slices.Contains(missing, f.text) {
			missing = append(missing, f.text)
		}
	}
	for _, f := range dst.facts {
		if !src.has(f) && !slices.Contains(added, f.text) {
			added = append(added, f.text)
		}
	}
	if len(missing) == 0 && len(added) == 0 {
		return FigureVerdict{OK: true}
	}
	var reasons []string
	if len(missing) > 0 {
		reasons = append(reasons, fmt.Sprintf("lost or changed: %q", missing))
	}
	if len(added) > 0 {
		reasons = append(reasons, fmt.Sprintf("not in the source: %q", added))
	}
	return FigureVerdict{Missing: missing, Added: added, Reason: strings.Join(reasons, "; ")}
}

// figures are the checkable parts of one text.
type figures struct {
	links []string // URLs and e-mail addresses, as written
	facts []fact
	// spelled are the values of the small numbers written as words.
	spelled map[string]bool
}

func readFigures(text string) *figures {
	fs := &figures{spelled: map[string]bool{}}
	masked := []byte(text)
	for _, re := range []*regexp.Regexp{urlRe, emailRe} {
		for _, m := range re.FindAllStringIndex(string(masked), -1) {
			l := strings.TrimRight(text[m[0]:m[1]], ".,;:!?)]}")
			fs.links = append(fs.links, l)
			for i := m[0]; i < m[1]; i++ {
				masked[i] = ' '
			}
		}
	}
	rest := clockTimes(string(masked))
	fs.facts = extractFacts(rest)
	for _, t := range tokenRe.FindAllString(rest, -1) {
		if v, ok := numberWords[fold(t)]; ok {
			fs.spelled[v] = true
		}
	}
	return fs
}

// has reports whether fs states f: a fact of a compatible kind sharing a
// value, or, for a small plain number, the same number in words.
func (fs *figures) has(f fact) bool {
	for _, g := range fs.facts {
		if sameFigure(f, g) {
			return true
		}
	}
	if f.kind == factNumber {
		for _, k := range f.keys {
			if fs.spelled[k] {
				return true
			}
		}
	}
	return false
}

// sameFigure reports whether a and b state the same figure.
func sameFigure(a, b fact) bool {
	if a.kind == factCode || b.kind == factCode {
		return a.kind == b.kind && a.text == b.text
	}
	ka, kb := figureKind(a), figureKind(b)
	switch {
	case ka == kb:
	case ka == factTime && kb == factNumber:
		return timeAsHour(a, b)
	case kb == factTime && ka == factNumber:
		return timeAsHour(b, a)
	default:
		return false
	}
	if a.kind == factPrice && b.kind == factPrice && a.currency != b.currency {
		return false
	}
	for _, x := range a.keys {
		for _, y := range b.keys {
			if x == y || ka == factDate && (strings.HasSuffix(x, y) || strings.HasSuffix(y, x)) {
				return true // a date with and without its year
			}
		}
	}
	return false
}

// figureKind is the kind compared: a price with no currency read is a
// plain number.
func figureKind(f fact) string {
	if f.kind == factPrice && f.currency == "" {
		return factNumber
	}
	return f.kind
}

// timeAsHour: "9:00" may be written "9 Uhr" or "9 h".
func timeAsHour(t, n fact) bool {
	h, m, _ := strings.Cut(strings.TrimPrefix(t.keys[0], "t"), ":")
	return m == "00" && slices.Contains(n.keys, h)
}

// WithoutLinks returns text with its URLs and e-mail addresses blanked
// out, for checks (such as language detection) that they would mislead:
// "boutique.example.fr" in an Italian sentence is no French.
func WithoutLinks(text string) string {
	for _, re := range []*regexp.Regexp{urlRe, emailRe} {
		text = re.ReplaceAllString(text, " ")
	}
	return text
}
