package policy

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/internal/golden"
)

var _ ragkb.Connector = (*Connector)(nil)

func TestSectionsGolden(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		title  string
		format string
	}{
		{name: "markdown with setext heading", file: "returns.md", format: "markdown"},
		{name: "plain text with title lines", file: "shipping.txt", title: "Shipping", format: "text"},
		{name: "html fragment", file: "privacy.html", format: "html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join("..", "..", "testdata", "policy", tt.file)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Sections(tt.title, string(b), tt.format)
			if err != nil {
				t.Fatalf("Sections: %v", err)
			}
			golden.JSON(t, strings.TrimSuffix(path, filepath.Ext(path))+".golden.json", got)
		})
	}
}

func TestSections(t *testing.T) {
	tests := []struct {
		name       string
		title      string
		content    string
		format     string
		wantTitles []string
		wantTexts  []string
	}{
		{
			name:       "markdown title from h1 and nested headings",
			content:    "# Terms\nIntro.\n## Payment\nPay by card.\n### Instalments\nUp to 10.\n## Delivery\nFast.",
			format:     "markdown",
			wantTitles: []string{"Terms", "Terms — Payment", "Terms — Payment — Instalments", "Terms — Delivery"},
			wantTexts:  []string{"Intro.", "Pay by card.", "Up to 10.", "Fast."},
		},
		{
			name:       "given title wins over h1",
			title:      "Our terms",
			content:    "# Terms\nIntro.",
			format:     "md",
			wantTitles: []string{"Our terms — Terms"},
			wantTexts:  []string{"Intro."},
		},
		{
			name:       "text without headings keeps one section",
			content:    "You can return items within 14 days.\n\nRefunds take 5 days.",
			format:     "",
			wantTitles: []string{"Policy"},
			wantTexts:  []string{"You can return items within 14 days.\nRefunds take 5 days."},
		},
		{
			name:       "html headings h1 to h4 and list items",
			title:      "Returns",
			content:    "<h2>How</h2><ul><li>Pack it</li><li>Send it</li></ul><h5>Note</h5><p>Keep the receipt.</p>",
			format:     "HTML",
			wantTitles: []string{"Returns — How"},
			wantTexts:  []string{"- Pack it\n- Send it\nNote\nKeep the receipt."},
		},
		{
			name:       "markdown links and emphasis are cleaned",
			title:      "P",
			content:    "Read **the** [form](https://x.example/f) and ![logo](l.png) _now_",
			format:     "markdown",
			wantTitles: []string{"P"},
			wantTexts:  []string{"Read the form (https://x.example/f) and logo now"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sections(tt.title, tt.content, tt.format)
			if err != nil {
				t.Fatalf("Sections: %v", err)
			}
			var titles, texts []string
			for _, s := range got {
				titles = append(titles, s.Title)
				texts = append(texts, s.Text)
			}
			if strings.Join(titles, "|") != strings.Join(tt.wantTitles, "|") {
				t.Errorf("titles: got %q, want %q", titles, tt.wantTitles)
			}
			if strings.Join(texts, "|") != strings.Join(tt.wantTexts, "|") {
				t.Errorf("texts: got %q, want %q", texts, tt.wantTexts)
			}
		})
	}
}

func TestSectionsInvalidFormat(t *testing.T) {
	_, err := Sections("", "x", "pdf")
	if ragkb.ErrorCodeOf(err) != ragkb.EINVALID || ragkb.ErrorField(err) != "policy.format" {
		t.Fatalf("got %v, want invalid policy.format", err)
	}
}

