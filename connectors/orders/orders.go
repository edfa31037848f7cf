// Package orders reads single orders live from the shop's order API
// (Shopify Admin GraphQL, WooCommerce REST v3, Allegro checkout forms) for
// "where is my order?" answers. Orders are never indexed or stored: a lookup
// returns the order's status and shipment, plus the buyer's e-mail, phones
// and postcodes so that the caller can verify the customer before showing
// anything. Every call goes through the SSRF-safe connectors.Fetcher.
package orders

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// Normalised order statuses (the keys of answer templates; ragkb.Order*).
const (
	StatusPending    = ragkb.OrderPending
	StatusPaid       = ragkb.OrderPaid
	StatusProcessing = ragkb.OrderProcessing
	StatusShipped    = ragkb.OrderShipped
	StatusDelivered  = ragkb.OrderDelivered
	StatusCancelled  = ragkb.OrderCancelled
	StatusRefunded   = ragkb.OrderRefunded
)

// Statuses lists every normalised status, in order.
var Statuses = ragkb.OrderStatuses

// Order is one order as the provider reports it (the shared ragkb.Order).
type Order = ragkb.Order

// ErrNotFound is returned when the provider has no such order
// (ragkb.ErrOrderNotFound).
var ErrNotFound = ragkb.ErrOrderNotFound

// Config configures a Client.
type Config struct {
	Fetcher *connectors.Fetcher
	// AllegroAPI is the operator's Allegro API base (RAGKB_ALLEGRO_API_URL;
	// default https://api.allegro.pl). Merchants cannot set it.
	AllegroAPI string
	// ShopifyAPIVersion is the Admin API version (default 2025-01).
	ShopifyAPIVersion string
}

// Client looks orders up in the provider an orders resource names.
type Client struct {
	f          *connectors.Fetcher
	allegro    string
	apiVersion string
}

// DefaultAllegroAPI is Allegro's production API.
const DefaultAllegroAPI = "https://api.allegro.pl"

// New returns a Client.
func New(cfg Config) *Client {
	return &Client{f: cfg.Fetcher, allegro: strings.TrimRight(cmp.Or(cfg.AllegroAPI, DefaultAllegroAPI), "/"),
		apiVersion: cmp.Or(cfg.ShopifyAPIVersion, "2025-01")}
}

// Lookup returns order number of the resource's shop; ErrNotFound when
// there is none. Other errors carry a merchant-readable *ragkb.Error.
func (c *Client) Lookup(ctx context.Context, r *ragkb.Resource, number string) (*Order, error) {
	if r.Orders == nil || c.f == nil {
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "order lookups are not configured")
	}
	number = strings.TrimPrefix(strings.TrimSpace(number), "#")
	if !ValidNumber(number) {
		return nil, ErrNotFound
	}
	switch r.Orders.Source {
	case ragkb.SourceShopify:
		return c.shopifyOrder(ctx, r.Orders, number)
	case ragkb.SourceWooCommerce:
		return c.wooOrder(ctx, r.Orders, number)
	case ragkb.SourceAllegro:
		return c.allegroOrder(ctx, r.Orders, number)
	}
	return nil, unknownSource(r.Orders.Source)
}

// Check makes one cheap authenticated call to prove the connection works
// (the worker's "indexing" of an orders resource).
func (c *Client) Check(ctx context.Context, r *ragkb.Resource) error {
	if r.Orders == nil || c.f == nil {
		return ragkb.Errorf(ragkb.EUNAVAILABLE, "order lookups are not configured")
	}
	switch r.Orders.Source {
	case ragkb.SourceShopify:
		return c.shopifyCheck(ctx, r.Orders)
	case ragkb.SourceWooCommerce:
		return c.wooCheck(ctx, r.Orders)
	case ragkb.SourceAllegro:
		return c.allegroCheck(ctx, r.Orders)
	}
	return unknownSource(r.Orders.Source)
}

// ValidNumber reports whether s can be an order number or id
// (ragkb.ValidOrderNumber).
func ValidNumber(s string) bool { return ragkb.ValidOrderNumber(s) }

func unknownSource(s string) error {
	return ragkb.Invalid("orders.source", "must be shopify, woocommerce or allegro (got %q)", s)
}

// Placeholders are the fields a template may use.
var Placeholders = []string{"{order}", "{carrier}", "{tracking_number}", "{tracking_url}", "{estimated_delivery}"}

