package googlefeed

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/internal/golden"
)

var _ ragkb.Connector = (*Connector)(nil)

const fixtures = "../../testdata/offers/googlefeed"

// feedDocs is what the golden files hold: parse result and documents.
type feedDocs struct {
	Format    string            `json:"format"`
	Skipped   []string          `json:"skipped,omitempty"`
	Documents []*ragkb.Document `json:"documents"`
}

func parseFile(t testing.TB, name string) *Feed {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	feed, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return feed
}

func TestParseGolden(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		wantItems int
		wantSkip  int
		check     func(t *testing.T, f *Feed)
	}{
		{name: "rss", file: "rss.xml", wantItems: 2, wantSkip: 1, check: func(t *testing.T, f *Feed) {
			if got := len(f.Items[0].Shipping); got != 2 {
				t.Errorf("shipping entries: got %d, want 2", got)
			}
		}},
		{name: "atom", file: "atom.xml", wantItems: 2, check: func(t *testing.T, f *Feed) {
			if got, want := f.Items[0].Link, "https://store.example/products/organic-tee"; got != want {
				t.Errorf("atom link: got %q, want %q", got, want)
			}
		}},
		{name: "other prefix bound to the google namespace", file: "other_prefix.xml", wantItems: 2, check: func(t *testing.T, f *Feed) {
			if got, want := f.Items[0].Price, "1.299,00 PLN"; got != want {
				t.Errorf("price: got %q, want %q (the g: element is another namespace)", got, want)
			}
		}},
		{name: "tsv", file: "feed.tsv", wantItems: 2, wantSkip: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parseFile(t, tt.file)
			if len(f.Items) != tt.wantItems || len(f.Skipped) != tt.wantSkip {
				t.Errorf("items, skipped: got %d, %d (%q); want %d, %d", len(f.Items), len(f.Skipped), f.Skipped, tt.wantItems, tt.wantSkip)
			}
			if tt.check != nil {
				tt.check(t, f)
			}
			out := feedDocs{Format: f.Format, Skipped: f.Skipped}
			for _, it := range f.Items {
				p := it.Product("")
				out.Documents = append(out.Documents, p.Document())
			}
			golden.JSON(t, filepath.Join(fixtures, strings.TrimSuffix(tt.file, filepath.Ext(tt.file))+".golden.json"), out)
		})
	}
}

func TestItemProduct(t *testing.T) {
	f := parseFile(t, "rss.xml")
	got := f.Items[0].Product("")
	want := ragkb.Offer{ID: "SKU-1001", Price: "129.99", SalePrice: "99.99", Currency: "PLN", Availability: "in_stock",
		Condition: "new", Delivery: "Delivery to PL (Kurier): 14.99 PLN; Delivery to PL (Paczkomat): free", Brand: "Acme",
		SKU: "AK-17", GTIN: "5901234123457", ImageURL: "https://shop.example/img/kettle.jpg"}
	if got.Offer != want {
		t.Errorf("offer:\n got %+v\nwant %+v", got.Offer, want)
	}
	if got, want := f.Items[1].Product("").Offer.Availability, "out_of_stock"; got != want {
		t.Errorf("old 'out of stock' form: got %q, want %q", got, want)
	}
}

