package connectors

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/retryafter"
)

// Version is the ragkb version sent in the default User-Agent.
const Version = "0.1"

// FetcherConfig configures a Fetcher. Zero values take the defaults.
type FetcherConfig struct {
	// AllowPrivate lets the fetcher reach loopback and private networks
	// (intranets, tests). Off by default: merchants' URLs are untrusted.
	AllowPrivate bool
	// AllowHosts lists hosts ("host" or "host:port") exempt from the
	// private-address guard, e.g. one intranet shop.
	AllowHosts []string
	// Timeout bounds one request including its body (default 30s).
	Timeout time.Duration
	// DialTimeout bounds connecting (default 10s).
	DialTimeout time.Duration
	// MaxBodyBytes caps a response body after decompression (default 10 MiB).
	MaxBodyBytes int64
	// UserAgent identifies ragkb to sites (default "ragkb/<version> (+https://github.com/ragkb/ragkb)").
	UserAgent string
	// PerHostInterval is the minimum time between two page requests to one
	// host (default 1s; a longer robots.txt Crawl-delay wins, up to MaxCrawlDelay).
	PerHostInterval time.Duration
	// MaxCrawlDelay caps a site's Crawl-delay (default 30s).
	MaxCrawlDelay time.Duration
	// MaxRetries is how often a 429/502/503/504 answer is retried (default 3).
	MaxRetries int
	// MaxRetryWait is the longest Retry-After the fetcher waits for (default
	// 2m); a longer one fails at once with ERATELIMITED.
	MaxRetryWait time.Duration
	// RobotsTTL is how long a robots.txt is cached (default and maximum 24h).
	RobotsTTL time.Duration
	// CacheBytes caps the bodies kept for conditional GET (default 32 MiB).
	CacheBytes int64
	// Now and Sleep are the clock (defaults: time.Now and a context-aware sleep).
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// LookupIP resolves host names (default net.DefaultResolver).
	LookupIP func(ctx context.Context, host string) ([]netip.Addr, error)
	// TLSClientConfig customises TLS (e.g. RootCAs for an intranet CA or a
	// test server); nil uses the system roots.
	TLSClientConfig *tls.Config
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// DefaultUserAgent is sent when FetcherConfig.UserAgent is empty.
const DefaultUserAgent = "ragkb/" + Version + " (+https://github.com/ragkb/ragkb)"

func (c FetcherConfig) withDefaults() FetcherConfig {
	c.Timeout = cmp.Or(c.Timeout, 30*time.Second)
	c.DialTimeout = cmp.Or(c.DialTimeout, 10*time.Second)
	c.MaxBodyBytes = cmp.Or(c.MaxBodyBytes, 10<<20)
	c.UserAgent = cmp.Or(c.UserAgent, DefaultUserAgent)
	c.PerHostInterval = cmp.Or(c.PerHostInterval, time.Second)
	c.MaxCrawlDelay = cmp.Or(c.MaxCrawlDelay, 30*time.Second)
	c.MaxRetries = cmp.Or(c.MaxRetries, 3)
	c.MaxRetryWait = cmp.Or(c.MaxRetryWait, 2*time.Minute)
	c.RobotsTTL = min(cmp.Or(c.RobotsTTL, 24*time.Hour), 24*time.Hour)
	c.CacheBytes = cmp.Or(c.CacheBytes, 32<<20)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleepCtx
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports the first bad field.
func (c FetcherConfig) Validate() error {
	switch {
	case c.Timeout < 0:
		return ragkb.Invalid("Timeout", "must not be negative")
	case c.MaxBodyBytes < 0:
		return ragkb.Invalid("MaxBodyBytes", "must not be negative")
	case c.PerHostInterval < 0:
		return ragkb.Invalid("PerHostInterval", "must not be negative")
	case c.MaxRetries < 0:
		return ragkb.Invalid("MaxRetries", "must not be negative")
	case c.RobotsTTL < 0:
		return ragkb.Invalid("RobotsTTL", "must not be negative")
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Fetcher is the one HTTP client of every connector. It refuses private
// network addresses (checked at dial time), honours robots.txt, spaces
// requests to a host, retries 429/503 after Retry-After, caps body sizes and
// revalidates cached pages with ETag / If-Modified-Since. It is safe for
// concurrent use.
type Fetcher struct {
	cfg    FetcherConfig
	client *http.Client
	log    *slog.Logger

	mu     sync.Mutex
	next   map[string]time.Time // host -> earliest time of the next request
	robots map[string]*robotsEntry
	cache  map[string]*cacheEntry
	cached int64 // bytes in cache
}

// NewFetcher returns a Fetcher; cfg's zero fields take their defaults.
func NewFetcher(cfg FetcherConfig) *Fetcher {
	cfg = cfg.withDefaults()
	f := &Fetcher{cfg: cfg, log: cfg.Logger, next: map[string]time.Time{},
		robots: map[string]*robotsEntry{}, cache: map[string]*cacheEntry{}}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would defeat the address check
		DialContext:           f.dialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
		TLSClientConfig:       cfg.TLSClientConfig,
	}
	f.client = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f
}

// Client returns an *http.Client with the fetcher's address guard (checked
// at dial time and on every redirect) and timeout, but without robots.txt,
// per-host spacing, retries or body caps: for callers that manage their own
// requests, such as webhook delivery to merchant URLs.
func (f *Fetcher) Client() *http.Client {
	return &http.Client{Transport: f.client.Transport, CheckRedirect: f.checkRedirect, Timeout: f.cfg.Timeout}
}

// MaxRedirects is how many redirects one request follows.
const MaxRedirects = 5

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return ragkb.Errorf(ragkb.EUNAVAILABLE, "The page %s redirected more than %d times", via[0].URL, MaxRedirects)
	}
	if err := f.CheckURL(req.Context(), req.URL.String()); err != nil {
		return err
	}
	return nil
}

// Request is one HTTP request.
type Request struct {
	URL    string
	Method string // default GET
	// Accept is sent as the Accept header (default "*/*").
	Accept  string
	Headers http.Header
	Body    []byte
	// API marks a call to a provider's API (Allegro, Shopify Admin, Store
	// APIs): robots.txt and the per-host crawl interval do not apply, the
	// provider rate-limits with 429 instead.
	API bool
	// Conditional revalidates a cached copy with If-None-Match /
	// If-Modified-Since; a 304 returns the cached body with NotModified set.
	Conditional bool
	// MaxBodyBytes overrides FetcherConfig.MaxBodyBytes for this request.
	MaxBodyBytes int64
}

// Response is a fully read response with a 2xx (or revalidated 304) status.
type Response struct {
	// URL is the final URL after redirects.
	URL         string
	Status      int
	Header      http.Header
	Body        []byte
	ContentType string // media type without parameters, lower case
	// NotModified says the server answered 304 and Body is the cached copy.
	NotModified bool
}

// HTTPError is the cause (in *ragkb.Error.Err) of a non-2xx answer; use
// errors.As to read the status.
type HTTPError struct {
	URL        string
	Status     int
	Header     http.Header
	Body       []byte // at most 64 KiB
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string { return fmt.Sprintf("%s: HTTP %d", e.URL, e.Status) }

// StatusOf returns the HTTP status in err's chain, or 0.
func StatusOf(err error) int {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status
	}
	return 0
}

type cacheEntry struct {
	etag, lastModified string
	resp               Response
}

// Fetch performs req, following up to MaxRedirects redirects (each checked),
// retrying a GET answered 429/502/503/504 up to MaxRetries times (after its
// Retry-After, else 1s, 2s, 4s... with jitter). A non-2xx final answer is
// a *ragkb.Error whose Err is an *HTTPError.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	u, err := ParseURL(req.URL)
	if err != nil {
		return nil, err
	}
	raw := u.String()
	if err := f.CheckURL(ctx, raw); err != nil {
		return nil, err
	}
	if !req.API {
		if err := f.allowedByRobots(ctx, u); err != nil {
			return nil, err
		}
	}
	for attempt := 0; ; attempt++ {
		if !req.API {
			if err := f.wait(ctx, u); err != nil {
				return nil, err
			}
		}
		resp, err := f.do(ctx, u, req)
		if err == nil {
			return resp, nil
		}
		var he *HTTPError
		idempotent := req.Method == "" || req.Method == http.MethodGet || req.Method == http.MethodHead
		if !errors.As(err, &he) || !retryable(he.Status) || !idempotent || attempt >= f.cfg.MaxRetries {
			return nil, err
		}
		d := he.RetryAfter
		if d == 0 {
			d = time.Duration(1<<attempt) * time.Second
		}
		if d > f.cfg.MaxRetryWait {
			return nil, err
		}
		d += time.Duration(rand.Int64N(int64(d/4) + 1)) // jitter spreads clients out
		f.log.DebugContext(ctx, "retrying", "url", raw, "status", he.Status, "wait", d)
		if err := f.cfg.Sleep(ctx, d); err != nil {
			return nil, err
		}
	}
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusBadGateway ||
		status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

func (f *Fetcher) do(ctx context.Context, u *url.URL, req Request) (*Response, error) {
	raw := u.String()
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, cmp.Or(req.Method, http.MethodGet), raw, body)
	if err != nil {
		return nil, ragkb.Errorf(ragkb.EINVALID, "%q is not a valid URL", raw)
	}
	for k, vs := range req.Headers {
		for _, v := range vs {
			hr.Header.Add(k, v)
		}
	}
	hr.Header.Set("User-Agent", f.cfg.UserAgent)
	hr.Header.Set("Accept", cmp.Or(req.Accept, hr.Header.Get("Accept"), "*/*"))
	var cached *cacheEntry
	if req.Conditional {
		f.mu.Lock()
		cached = f.cache[raw]
		f.mu.Unlock()
		if cached != nil {
			if cached.etag != "" {
				hr.Header.Set("If-None-Match", cached.etag)
			}
			if cached.lastModified != "" {
				hr.Header.Set("If-Modified-Since", cached.lastModified)
			}
		}
	}
	res, err := f.client.Do(hr)
	if err != nil {
		return nil, f.transportError(ctx, raw, err)
	}
	defer res.Body.Close()
	final := res.Request.URL.String()
	if res.StatusCode == http.StatusNotModified && cached != nil {
		io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		r := cached.resp
		r.NotModified = true
		r.Status = http.StatusNotModified
		return &r, nil
	}
	limit := cmp.Or(req.MaxBodyBytes, f.cfg.MaxBodyBytes)
	if res.StatusCode < 200 || res.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
		return nil, f.statusError(final, res, b)
	}
	if res.ContentLength > limit {
		return nil, tooLarge(final, limit)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, f.transportError(ctx, final, err)
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(final, limit)
	}
	resp := &Response{URL: final, Status: res.StatusCode, Header: res.Header, Body: b,
		ContentType: MediaType(res.Header.Get("Content-Type"))}
	if req.Conditional {
		f.store(raw, res.Header, resp)
	}
	return resp, nil
}

