package connectors

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// fakeClock advances when the fetcher sleeps and records each sleep.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return ctx.Err()
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// testFetcher allows loopback (httptest) and uses a fake clock.
func testFetcher(clock *fakeClock, mod func(*FetcherConfig)) *Fetcher {
	cfg := FetcherConfig{AllowPrivate: true, Now: clock.Now, Sleep: clock.Sleep, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	return NewFetcher(cfg)
}

var fakeDNS = map[string][]netip.Addr{
	"public.example":    {netip.MustParseAddr("93.184.215.14")},
	"localhost":         {netip.MustParseAddr("127.0.0.1")},
	"rebind.example":    {netip.MustParseAddr("93.184.215.14"), netip.MustParseAddr("10.1.2.3")},
	"metadata.internal": {netip.MustParseAddr("169.254.169.254")},
	"empty.example":     {},
}

func fakeLookup(_ context.Context, host string) ([]netip.Addr, error) {
	if ips, ok := fakeDNS[host]; ok {
		return ips, nil
	}
	return nil, &netDNSError{host}
}

type netDNSError struct{ host string }

func (e *netDNSError) Error() string { return "no such host " + e.host }

func TestCheckURL(t *testing.T) {
	f := NewFetcher(FetcherConfig{LookupIP: fakeLookup})
	tests := []struct {
		name        string
		url         string
		wantPrivate bool // refused as a private address
		wantOK      bool
	}{
		{name: "public literal", url: "https://93.184.215.14/faq", wantOK: true},
		{name: "public host", url: "https://public.example/faq", wantOK: true},
		{name: "loopback", url: "http://127.0.0.1/", wantPrivate: true},
		{name: "localhost", url: "http://localhost:8080/", wantPrivate: true},
		{name: "decimal ipv4", url: "http://2130706433/", wantPrivate: true},
		{name: "hex ipv4", url: "http://0x7f000001/", wantPrivate: true},
		{name: "octal ipv4", url: "http://0177.0.0.1/", wantPrivate: true},
		{name: "short ipv4", url: "http://127.1/", wantPrivate: true},
		{name: "ipv4-mapped ipv6", url: "http://[::ffff:127.0.0.1]/", wantPrivate: true},
		{name: "ipv4-mapped private hex", url: "http://[::ffff:a00:1]/", wantPrivate: true},
		{name: "ipv6 loopback", url: "http://[::1]:80/", wantPrivate: true},
		{name: "rfc1918", url: "https://10.0.0.1/", wantPrivate: true},
		{name: "rfc1918 172", url: "https://172.20.1.1/", wantPrivate: true},
		{name: "rfc1918 192", url: "https://192.168.1.1/", wantPrivate: true},
		{name: "metadata", url: "http://169.254.169.254/latest/meta-data/", wantPrivate: true},
		{name: "metadata by name", url: "http://metadata.internal/", wantPrivate: true},
		{name: "cgnat", url: "http://100.64.0.1/", wantPrivate: true},
		{name: "unspecified", url: "http://0.0.0.0/", wantPrivate: true},
		{name: "multicast", url: "http://224.0.0.1/", wantPrivate: true},
		{name: "link-local v6", url: "http://[fe80::1]/", wantPrivate: true},
		{name: "ula v6", url: "http://[fd12:3456::1]/", wantPrivate: true},
		{name: "nat64 embedding loopback", url: "http://[64:ff9b::7f00:1]/", wantPrivate: true},
		{name: "host resolving to public and private", url: "https://rebind.example/", wantPrivate: true},
		// Issue 15, row 12: forms that embed loopback/metadata or are routed privately.
		{name: "ipv4-compatible loopback", url: "http://[::7f00:1]/", wantPrivate: true},
		{name: "ipv4-compatible metadata", url: "http://[::a9fe:a9fe]/", wantPrivate: true},
		{name: "ipv4-translated loopback", url: "http://[::ffff:0:7f00:1]/", wantPrivate: true},
		{name: "site-local v6", url: "http://[fec0::1]/", wantPrivate: true},
		{name: "dns answer with no addresses", url: "https://empty.example/"},
		{name: "ftp scheme", url: "ftp://public.example/"},
		{name: "file scheme", url: "file:///etc/passwd"},
		{name: "no host", url: "https:///faq"},
		{name: "credentials", url: "https://user:pw@public.example/"},
		{name: "unknown host", url: "https://nonexistent.example/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.CheckURL(context.Background(), tt.url)
			if tt.wantOK {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("got nil error, want a refusal")
			}
			var be *blockedError
			if got := errors.As(err, &be); got != tt.wantPrivate {
				t.Errorf("private refusal: got %v (%v), want %v", got, err, tt.wantPrivate)
			}
			if tt.wantPrivate && !strings.Contains(ragkb.ErrorMessage(err), "is a private network address; ragkb does not fetch those (set RAGKB_ALLOW_PRIVATE_URLS=true for intranets)") {
				t.Errorf("message: got %q", ragkb.ErrorMessage(err))
			}
			if c := ragkb.ErrorCodeOf(err); c == ragkb.EINTERNAL {
				t.Errorf("code: got %s, want a domain code", c)
			}
		})
	}
}