var placeholderRe = regexp.MustCompile(`\{[^{}]*\}`)

// MaxTemplateRunes bounds one template.
const MaxTemplateRunes = 1000

// Validate checks an orders spec for the API, naming the field. URLs are
// checked for form here; reachability by the fetcher.
func Validate(o *ragkb.OrdersSpec) error {
	if len(o.Token) > 4096 {
		return ragkb.Invalid("orders.token", "must be at most 4096 characters")
	}
	tok := strings.TrimSpace(o.Token)
	switch o.Source {
	case ragkb.SourceShopify:
		if err := httpsURL("orders.url", o.URL); err != nil {
			return err
		}
		if tok == "" {
			return ragkb.Invalid("orders.token", "is required: an Admin API access token with the read_orders scope")
		}
	case ragkb.SourceWooCommerce:
		if err := httpsURL("orders.url", o.URL); err != nil {
			return err
		}
		if k, s, ok := strings.Cut(tok, ":"); !ok || k == "" || s == "" {
			return ragkb.Invalid("orders.token", "must be the REST API key as consumer_key:consumer_secret (ck_...:cs_...) with Read access")
		}
	case ragkb.SourceAllegro:
		if tok == "" {
			return ragkb.Invalid("orders.token", "is required for Allegro: connect the Allegro account")
		}
		if strings.TrimSpace(o.URL) != "" {
			return ragkb.Invalid("orders.url", "must be empty for Allegro (the API address is set by the operator)")
		}
	case "":
		return ragkb.Invalid("orders.source", "is required: shopify, woocommerce or allegro")
	default:
		return unknownSource(o.Source)
	}
	for status, byLang := range o.Templates {
		known := false
		for _, s := range Statuses {
			known = known || s == status
		}
		if !known {
			return ragkb.Invalid("orders.templates", "%q is not an order status: use %s", status, strings.Join(Statuses, ", "))
		}
		for lang, text := range byLang {
			field := fmt.Sprintf("orders.templates.%s.%s", status, lang)
			if !ragkb.ValidLanguage(lang) {
				return ragkb.Invalid(field, "the key must be an ISO 639-1 language code such as \"en\"")
			}
			if strings.TrimSpace(text) == "" {
				return ragkb.Invalid(field, "must not be empty")
			}
			if utf8.RuneCountInString(text) > MaxTemplateRunes {
				return ragkb.Invalid(field, "must be at most %d characters", MaxTemplateRunes)
			}
			for _, p := range placeholderRe.FindAllString(text, -1) {
				ok := false
				for _, k := range Placeholders {
					ok = ok || p == k
				}
				if !ok {
					return ragkb.Invalid(field, "unknown placeholder %s: use %s", p, strings.Join(Placeholders, ", "))
				}
			}
		}
	}
	return nil
}

func httpsURL(field, raw string) error {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ragkb.Invalid(field, "is required: the shop's address, https://...")
	}
	if len(raw) > 2048 {
		return ragkb.Invalid(field, "must be at most 2048 characters")
	}
	u, err := connectors.ParseURL(raw)
	if err != nil {
		return ragkb.Invalid(field, "%s", ragkb.ErrorMessage(err))
	}
	if u.Scheme != "https" {
		return ragkb.Invalid(field, "must start with https:// (the token would travel unencrypted)")
	}
	return nil
}

// base is the shop's address without a trailing slash or path.
func base(raw string) string {
	u, err := connectors.ParseURL(strings.TrimSpace(raw))
	if err != nil {
		return strings.TrimRight(strings.TrimSpace(raw), "/")
	}
	return u.Scheme + "://" + u.Host
}

// authError turns 401/403 into what the merchant must do; other errors pass.
func authError(err error, provider, scope string) error {
	switch connectors.StatusOf(err) {
	case http.StatusUnauthorized:
		return &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Err: err, Message: provider + " rejected the token (401): create or reconnect it"}
	case http.StatusForbidden:
		return &ragkb.Error{Code: ragkb.EFORBIDDEN, Err: err, Message: provider + " denied access (403): the token needs " + scope}
	case 0:
		return err
	}
	var re *ragkb.Error
	if errors.As(err, &re) && re.Message != "" {
		return err
	}
	return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: err, Message: fmt.Sprintf("%s answered HTTP %d", provider, connectors.StatusOf(err))}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
