// Package woocommerce reads a WooCommerce store's products into
// ragkb.DocOffer documents: through the public Store API
// (/wp-json/wc/store/v1/products, paged with X-WP-TotalPages; prices are
// minor-unit strings, "1105" with currency_minor_unit 2 is 11.05) or, when a
// REST API key "ck_...:cs_..." is given as the token, through the REST API v3
// (published products only, prices in major units, stock status).
package woocommerce

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// Store API limits.
const (
	PerPage  = 100
	maxPages = 1000
)

// Config configures the WooCommerce connector.
type Config struct {
	// Fetcher performs the requests; required.
	Fetcher *connectors.Fetcher
	// PerPage is the page size, 1..100 (default 100).
	PerPage int
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// Connector implements ragkb.Connector for offers with source woocommerce.
type Connector struct {
	f       *connectors.Fetcher
	perPage int
	log     *slog.Logger
}

// New returns a WooCommerce connector.
func New(cfg Config) *Connector {
	return &Connector{f: cfg.Fetcher, perPage: min(cmp.Or(cfg.PerPage, PerPage), PerPage),
		log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))}
}

type prices struct {
	Price             string `json:"price"`
	RegularPrice      string `json:"regular_price"`
	SalePrice         string `json:"sale_price"`
	CurrencyCode      string `json:"currency_code"`
	CurrencyMinorUnit int    `json:"currency_minor_unit"`
	PriceRange        *struct {
		MinAmount string `json:"min_amount"`
		MaxAmount string `json:"max_amount"`
	} `json:"price_range"`
}

type storeProduct struct {
	ID               json.Number `json:"id"`
	Name             string      `json:"name"`
	Permalink        string      `json:"permalink"`
	SKU              string      `json:"sku"`
	ShortDescription string      `json:"short_description"`
	Description      string      `json:"description"`
	OnSale           bool        `json:"on_sale"`
	Prices           prices      `json:"prices"`
	Images           []struct {
		Src string `json:"src"`
		Alt string `json:"alt"`
	} `json:"images"`
	Categories []struct {
		Name string `json:"name"`
	} `json:"categories"`
	Brands []struct {
		Name string `json:"name"`
	} `json:"brands"`
	IsInStock         *bool `json:"is_in_stock"`
	IsOnBackorder     bool  `json:"is_on_backorder"`
	StockAvailability struct {
		Text  string `json:"text"`
		Class string `json:"class"`
	} `json:"stock_availability"`
	Attributes []struct {
		Name  string `json:"name"`
		Terms []struct {
			Name string `json:"name"`
		} `json:"terms"`
	} `json:"attributes"`
}

// Fetch reads every published product of the store.
func (c *Connector) Fetch(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	if r.Offers == nil || strings.TrimSpace(r.Offers.URL) == "" {
		return nil, ragkb.Invalid("offers.url", "is required: the store address, e.g. https://shop.example")
	}
	if c.f == nil {
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Fetching offers is not configured on this server")
	}
	u, err := connectors.ParseURL(r.Offers.URL)
	if err != nil {
		return nil, ragkb.Invalid("offers.url", "%s", ragkb.ErrorMessage(err))
	}
	base := strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/")
	base = strings.TrimSuffix(base, "/wp-json/wc/store/v1/products")
	if tok := strings.TrimSpace(r.Offers.Token); tok != "" {
		return c.rest(ctx, base, tok, r.Language)
	}
	res := &ragkb.FetchResult{}
	seen := map[string]bool{}
	for page, total := 1, 1; page <= total && page <= maxPages; page++ {
		pu := fmt.Sprintf("%s/wp-json/wc/store/v1/products?page=%d&per_page=%d", base, page, c.perPage)
		resp, err := c.f.Fetch(ctx, connectors.Request{URL: pu, Accept: "application/json"})
		if err != nil {
			if page == 1 && connectors.StatusOf(err) == http.StatusNotFound {
				return nil, notWoo(base, err)
			}
			return nil, fmt.Errorf("woocommerce: list products: %w", err)
		}
		var items []storeProduct
		if resp.ContentType != "application/json" || json.Unmarshal(resp.Body, &items) != nil {
			return nil, notWoo(base, errors.New("content type "+resp.ContentType))
		}
		if n, err := strconv.Atoi(resp.Header.Get("X-WP-TotalPages")); err == nil {
			total = n
			if page <= total && len(items) == 0 {
				// A store may cap per_page below ours, so a short page is
				// normal; an empty page before the announced last is not.
				res.Incomplete = append(res.Incomplete, fmt.Sprintf("The WooCommerce product list ended early: page %d of the %d announced was empty", page, total))
				break
			}
		} else if len(items) == c.perPage {
			total = page + 1 // no header: continue until a short page
		}
		for _, it := range items {
			id := it.ID.String()
			if id == "" || it.Name == "" || seen[id] {
				continue
			}
			seen[id] = true
			p := toProduct(it)
			p.Language = r.Language
			res.Documents = append(res.Documents, p.Document())
		}
	}
	return res, nil
}

func notWoo(u string, err error) error {
	return &ragkb.Error{Code: ragkb.EINVALID, Field: "offers.url", Err: err,
		Message: u + " does not look like a WooCommerce store (no Store API at /wp-json/wc/store/v1/products)"}
}

func toProduct(it storeProduct) connectors.Product {
	pr := it.Prices
	conv := func(s string) string {
		v, _ := connectors.MinorUnits(s, pr.CurrencyMinorUnit)
		return v
	}
	price, sale := conv(pr.Price), ""
	if reg := conv(pr.RegularPrice); reg != "" && it.OnSale && reg != price {
		price, sale = reg, conv(pr.SalePrice)
		if sale == "" {
			sale = conv(pr.Price)
		}
	}
	var details []string
	if r := pr.PriceRange; r != nil && r.MinAmount != "" && r.MinAmount != r.MaxAmount {
		details = append(details, fmt.Sprintf("Price range: %s to %s %s", conv(r.MinAmount), conv(r.MaxAmount), pr.CurrencyCode))
		if price == "" {
			price = conv(r.MinAmount)
		}
	}
	for _, a := range it.Attributes {
		var terms []string
		for _, t := range a.Terms {
			terms = append(terms, t.Name)
		}
		if a.Name != "" && len(terms) > 0 {
			details = append(details, a.Name+": "+strings.Join(terms, ", "))
		}
	}
	off := ragkb.Offer{ID: it.ID.String(), Price: price, SalePrice: sale, Currency: pr.CurrencyCode, SKU: it.SKU}
	switch {
	case it.IsOnBackorder || strings.Contains(it.StockAvailability.Class, "backorder"):
		off.Availability = "backorder"
	case it.IsInStock != nil && *it.IsInStock:
		off.Availability = "in_stock"
	case it.IsInStock != nil:
		off.Availability = "out_of_stock"
	}
	if len(it.Images) > 0 {
		off.ImageURL = it.Images[0].Src
	}
	if len(it.Brands) > 0 {
		off.Brand = it.Brands[0].Name
	}
	var cats []string
	for _, c := range it.Categories {
		cats = append(cats, connectors.HTMLText(c.Name))
	}
	desc := connectors.HTMLText(it.Description)
	if short := connectors.HTMLText(it.ShortDescription); short != "" && !strings.Contains(desc, short) {
		desc = strings.TrimSpace(short + "\n" + desc)
	}
	return connectors.Product{
		SourceID:    it.ID.String(),
		Name:        connectors.HTMLText(it.Name),
		URL:         it.Permalink,
		Description: desc,
		Category:    strings.Join(cats, ", "),
		Offer:       off,
		Details:     details,
	}
}
