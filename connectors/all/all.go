// Package all wires every connector behind one ragkb.Connector that routes
// a resource by its type (and, for offers, its source), and validates the
// type-specific part of a resource for the API.
package all

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/allegro"
	"github.com/ragkb/ragkb/connectors/faqpage"
	"github.com/ragkb/ragkb/connectors/googlefeed"
	"github.com/ragkb/ragkb/connectors/knowledgebase"
	"github.com/ragkb/ragkb/connectors/orders"
	"github.com/ragkb/ragkb/connectors/policy"
	"github.com/ragkb/ragkb/connectors/schemaorg"
	"github.com/ragkb/ragkb/connectors/shopify"
	"github.com/ragkb/ragkb/connectors/woocommerce"
)

// Config holds what the connectors need.
type Config struct {
	// Fetcher is the shared safe HTTP client; nil leaves only the
	// knowledge base and inline policies working.
	Fetcher *connectors.Fetcher
	// KnowledgeBase reads questionnaires (connectors/knowledgebase).
	KnowledgeBase ragkb.Connector
	// Accounts gives the credentials of connected accounts to resources
	// that name an account_id; nil refuses such resources.
	Accounts ragkb.CredentialSource
	// Allegro configures the Allegro connector (its Fetcher is Fetcher); its
	// APIURL is the operator's Allegro API base (RAGKB_ALLEGRO_API_URL).
	// Allegro is the one host-locked source: the others read the merchant's
	// own shop URL.
	Allegro allegro.Config
	// Orders checks orders resources' connections; nil uses one over Fetcher.
	Orders *orders.Client
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// Router implements ragkb.Connector by delegating to the connector of the
// resource's type and offer source.
type Router struct {
	f       *connectors.Fetcher
	kb      ragkb.Connector
	faq     *faqpage.Connector
	policy  *policy.Connector
	orders  *orders.Client
	sources map[string]ragkb.Connector
	acc     ragkb.CredentialSource
	shopify *shopify.Connector
	woo     *woocommerce.Connector
}

var _ ragkb.Connector = (*Router)(nil)

// New returns a Router over every connector.
func New(cfg Config) *Router {
	log := cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	f := cfg.Fetcher
	alg := cfg.Allegro
	alg.Fetcher, alg.Logger = f, log.With("connector", "allegro")
	shop := shopify.New(shopify.Config{Fetcher: f, Logger: log.With("connector", "shopify")})
	woo := woocommerce.New(woocommerce.Config{Fetcher: f, Logger: log.With("connector", "woocommerce")})
	if cfg.Orders == nil {
		cfg.Orders = orders.New(orders.Config{Fetcher: f})
	}
	return &Router{
		orders:  cfg.Orders,
		f:       f,
		kb:      cfg.KnowledgeBase,
		acc:     cfg.Accounts,
		shopify: shop,
		woo:     woo,
		faq:     faqpage.New(faqpage.Config{Fetcher: f, Logger: log.With("connector", "faq_page")}),
		policy:  policy.New(policy.Config{Fetcher: f, Logger: log.With("connector", "policy")}),
		sources: map[string]ragkb.Connector{
			ragkb.SourceAllegro:     allegro.New(alg),
			ragkb.SourceShopify:     shop,
			ragkb.SourceWooCommerce: woo,
			ragkb.SourceGoogleFeed:  googlefeed.New(googlefeed.Config{Fetcher: f, Logger: log.With("connector", "google_feed")}),
			ragkb.SourceSchemaOrg:   schemaorg.New(schemaorg.Config{Fetcher: f, Logger: log.With("connector", "schema_org")}),
		},
	}
}

// Fetch reads r with the connector for its type and source.
func (rt *Router) Fetch(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	switch r.Type {
	case ragkb.TypeKnowledgeBase:
		if rt.kb == nil {
			return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "The knowledge base connector is not configured")
		}
		return rt.kb.Fetch(ctx, r)
	case ragkb.TypeFAQPage:
		return rt.faq.Fetch(ctx, r)
	case ragkb.TypePolicy:
		return rt.policy.Fetch(ctx, r)
	case ragkb.TypeOffers:
		if r.Offers == nil {
			return nil, ragkb.Invalid("offers", "is required for an offers resource")
		}
		c, ok := rt.sources[r.Offers.Source]
		if !ok {
			return nil, unknownSource(r.Offers.Source)
		}
		if r.Offers.AccountID != "" {
			return rt.fetchWithAccount(ctx, c, r)
		}
		return c.Fetch(ctx, r)
	case ragkb.TypeOrders:
		// Orders are never indexed: the run checks the connection.
		if err := rt.orders.Check(ctx, r); err != nil {
			return nil, err
		}
		return &ragkb.FetchResult{}, nil
	}
	return nil, ragkb.Invalid("type", "must be knowledge_base, faq_page, policy, offers or orders (got %q)", r.Type)
}

