// Package lang detects the language of short customer questions ("fattura?",
// "Czy wystawiacie faktury VAT?", "Wo ist mein Paket?") without a model
// download or network: pure Go, built in microseconds from word lists and
// sample text compiled into the package.
//
// Detect combines three signals in one log-linear score per language:
// characteristic letters (ł, ß, ñ, ç, ã...), common words of support
// questions (also matched without diacritics, as customers often type
// them), and character trigram likelihoods from a sample of support-style
// text. It knows English, Italian, French, German, Polish and Spanish well,
// Portuguese and Dutch roughly (so that they are not taken for Spanish or
// German), and non-Latin scripts by script alone (ru, uk, el, ar, he, ja,
// ko, zh, th, hi). For anything else it answers "" rather than guess.
package lang

import (
	"math"
	"strings"
	"sync"
	"unicode"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/ragkb/ragkb/internal/textnorm"
)

// MinConfidence is the confidence under which Detect answers "".
const MinConfidence = 0.5

// Detect returns the ISO 639-1 code of the language text is written in and
// a confidence in [0, 1], or "" and the best confidence when it cannot
// tell (too few letters, or no language clearly ahead).
func Detect(text string) (lang string, confidence float64) {
	if len(text) > maxMemoText {
		return defaultModel().detect(text)
	}
	if d, ok := memo.Get(text); ok {
		return d.lang, d.confidence
	}
	lang, confidence = defaultModel().detect(text)
	memo.Add(text, detection{lang, confidence})
	return lang, confidence
}

// memo remembers recent detections: one answer detects its question's
// language several times (triage, the answer, translation) and approved
// texts are checked again on every answer that uses them.
var memo = func() *lru.Cache[string, detection] {
	c, _ := lru.New[string, detection](4096)
	return c
}()

// maxMemoText bounds the texts memo keeps (4096 of them: at most 8 MiB).
const maxMemoText = 2048

type detection struct {
	lang       string
	confidence float64
}

// defaultModel is built once, on first use, and read-only afterwards.
var defaultModel = sync.OnceValue(func() *model { return newModel(profiles) })

type model struct {
	codes  []string
	priors []float64
	words  map[string][]int // word -> languages listing it
	folded map[string][]int // word without diacritics -> languages
	tri    []map[string]float64
	unseen []float64
}

const (
	wordWeight   = 2.5 // log-odds for a listed word, shared among the languages listing it
	foldedWeight = 1.5 // the same for a word matching only without diacritics
	triWeight    = 1.0 // scale of the trigram log-likelihood
)

func newModel(ps []profile) *model {
	m := &model{words: map[string][]int{}, folded: map[string][]int{}}
	counts := make([]map[string]int, len(ps))
	vocab := map[string]bool{}
	for i, p := range ps {
		m.codes = append(m.codes, p.code)
		m.priors = append(m.priors, p.prior)
		seenW, seenF := map[string]bool{}, map[string]bool{}
		for _, w := range strings.Fields(strings.ToLower(p.words)) {
			if !seenW[w] {
				seenW[w] = true
				m.words[w] = append(m.words[w], i)
			}
			if f := fold(w); !seenF[f] {
				seenF[f] = true
				m.folded[f] = append(m.folded[f], i)
			}
		}
		counts[i] = map[string]int{}
		for _, tok := range tokens(p.text + " " + p.words) {
			for _, t := range trigrams(tok) {
				counts[i][t]++
				vocab[t] = true
			}
		}
	}
	v := float64(len(vocab)) + 1000
	for i := range ps {
		n := 0
		for _, c := range counts[i] {
			n += c
		}
		lp := make(map[string]float64, len(counts[i]))
		for t, c := range counts[i] {
			lp[t] = math.Log((float64(c) + 1) / (float64(n) + v))
		}
		m.tri = append(m.tri, lp)
		m.unseen = append(m.unseen, math.Log(1/(float64(n)+v)))
	}
	return m
}

func (m *model) detect(text string) (string, float64) {
	if code, conf, ok := byScript(text); ok {
		return code, conf
	}
	toks := tokens(text)
	letters := 0
	for _, t := range toks {
		letters += len([]rune(t))
	}
	if letters < 2 {
		return "", 0
	}
	scores := make([]float64, len(m.codes))
	copy(scores, m.priors)
	// trigram log-likelihood, relative to its mean over languages so that
	// only differences count
	nTri := 0
	tll := make([]float64, len(m.codes))
	for _, tok := range toks {
		for _, t := range trigrams(tok) {
			nTri++
			for i := range m.codes {
				if lp, ok := m.tri[i][t]; ok {
					tll[i] += lp
				} else {
					tll[i] += m.unseen[i]
				}
			}
		}
	}
	for i := range scores {
		scores[i] += triWeight * tll[i]
	}
	// common words
	for _, tok := range toks {
		m.scoreWord(tok, scores)
	}
	// characteristic letters
	seen := map[rune]int{}
	for _, r := range strings.ToLower(text) {
		if hints, ok := letterHints[r]; ok && seen[r] < 2 {
			seen[r]++
			for code, w := range hints {
				if i := m.index(code); i >= 0 {
					scores[i] += w
				}
			}
		}
	}
	best, p := softmaxMax(scores)
	if p < MinConfidence {
		return "", p
	}
	return m.codes[best], p
}

