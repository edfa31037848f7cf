package guard

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// pattern is a compiled routing pattern with its prefilter: literals one
// of which every match contains (nil: none known, the pattern always
// runs). Most questions contain none of a pattern's literals, and a few
// substring searches cost far less than running the regexp, which Go
// executes without literal acceleration when a pattern starts with \b.
type pattern struct {
	re  *regexp.Regexp
	any []string
}

// minLiteral is the shortest literal worth prefiltering on: shorter ones
// ("a", " ") occur in almost every question.
const minLiteral = 3

func compilePattern(p string) *pattern {
	out := &pattern{re: regexp.MustCompile(p)}
	if t, err := syntax.Parse(p, syntax.Perl); err == nil {
		if lits, ok := required(t.Simplify()); ok && shortest(lits) >= minLiteral {
			out.any = lits
		}
	}
	return out
}

// match reports whether the pattern matches s, trying the regexp only when
// s contains one of the prefilter's literals.
func (p *pattern) match(s string) bool {
	if p.any != nil && !containsLiteral(s, p.any) {
		return false
	}
	return p.re.MatchString(s)
}

func containsLiteral(s string, lits []string) bool {
	for _, l := range lits {
		if strings.Contains(s, l) {
			return true
		}
	}
	return false
}

func shortest(lits []string) int {
	n := -1
	for _, l := range lits {
		if c := utf8.RuneCountInString(l); n < 0 || c < n {
			n = c
		}
	}
	return n
}

// maxClassRunes bounds the character classes expanded into literals.
const maxClassRunes = 4

// required returns literals one of which every match of re contains, or
// false when no such set is known. It is conservative: a set it returns is
// always a necessary condition of a match.
func required(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
		return nil, false
	case syntax.OpCharClass:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		var lits []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(lits) == maxClassRunes {
					return nil, false
				}
				lits = append(lits, string(r))
			}
		}
		return lits, len(lits) > 0
	case syntax.OpAlternate:
		var lits []string
		for _, sub := range re.Sub {
			l, ok := required(sub)
			if !ok {
				return nil, false
			}
			lits = append(lits, l...)
		}
		return lits, true
	case syntax.OpConcat:
		// Any child's set is necessary; adjacent literal sets combine into
		// longer literals (their cross product, while it stays small).
		var best, run []string
		better := func(c []string) {
			if c != nil && (best == nil || shortest(c) > shortest(best) || shortest(c) == shortest(best) && len(c) < len(best)) {
				best = c
			}
		}
		for _, sub := range re.Sub {
			l, ok := required(sub)
			if !ok || !exact(sub) {
				better(run)
				run = nil
				if ok {
					better(l)
				}
				continue
			}
			if run == nil {
				run = l
			} else if len(run)*len(l) <= 64 {
				run = cross(run, l)
			} else {
				better(run)
				run = l
			}
		}
		better(run)
		return best, best != nil
	}
	return nil, false
}

// exact reports whether every match of re is exactly one of the literals
// required returns for it (so neighbouring literals may be joined).
func exact(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		return re.Flags&syntax.FoldCase == 0
	case syntax.OpCharClass:
		return re.Flags&syntax.FoldCase == 0
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !exact(sub) {
				return false
			}
		}
		return true
	}
	// A concatenation's set is one part of it, not every match.
	return false
}

func cross(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}
