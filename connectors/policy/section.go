package policy

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// Formats of inline policy content.
const (
	FormatText     = "text"
	FormatMarkdown = "markdown"
	FormatHTML     = "html"
)

// DefaultTitle names a policy that has no title and no top-level heading.
const DefaultTitle = "Policy"

// Section is one part of a policy, split at a heading.
type Section struct {
	// Heading is the heading path ("Returns — Exceptions"); "" for the text
	// before the first heading.
	Heading string
	// Title is "<policy title> — <heading>", or the policy title alone.
	Title string
	// Anchor is the heading's id (HTML) or slug (markdown), for #fragments.
	Anchor string
	Text   string
}

// Sections splits inline policy content into sections. format is text,
// markdown or html ("" means text). When title is empty a leading top-level
// heading becomes the title, else DefaultTitle.
func Sections(title, content, format string) ([]Section, error) {
	var blocks []connectors.Block
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", FormatText:
		blocks = textBlocks(content)
	case FormatMarkdown, "md":
		blocks = markdownBlocks(content)
	case FormatHTML:
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(content))
		if err != nil {
			return nil, ragkb.Invalid("policy.content", "could not be read as HTML")
		}
		blocks = connectors.Blocks(doc.Find("body"), 4)
	default:
		return nil, ragkb.Invalid("policy.format", "must be text, markdown or html (got %q)", format)
	}
	return FromBlocks(title, blocks), nil
}

// FromBlocks groups headings and text into sections. Headings nest by level:
// a section's Heading is the path of the headings above it. Headings with no
// text under them produce no section.
func FromBlocks(title string, blocks []connectors.Block) []Section {
	title = strings.TrimSpace(title)
	if title == "" {
		if len(blocks) > 0 && blocks[0].Level == 1 {
			title = blocks[0].Text
		}
		if title != "" {
			blocks = blocks[1:]
		} else {
			title = DefaultTitle
		}
	}
	type level struct {
		n    int
		text string
		id   string
	}
	var path []level
	var out []Section
	prevText := false
	for _, b := range blocks {
		if b.Level == 0 && prevText {
			out[len(out)-1].Text += "\n" + b.Text
			continue
		}
		prevText = b.Level == 0
		if b.Level > 0 {
			for len(path) > 0 && path[len(path)-1].n >= b.Level {
				path = path[:len(path)-1]
			}
			path = append(path, level{b.Level, b.Text, b.ID})
			continue
		}
		var names []string
		anchor := ""
		for _, p := range path {
			if !strings.EqualFold(p.text, title) {
				names = append(names, p.text)
			}
			if p.id != "" { // the nearest heading with an id
				anchor = p.id
			}
		}
		heading := strings.Join(names, " — ")
		full := title
		if heading != "" {
			full = title + " — " + heading
		}
		out = append(out, Section{Heading: heading, Title: full, Anchor: anchor, Text: b.Text})
	}
	return out
}

// textBlocks splits plain text into blank-line separated blocks; a block that
// is one short line without closing punctuation is a heading.
func textBlocks(s string) []connectors.Block {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var blocks []connectors.Block
	for _, para := range regexp.MustCompile(`\n[ \t]*\n`).Split(s, -1) {
		para = connectors.CleanText(para)
		if para == "" {
			continue
		}
		if isTitleLine(para) {
			blocks = append(blocks, connectors.Block{Level: 2, Text: strings.TrimRight(para, ":")})
			continue
		}
		// "Heading\nSentence one. Sentence two." without a blank line between.
		if first, rest, ok := strings.Cut(para, "\n"); ok && isTitleLine(first) && hasSentence(rest) {
			blocks = append(blocks, connectors.Block{Level: 2, Text: strings.TrimRight(first, ":")},
				connectors.Block{Text: rest})
			continue
		}
		blocks = append(blocks, connectors.Block{Text: para})
	}
	return blocks
}

// isTitleLine reports whether a paragraph looks like a heading: a single line
// of at most 80 characters that does not end like a sentence.
func isTitleLine(s string) bool {
	if strings.Contains(s, "\n") || utf8.RuneCountInString(s) > 80 {
		return false
	}
	if strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "* ") || strings.HasPrefix(s, "• ") {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!,;…", last)
}

// hasSentence reports whether some line of s ends like a sentence.
func hasSentence(s string) bool {
	for _, l := range strings.Split(s, "\n") {
		if last, _ := utf8.DecodeLastRuneInString(l); strings.ContainsRune(".!?", last) {
			return true
		}
	}
	return false
}

var (
	nonSlugChars = regexp.MustCompile(`[^\p{L}\p{N}]+`)
)

// Slug is the lower-case, dash-separated form of s used for anchors and ids.
func Slug(s string) string {
	return strings.Trim(nonSlugChars.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// markdownBlocks parses CommonMark (with ~~strikethrough~~) with goldmark:
// headings up to level 4 start sections; paragraphs become lines, list
// items keep their own line ("- item"), code blocks keep their lines, and
// inline markup is removed (a link reads "text (url)", an image its alt text).
func markdownBlocks(s string) []connectors.Block {
	src := []byte(s)
	doc := goldmark.New(goldmark.WithExtensions(extension.Strikethrough)).Parser().Parse(text.NewReader(src))
	var blocks []connectors.Block
	var body []string
	flush := func() {
		if len(body) > 0 {
			blocks = append(blocks, connectors.Block{Text: strings.Join(body, "\n")})
			body = nil
		}
	}
	add := func(t string) {
		if t != "" {
			body = append(body, t)
		}
	}
	var visit func(n ast.Node)
	walk := func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			visit(c)
		}
	}
	visit = func(c ast.Node) {
		{
			switch c := c.(type) {
			case *ast.Heading:
				t := inlineText(c, src)
				if c.Level > 4 {
					add(t)
					return
				}
				flush()
				if t != "" {
					blocks = append(blocks, connectors.Block{Level: c.Level, ID: Slug(t), Text: t})
				}
			case *ast.Paragraph, *ast.TextBlock:
				add(inlineText(c, src))
			case *ast.ListItem:
				var parts []string
				for cc := c.FirstChild(); cc != nil; cc = cc.NextSibling() {
					switch cc.(type) {
					case *ast.Paragraph, *ast.TextBlock:
						if t := inlineText(cc, src); t != "" {
							parts = append(parts, t)
						}
					}
				}
				add("- " + strings.Join(parts, " "))
				for cc := c.FirstChild(); cc != nil; cc = cc.NextSibling() {
					switch cc.(type) {
					case *ast.Paragraph, *ast.TextBlock:
					default:
						visit(cc) // a nested list
					}
				}
			case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
				lines := c.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					add(strings.TrimSpace(string(seg.Value(src))))
				}
			case *ast.ThematicBreak:
			default:
				walk(c)
			}
		}
	}
	walk(doc)
	flush()
	return blocks
}

// inlineText is the plain text of n's inline content, spaces collapsed.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(src))
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.Link:
				walk(c)
				fmt.Fprintf(&b, " (%s)", c.Destination)
			case *ast.AutoLink:
				b.Write(c.URL(src))
			case *ast.RawHTML:
				for i := 0; i < c.Segments.Len(); i++ {
					seg := c.Segments.At(i)
					b.Write(seg.Value(src))
				}
			default: // emphasis, code spans, images (their alt text), strikethrough
				walk(c)
			}
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