// MediaType returns the lower-case media type of a Content-Type value.
func MediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

func (f *Fetcher) store(key string, h http.Header, resp *Response) {
	etag, lm := h.Get("ETag"), h.Get("Last-Modified")
	f.mu.Lock()
	defer f.mu.Unlock()
	if old := f.cache[key]; old != nil {
		f.cached -= int64(len(old.resp.Body))
		delete(f.cache, key)
	}
	if etag == "" && lm == "" {
		return
	}
	size := int64(len(resp.Body))
	if size > f.cfg.CacheBytes/4 {
		return
	}
	for k, e := range f.cache { // evict arbitrary entries until it fits
		if f.cached+size <= f.cfg.CacheBytes {
			break
		}
		f.cached -= int64(len(e.resp.Body))
		delete(f.cache, k)
	}
	f.cache[key] = &cacheEntry{etag: etag, lastModified: lm, resp: *resp}
	f.cached += size
}

func tooLarge(u string, limit int64) error {
	return ragkb.Errorf(ragkb.EINVALID, "The page %s is larger than %s; ragkb reads at most that much", u, byteSize(limit))
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func (f *Fetcher) statusError(u string, res *http.Response, body []byte) error {
	he := &HTTPError{URL: u, Status: res.StatusCode, Header: res.Header, Body: body,
		RetryAfter: retryAfter(res.Header.Get("Retry-After"), f.cfg.Now())}
	e := &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: he,
		Message: fmt.Sprintf("The page %s answered %d", u, res.StatusCode)}
	switch s := res.StatusCode; {
	case s == http.StatusNotFound || s == http.StatusGone:
		e.Code = ragkb.ENOTFOUND
		e.Message += " (not found); check the address"
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		e.Code = ragkb.EFORBIDDEN
		e.Message += " (access denied)"
	case s == http.StatusTooManyRequests:
		e.Code = ragkb.ERATELIMITED
		e.RetryAfter = cmp.Or(he.RetryAfter, time.Minute)
		e.Message += " (too many requests); ragkb will try again later"
	case s >= 500:
		e.Message += " (server error); ragkb will try again later"
	}
	return e
}