// fetchWithAccount reads r with the credentials of its connected account;
// when the platform rejects the access token (401), the account renews it
// and the fetch is tried once more.
func (rt *Router) fetchWithAccount(ctx context.Context, c ragkb.Connector, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	if rt.acc == nil {
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Connected accounts are not configured on this server")
	}
	id := r.Offers.AccountID
	creds, err := rt.acc.Credentials(ctx, r.TenantID, id)
	if err != nil {
		return nil, err
	}
	if string(creds.Type) != r.Offers.Source {
		return nil, ragkb.Invalid("offers.account_id", "account %s is a %s account, not %s", id, creds.Type, r.Offers.Source)
	}
	with := func(creds ragkb.Credentials) *ragkb.Resource {
		rc := *r
		o := *r.Offers
		o.URL, o.Token, o.AccountID = creds.URL, creds.Token, ""
		rc.Offers = &o
		return &rc
	}
	res, err := c.Fetch(ctx, with(creds))
	if ragkb.ErrorCodeOf(err) != ragkb.EUNAUTHORIZED {
		return res, err
	}
	renewed, rerr := rt.acc.Rejected(ctx, r.TenantID, id, creds.Token)
	if rerr != nil {
		return nil, rerr
	}
	if renewed.Token == creds.Token {
		return nil, err
	}
	return c.Fetch(ctx, with(renewed))
}

// Check makes the test call of a shop account (accounts.Checker).
func (rt *Router) Check(ctx context.Context, t ragkb.AccountType, url, token string) error {
	switch t {
	case ragkb.AccountShopify:
		return rt.shopify.Check(ctx, url, token)
	case ragkb.AccountWooCommerce:
		return rt.woo.Check(ctx, url, token)
	}
	return ragkb.Invalid("type", "%s accounts have no test call", t)
}

func unknownSource(s string) error {
	return ragkb.Invalid("offers.source", "must be allegro, shopify, woocommerce, google_feed or schema_org (got %q)", s)
}

// Validate checks r like ValidateSpec and also that its URL may be fetched
// (not a private network address, the host resolves), naming the field.
func (rt *Router) Validate(ctx context.Context, r *ragkb.Resource) error {
	if err := ValidateSpec(r); err != nil {
		return err
	}
	if rt.f == nil {
		return nil
	}
	field, u := urlField(r)
	if u == "" {
		return nil
	}
	if err := rt.f.CheckURL(ctx, u); err != nil {
		var e *ragkb.Error
		if errors.As(err, &e) && e.Code == ragkb.EINVALID {
			return &ragkb.Error{Code: ragkb.EINVALID, Field: field, Message: e.Message, Err: err}
		}
		return err // unresolvable now may work later: not the merchant's input error
	}
	return nil
}

