// Package googlefeed reads a Google Merchant Center product feed (RSS 2.0,
// Atom or TSV, as exported by PrestaShop, Magento, Shopware, Shoper and most
// shop platforms) into one ragkb.DocOffer document per product. The feed is
// complete: a product missing from it is gone.
package googlefeed

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// MaxFeedBytes caps a feed download.
const MaxFeedBytes = 200 << 20

// Config configures the feed connector.
type Config struct {
	// Fetcher downloads feeds; required.
	Fetcher *connectors.Fetcher
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// Connector implements ragkb.Connector for offers with source google_feed.
type Connector struct {
	f   *connectors.Fetcher
	log *slog.Logger
}

// New returns a Google feed connector.
func New(cfg Config) *Connector {
	return &Connector{f: cfg.Fetcher, log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))}
}

// Fetch downloads and parses the feed at r.Offers.URL. The feed is a file
// the merchant pointed at, not a crawl, so robots.txt does not apply.
func (c *Connector) Fetch(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	if r.Offers == nil || strings.TrimSpace(r.Offers.URL) == "" {
		return nil, ragkb.Invalid("offers.url", "is required")
	}
	if c.f == nil {
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Fetching feeds is not configured on this server")
	}
	u := strings.TrimSpace(r.Offers.URL)
	resp, err := c.f.Fetch(ctx, connectors.Request{URL: u, API: true, Conditional: true, MaxBodyBytes: MaxFeedBytes,
		Accept: "application/rss+xml, application/atom+xml, application/xml, text/xml, text/tab-separated-values, text/plain, */*"})
	if err != nil {
		return nil, fmt.Errorf("googlefeed: fetch: %w", err)
	}
	feed, err := ParseContent(resp.Body, resp.Header.Get("Content-Type"))
	if errors.Is(err, ErrNotFeed) {
		return nil, &ragkb.Error{Code: ragkb.EINVALID, Field: "offers.url", Err: err,
			Message: "The file at " + u + " is not a Google product feed (RSS, Atom or TSV with an id and title column)"}
	}
	if err != nil {
		return nil, fmt.Errorf("googlefeed: parse: %w", err)
	}
	res := &ragkb.FetchResult{Skipped: len(feed.Skipped)}
	if feed.Incomplete != "" {
		res.Incomplete = append(res.Incomplete, "The feed at "+u+" was read only in part: "+feed.Incomplete)
	}
	for _, s := range feed.Skipped {
		res.Warnings = append(res.Warnings, "Feed: "+s)
	}
	seen := map[string]bool{}
	for _, it := range feed.Items {
		if seen[it.ID] {
			res.Warnings = append(res.Warnings, "Feed: product id "+it.ID+" appears more than once; the first is used")
			res.Skipped++
			continue
		}
		seen[it.ID] = true
		p := it.Product(r.Language)
		p.Language = r.Language
		res.Documents = append(res.Documents, p.Document())
	}
	if len(res.Documents) == 0 {
		return nil, ragkb.Errorf(ragkb.EINVALID, "The feed at %s has no products", u)
	}
	c.log.DebugContext(ctx, "feed read", "url", u, "format", feed.Format, "items", len(res.Documents))
	return res, nil
}

func connectorsOffer(it Item, price, sale, cur, delivery string) ragkb.Offer {
	return ragkb.Offer{
		ID:           it.ID,
		Price:        price,
		SalePrice:    sale,
		Currency:     cur,
		Availability: connectors.NormalizeAvailability(it.Availability),
		Condition:    connectors.NormalizeCondition(it.Condition),
		Delivery:     delivery,
		Brand:        it.Brand,
		SKU:          it.MPN,
		GTIN:         it.GTIN,
		ImageURL:     it.ImageLink,
	}
}
