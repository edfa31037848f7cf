package shopify

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/internal/golden"
)

var _ ragkb.Connector = (*Connector)(nil)

const fixtures = "../../testdata/offers/shopify"

type fakeShop struct {
	t    *testing.T
	srv  *httptest.Server
	mu   sync.Mutex
	seen []string
	html bool // answer like a non-Shopify site
}

func (f *fakeShop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.seen = append(f.seen, r.URL.RequestURI())
	f.mu.Unlock()
	if r.Method != http.MethodGet {
		f.t.Errorf("%s %s: want GET", r.Method, r.URL)
	}
	if !strings.HasPrefix(r.Header.Get("User-Agent"), "ragkb/") {
		f.t.Errorf("User-Agent: %q", r.Header.Get("User-Agent"))
	}
	serve := func(file string) {
		b, err := os.ReadFile(filepath.Join(fixtures, file))
		if err != nil {
			f.t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(b)
	}
	q := r.URL.Query()
	switch {
	case r.URL.Path == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /admin\nDisallow: /cart\n")
	case f.html:
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body>Welcome to my WordPress site</body></html>")
	case r.URL.Path == "/collections/summer/products.json":
		if q.Get("page") != "1" {
			f.t.Errorf("collection page %q after a short page", q.Get("page"))
		}
		serve("products_page2.json")
	case r.URL.Path == "/products.json":
		if q.Get("limit") != "2" {
			f.t.Errorf("limit: got %q, want 2", q.Get("limit"))
		}
		switch q.Get("page") {
		case "1":
			serve("products_page1.json")
		case "2":
			serve("products_page2.json")
		default:
			f.t.Errorf("page %q requested after a short page", q.Get("page"))
		}
	case r.URL.Path == "/meta.json":
		serve("meta.json")
	case strings.HasPrefix(r.URL.Path, "/admin/api/2025-07/"):
		if got := r.Header.Get("X-Shopify-Access-Token"); got != "shpat_test" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`)
			return
		}
		w.Header().Set("X-Shopify-Shop-Api-Call-Limit", "1/40")
		switch {
		case r.URL.Path == "/admin/api/2025-07/shop.json":
			serve("admin_shop.json")
		case r.URL.Path == "/admin/api/2025-07/products.json" && q.Get("page_info") == "":
			if q.Get("status") != "active" || q.Get("limit") != "2" {
				f.t.Errorf("admin query %q: want status=active and limit=2", r.URL.RawQuery)
			}
			w.Header().Set("Link", fmt.Sprintf(`<%s/admin/api/2025-07/products.json?limit=2&page_info=eyJsYXN0X2lkIjo3OTAxfQ>; rel="next"`, f.srv.URL))
			serve("admin_products_page1.json")
		case q.Get("page_info") == "eyJsYXN0X2lkIjo3OTAxfQ":
			w.Header().Set("Link", fmt.Sprintf(`<%s/admin/api/2025-07/products.json?limit=2&page_info=cHJldg>; rel="previous"`, f.srv.URL))
			serve("admin_products_page2.json")
		default:
			f.t.Errorf("unexpected admin request %s", r.URL)
		}
	default:
		http.NotFound(w, r)
	}
}

func setup(t *testing.T) (*fakeShop, *Connector) {
	fs := &fakeShop{t: t}
	fs.srv = httptest.NewServer(fs)
	t.Cleanup(fs.srv.Close)
	f := connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, PerHostInterval: time.Nanosecond})
	return fs, New(Config{Fetcher: f, PageSize: 2})
}

func TestStorefront(t *testing.T) {
	fs, c := setup(t)
	res, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceShopify, URL: fs.srv.URL + "/collections/all"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 3 {
		t.Fatalf("documents: got %d, want 3", len(res.Documents))
	}
	tee := res.Documents[0]
	want := ragkb.Offer{ID: "7901234567890", Price: "24.99", SalePrice: "19.99", Currency: "USD", Availability: "in_stock",
		Brand: "Greenwear", ImageURL: "https://cdn.shopify.com/s/files/1/0000/0001/products/tee.jpg?v=1"}
	if *tee.Offer != want {
		t.Errorf("offer:\n got %+v\nwant %+v", *tee.Offer, want)
	}
	if tee.URL != fs.srv.URL+"/products/organic-cotton-tee" {
		t.Errorf("url: %s", tee.URL)
	}
	if !strings.Contains(tee.Text, "Options: S — 19.99 USD; M — 19.99 USD (sold out)") {
		t.Errorf("text lacks variants: %q", tee.Text)
	}
	if got := res.Documents[1].Offer.Availability; got != "out_of_stock" {
		t.Errorf("tote availability: got %q", got)
	}
	for _, d := range res.Documents {
		d.URL = strings.TrimPrefix(d.URL, fs.srv.URL)
		d.ComputeHash()
	}
	golden.JSON(t, filepath.Join(fixtures, "storefront.golden.json"), res.Documents)
}

func TestStorefrontCollection(t *testing.T) {
	fs, c := setup(t)
	res, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceShopify, URL: fs.srv.URL + "/collections/summer"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 || res.Documents[0].Title != "Linen Shirt" {
		t.Errorf("got %d documents, want the collection's one product", len(res.Documents))
	}
}

func TestAdmin(t *testing.T) {
	fs, c := setup(t)
	res, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceShopify, URL: fs.srv.URL, Token: "shpat_test"}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range res.Documents {
		ids = append(ids, d.SourceID+":"+d.Offer.Availability)
	}
	// The archived hoodie is left out; the linen shirt sells when out of stock ("continue").
	if got, want := strings.Join(ids, " "), "7901234567890:in_stock 7901234567892:in_stock"; got != want {
		t.Errorf("documents: got %s, want %s", got, want)
	}
	for _, s := range fs.seen {
		if strings.HasPrefix(s, "/robots.txt") {
			t.Errorf("Admin API calls must not read robots.txt")
		}
	}
	_, err = c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceShopify, URL: fs.srv.URL, Token: "wrong"}})
	if ragkb.ErrorCodeOf(err) != ragkb.EUNAUTHORIZED || !strings.Contains(ragkb.ErrorMessage(err), "Shopify rejected the access token (401)") {
		t.Errorf("bad token: got %v", err)
	}
}

func TestNotShopify(t *testing.T) {
	fs, c := setup(t)
	fs.html = true
	_, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceShopify, URL: fs.srv.URL}})
	if ragkb.ErrorField(err) != "offers.url" || !strings.Contains(ragkb.ErrorMessage(err), "does not look like a Shopify store") {
		t.Errorf("got %v", err)
	}
}
