package intent

import (
	"math"
	"slices"

	"github.com/ragkb/ragkb/internal/textnorm"
)

// Feature groups. Each group is hashed into its own key space so that the
// word "ship" and the character n-gram "ship" never collide.
const (
	groupWord uint64 = iota + 1
	groupBigram
	groupStem
	groupChar
)

// normalize lower-cases s, strips diacritics ("Österreich" -> "osterreich",
// "faktury VAT" -> "faktury vat", "zwrócić" -> "zwrocic", "Straße" ->
// "strasse") and returns its words: maximal runs of letters and digits
// (textnorm.Words, the folding every scorer of ragkb shares).
func normalize(s string) []string { return textnorm.Words(s) }

// stem trims a word to a short prefix: a crude but language-neutral stemmer
// that maps "faktury", "fakturę" and "fakturami" or "spedizione" and
// "spedizioni" to one key. Short words are kept whole.
func stem(w string, n int) string {
	if n <= 0 {
		return w
	}
	i := 0
	for j := range w {
		if i == n {
			return w[:j]
		}
		i++
	}
	return w
}

// fnv1a hashing with a group seed, so keys need no string allocation.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashStart(group uint64) uint64 { return (fnvOffset ^ group) * fnvPrime }

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// rawFeature is a hashed feature with its raw count and group.
type rawFeature struct {
	key   uint64
	group uint8
	count float32
}

// extractor turns text into hashed feature counts. It holds only
// configuration and is safe for concurrent use.
type extractor struct {
	charMin, charMax int
	stemLen          int
	bigrams          bool
}

// extract returns the features of text with their counts, sorted by key.
func (e extractor) extract(text string) []rawFeature {
	words := normalize(text)
	feats := make([]rawFeature, 0, 16*len(words)+8)
	e.each(words, func(key, g uint64) {
		feats = append(feats, rawFeature{key: key, group: uint8(g), count: 1})
	})
	slices.SortFunc(feats, func(a, b rawFeature) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	// Merge duplicates into counts.
	out := feats[:0]
	for _, f := range feats {
		if n := len(out); n > 0 && out[n-1].key == f.key {
			out[n-1].count++
			continue
		}
		out = append(out, f)
	}
	return out
}

// each calls fn with the key and group of every feature occurrence of the
// normalised words, in text order (a feature occurring twice is passed
// twice): what extract counts, without sorting or allocating.
func (e extractor) each(words []string, fn func(key, g uint64)) {
	prev := "<s>"
	for _, w := range words {
		fn(hashString(hashStart(groupWord), w), groupWord)
		if e.stemLen > 0 {
			if s := stem(w, e.stemLen); s != w {
				fn(hashString(hashStart(groupStem), s), groupStem)
			} else {
				// Words no longer than the stem share the stem key space,
				// so "faktur" and "faktury" meet.
				fn(hashString(hashStart(groupStem), w), groupStem)
			}
		}
		if e.bigrams {
			h := hashString(hashStart(groupBigram), prev)
			h = hashString(h^' ', w)
			fn(h, groupBigram)
		}
		prev = w
		if e.charMax > 0 {
			e.charGrams(w, func(h uint64) { fn(h, groupChar) })
		}
	}
	if e.bigrams && len(words) > 0 {
		h := hashString(hashStart(groupBigram), prev)
		h = hashString(h^' ', "</s>")
		fn(h, groupBigram)
	}
}

// charGrams calls fn with the hash of every character n-gram of the word
// padded with spaces (" word "), for n in [charMin, charMax].
func (e extractor) charGrams(w string, fn func(uint64)) {
	var buf [64]rune
	rs := buf[:0]
	rs = append(rs, ' ')
	for _, r := range w {
		rs = append(rs, r)
	}
	rs = append(rs, ' ')
	for n := e.charMin; n <= e.charMax; n++ {
		if n > len(rs) {
			break
		}
		for i := 0; i+n <= len(rs); i++ {
			h := hashStart(groupChar)
			for _, r := range rs[i : i+n] {
				h ^= uint64(r)
				h *= fnvPrime
			}
			fn(h)
		}
	}
}

// sparse is an L2-normalised TF-IDF vector over the training vocabulary.
type sparse struct {
	idx []int32
	val []float32
}

// vocabulary maps hashed features to column indices with their IDF.
type vocabulary struct {
	index   map[uint64]int32
	idf     []float32
	group   []uint8
	maxIDF  float32 // weight given to features never seen in training
	weights [groupChar + 1]float32
}

// buildVocabulary indexes every feature seen in docs and computes smoothed
// IDF weights: log((1+N)/(1+df)) + 1.
func buildVocabulary(docs [][]rawFeature, weights [groupChar + 1]float32) *vocabulary {
	v := &vocabulary{index: make(map[uint64]int32), weights: weights}
	var df []int32
	for _, d := range docs {
		for _, f := range d {
			i, ok := v.index[f.key]
			if !ok {
				i = int32(len(df))
				v.index[f.key] = i
				df = append(df, 0)
				v.group = append(v.group, f.group)
			}
			df[i]++
		}
	}
	n := float64(len(docs))
	v.idf = make([]float32, len(df))
	for i, d := range df {
		v.idf[i] = float32(math.Log((1+n)/(1+float64(d))) + 1)
	}
	v.maxIDF = float32(math.Log(1+n) + 1)
	return v
}

// vector weighs raw features into an L2-normalised TF-IDF vector. Features
// unknown to the vocabulary count towards the norm (at maximum IDF) but are
// not kept: a question made mostly of unseen words gets a short vector and so
// low similarity to every example, which is what out-of-scope detection needs.
// It also returns the share of the norm that known features carry.
func (v *vocabulary) vector(feats []rawFeature) (sparse, float32) {
	s := sparse{idx: make([]int32, 0, len(feats)), val: make([]float32, 0, len(feats))}
	var known, unknown float64
	for _, f := range feats {
		tf := 1 + float32(math.Log(float64(f.count)))
		gw := v.weights[f.group]
		if gw == 0 {
			continue
		}
		i, ok := v.index[f.key]
		if !ok {
			w := float64(tf * v.maxIDF * gw)
			unknown += w * w
			continue
		}
		w := tf * v.idf[i] * gw
		known += float64(w) * float64(w)
		s.idx = append(s.idx, i)
		s.val = append(s.val, w)
	}
	total := known + unknown
	if total == 0 {
		return s, 0
	}
	inv := float32(1 / math.Sqrt(total))
	for i := range s.val {
		s.val[i] *= inv
	}
	return s, float32(math.Sqrt(known / total))
}