func urlField(r *ragkb.Resource) (field, u string) {
	switch {
	case r.Type == ragkb.TypeFAQPage && r.FAQPage != nil:
		return "faq_page.url", r.FAQPage.URL
	case r.Type == ragkb.TypePolicy && r.Policy != nil:
		return "policy.url", r.Policy.URL
	case r.Type == ragkb.TypeOffers && r.Offers != nil && r.Offers.AccountID == "":
		return "offers.url", r.Offers.URL
	case r.Type == ragkb.TypeOrders && r.Orders != nil:
		return "orders.url", r.Orders.URL
	}
	return "", ""
}

// Limits checked by ValidateSpec.
const (
	MaxPolicyBytes = 1 << 20
	MaxTitleRunes  = 200
	MaxURLLength   = 2048
	MaxTokenLength = 4096
)

// ValidateSpec checks the type-specific fields of a resource for the API and
// returns a ragkb.Invalid error naming the JSON field ("faq_page.url").
func ValidateSpec(r *ragkb.Resource) error {
	blocks := map[ragkb.ResourceType]bool{
		ragkb.TypeKnowledgeBase: r.KnowledgeBase != nil,
		ragkb.TypeFAQPage:       r.FAQPage != nil,
		ragkb.TypePolicy:        r.Policy != nil,
		ragkb.TypeOffers:        r.Offers != nil,
		ragkb.TypeOrders:        r.Orders != nil,
	}
	if _, ok := blocks[r.Type]; !ok {
		return ragkb.Invalid("type", "must be knowledge_base, faq_page, policy, offers or orders (got %q)", r.Type)
	}
	for _, t := range []ragkb.ResourceType{ragkb.TypeKnowledgeBase, ragkb.TypeFAQPage, ragkb.TypePolicy, ragkb.TypeOffers, ragkb.TypeOrders} {
		if t != r.Type && blocks[t] {
			return ragkb.Invalid(string(t), "must not be set for a %s resource", r.Type)
		}
	}
	if !blocks[r.Type] {
		return ragkb.Invalid(string(r.Type), "is required for a %s resource", r.Type)
	}
	switch r.Type {
	case ragkb.TypeKnowledgeBase:
		return knowledgebase.Validate(r.KnowledgeBase)
	case ragkb.TypeFAQPage:
		s := r.FAQPage
		if err := checkURL("faq_page.url", s.URL, true); err != nil {
			return err
		}
		if s.MaxPages < 0 || s.MaxPages > faqpage.MaxPages {
			return ragkb.Invalid("faq_page.max_pages", "must be between 1 and %d (default %d)", faqpage.MaxPages, faqpage.DefaultMaxPages)
		}
		if s.MaxPages > 0 && !s.Sitemap {
			return ragkb.Invalid("faq_page.max_pages", "only applies with \"sitemap\": true")
		}
	case ragkb.TypePolicy:
		p := r.Policy
		hasURL, hasContent := strings.TrimSpace(p.URL) != "", strings.TrimSpace(p.Content) != ""
		switch {
		case hasURL && hasContent:
			return ragkb.Invalid("policy", "give either url or content, not both")
		case !hasURL && !hasContent:
			return ragkb.Invalid("policy.content", "is required (or give the policy's url)")
		case hasURL:
			if err := checkURL("policy.url", p.URL, true); err != nil {
				return err
			}
			if p.Format != "" {
				return ragkb.Invalid("policy.format", "only applies to inline content")
			}
		default:
			switch strings.ToLower(p.Format) {
			case "", policy.FormatText, policy.FormatMarkdown, policy.FormatHTML:
			default:
				return ragkb.Invalid("policy.format", "must be text, markdown or html (got %q)", p.Format)
			}
			if len(p.Content) > MaxPolicyBytes {
				return ragkb.Invalid("policy.content", "must be at most 1 MiB")
			}
		}
		if utf8.RuneCountInString(p.Title) > MaxTitleRunes {
			return ragkb.Invalid("policy.title", "must be at most %d characters", MaxTitleRunes)
		}
	case ragkb.TypeOffers:
		return validateOffers(r.Offers)
	case ragkb.TypeOrders:
		return orders.Validate(r.Orders)
	}
	return nil
}

