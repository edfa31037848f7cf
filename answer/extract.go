package answer

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/sentence"
	"github.com/ragkb/ragkb/internal/textnorm"
)

// Extract picks up to max sentences from the hits that best cover the
// question's content words and returns them in source order, with the
// indexes of the hits they came from. Sentences are copied verbatim, so an
// extractive answer never states anything its sources do not.
func Extract(question string, hits []ragkb.SearchHit, max int) (string, []int) {
	terms := textnorm.Terms(question)
	if len(terms) == 0 {
		return "", nil
	}
	type cand struct {
		hit, pos int
		text     string
		score    float64
	}
	var cands []cand
	for hi, h := range hits {
		if hi >= 3 {
			break
		}
		for pos, sent := range splitSentences(h.Chunk.Text) {
			cov := textnorm.Coverage(terms, sent)
			if cov == 0 {
				continue
			}
			// Prefer the better-ranked hit and reasonably sized sentences.
			score := cov + 0.15*h.Relevance - 0.05*float64(hi)
			if n := utf8.RuneCountInString(sent); n < 20 {
				score -= 0.2
			} else if n > 400 {
				score -= 0.1
			}
			cands = append(cands, cand{hi, pos, sent, score})
		}
	}
	if len(cands) == 0 {
		return "", nil
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	best := cands[0].score
	var picked []cand
	for _, c := range cands {
		if len(picked) == max || c.score < best*0.6 {
			break
		}
		picked = append(picked, c)
	}
	sort.SliceStable(picked, func(i, j int) bool {
		if picked[i].hit != picked[j].hit {
			return picked[i].hit < picked[j].hit
		}
		return picked[i].pos < picked[j].pos
	})
	var parts []string
	var used []int
	seen := map[int]bool{}
	for _, p := range picked {
		parts = append(parts, p.text)
		if !seen[p.hit] {
			seen[p.hit] = true
			used = append(used, p.hit)
		}
	}
	return strings.Join(parts, " "), used
}

// splitSentences splits text into trimmed sentences and lines, knowing the
// abbreviations of the six languages ("ul. Długa 5", "z.B.", "S.p.A.").
func splitSentences(text string) []string { return sentence.Split(text) }

// snippet returns the start of text, cut at a word boundary.
func snippet(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	rs := []rune(text)[:max]
	s := string(rs)
	if i := strings.LastIndexByte(s, ' '); i > max/2 {
		s = s[:i]
	}
	return s + "…"
}

// bestSnippet returns the sentence of text that best covers the question,
// with what follows it, up to max characters.
func bestSnippet(question, text string, max int) string {
	terms := textnorm.Terms(question)
	sents := splitSentences(text)
	best, bestCov := 0, -1.0
	for i, s := range sents {
		if c := textnorm.Coverage(terms, s); c > bestCov {
			best, bestCov = i, c
		}
	}
	if len(sents) == 0 {
		return snippet(text, max)
	}
	return snippet(strings.Join(sents[best:], " "), max)
}
