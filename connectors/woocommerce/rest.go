package woocommerce

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// restProduct is a product of the REST API v3 (prices in major units).
type restProduct struct {
	ID               json.Number `json:"id"`
	Name             string      `json:"name"`
	Permalink        string      `json:"permalink"`
	Status           string      `json:"status"`
	SKU              string      `json:"sku"`
	Price            string      `json:"price"`
	RegularPrice     string      `json:"regular_price"`
	SalePrice        string      `json:"sale_price"`
	OnSale           bool        `json:"on_sale"`
	StockStatus      string      `json:"stock_status"`
	StockQuantity    *int        `json:"stock_quantity"`
	ShortDescription string      `json:"short_description"`
	Description      string      `json:"description"`
	Images           []struct {
		Src string `json:"src"`
	} `json:"images"`
	Categories []struct {
		Name string `json:"name"`
	} `json:"categories"`
	Attributes []struct {
		Name    string   `json:"name"`
		Options []string `json:"options"`
	} `json:"attributes"`
}

// rest reads published products through the REST API v3 with a consumer
// key and secret ("ck_...:cs_..."), sent with Basic auth over HTTPS only.
func (c *Connector) rest(ctx context.Context, base, token, lang string) (*ragkb.FetchResult, error) {
	key, secret, ok := strings.Cut(token, ":")
	if !ok || key == "" || secret == "" {
		return nil, ragkb.Invalid("offers.token", "must be the REST API key as consumer_key:consumer_secret (ck_...:cs_...)")
	}
	if !strings.HasPrefix(base, "https://") {
		return nil, ragkb.Invalid("offers.url", "must start with https:// when a WooCommerce API key is given (the key would travel unencrypted)")
	}
	hdr := http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))}}
	get := func(u string) (*connectors.Response, error) {
		resp, err := c.f.Fetch(ctx, connectors.Request{URL: u, Accept: "application/json", Headers: hdr, API: true})
		switch connectors.StatusOf(err) {
		case 0:
			return resp, nil
		case http.StatusUnauthorized, http.StatusForbidden:
			return nil, &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Err: err,
				Message: "WooCommerce rejected the API key: create a REST API key with Read access"}
		case http.StatusNotFound:
			return nil, notWoo(base, err)
		}
		return nil, err
	}
	currency := ""
	if resp, err := get(base + "/wp-json/wc/v3/data/currencies/current"); err == nil {
		var cur struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal(resp.Body, &cur)
		currency = cur.Code
	} else if ragkb.ErrorCodeOf(err) == ragkb.EUNAUTHORIZED {
		return nil, err
	}
	res := &ragkb.FetchResult{}
	seen := map[string]bool{}
	for page, total := 1, 1; page <= total && page <= maxPages; page++ {
		resp, err := get(fmt.Sprintf("%s/wp-json/wc/v3/products?status=publish&per_page=%d&page=%d", base, c.perPage, page))
		if err != nil {
			return nil, fmt.Errorf("woocommerce: list products: %w", err)
		}
		var items []restProduct
		if resp.ContentType != "application/json" || json.Unmarshal(resp.Body, &items) != nil {
			return nil, notWoo(base, errors.New("content type "+resp.ContentType))
		}
		if n, err := strconv.Atoi(resp.Header.Get("X-WP-TotalPages")); err == nil {
			total = n
		} else if len(items) == c.perPage {
			total = page + 1
		}
		for _, it := range items {
			id := it.ID.String()
			if id == "" || it.Name == "" || seen[id] || (it.Status != "" && it.Status != "publish") {
				continue
			}
			seen[id] = true
			p := restToProduct(it, currency)
			p.Language = lang
			res.Documents = append(res.Documents, p.Document())
		}
	}
	return res, nil
}

func restToProduct(it restProduct, currency string) connectors.Product {
	price, _ := connectors.NormalizePrice(it.Price)
	sale := ""
	if reg, ok := connectors.NormalizePrice(it.RegularPrice); ok && it.OnSale && reg != price {
		sale = price
		price = reg
	}
	off := ragkb.Offer{ID: it.ID.String(), Price: price, SalePrice: sale, Currency: currency, SKU: it.SKU,
		Availability: connectors.NormalizeAvailability(it.StockStatus)}
	if len(it.Images) > 0 {
		off.ImageURL = it.Images[0].Src
	}
	var details []string
	if it.StockQuantity != nil && *it.StockQuantity > 0 {
		details = append(details, fmt.Sprintf("%d in stock", *it.StockQuantity))
	}
	for _, a := range it.Attributes {
		if a.Name != "" && len(a.Options) > 0 {
			details = append(details, a.Name+": "+strings.Join(a.Options, ", "))
		}
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
