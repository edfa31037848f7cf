package faqpage

import (
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/ragkb/ragkb/connectors"
)

// Pair is one question and its answer found on a page.
type Pair struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
	// Anchor is the id of the element holding the pair, for #links.
	Anchor string `json:"anchor,omitempty"`
	// Method names the markup the pair was found in (jsonld, microdata,
	// yoast, rankmath, elementor, dawn, details, dl, heading).
	Method string `json:"method"`
}

// Extract finds the question-and-answer pairs of a FAQ page. Structured
// markup is read first (JSON-LD, microdata), then plugin and theme markup
// (Yoast, Rank Math, Elementor, Shopify Dawn), native details/summary and
// dl/dt/dd, and paragraphs holding a question and its answer split by a
// line break (<p>Q?<br>A</p>); a pair found by several methods is kept once.
// Only when none of these finds anything are headings taken as questions:
// those ending in "?", and on a page that is a FAQ (its title, a heading or
// a section says so) every heading followed by text ("Wysyłka paczek").
// Answers stop at page chrome: navigation, footers, sidebars and link lists
// are removed first. doc is modified.
func Extract(doc *goquery.Document) []Pair {
	var c collector
	c.jsonLD(doc)
	c.microdata(doc)
	c.yoast(doc)
	c.rankMath(doc)
	c.elementor(doc)
	c.dawn(doc)
	c.details(doc)
	c.definitionLists(doc)
	c.paragraphs(doc)
	if len(c.pairs) == 0 {
		c.headings(doc)
	}
	return c.pairs
}

type collector struct {
	pairs []Pair
	index map[string]int
}

// add keeps the first answer for a question; a later method may only fill
// in a missing anchor.
func (c *collector) add(q, a, anchor, method string) {
	q = connectors.CleanText(strings.ReplaceAll(q, "\n", " "))
	a = strings.TrimSpace(a)
	if q == "" || a == "" {
		return
	}
	key := NormalizeQuestion(q)
	if c.index == nil {
		c.index = map[string]int{}
	}
	if i, ok := c.index[key]; ok {
		if c.pairs[i].Anchor == "" {
			c.pairs[i].Anchor = anchor
		}
		return
	}
	c.index[key] = len(c.pairs)
	c.pairs = append(c.pairs, Pair{Question: q, Answer: a, Anchor: anchor, Method: method})
}

