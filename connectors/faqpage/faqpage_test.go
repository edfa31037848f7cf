package faqpage

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
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

const fixtures = "../../testdata/faq"

func extractFile(t testing.TB, name string) []Pair {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return Extract(doc)
}

func TestExtractGolden(t *testing.T) {
	tests := []struct {
		name        string
		file        string
		wantMethods []string // every method that must appear
		wantPairs   int
	}{
		{name: "json-ld graph, type array, second block, invalid block", file: "jsonld.html", wantMethods: []string{"jsonld"}, wantPairs: 3},
		{name: "microdata", file: "microdata.html", wantMethods: []string{"microdata"}, wantPairs: 2},
		{name: "native details", file: "details.html", wantMethods: []string{"details"}, wantPairs: 2},
		{name: "definition lists", file: "dl.html", wantMethods: []string{"dl"}, wantPairs: 3},
		{name: "gutenberg details", file: "gutenberg.html", wantMethods: []string{"details"}, wantPairs: 2},
		{name: "yoast block with its json-ld", file: "yoast.html", wantMethods: []string{"jsonld", "yoast"}, wantPairs: 3},
		{name: "rank math", file: "rankmath.html", wantMethods: []string{"rankmath"}, wantPairs: 2},
		{name: "elementor accordion and toggle", file: "elementor.html", wantMethods: []string{"elementor"}, wantPairs: 3},
		{name: "elementor nested accordion", file: "elementor_nested.html", wantMethods: []string{"elementor"}, wantPairs: 2},
		{name: "shopify dawn", file: "dawn.html", wantMethods: []string{"dawn"}, wantPairs: 2},
		{name: "heading fallback", file: "headings.html", wantMethods: []string{"heading"}, wantPairs: 2},
		{name: "product page details", file: "product_details.html", wantMethods: []string{"details"}, wantPairs: 2},
		{name: "no faq", file: "none.html", wantPairs: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := extractFile(t, tt.file)
			if len(got) != tt.wantPairs {
				t.Errorf("pairs: got %d, want %d: %+v", len(got), tt.wantPairs, got)
			}
			methods := map[string]bool{}
			for _, p := range got {
				methods[p.Method] = true
			}
			for _, m := range tt.wantMethods {
				if !methods[m] {
					t.Errorf("method %s not used; got %v", m, methods)
				}
			}
			golden.JSON(t, filepath.Join(fixtures, strings.TrimSuffix(tt.file, ".html")+".golden.json"), got)
		})
	}
}

