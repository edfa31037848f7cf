package faqpage

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"

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
// dl/dt/dd; a pair found by several methods is kept once. Only when none of
// these finds anything are headings ending in "?" taken as questions. doc is
// modified (boilerplate removed for the heading fallback).
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

// headings is the fallback: an h2-h4 ending in "?" in the main content,
// answered by the text up to the next heading.
func (c *collector) headings(doc *goquery.Document) {
	blocks := connectors.Blocks(connectors.MainContent(doc), 4)
	for i := 0; i+1 < len(blocks); i++ {
		b := blocks[i]
		if b.Level >= 2 && endsWithQuestionMark(b.Text) && blocks[i+1].Level == 0 {
			c.add(b.Text, blocks[i+1].Text, b.ID, "heading")
		}
	}
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