// NormalizeQuestion lower-cases q, collapses spaces and drops punctuation at
// its ends, so the same question found twice compares equal.
func NormalizeQuestion(q string) string {
	q = strings.ToLower(strings.Join(strings.Fields(q), " "))
	return strings.TrimFunc(q, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}

func (c *collector) jsonLD(doc *goquery.Document) {
	for _, n := range connectors.JSONLD(doc.Selection) {
		if !connectors.HasType(n, "Question") {
			continue
		}
		q := connectors.Str(n["name"])
		if q == "" {
			q = connectors.Str(n["text"])
		}
		var answers []string
		for _, a := range connectors.List(n["acceptedAnswer"]) {
			switch t := a.(type) {
			case map[string]any:
				if s := connectors.HTMLText(connectors.Str(t["text"])); s != "" {
					answers = append(answers, s)
				}
			case string:
				answers = append(answers, connectors.HTMLText(t))
			}
		}
		anchor := ""
		if id := connectors.Str(n["@id"]); id != "" {
			if u, err := url.Parse(id); err == nil {
				anchor = u.Fragment
			}
		}
		c.add(connectors.HTMLText(q), strings.Join(answers, "\n"), anchor, "jsonld")
	}
}

func (c *collector) microdata(doc *goquery.Document) {
	doc.Find(`[itemtype$="schema.org/Question"], [itemtype$="schema.org/Question/"]`).Each(func(_ int, s *goquery.Selection) {
		ans := s.Find(`[itemprop~=acceptedAnswer]`).First()
		q := s.Find(`[itemprop~=name]`).FilterFunction(func(_ int, n *goquery.Selection) bool {
			return n.ParentsFiltered(`[itemprop~=acceptedAnswer]`).Length() == 0
		}).First()
		text := ans.Find(`[itemprop~=text]`).First()
		if text.Length() == 0 {
			text = ans
		}
		if content, ok := q.Attr("content"); ok && connectors.SelectionText(q) == "" {
			c.add(content, connectors.SelectionText(text), id(s), "microdata")
			return
		}
		c.add(connectors.SelectionText(q), connectors.SelectionText(text), id(s), "microdata")
	})
}

func (c *collector) yoast(doc *goquery.Document) {
	doc.Find(".schema-faq-section").Each(func(_ int, s *goquery.Selection) {
		c.add(connectors.SelectionText(s.Find(".schema-faq-question").First()),
			connectors.SelectionText(s.Find(".schema-faq-answer")), id(s), "yoast")
	})
}

func (c *collector) rankMath(doc *goquery.Document) {
	doc.Find(".rank-math-list-item").Each(func(_ int, s *goquery.Selection) {
		c.add(connectors.SelectionText(s.Find(".rank-math-question").First()),
			connectors.SelectionText(s.Find(".rank-math-answer")), id(s), "rankmath")
	})
}

func (c *collector) elementor(doc *goquery.Document) {
	doc.Find(".elementor-accordion-item, .elementor-toggle-item").Each(func(_ int, s *goquery.Selection) {
		title := s.Find(".elementor-tab-title").First()
		q := title.Find(".elementor-accordion-title, .elementor-toggle-title").First()
		if q.Length() == 0 {
			q = title
		}
		c.add(connectors.SelectionText(q), connectors.SelectionText(s.Find(".elementor-tab-content").First()),
			cmpStr(id(title), id(s)), "elementor")
	})
	doc.Find("details.e-n-accordion-item").Each(func(_ int, s *goquery.Selection) {
		sum := s.ChildrenFiltered("summary").First()
		q := sum.Find(".e-n-accordion-item-title-text").First()
		if q.Length() == 0 {
			q = sum
		}
		c.add(connectors.SelectionText(q), connectors.SelectionText(s.Contents().Not("summary")), id(s), "elementor")
	})
}

func (c *collector) dawn(doc *goquery.Document) {
	doc.Find(".accordion details").Each(func(_ int, s *goquery.Selection) {
		q := s.ChildrenFiltered("summary").Find(".accordion__title").First()
		if q.Length() == 0 {
			return
		}
		c.add(connectors.SelectionText(q), connectors.SelectionText(s.Find(".accordion__content").First()),
			cmpStr(id(s), id(s.ChildrenFiltered("summary"))), "dawn")
	})
}

func (c *collector) details(doc *goquery.Document) {
	doc.Find("details").Each(func(_ int, s *goquery.Selection) {
		sum := s.ChildrenFiltered("summary").First()
		if sum.Length() == 0 {
			return
		}
		c.add(connectors.SelectionText(sum), connectors.SelectionText(s.Contents().Not("summary")),
			cmpStr(id(s), id(sum)), "details")
	})
}

// definitionLists reads dl/dt/dd pairs when they look like a FAQ: the term
// is a question or the list sits in a FAQ section (dl is also used for specs).
func (c *collector) definitionLists(doc *goquery.Document) {
	doc.Find("dl").Each(func(_ int, dl *goquery.Selection) {
		faqish := looksFAQ(dl) || dl.ParentsFiltered("*").FilterFunction(func(_ int, p *goquery.Selection) bool {
			return looksFAQ(p)
		}).Length() > 0
		var q, qid string
		var answer []string
		flush := func() {
			if q != "" && (faqish || endsWithQuestionMark(q)) {
				c.add(q, strings.Join(answer, "\n"), qid, "dl")
			}
			q, qid, answer = "", "", nil
		}
		dl.Children().Each(func(_ int, ch *goquery.Selection) {
			switch goquery.NodeName(ch) {
			case "dt":
				flush()
				q, qid = connectors.SelectionText(ch), id(ch)
			case "dd":
				if q != "" {
					answer = append(answer, connectors.SelectionText(ch))
				}
			case "div": // <dl><div><dt/><dd/></div></dl> is valid HTML too
				ch.Children().Each(func(_ int, g *goquery.Selection) {
					switch goquery.NodeName(g) {
					case "dt":
						flush()
						q, qid = connectors.SelectionText(g), id(g)
					case "dd":
						if q != "" {
							answer = append(answer, connectors.SelectionText(g))
						}
					}
				})
			}
		})
		flush()
	})
}

func looksFAQ(s *goquery.Selection) bool {
	for _, a := range []string{"id", "class"} {
		v, _ := s.Attr(a)
		v = strings.ToLower(v)
		if strings.Contains(v, "faq") || strings.Contains(v, "question") || strings.Contains(v, "pytania") {
			return true
		}
	}
	return false
}

func endsWithQuestionMark(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasSuffix(s, "?") || strings.HasSuffix(s, "？") || strings.HasSuffix(s, "¿")
}

// maxQuestionRunes is the longest text read as a question.
const maxQuestionRunes = 200

// paragraphs reads <p>Question?<br>Answer</p> (in a list item, the rest of
// the item belongs to the answer: HTML closes a <p> before a nested list).
// A question ending in ":" ("Cosa fare in caso di cibo scaduto:") counts
// when at least two others on the page end in "?".
func (c *collector) paragraphs(doc *goquery.Document) {
	type cand struct{ q, a, anchor string }
	var asked, colon []cand
	doc.Find("p").Each(func(_ int, p *goquery.Selection) {
		br := p.ChildrenFiltered("br").First()
		if br.Length() == 0 {
			return
		}
		var before, after []*html.Node
		seen := false
		for n := p.Nodes[0].FirstChild; n != nil; n = n.NextSibling {
			if n == br.Nodes[0] {
				seen = true
				continue
			}
			if seen {
				after = append(after, n)
			} else {
				before = append(before, n)
			}
		}
		q := connectors.CleanText(nodesText(before))
		a := nodesText(after)
		if li := p.Parent(); goquery.NodeName(li) == "li" {
			for n := p.Nodes[0].NextSibling; n != nil; n = n.NextSibling {
				if t := connectors.SelectionText(goquery.NewDocumentFromNode(n).Selection); t != "" {
					a += "\n" + t
				}
			}
		}
		a = connectors.CleanText(a)
		if q == "" || a == "" || utf8.RuneCountInString(q) > maxQuestionRunes {
			return
		}
		switch {
		case endsWithQuestionMark(q):
			asked = append(asked, cand{q, a, cmpStr(id(p), id(p.Parent()))})
		case strings.HasSuffix(q, ":"):
			colon = append(colon, cand{strings.TrimSpace(strings.TrimSuffix(q, ":")), a, cmpStr(id(p), id(p.Parent()))})
		}
	})
	if len(asked) < 2 {
		colon = nil
	}
	if len(asked) == 0 {
		return
	}
	// Keep page order: a ":" question sits between "?" ones.
	all := append(asked, colon...)
	order := map[string]int{}
	doc.Find("p").Each(func(i int, p *goquery.Selection) {
		for _, x := range all {
			if _, ok := order[x.q]; !ok && strings.HasPrefix(connectors.CleanText(connectors.SelectionText(p)), x.q) {
				order[x.q] = i
			}
		}
	})
	sort.SliceStable(all, func(i, j int) bool { return order[all[i].q] < order[all[j].q] })
	for _, x := range all {
		c.add(x.q, x.a, x.anchor, "paragraph")
	}
}

func nodesText(ns []*html.Node) string {
	var parts []string
	for _, n := range ns {
		if t := connectors.NodeText(n); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

// headings is the fallback: in the main content (chrome and link lists
// removed), an h2-h4 ending in "?", or any h2-h4 followed by text on a FAQ
// page, answered by the text up to the next heading.
func (c *collector) headings(doc *goquery.Document) {
	main := connectors.MainContent(doc)
	removeLinkLists(main)
	main.Find("h2, h3, h4").Each(func(_ int, h *goquery.Selection) {
		q := connectors.CleanText(connectors.NodeText(h.Nodes[0]))
		if q == "" || utf8.RuneCountInString(q) > maxQuestionRunes || !(endsWithQuestionMark(q) || inFAQSection(h) && !faqTitle(q)) {
			return
		}
		a := answerAfter(h.Nodes[0])
		if a == "" && h.Nodes[0].PrevSibling == nil && onlyChild(h.Nodes[0]) {
			a = answerAfter(h.Nodes[0].Parent) // <div><h3>Q</h3></div><div>A</div>
		}
		c.add(q, a, id(h), "heading")
	})
}

// answerAfter is the text of n's following siblings up to the next heading:
// it stops at the end of n's section, so the last answer never runs into
// the rest of the page.
func answerAfter(n *html.Node) string {
	var parts []string
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode && (isHeading(s) || goquery.NewDocumentFromNode(s).Find("h1, h2, h3, h4").Length() > 0) {
			break
		}
		if t := connectors.SelectionText(goquery.NewDocumentFromNode(s).Selection); t != "" {
			parts = append(parts, t)
		}
	}
	return connectors.CleanText(strings.Join(parts, "\n"))
}

func isHeading(n *html.Node) bool {
	switch n.Data {
	case "h1", "h2", "h3", "h4":
		return true
	}
	return false
}

// onlyChild reports whether n is its parent's only element with text.
func onlyChild(n *html.Node) bool {
	for s := n.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s != n && strings.TrimSpace(connectors.NodeText(s)) != "" {
			return false
		}
	}
	return true
}

// faqWords name a FAQ page in the six languages.
var faqWords = []string{"faq", "frequently asked", "questions", "najczęściej zadawane", "pytania", "domande frequenti",
	"domande", "häufig gestellte", "häufige fragen", "fragen", "questions fréquentes", "foire aux questions",
	"preguntas frecuentes", "preguntas"}

func faqTitle(s string) bool {
	s = strings.ToLower(s)
	for _, w := range faqWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// inFAQSection reports whether heading h sits in a section that says it is
// a FAQ: an ancestor whose id or class names one (id="sekcja_FAQ"), or an
// earlier, higher heading of the same parent that is a FAQ title
// ("Najczęściej zadawane pytania"). Headings elsewhere on the page
// ("Contact") need a "?" to be questions.
func inFAQSection(h *goquery.Selection) bool {
	if h.ParentsFiltered("*").FilterFunction(func(_ int, p *goquery.Selection) bool { return looksFAQ(p) }).Length() > 0 {
		return true
	}
	level := goquery.NodeName(h)
	found := false
	h.PrevAll().Filter("h1, h2, h3, h4").EachWithBreak(func(_ int, p *goquery.Selection) bool {
		if goquery.NodeName(p) < level && faqTitle(p.Text()) {
			found = true
		}
		return !found
	})
	return found
}

// removeLinkLists drops blocks that are mostly links (menus, city lists,
// "related" boxes) so that the last answer does not swallow them.
func removeLinkLists(main *goquery.Selection) {
	main.Find("ul, ol, div, section, p").Each(func(_ int, s *goquery.Selection) {
		links := s.Find("a")
		if links.Length() < 3 {
			return
		}
		total := textLen(s)
		linked := 0
		links.Each(func(_ int, a *goquery.Selection) { linked += textLen(a) })
		if total > 0 && linked*10 >= total*8 {
			s.Remove()
		}
	})
}

func textLen(s *goquery.Selection) int {
	return utf8.RuneCountInString(strings.Join(strings.Fields(s.Text()), " "))
}

// Missing lists the questions the page visibly asks (headings, paragraphs,
// bold lines, list items and summaries ending in "?", in the main content)
// that are neither a found pair's question nor inside its answer, so that
// the merchant learns the page was read only in part. doc must be the
// document Extract read.
func Missing(doc *goquery.Document, pairs []Pair) []string {
	have := map[string]bool{}
	var answers strings.Builder
	for _, p := range pairs {
		have[NormalizeQuestion(p.Question)] = true
		answers.WriteString(NormalizeQuestion(p.Answer))
		answers.WriteString("\n")
	}
	all := NormalizeQuestion(answers.String())
	var out []string
	seen := map[string]bool{}
	doc.Find("h2, h3, h4, h5, h6, p, strong, b, li, summary, dt").Each(func(_ int, s *goquery.Selection) {
		if s.ParentsFiltered("nav, footer, header, aside, form").Length() > 0 {
			return
		}
		q := connectors.CleanText(strings.ReplaceAll(connectors.SelectionText(s), "\n", " "))
		key := NormalizeQuestion(q)
		if !endsWithQuestionMark(q) || utf8.RuneCountInString(q) > maxQuestionRunes || key == "" || seen[key] {
			return
		}
		seen[key] = true
		if have[key] || strings.Contains(all, key) || coveredByPair(key, have) {
			return
		}
		out = append(out, q)
	})
	return out
}

// coveredByPair reports whether key is a found question with a prefix
// ("Q1: …") or the start of one.
func coveredByPair(key string, have map[string]bool) bool {
	for h := range have {
		if strings.HasSuffix(h, key) || strings.HasPrefix(h, key) {
			return true
		}
	}
	return false
}

func id(s *goquery.Selection) string {
	v, _ := s.Attr("id")
	return strings.TrimSpace(v)
}

func cmpStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
