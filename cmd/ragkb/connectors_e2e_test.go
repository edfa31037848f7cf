package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors/allegro"
)

// These tests drive every connector through the real HTTP API of the
// embedded service: fake provider servers (httptest) replay the fixtures of
// testdata/, the worker fetches and indexes them, and /v1/search and
// /v1/answer must cite the right page or product.

const fixturesDir = "../../testdata"

// fakeSite is a provider's web server: it maps paths to handlers, answers
// everything else (robots.txt included) with 404, checks that every request
// is a GET from ragkb and counts requests per path.
type fakeSite struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	hits   map[string]int
}

func newFakeSite(t *testing.T) *fakeSite {
	t.Helper()
	f := &fakeSite{t: t, routes: map[string]http.HandlerFunc{}, hits: map[string]int{}}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.hits[r.URL.Path]++
	h := f.routes[r.URL.Path]
	f.mu.Unlock()
	if r.Method != http.MethodGet {
		f.t.Errorf("%s %s: want GET", r.Method, r.URL)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "ragkb/") {
		f.t.Errorf("%s: User-Agent %q, want ragkb/...", r.URL, ua)
	}
	if h == nil {
		http.NotFound(w, r)
		return
	}
	h(w, r)
}

// route sets (or replaces) the handler of path.
func (f *fakeSite) route(path string, h http.HandlerFunc) {
	f.mu.Lock()
	f.routes[path] = h
	f.mu.Unlock()
}

// file serves a fixture under testdata/ at path.
func (f *fakeSite) file(path, contentType, fixture string) {
	f.t.Helper()
	b := readFixture(f.t, fixture)
	f.route(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(b)
	})
}

// status makes path answer code with a small body.
func (f *fakeSite) status(path string, code int) {
	f.route(path, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, http.StatusText(code), code)
	})
}

func (f *fakeSite) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

func (f *fakeSite) url(path string) string { return f.srv.URL + path }

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixturesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	htmlType = "text/html; charset=utf-8"
	jsonType = "application/json; charset=utf-8"
	xmlType  = "application/xml; charset=utf-8"
)

// serveSitemap serves /sitemap.xml listing paths of f, in this order.
func (f *fakeSite) serveSitemap(paths ...string) {
	f.route("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", xmlType)
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for _, p := range paths {
			fmt.Fprintf(w, "<url><loc>%s</loc></url>", f.url(p))
		}
		fmt.Fprint(w, "</urlset>")
	})
}

// allegroToken is the bearer token the fake Allegro API accepts.
const allegroToken = "allegro-user-token-e2e"

// fakeAllegro serves the Allegro fixtures like the REST API: it checks the
// bearer token and the Allegro media type on every call (406 for another
// Accept, 401 for another token) and the listing query.
func fakeAllegro(t *testing.T) *fakeSite {
	f := newFakeSite(t)
	serve := func(name string) http.HandlerFunc {
		b := readFixture(t, "offers/allegro/"+name)
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", allegro.MediaType)
			if r.Header.Get("Accept") != allegro.MediaType {
				w.WriteHeader(http.StatusNotAcceptable)
				io.WriteString(w, `{"errors":[{"code":"NotAcceptableException","message":"Not acceptable","userMessage":"Not acceptable"}]}`)
				return
			}
			if r.Header.Get("Authorization") != "Bearer "+allegroToken {
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, `{"error":"invalid_token","error_description":"Invalid access token"}`)
				return
			}
			w.Write(b)
		}
	}
	page1 := serve("offers_page1.json")
	f.route("/sale/offers", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("publication.status") != "ACTIVE" || q.Get("offset") != "0" || q.Get("limit") == "" {
			t.Errorf("listing query %q: want publication.status=ACTIVE, offset=0 and a limit", r.URL.RawQuery)
		}
		page1(w, r)
	})
	f.route("/sale/product-offers/14243255670", serve("product-offer-14243255670.json"))
	f.route("/sale/product-offers/14243255671", serve("product-offer-14243255671.json"))
	f.route("/after-sales-service-conditions/return-policies/9a1c2b3d-0000-4000-8000-000000000002", serve("return-policy.json"))
	f.route("/after-sales-service-conditions/implied-warranties/9a1c2b3d-0000-4000-8000-000000000001", serve("implied-warranty.json"))
	f.route("/after-sales-service-conditions/warranties/9a1c2b3d-0000-4000-8000-000000000003", serve("warranty.json"))
	f.route("/sale/shipping-rates/5d6e7f80-0000-4000-8000-000000000010", serve("shipping-rates.json"))
	return f
}

// as returns a copy of s whose helpers report to t (a subtest must not
// fail its parent).
func (s *testService) as(t *testing.T) *testService {
	return &testService{t: t, app: s.app, srv: s.srv}
}

// createResource posts a resource and checks the 202 and processing status.
func (s *testService) createResource(key string, body map[string]any) ragkb.Resource {
	s.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		s.t.Fatal(err)
	}
	r, err := s.client(key).CreateResourceBody(context.Background(), "", bytes.NewReader(raw))
	if err != nil {
		s.t.Fatalf("create %v: %v, want 202", body["name"], err)
	}
	if r.Status != ragkb.StatusProcessing || r.ID == "" {
		s.t.Fatalf("create %v: got status %q id %q, want processing and an id", body["name"], r.Status, r.ID)
	}
	return r
}

