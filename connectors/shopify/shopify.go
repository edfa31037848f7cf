// Package shopify reads a Shopify store's products into ragkb.DocOffer
// documents: from the public storefront (/products.json, paged by page
// number, no token) or, when an Admin API access token is given, from the
// Admin REST API (cursor paging through the Link header, active products only).
package shopify

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// Defaults.
const (
	DefaultAPIVersion = "2025-07"
	PageSize          = 250
	// MaxPublicProducts is where Shopify stops serving page-numbered
	// results (page*limit over 25,000 answers 400).
	MaxPublicProducts = 25000
	maxVariantsShown  = 20
)

// Config configures the Shopify connector.
type Config struct {
	// Fetcher performs the requests; required.
	Fetcher *connectors.Fetcher
	// APIVersion is the Admin API version (default DefaultAPIVersion).
	APIVersion string
	// PageSize is the page limit, 1..250 (default 250).
	PageSize int
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// Connector implements ragkb.Connector for offers with source shopify.
type Connector struct {
	f          *connectors.Fetcher
	apiVersion string
	pageSize   int
	log        *slog.Logger
}

// New returns a Shopify connector.
func New(cfg Config) *Connector {
	return &Connector{f: cfg.Fetcher, apiVersion: cmp.Or(cfg.APIVersion, DefaultAPIVersion),
		pageSize: min(cmp.Or(cfg.PageSize, PageSize), PageSize),
		log:      cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))}
}

// product is the shape shared by the storefront and Admin APIs.
type product struct {
	ID          json.Number     `json:"id"`
	Title       string          `json:"title"`
	Handle      string          `json:"handle"`
	BodyHTML    string          `json:"body_html"`
	Vendor      string          `json:"vendor"`
	ProductType string          `json:"product_type"`
	Tags        json.RawMessage `json:"tags"` // []string (storefront) or "a, b" (Admin)
	Status      string          `json:"status"`
	Variants    []struct {
		ID                json.Number `json:"id"`
		Title             string      `json:"title"`
		SKU               string      `json:"sku"`
		Barcode           string      `json:"barcode"`
		Available         *bool       `json:"available"`
		Price             string      `json:"price"`
		CompareAtPrice    *string     `json:"compare_at_price"`
		InventoryQuantity *int        `json:"inventory_quantity"`
		InventoryPolicy   string      `json:"inventory_policy"`
		InventoryMgmt     *string     `json:"inventory_management"`
	} `json:"variants"`
	Images []struct {
		Src string `json:"src"`
	} `json:"images"`
}

type productsPage struct {
	Products []product `json:"products"`
}

// Fetch reads the store's products.
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
	base := u.Scheme + "://" + u.Host
	var products []product
	var currency string
	if tok := strings.TrimSpace(r.Offers.Token); tok != "" {
		products, currency, err = c.admin(ctx, base, tok)
	} else {
		products, currency, err = c.storefront(ctx, base, collectionPath(u.Path))
	}
	if err != nil {
		return nil, err
	}
	res := &ragkb.FetchResult{}
	for _, p := range products {
		if p.Status != "" && p.Status != "active" {
			continue
		}
		if p.ID.String() == "" || p.Title == "" {
			res.Skipped++
			res.Warnings = append(res.Warnings, "A Shopify product without an id or title was skipped")
			continue
		}
		pr := toProduct(p, base, currency)
		pr.Language = r.Language
		res.Documents = append(res.Documents, pr.Document())
	}
	return res, nil
}

func notShopify(u string, err error) error {
	return &ragkb.Error{Code: ragkb.EINVALID, Field: "offers.url", Err: err,
		Message: u + " does not look like a Shopify store (no product list at /products.json)"}
}

// collectionPath returns "/collections/<handle>" when the store URL names a
// collection other than "all", so that only its products are read.
func collectionPath(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) >= 2 && parts[0] == "collections" && parts[1] != "" && parts[1] != "all" {
		return "/collections/" + url.PathEscape(parts[1])
	}
	return ""
}

// storefront pages through the public /products.json (of the whole store
// or of one collection) until a short page.
func (c *Connector) storefront(ctx context.Context, base, collection string) ([]product, string, error) {
	var all []product
	for page := 1; page*c.pageSize <= MaxPublicProducts; page++ {
		u := fmt.Sprintf("%s%s/products.json?limit=%d&page=%d", base, collection, c.pageSize, page)
		resp, err := c.f.Fetch(ctx, connectors.Request{URL: u, Accept: "application/json"})
		if err != nil {
			if page == 1 && (connectors.StatusOf(err) == http.StatusNotFound || connectors.StatusOf(err) == http.StatusUnauthorized) {
				return nil, "", notShopify(base, err)
			}
			return nil, "", fmt.Errorf("shopify: list products: %w", err)
		}
		var p productsPage
		if resp.ContentType != "application/json" || json.Unmarshal(resp.Body, &p) != nil || p.Products == nil {
			return nil, "", notShopify(base, errors.New("content type "+resp.ContentType))
		}
		all = append(all, p.Products...)
		if len(p.Products) < c.pageSize {
			break
		}
	}
	return all, c.storefrontCurrency(ctx, base), nil
}