// retryAfter is the wait a Retry-After header asks for (0 when absent).
func retryAfter(v string, now time.Time) time.Duration {
	d, _ := retryafter.Parse(v, now)
	return d
}

func (f *Fetcher) transportError(ctx context.Context, u string, err error) error {
	var re *ragkb.Error
	if errors.As(err, &re) { // from checkRedirect
		return re
	}
	var be *blockedError
	if errors.As(err, &be) {
		return privateURLError(u, err)
	}
	if ctx.Err() == context.DeadlineExceeded && !errors.Is(context.Cause(ctx), context.Canceled) {
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: err,
			Message: fmt.Sprintf("The page %s did not answer within %s", u, f.cfg.Timeout)}
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("connectors: fetch %s: %w", u, err)
	}
	return f.netError(u, err)
}

func (f *Fetcher) netError(u string, err error) error {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: err,
			Message: fmt.Sprintf("The address %s could not be found; check the domain name", u)}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: err,
			Message: fmt.Sprintf("The page %s did not answer within %s", u, f.cfg.Timeout)}
	}
	return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: err,
		Message: fmt.Sprintf("Could not connect to %s; ragkb will try again later", u)}
}

// wait blocks until the host's next request slot, then books the one after.
func (f *Fetcher) wait(ctx context.Context, u *url.URL) error {
	interval := f.cfg.PerHostInterval
	if d := f.crawlDelay(u); d > interval {
		interval = min(d, f.cfg.MaxCrawlDelay)
	}
	key := u.Scheme + "://" + u.Host
	f.mu.Lock()
	now := f.cfg.Now()
	at := f.next[key]
	if at.Before(now) {
		at = now
	}
	f.next[key] = at.Add(interval)
	f.mu.Unlock()
	return f.cfg.Sleep(ctx, at.Sub(now))
}