func validateOffers(o *ragkb.OffersSpec) error {
	if o.AccountID != "" {
		return validateAccountOffers(o)
	}
	if len(o.Token) > MaxTokenLength {
		return ragkb.Invalid("offers.token", "must be at most %d characters", MaxTokenLength)
	}
	switch o.Source {
	case ragkb.SourceAllegro:
		if strings.TrimSpace(o.Token) == "" {
			return ragkb.Invalid("offers.token", "is required for Allegro: connect the Allegro account (POST /v1/accounts) and give its offers.account_id instead")
		}
		if strings.TrimSpace(o.URL) == "" {
			return nil
		}
		if err := checkURL("offers.url", o.URL, true); err != nil {
			return err
		}
		u, _ := url.Parse(strings.TrimSpace(o.URL))
		base := "https://" + u.Host
		if u.Scheme != "https" || (base != allegro.ProductionAPI && base != allegro.SandboxAPI) || strings.Trim(u.Path, "/") != "" {
			return ragkb.Invalid("offers.url", "must be %s or %s (or empty)", allegro.ProductionAPI, allegro.SandboxAPI)
		}
	case ragkb.SourceWooCommerce:
		if err := checkURL("offers.url", o.URL, true); err != nil {
			return err
		}
		if tok := strings.TrimSpace(o.Token); tok != "" {
			if k, s, ok := strings.Cut(tok, ":"); !ok || k == "" || s == "" {
				return ragkb.Invalid("offers.token", "must be the REST API key as consumer_key:consumer_secret (ck_...:cs_...)")
			}
			if !strings.HasPrefix(strings.TrimSpace(o.URL), "https://") {
				return ragkb.Invalid("offers.url", "must start with https:// when a WooCommerce API key is given")
			}
		}
	case ragkb.SourceShopify, ragkb.SourceGoogleFeed, ragkb.SourceSchemaOrg:
		return checkURL("offers.url", o.URL, true)
	case "":
		return ragkb.Invalid("offers.source", "is required: allegro, shopify, woocommerce, google_feed or schema_org")
	default:
		return unknownSource(o.Source)
	}
	return nil
}

// validateAccountOffers checks offers read through a connected account: the
// account supplies the url and token. Whether the account exists in the
// tenant is checked by the API, which has the store.
func validateAccountOffers(o *ragkb.OffersSpec) error {
	switch o.Source {
	case ragkb.SourceAllegro, ragkb.SourceShopify, ragkb.SourceWooCommerce:
	case "":
		return ragkb.Invalid("offers.source", "is required: allegro, shopify or woocommerce with an account_id")
	default:
		return ragkb.Invalid("offers.account_id", "only allegro, shopify and woocommerce offers read through a connected account (source is %q)", o.Source)
	}
	if !ragkb.HasPrefix(o.AccountID, "acc") || len(o.AccountID) > 64 {
		return ragkb.Invalid("offers.account_id", "must be the id of a connected account (acc_...), see GET /v1/accounts")
	}
	if strings.TrimSpace(o.URL) != "" {
		return ragkb.Invalid("offers.url", "must be empty with account_id: the account gives the address")
	}
	if strings.TrimSpace(o.Token) != "" {
		return ragkb.Invalid("offers.token", "must be empty with account_id: the account holds the credentials")
	}
	return nil
}

// checkURL checks an absolute http(s) URL with a host and no credentials.
func checkURL(field, raw string, required bool) error {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		if required {
			return ragkb.Invalid(field, "is required")
		}
		return nil
	}
	if len(raw) > MaxURLLength {
		return ragkb.Invalid(field, "must be at most %d characters", MaxURLLength)
	}
	if _, err := connectors.ParseURL(raw); err != nil {
		return ragkb.Invalid(field, "%s", ragkb.ErrorMessage(err))
	}
	return nil
}