// storefrontCurrency reads the shop currency from /meta.json (products.json
// has none); "" when unavailable.
func (c *Connector) storefrontCurrency(ctx context.Context, base string) string {
	resp, err := c.f.Fetch(ctx, connectors.Request{URL: base + "/meta.json", Accept: "application/json"})
	if err != nil {
		c.log.DebugContext(ctx, "shopify: no meta.json", "err", err)
		return ""
	}
	var m struct {
		Currency string `json:"currency"`
	}
	_ = json.Unmarshal(resp.Body, &m)
	return m.Currency
}

var nextLink = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="?next"?`)

// admin pages through the Admin API with the Link header cursor.
func (c *Connector) admin(ctx context.Context, base, token string) ([]product, string, error) {
	hdr := http.Header{"X-Shopify-Access-Token": {token}}
	api := base + "/admin/api/" + c.apiVersion
	get := func(u string) (*connectors.Response, error) {
		resp, err := c.f.Fetch(ctx, connectors.Request{URL: u, Accept: "application/json", Headers: hdr, API: true})
		switch connectors.StatusOf(err) {
		case 0:
		case http.StatusUnauthorized:
			return nil, &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Err: err, Message: "Shopify rejected the access token (401): create a new Admin API token"}
		case http.StatusForbidden:
			return nil, &ragkb.Error{Code: ragkb.EFORBIDDEN, Err: err, Message: "Shopify denied access (403): the token needs the read_products scope"}
		case http.StatusNotFound:
			return nil, notShopify(base, err)
		}
		return resp, err
	}
	currency := ""
	if resp, err := get(api + "/shop.json"); err == nil {
		var s struct {
			Shop struct {
				Currency string `json:"currency"`
			} `json:"shop"`
		}
		_ = json.Unmarshal(resp.Body, &s)
		currency = s.Shop.Currency
	} else if ragkb.ErrorCodeOf(err) == ragkb.EUNAUTHORIZED || ragkb.ErrorCodeOf(err) == ragkb.EFORBIDDEN {
		return nil, "", err
	}
	var all []product
	next := fmt.Sprintf("%s/products.json?limit=%d&status=active", api, c.pageSize)
	for pages := 0; next != "" && pages < 10000; pages++ {
		resp, err := get(next)
		if err != nil {
			return nil, "", fmt.Errorf("shopify: list products: %w", err)
		}
		var p productsPage
		if err := json.Unmarshal(resp.Body, &p); err != nil {
			return nil, "", notShopify(base, err)
		}
		all = append(all, p.Products...)
		next = ""
		if m := nextLink.FindStringSubmatch(resp.Header.Get("Link")); m != nil {
			if nu, err := url.Parse(m[1]); err == nil && connectors.SameSite(nu.String(), base) {
				next = nu.String()
			}
		}
	}
	return all, currency, nil
}

func toProduct(p product, base, currency string) connectors.Product {
	var price, sale, sku, gtin string
	var lowest float64 = -1
	available, known := false, false
	var variants []string
	for _, v := range p.Variants {
		vp, ok := connectors.NormalizePrice(v.Price)
		avail := variantAvailable(v.Available, v.InventoryQuantity, v.InventoryPolicy, v.InventoryMgmt)
		if avail != nil {
			known = true
			available = available || *avail
		}
		if ok {
			f, _ := strconv.ParseFloat(vp, 64)
			if lowest < 0 || f < lowest {
				lowest, price, sale = f, vp, ""
				if v.CompareAtPrice != nil {
					if cp, ok := connectors.NormalizePrice(*v.CompareAtPrice); ok {
						if cf, _ := strconv.ParseFloat(cp, 64); cf > f {
							price, sale = cp, vp
						}
					}
				}
			}
		}
		if len(p.Variants) > 1 && v.Title != "" && len(variants) < maxVariantsShown {
			s := v.Title
			if ok {
				s += " — " + strings.TrimSpace(vp+" "+currency)
			}
			if avail != nil && !*avail {
				s += " (sold out)"
			}
			variants = append(variants, s)
		}
	}
	if len(p.Variants) == 1 {
		sku, gtin = p.Variants[0].SKU, p.Variants[0].Barcode
	}
	off := ragkb.Offer{ID: p.ID.String(), Price: price, SalePrice: sale, Currency: currency, Brand: p.Vendor, SKU: sku, GTIN: gtin}
	if known {
		off.Availability = "out_of_stock"
		if available {
			off.Availability = "in_stock"
		}
	}
	if len(p.Images) > 0 {
		off.ImageURL = p.Images[0].Src
	}
	var details []string
	if len(variants) > 0 {
		details = append(details, "Options: "+strings.Join(variants, "; "))
	}
	// Tags are the merchant's internal labels ("age:16+", "price:7.99",
	// "format-detail:PDF"): never customer-facing text.
	pr := connectors.Product{
		SourceID:    p.ID.String(),
		Name:        p.Title,
		Description: connectors.HTMLText(p.BodyHTML),
		Category:    p.ProductType,
		Offer:       off,
		Details:     details,
	}
	if p.Handle != "" {
		pr.URL = base + "/products/" + url.PathEscape(p.Handle)
	}
	return pr
}

// variantAvailable: the storefront says "available"; the Admin API gives
// inventory (untracked or "continue" selling counts as available).
func variantAvailable(avail *bool, qty *int, policy string, mgmt *string) *bool {
	if avail != nil {
		return avail
	}
	if qty == nil {
		return nil
	}
	b := *qty > 0 || policy == "continue" || mgmt == nil || *mgmt == ""
	return &b
}
