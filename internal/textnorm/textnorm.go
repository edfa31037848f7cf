// Package textnorm is ragkb's one text toolkit: case and diacritic folding
// (a SQLite-compatible mode and a full mode), splitting into words,
// stopwords and stems for the six supported languages (en, pl, de, it, fr,
// es). Indexing and querying must use the same functions, so every backend
// and every scorer agrees on what a word is.
//
// Two foldings exist because they serve two masters:
//   - FoldSQLite matches SQLite FTS5's unicode61 tokenizer with
//     "remove_diacritics 2": lower case, and a precomposed letter loses its
//     combining marks ("ę" -> "e", "ü" -> "u"); letters that do not decompose
//     ("ł", "ß", "ø") stay. The lexical index tokenizes with it (Tokens).
//   - Fold also maps those letters to ASCII ("ł" -> "l", "ß" -> "ss"), so a
//     question typed without Polish or German letters still matches. Words,
//     the relevance scorer's and the local embedder's words, use it.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// letters maps letters that do not decompose into base letter + mark.
var letters = map[rune]string{
	'ł': "l", 'đ': "d", 'ð': "d", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'þ': "th", 'ı': "i",
}

// FoldSQLite lower-cases s and removes the combining marks of precomposed
// letters after canonical decomposition, as SQLite's unicode61 tokenizer
// does with remove_diacritics 2.
func FoldSQLite(s string) string {
	s = strings.ToLower(s)
	if isASCII(s) {
		return s
	}
	return foldMarks(s, false)
}

// Fold is FoldSQLite that also maps the letters without a decomposition
// to ASCII: "ł" -> "l", "ß" -> "ss", "ø" -> "o", "æ" -> "ae".
func Fold(s string) string {
	s = strings.ToLower(s)
	if isASCII(s) {
		return s
	}
	return foldMarks(s, true)
}

func foldMarks(s string, full bool) string {
	var b strings.Builder
	b.Grow(len(s))
	var buf [utf8.UTFMax]byte
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
			continue
		case unicode.Is(unicode.Mn, r):
			continue
		}
		if full {
			if f, ok := letters[r]; ok {
				b.WriteString(f)
				continue
			}
		}
		n := utf8.EncodeRune(buf[:], r)
		if d := norm.NFD.Properties(buf[:n]).Decomposition(); len(d) > 0 {
			base, size := utf8.DecodeRune(d)
			if strings.IndexFunc(string(d[size:]), func(m rune) bool { return !unicode.Is(unicode.Mn, m) }) < 0 {
				if f, ok := letters[base]; ok && full {
					b.WriteString(f)
				} else {
					b.WriteRune(base)
				}
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Tokens returns every token of s in order, duplicates included: runs of
// letters, digits and combining marks after FoldSQLite. It is how the
// lexical index splits text, so a backend's counts match its queries.
func Tokens(s string) []string {
	return strings.FieldsFunc(FoldSQLite(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r)
	})
}

// Words returns the words of s in order, duplicates included: runs of
// letters and digits after Fold.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}
