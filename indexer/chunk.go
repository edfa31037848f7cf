package indexer

import (
	"strings"
	"unicode/utf8"

	"github.com/ragkb/ragkb/internal/sentence"
)

// Split cuts text into pieces of at most size runes, preferring paragraph,
// then sentence, then word boundaries, with about overlap runes of the
// previous piece repeated at the start of the next so that a fact cut in two
// is still found whole in one chunk.
func Split(text string, size, overlap int) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	if size <= 0 {
		size = 1000
	}
	if overlap < 0 || overlap >= size/2 {
		overlap = size / 8
	}
	if utf8.RuneCountInString(text) <= size {
		return []string{text}
	}
	units := sentences(text)
	var out []string
	var cur []string // units of the piece being built
	curLen, fresh := 0, 0
	emit := func() {
		if fresh > 0 {
			out = append(out, strings.TrimSpace(strings.Join(cur, "")))
		}
		// Carry a tail of whole units as overlap into the next piece.
		var tail []string
		n := 0
		for i := len(cur) - 1; i >= 0; i-- {
			l := utf8.RuneCountInString(cur[i])
			if n+l > overlap {
				break
			}
			tail = append([]string{cur[i]}, tail...)
			n += l
		}
		cur, curLen, fresh = tail, n, 0
	}
	for _, u := range units {
		l := utf8.RuneCountInString(u)
		if l > size {
			// One overlong unit (a paragraph with no sentence ends): cut it at words.
			emit()
			out = append(out, hardSplit(u, size)...)
			cur, curLen = nil, 0
			continue
		}
		if curLen+l > size {
			emit()
			if curLen+l > size {
				cur, curLen = nil, 0
			}
		}
		cur = append(cur, u)
		curLen += l
		fresh++
	}
	emit()
	return out
}

// sentences splits text into sentence-like units that keep their trailing
// whitespace, so joining them restores the text; abbreviations ("ul.",
// "z.B.") do not end a unit.
func sentences(text string) []string { return sentence.Units(text) }

func hardSplit(s string, size int) []string {
	words := strings.Fields(s)
	var out []string
	var b strings.Builder
	n := 0
	for _, w := range words {
		l := utf8.RuneCountInString(w)
		if n > 0 && n+1+l > size {
			out = append(out, b.String())
			b.Reset()
			n = 0
		}
		if l > size { // a "word" longer than a chunk (e.g. a URL or base64)
			rs := []rune(w)
			for len(rs) > size {
				out = append(out, string(rs[:size]))
				rs = rs[size:]
			}
			w, l = string(rs), len(rs)
		}
		if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}
