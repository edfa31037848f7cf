package textnorm

import (
	"strings"
	"sync"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/spanish"
)

// stemmers are the Snowball stemmers (github.com/blevesearch/snowballstem,
// generated from the Snowball project's algorithms) of the supported
// languages that have one. Snowball has no Polish stemmer: see stemPolish.
var stemmers = map[string]func(*snowballstem.Env) bool{
	"en": english.Stem,
	"de": german.Stem,
	"fr": french.Stem,
	"it": italian.Stem,
	"es": spanish.Stem,
}

// StemLanguages are the languages Stem changes words of, in a fixed order.
var StemLanguages = []string{"en", "de", "fr", "it", "es", "pl"}

var envs = sync.Pool{New: func() any { return snowballstem.NewEnv("") }}

// Stem returns the stem of a folded word (as Words or Tokens return it) in
// language lang (ISO 639-1). Words of languages without a stemmer, numbers
// and words shorter than three letters are returned unchanged.
func Stem(lang, word string) string {
	if len(word) < 3 {
		return word
	}
	if lang == "pl" {
		return stemPolish(word)
	}
	st, ok := stemmers[lang]
	if !ok {
		return word
	}
	env := envs.Get().(*snowballstem.Env)
	env.SetCurrent(word)
	st(env)
	out := env.Current()
	envs.Put(env)
	return out
}

// polishEndings are common inflectional endings of Polish nouns, adjectives
// and verbs after folding (ą -> a, ę -> e, ó -> o), longest first.
var polishEndings = []string{
	"owie", "ami", "ach", "ego", "emu", "ych", "ymi", "ich", "imi", "owi", "iem", "cie",
	"ow", "om", "em", "ie", "ym", "im", "ej", "aj", "sz", "my",
	"a", "e", "i", "o", "u", "y", "c",
}

// stemPolish strips one inflectional ending (polishEndings) when at least
// four letters remain: "fakturę"/"faktury"/"fakturami" -> "faktur",
// "zamówienia"/"zamówieniu" -> "zamowieni". Snowball has no Polish stemmer.
func stemPolish(word string) string {
	for _, e := range polishEndings {
		if len(word)-len(e) >= 4 && strings.HasSuffix(word, e) {
			return word[:len(word)-len(e)]
		}
	}
	return word
}
