package embed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

var _ ragkb.Embedder = (*OpenAI)(nil)

// fakeVector is the fake provider's (unnormalised) embedding of text.
func fakeVector(text string, dims int) []float32 {
	h := fnv.New64a()
	h.Write([]byte(text))
	seed := h.Sum64()
	v := make([]float32, dims)
	for i := range v {
		seed = seed*6364136223846793005 + 1442695040888963407
		v[i] = float32(int64(seed>>33)%1000) / 100
	}
	return v
}

// provider is a fake OpenAI-compatible server. Each call takes the next
// scripted reply; when the script is used up it answers properly.
type provider struct {
	t      *testing.T
	dims   int
	apiKey string
	model  string

	mu     sync.Mutex
	script []func(w http.ResponseWriter, inputs []string)
	calls  [][]string // inputs of every request
}

func (p *provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := p.t
	if r.Method != http.MethodPost {
		t.Errorf("method = %s, want POST", r.Method)
	}
	if r.URL.Path != "/v1/embeddings" {
		t.Errorf("path = %s, want /v1/embeddings", r.URL.Path)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
	wantAuth := ""
	if p.apiKey != "" {
		wantAuth = "Bearer " + p.apiKey
	}
	if got := r.Header.Get("Authorization"); got != wantAuth {
		t.Errorf("Authorization = %q, want %q", got, wantAuth)
	}
	var req struct {
		Model          string   `json:"model"`
		Input          []string `json:"input"`
		EncodingFormat string   `json:"encoding_format"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		t.Errorf("request body: %v", err)
	}
	if req.Model != p.model || req.EncodingFormat != "float" || len(req.Input) == 0 {
		t.Errorf("request = %+v, want model %q, encoding_format float and inputs", req, p.model)
	}
	p.mu.Lock()
	p.calls = append(p.calls, req.Input)
	var reply func(http.ResponseWriter, []string)
	if len(p.script) > 0 {
		reply, p.script = p.script[0], p.script[1:]
	}
	p.mu.Unlock()
	if reply == nil {
		reply = p.ok(p.dims)
	}
	reply(w, req.Input)
}

// ok replies like OpenAI's documentation, with data in reverse order to
// prove the client orders by index.
func (p *provider) ok(dims int) func(http.ResponseWriter, []string) {
	return func(w http.ResponseWriter, inputs []string) {
		type item struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		var data []item
		for i := len(inputs) - 1; i >= 0; i-- {
			data = append(data, item{"embedding", i, fakeVector(inputs[i], dims)})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"object": "list",
			"data":   data,
			"model":  p.model,
			"usage":  map[string]int{"prompt_tokens": 8 * len(inputs), "total_tokens": 8 * len(inputs)},
		})
	}
}

func status(code int, header map[string]string, body string) func(http.ResponseWriter, []string) {
	return func(w http.ResponseWriter, _ []string) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

const openAIError = `{"error":{"message":"%s","type":"invalid_request_error","param":null,"code":"%s"}}`

type fixture struct {
	p      *provider
	srv    *httptest.Server
	mu     sync.Mutex
	sleeps []time.Duration
	now    time.Time
}

func newFixture(t *testing.T, apiKey string) *fixture {
	f := &fixture{p: &provider{t: t, dims: 8, apiKey: apiKey, model: "text-embedding-3-small"}, now: time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)}
	f.srv = httptest.NewServer(f.p)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) embedder(t *testing.T, cfg OpenAIConfig) *OpenAI {
	t.Helper()
	cfg.URL = cmpOr(cfg.URL, f.srv.URL)
	cfg.Model = f.p.model
	cfg.APIKey = f.p.apiKey
	cfg.Now = func() time.Time { return f.now }
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		f.mu.Lock()
		f.sleeps = append(f.sleeps, d)
		f.mu.Unlock()
		return ctx.Err()
	}
	o, err := NewOpenAI(cfg)
	if err != nil {
		t.Fatalf("NewOpenAI: %v", err)
	}
	return o
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func checkVectors(t *testing.T, texts []string, got [][]float32, dims int) {
	t.Helper()
	if len(got) != len(texts) {
		t.Fatalf("got %d vectors, want %d", len(got), len(texts))
	}
	for i, text := range texts {
		want := fakeVector(text, dims)
		normalize(want)
		if !slices.EqualFunc(got[i], want, func(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-6 }) {
			t.Fatalf("vector %d (%q) = %v, want the provider's vector normalised %v", i, text, got[i], want)
		}
	}
}

func TestOpenAIEmbed(t *testing.T) {
	tests := []struct {
		name   string
		apiKey string
		url    func(base string) string
	}{
		{name: "with key", apiKey: "sk-test-123", url: func(b string) string { return b }},
		{name: "without key (local server)", url: func(b string) string { return b }},
		{name: "base URL with /v1/", apiKey: "k", url: func(b string) string { return b + "/v1/" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.apiKey)
			o := f.embedder(t, OpenAIConfig{URL: tt.url(f.srv.URL)})
			if got := o.Dimensions(); got != 0 {
				t.Fatalf("Dimensions before any call = %d, want 0", got)
			}
			if err := o.Probe(context.Background()); err != nil {
				t.Fatalf("Probe: %v", err)
			}
			if got, want := o.Dimensions(), 8; got != want {
				t.Fatalf("Dimensions after Probe = %d, want %d", got, want)
			}
			texts := []string{"where is my order", "Zwrot towaru", "a"}
			got, err := o.Embed(context.Background(), texts)
			if err != nil {
				t.Fatal(err)
			}
			checkVectors(t, texts, got, 8)
			if got, want := o.Name(), "openai:text-embedding-3-small"; got != want {
				t.Errorf("Name() = %q, want %q", got, want)
			}
		})
	}
}

func TestOpenAIBatching(t *testing.T) {
	f := newFixture(t, "k")
	o := f.embedder(t, OpenAIConfig{BatchSize: 4, Dimensions: 8, Concurrency: 1})
	var texts []string
	for i := range 10 {
		texts = append(texts, fmt.Sprintf("text %d", i))
	}
	texts[5] = "   " // blank: not sent, zero vector
	got, err := o.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	var sent []string
	for _, c := range f.p.calls {
		sizes = append(sizes, len(c))
		sent = append(sent, c...)
	}
	if want := []int{4, 4, 1}; !slices.Equal(sizes, want) {
		t.Fatalf("batch sizes = %v, want %v", sizes, want)
	}
	nonBlank := slices.Delete(slices.Clone(texts), 5, 6)
	if !slices.Equal(sent, nonBlank) {
		t.Fatalf("sent %v, want %v in order", sent, nonBlank)
	}
	if !slices.Equal(got[5], make([]float32, 8)) {
		t.Fatalf("blank text vector = %v, want zeros", got[5])
	}
	checkVectors(t, nonBlank, slices.Delete(slices.Clone(got), 5, 6), 8)
}

// TestOpenAIConcurrentBatches checks that batches overlap in flight, that
// every text is sent once and that results land in input order.
func TestOpenAIConcurrentBatches(t *testing.T) {
	var (
		mu                sync.Mutex
		inFlight, maxSeen int
		both              = make(chan struct{})
		once              sync.Once
	)
	p := &provider{t: t, dims: 8, model: "m"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		maxSeen = max(maxSeen, inFlight)
		if inFlight == 2 {
			once.Do(func() { close(both) })
		}
		mu.Unlock()
		select { // hold the request until a second one is in flight
		case <-both:
		case <-time.After(5 * time.Second):
		}
		p.ServeHTTP(w, r)
		mu.Lock()
		inFlight--
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	o, err := NewOpenAI(OpenAIConfig{URL: srv.URL, Model: "m", BatchSize: 3, Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for i := range 20 {
		texts = append(texts, fmt.Sprintf("question %d", i))
	}
	got, err := o.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	checkVectors(t, texts, got, 8)
	var sent []string
	for _, c := range p.calls {
		sent = append(sent, c...)
	}
	slices.Sort(sent)
	want := slices.Clone(texts)
	slices.Sort(want)
	if !slices.Equal(sent, want) {
		t.Fatalf("sent %v, want each text once", sent)
	}
	if maxSeen < 2 || maxSeen > 3 {
		t.Fatalf("max requests in flight = %d, want 2..3", maxSeen)
	}
}

func TestOpenAIOneBatchFails(t *testing.T) {
	f := newFixture(t, "k")
	f.p.script = []func(http.ResponseWriter, []string){
		f.p.ok(8), status(403, nil, fmt.Sprintf(openAIError, "project has no access to the model", "model_not_allowed")),
	}
	o := f.embedder(t, OpenAIConfig{Dimensions: 8, BatchSize: 2, Concurrency: 2})
	_, err := o.Embed(context.Background(), []string{"a", "b", "c", "d", "e", "f", "g", "h"})
	if got, want := ragkb.ErrorMessage(err), "embedding provider rejected the API key (403)"; !strings.HasPrefix(got, want) {
		t.Fatalf("error %v: message %q, want prefix %q", err, got, want)
	}
}

func TestOpenAIRetries(t *testing.T) {
	tests := []struct {
		name       string
		script     []func(http.ResponseWriter, []string)
		maxRetries int
		wantCode   ragkb.ErrorCode // "" = success
		wantMsg    string
		wantCalls  int
		checkSleep func(t *testing.T, sleeps []time.Duration)
	}{
		{
			name:      "429 with Retry-After seconds",
			script:    []func(http.ResponseWriter, []string){status(429, map[string]string{"Retry-After": "7"}, fmt.Sprintf(openAIError, "Rate limit reached", "rate_limit_exceeded"))},
			wantCalls: 2,
			checkSleep: func(t *testing.T, s []time.Duration) {
				if !slices.Equal(s, []time.Duration{7 * time.Second}) {
					t.Fatalf("sleeps = %v, want [7s]", s)
				}
			},
		},
		{
			name:      "429 with Retry-After HTTP date",
			script:    []func(http.ResponseWriter, []string){status(429, map[string]string{"Retry-After": "Sat, 21 Nov 2026 06:00:03 GMT"}, `{}`)},
			wantCalls: 2,
			checkSleep: func(t *testing.T, s []time.Duration) {
				if !slices.Equal(s, []time.Duration{3 * time.Second}) {
					t.Fatalf("sleeps = %v, want [3s]", s)
				}
			},
		},
		{
			name:      "429 asking for too long fails as rate limited",
			script:    []func(http.ResponseWriter, []string){status(429, map[string]string{"Retry-After": "3600"}, `{}`)},
			wantCode:  ragkb.ERATELIMITED,
			wantMsg:   "rate limit",
			wantCalls: 1,
		},
		{
			name:      "500 then 503 then success",
			script:    []func(http.ResponseWriter, []string){status(500, nil, `{"error":{"message":"boom"}}`), status(503, nil, `upstream down`)},
			wantCalls: 3,
			checkSleep: func(t *testing.T, s []time.Duration) {
				if len(s) != 2 {
					t.Fatalf("sleeps = %v, want 2", s)
				}
				for i, d := range s {
					lo, hi := 250*time.Millisecond<<i, 500*time.Millisecond<<i
					if d < lo || d > hi {
						t.Errorf("backoff %d = %v, want in [%v, %v]", i, d, lo, hi)
					}
				}
			},
		},
		{
			name: "5xx until retries run out",
			script: []func(http.ResponseWriter, []string){
				status(502, nil, ``), status(502, nil, ``), status(502, nil, ``),
			},
			maxRetries: 2,
			wantCode:   ragkb.EUNAVAILABLE,
			wantMsg:    "embedding provider unavailable (502)",
			wantCalls:  3,
		},
		{
			name:      "401 is not retried",
			script:    []func(http.ResponseWriter, []string){status(401, nil, fmt.Sprintf(openAIError, "Incorrect API key provided", "invalid_api_key"))},
			wantCode:  ragkb.EUNAVAILABLE,
			wantMsg:   "embedding provider rejected the API key (401): Incorrect API key provided",
			wantCalls: 1,
		},
		{
			name:      "400 is not retried",
			script:    []func(http.ResponseWriter, []string){status(400, nil, fmt.Sprintf(openAIError, "maximum context length is 8192 tokens", "context_length_exceeded"))},
			wantCode:  ragkb.EUNAVAILABLE,
			wantMsg:   "rejected the request (400): maximum context length",
			wantCalls: 1,
		},
		{
			name:      "404 names the model",
			script:    []func(http.ResponseWriter, []string){status(404, nil, fmt.Sprintf(openAIError, "model not found", "model_not_found"))},
			wantCode:  ragkb.EUNAVAILABLE,
			wantMsg:   `model "text-embedding-3-small"`,
			wantCalls: 1,
		},
		{
			name:      "malformed JSON",
			script:    []func(http.ResponseWriter, []string){status(200, nil, `{"object":"list","data":[{"index":0,"embedding":[0.1,`)},
			wantCode:  ragkb.EUNAVAILABLE,
			wantMsg:   "unreadable response",
			wantCalls: 1,
		},
		{
			name:      "wrong number of embeddings",
			script:    []func(http.ResponseWriter, []string){status(200, nil, `{"object":"list","data":[],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}`)},
			wantCode:  ragkb.EUNAVAILABLE,
			wantMsg:   "unexpected response",
			wantCalls: 1,
		},
		{
			name: "repeated index",
			script: []func(http.ResponseWriter, []string){status(200, nil,
				`{"object":"list","data":[{"object":"embedding","index":0,"embedding":[1,0,0,0,0,0,0,0]},{"object":"embedding","index":0,"embedding":[1,0,0,0,0,0,0,0]}],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}`)},
			wantCode:  ragkb.EUNAVAILABLE,
			wantMsg:   "unexpected response",
			wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "sk-x")
			f.p.script = tt.script
			o := f.embedder(t, OpenAIConfig{Dimensions: 8, MaxRetries: tt.maxRetries})
			texts := []string{"one", "two"}
			got, err := o.Embed(context.Background(), texts)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("Embed: %v", err)
				}
				checkVectors(t, texts, got, 8)
			} else {
				if code := ragkb.ErrorCodeOf(err); code != tt.wantCode {
					t.Fatalf("error %v: code %q, want %q", err, code, tt.wantCode)
				}
				if msg := ragkb.ErrorMessage(err); !strings.Contains(msg, tt.wantMsg) {
					t.Fatalf("message %q, want it to contain %q", msg, tt.wantMsg)
				}
			}
			if got := len(f.p.calls); got != tt.wantCalls {
				t.Fatalf("%d calls, want %d", got, tt.wantCalls)
			}
			if tt.checkSleep != nil {
				tt.checkSleep(t, f.sleeps)
			}
		})
	}
}

func TestOpenAIRateLimitedCarriesRetryAfter(t *testing.T) {
	f := newFixture(t, "")
	f.p.script = []func(http.ResponseWriter, []string){status(429, map[string]string{"Retry-After": "20"}, `{}`), status(429, map[string]string{"Retry-After": "20"}, `{}`)}
	o := f.embedder(t, OpenAIConfig{Dimensions: 8, MaxRetries: -1})
	_, err := o.Embed(context.Background(), []string{"x"})
	var e *ragkb.Error
	if !errors.As(err, &e) || e.Code != ragkb.ERATELIMITED || e.RetryAfter != 20*time.Second {
		t.Fatalf("error %#v, want ERATELIMITED with RetryAfter 20s", err)
	}
}

func TestOpenAIDimensions(t *testing.T) {
	tests := []struct {
		name       string
		configured int
		served     int
	}{
		{name: "configured differs from served", configured: 16, served: 8},
		{name: "learned then changed", configured: 0, served: 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "k")
			if tt.configured == 0 {
				// The first response teaches 8 dimensions, the second serves others.
				f.p.script = []func(http.ResponseWriter, []string){f.p.ok(8), f.p.ok(tt.served)}
			} else {
				f.p.script = []func(http.ResponseWriter, []string){f.p.ok(tt.served)}
			}
			o := f.embedder(t, OpenAIConfig{Dimensions: tt.configured})
			if tt.configured == 0 {
				if err := o.Probe(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			_, err := o.Embed(context.Background(), []string{"x"})
			if got, want := ragkb.ErrorCodeOf(err), ragkb.EINVALID; got != want || ragkb.ErrorField(err) != "dimensions" {
				t.Fatalf("error %v: code %q field %q, want %q on dimensions", err, got, ragkb.ErrorField(err), want)
			}
			if msg := ragkb.ErrorMessage(err); !strings.Contains(msg, fmt.Sprint(tt.served)) {
				t.Fatalf("message %q should name the served size %d", msg, tt.served)
			}
		})
	}
}

func TestOpenAINetworkErrorRetried(t *testing.T) {
	f := newFixture(t, "k")
	calls := 0
	client := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return nil, fmt.Errorf("connection reset by peer")
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	o := f.embedder(t, OpenAIConfig{Dimensions: 8, HTTPClient: client})
	got, err := o.Embed(context.Background(), []string{"hello"})
	if err != nil {
		t.Fatal(err)
	}
	checkVectors(t, []string{"hello"}, got, 8)
	if calls != 2 || len(f.sleeps) != 1 {
		t.Fatalf("calls %d sleeps %v, want 2 calls and 1 sleep", calls, f.sleeps)
	}
}

func TestOpenAICanceledDuringBackoff(t *testing.T) {
	f := newFixture(t, "k")
	f.p.script = []func(http.ResponseWriter, []string){status(503, nil, ``)}
	ctx, cancel := context.WithCancel(context.Background())
	o := f.embedder(t, OpenAIConfig{Dimensions: 8})
	o.cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}
	if _, err := o.Embed(ctx, []string{"x"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestOpenAIConfigValidate(t *testing.T) {
	tests := []struct {
		name  string
		cfg   OpenAIConfig
		field string
	}{
		{name: "no url", cfg: OpenAIConfig{Model: "m"}, field: "url"},
		{name: "bad scheme", cfg: OpenAIConfig{URL: "ftp://x", Model: "m"}, field: "url"},
		{name: "no host", cfg: OpenAIConfig{URL: "http://", Model: "m"}, field: "url"},
		{name: "no model", cfg: OpenAIConfig{URL: "http://x"}, field: "model"},
		{name: "negative dims", cfg: OpenAIConfig{URL: "http://x", Model: "m", Dimensions: -1}, field: "dimensions"},
		{name: "huge batch", cfg: OpenAIConfig{URL: "http://x", Model: "m", BatchSize: 5000}, field: "batch_size"},
		{name: "too many in flight", cfg: OpenAIConfig{URL: "http://x", Model: "m", Concurrency: 100}, field: "concurrency"},
		{name: "negative retries", cfg: OpenAIConfig{URL: "http://x", Model: "m", MaxRetries: -2}, field: "max_retries"},
		{name: "negative timeout", cfg: OpenAIConfig{URL: "http://x", Model: "m", Timeout: -time.Second}, field: "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewOpenAI(tt.cfg)
			if got := ragkb.ErrorField(err); got != tt.field || ragkb.ErrorCodeOf(err) != ragkb.EINVALID {
				t.Fatalf("error %v: field %q, want EINVALID on %q", err, got, tt.field)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header string
		want   time.Duration
	}{
		{name: "empty", header: "", want: 0},
		{name: "seconds", header: "12", want: 12 * time.Second},
		{name: "negative seconds", header: "-3", want: 0},
		{name: "http date", header: "Sat, 21 Nov 2026 06:01:00 GMT", want: time.Minute},
		{name: "date in the past", header: "Sat, 21 Nov 2026 05:00:00 GMT", want: 0},
		{name: "garbage", header: "soon", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryAfter(tt.header, now); got != tt.want {
				t.Fatalf("retryAfter(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestOpenAIModality checks what reaches the provider for each modality:
// queries and passages marked by input_type, by prefix, or not at all.
func TestOpenAIModality(t *testing.T) {
	for _, tc := range []struct {
		name, modality             string
		wantQuery, wantPassage     string // input_type sent
		wantQueryIn, wantPassageIn string // the text as sent
		wantName                   string
	}{
		{"none", "", "", "", "where is my parcel", "Parcels ship daily.", "openai:m"},
		{"input_type", ModalityInputType, "query", "passage", "where is my parcel", "Parcels ship daily.", "openai:m+input_type"},
		{"prefix", ModalityPrefix, "", "", "query: where is my parcel", "passage: Parcels ship daily.", "openai:m+prefix"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []embeddingRequest
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var req embeddingRequest
				if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
					t.Errorf("decode request: %v", err)
				}
				got = append(got, req)
				resp := embeddingResponse{Object: "list", Model: req.Model}
				for i, s := range req.Input {
					resp.Data = append(resp.Data, struct {
						Object    string    `json:"object"`
						Index     int       `json:"index"`
						Embedding []float32 `json:"embedding"`
					}{"embedding", i, fakeVector(s, 8)})
				}
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(resp)
			}))
			defer srv.Close()
			o, err := NewOpenAI(OpenAIConfig{URL: srv.URL, Model: "m", Modality: tc.modality})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ragkb.EmbedQueries(context.Background(), o, []string{"where is my parcel"}); err != nil {
				t.Fatal(err)
			}
			if _, err := o.Embed(context.Background(), []string{"Parcels ship daily."}); err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 {
				t.Fatalf("requests: got %d, want 2", len(got))
			}
			if got[0].InputType != tc.wantQuery || got[0].Input[0] != tc.wantQueryIn {
				t.Errorf("query: got input_type %q text %q, want %q %q", got[0].InputType, got[0].Input[0], tc.wantQuery, tc.wantQueryIn)
			}
			if got[1].InputType != tc.wantPassage || got[1].Input[0] != tc.wantPassageIn {
				t.Errorf("passage: got input_type %q text %q, want %q %q", got[1].InputType, got[1].Input[0], tc.wantPassage, tc.wantPassageIn)
			}
			if o.Name() != tc.wantName {
				t.Errorf("name: got %q, want %q", o.Name(), tc.wantName)
			}
		})
	}
	if _, err := NewOpenAI(OpenAIConfig{URL: "http://x", Model: "m", Modality: "suffix"}); err == nil {
		t.Error("modality suffix: got no error, want invalid")
	}
}