func TestFetchInline(t *testing.T) {
	c := New(Config{})
	r := &ragkb.Resource{Type: ragkb.TypePolicy, Language: "en", Policy: &ragkb.PolicySpec{
		Title: "Returns", Format: "markdown",
		Content: "## Window\nReturn within 30 days.\n## Window\nAgain.\n## Refunds\nWithin 5 days.",
	}}
	res, err := c.Fetch(context.Background(), r)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	var ids []string
	for _, d := range res.Documents {
		ids = append(ids, d.SourceID)
		if d.Kind != ragkb.DocPage || d.Hash == "" || d.Language != "en" {
			t.Errorf("document %+v: want kind page, a hash and language en", d)
		}
	}
	want := "section:window|section:window-2|section:refunds"
	if got := strings.Join(ids, "|"); got != want {
		t.Errorf("source ids: got %s, want %s", got, want)
	}
	if got, want := res.Documents[2].Title, "Returns — Refunds"; got != want {
		t.Errorf("title: got %q, want %q", got, want)
	}

	tests := []struct {
		name      string
		spec      *ragkb.PolicySpec
		wantField string
	}{
		{name: "missing spec", spec: nil, wantField: "policy"},
		{name: "empty content", spec: &ragkb.PolicySpec{Content: "  "}, wantField: "policy.content"},
		{name: "bad format", spec: &ragkb.PolicySpec{Content: "x", Format: "doc"}, wantField: "policy.format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypePolicy, Policy: tt.spec})
			if got := ragkb.ErrorField(err); got != tt.wantField || ragkb.ErrorCodeOf(err) != ragkb.EINVALID {
				t.Errorf("got %v (field %q), want invalid %q", err, got, tt.wantField)
			}
		})
	}
}

func FuzzSections(f *testing.F) {
	for _, file := range []string{"returns.md", "shipping.txt", "privacy.html"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "policy", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), strings.TrimPrefix(filepath.Ext(file), "."))
	}
	f.Fuzz(func(t *testing.T, content, format string) {
		for _, fm := range []string{"text", "markdown", "html", format} {
			secs, err := Sections("", content, fm)
			if err != nil {
				continue
			}
			for _, s := range secs {
				if strings.TrimSpace(s.Text) == "" {
					t.Errorf("format %s: empty section %+v", fm, s)
				}
			}
		}
	})
}

func TestPageSectionsGolden(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "policy", "returns_page.html")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	got := PageSections("", doc)
	for _, s := range got {
		for _, junk := range []string{"cookie", "Kategorie", "Regulamin", "Wyślij", "©", "__STATE__"} {
			if strings.Contains(s.Text, junk) {
				t.Errorf("section %q contains boilerplate %q", s.Title, junk)
			}
		}
	}
	golden.JSON(t, strings.TrimSuffix(path, ".html")+".golden.json", got)
}

func TestFetchURL(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("..", "..", "testdata", "policy", "returns_page.html"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/zwroty":
			if r.Method != http.MethodGet || !strings.HasPrefix(r.Header.Get("User-Agent"), "ragkb/") {
				t.Errorf("request %s with User-Agent %q", r.Method, r.Header.Get("User-Agent"))
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		case "/file.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.4"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	f := connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, PerHostInterval: time.Nanosecond})
	c := New(Config{Fetcher: f})
	res, err := c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypePolicy,
		Policy: &ragkb.PolicySpec{URL: srv.URL + "/zwroty"}})
	if err != nil {
		t.Fatal(err)
	}
	var titles, urls []string
	for _, d := range res.Documents {
		titles = append(titles, d.Title)
		urls = append(urls, strings.TrimPrefix(d.URL, srv.URL))
		if d.Language != "pl" {
			t.Errorf("language: got %q, want pl", d.Language)
		}
	}
	wantTitles := "Zwroty i reklamacje|Zwroty i reklamacje — Zwrot towaru|Zwroty i reklamacje — Reklamacje|Zwroty i reklamacje — Reklamacje — Rękojmia"
	if got := strings.Join(titles, "|"); got != wantTitles {
		t.Errorf("titles: got %s, want %s", got, wantTitles)
	}
	if got, want := strings.Join(urls, " "), "/zwroty /zwroty#zwrot /zwroty#reklamacje /zwroty#reklamacje"; got != want {
		t.Errorf("urls: got %s, want %s", got, want)
	}

	_, err = c.Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypePolicy,
		Policy: &ragkb.PolicySpec{URL: srv.URL + "/file.pdf"}})
	if ragkb.ErrorCodeOf(err) != ragkb.EINVALID || !strings.Contains(ragkb.ErrorMessage(err), "is not an HTML page") {
		t.Errorf("pdf: got %v", err)
	}
	_, err = New(Config{}).Fetch(context.Background(), &ragkb.Resource{Type: ragkb.TypePolicy,
		Policy: &ragkb.PolicySpec{URL: srv.URL + "/zwroty"}})
	if ragkb.ErrorCodeOf(err) != ragkb.EUNAVAILABLE {
		t.Errorf("no fetcher: got %v, want unavailable", err)
	}
}