// insertAllegro stores an Allegro offers resource whose API base is a local
// fake, with its index job, exactly as POST /v1/resources does after
// validation. The API only accepts the official Allegro hosts in offers.url
// (connectors/all.ValidateSpec) and the fetcher dials the URL's own host and
// port, so no request to the API can point the connector at a test server.
func (s *testService) insertAllegro(tenantID, base, token string) ragkb.Resource {
	s.t.Helper()
	now := time.Now().UTC()
	r := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: tenantID, Name: "Allegro", Type: ragkb.TypeOffers, Language: "pl",
		Status: ragkb.StatusProcessing, CreatedAt: now, UpdatedAt: now,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceAllegro, URL: base, Token: token}}
	job := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: tenantID, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: now}
	if err := s.app.Store.CreateResource(context.Background(), r, job); err != nil {
		s.t.Fatal(err)
	}
	return *r
}

// waitDone waits for the resource to leave processing and checks its status.
func (s *testService) waitDone(key, id string, want ragkb.ResourceStatus) ragkb.Resource {
	s.t.Helper()
	r := s.waitStatus(key, id, 20*time.Second)
	if r.Status != want {
		s.t.Fatalf("resource %s (%s): got status %q (error %q, warnings %q), want %q", id, r.Name, r.Status, r.Error, r.Warnings, want)
	}
	return r
}

func (s *testService) ask(key string, req ragkb.AnswerRequest) ragkb.AnswerResponse {
	s.t.Helper()
	a, err := s.client(key).Answer(context.Background(), req)
	if err != nil {
		s.t.Fatalf("answer %q: %v, want 200", req.Question, err)
	}
	return a
}

func (s *testService) search(key, query string) []ragkb.SearchResult {
	s.t.Helper()
	res, err := s.client(key).Search(context.Background(), ragkb.SearchRequest{Query: query, TopK: 5})
	if err != nil {
		s.t.Fatalf("search %q: %v, want 200", query, err)
	}
	return res
}

// withoutFragment drops "#..." from a URL (FAQ entries link to their anchor).
func withoutFragment(u string) string {
	base, _, _ := strings.Cut(u, "#")
	return base
}

// connectorCase is one source of knowledge indexed through the API.
type connectorCase struct {
	name string
	// setup starts the fake provider and returns the resource to create
	// (nil when it inserts the resource itself, see allegro).
	setup func(t *testing.T, s *testService, tenantID string) (body map[string]any, inserted *ragkb.Resource)
	// minDocs is the number of documents the fixture yields.
	minDocs int
	// question asks about a distinctive fact; wantURL is the page or
	// product it must cite, wantWords what the answer must state.
	question  string
	language  string
	wantURL   func() string
	wantTitle string
	wantWords []string
	// check runs extra assertions on the indexed resource.
	check func(t *testing.T, r ragkb.Resource)
}

