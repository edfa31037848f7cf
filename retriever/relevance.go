package retriever

import "github.com/ragkb/ragkb/internal/textnorm"

// Relevance combines the dense similarity and the lexical coverage into one
// absolute score in [0,1]: their mean. Of the formulas compared on BANKING77
// (dense only, coverage only, their mean, a dense-leaning blend) the mean
// gave the best F1 of correct answers and refused the most questions that
// have no right entry; see BENCHMARKS.md, "Relevance threshold".
func Relevance(dense, coverage float64) float64 {
	r := (dense + coverage) / 2
	return max(0, min(1, r))
}

// SemanticRelevance is the relevance score for a semantic, multilingual
// embedder (measured with multilingual-e5-small): the dense similarity,
// raised by lexical coverage when the question shares the source's words,
// never lowered by its absence (a Polish question about an English text
// has no shared words). Of the formulas compared on BANKING77 it had the
// best F1 with the highest recall; see BENCHMARKS.md.
func SemanticRelevance(dense, coverage float64) float64 {
	return max(0, min(1, max(0.6*dense+0.4*coverage, dense)))
}

// Terms returns the normalised content words of a question
// (textnorm.Terms).
func Terms(text string) []string { return textnorm.Terms(text) }

// Words splits text into normalised words (textnorm.Words: lower case,
// diacritics and letters such as "ł" or "ß" folded to ASCII).
func Words(text string) []string { return textnorm.Words(text) }

// Coverage is the share of terms found in text (textnorm.Coverage).
func Coverage(terms []string, text string) float64 { return textnorm.Coverage(terms, text) }

// Matched reports, for each of terms, whether text holds it
// (textnorm.Matched).
func Matched(terms []string, text string) []bool { return textnorm.Matched(terms, text) }
