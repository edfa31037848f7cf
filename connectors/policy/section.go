package policy

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
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
	mdUnderscore = regexp.MustCompile(`(^|[\s(])_([^_]+?)_([\s.,;:!?)]|$)`)
	atxHeading   = regexp.MustCompile(`^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`)
	setextH1     = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	setextH2     = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
	listItem     = regexp.MustCompile(`^\s*(?:[-*+]|\d+[.)])\s+`)
	mdImage      = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink       = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)[^)]*\)`)
	mdEmphasis   = regexp.MustCompile(`(\*\*|__|\*|~~|` + "`" + `)`)
	mdQuote      = regexp.MustCompile(`^\s*>\s?`)
	mdFence      = regexp.MustCompile("^\\s*(```|~~~)")
	nonSlugChars = regexp.MustCompile(`[^\p{L}\p{N}]+`)
)

// Slug is the lower-case, dash-separated form of s used for anchors and ids.
func Slug(s string) string {
	return strings.Trim(nonSlugChars.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// markdownBlocks reads ATX (#) and setext headings; paragraphs are joined
// into lines, list items keep their own line, inline markup is removed.
func markdownBlocks(s string) []connectors.Block {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var blocks []connectors.Block
	var body []string
	var para []string
	inFence := false
	flushPara := func() {
		if len(para) > 0 {
			body = append(body, strings.Join(para, " "))
			para = nil
		}
	}
	flushBody := func() {
		flushPara()
		if len(body) > 0 {
			blocks = append(blocks, connectors.Block{Text: strings.Join(body, "\n")})
			body = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if mdFence.MatchString(line) {
			flushPara()
			inFence = !inFence
			continue
		}
		if inFence {
			if t := strings.TrimSpace(line); t != "" {
				body = append(body, t)
			}
			continue
		}
		if m := atxHeading.FindStringSubmatch(line); m != nil && len(m[1]) <= 4 {
			flushBody()
			if t := inlineMarkdown(m[2]); t != "" {
				blocks = append(blocks, connectors.Block{Level: len(m[1]), ID: Slug(t), Text: t})
			}
			continue
		}
		t := strings.TrimSpace(line)
		if t == "" {
			flushPara()
			continue
		}
		if len(para) == 1 && i > 0 && (setextH1.MatchString(line) || setextH2.MatchString(line)) {
			h := inlineMarkdown(para[0])
			para = nil
			flushBody()
			lvl := 2
			if setextH1.MatchString(line) {
				lvl = 1
			}
			blocks = append(blocks, connectors.Block{Level: lvl, ID: Slug(h), Text: h})
			continue
		}
		if strings.Trim(t, "-*_ ") == "" { // thematic break
			flushPara()
			continue
		}
		t = mdQuote.ReplaceAllString(t, "")
		if listItem.MatchString(t) {
			flushPara()
			para = append(para, "- "+inlineMarkdown(listItem.ReplaceAllString(t, "")))
			continue
		}
		para = append(para, inlineMarkdown(t))
	}
	flushBody()
	return blocks
}

func inlineMarkdown(s string) string {
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1 ($2)")
	s = mdEmphasis.ReplaceAllString(s, "")
	s = mdUnderscore.ReplaceAllString(s, "$1$2$3")
	return strings.Join(strings.Fields(s), " ")
}