func TestExtractDetails(t *testing.T) {
	tests := []struct {
		name string
		html string
		want []Pair
	}{
		{
			name: "json-ld answer as plain string and question text",
			html: `<script type="application/ld+json">{"@type":"Question","text":"Q1?","acceptedAnswer":"A1"}</script>`,
			want: []Pair{{Question: "Q1?", Answer: "A1", Method: "jsonld"}},
		},
		{
			name: "dedupe keeps first answer and takes a later anchor",
			html: `<script type="application/ld+json">{"@type":"FAQPage","mainEntity":{"@type":"Question","name":"Open on Sunday?","acceptedAnswer":{"text":"No."}}}</script>
<details id="sunday"><summary>Open on  sunday</summary>No, closed.</details>`,
			want: []Pair{{Question: "Open on Sunday?", Answer: "No.", Anchor: "sunday", Method: "jsonld"}},
		},
		{
			name: "details without summary ignored",
			html: `<details><p>Just text</p></details>`,
			want: nil,
		},
		{
			name: "empty answers are skipped",
			html: `<details><summary>Q?</summary></details>`,
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(tt.html))
			if err != nil {
				t.Fatal(err)
			}
			got := Extract(doc)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzFAQ(f *testing.F) {
	entries, err := os.ReadDir(fixtures)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".html") {
			b, err := os.ReadFile(filepath.Join(fixtures, e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte(`<script type="application/ld+json">[{"@graph":[{"@type":["Question"],"name":{"x":1},"acceptedAnswer":[1,{"text":null}]}]}]</script>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, p := range Extract(doc) {
			if p.Question == "" || p.Answer == "" {
				t.Errorf("empty pair %+v", p)
			}
		}
	})
}

// site serves the fixtures like a small shop and records requests.
type site struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits []string
}

func newSite(t *testing.T, pages map[string]string, robots string) *site {
	s := &site{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits = append(s.hits, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		if r.Method != http.MethodGet {
			t.Errorf("method %s, want GET", r.Method)
		}
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "ragkb/") {
			t.Errorf("User-Agent %q", ua)
		}
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, strings.ReplaceAll(robots, "{{base}}", s.srv.URL))
			return
		}
		if r.URL.Path == "/sitemap.xml" {
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprint(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			for _, p := range slices.Sorted(maps.Keys(pages)) {
				fmt.Fprintf(w, "<url><loc>%s%s</loc></url>", s.srv.URL, p)
			}
			fmt.Fprint(w, `</urlset>`)
			return
		}
		file, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join(fixtures, file))
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) count(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range s.hits {
		if strings.HasPrefix(h, prefix) {
			n++
		}
	}
	return n
}

func newTestConnector() *Connector {
	f := connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, PerHostInterval: time.Nanosecond})
	return New(Config{Fetcher: f})
}

func TestFetchSinglePage(t *testing.T) {
	s := newSite(t, map[string]string{"/faq": "yoast.html"}, "User-agent: *\nDisallow: /admin\n")
	res, err := newTestConnector().Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeFAQPage,
		FAQPage: &ragkb.FAQPageSpec{URL: s.srv.URL + "/faq"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 3 {
		t.Fatalf("documents: got %d, want 3", len(res.Documents))
	}
	d := res.Documents[0]
	want := ragkb.Document{
		SourceID: s.srv.URL + "/faq#q=how long is the warranty",
		Kind:     ragkb.DocQA,
		Title:    "How long is the warranty?",
		URL:      s.srv.URL + "/faq#faq-question-1700000000001",
		Text:     "All products have a 24-month warranty.",
		Language: "en",
	}
	if d.SourceID != want.SourceID || d.Kind != want.Kind || d.Title != want.Title || d.URL != want.URL ||
		d.Text != want.Text || d.Language != want.Language {
		t.Errorf("document:\n got %+v\nwant %+v", *d, want)
	}
	if d.Hash == "" || d.ID != "" || d.TenantID != "" {
		t.Errorf("hash must be set and ids left to the indexer: %+v", d)
	}
	if got := s.count("GET /sitemap"); got != 0 {
		t.Errorf("sitemap fetched %d times without sitemap: true", got)
	}
}

func TestFetchNoFAQ(t *testing.T) {
	s := newSite(t, map[string]string{"/about": "none.html"}, "")
	_, err := newTestConnector().Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeFAQPage,
		FAQPage: &ragkb.FAQPageSpec{URL: s.srv.URL + "/about"}})
	want := "No questions and answers were found on " + s.srv.URL + "/about"
	if ragkb.ErrorMessage(err) != want {
		t.Errorf("got %v, want %q", err, want)
	}
	_, err = newTestConnector().Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypeFAQPage,
		FAQPage: &ragkb.FAQPageSpec{URL: s.srv.URL + "/gone"}})
	if ragkb.ErrorCodeOf(err) != ragkb.ENOTFOUND || !strings.Contains(ragkb.ErrorMessage(err), "answered 404") {
		t.Errorf("missing page: got %v", err)
	}
}

func TestFetchSitemapCrawl(t *testing.T) {
	pages := map[string]string{
		"/":           "none.html",
		"/pages/help": "dawn.html",
		"/blog/faq":   "rankmath.html",
		"/about":      "none.html",
		"/private/x":  "elementor.html",
		"/shipping":   "gutenberg.html",
		"/help/copy":  "dawn.html",
		"/p/jacket":   "product_details.html",
	}
	s := newSite(t, pages, "User-agent: *\nDisallow: /private\nSitemap: {{base}}/sitemap.xml\n")
	r := &ragkb.Resource{Type: ragkb.TypeFAQPage, Language: "en",
		FAQPage: &ragkb.FAQPageSpec{URL: s.srv.URL + "/", Sitemap: true, MaxPages: 4}}
	res, err := newTestConnector().Fetch(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	// The start page and the first three FAQ-like pages fill max_pages 4
	// (sitemap order: /blog/faq, /help/copy, /pages/help, /shipping);
	// /pages/help repeats /help/copy, so its pairs are kept once.
	for _, p := range []string{"GET /about", "GET /shipping"} {
		if got := s.count(p); got != 0 {
			t.Errorf("%s fetched %d times, want 0 (max_pages)", p, got)
		}
	}
	if got := s.count("GET /pages/help"); got != 1 {
		t.Errorf("/pages/help fetched %d times, want 1", got)
	}
	if got, want := len(res.Documents), 2+2; got != want {
		t.Errorf("documents: got %d, want %d", got, want)
	}
	var warned bool
	for _, w := range res.Warnings {
		if w == "No questions and answers were found on "+s.srv.URL+"/" {
			warned = true
		}
	}
	if !warned {
		t.Errorf("warnings %q: want one about the empty start page", res.Warnings)
	}
	seen := map[string]bool{}
	for _, d := range res.Documents {
		if seen[d.SourceID] {
			t.Errorf("duplicate source id %s", d.SourceID)
		}
		seen[d.SourceID] = true
	}

	// Disallowed pages are skipped with a warning.
	r.FAQPage.MaxPages = 10
	res, err = newTestConnector().Fetch(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.count("GET /private"); got != 0 {
		t.Errorf("robots.txt-disallowed page fetched %d times", got)
	}
	if res.Skipped != 1 {
		t.Errorf("skipped: got %d, want 1 (the disallowed page)", res.Skipped)
	}
	// On the crawled product page only the details whose summary is a
	// question count ("Specifications" is not a FAQ entry).
	if got, want := len(res.Documents), 2+2+2+1; got != want {
		t.Errorf("documents of the whole site: got %d, want %d", got, want)
	}
	for _, d := range res.Documents {
		if d.Title == "Specifications" {
			t.Errorf("a product page's specifications were taken as a FAQ entry")
		}
	}
}