func TestGuardRefusesLoopbackServer(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	f := NewFetcher(FetcherConfig{LookupIP: fakeLookup})
	_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/faq"})
	if ragkb.ErrorCodeOf(err) != ragkb.EINVALID || !strings.Contains(ragkb.ErrorMessage(err), srv.URL+"/faq is a private network address") {
		t.Fatalf("got %v, want a private-address refusal", err)
	}
	if hits.Load() != 0 {
		t.Errorf("server was hit %d times, want 0", hits.Load())
	}
}

func TestGuardRechecksRedirects(t *testing.T) {
	var secret atomic.Int32
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/to-localhost", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:"+port+"/secret", http.StatusFound)
	})
	mux.HandleFunc("/to-decimal", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://2130706433:"+port+"/secret", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/secret", func(w http.ResponseWriter, r *http.Request) { secret.Add(1) })
	// Only the test server's own host:port is exempt from the guard.
	f := NewFetcher(FetcherConfig{LookupIP: fakeLookup, AllowHosts: []string{strings.TrimPrefix(srv.URL, "http://")},
		PerHostInterval: time.Nanosecond})
	for _, path := range []string{"/to-localhost", "/to-decimal"} {
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		if !strings.Contains(ragkb.ErrorMessage(err), "is a private network address") {
			t.Errorf("%s: got %v, want a private-address refusal", path, err)
		}
	}
	if secret.Load() != 0 {
		t.Errorf("redirect target was reached %d times, want 0", secret.Load())
	}
}

func TestFetchRedirectLimit(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		n++
		http.Redirect(w, r, fmt.Sprintf("/r%d", n), http.StatusFound)
	}))
	defer srv.Close()
	f := testFetcher(newClock(), nil)
	_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/start"})
	if err == nil || !strings.Contains(ragkb.ErrorMessage(err), "redirected more than 5 times") {
		t.Fatalf("got %v, want a redirect limit error", err)
	}
	if n != MaxRedirects+1 {
		t.Errorf("requests: got %d, want %d", n, MaxRedirects+1)
	}
}

