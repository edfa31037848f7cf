package intent

import (
	"math"
	"slices"
	"unicode/utf8"
)

// Lexical support: does the winning intent's own wording back the words of
// the question that carry its meaning? "Do you sell cars?" scores high on a
// custom "Do you sell gift cards?" through shared character n-grams, yet
// "cars" is in none of its phrasings: the only words backing the match
// ("sell") are generic ones, so the match is a guess. The check weighs the
// question's words by how specific they are (the inverse share of intents
// whose examples use them) and flags a prediction whose unsupported words
// outweigh its supported ones.

// wordIndex records, for every word of the training examples, the intents
// whose examples use it, and per intent its words.
type wordIndex struct {
	intentsOf map[string][]int32 // word or stem key -> sorted intents
	words     [][]string         // per intent: its distinct words
	// topic maps a word or stem key to the intent whose examples hold
	// nearly all of its uses (the intent's own noun, "warranty", even when
	// another intent's phrasing borrows it once).
	topic    map[string]int32
	stemLen  int
	nIntents int
}

func newWordIndex(examples []Example, classOf map[string]int32, k, stemLen int) *wordIndex {
	wi := &wordIndex{intentsOf: map[string][]int32{}, words: make([][]string, k), stemLen: max(stemLen, 5), nIntents: k}
	seen := make([]map[string]bool, k)
	for i := range seen {
		seen[i] = map[string]bool{}
	}
	add := func(key string, c int32) {
		l := wi.intentsOf[key]
		if n := len(l); n == 0 || l[n-1] != c {
			if !slices.Contains(l, c) {
				l = append(l, c)
				slices.Sort(l)
				wi.intentsOf[key] = l
			}
		}
	}
	// uses counts, per word or stem key, the examples of each intent that
	// use it (few intents per key: a short list beats a map).
	type useCount struct{ c, n int32 }
	uses := map[string][]useCount{}
	inExample := map[string]bool{}
	count := func(key string, c int32) {
		if inExample[key] {
			return
		}
		inExample[key] = true
		l := uses[key]
		for i := range l {
			if l[i].c == c {
				l[i].n++
				return
			}
		}
		uses[key] = append(l, useCount{c, 1})
	}
	for _, e := range examples {
		c := classOf[e.Intent]
		clear(inExample)
		for _, w := range normalize(e.Text) {
			if !seen[c][w] {
				seen[c][w] = true
				wi.words[c] = append(wi.words[c], w)
			}
			wk, sk := "w:"+w, "s:"+stem(w, wi.stemLen)
			add(wk, c)
			add(sk, c)
			count(wk, c)
			count(sk, c)
		}
	}
	wi.topic = map[string]int32{}
	for key, l := range uses {
		if len(l) < 2 {
			continue // used by one intent only: distinctive anyway
		}
		var total int32
		best := l[0]
		for _, u := range l {
			total += u.n
			if u.n > best.n || (u.n == best.n && u.c < best.c) {
				best = u
			}
		}
		if best.n >= topicMinUses && float64(best.n) >= topicShare*float64(total) {
			wi.topic[key] = best.c
		}
	}
	return wi
}

// A word is an intent's topic word when at least topicMinUses of its
// examples use it and they hold at least topicShare of all the examples
// using it. Words only one intent uses are distinctive anyway.
const (
	topicMinUses = 3
	topicShare   = 0.8
)

// topicOf is the intent w (or its stem) is a topic word of, or -1.
func (wi *wordIndex) topicOf(w string) int32 {
	if t, ok := wi.topic["w:"+w]; ok {
		return t
	}
	if t, ok := wi.topic["s:"+stem(w, wi.stemLen)]; ok {
		return t
	}
	return -1
}

// isTopic reports whether w (or its stem) is a topic word of intent c.
func (wi *wordIndex) isTopic(c int32, w string) bool { return wi.topicOf(w) == c }

// specificity is the weight of a word: log(K / intents using it), the
// maximum for a word no intent uses.
func (wi *wordIndex) specificity(w string) float64 {
	n := len(wi.intentsOf["w:"+w])
	if n == 0 {
		n = len(wi.intentsOf["s:"+stem(w, wi.stemLen)])
	}
	return math.Log(float64(max(wi.nIntents, 2)) / float64(max(n, 1)))
}

