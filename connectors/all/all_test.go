package all

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

func TestValidateSpec(t *testing.T) {
	tests := []struct {
		name      string
		r         ragkb.Resource
		wantField string // "" = valid
	}{
		{name: "faq ok", r: ragkb.Resource{Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{URL: "https://shop.example/faq"}}},
		{name: "faq sitemap ok", r: ragkb.Resource{Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{URL: "https://shop.example/", Sitemap: true, MaxPages: 500}}},
		{name: "faq missing block", r: ragkb.Resource{Type: ragkb.TypeFAQPage}, wantField: "faq_page"},
		{name: "faq missing url", r: ragkb.Resource{Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{}}, wantField: "faq_page.url"},
		{name: "faq ftp", r: ragkb.Resource{Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{URL: "ftp://shop.example/faq"}}, wantField: "faq_page.url"},
		{name: "faq relative", r: ragkb.Resource{Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{URL: "/faq"}}, wantField: "faq_page.url"},
		{name: "faq too many pages", r: ragkb.Resource{Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{URL: "https://s.example", Sitemap: true, MaxPages: 501}}, wantField: "faq_page.max_pages"},
		{name: "faq negative pages", r: ragkb.Resource{Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{URL: "https://s.example", Sitemap: true, MaxPages: -1}}, wantField: "faq_page.max_pages"},
		{name: "faq pages without sitemap", r: ragkb.Resource{Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{URL: "https://s.example", MaxPages: 10}}, wantField: "faq_page.max_pages"},
		{name: "other block set", r: ragkb.Resource{Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{URL: "https://s.example"}, Offers: &ragkb.OffersSpec{}}, wantField: "offers"},
		{name: "policy inline ok", r: ragkb.Resource{Type: ragkb.TypePolicy, Policy: &ragkb.PolicySpec{Content: "x", Format: "markdown"}}},
		{name: "policy url ok", r: ragkb.Resource{Type: ragkb.TypePolicy, Policy: &ragkb.PolicySpec{URL: "https://s.example/returns"}}},
		{name: "policy both", r: ragkb.Resource{Type: ragkb.TypePolicy, Policy: &ragkb.PolicySpec{URL: "https://s.example/r", Content: "x"}}, wantField: "policy"},
		{name: "policy neither", r: ragkb.Resource{Type: ragkb.TypePolicy, Policy: &ragkb.PolicySpec{Title: "t"}}, wantField: "policy.content"},
		{name: "policy bad format", r: ragkb.Resource{Type: ragkb.TypePolicy, Policy: &ragkb.PolicySpec{Content: "x", Format: "pdf"}}, wantField: "policy.format"},
		{name: "policy format with url", r: ragkb.Resource{Type: ragkb.TypePolicy, Policy: &ragkb.PolicySpec{URL: "https://s.example/r", Format: "html"}}, wantField: "policy.format"},
		{name: "policy too big", r: ragkb.Resource{Type: ragkb.TypePolicy, Policy: &ragkb.PolicySpec{Content: strings.Repeat("x", MaxPolicyBytes+1)}}, wantField: "policy.content"},
		{name: "offers unknown source", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "ebay", URL: "https://s.example"}}, wantField: "offers.source"},
		{name: "offers no source", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{URL: "https://s.example"}}, wantField: "offers.source"},
		{name: "feed ok", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "google_feed", URL: "https://s.example/feed.xml"}}},
		{name: "feed no url", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "google_feed"}}, wantField: "offers.url"},
		{name: "shopify credentials in url", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "shopify", URL: "https://a:b@s.example"}}, wantField: "offers.url"},
		{name: "woo key ok", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "woocommerce", URL: "https://w.example", Token: "ck_1:cs_2"}}},
		{name: "woo key malformed", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "woocommerce", URL: "https://w.example", Token: "ck_1"}}, wantField: "offers.token"},
		{name: "woo key over http", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "woocommerce", URL: "http://w.example", Token: "ck_1:cs_2"}}, wantField: "offers.url"},
		{name: "allegro ok without url", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "allegro", Token: "t"}}},
		{name: "allegro sandbox", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "allegro", Token: "t", URL: "https://api.allegro.pl.allegrosandbox.pl"}}},
		{name: "allegro foreign host", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "allegro", Token: "t", URL: "https://evil.example"}}, wantField: "offers.url"},
		{name: "allegro no token", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "allegro"}}, wantField: "offers.token"},
		{name: "kb ok", r: ragkb.Resource{Type: ragkb.TypeKnowledgeBase, KnowledgeBase: &ragkb.KnowledgeBase{Invoice: "Yes"}}},
		{name: "unknown type", r: ragkb.Resource{Type: "wiki"}, wantField: "type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateSpec(&tt.r)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if ragkb.ErrorCodeOf(err) != ragkb.EINVALID || ragkb.ErrorField(err) != tt.wantField {
				t.Errorf("got %v (field %q), want invalid %q", err, ragkb.ErrorField(err), tt.wantField)
			}
		})
	}
}

