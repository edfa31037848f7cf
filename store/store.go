// Package store holds what the metadata backends share. The backends live in
// sub-packages and all implement ragkb.Store or ragkb.VectorStore:
//
//   - store/sqlite: embedded default (ragkb.Store). Lexical search: SQLite
//     FTS5 (unicode61, diacritics removed) finds bounded candidates, BM25 is
//     computed in Go from kept term counts; one writer connection and a pool
//     of readers in WAL mode.
//   - store/postgres: PostgreSQL (ragkb.Store), with pgvector as a
//     ragkb.VectorStore.
//   - store/vectorindex: embedded ANN index (ragkb.VectorStore).
//   - store/qdrant: Qdrant (ragkb.VectorStore).
//   - store/storetest: the conformance suites every backend runs
//     (RunStore for ragkb.Store).
//
// LexicalTerms turns a customer's question into the terms a backend's
// full-text query is built from, so that every backend drops the same
// stopwords and treats hostile input the same way; Terms and Tokens split
// indexed text the same way, for backends that keep term statistics.
package store

import (
	"math"
	"slices"

	"github.com/ragkb/ragkb/internal/textnorm"
)

// MaxLexicalTerms caps the terms LexicalTerms returns, which bounds the cost
// of a full-text query built from arbitrarily long input.
const MaxLexicalTerms = 24

// LexicalTerms splits text into lower-case terms without diacritics
// ("Fakturę" -> "fakture"), in order of first appearance and without
// duplicates. A term is a run of letters, digits and combining marks; anything
// else (punctuation, quotes, operators, emoji) separates terms, so the terms
// are safe to quote into any full-text query language. Very common words of
// English, Italian, French, German, Polish and Spanish are dropped, unless
// every term is one, in which case they are all kept. At most MaxLexicalTerms
// terms are returned.
func LexicalTerms(text string) []string {
	all := splitTerms(text, 4*MaxLexicalTerms)
	var kept []string
	for _, t := range all {
		if !textnorm.IsStopword(t) {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		kept = all
	}
	if len(kept) > MaxLexicalTerms {
		kept = kept[:MaxLexicalTerms]
	}
	return kept
}

// Terms returns every distinct term of text, split and folded as
// LexicalTerms does but without dropping stopwords or capping the count.
// Backends use it to keep term statistics that match their queries.
func Terms(text string) []string { return splitTerms(text, 0) }

// IsStopword reports whether term (lower case, without diacritics) is one of
// the common words LexicalTerms drops (textnorm.IsStopword, ragkb's one
// stopword list).
func IsStopword(term string) bool { return textnorm.IsStopword(term) }

// Tokens returns every term of text in order, duplicates included, split
// and folded as LexicalTerms does: what a backend counts to weigh terms by
// frequency and passages by length.
//
// Since AnalysisVersion 2 this is textnorm.Words, the full folding: "ł",
// "ß", "ø" are folded too ("złoty" -> "zloty"), so a question typed
// without Polish or German letters finds the text that has them.
func Tokens(text string) []string { return textnorm.Words(text) }

// splitTerms returns the distinct folded terms of text, at most max of them
// (0 = no limit).
func splitTerms(text string, max int) []string {
	seen := make(map[string]bool)
	var terms []string
	for _, f := range Tokens(text) {
		if seen[f] {
			continue
		}
		seen[f] = true
		terms = append(terms, f)
		if max > 0 && len(terms) >= max {
			break
		}
	}
	return terms
}

// AnalysisVersion identifies how IndexTerms and TermVariants analyse text.
// A backend records the version its lexical index was built with and
// re-analyses its chunks when it opens an index built with another one, so
// indexed text and queries never disagree. Version 1 folded and split
// with SQLite's unicode61 rules (textnorm.Tokens); version 2 folds fully
// (textnorm.Words) and stems each word in its chunk's language.
const AnalysisVersion = 2

// IndexTerms returns the terms a lexical index holds for text written in
// lang (ISO 639-1), in order with duplicates: its Tokens, each stemmed
// (textnorm.Stem) when lang has a stemmer.
func IndexTerms(text, lang string) []string {
	toks := Tokens(text)
	for i, t := range toks {
		toks[i] = textnorm.Stem(lang, t)
	}
	return toks
}

// TermVariants returns the forms under which a query term (one of
// LexicalTerms) may be indexed: the term itself and its stem in every
// supported language, distinct, the term first. A question's language is
// not known to the index, and the stems of one word in the six languages
// mostly coincide, so matching any of them finds the chunk whatever its
// language.
func TermVariants(term string) []string {
	out := []string{term}
	for _, l := range textnorm.StemLanguages {
		if s := textnorm.Stem(l, term); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Coordination weighs a chunk's lexical score by the share of the query's
// terms it holds: sqrt(matched/terms). BM25 alone lets one rare term
// outweigh all the others, so a long passage repeating one word of the
// question beats the passage holding all of them. Measured with bench/peers
// on BANKING77 (lexical top-1, FAQ / long / one-per-phrasing documents):
// none 61.8/79.1/77.6%, sqrt 61.8/80.4/78.7%, linear 61.4/80.2/78.4%,
// squared 60.9/80.1/78.2%.
func Coordination(matched, terms int) float64 {
	if terms <= 0 {
		return 0
	}
	return math.Sqrt(float64(matched) / float64(terms))
}