func TestConnectorsEndToEnd(t *testing.T) {
	s := startService(t, t.TempDir(), map[string]string{"RAGKB_WORKERS": "8"})

	faq := newFakeSite(t)
	faq.file("/faq", htmlType, "faq/jsonld.html")

	crawl := newFakeSite(t)
	crawl.file("/", htmlType, "faq/none.html")
	crawl.file("/about", htmlType, "faq/none.html")
	crawl.file("/help/faq", htmlType, "faq/rankmath.html")
	crawl.file("/shipping", htmlType, "faq/gutenberg.html")
	crawl.file("/support/contact", htmlType, "faq/elementor.html")
	crawl.file("/p/jacket", htmlType, "faq/product_details.html")
	crawl.serveSitemap("/about", "/p/jacket", "/help/faq", "/shipping", "/support/contact")

	pol := newFakeSite(t)
	pol.file("/zwroty", htmlType, "policy/returns_page.html")

	alg := fakeAllegro(t)

	shop := newFakeSite(t)
	shopPage := readFixture(t, "offers/shopify/products_page1.json")
	shop.route("/products.json", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("page") != "1" || q.Get("limit") != "250" {
			t.Errorf("shopify query %q: want limit=250&page=1 only (the first page is short)", r.URL.RawQuery)
		}
		w.Header().Set("Content-Type", jsonType)
		w.Write(shopPage)
	})
	shop.file("/meta.json", jsonType, "offers/shopify/meta.json")

	woo := newFakeSite(t)
	wooPages := map[string][]byte{"1": readFixture(t, "offers/woocommerce/products_page1.json"), "2": readFixture(t, "offers/woocommerce/products_page2.json")}
	woo.route("/wp-json/wc/store/v1/products", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		b, ok := wooPages[q.Get("page")]
		if !ok || q.Get("per_page") == "" {
			t.Errorf("woocommerce query %q: want page 1 or 2 (X-WP-TotalPages: 2) and per_page", r.URL.RawQuery)
			http.Error(w, `{"code":"rest_post_invalid_page_number"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", jsonType)
		w.Header().Set("X-WP-Total", "3")
		w.Header().Set("X-WP-TotalPages", "2")
		w.Write(b)
	})

	feed := newFakeSite(t)
	feed.file("/feeds/google.xml", "application/rss+xml; charset=utf-8", "offers/googlefeed/rss.xml")

	schema := newFakeSite(t)
	schema.file("/", htmlType, "offers/schemaorg/category.html")
	schema.file("/produkt/rower-classic-28", htmlType, "offers/schemaorg/product_graph.html")
	schema.file("/shoes/trail", htmlType, "offers/schemaorg/product_aggregate.html")
	schema.serveSitemap("/o-nas", "/produkt/rower-classic-28", "/shoes/trail")

	offers := func(source, u string) map[string]any {
		return map[string]any{"name": source + " offers", "type": "offers", "offers": map[string]any{"source": source, "url": u}}
	}
	cases := []connectorCase{
		{
			name: "faq_page",
			setup: func(t *testing.T, s *testService, _ string) (map[string]any, *ragkb.Resource) {
				return map[string]any{"name": "FAQ", "type": "faq_page", "language": "en", "faq_page": map[string]any{"url": faq.url("/faq")}}, nil
			},
			minDocs:   3,
			question:  "Do you ship to the UK?",
			wantURL:   func() string { return faq.url("/faq") },
			wantTitle: "Do you ship abroad?",
			wantWords: []string{"EU and the UK"},
		},
		{
			name: "faq_page sitemap crawl",
			setup: func(t *testing.T, s *testService, _ string) (map[string]any, *ragkb.Resource) {
				return map[string]any{"name": "Help centre", "type": "faq_page", "language": "en",
					"faq_page": map[string]any{"url": crawl.url("/"), "sitemap": true, "max_pages": 3}}, nil
			},
			minDocs:   4,
			question:  "How much does delivery to a parcel locker cost?",
			wantURL:   func() string { return crawl.url("/shipping") },
			wantTitle: "What delivery methods do you offer?",
			wantWords: []string{"9.99 PLN"},
			check: func(t *testing.T, r ragkb.Resource) {
				// max_pages 3: the start page and the first two FAQ-like pages
				// of the sitemap; the rest is never fetched.
				if r.Documents != 4 {
					t.Errorf("documents: got %d, want 4 (rankmath 2 + gutenberg 2)", r.Documents)
				}
				for _, p := range []string{"/support/contact", "/about", "/p/jacket"} {
					if got := crawl.count(p); got != 0 {
						t.Errorf("%s fetched %d times, want 0 (beyond max_pages)", p, got)
					}
				}
				if crawl.count("/sitemap.xml") != 1 || crawl.count("/help/faq") != 1 || crawl.count("/robots.txt") != 1 {
					t.Errorf("sitemap fetched %d times, /help/faq %d, robots.txt %d; want 1, 1 and 1 (cached)",
						crawl.count("/sitemap.xml"), crawl.count("/help/faq"), crawl.count("/robots.txt"))
				}
			},
		},
		{
			name: "policy by url",
			setup: func(t *testing.T, s *testService, _ string) (map[string]any, *ragkb.Resource) {
				return map[string]any{"name": "Zwroty", "type": "policy", "language": "pl", "policy": map[string]any{"url": pol.url("/zwroty")}}, nil
			},
			minDocs:   3,
			question:  "Jak długo odpowiadacie za wady towaru?",
			language:  "pl",
			wantURL:   func() string { return pol.url("/zwroty") },
			wantTitle: "Zwroty i reklamacje — Reklamacje — Rękojmia",
			wantWords: []string{"2 lata"},
		},
		{
			name: "offers allegro",
			setup: func(t *testing.T, s *testService, tenantID string) (map[string]any, *ragkb.Resource) {
				r := s.insertAllegro(tenantID, alg.srv.URL, allegroToken)
				return nil, &r
			},
			minDocs:   2,
			question:  "Ile kosztuje czajnik elektryczny Acme?",
			language:  "pl",
			wantURL:   func() string { return "https://allegro.pl/oferta/14243255670" },
			wantTitle: "Czajnik elektryczny Acme 1,7 l stal",
			wantWords: []string{"129.99"},
			check: func(t *testing.T, r ragkb.Resource) {
				if r.Documents != 2 {
					t.Errorf("documents: got %d, want 2", r.Documents)
				}
				if r.Offers == nil || r.Offers.Token != "********" {
					t.Errorf("offers as shown by the API: got %+v, want the token masked", r.Offers)
				}
				if got := alg.count("/robots.txt"); got != 0 {
					t.Errorf("robots.txt read %d times from the Allegro API, want 0 (API calls)", got)
				}
				if alg.count("/after-sales-service-conditions/return-policies/9a1c2b3d-0000-4000-8000-000000000002") != 1 {
					t.Errorf("the shared return policy was read %d times, want once per run", alg.count("/after-sales-service-conditions/return-policies/9a1c2b3d-0000-4000-8000-000000000002"))
				}
			},
		},
		{
			name: "offers shopify",
			setup: func(t *testing.T, s *testService, _ string) (map[string]any, *ragkb.Resource) {
				return offers("shopify", shop.url("/")), nil
			},
			minDocs:   2,
			question:  "How much is the Organic Cotton Tee?",
			wantURL:   func() string { return shop.url("/products/organic-cotton-tee") },
			wantTitle: "Organic Cotton Tee",
			wantWords: []string{"19.99"},
		},
		{
			name: "offers woocommerce",
			setup: func(t *testing.T, s *testService, _ string) (map[string]any, *ragkb.Resource) {
				return offers("woocommerce", woo.url("/")), nil
			},
			minDocs:   3,
			question:  "How much does the Beanie with Logo cost?",
			wantURL:   func() string { return "https://woo.example/product/beanie-with-logo/" },
			wantTitle: "Beanie with Logo",
			wantWords: []string{"11.05"},
			check: func(t *testing.T, r ragkb.Resource) {
				if got := woo.count("/wp-json/wc/store/v1/products"); got != 2 {
					t.Errorf("store API pages read: got %d, want 2 (X-WP-TotalPages)", got)
				}
			},
		},
		{
			name: "offers google_feed",
			setup: func(t *testing.T, s *testService, _ string) (map[string]any, *ragkb.Resource) {
				return offers("google_feed", feed.url("/feeds/google.xml")), nil
			},
			minDocs:   2,
			question:  "What is the price of the Electric Kettle 1.7 L?",
			wantURL:   func() string { return "https://shop.example/p/electric-kettle" },
			wantTitle: "Electric Kettle 1.7 L",
			wantWords: []string{"99.99"},
		},
		{
			name: "offers schema_org",
			setup: func(t *testing.T, s *testService, _ string) (map[string]any, *ragkb.Resource) {
				return offers("schema_org", schema.url("/")), nil
			},
			minDocs:   2,
			question:  "How much are the Trail Running Shoes?",
			wantURL:   func() string { return schema.url("/shoes/trail") },
			wantTitle: "Trail Running Shoes",
			wantWords: []string{"89.50"},
			check: func(t *testing.T, r ragkb.Resource) {
				// The sitemap lists a page that is gone: skipped, and said so.
				want := "The page " + schema.url("/o-nas") + " answered 404"
				if r.LastRun.Skipped != 1 || len(r.Warnings) != 1 || !strings.HasPrefix(r.Warnings[0], want) {
					t.Errorf("skipped %d, warnings %q: want one starting %q", r.LastRun.Skipped, r.Warnings, want)
				}
				if r.Documents != 2 {
					t.Errorf("documents: got %d, want 2 (bike and shoes)", r.Documents)
				}
			},
		},
	}

	// Create every resource first (each in its own tenant, so that the
	// tenant's whole knowledge is this one source), then check them: the
	// crawls run concurrently.
	type created struct {
		res      ragkb.Resource
		merchant string
		chatbot  string
	}
	made := make([]created, len(cases))
	for i, tc := range cases {
		tenantID, merchant, chatbot := s.tenantWithKeys(tc.name)
		body, inserted := tc.setup(t, s, tenantID)
		if inserted != nil {
			made[i] = created{*inserted, merchant, chatbot}
			continue
		}
		made[i] = created{s.createResource(merchant, body), merchant, chatbot}
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := s.as(t)
			m := made[i]
			r := s.waitDone(m.merchant, m.res.ID, ragkb.StatusSuccess)
			if r.Documents < tc.minDocs || r.Chunks < r.Documents || r.IndexedAt == nil || r.LastRun == nil || r.LastRun.Added != r.Documents {
				t.Fatalf("indexed: got documents=%d chunks=%d indexed_at=%v last_run=%+v, want >= %d documents all added",
					r.Documents, r.Chunks, r.IndexedAt, r.LastRun, tc.minDocs)
			}
			if tc.check != nil {
				tc.check(t, r)
			}

			hits := s.search(m.chatbot, tc.question)
			if len(hits) == 0 {
				t.Fatalf("search %q: no results", tc.question)
			}
			if got := hits[0]; withoutFragment(got.URL) != tc.wantURL() || got.ResourceID != r.ID || got.Title != tc.wantTitle {
				t.Errorf("search %q: first result %q <%s> of %s, want %q <%s> of %s", tc.question, got.Title, got.URL, got.ResourceID, tc.wantTitle, tc.wantURL(), r.ID)
			}

			a := s.ask(m.chatbot, ragkb.AnswerRequest{Question: tc.question, Language: tc.language})
			if a.Status != ragkb.AnswerAnswered || len(a.Citations) == 0 {
				t.Fatalf("answer %q: got status %s tier %s %q with %d citations, want answered", tc.question, a.Status, a.Tier, a.Answer, len(a.Citations))
			}
			if a.Tier != ragkb.TierFast && a.Tier != ragkb.TierGrounded {
				t.Errorf("tier: got %s, want fast or grounded (no LLM configured)", a.Tier)
			}
			c := a.Citations[0]
			if withoutFragment(c.URL) != tc.wantURL() || c.ResourceID != r.ID || c.Title != tc.wantTitle {
				t.Errorf("first citation: got %q <%s> of %s, want %q <%s> of %s", c.Title, c.URL, c.ResourceID, tc.wantTitle, tc.wantURL(), r.ID)
			}
			for _, w := range tc.wantWords {
				if !strings.Contains(a.Answer, w) {
					t.Errorf("answer %q: want it to state %q", a.Answer, w)
				}
			}
		})
	}

	t.Run("allegro url restricted to the official API", func(t *testing.T) {
		s := s.as(t)
		_, merchant, _ := s.tenantWithKeys("allegro via API")
		var p struct{ Field, Detail string }
		body := map[string]any{"name": "Allegro", "type": "offers", "offers": map[string]any{"source": "allegro", "url": alg.srv.URL, "token": allegroToken}}
		if code := s.call("POST", "/v1/resources", merchant, body, &p); code != http.StatusBadRequest || p.Field != "offers.url" {
			t.Errorf("allegro with a local API base: got %d field %q (%s), want 400 naming offers.url", code, p.Field, p.Detail)
		}
	})
}

// rawCall is s.call that also returns the response headers.
func (s *testService) rawCall(method, path, key string, body, out any) (int, http.Header) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.srv.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+key)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return resp.StatusCode, resp.Header
}

// TestSSRFGuardFailsLoopbackFAQ runs with RAGKB_ALLOW_PRIVATE_URLS off: a FAQ
// page on the loopback interface is accepted, then fails with the guard's
// reason; retry fails again; the failure is an event; a successful
// resource cannot be retried.
func TestSSRFGuardFailsLoopbackFAQ(t *testing.T) {
	s := startService(t, t.TempDir(), map[string]string{"RAGKB_ALLOW_PRIVATE_URLS": "false"})
	_, merchant, _ := s.tenantWithKeys("Shop")
	site := newFakeSite(t)
	site.file("/faq", htmlType, "faq/jsonld.html")

	res := s.createResource(merchant, map[string]any{"name": "FAQ", "type": "faq_page", "faq_page": map[string]any{"url": site.url("/faq")}})
	r := s.waitDone(merchant, res.ID, ragkb.StatusFailed)
	for _, w := range []string{site.url("/faq"), "private network address", "RAGKB_ALLOW_PRIVATE_URLS"} {
		if !strings.Contains(r.Error, w) {
			t.Errorf("error %q: want it to contain %q", r.Error, w)
		}
	}
	if r.Documents != 0 || r.Attempts != 1 {
		t.Errorf("failed resource: got documents=%d attempts=%d, want 0 and 1", r.Documents, r.Attempts)
	}

	var retried ragkb.Resource
	if code := s.call("POST", "/v1/resources/"+res.ID+"/retry", merchant, nil, &retried); code != http.StatusAccepted || retried.Status != ragkb.StatusProcessing || retried.Error != "" {
		t.Fatalf("retry: got %d status %q error %q, want 202, processing and no error", code, retried.Status, retried.Error)
	}
	r = s.waitDone(merchant, res.ID, ragkb.StatusFailed)
	if !strings.Contains(r.Error, "private network address") {
		t.Errorf("error after retry: got %q, want the private address reason", r.Error)
	}
	if n := site.count("/faq") + site.count("/robots.txt"); n != 0 {
		t.Errorf("the loopback site got %d requests, want none", n)
	}

	var evs struct{ Events []ragkb.Event }
	if code := s.call("GET", "/v1/events?type=resource_failed", merchant, nil, &evs); code != http.StatusOK {
		t.Fatalf("events: got %d", code)
	}
	n := 0
	for _, e := range evs.Events {
		if e.Type != ragkb.EventResourceFailed {
			t.Errorf("event type %q in a resource_failed listing", e.Type)
		}
		if e.ResourceID == res.ID && strings.Contains(e.Detail, "private network address") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("resource_failed events of %s: got %d, want 2 (first run and retry): %+v", res.ID, n, evs.Events)
	}

	var admin struct{ Resources []ragkb.Resource }
	s.call("GET", "/v1/admin/resources?status=failed", testAdminKey, nil, &admin)
	if len(admin.Resources) != 1 || admin.Resources[0].ID != res.ID {
		t.Errorf("admin failed list: got %+v, want the FAQ resource", admin.Resources)
	}

	ok := s.createResource(merchant, map[string]any{"name": "Terms", "type": "policy",
		"policy": map[string]any{"title": "Terms", "content": "Orders are shipped within two working days.", "format": "text"}})
	s.waitDone(merchant, ok.ID, ragkb.StatusSuccess)
	var p struct{ Detail string }
	if code := s.call("POST", "/v1/resources/"+ok.ID+"/retry", merchant, nil, &p); code != http.StatusConflict {
		t.Errorf("retry of a successful resource: got %d (%s), want 409", code, p.Detail)
	}
}

// feedServer serves a Google feed whose body the test can change, and can
// hold requests until released.
type feedServer struct {
	*fakeSite
	mu   sync.Mutex
	body string
	// hold, when set, is closed by the test to let held requests answer;
	// held receives one value per held request.
	hold chan struct{}
	held chan struct{}
}

func newFeedServer(t *testing.T, fixture string) *feedServer {
	fs := &feedServer{fakeSite: newFakeSite(t), body: string(readFixture(t, fixture)), held: make(chan struct{}, 8)}
	fs.route("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		hold := fs.hold
		fs.mu.Unlock()
		if hold != nil {
			fs.held <- struct{}{}
			select {
			case <-hold:
			case <-r.Context().Done():
				return
			}
		}
		fs.mu.Lock()
		b := fs.body
		fs.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		io.WriteString(w, b)
	})
	return fs
}

// edit replaces old with new in the feed, which must contain old.
func (fs *feedServer) edit(t *testing.T, old, new string) {
	t.Helper()
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if !strings.Contains(fs.body, old) {
		t.Fatalf("feed has no %q", old)
	}
	fs.body = strings.Replace(fs.body, old, new, 1)
}

// TestRefreshOffersMonthlyLimit: offers may be refreshed by hand once a month.
func TestRefreshOffersMonthlyLimit(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, _ := s.tenantWithKeys("Shop")
	fs := newFeedServer(t, "e2e/feed.xml")
	res := s.createResource(merchant, map[string]any{"name": "Feed", "type": "offers", "offers": map[string]any{"source": "google_feed", "url": fs.url("/feed.xml")}})
	s.waitDone(merchant, res.ID, ragkb.StatusSuccess)

	// The refresh's fetch is held so that the second request surely comes
	// while the first refresh is still running.
	release := make(chan struct{})
	fs.mu.Lock()
	fs.hold = release
	fs.mu.Unlock()
	var refreshed ragkb.Resource
	before := time.Now().UTC()
	if code := s.call("POST", "/v1/resources/"+res.ID+"/refresh", merchant, nil, &refreshed); code != http.StatusAccepted || refreshed.Status != ragkb.StatusProcessing {
		t.Fatalf("first refresh: got %d status %q, want 202 processing", code, refreshed.Status)
	}
	monthLater := before.AddDate(0, 1, 0)
	if refreshed.RefreshAvailableAt == nil || refreshed.RefreshAvailableAt.Before(monthLater.Add(-time.Minute)) || refreshed.RefreshAvailableAt.After(monthLater.Add(time.Minute)) {
		t.Errorf("refresh_available_at: got %v, want about %v", refreshed.RefreshAvailableAt, monthLater)
	}
	select {
	case <-fs.held:
	case <-time.After(10 * time.Second):
		t.Fatal("the refresh never fetched the feed")
	}
	t.Run("second refresh at once", func(t *testing.T) {
		s := s.as(t)
		var p struct {
			Detail             string
			RefreshAvailableAt *time.Time `json:"refresh_available_at"`
		}
		code, hdr := s.rawCall("POST", "/v1/resources/"+res.ID+"/refresh", merchant, nil, &p)
		if code != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" || p.RefreshAvailableAt == nil {
			t.Errorf("second refresh at once: got %d Retry-After %q refresh_available_at %v, want 429 with both", code, hdr.Get("Retry-After"), p.RefreshAvailableAt)
		}
	})
	fs.mu.Lock()
	fs.hold = nil
	fs.mu.Unlock()
	close(release)
	r := s.waitDone(merchant, res.ID, ragkb.StatusSuccess)
	if fs.count("/feed.xml") != 2 {
		t.Errorf("feed fetched %d times, want 2 (index and refresh)", fs.count("/feed.xml"))
	}
	if r.RefreshAvailableAt == nil || !r.RefreshAvailableAt.Equal(*refreshed.RefreshAvailableAt) {
		t.Errorf("resource refresh_available_at: got %v, want %v", r.RefreshAvailableAt, refreshed.RefreshAvailableAt)
	}

	var p struct {
		Status             int
		Detail             string
		RefreshAvailableAt *time.Time `json:"refresh_available_at"`
	}
	code, hdr := s.rawCall("POST", "/v1/resources/"+res.ID+"/refresh", merchant, nil, &p)
	if code != http.StatusTooManyRequests || p.Status != http.StatusTooManyRequests {
		t.Fatalf("second refresh: got %d (%+v), want 429", code, p)
	}
	secs, err := strconv.Atoi(hdr.Get("Retry-After"))
	if err != nil || secs < 27*24*3600 || secs > 31*24*3600+60 {
		t.Errorf("Retry-After: got %q, want about one month in seconds", hdr.Get("Retry-After"))
	}
	if p.RefreshAvailableAt == nil || !p.RefreshAvailableAt.Equal(*refreshed.RefreshAvailableAt) {
		t.Errorf("problem refresh_available_at: got %v, want %v", p.RefreshAvailableAt, refreshed.RefreshAvailableAt)
	}
	if wait := time.Until(*refreshed.RefreshAvailableAt).Seconds(); float64(secs) < wait-5 || float64(secs) > wait+5 {
		t.Errorf("Retry-After %ds does not match refresh_available_at (%0.fs away)", secs, wait)
	}
	if !strings.Contains(p.Detail, "once a month") {
		t.Errorf("detail: got %q, want it to say offers refresh once a month", p.Detail)
	}
	if fs.count("/feed.xml") != 2 {
		t.Errorf("feed fetched %d times after a refused refresh, want 2", fs.count("/feed.xml"))
	}
	if r := s.waitStatus(merchant, res.ID, time.Second); r.Status != ragkb.StatusSuccess {
		t.Errorf("status after a refused refresh: got %q, want success", r.Status)
	}

	kb := s.createResource(merchant, kbResource())
	s.waitDone(merchant, kb.ID, ragkb.StatusSuccess)
	if code := s.call("POST", "/v1/resources/"+kb.ID+"/refresh", merchant, nil, &p); code != http.StatusConflict {
		t.Errorf("refresh of a knowledge base: got %d (%s), want 409", code, p.Detail)
	}
}

// TestRefreshIncrementalFeed: a refresh re-embeds only what changed and
// removes what left the feed.
func TestRefreshIncrementalFeed(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Kitchen Corner")
	fs := newFeedServer(t, "e2e/feed.xml")
	spec := map[string]any{"name": "Feed", "type": "offers", "language": "en", "offers": map[string]any{"source": "google_feed", "url": fs.url("/feed.xml")}}
	res := s.createResource(merchant, spec)
	r := s.waitDone(merchant, res.ID, ragkb.StatusSuccess)
	if r.Documents != 4 || r.LastRun == nil || r.LastRun.Added != 4 {
		t.Fatalf("first index: got documents=%d last_run=%+v, want 4 added", r.Documents, r.LastRun)
	}

	const grinderURL = "https://kitchen.example/p/burr-coffee-grinder"
	a := s.ask(chatbot, ragkb.AnswerRequest{Question: "How much does the Burr Coffee Grinder cost?"})
	if a.Status != ragkb.AnswerAnswered || len(a.Citations) == 0 || a.Citations[0].URL != grinderURL || !strings.Contains(a.Answer, "249.00") {
		t.Fatalf("price before: got %s %q citing %+v, want 249.00 from %s", a.Status, a.Answer, a.Citations, grinderURL)
	}

	// A new price for one item: one changed document, three unchanged.
	fs.edit(t, "<g:price>249.00 PLN</g:price>", "<g:price>199.00 PLN</g:price>")
	if code := s.call("POST", "/v1/resources/"+res.ID+"/refresh", merchant, nil, nil); code != http.StatusAccepted {
		t.Fatalf("refresh: got %d, want 202", code)
	}
	r = s.waitDone(merchant, res.ID, ragkb.StatusSuccess)
	if got, want := *r.LastRun, (ragkb.RunStats{Changed: 1, Unchanged: 3, Embedded: r.LastRun.Embedded}); got.Added != want.Added || got.Changed != want.Changed || got.Removed != want.Removed || got.Unchanged != want.Unchanged {
		t.Errorf("last_run after a price change: got %+v, want changed 1, unchanged 3", got)
	}
	if r.LastRun.Embedded == 0 || r.LastRun.Embedded > 2 {
		t.Errorf("embedded chunks after one change: got %d, want only the changed offer's", r.LastRun.Embedded)
	}
	a = s.ask(chatbot, ragkb.AnswerRequest{Question: "How much does the Burr Coffee Grinder cost?"})
	if a.Status != ragkb.AnswerAnswered || len(a.Citations) == 0 || a.Citations[0].URL != grinderURL || a.Citations[0].ResourceID != res.ID {
		t.Fatalf("price after: got %s %q citing %+v, want an answer citing %s", a.Status, a.Answer, a.Citations, grinderURL)
	}
	if !strings.Contains(a.Answer, "199.00") || strings.Contains(a.Answer, "249.00") {
		t.Errorf("price after: got %q, want the new price 199.00 and not the old 249.00", a.Answer)
	}

	// An item leaves the feed: it is removed and can no longer be found.
	// (The monthly manual refresh is used up, and so an identical PUT is
	// refused too; a PUT that renames the resource re-indexes the same way.)
	const fondueURL = "https://kitchen.example/p/copper-fondue-set"
	if hits := s.search(chatbot, "copper fondue set"); len(hits) == 0 || hits[0].URL != fondueURL {
		t.Fatalf("fondue before removal: got %+v, want it found", hits)
	}
	fs.mu.Lock()
	start := strings.Index(fs.body, "<item>\n<g:id>KC-400</g:id>")
	end := strings.Index(fs.body[start:], "</item>\n") + start + len("</item>\n")
	fs.body = fs.body[:start] + fs.body[end:]
	fs.mu.Unlock()
	spec["name"] = fmt.Sprint(spec["name"], " (renamed)")
	if code := s.call("PUT", "/v1/resources/"+res.ID, merchant, spec, nil); code != http.StatusAccepted {
		t.Fatalf("put: got %d, want 202", code)
	}
	r = s.waitDone(merchant, res.ID, ragkb.StatusSuccess)
	if got := *r.LastRun; got.Added != 0 || got.Changed != 0 || got.Removed != 1 || got.Unchanged != 3 || got.Embedded != 0 {
		t.Errorf("last_run after a removal: got %+v, want removed 1, unchanged 3, nothing embedded", got)
	}
	if r.Documents != 3 {
		t.Errorf("documents after a removal: got %d, want 3", r.Documents)
	}
	for _, h := range s.search(chatbot, "copper fondue set") {
		if h.URL == fondueURL {
			t.Errorf("search still finds the removed product: %+v", h)
		}
	}
	a = s.ask(chatbot, ragkb.AnswerRequest{Question: "How much is the Copper Fondue Set?"})
	for _, c := range a.Citations {
		if c.URL == fondueURL {
			t.Errorf("answer cites the removed product: %s %q", a.Status, a.Answer)
		}
	}
}

// TestConnectorSourceFailures: a source that cannot be read ends failed with
// the connector's reason in words the merchant can act on.
func TestConnectorSourceFailures(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	tenantID, merchant, _ := s.tenantWithKeys("Shop")

	gone := newFakeSite(t)
	gone.status("/faq", http.StatusNotFound)
	alg := fakeAllegro(t)

	faqRes := s.createResource(merchant, map[string]any{"name": "FAQ", "type": "faq_page", "faq_page": map[string]any{"url": gone.url("/faq")}})
	algRes := s.insertAllegro(tenantID, alg.srv.URL, "expired-token")

	tests := []struct {
		name      string
		id        string
		wantWords []string
	}{
		{"faq page 404", faqRes.ID, []string{gone.url("/faq"), "answered 404", "check the address"}},
		{"allegro 401", algRes.ID, []string{"Allegro", "401", "reconnect"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := s.as(t)
			r := s.waitDone(merchant, tt.id, ragkb.StatusFailed)
			for _, w := range tt.wantWords {
				if !strings.Contains(r.Error, w) {
					t.Errorf("error %q: want it to contain %q", r.Error, w)
				}
			}
			if r.Documents != 0 || r.IndexedAt != nil {
				t.Errorf("failed first run: got documents=%d indexed_at=%v, want nothing indexed", r.Documents, r.IndexedAt)
			}
		})
	}
	if got := alg.count("/sale/offers"); got != 1 {
		t.Errorf("allegro listing called %d times with a rejected token, want 1 (no retries of a 401)", got)
	}
	for _, p := range []string{"/sale/product-offers/14243255670", "/sale/product-offers/14243255671"} {
		if got := alg.count(p); got != 0 {
			t.Errorf("%s called %d times after the listing was refused", p, got)
		}
	}
}

// TestRefreshFailureKeepsOldContent: while a refresh fails, the content
// indexed before keeps answering and the resource shows the failure.
func TestRefreshFailureKeepsOldContent(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	site := newFakeSite(t)
	site.file("/faq", htmlType, "faq/jsonld.html")
	res := s.createResource(merchant, map[string]any{"name": "FAQ", "type": "faq_page", "language": "en", "faq_page": map[string]any{"url": site.url("/faq")}})
	ok := s.waitDone(merchant, res.ID, ragkb.StatusSuccess)

	const q = "Do you ship to the UK?"
	check := func(when string) {
		t.Helper()
		hits := s.search(chatbot, q)
		if len(hits) == 0 || withoutFragment(hits[0].URL) != site.url("/faq") || !strings.Contains(hits[0].Text, "EU and the UK") {
			t.Errorf("search %s: got %+v, want the FAQ entry", when, hits)
		}
		a := s.ask(chatbot, ragkb.AnswerRequest{Question: q})
		if a.Status != ragkb.AnswerAnswered || len(a.Citations) == 0 || a.Citations[0].ResourceID != res.ID || !strings.Contains(a.Answer, "EU and the UK") {
			t.Errorf("answer %s: got %s %q citing %+v, want the FAQ answer", when, a.Status, a.Answer, a.Citations)
		}
	}
	check("before the refresh")

	site.status("/faq", http.StatusGone)
	if code := s.call("POST", "/v1/resources/"+res.ID+"/refresh", merchant, nil, nil); code != http.StatusAccepted {
		t.Fatalf("refresh: got %d, want 202", code)
	}
	r := s.waitDone(merchant, res.ID, ragkb.StatusFailed)
	if !strings.Contains(r.Error, "answered 410") {
		t.Errorf("error: got %q, want the page's 410", r.Error)
	}
	if r.Documents != ok.Documents || r.Chunks != ok.Chunks || r.IndexedAt == nil || !r.IndexedAt.Equal(*ok.IndexedAt) {
		t.Errorf("after a failed refresh: got documents=%d chunks=%d indexed_at=%v, want the last good %d, %d, %v",
			r.Documents, r.Chunks, r.IndexedAt, ok.Documents, ok.Chunks, ok.IndexedAt)
	}
	check("after the failed refresh")

	var list struct{ Resources []ragkb.Resource }
	s.call("GET", "/v1/resources?status=failed", merchant, nil, &list)
	if len(list.Resources) != 1 || list.Resources[0].ID != res.ID || list.Resources[0].Error != r.Error {
		t.Errorf("failed resources: got %+v, want the FAQ with its error", list.Resources)
	}
}
