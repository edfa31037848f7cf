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
//     the relevance scorer's, the intent classifier's and the local
//     embedder's words, use it.
//
// FoldRune is the full folding of one rune that keeps one rune for one
// (the guardrails and the language detector compare folded text with the
// original). Terms, Coverage and Matched are the relevance score's content
// words; IsStopword is ragkb's one stopword list (stopwords.go).
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
// letters and digits after Fold. It folds and splits in one pass, and
// ASCII words of lower-case text are returned as substrings of s.
func Words(s string) []string {
	words := make([]string, 0, len(s)/6+1)
	var b []byte // the current word, when it differs from s
	start, copied := -1, false
	flush := func(end int) {
		if start >= 0 {
			if copied {
				words = append(words, string(b))
			} else {
				words = append(words, s[start:end])
			}
		}
		start, copied, b = -1, false, b[:0]
	}
	// appendWord adds folded bytes to the current word, copying it out of s
	// from the first byte that differs.
	begin := func(i int) {
		if start < 0 {
			start = i
		}
	}
	toCopy := func(i int) {
		if !copied {
			b = append(b[:0], s[start:i]...)
			copied = true
		}
	}
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				begin(i)
				if copied {
					b = append(b, c)
				}
			case 'A' <= c && c <= 'Z':
				begin(i)
				toCopy(i)
				b = append(b, c+'a'-'A')
			default:
				flush(i)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.Is(unicode.Mn, r) {
			// A combining mark: dropped, inside a word or not.
			if start >= 0 {
				toCopy(i)
			}
			i += size
			continue
		}
		r = unicode.ToLower(r)
		var out string
		if f, ok := letters[r]; ok {
			out = f
		} else {
			n := utf8.EncodeRune(buf[:], r)
			out = string(buf[:n])
			if d := norm.NFD.Properties(buf[:n]).Decomposition(); len(d) > 0 {
				base, bs := utf8.DecodeRune(d)
				if strings.IndexFunc(string(d[bs:]), func(m rune) bool { return !unicode.Is(unicode.Mn, m) }) < 0 {
					if f, ok := letters[base]; ok {
						out = f
					} else {
						out = string(d[:bs])
					}
				}
			}
		}
		fr, _ := utf8.DecodeRuneInString(out)
		if !unicode.IsLetter(fr) && !unicode.IsNumber(fr) {
			flush(i)
			i += size
			continue
		}
		begin(i)
		toCopy(i)
		b = append(b, out...)
		i += size
	}
	flush(len(s))
	return words
}

// FoldRune lower-cases r and folds it to one rune: a letter that
// decomposes into a base letter and combining marks becomes the base letter
// ("Ą" -> 'a', "é" -> 'e', "ř" -> 'r'), and a letter without a
// decomposition that has a one-letter ASCII form becomes it ("ł" -> 'l',
// "ø" -> 'o', "đ" -> 'd', "ı" -> 'i'). Letters whose ASCII form has several
// letters ("ß", "æ", "œ", "þ") and combining marks themselves stay: folded
// text keeps one rune for each rune, for matchers that compare it rune by
// rune with the original. Fold is the folding that also maps those.
func FoldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	r = unicode.ToLower(r)
	if f, ok := letters[r]; ok && len(f) == 1 {
		return rune(f[0])
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if d := norm.NFD.Properties(buf[:n]).Decomposition(); len(d) > 0 {
		base, size := utf8.DecodeRune(d)
		if strings.IndexFunc(string(d[size:]), func(m rune) bool { return !unicode.Is(unicode.Mn, m) }) < 0 {
			if f, ok := letters[base]; ok && len(f) == 1 {
				return rune(f[0])
			}
			return base
		}
	}
	return r
}
