// Package schemaorg reads product offers from the schema.org Product
// JSON-LD of a shop's pages: a single product page, or the product pages
// listed in the site's sitemap. It is the fallback for shops without a feed
// or API connector.
package schemaorg

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// DefaultMaxPages is how many sitemap pages one run reads at most.
const DefaultMaxPages = 1000

// Config configures the schema.org connector.
type Config struct {
	// Fetcher reads pages; required.
	Fetcher *connectors.Fetcher
	// MaxPages caps the pages read from the sitemap (default DefaultMaxPages).
	MaxPages int
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// Connector implements ragkb.Connector for offers with source schema_org.
type Connector struct {
	f        *connectors.Fetcher
	maxPages int
	log      *slog.Logger
}

// New returns a schema.org product connector.
func New(cfg Config) *Connector {
	return &Connector{f: cfg.Fetcher, maxPages: cmp.Or(cfg.MaxPages, DefaultMaxPages),
		log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))}
}

// Fetch reads r.Offers.URL: when that page describes products, only it;
// otherwise the product pages of the site's sitemap.
func (c *Connector) Fetch(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	if r.Offers == nil || strings.TrimSpace(r.Offers.URL) == "" {
		return nil, ragkb.Invalid("offers.url", "is required: a product page or the shop address")
	}
	if c.f == nil {
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Fetching web pages is not configured on this server")
	}
	start := strings.TrimSpace(r.Offers.URL)
	res := &ragkb.FetchResult{}
	prods, err := c.page(ctx, start)
	if err != nil {
		return nil, fmt.Errorf("schemaorg: %w", err)
	}
	if len(prods) == 0 {
		sm, err := c.f.Sitemap(ctx, start, c.maxPages*4)
		if err != nil {
			return nil, ragkb.Errorf(ragkb.EINVALID, "No schema.org product data was found on %s and its sitemap could not be read", start)
		}
		res.Warnings = append(res.Warnings, sm.Warnings...)
		res.Incomplete = append(res.Incomplete, sm.Incomplete...)
		pages := sm.Pages
		seen := map[string]bool{}
		for _, u := range productFirst(pages, c.maxPages) {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("schemaorg: %w", err)
			}
			ps, err := c.page(ctx, u)
			if err != nil {
				res.Warnings = append(res.Warnings, ragkb.ErrorMessage(err))
				res.Unread = append(res.Unread, connectors.WithoutFragment(u))
				res.Skipped++
				continue
			}
			for _, p := range ps {
				if !seen[p.SourceID] {
					seen[p.SourceID] = true
					prods = append(prods, p)
				}
			}
		}
	}
	if len(prods) == 0 {
		return nil, ragkb.Errorf(ragkb.EINVALID, "No schema.org product data was found on %s or the pages of its sitemap", start)
	}
	for _, p := range prods {
		p.Language = cmp.Or(r.Language, p.Language)
		res.Documents = append(res.Documents, p.Document())
	}
	return res, nil
}

func (c *Connector) page(ctx context.Context, u string) ([]connectors.Product, error) {
	resp, err := c.f.Fetch(ctx, connectors.Request{URL: u, Accept: "text/html,application/xhtml+xml", Conditional: true})
	if err != nil {
		return nil, err
	}
	doc, err := connectors.ParseHTML(resp)
	if err != nil {
		return nil, err
	}
	prods := Products(doc, resp.URL)
	lang := connectors.PageLanguage(doc)
	for i := range prods {
		prods[i].Language = lang
	}
	return prods, nil
}

// productFirst orders sitemap pages so that likely product pages come
// first, and keeps at most limit.
func productFirst(pages []connectors.SitemapURL, limit int) []string {
	var first, rest []string
	for _, p := range pages {
		l := strings.ToLower(p.Loc)
		if strings.Contains(l, "product") || strings.Contains(l, "produkt") || strings.Contains(l, "/p/") ||
			strings.Contains(l, "/item") || strings.Contains(l, "/oferta") || strings.HasSuffix(l, ".html") {
			first = append(first, p.Loc)
		} else {
			rest = append(rest, p.Loc)
		}
	}
	out := append(first, rest...)
	return out[:min(len(out), limit)]
}
