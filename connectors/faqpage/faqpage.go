// Package faqpage reads the questions and answers of a merchant's FAQ page
// (and optionally of the other pages listed in the site's sitemap) into one
// approved ragkb.DocQA document per pair. It recognises schema.org FAQPage
// JSON-LD and microdata, the FAQ blocks of Yoast, Rank Math, Elementor and
// Shopify's Dawn theme, native details/summary and dl/dt/dd, and falls back
// to headings that end in a question mark.
package faqpage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// Page limits of a sitemap crawl.
const (
	DefaultMaxPages = 50
	MaxPages        = 500
)

// Config configures the FAQ connector.
type Config struct {
	// Fetcher reads pages; required.
	Fetcher *connectors.Fetcher
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// Connector implements ragkb.Connector for faq_page resources.
type Connector struct {
	f   *connectors.Fetcher
	log *slog.Logger
}

// New returns a FAQ page connector.
func New(cfg Config) *Connector {
	return &Connector{f: cfg.Fetcher, log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))}
}

// Fetch reads the resource's FAQ page (and, with sitemap, up to max_pages
// pages of the same site).
func (c *Connector) Fetch(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	spec := r.FAQPage
	if spec == nil || strings.TrimSpace(spec.URL) == "" {
		return nil, ragkb.Invalid("faq_page.url", "is required")
	}
	if c.f == nil {
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Fetching web pages is not configured on this server")
	}
	start := strings.TrimSpace(spec.URL)
	if _, err := connectors.ParseURL(start); err != nil {
		var e *ragkb.Error
		if errors.As(err, &e) {
			return nil, ragkb.Invalid("faq_page.url", "%s", e.Message)
		}
		return nil, err
	}
	pages := []string{start}
	res := &ragkb.FetchResult{}
	if spec.Sitemap {
		limit := min(cmp.Or(spec.MaxPages, DefaultMaxPages), MaxPages)
		sm, err := c.f.Sitemap(ctx, start, MaxPages*4)
		if err != nil {
			res.Warnings = append(res.Warnings, ragkb.ErrorMessage(err))
			res.Incomplete = append(res.Incomplete, ragkb.ErrorMessage(err))
		}
		var found []connectors.SitemapURL
		if sm != nil {
			res.Warnings = append(res.Warnings, sm.Warnings...)
			res.Incomplete = append(res.Incomplete, sm.Incomplete...)
			found = sm.Pages
		}
		pages = crawlOrder(start, found, limit)
	}
	var firstErr error
	empty := []string{}
	// Sites repeat FAQ blocks (shipping, returns) on many pages: keep the
	// first copy of a question with the same answer.
	seen := map[string]bool{}
	for _, p := range pages {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("faqpage: fetch: %w", err)
		}
		docs, missing, err := c.page(ctx, p, p != start)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("faqpage: fetch %s: %w", p, err)
			}
			firstErr = cmp.Or(firstErr, err)
			res.Warnings = append(res.Warnings, ragkb.ErrorMessage(err))
			res.Unread = append(res.Unread, connectors.WithoutFragment(p))
			res.Skipped++
			continue
		}
		if len(docs) == 0 {
			empty = append(empty, p)
			continue
		}
		if len(missing) > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("On %s %d questions and answers were read, but the page shows %d more questions that could not be paired with an answer: %s",
				p, len(docs), len(missing), quoteList(missing, 3)))
		}
		for _, d := range docs {
			key := NormalizeQuestion(d.Title) + "\x00" + d.Text
			if seen[key] {
				continue
			}
			seen[key] = true
			if r.Language != "" {
				d.Language = r.Language
			}
			d.ComputeHash()
			res.Documents = append(res.Documents, d)
		}
	}
	if len(res.Documents) == 0 {
		if firstErr != nil && len(pages) == 1 {
			return nil, fmt.Errorf("faqpage: %w", firstErr)
		}
		return nil, ragkb.Errorf(ragkb.EINVALID, "No questions and answers were found on %s", start)
	}
	if slices.Contains(empty, start) {
		res.Warnings = append(res.Warnings, "No questions and answers were found on "+start)
	}
	return res, nil
}

// crawlOrder puts the start page first, then pages whose address suggests
// a FAQ or help page, then the rest in sitemap order, up to limit.
func crawlOrder(start string, found []connectors.SitemapURL, limit int) []string {
	out := []string{start}
	seen := map[string]bool{strings.TrimSuffix(start, "/"): true}
	var faq, rest []string
	for _, p := range found {
		key := strings.TrimSuffix(p.Loc, "/")
		if seen[key] {
			continue
		}
		seen[key] = true
		if faqLike(p.Loc) {
			faq = append(faq, p.Loc)
		} else {
			rest = append(rest, p.Loc)
		}
	}
	out = append(out, faq...)
	out = append(out, rest...)
	return out[:min(len(out), limit)]
}

func faqLike(u string) bool {
	u = strings.ToLower(u)
	for _, w := range []string{"faq", "help", "question", "pytania", "pomoc", "hilfe", "fragen", "support", "shipping", "delivery", "returns", "dostawa", "zwrot"} {
		if strings.Contains(u, w) {
			return true
		}
	}
	return false
}

// page fetches one page and turns its pairs into documents. On pages the
// crawl found by itself (strict), a bare details/summary only counts when
// its summary is a question: product pages use them for specifications.
func (c *Connector) page(ctx context.Context, pageURL string, strict bool) ([]*ragkb.Document, []string, error) {
	resp, err := c.f.Fetch(ctx, connectors.Request{URL: pageURL, Accept: "text/html,application/xhtml+xml", Conditional: true})
	if err != nil {
		return nil, nil, err
	}
	doc, err := connectors.ParseHTML(resp)
	if err != nil {
		return nil, nil, err
	}
	lang := connectors.PageLanguage(doc)
	pairs := Extract(doc)
	if strict {
		pairs = slices.DeleteFunc(pairs, func(p Pair) bool {
			return p.Method == "details" && !endsWithQuestionMark(p.Question)
		})
	}
	c.log.DebugContext(ctx, "faq page read", "url", resp.URL, "pairs", len(pairs))
	var missing []string
	if len(pairs) > 0 {
		missing = Missing(doc, pairs)
	}
	return Documents(pageURL, lang, pairs), missing, nil
}

// quoteList quotes the first n items of list ("…" when there are more).
func quoteList(list []string, n int) string {
	var q []string
	for i, s := range list {
		if i == n {
			q = append(q, "…")
			break
		}
		q = append(q, strconv.Quote(s))
	}
	return strings.Join(q, ", ")
}

// Documents turns pairs into DocQA documents (without hashes). SourceID is
// the page URL (fragment removed) + "#q=" + the normalised question.
func Documents(pageURL, lang string, pairs []Pair) []*ragkb.Document {
	base := pageURL
	if u, err := url.Parse(pageURL); err == nil {
		u.Fragment = ""
		base = u.String()
	}
	docs := make([]*ragkb.Document, 0, len(pairs))
	for _, p := range pairs {
		link := base
		if p.Anchor != "" {
			link = base + "#" + url.PathEscape(p.Anchor)
		}
		docs = append(docs, &ragkb.Document{
			SourceID: base + "#q=" + NormalizeQuestion(p.Question),
			Kind:     ragkb.DocQA,
			Title:    p.Question,
			URL:      link,
			Text:     p.Answer,
			Language: lang,
		})
	}
	return docs
}
