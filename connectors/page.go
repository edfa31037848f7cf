package connectors

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"github.com/ragkb/ragkb"
)

// IsHTML reports whether a media type is an HTML page (an empty type is
// accepted: some servers send none).
func IsHTML(mediaType string) bool {
	return mediaType == "" || mediaType == "text/html" || mediaType == "application/xhtml+xml"
}

// ParseHTML parses a fetched page, converting its charset to UTF-8. A
// response that is not HTML is an EINVALID error naming the URL.
func ParseHTML(resp *Response) (*goquery.Document, error) {
	if !IsHTML(resp.ContentType) {
		return nil, ragkb.Errorf(ragkb.EINVALID, "The page %s is not an HTML page (it is %s)", resp.URL, resp.ContentType)
	}
	r, err := charset.NewReader(bytes.NewReader(resp.Body), resp.Header.Get("Content-Type"))
	if err != nil {
		r = bytes.NewReader(resp.Body)
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return nil, fmt.Errorf("connectors: parse %s: %w", resp.URL, err)
	}
	return doc, nil
}

// PageLanguage returns the primary language subtag of <html lang> ("pl" for
// "pl-PL"), or "".
func PageLanguage(doc *goquery.Document) string {
	lang, _ := doc.Find("html").First().Attr("lang")
	lang, _, _ = strings.Cut(strings.TrimSpace(lang), "-")
	lang, _, _ = strings.Cut(lang, "_")
	return strings.ToLower(lang)
}

// PageTitle returns the page's first <h1>, else its <title>.
func PageTitle(doc *goquery.Document) string {
	if h := CleanText(doc.Find("h1").First().Text()); h != "" {
		return h
	}
	return CleanText(doc.Find("title").First().Text())
}

// boilerplate is removed before looking for a page's main content.
const boilerplate = `script, style, noscript, template, svg, iframe, nav, aside, dialog,
[role=navigation], [role=banner], [role=contentinfo], [role=dialog], [role=search],
[id*=cookie], [class*=cookie], [id*=consent], [class*=consent], [class*=gdpr], [id*=gdpr],
.skip-link, .breadcrumb, .breadcrumbs, [aria-label=breadcrumb]`

// MainContent strips navigation, headers, footers, sidebars, forms, scripts
// and cookie banners from doc (modifying it) and returns its main content:
// the first of main, [role=main], article, #content, #main with substantial
// text, else the element holding the most paragraph text, else the body.
func MainContent(doc *goquery.Document) *goquery.Selection {
	// Containers are kept even when a class matches: WordPress cookie
	// plugins put "cookies-not-set" on <body>.
	doc.Find(boilerplate).Not("html, body, main, article, [role=main], #content, #main").Remove()
	// Forms (search, newsletter, contact) go, except a form wrapping the
	// page (ASP.NET WebForms).
	bodyLen := textLen(doc.Find("body"))
	doc.Find("form").Each(func(_ int, s *goquery.Selection) {
		if textLen(s)*2 < bodyLen {
			s.Remove()
		}
	})
	doc.Find("header, footer").Each(func(_ int, s *goquery.Selection) {
		if s.ParentsFiltered("article, main, [role=main]").Length() == 0 {
			s.Remove()
		}
	})
	body := doc.Find("body")
	total := textLen(body)
	for _, sel := range []string{"main", "[role=main]", "article", "#content", "#main", "#main-content", ".main-content"} {
		s := doc.Find(sel)
		if s.Length() == 0 {
			continue
		}
		best, bestLen := s.First(), 0
		s.Each(func(_ int, c *goquery.Selection) {
			if n := textLen(c); n > bestLen {
				best, bestLen = c, n
			}
		})
		if bestLen >= 200 || (bestLen > 0 && bestLen*2 >= total) {
			return best
		}
	}
	// The parent of the most paragraph text.
	scores := map[*goquery.Selection]int{}
	var bestSel *goquery.Selection
	best := 0
	parents := map[any]*goquery.Selection{}
	doc.Find("p, li").Each(func(_ int, p *goquery.Selection) {
		parent := p.Parent()
		if parent.Length() == 0 {
			return
		}
		key := parent.Get(0)
		ps, ok := parents[key]
		if !ok {
			ps = parent
			parents[key] = ps
		}
		scores[ps] += textLen(p)
		if scores[ps] > best {
			best, bestSel = scores[ps], ps
		}
	})
	if bestSel != nil && best >= 200 && best*2 >= total {
		return bestSel
	}
	return body
}

func textLen(s *goquery.Selection) int {
	return len(strings.Join(strings.Fields(s.Text()), " "))
}
