package woocommerce

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/internal/golden"
)

var _ ragkb.Connector = (*Connector)(nil)

const fixtures = "../../testdata/offers/woocommerce"

func TestFetch(t *testing.T) {
	var pages atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Header.Get("User-Agent"), "ragkb/") {
			t.Errorf("%s with User-Agent %q", r.Method, r.Header.Get("User-Agent"))
		}
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /wp-admin/\n")
			return
		case "/shop/wp-json/wc/store/v1/products":
		default:
			http.NotFound(w, r)
			return
		}
		pages.Add(1)
		q := r.URL.Query()
		if q.Get("per_page") != "2" {
			t.Errorf("per_page: got %q, want 2", q.Get("per_page"))
		}
		file := map[string]string{"1": "products_page1.json", "2": "products_page2.json"}[q.Get("page")]
		if file == "" {
			t.Errorf("page %q requested beyond X-WP-TotalPages", q.Get("page"))
			return
		}
		b, err := os.ReadFile(filepath.Join(fixtures, file))
		if err != nil {
			t.Fatal(err)
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.Header().Set("X-WP-Total", "3")
		w.Header().Set("X-WP-TotalPages", "2")
		w.Write(b)
	}))
	defer srv.Close()
	c := New(Config{Fetcher: connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, PerHostInterval: time.Nanosecond}), PerPage: 2})
	res, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceWooCommerce, URL: srv.URL + "/shop/"}})
	if err != nil {
		t.Fatal(err)
	}
	if pages.Load() != 2 || len(res.Documents) != 3 {
		t.Fatalf("got %d pages and %d documents, want 2 and 3", pages.Load(), len(res.Documents))
	}
	tests := []struct {
		name string
		got  ragkb.Offer
		want ragkb.Offer
	}{
		{name: "sale in minor units", got: *res.Documents[0].Offer, want: ragkb.Offer{ID: "34", Price: "13.00", SalePrice: "11.05",
			Currency: "GBP", Availability: "in_stock", SKU: "Woo-beanie-logo", ImageURL: "https://woo.example/wp-content/uploads/beanie-with-logo-1.jpg"}},
		{name: "variable out of stock", got: *res.Documents[1].Offer, want: ragkb.Offer{ID: "12", Price: "42.00", Currency: "GBP",
			Availability: "out_of_stock", Brand: "WooBrand", SKU: "woo-hoodie"}},
		{name: "backorder", got: *res.Documents[2].Offer, want: ragkb.Offer{ID: "99", Price: "15.00", Currency: "GBP",
			Availability: "backorder", SKU: "woo-album", ImageURL: "https://woo.example/wp-content/uploads/album-1.jpg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
		})
	}
	golden.JSON(t, filepath.Join(fixtures, "documents.golden.json"), res.Documents)

	_, err = c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceWooCommerce, URL: srv.URL}})
	if ragkb.ErrorField(err) != "offers.url" || !strings.Contains(ragkb.ErrorMessage(err), "does not look like a WooCommerce store") {
		t.Errorf("no store API: got %v", err)
	}
}

func TestFetchREST(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != "ck_abc" || pass != "cs_def" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		switch r.URL.Path {
		case "/wp-json/wc/v3/data/currencies/current":
			fmt.Fprint(w, `{"code":"GBP","name":"Pound sterling","symbol":"&pound;"}`)
		case "/wp-json/wc/v3/products":
			q := r.URL.Query()
			if q.Get("status") != "publish" || q.Get("page") != "1" || q.Get("per_page") != "2" {
				t.Errorf("query %q", r.URL.RawQuery)
			}
			b, _ := os.ReadFile(filepath.Join(fixtures, "rest_products.json"))
			w.Header().Set("X-WP-Total", "3")
			w.Header().Set("X-WP-TotalPages", "1")
			w.Write(b)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	tlsCfg := srv.Client().Transport.(*http.Transport).TLSClientConfig
	c := New(Config{Fetcher: connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, TLSClientConfig: tlsCfg}), PerPage: 2})
	res, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceWooCommerce, URL: srv.URL, Token: "ck_abc:cs_def"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 2 {
		t.Fatalf("documents: got %d, want 2 (the draft left out)", len(res.Documents))
	}
	want := ragkb.Offer{ID: "794", Price: "24.99", SalePrice: "21.99", Currency: "GBP", Availability: "in_stock", SKU: "PQ-19",
		ImageURL: "https://woo.example/wp-content/uploads/T_2_front-4.jpg"}
	if got := *res.Documents[0].Offer; got != want {
		t.Errorf("offer:\n got %+v\nwant %+v", got, want)
	}
	if got := res.Documents[1].Offer.Availability; got != "backorder" {
		t.Errorf("backorder: got %q", got)
	}
	if !strings.Contains(res.Documents[0].Text, "12 in stock") || !strings.Contains(res.Documents[0].Text, "Size: S, M, L") {
		t.Errorf("text: %q", res.Documents[0].Text)
	}

	tests := []struct {
		name, url, token, wantField string
		wantCode                    ragkb.ErrorCode
	}{
		{name: "wrong key", url: srv.URL, token: "ck_abc:cs_wrong", wantCode: ragkb.EUNAUTHORIZED},
		{name: "malformed key", url: srv.URL, token: "ck_only", wantCode: ragkb.EINVALID, wantField: "offers.token"},
		{name: "plain http", url: strings.Replace(srv.URL, "https://", "http://", 1), token: "ck_abc:cs_def", wantCode: ragkb.EINVALID, wantField: "offers.url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
				Offers: &ragkb.OffersSpec{Source: ragkb.SourceWooCommerce, URL: tt.url, Token: tt.token}})
			if ragkb.ErrorCodeOf(err) != tt.wantCode || ragkb.ErrorField(err) != tt.wantField {
				t.Errorf("got %v, want %s %q", err, tt.wantCode, tt.wantField)
			}
		})
	}
}

func TestStoreAPIListEndingEarly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/wp-json/wc/store/v1/products" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-WP-TotalPages", "3")
		if r.URL.Query().Get("page") == "1" {
			b, _ := os.ReadFile(filepath.Join(fixtures, "products_page1.json"))
			w.Write(b)
			return
		}
		io.WriteString(w, "[]") // the store's list broke after page 1
	}))
	defer srv.Close()
	c := New(Config{Fetcher: connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, PerHostInterval: time.Nanosecond}), PerPage: 2})
	res, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceWooCommerce, URL: srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 2 || len(res.Incomplete) != 1 || !strings.Contains(res.Incomplete[0], "page 2 of the 3") {
		t.Errorf("got %d documents, incomplete %q; want page 1's 2 and the early end named", len(res.Documents), res.Incomplete)
	}
}
