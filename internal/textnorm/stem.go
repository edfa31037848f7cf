package textnorm

import (
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
var StemLanguages = []string{"en", "de", "fr", "it", "es"}

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

// stemPolish is identity until a measured choice exists.
func stemPolish(word string) string { return word }
