// Package embed holds the embedders; embedders implement ragkb.Embedder.
//
// Local is pure Go, deterministic and offline: hashed lexical features that
// work for any language and need no model download. OpenAI calls any
// OpenAI-compatible POST /v1/embeddings endpoint (OpenAI, Ollama, vLLM,
// TEI, LocalAI) for semantic embeddings.
package embed

import (
	"cmp"
	"context"
	"math"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/ragkb/ragkb"
	"golang.org/x/text/unicode/norm"
)

// DefaultLocalDimensions is the default size of Local vectors. On BANKING77
// nearest-neighbour retrieval 384 dimensions are within half a point of
// 1024 (hit@1 0.837 vs 0.841 with char n-grams alone) and 256 a point
// lower, while 100k chunks of 384 floats take ~150 MB and search twice as
// fast as 1024.
const DefaultLocalDimensions = 384

// localVersion changes whenever features or weights change, so an index
// built by an older Local is recognised by its Name.
const localVersion = "local-v1"

// LocalConfig configures Local.
type LocalConfig struct {
	// Dimensions of the vectors; 0 means DefaultLocalDimensions.
	Dimensions int
}

// Local is a feature-hashing embedder: character 3-5-grams of each word
// (with boundary marks) and word bigrams, after lower-casing and stripping
// diacritics. Each feature is hashed to a dimension with a
// random sign, weighted 1+ln(tf) and per family, and the vector is
// L2-normalised. It is safe for concurrent use.
type Local struct {
	dims             int
	weights          [families]float64
	minGram, maxGram int
}

var (
	_ ragkb.Embedder = (*Local)(nil)
	_ ragkb.Pinger   = (*Local)(nil)
)

// Feature families and their weights. Each family's block is L2-normalised
// before weighting, so a family's influence does not depend on text length.
// Chosen on BANKING77 nearest-neighbour retrieval (BenchmarkLocalBanking77Sweep,
// 3,080 queries over 10,003 texts, hit@1/hit@5 at 384 dimensions):
// word+bigram+char 1/0.5/1 gave 0.803/0.937, words alone 0.735/0.903, char
// 3-5-grams alone 0.837/0.944, and chars with bigrams at 0.25 0.839/0.946.
// Whole words carry no weight of their own: without IDF they let frequent
// words dominate, while char n-grams weigh a word by its length, a crude
// IDF; bigrams add a little word order. 2-5 and 3-6-grams were no better.
const (
	famWord = iota
	famBigram
	famChar
	families
)

func defaultWeights() [families]float64 {
	return [families]float64{famWord: 0, famBigram: 0.25, famChar: 1.0}
}

// Seeds keep the hash spaces of the families apart.
var familySeed = [families]uint64{0x9e3779b97f4a7c15, 0xc2b2ae3d27d4eb4f, 0x165667b19e3779f9}

// NewLocal returns a Local embedder.
func NewLocal(cfg LocalConfig) *Local {
	return &Local{dims: max(cmp.Or(cfg.Dimensions, DefaultLocalDimensions), 1), weights: defaultWeights(), minGram: 3, maxGram: 5}
}

// Dimensions returns the vector size.
func (l *Local) Dimensions() int { return l.dims }

// Ping reports nil: the local embedder runs in the process (ragkb.Pinger).
func (l *Local) Ping(context.Context) error { return nil }

// Name identifies the feature set and size, e.g. "local-v1-384".
func (l *Local) Name() string { return localVersion + "-" + strconv.Itoa(l.dims) }

// Embed returns one L2-normalised vector per text. A text without any
// letter or digit gets the zero vector.
func (l *Local) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var sc scratch
	for i, t := range texts {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = l.embed(t, &sc)
	}
	return out, nil
}

// scratch is reused across texts of one Embed call.
type scratch struct {
	norm   []byte
	words  []string
	feats  []uint64
	acc    []float64
	table  []slot
	gen    uint32
	uniq   []uint64
	counts []uint32
}

type slot struct {
	key   uint64
	gen   uint32
	index uint32
}

// count returns the distinct features (in first-seen order) and how often
// each occurs, with an open-addressing table reset by generation.
func (sc *scratch) count(feats []uint64) ([]uint64, []uint32) {
	size := 1024
	for size < 2*len(feats) {
		size *= 2
	}
	if len(sc.table) < size {
		sc.table = make([]slot, size)
		sc.gen = 0
	}
	table := sc.table[:size]
	sc.gen++
	if sc.gen == 0 {
		clear(sc.table)
		sc.gen = 1
	}
	uniq, counts := sc.uniq[:0], sc.counts[:0]
	mask := uint64(size - 1)
	for _, f := range feats {
		// The low bits hold the family; probe from mixed high bits.
		i := (f >> 7) & mask
		for {
			s := &table[i]
			if s.gen != sc.gen {
				*s = slot{key: f, gen: sc.gen, index: uint32(len(uniq))}
				uniq = append(uniq, f)
				counts = append(counts, 1)
				break
			}
			if s.key == f {
				counts[s.index]++
				break
			}
			i = (i + 1) & mask
		}
	}
	sc.uniq, sc.counts = uniq, counts
	return uniq, counts
}