func TestFetchHeadersGzipAndSize(t *testing.T) {
	big := strings.Repeat("x", 3000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/gz":
			if got := r.Header.Get("User-Agent"); got != DefaultUserAgent {
				t.Errorf("User-Agent: got %q, want %q", got, DefaultUserAgent)
			}
			if got := r.Header.Get("Accept"); got != "text/html" {
				t.Errorf("Accept: got %q, want text/html", got)
			}
			if got := r.Header.Get("X-Extra"); got != "1" {
				t.Errorf("X-Extra: got %q, want 1", got)
			}
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			zw := gzip.NewWriter(w)
			zw.Write([]byte("<p>hello</p>"))
			zw.Close()
		case "/big":
			w.Write([]byte(big))
		case "/big-gz": // small on the wire, large once decompressed
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write([]byte(big))
			zw.Close()
		}
	}))
	defer srv.Close()
	f := testFetcher(newClock(), func(c *FetcherConfig) { c.MaxBodyBytes = 2048 })
	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/gz", Accept: "text/html",
		Headers: http.Header{"X-Extra": {"1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(resp.Body), "<p>hello</p>"; got != want {
		t.Errorf("body: got %q, want %q", got, want)
	}
	if resp.ContentType != "text/html" {
		t.Errorf("content type: got %q, want text/html", resp.ContentType)
	}
	for _, p := range []string{"/big", "/big-gz"} {
		_, err = f.Fetch(context.Background(), Request{URL: srv.URL + p})
		if want := "The page " + srv.URL + p + " is larger than 2 KiB"; !strings.Contains(ragkb.ErrorMessage(err), want) {
			t.Errorf("%s: got %v, want message containing %q", p, err, want)
		}
	}
}

func TestFetchStatusErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt", "/missing":
			http.NotFound(w, r)
		case "/denied":
			w.WriteHeader(http.StatusForbidden)
		case "/broken":
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	f := testFetcher(newClock(), nil)
	tests := []struct {
		name     string
		path     string
		wantCode ragkb.ErrorCode
		status   int
	}{
		{name: "not found", path: "/missing", wantCode: ragkb.ENOTFOUND, status: 404},
		{name: "forbidden", path: "/denied", wantCode: ragkb.EFORBIDDEN, status: 403},
		{name: "server error", path: "/broken", wantCode: ragkb.EUNAVAILABLE, status: 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL + tt.path})
			if got := ragkb.ErrorCodeOf(err); got != tt.wantCode {
				t.Errorf("code: got %s, want %s", got, tt.wantCode)
			}
			if got := StatusOf(err); got != tt.status {
				t.Errorf("status: got %d, want %d", got, tt.status)
			}
			want := fmt.Sprintf("The page %s%s answered %d", srv.URL, tt.path, tt.status)
			if !strings.HasPrefix(ragkb.ErrorMessage(err), want) {
				t.Errorf("message: got %q, want prefix %q", ragkb.ErrorMessage(err), want)
			}
		})
	}
}

func TestFetchRobots(t *testing.T) {
	var robotsHits, pageHits atomic.Int32
	robotsStatus := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robotsHits.Add(1)
			w.WriteHeader(robotsStatus)
			fmt.Fprint(w, "User-agent: *\nDisallow: /\n\nUser-agent: ragkb\nDisallow: /private\nCrawl-delay: 5\n")
			return
		}
		pageHits.Add(1)
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	clock := newClock()
	f := testFetcher(clock, nil)
	ctx := context.Background()
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/faq"}); err != nil {
		t.Fatalf("allowed page: %v", err)
	}
	_, err := f.Fetch(ctx, Request{URL: srv.URL + "/private/x"})
	if ragkb.ErrorCodeOf(err) != ragkb.EFORBIDDEN || !strings.Contains(ragkb.ErrorMessage(err), "robots.txt does not allow ragkb") {
		t.Fatalf("disallowed page: got %v", err)
	}
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/private/x", API: true}); err != nil {
		t.Errorf("API requests ignore robots.txt: %v", err)
	}
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/faq2"}); err != nil {
		t.Fatal(err)
	}
	if got := robotsHits.Load(); got != 1 {
		t.Errorf("robots.txt fetched %d times, want 1 (cached)", got)
	}
	// Crawl-delay 5 spaces the two page requests (the API call does not wait).
	if got := clock.Sleeps(); len(got) != 2 || got[0] != 0 || got[1] != 5*time.Second {
		t.Errorf("sleeps: got %v, want [0s 5s]", got)
	}
	// After a day the cache expires; a 503 robots.txt disallows everything.
	clock.Advance(25 * time.Hour)
	robotsStatus = http.StatusServiceUnavailable
	_, err = f.Fetch(ctx, Request{URL: srv.URL + "/faq"})
	if ragkb.ErrorCodeOf(err) != ragkb.EFORBIDDEN {
		t.Errorf("5xx robots.txt: got %v, want forbidden", err)
	}
	if got := robotsHits.Load(); got != 2 {
		t.Errorf("robots.txt fetched %d times, want 2", got)
	}
	if got := pageHits.Load(); got != 3 {
		t.Errorf("page hits: got %d, want 3", got)
	}
}

