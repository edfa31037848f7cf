// Package policy reads a merchant policy (returns, shipping, privacy, terms),
// given inline as text, markdown or HTML or by the URL of its page, and
// splits it into one ragkb.DocPage document per section.
package policy

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// Config configures the policy connector.
type Config struct {
	// Fetcher reads policies given by URL; nil makes URL policies unavailable
	// (inline content still works).
	Fetcher *connectors.Fetcher
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// Connector implements ragkb.Connector for policy resources.
type Connector struct {
	f   *connectors.Fetcher
	log *slog.Logger
}

// New returns a policy connector.
func New(cfg Config) *Connector {
	return &Connector{f: cfg.Fetcher, log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))}
}

// Fetch reads the resource's policy into section documents.
func (c *Connector) Fetch(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	p := r.Policy
	if p == nil {
		return nil, ragkb.Invalid("policy", "is required for a policy resource")
	}
	if strings.TrimSpace(p.Content) == "" {
		if strings.TrimSpace(p.URL) != "" {
			return c.fetchURL(ctx, r)
		}
		return nil, ragkb.Invalid("policy.content", "is required when policy.url is not given")
	}
	secs, err := Sections(p.Title, p.Content, p.Format)
	if err != nil {
		return nil, fmt.Errorf("policy: split sections: %w", err)
	}
	if len(secs) == 0 {
		return nil, ragkb.Invalid("policy.content", "has no text")
	}
	return &ragkb.FetchResult{Documents: Documents(secs, "", r.Language)}, nil
}

// fetchURL reads a policy page: its main content only, split at h1-h4.
func (c *Connector) fetchURL(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	if c.f == nil {
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Fetching web pages is not configured on this server; paste the policy text instead")
	}
	u := strings.TrimSpace(r.Policy.URL)
	resp, err := c.f.Fetch(ctx, connectors.Request{URL: u, Accept: "text/html,application/xhtml+xml", Conditional: true})
	if err != nil {
		return nil, fmt.Errorf("policy: fetch: %w", err)
	}
	doc, err := connectors.ParseHTML(resp)
	if err != nil {
		return nil, fmt.Errorf("policy: parse: %w", err)
	}
	secs := PageSections(r.Policy.Title, doc)
	if len(secs) == 0 {
		return nil, ragkb.Errorf(ragkb.EINVALID, "No policy text was found on %s", resp.URL)
	}
	lang := cmp.Or(r.Language, connectors.PageLanguage(doc))
	return &ragkb.FetchResult{Documents: Documents(secs, resp.URL, lang)}, nil
}

// PageSections splits a policy page's main content (navigation, headers,
// footers, sidebars, forms and cookie banners removed) into sections. The
// title defaults to the page's h1 or <title>. doc is modified.
func PageSections(title string, doc *goquery.Document) []Section {
	title = cmp.Or(strings.TrimSpace(title), connectors.PageTitle(doc), DefaultTitle)
	return FromBlocks(title, connectors.Blocks(connectors.MainContent(doc), 4))
}

// Documents turns sections into DocPage documents. pageURL (may be empty) is
// the citation link; a section with an anchor links to pageURL#anchor.
// SourceIDs are "section:<heading slug>" made unique by a "-2", "-3" suffix.
func Documents(secs []Section, pageURL, lang string) []*ragkb.Document {
	seen := map[string]int{}
	docs := make([]*ragkb.Document, 0, len(secs))
	for _, s := range secs {
		id := Slug(s.Heading)
		if id == "" {
			id = "intro"
		}
		seen[id]++
		if n := seen[id]; n > 1 {
			id = fmt.Sprintf("%s-%d", id, n)
		}
		u := pageURL
		if u != "" && s.Anchor != "" {
			u = strings.SplitN(u, "#", 2)[0] + "#" + s.Anchor
		}
		d := &ragkb.Document{
			SourceID: "section:" + id,
			Kind:     ragkb.DocPage,
			Title:    s.Title,
			URL:      u,
			Text:     s.Text,
			Language: lang,
		}
		d.ComputeHash()
		docs = append(docs, d)
	}
	return docs
}