func (m *model) scoreWord(tok string, scores []float64) {
	parts := []string{tok}
	if strings.ContainsAny(tok, "'-") {
		parts = append(parts, strings.FieldsFunc(tok, func(r rune) bool { return r == '\'' || r == '-' })...)
	}
	for _, w := range parts {
		if ls, ok := m.words[w]; ok {
			for _, i := range ls {
				scores[i] += wordWeight / float64(len(ls))
			}
			continue
		}
		if ls, ok := m.folded[fold(w)]; ok {
			for _, i := range ls {
				scores[i] += foldedWeight / float64(len(ls))
			}
		}
	}
}

func (m *model) index(code string) int {
	for i, c := range m.codes {
		if c == code {
			return i
		}
	}
	return -1
}

func softmaxMax(scores []float64) (int, float64) {
	best := 0
	for i, s := range scores {
		if s > scores[best] {
			best = i
		}
	}
	sum := 0.0
	for _, s := range scores {
		sum += math.Exp(s - scores[best])
	}
	return best, 1 / sum
}

// letterHints are log-odds bonuses for letters typical of a language.
var letterHints = map[rune]map[string]float64{
	'ą': {"pl": 4}, 'ę': {"pl": 4}, 'ł': {"pl": 4}, 'ś': {"pl": 4}, 'ź': {"pl": 4}, 'ż': {"pl": 4}, 'ć': {"pl": 4}, 'ń': {"pl": 4},
	'ß': {"de": 5}, 'ä': {"de": 3}, 'ö': {"de": 2.5}, 'ü': {"de": 2.5},
	'ñ': {"es": 4}, '¿': {"es": 5}, '¡': {"es": 5}, 'á': {"es": 1.5, "pt": 1.5}, 'í': {"es": 1.5, "pt": 1}, 'ú': {"es": 1.5, "pt": 1},
	'ç': {"fr": 2.5, "pt": 2}, 'œ': {"fr": 5}, 'ê': {"fr": 2, "pt": 1}, 'ë': {"fr": 1.5, "nl": 1.5}, 'î': {"fr": 2.5}, 'ï': {"fr": 2},
	'ô': {"fr": 2, "pt": 1}, 'û': {"fr": 2.5}, 'â': {"fr": 1.5, "pt": 1.5}, 'è': {"fr": 1.5, "it": 1.5}, 'à': {"fr": 1, "it": 1.5},
	'ì': {"it": 3}, 'ò': {"it": 3}, 'ù': {"it": 2, "fr": 1}, 'é': {"fr": 1.2, "es": 0.8, "it": 0.4, "pt": 0.8},
	'ó': {"pl": 1.2, "es": 1.2, "pt": 0.8}, 'ã': {"pt": 5}, 'õ': {"pt": 5},
}

// byScript answers for texts written mostly in a non-Latin script.
func byScript(text string) (string, float64, bool) {
	counts := map[string]int{}
	latin, total := 0, 0
	ukrainian := false
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		total++
		switch {
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Cyrillic, r):
			counts["ru"]++
			if strings.ContainsRune("іїєґІЇЄҐ", r) {
				ukrainian = true
			}
		case unicode.Is(unicode.Greek, r):
			counts["el"]++
		case unicode.Is(unicode.Arabic, r):
			counts["ar"]++
		case unicode.Is(unicode.Hebrew, r):
			counts["he"]++
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			counts["ja"] += 3 // kana decide for Japanese even among kanji
		case unicode.Is(unicode.Hangul, r):
			counts["ko"]++
		case unicode.Is(unicode.Han, r):
			counts["zh"]++
		case unicode.Is(unicode.Thai, r):
			counts["th"]++
		case unicode.Is(unicode.Devanagari, r):
			counts["hi"]++
		}
	}
	if total == 0 || latin*2 >= total {
		return "", 0, false
	}
	best, n := "", 0
	for code, c := range counts {
		if c > n || (c == n && code < best) {
			best, n = code, c
		}
	}
	if best == "" {
		return "", 0, true // letters of a script we do not know
	}
	if best == "ru" && ukrainian {
		best = "uk"
	}
	return best, 0.9, true
}

// tokens splits lower-cased text into words of letters (with inner
// apostrophes and hyphens).
func tokens(text string) []string {
	text = strings.ToLower(strings.NewReplacer("’", "'", "‘", "'", "`", "'").Replace(text))
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, strings.Trim(b.String(), "'-"))
			b.Reset()
		}
	}
	for _, r := range text {
		if unicode.IsLetter(r) || ((r == '\'' || r == '-') && b.Len() > 0) {
			b.WriteRune(r)
			continue
		}
		flush()
	}
	flush()
	kept := out[:0]
	for _, t := range out {
		if t != "" {
			kept = append(kept, t)
		}
	}
	return kept
}

// trigrams returns the character trigrams of a word padded with spaces.
func trigrams(word string) []string {
	r := []rune(" " + word + " ")
	if len(r) < 3 {
		return nil
	}
	out := make([]string, 0, len(r)-2)
	for i := 0; i+3 <= len(r); i++ {
		out = append(out, string(r[i:i+3]))
	}
	return out
}

// fold lower-cases s and strips its diacritics, one rune for each rune
// (textnorm.FoldRune).
func fold(s string) string { return strings.Map(textnorm.FoldRune, s) }