func TestFetchPerHostInterval(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	clock := newClock()
	clockNoAdvance := &fakeClock{now: clock.now}
	// Sleep records but does not advance time, so each wait grows by the interval.
	f := testFetcher(clock, func(c *FetcherConfig) {
		c.Sleep = func(ctx context.Context, d time.Duration) error {
			clockNoAdvance.mu.Lock()
			clockNoAdvance.sleeps = append(clockNoAdvance.sleeps, d)
			clockNoAdvance.mu.Unlock()
			return nil
		}
	})
	for i := range 3 {
		if _, err := f.Fetch(context.Background(), Request{URL: fmt.Sprintf("%s/p%d", srv.URL, i)}); err != nil {
			t.Fatal(err)
		}
	}
	got := clockNoAdvance.Sleeps()
	want := []time.Duration{0, time.Second, 2 * time.Second}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sleeps: got %v, want %v", got, want)
	}
}

func TestFetchRetries(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/busy":
			if calls.Add(1) <= 2 {
				w.Header().Set("Retry-After", "2")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			fmt.Fprint(w, "done")
		case "/long":
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
		case "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	clock := newClock()
	f := testFetcher(clock, nil)
	ctx := context.Background()
	resp, err := f.Fetch(ctx, Request{URL: srv.URL + "/busy", API: true})
	if err != nil || string(resp.Body) != "done" {
		t.Fatalf("got %v, %v; want the body after two retries", resp, err)
	}
	sl := clock.Sleeps()
	if len(sl) != 2 || sl[0] < 2*time.Second || sl[0] > 3*time.Second {
		t.Errorf("sleeps: got %v, want two waits of 2s plus jitter", sl)
	}
	_, err = f.Fetch(ctx, Request{URL: srv.URL + "/long", API: true})
	var re *ragkb.Error
	if !errors.As(err, &re) || re.Code != ragkb.ERATELIMITED || re.RetryAfter != time.Hour {
		t.Errorf("long Retry-After: got %v, want rate limited with RetryAfter 1h", err)
	}
	if len(clock.Sleeps()) != 2 {
		t.Errorf("a Retry-After beyond MaxRetryWait must not be waited for")
	}
	_, err = f.Fetch(ctx, Request{URL: srv.URL + "/down", API: true})
	if StatusOf(err) != 503 || ragkb.ErrorCodeOf(err) != ragkb.EUNAVAILABLE {
		t.Errorf("503: got %v", err)
	}
	if got := len(clock.Sleeps()); got != 2+3 {
		t.Errorf("sleeps after 503s: got %d, want 5 (3 retries)", got)
	}
}

func TestFetchConditional(t *testing.T) {
	var conditional atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") != "" {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		fmt.Fprint(w, "page v1")
	}))
	defer srv.Close()
	f := testFetcher(newClock(), func(c *FetcherConfig) { c.PerHostInterval = time.Nanosecond })
	ctx := context.Background()
	first, err := f.Fetch(ctx, Request{URL: srv.URL + "/faq", Conditional: true, API: true})
	if err != nil || first.NotModified {
		t.Fatalf("first: %+v %v", first, err)
	}
	second, err := f.Fetch(ctx, Request{URL: srv.URL + "/faq", Conditional: true, API: true})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || string(second.Body) != "page v1" || conditional.Load() != 1 {
		t.Errorf("second: got NotModified=%v body=%q conditional=%d, want true, the cached body, 1",
			second.NotModified, second.Body, conditional.Load())
	}
}

func TestFetchTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer srv.Close()
	f := testFetcher(newClock(), func(c *FetcherConfig) { c.Timeout = 100 * time.Millisecond })
	_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/slow", API: true})
	if !strings.Contains(ragkb.ErrorMessage(err), "did not answer within 100ms") {
		t.Errorf("got %v, want a timeout message", err)
	}
}

func TestSitemap(t *testing.T) {
	var srvURL string
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprintf(w, "User-agent: *\nAllow: /\nSitemap: %s/sitemap_index.xml\n", srvURL)
		case "/sitemap_index.xml":
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>%[1]s/pages.xml.gz</loc></sitemap>
  <sitemap><loc>%[1]s/posts.xml</loc></sitemap>
  <sitemap><loc>%[1]s/missing.xml</loc></sitemap>
  <sitemap><loc>https://elsewhere.example/sitemap.xml</loc></sitemap>
</sitemapindex>`, srvURL)
		case "/pages.xml.gz":
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(gz(fmt.Sprintf(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>%[1]s/faq</loc><lastmod>2026-01-01</lastmod></url>
<url><loc> %[1]s/shipping </loc></url>
<url><loc>https://cdn.example/faq</loc></url></urlset>`, srvURL)))
		case "/posts.xml":
			fmt.Fprintf(w, `<urlset><url><loc>%[1]s/blog/1</loc></url><url><loc>%[1]s/faq</loc></url></urlset>`, srvURL)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	srvURL = srv.URL
	f := testFetcher(newClock(), nil)
	sm, err := f.Sitemap(context.Background(), srv.URL+"/faq", 100)
	if err != nil {
		t.Fatal(err)
	}
	pages, warnings := sm.Pages, sm.Warnings
	if len(sm.Incomplete) != 1 {
		t.Errorf("incomplete: got %q, want the missing sitemap named", sm.Incomplete)
	}
	var got []string
	for _, p := range pages {
		got = append(got, strings.TrimPrefix(p.Loc, srv.URL))
	}
	if want := "/faq /shipping /blog/1"; strings.Join(got, " ") != want {
		t.Errorf("pages: got %v, want %s", got, want)
	}
	if pages[0].LastMod != "2026-01-01" {
		t.Errorf("lastmod: got %q", pages[0].LastMod)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "missing.xml") {
		t.Errorf("warnings: got %q, want one about missing.xml", warnings)
	}
	sm, err = f.Sitemap(context.Background(), srv.URL, 2)
	if err != nil || len(sm.Pages) != 2 {
		t.Errorf("limit: got %v (%v), want 2 pages", sm, err)
	}
}

func TestParseSitemapLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("<urlset>")
	for i := range MaxSitemapURLs + 10 {
		fmt.Fprintf(&b, "<url><loc>https://s.example/p%d</loc></url>", i)
	}
	b.WriteString("</urlset>")
	pages, _, err := ParseSitemap([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != MaxSitemapURLs {
		t.Errorf("got %d pages, want %d", len(pages), MaxSitemapURLs)
	}
	if _, _, err := ParseSitemap([]byte("<html><body>not a sitemap</body></html>")); err == nil {
		t.Error("an HTML page must not parse as a sitemap")
	}
	cut := b.String()[:b.Len()/2]
	pages, _, err = ParseSitemap([]byte(cut))
	if !errors.Is(err, ErrSitemapCut) || len(pages) == 0 {
		t.Errorf("a sitemap cut in half: got %d pages and %v, want the pages read and ErrSitemapCut", len(pages), err)
	}
}

func FuzzSitemap(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>https://a.example/</loc></url></urlset>`))
	f.Add([]byte(`<sitemapindex><sitemap><loc>https://a.example/s.xml</loc></sitemap></sitemapindex>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		pages, children, err := ParseSitemap(b)
		if err != nil && !errors.Is(err, ErrSitemapCut) && (len(pages) > 0 || len(children) > 0) {
			t.Errorf("results with an error other than a cut")
		}
	})
}

func TestGuardDialsTheCheckedAddress(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	var lookups atomic.Int32
	// The first answer (seen by the URL check) is public; later ones point
	// at loopback, as a rebinding DNS server would.
	rebinding := func(_ context.Context, host string) ([]netip.Addr, error) {
		if lookups.Add(1) == 1 {
			return []netip.Addr{netip.MustParseAddr("93.184.215.14")}, nil
		}
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
	}
	f := NewFetcher(FetcherConfig{LookupIP: rebinding})
	_, err := f.Fetch(context.Background(), Request{URL: "http://rebind.test:" + port + "/", API: true})
	if !strings.Contains(ragkb.ErrorMessage(err), "is a private network address") {
		t.Errorf("got %v, want a private-address refusal at dial time", err)
	}
	if lookups.Load() < 2 || hits.Load() != 0 {
		t.Errorf("lookups %d, server hits %d: want the dialer to resolve again and refuse", lookups.Load(), hits.Load())
	}
}

func TestFetcherConfigValidate(t *testing.T) {
	tests := []struct {
		name      string
		cfg       FetcherConfig
		wantField string
	}{
		{name: "zero is valid", cfg: FetcherConfig{}},
		{name: "negative timeout", cfg: FetcherConfig{Timeout: -1}, wantField: "Timeout"},
		{name: "negative body cap", cfg: FetcherConfig{MaxBodyBytes: -1}, wantField: "MaxBodyBytes"},
		{name: "negative interval", cfg: FetcherConfig{PerHostInterval: -time.Second}, wantField: "PerHostInterval"},
		{name: "negative retries", cfg: FetcherConfig{MaxRetries: -1}, wantField: "MaxRetries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ragkb.ErrorField(tt.cfg.Validate()); got != tt.wantField {
				t.Errorf("got field %q, want %q", got, tt.wantField)
			}
		})
	}
}

func TestJSONLDLenient(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		types []string
	}{
		{name: "graph and type array", in: `{"@graph":[{"@type":["Product","Thing"]},{"@type":"Offer"}]}`, types: []string{"Product", "Offer"}},
		{name: "raw newline in string", in: "{\"@type\":\"Question\",\"name\":\"a\nb\"}", types: []string{"Question"}},
		{name: "trailing commas", in: `{"@type":"FAQPage","mainEntity":[{"@type":"Question"},],}`, types: []string{"FAQPage", "Question"}},
		{name: "html comment wrapper", in: "<!--\n{\"@type\":\"Product\"}\n-->", types: []string{"Product"}},
		{name: "two values", in: `{"@type":"A"} {"@type":"B"}`, types: []string{"A", "B"}},
		{name: "garbage", in: `{ not json`, types: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, v := range DecodeLenient([]byte(tt.in)) {
				for _, n := range Nodes(v) {
					got = append(got, Str(n["@type"]))
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.types) {
				t.Errorf("got %v, want %v", got, tt.types)
			}
		})
	}
	if !HasType(map[string]any{"@type": []any{"schema:Thing", "https://schema.org/Product"}}, "product") {
		t.Error("HasType must match prefixed and listed types")
	}
}

func TestClientKeepsTheGuard(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c := NewFetcher(FetcherConfig{LookupIP: fakeLookup}).Client()
	resp, err := c.Post(srv.URL+"/hook", "application/json", strings.NewReader("{}"))
	if err == nil {
		resp.Body.Close()
		t.Fatal("a POST to loopback went through")
	}
	var be *blockedError
	if !errors.As(err, &be) || hits.Load() != 0 {
		t.Errorf("got %v (hits %d), want the dialer to refuse", err, hits.Load())
	}
	ok := NewFetcher(FetcherConfig{AllowPrivate: true}).Client()
	resp, err = ok.Post(srv.URL+"/hook", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if hits.Load() != 1 {
		t.Errorf("hits: got %d, want 1 with AllowPrivate", hits.Load())
	}
}