// unseen reports whether no intent's examples use w or its stem.
func (wi *wordIndex) unseen(w string) bool {
	return len(wi.intentsOf["w:"+w]) == 0 && len(wi.intentsOf["s:"+stem(w, wi.stemLen)]) == 0
}

// supports reports whether intent c's examples (or extra, the approved
// text's own words) use w: the word itself, its stem, or for words of five
// letters or more one edit away (a typo: "shiping", "waranty").
func (wi *wordIndex) supports(c int32, w string, extra map[string]bool) bool {
	if extra[w] || extra["s:"+stem(w, wi.stemLen)] {
		return true
	}
	if slices.Contains(wi.intentsOf["w:"+w], c) || slices.Contains(wi.intentsOf["s:"+stem(w, wi.stemLen)], c) {
		return true
	}
	if utf8.RuneCountInString(w) < 5 {
		return false
	}
	for _, v := range wi.words[c] {
		if editDistance1(w, v) {
			return true
		}
	}
	for v := range extra {
		if len(v) > 2 && v[1] == ':' {
			continue
		}
		if editDistance1(w, v) {
			return true
		}
	}
	return false
}

// editDistance1 reports whether a and b differ by at most one insertion,
// deletion, substitution or swap of adjacent letters (bytes of folded text).
func editDistance1(a, b string) bool {
	la, lb := len(a), len(b)
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	if lb-la > 1 || la < 3 {
		return false
	}
	i := 0
	for i < la && a[i] == b[i] {
		i++
	}
	if i == la {
		return true
	}
	if la == lb {
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}

// SupportWords returns the folded words of texts as a set for Support.
func SupportWords(texts ...string) map[string]bool {
	m := map[string]bool{}
	for _, t := range texts {
		for _, w := range normalize(t) {
			m[w] = true
			m["s:"+stem(w, 5)] = true
		}
	}
	return m
}

// Support weighs the words of text against the examples of intent (and the
// words of extra, from SupportWords: the approved text itself). It returns
// the words no phrasing of the intent uses and whether they outweigh the
// supported ones: the question names something the intent's wording does
// not, and shares only generic words with it. Words used by many intents
// (function words in every language) weigh little either way. A question
// sharing no meaningful word with the intent (another language, where
// the lexical lane did not decide) is not flagged.
func (c *Classifier) Support(text, intent string, extra map[string]bool) (unsupported []string, outweighed bool) {
	unsupported, outweighed, _ = c.support(text, intent, extra, true)
	return unsupported, outweighed
}

// support is Support, also reporting whether a word of the question is
// distinctive of the intent: used by it alone, or (when topics is set) one
// of its topic words.
func (c *Classifier) support(text, intent string, extra map[string]bool, topics bool) (unsupported []string, outweighed, distinctive bool) {
	if c.words == nil {
		return nil, false, false
	}
	ci, ok := slices.BinarySearch(c.intents, intent)
	if !ok {
		return nil, false, false
	}
	var sup, uns float64
	seen := map[string]bool{}
	for _, w := range normalize(truncate(text, MaxTextBytes)) {
		if seen[w] || utf8.RuneCountInString(w) < 3 || isDigits(w) {
			continue
		}
		seen[w] = true
		s := c.words.specificity(w)
		if s < genericSpecificity(c.words.nIntents) {
			continue // a function word
		}
		if c.words.unseen(w) && !c.words.supports(int32(ci), w, extra) {
			// A word no phrasing of any intent uses, nor a typo of the
			// intent's words: a new thing ("cars" against gift cards).
			s *= 2
		}
		if c.words.supports(int32(ci), w, extra) {
			sup += s
			// A word that only this intent uses (a product name, the
			// topic's own noun) vouches for the match on its own.
			distinctive = distinctive || s >= math.Log(float64(c.words.nIntents))-1e-9 || (topics && c.words.isTopic(int32(ci), w))
		} else {
			uns += s
			unsupported = append(unsupported, w)
		}
	}
	return unsupported, !distinctive && uns > 0 && sup > 0 && uns > sup*c.opts.SupportRatio, distinctive
}

// genericSpecificity is the weight below which a word counts as generic:
// used by more than a quarter of the intents.
func genericSpecificity(k int) float64 {
	if k < 8 {
		return 0
	}
	return math.Log(4)
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}
