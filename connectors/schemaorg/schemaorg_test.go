package schemaorg

import (
	"bytes"
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

	"github.com/PuerkitoBio/goquery"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/internal/golden"
)

var _ ragkb.Connector = (*Connector)(nil)

const fixtures = "../../testdata/offers/schemaorg"

func productsOf(t testing.TB, file, pageURL string) []connectors.Product {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, file))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return Products(doc, pageURL)
}

func TestProductsGolden(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		pageURL string
		want    []ragkb.Offer
	}{
		{name: "graph with type array, comma price, strikethrough, shipping, returns", file: "product_graph.html",
			pageURL: "https://rowery.example/produkt/rower-classic-28/",
			want: []ragkb.Offer{{ID: "RC-28", Price: "1499.00", SalePrice: "1299.00", Currency: "PLN", Availability: "in_stock",
				// The page is <html lang="pl">: after-sales words are Polish.
				Condition: "new", Warranty: "Gwarancja: 2 lata", Returns: "Zwrot w ciągu 30 dni, bezpłatnie",
				Delivery: "Dostawa: od 49.00 PLN, czas dostawy 1–3 dni", Brand: "Classic Bikes", SKU: "RC-28",
				GTIN: "5901234567891", ImageURL: "https://rowery.example/wp-content/uploads/classic.jpg"}}},
		{name: "aggregate offer with http context and relative image", file: "product_aggregate.html",
			pageURL: "https://peak.example/shoes/trail",
			want: []ragkb.Offer{{Price: "89.50", Currency: "EUR", Availability: "in_stock", Brand: "Peak",
				ImageURL: "https://peak.example/images/trail-shoes.jpg"}}},
		{name: "invalid json repaired", file: "product_invalid.html", pageURL: "https://coffee.example/emp-9",
			want: []ragkb.Offer{{ID: "EMP-9", Price: "1299.00", Currency: "USD", Availability: "preorder", Condition: "refurbished", SKU: "EMP-9"}}},
		{name: "microdata with nested accessory", file: "product_microdata.html",
			pageURL: "https://gory.example/kurtki/12-kurtka-zimowa-alpina.html",
			want: []ragkb.Offer{{ID: "KZ-ALP-01", Price: "399.99", Currency: "PLN", Availability: "in_stock", Condition: "new",
				Brand: "Alpina", SKU: "KZ-ALP-01", ImageURL: "https://gory.example/img/p/1/2/12-large_default.jpg"}}},
		{name: "no product", file: "category.html", pageURL: "https://rowery.example/rowery/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := productsOf(t, tt.file, tt.pageURL)
			if len(got) != len(tt.want) {
				t.Fatalf("products: got %d, want %d: %+v", len(got), len(tt.want), got)
			}
			for i := range got {
				if got[i].Offer != tt.want[i] {
					t.Errorf("offer %d:\n got %+v\nwant %+v", i, got[i].Offer, tt.want[i])
				}
			}
			var docs []*ragkb.Document
			for i := range got {
				docs = append(docs, got[i].Document())
			}
			golden.JSON(t, filepath.Join(fixtures, strings.TrimSuffix(tt.file, ".html")+".golden.json"), docs)
		})
	}
}

func FuzzJSONLD(f *testing.F) {
	for _, file := range []string{"product_graph.html", "product_aggregate.html", "product_invalid.html", "product_microdata.html"} {
		b, err := os.ReadFile(filepath.Join(fixtures, file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<script type="application/ld+json">{"@type":"Product","name":"x","offers":[{"offers":{"offers":{}}},null,1,{"price":[]}]}</script>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, p := range Products(doc, "https://s.example/p") {
			if p.Name == "" || p.SourceID == "" {
				t.Errorf("product without name or id: %+v", p)
			}
			_ = p.Document()
		}
	})
}

func TestFetch(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Header.Get("User-Agent"), "ragkb/") {
			t.Errorf("%s with User-Agent %q", r.Method, r.Header.Get("User-Agent"))
		}
		pages := map[string]string{
			"/":                         "category.html",
			"/produkt/rower-classic-28": "product_graph.html",
			"/shoes/trail":              "product_aggregate.html",
			"/o-nas":                    "category.html",
		}
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprintf(w, "User-agent: *\nDisallow: /koszyk\nSitemap: %s/sitemap_index.xml\n", srv.URL)
			return
		case "/sitemap_index.xml":
			fmt.Fprintf(w, `<sitemapindex><sitemap><loc>%s/product-sitemap.xml</loc></sitemap></sitemapindex>`, srv.URL)
			return
		case "/product-sitemap.xml":
			fmt.Fprintf(w, `<urlset><url><loc>%[1]s/o-nas</loc></url><url><loc>%[1]s/produkt/rower-classic-28</loc></url><url><loc>%[1]s/shoes/trail</loc></url><url><loc>%[1]s/produkt/gone</loc></url></urlset>`, srv.URL)
			return
		}
		file, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, _ := os.ReadFile(filepath.Join(fixtures, file))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	}))
	defer srv.Close()
	c := New(Config{Fetcher: connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, PerHostInterval: time.Nanosecond})})

	// A product page: only that page is read.
	res, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceSchemaOrg, URL: srv.URL + "/shoes/trail"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 || res.Documents[0].URL != srv.URL+"/shoes/trail" || res.Documents[0].Language != "en" {
		t.Fatalf("single page: %+v", res.Documents)
	}
	if hits["/sitemap_index.xml"] != 0 {
		t.Errorf("sitemap read for a product page")
	}

	// The shop address: the sitemap's pages are read, products kept.
	res, err = c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceSchemaOrg, URL: srv.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range res.Documents {
		names = append(names, d.Title)
	}
	if got, want := strings.Join(names, "|"), `Rower miejski Classic 28"|Trail Running Shoes`; got != want {
		t.Errorf("products: got %s, want %s", got, want)
	}
	if res.Skipped != 1 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "/produkt/gone answered 404") {
		t.Errorf("skipped %d, warnings %q: want the missing page reported", res.Skipped, res.Warnings)
	}
	// The product URL from the JSON-LD is on another host (rowery.example), so the page URL is used.
	if got := res.Documents[0].URL; got != srv.URL+"/produkt/rower-classic-28" {
		t.Errorf("url: got %s", got)
	}

	_, err = c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceSchemaOrg, URL: srv.URL + "/o-nas"}})
	if err != nil {
		t.Errorf("a non-product start page still crawls the sitemap: %v", err)
	}
}