func TestParseNotAFeed(t *testing.T) {
	tests := []struct{ name, in string }{
		{name: "html", in: "<!DOCTYPE html><html><body>hi</body></html>"},
		{name: "tsv without id", in: "name\tprice\nx\t1\n"},
		{name: "empty", in: ""},
		{name: "json", in: `{"products":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse([]byte(tt.in)); err != ErrNotFeed && !strings.Contains(fmt.Sprint(err), ErrNotFeed.Error()) {
				t.Errorf("got %v, want ErrNotFeed", err)
			}
		})
	}
}

func TestFetch(t *testing.T) {
	rss, err := os.ReadFile(filepath.Join(fixtures, "rss.xml"))
	if err != nil {
		t.Fatal(err)
	}
	html, _ := os.ReadFile(filepath.Join(fixtures, "not_a_feed.html"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("method: got %s, want GET", r.Method)
		}
		if !strings.HasPrefix(r.Header.Get("User-Agent"), "ragkb/") {
			t.Errorf("User-Agent: got %q", r.Header.Get("User-Agent"))
		}
		switch r.URL.Path {
		case "/robots.txt":
			t.Errorf("robots.txt must not be read for a feed URL")
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(rss)
		case "/index.html":
			w.Write(html)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := New(Config{Fetcher: connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, PerHostInterval: time.Nanosecond})})
	res, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers, Language: "pl",
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceGoogleFeed, URL: srv.URL + "/feed.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 2 || res.Skipped != 1 || len(res.Warnings) != 1 {
		t.Fatalf("got %d documents, %d skipped, warnings %q; want 2, 1, one warning", len(res.Documents), res.Skipped, res.Warnings)
	}
	d := res.Documents[0]
	if d.SourceID != "SKU-1001" || d.Kind != ragkb.DocOffer || d.URL != "https://shop.example/p/electric-kettle" ||
		d.Language != "pl" || d.Hash == "" || d.Offer == nil || d.Offer.Price != "129.99" {
		t.Errorf("document: %+v", d)
	}
	// The resource is Polish, so the offer is written in Polish.
	if !strings.HasPrefix(d.Text, "Electric Kettle 1.7 L kosztuje 99.99 PLN w promocji (cena regularna 129.99 PLN).\nDostępny.") ||
		!strings.Contains(d.Text, "Dostawa do PL (Kurier): 14.99 PLN; Dostawa do PL (Paczkomat): bezpłatnie.") {
		t.Errorf("text: %q", d.Text)
	}

	_, err = c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceGoogleFeed, URL: srv.URL + "/index.html"}})
	if ragkb.ErrorField(err) != "offers.url" || !strings.Contains(ragkb.ErrorMessage(err), "is not a Google product feed") {
		t.Errorf("html page: got %v", err)
	}
	_, err = c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeOffers,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceGoogleFeed, URL: srv.URL + "/missing.xml"}})
	if ragkb.ErrorCodeOf(err) != ragkb.ENOTFOUND {
		t.Errorf("missing feed: got %v, want not found", err)
	}
}

func FuzzFeed(f *testing.F) {
	for _, name := range []string{"rss.xml", "atom.xml", "other_prefix.xml", "feed.tsv"} {
		b, err := os.ReadFile(filepath.Join(fixtures, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		feed, err := Parse(b)
		if err != nil {
			return
		}
		for _, it := range feed.Items {
			if it.ID == "" || it.Title == "" {
				t.Errorf("item without id or title: %+v", it)
			}
			p := it.Product("")
			_ = p.Document()
		}
	})
}

// generatedFeed builds an RSS feed of n items shaped like rss.xml.
func generatedFeed(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>Big shop</title>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><g:id>SKU-%d</g:id><g:title>Product %d</g:title><g:description>Description of product %d, a fine item with several words of text.</g:description>`+
			`<g:link>https://shop.example/p/%d</g:link><g:image_link>https://shop.example/img/%d.jpg</g:image_link><g:availability>in_stock</g:availability>`+
			`<g:price>%d.99 PLN</g:price><g:condition>new</g:condition><g:brand>Brand %d</g:brand><g:gtin>590%010d</g:gtin>`+
			`<g:shipping><g:country>PL</g:country><g:service>Kurier</g:service><g:price>14.99 PLN</g:price></g:shipping></item>`,
			i, i, i, i, i, 10+i%1000, i%50, i)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func BenchmarkGoogleFeed10k(b *testing.B) {
	data := generatedFeed(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	items := 0
	for b.Loop() {
		feed, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range feed.Items {
			p := it.Product("")
			_ = p.Document()
		}
		items += len(feed.Items)
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
}

func TestParseRealPayloads(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("../../testdata/real", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	utf8Feed, err := Parse(read("gfeed-hurom-cz/feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	latin2, err := Parse(read("hostile-iso88592/hurom-feed-iso88592.xml"))
	if err != nil {
		t.Fatalf("ISO-8859-2 feed: %v", err)
	}
	if len(latin2.Items) == 0 || len(latin2.Items) != len(utf8Feed.Items) {
		t.Fatalf("ISO-8859-2 feed: got %d items, want %d like the UTF-8 original", len(latin2.Items), len(utf8Feed.Items))
	}
	for i := range latin2.Items {
		if got, want := latin2.Items[i].Title, utf8Feed.Items[i].Title; got != want {
			t.Errorf("item %d title %q, want %q", i, got, want)
		}
	}

	full := read("gfeed-pallmann-fr/feed.xml")
	whole, err := Parse(full)
	if err != nil || whole.Incomplete != "" || len(whole.Items) != 305 {
		t.Fatalf("whole feed: %d items, incomplete %q, err %v; want 305, complete", len(whole.Items), whole.Incomplete, err)
	}
	// hostile-feeds/broken-half.xml: the first 159,893 bytes, cut inside item 151.
	half, err := Parse(full[:159893])
	if err != nil {
		t.Fatal(err)
	}
	if half.Incomplete == "" || len(half.Items) != 150 {
		t.Errorf("cut feed: %d items, incomplete %q; want 150 and a reason", len(half.Items), half.Incomplete)
	}

	tsv := read("gfeed-campers-tsv/feed.tsv")
	complete, err := Parse(tsv)
	if err != nil || complete.Incomplete != "" {
		t.Fatalf("TSV: incomplete %q, err %v", complete.Incomplete, err)
	}
	cut, err := Parse(tsv[:len(tsv)/2])
	if err != nil {
		t.Fatal(err)
	}
	if cut.Incomplete == "" {
		t.Errorf("TSV cut in half: %d items and no reason; want it marked incomplete", len(cut.Items))
	}
}