// tfWeight is the sublinear term frequency weight 1+ln(tf).
func tfWeight(tf uint32) float64 {
	if tf == 1 {
		return 1
	}
	return 1 + math.Log(float64(tf))
}

// fold maps letters that do not decompose into base letter + mark.
var fold = map[rune]string{
	'ł': "l", 'đ': "d", 'ð': "d", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'þ': "th", 'ı': "i",
}

// splitWords lower-cases text, strips diacritics and returns its words
// (runs of letters and digits).
func (sc *scratch) splitWords(text string) []string {
	type span struct{ s, e int }
	var (
		b     = sc.norm[:0]
		spans []span
		start = -1
		it    norm.Iter
	)
	it.InitString(norm.NFD, text)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			r, n := utf8.DecodeRune(seg)
			seg = seg[n:]
			switch {
			case unicode.Is(unicode.Mn, r):
				// A combining mark: drop it (the diacritic).
			case unicode.IsLetter(r) || unicode.IsNumber(r):
				if start < 0 {
					start = len(b)
				}
				r = unicode.ToLower(r)
				if f, ok := fold[r]; ok {
					b = append(b, f...)
				} else {
					b = utf8.AppendRune(b, r)
				}
			case start >= 0:
				spans = append(spans, span{start, len(b)})
				start = -1
			}
		}
	}
	if start >= 0 {
		spans = append(spans, span{start, len(b)})
	}
	sc.norm = b
	s := string(b)
	words := sc.words[:0]
	for _, sp := range spans {
		words = append(words, s[sp.s:sp.e])
	}
	sc.words = words
	return words
}

// fnv-1a over the family seed and the bytes of parts.
func hashBytes(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 0x100000001b3
	}
	return h
}

// mix finalises a hash (splitmix64) so low and high bits are both usable.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// feature packs a family into the low bits of a hash.
func feature(fam int, h uint64) uint64 { return mix(h)&^3 | uint64(fam) }

func (l *Local) embed(text string, sc *scratch) []float32 {
	words := sc.splitWords(text)
	feats := sc.feats[:0]
	for i, w := range words {
		if l.weights[famWord] != 0 {
			feats = append(feats, feature(famWord, hashBytes(familySeed[famWord], w)))
		}
		if i > 0 && l.weights[famBigram] != 0 {
			h := hashBytes(familySeed[famBigram], words[i-1])
			h = hashBytes(h^0xff, w)
			feats = append(feats, feature(famBigram, h))
		}
		if l.weights[famChar] != 0 {
			feats = appendCharGrams(feats, w, l.minGram, l.maxGram)
		}
	}
	sc.feats = feats
	vec := make([]float32, l.dims)
	if len(feats) == 0 {
		return vec
	}
	uniq, counts := sc.count(feats)
	// Per family: weights 1+ln(tf), then the block's norm.
	var famNorm [families]float64
	for i, f := range uniq {
		w := tfWeight(counts[i])
		famNorm[f&3] += w * w
	}
	var scale [families]float64
	for f := range scale {
		if famNorm[f] > 0 {
			scale[f] = l.weights[f] / math.Sqrt(famNorm[f])
		}
	}
	if cap(sc.acc) < l.dims {
		sc.acc = make([]float64, l.dims)
	}
	acc := sc.acc[:l.dims]
	clear(acc)
	for i, h := range uniq {
		w := tfWeight(counts[i]) * scale[h&3]
		if h>>63 == 1 {
			w = -w
		}
		acc[(h>>2)%uint64(l.dims)] += w
	}
	var sum float64
	for _, a := range acc {
		sum += a * a
	}
	if sum == 0 {
		return vec
	}
	inv := 1 / math.Sqrt(sum)
	for i, a := range acc {
		vec[i] = float32(a * inv)
	}
	return vec
}

// appendCharGrams adds the character 3-, 4- and 5-grams of "<w>" (the
// marks let prefixes and suffixes match as such).
func appendCharGrams(feats []uint64, w string, minN, maxN int) []uint64 {
	// offs[k] is the byte offset in w of padded rune k (1..m); offs[m+1]
	// is len(w). Typical words need no allocation.
	var offBuf [48]int
	offs := append(offBuf[:0], 0)
	for i := range w {
		offs = append(offs, i)
	}
	offs = append(offs, len(w))
	m := len(offs) - 2
	for n := minN; n <= maxN; n++ {
		for i := 0; i+n <= m+2; i++ {
			last := i + n - 1
			h := familySeed[famChar] ^ uint64(n)
			if i == 0 {
				h = hashBytes(h, "<")
			}
			if lo, hi := max(i, 1), min(last, m); lo <= hi {
				h = hashBytes(h, w[offs[lo]:offs[hi+1]])
			}
			if last == m+1 {
				h = hashBytes(h, ">")
			}
			feats = append(feats, feature(famChar, h))
		}
	}
	return feats
}
