package triage

import (
	"strings"

	"github.com/ragkb/ragkb/internal/textnorm"
)

// maxStemBytes bounds the stems tried per word.
const maxStemBytes = 24

// marker is one entry of markers, split into folded words.
type marker struct {
	f     feature
	parts []string
	exact []bool // exact[i]: parts[i] must be the whole word
}

// matchRest reports whether the parts after the first match the words
// after words[i], allowing one extra word before each part.
func (m *marker) matchRest(words []string, i int) bool {
	j := i
	for k := 1; k < len(m.parts); k++ {
		ok := false
		for skip := 1; skip <= 2 && j+skip < len(words); skip++ {
			if m.wordMatches(k, words[j+skip]) {
				j += skip
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func (m *marker) wordMatches(k int, w string) bool {
	if m.exact[k] {
		return w == m.parts[k]
	}
	return strings.HasPrefix(w, m.parts[k])
}

// markerIndex finds markers by the stem of their first word.
type markerIndex struct {
	byStem map[string][]*marker
}

// index is built once from markers; it is read-only afterwards.
var index = buildIndex(markers)

func buildIndex(src map[feature][]string) markerIndex {
	ix := markerIndex{byStem: map[string][]*marker{}}
	seen := map[string]bool{}
	for f, list := range src {
		for _, raw := range list {
			exactLast := strings.HasSuffix(raw, "$")
			raw = strings.TrimSuffix(raw, "$")
			parts := textnorm.Words(raw)
			if len(parts) == 0 {
				continue
			}
			key := string(rune('a'+int(f))) + strings.Join(parts, " ") + map[bool]string{true: "$"}[exactLast]
			if seen[key] {
				continue
			}
			seen[key] = true
			m := &marker{f: f, parts: parts, exact: make([]bool, len(parts))}
			// Short stems ("no", "ya") and the last word of an exact marker
			// must match whole words; a single-letter part ("n" of
			// "n'importe") always does.
			for i, p := range parts {
				m.exact[i] = len(p) < 3 || i == len(parts)-1 && exactLast
			}
			first := parts[0]
			if len(first) > maxStemBytes {
				first = first[:maxStemBytes]
			}
			ix.byStem[first] = append(ix.byStem[first], m)
		}
	}
	return ix
}