func TestRouterFetch(t *testing.T) {
	rss, err := os.ReadFile("../../testdata/offers/googlefeed/rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.Write(rss)
	}))
	defer srv.Close()
	kbCalls := 0
	kb := ragkb.ConnectorFunc(func(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
		kbCalls++
		return &ragkb.FetchResult{Documents: []*ragkb.Document{{SourceID: "invoice", Kind: ragkb.DocQA}}}, nil
	})
	rt := New(Config{Fetcher: connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, PerHostInterval: time.Nanosecond}),
		KnowledgeBase: kb})
	ctx := context.Background()
	tests := []struct {
		name      string
		r         ragkb.Resource
		wantDocs  int
		wantKind  ragkb.DocKind
		wantField string
	}{
		{name: "knowledge base goes to the lead's connector", r: ragkb.Resource{Type: ragkb.TypeKnowledgeBase, KnowledgeBase: &ragkb.KnowledgeBase{}}, wantDocs: 1, wantKind: ragkb.DocQA},
		{name: "inline policy", r: ragkb.Resource{Type: ragkb.TypePolicy, Policy: &ragkb.PolicySpec{Content: "# Returns\nWithin 30 days.", Format: "markdown"}}, wantDocs: 1, wantKind: ragkb.DocPage},
		{name: "google feed", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: ragkb.SourceGoogleFeed, URL: srv.URL + "/feed.xml"}}, wantDocs: 2, wantKind: ragkb.DocOffer},
		{name: "unknown source", r: ragkb.Resource{Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: "amazon"}}, wantField: "offers.source"},
		{name: "unknown type", r: ragkb.Resource{Type: "wiki"}, wantField: "type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := rt.Fetch(ctx, &tt.r)
			if tt.wantField != "" {
				if ragkb.ErrorField(err) != tt.wantField {
					t.Errorf("got %v, want invalid %s", err, tt.wantField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Documents) != tt.wantDocs || res.Documents[0].Kind != tt.wantKind {
				t.Errorf("got %d documents of kind %s, want %d of %s", len(res.Documents), res.Documents[0].Kind, tt.wantDocs, tt.wantKind)
			}
		})
	}
	if kbCalls != 1 {
		t.Errorf("knowledge base connector called %d times, want 1", kbCalls)
	}
}

func TestRouterValidatePrivateURL(t *testing.T) {
	rt := New(Config{Fetcher: connectors.NewFetcher(connectors.FetcherConfig{})})
	err := rt.Validate(context.Background(), &ragkb.Resource{Type: ragkb.TypeFAQPage,
		FAQPage: &ragkb.FAQPageSpec{URL: "http://169.254.169.254/latest/meta-data/"}})
	if ragkb.ErrorField(err) != "faq_page.url" || !strings.Contains(ragkb.ErrorMessage(err), "private network address") {
		t.Errorf("got %v, want a private-address error on faq_page.url", err)
	}
	if err := rt.Validate(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: "google_feed", URL: "https://93.184.215.14/feed.xml"}}); err != nil {
		t.Errorf("public address: %v", err)
	}
}
