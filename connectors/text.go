package connectors

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Block is a run of text in document order: either a heading (Level 1-6) or
// body text (Level 0) made of lines (paragraphs, list items prefixed "- ").
type Block struct {
	Level int
	ID    string // the heading's id attribute, for #anchors
	Text  string
}

// skipped elements never contribute text.
func skipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Canvas,
		atom.Iframe, atom.Object, atom.Head, atom.Select, atom.Textarea, atom.Input:
		return true
	}
	return false
}

// blockLevel elements end the current line before and after them.
func blockLevel(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.Header, atom.Footer,
		atom.Nav, atom.Aside, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Table, atom.Tr,
		atom.Tbody, atom.Thead, atom.Tfoot, atom.Blockquote, atom.Pre, atom.Form, atom.Fieldset,
		atom.Figure, atom.Figcaption, atom.Details, atom.Summary, atom.Address, atom.Hr, atom.Li,
		atom.Body, atom.Html, atom.Caption, atom.H5, atom.H6:
		return true
	}
	return false
}

func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

type blockWriter struct {
	maxHeading int
	blocks     []Block
	lines      []string
	line       strings.Builder
	prefix     string
}

func (w *blockWriter) text(s string) {
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' {
			if w.line.Len() > 0 {
				b := w.line.String()
				if last, _ := utf8.DecodeLastRuneInString(b); last != ' ' {
					w.line.WriteByte(' ')
				}
			}
			continue
		}
		if w.line.Len() == 0 && w.prefix != "" {
			w.line.WriteString(w.prefix)
			w.prefix = ""
		}
		w.line.WriteRune(r)
	}
}

func (w *blockWriter) endLine() {
	s := strings.TrimSpace(w.line.String())
	w.line.Reset()
	if s != "" && s != "-" {
		w.lines = append(w.lines, s)
	}
}

func (w *blockWriter) endBlock() {
	w.endLine()
	if len(w.lines) > 0 {
		w.blocks = append(w.blocks, Block{Text: strings.Join(w.lines, "\n")})
		w.lines = nil
	}
}

func (w *blockWriter) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
		a := n.DataAtom
		if skipped(a) {
			return
		}
		if a == atom.Br {
			w.endLine()
			return
		}
		if lvl := headingLevel(a); lvl > 0 && lvl <= w.maxHeading {
			w.endBlock()
			t := NodeText(n)
			if t != "" {
				w.blocks = append(w.blocks, Block{Level: lvl, ID: attr(n, "id"), Text: t})
			}
			return
		}
		if blockLevel(a) {
			w.endLine()
			if a == atom.Li {
				w.prefix = "- "
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				w.walk(c)
			}
			w.endLine()
			w.prefix = ""
			return
		}
		if a == atom.Td || a == atom.Th {
			if w.line.Len() > 0 {
				w.line.WriteString(" | ")
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// Blocks flattens the selection into headings (h1 up to h<maxHeading>) and
// the body text between them. Deeper headings become ordinary lines. Script,
// style and form controls are dropped.
func Blocks(sel *goquery.Selection, maxHeading int) []Block {
	w := &blockWriter{maxHeading: maxHeading}
	for _, n := range sel.Nodes {
		w.walk(n)
	}
	w.endBlock()
	return w.blocks
}

// NodeText is the text of n on one line with whitespace collapsed.
func NodeText(n *html.Node) string {
	w := &blockWriter{}
	w.walk(n)
	w.endLine()
	return strings.Join(w.lines, " ")
}

// SelectionText is the readable text of sel: paragraphs, headings and list
// items ("- ") on their own lines, whitespace collapsed.
func SelectionText(sel *goquery.Selection) string {
	w := &blockWriter{maxHeading: 0}
	for _, n := range sel.Nodes {
		w.walk(n)
	}
	w.endBlock()
	parts := make([]string, 0, len(w.blocks))
	for _, b := range w.blocks {
		parts = append(parts, b.Text)
	}
	return strings.Join(parts, "\n")
}

// HTMLText converts an HTML fragment (a product description, an answer) to
// readable text. Text without markup is returned with whitespace tidied.
func HTMLText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return CleanText(s)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil { // x/net/html only fails on reader errors
		return CleanText(s)
	}
	return SelectionText(doc.Find("body"))
}

// CleanText trims every line, collapses runs of spaces and drops blank lines.
func CleanText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.Join(strings.Fields(strings.ReplaceAll(l, "\u00a0", " ")), " ")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Truncate cuts s to at most n runes, at a sentence or word boundary when one
// is near, and marks the cut with "…".
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	for _, sep := range []string{". ", "\n", " "} {
		if i := strings.LastIndex(cut, sep); i > n*2/3 {
			cut = cut[:i+len(strings.TrimRight(sep, " "))]
			break
		}
	}
	return strings.TrimSpace(cut) + "…"
}
