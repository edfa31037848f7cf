package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

const testKey = "sk-test-123"

// fakeOpenAI is an httptest server that behaves like the OpenAI chat
// completions endpoint: it checks method, path, headers and body shape,
// then plays the scripted replies in order (the last one repeats).
type fakeOpenAI struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	calls   int
	replies []func(w http.ResponseWriter, r *http.Request)
	bodies  []map[string]any
}

func newFake(t *testing.T, replies ...func(w http.ResponseWriter, r *http.Request)) *fakeOpenAI {
	t.Helper()
	f := &fakeOpenAI{t: t, replies: replies}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeOpenAI) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		f.t.Errorf("method = %s, want POST", r.Method)
	}
	if r.URL.Path != "/v1/chat/completions" {
		f.t.Errorf("path = %s, want /v1/chat/completions", r.URL.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
		f.t.Errorf("Authorization = %q, want bearer key", got)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		f.t.Errorf("Content-Type = %q, want application/json", got)
	}
	data, _ := io.ReadAll(r.Body)
	var body map[string]any
	if err := json.Unmarshal(data, &body); err != nil {
		f.t.Errorf("body is not JSON: %v", err)
	}
	for k := range body {
		switch k {
		case "model", "messages", "temperature", "max_tokens", "max_completion_tokens", "reasoning_effort":
		default:
			f.t.Errorf("unexpected body field %q", k)
		}
	}
	if _, ok := body["model"].(string); !ok {
		f.t.Errorf("body.model = %v, want a string", body["model"])
	}
	if v, present := body["temperature"]; present {
		if _, ok := v.(float64); !ok {
			f.t.Errorf("body.temperature = %v, want a number", v)
		}
	}
	msgs, ok := body["messages"].([]any)
	if !ok || len(msgs) == 0 {
		f.t.Errorf("body.messages = %v, want a non-empty array", body["messages"])
	}
	for _, m := range msgs {
		mm, _ := m.(map[string]any)
		role, _ := mm["role"].(string)
		if _, ok := mm["content"].(string); !ok || (role != "system" && role != "user" && role != "assistant") || len(mm) != 2 {
			f.t.Errorf("message = %v, want {role, content}", m)
		}
	}
	f.mu.Lock()
	i := min(f.calls, len(f.replies)-1)
	f.calls++
	f.bodies = append(f.bodies, body)
	f.mu.Unlock()
	f.replies[i](w, r.WithContext(context.WithValue(r.Context(), bodyKey{}, body)))
}

type bodyKey struct{}

// bodyOf is the decoded request body the fake read, for replies that
// depend on it.
func bodyOf(r *http.Request) map[string]any {
	b, _ := r.Context().Value(bodyKey{}).(map[string]any)
	return b
}

func (f *fakeOpenAI) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// completion replies like the OpenAI docs' example chat.completion object.
func completion(content string, prompt, compl int) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		c, _ := json.Marshal(content)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{
  "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  "object": "chat.completion",
  "created": 1741569952,
  "model": "gpt-4.1-2025-04-14",
  "choices": [
    {
      "index": 0,
      "message": {"role": "assistant", "content": %s, "refusal": null, "annotations": []},
      "logprobs": null,
      "finish_reason": "stop"
    }
  ],
  "usage": {
    "prompt_tokens": %d,
    "completion_tokens": %d,
    "total_tokens": %d,
    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
  },
  "service_tier": "default"
}`, c, prompt, compl, prompt+compl)
	}
}

func apiErr(status int, header map[string]string, msg, typ string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error": {"message": %q, "type": %q, "param": null, "code": null}}`, msg, typ)
	}
}

func raw(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// sleeper records the waits the client asks for instead of waiting.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
}

func newClient(t *testing.T, url string, s *sleeper, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{URL: url, Model: "gpt-4.1", APIKey: testKey, Sleep: s.Sleep, Timeout: 2 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

var question = ragkb.ChatRequest{Messages: []ragkb.Message{
	{Role: "system", Content: "Answer from the sources."},
	{Role: "user", Content: "How long does delivery take?"},
}}

func TestCompleteSuccess(t *testing.T) {
	f := newFake(t, completion("Delivery takes 2-3 working days [1].", 120, 12))
	s := &sleeper{}
	c := newClient(t, f.srv.URL, s, func(c *Config) { c.MaxTokens = 300; c.Temperature = 0.2 })
	got, err := c.Complete(context.Background(), question)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	want := ragkb.ChatResponse{Content: "Delivery takes 2-3 working days [1].", PromptTokens: 120, CompletionTokens: 12, Model: "gpt-4.1-2025-04-14", FinishReason: "stop"}
	if *got != want {
		t.Errorf("got %+v, want %+v", *got, want)
	}
	body := f.bodies[0]
	if body["model"] != "gpt-4.1" || body["max_tokens"] != float64(300) || body["temperature"] != 0.2 {
		t.Errorf("body = %v, want model gpt-4.1, max_tokens 300, temperature 0.2", body)
	}
	msgs := body["messages"].([]any)
	if len(msgs) != 2 || msgs[1].(map[string]any)["content"] != "How long does delivery take?" {
		t.Errorf("messages = %v, want the request's two messages", msgs)
	}
	if len(s.waits) != 0 {
		t.Errorf("waits = %v, want none", s.waits)
	}
}

func TestCompleteBaseURLForms(t *testing.T) {
	for _, suffix := range []string{"", "/", "/v1", "/v1/", "/v1/chat/completions"} {
		t.Run("suffix="+suffix, func(t *testing.T) {
			f := newFake(t, completion("ok", 1, 1))
			c := newClient(t, f.srv.URL+suffix, &sleeper{}, nil)
			if _, err := c.Complete(context.Background(), question); err != nil {
				t.Fatalf("Complete: %v", err)
			}
			if f.Calls() != 1 {
				t.Errorf("calls = %d, want 1", f.Calls())
			}
		})
	}
}

func TestCompleteRetries(t *testing.T) {
	tests := []struct {
		name      string
		replies   []func(http.ResponseWriter, *http.Request)
		retries   int
		wantCalls int
		wantWaits []time.Duration
		wantCode  ragkb.ErrorCode // "" = success
		wantRA    time.Duration
	}{
		{
			name:      "429 with Retry-After then success",
			replies:   []func(http.ResponseWriter, *http.Request){apiErr(429, map[string]string{"Retry-After": "3"}, "Rate limit reached for gpt-4.1", "requests"), completion("ok", 1, 1)},
			wantCalls: 2, wantWaits: []time.Duration{3 * time.Second},
		},
		{
			name:      "429 without Retry-After backs off",
			replies:   []func(http.ResponseWriter, *http.Request){apiErr(429, nil, "Rate limit reached", "requests"), completion("ok", 1, 1)},
			wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond},
		},
		{
			name:      "500 then success",
			replies:   []func(http.ResponseWriter, *http.Request){apiErr(500, nil, "The server had an error while processing your request.", "server_error"), completion("ok", 1, 1)},
			wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond},
		},
		{
			name:      "502 html then 503 then success",
			replies:   []func(http.ResponseWriter, *http.Request){raw(502, "<html>Bad Gateway</html>"), apiErr(503, nil, "overloaded", "server_error"), completion("ok", 1, 1)},
			wantCalls: 3, wantWaits: []time.Duration{500 * time.Millisecond, time.Second},
		},
		{
			name:      "persistent 500",
			replies:   []func(http.ResponseWriter, *http.Request){apiErr(500, nil, "The server had an error", "server_error")},
			wantCalls: 3, wantWaits: []time.Duration{500 * time.Millisecond, time.Second}, wantCode: ragkb.EUNAVAILABLE,
		},
		{
			name:      "persistent 500 with retries disabled",
			replies:   []func(http.ResponseWriter, *http.Request){apiErr(500, nil, "The server had an error", "server_error")},
			retries:   -1,
			wantCalls: 1, wantCode: ragkb.EUNAVAILABLE,
		},
		{
			name:      "persistent 429",
			replies:   []func(http.ResponseWriter, *http.Request){apiErr(429, map[string]string{"Retry-After": "1"}, "Rate limit reached", "requests")},
			wantCalls: 3, wantWaits: []time.Duration{time.Second, time.Second}, wantCode: ragkb.ERATELIMITED, wantRA: time.Second,
		},
		{
			name:      "429 asking for longer than the cap is not waited for",
			replies:   []func(http.ResponseWriter, *http.Request){apiErr(429, map[string]string{"Retry-After": "60"}, "quota", "requests"), completion("ok", 1, 1)},
			wantCalls: 1, wantCode: ragkb.ERATELIMITED, wantRA: time.Minute,
		},
		{
			name:      "401 is not retried",
			replies:   []func(http.ResponseWriter, *http.Request){apiErr(401, nil, "Incorrect API key provided", "invalid_request_error"), completion("ok", 1, 1)},
			wantCalls: 1, wantCode: ragkb.EUNAVAILABLE,
		},
		{
			name:      "400 is not retried",
			replies:   []func(http.ResponseWriter, *http.Request){apiErr(400, nil, "maximum context length", "invalid_request_error"), completion("ok", 1, 1)},
			wantCalls: 1, wantCode: ragkb.EUNAVAILABLE,
		},
		{
			name:      "malformed JSON",
			replies:   []func(http.ResponseWriter, *http.Request){raw(200, `{"id": "chatcmpl-1", "choices": [`)},
			wantCalls: 1, wantCode: ragkb.EUNAVAILABLE,
		},
		{
			name:      "empty choices",
			replies:   []func(http.ResponseWriter, *http.Request){raw(200, `{"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4.1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}}`)},
			wantCalls: 1, wantCode: ragkb.EUNAVAILABLE,
		},
		{
			name:      "null content",
			replies:   []func(http.ResponseWriter, *http.Request){raw(200, `{"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4.1","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"content_filter"}]}`)},
			wantCalls: 1, wantCode: ragkb.EUNAVAILABLE,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.replies...)
			s := &sleeper{}
			c := newClient(t, f.srv.URL, s, func(c *Config) { c.MaxRetries = tt.retries })
			resp, err := c.Complete(context.Background(), question)
			if got := ragkb.ErrorCodeOf(err); got != tt.wantCode {
				t.Fatalf("error code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if err == nil && resp.Content != "ok" {
				t.Errorf("content = %q, want ok", resp.Content)
			}
			if err != nil {
				var e *ragkb.Error
				if !errors.As(err, &e) || e.Message == "" || e.RetryAfter != tt.wantRA {
					t.Errorf("error = %#v, want a *ragkb.Error with a message and RetryAfter %v", e, tt.wantRA)
				}
				if !strings.HasPrefix(err.Error(), "llm: complete: ") {
					t.Errorf("error = %q, want the llm: complete: prefix", err)
				}
				if strings.Contains(ragkb.ErrorMessage(err), testKey) {
					t.Errorf("message %q leaks the API key", ragkb.ErrorMessage(err))
				}
			}
			if got := f.Calls(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			if fmt.Sprint(s.waits) != fmt.Sprint(tt.wantWaits) {
				t.Errorf("waits = %v, want %v", s.waits, tt.wantWaits)
			}
		})
	}
}

func TestCompleteTimeout(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	f := newFake(t, slow, slow, completion("ok", 1, 1))
	s := &sleeper{}
	c := newClient(t, f.srv.URL, s, func(c *Config) { c.Timeout = 50 * time.Millisecond; c.MaxRetries = 1 })
	_, err := c.Complete(context.Background(), question)
	if got := ragkb.ErrorCodeOf(err); got != ragkb.EUNAVAILABLE {
		t.Fatalf("error code = %q (%v), want unavailable", got, err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want it to wrap context.DeadlineExceeded", err)
	}
	if !strings.Contains(ragkb.ErrorMessage(err), "did not answer within 50ms") {
		t.Errorf("message = %q, want it to name the timeout", ragkb.ErrorMessage(err))
	}
	if got := f.Calls(); got != 2 {
		t.Errorf("calls = %d, want 2 (timeouts are retried)", got)
	}
}

func TestCompleteTimeoutThenSuccess(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	f := newFake(t, slow, completion("ok", 1, 1))
	c := newClient(t, f.srv.URL, &sleeper{}, func(c *Config) { c.Timeout = 50 * time.Millisecond })
	resp, err := c.Complete(context.Background(), question)
	if err != nil || resp.Content != "ok" {
		t.Fatalf("Complete = %v, %v, want ok", resp, err)
	}
}

func TestCompleteCallerCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})
	c := newClient(t, f.srv.URL, &sleeper{}, nil)
	_, err := c.Complete(ctx, question)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if got := f.Calls(); got != 1 {
		t.Errorf("calls = %d, want 1 (no retry after the caller gave up)", got)
	}
}

func TestCompleteNoMessages(t *testing.T) {
	f := newFake(t, completion("ok", 1, 1))
	c := newClient(t, f.srv.URL, &sleeper{}, nil)
	_, err := c.Complete(context.Background(), ragkb.ChatRequest{})
	if ragkb.ErrorCodeOf(err) != ragkb.EINVALID || ragkb.ErrorField(err) != "messages" {
		t.Errorf("error = %v, want EINVALID on messages", err)
	}
	if f.Calls() != 0 {
		t.Errorf("calls = %d, want 0", f.Calls())
	}
}

func TestNoAuthorizationWithoutKey(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := r.Header["Authorization"]; ok {
			t.Errorf("Authorization = %v, want none", h)
		}
		completion("ok", 1, 1)(w, r)
	}))
	defer srv.Close()
	c, err := New(Config{URL: srv.URL + "/v1", Model: "llama3.2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Complete(context.Background(), question); err != nil {
		t.Fatalf("Complete: %v", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		name, header string
		want         time.Duration
	}{
		{"empty", "", 0},
		{"seconds", "7", 7 * time.Second},
		{"fraction", "0.5", 500 * time.Millisecond},
		{"negative", "-3", 0},
		{"http date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"past date", now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"garbage", "soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryAfter(tt.header, now); got != tt.want {
				t.Errorf("retryAfter(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{URL: "https://api.openai.com", Model: "gpt-4.1-mini"}
	tests := []struct {
		name      string
		mod       func(*Config)
		wantField string
	}{
		{"valid", func(*Config) {}, ""},
		{"valid with v1", func(c *Config) { c.URL = "http://localhost:11434/v1" }, ""},
		{"no url", func(c *Config) { c.URL = "" }, "URL"},
		{"relative url", func(c *Config) { c.URL = "api.openai.com" }, "URL"},
		{"ftp url", func(c *Config) { c.URL = "ftp://x" }, "URL"},
		{"query", func(c *Config) { c.URL = "https://x/v1?a=b" }, "URL"},
		{"no model", func(c *Config) { c.Model = " " }, "Model"},
		{"negative timeout", func(c *Config) { c.Timeout = -1 }, "Timeout"},
		{"negative max tokens", func(c *Config) { c.MaxTokens = -5 }, "MaxTokens"},
		{"temperature too high", func(c *Config) { c.Temperature = 2.5 }, "Temperature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.mod(&cfg)
			err := cfg.Validate()
			if got := ragkb.ErrorField(err); got != tt.wantField || (tt.wantField != "" && ragkb.ErrorCodeOf(err) != ragkb.EINVALID) {
				t.Errorf("Validate() = %v, want field %q", err, tt.wantField)
			}
			if _, err := New(cfg); (err == nil) != (tt.wantField == "") {
				t.Errorf("New error = %v, want error %v", err, tt.wantField != "")
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Config{URL: "https://api.openai.com/", Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.Timeout != DefaultTimeout || c.cfg.MaxRetries != DefaultMaxRetries || c.cfg.MaxTokens != DefaultMaxTokens {
		t.Errorf("defaults = %v/%d/%d, want %v/%d/%d", c.cfg.Timeout, c.cfg.MaxRetries, c.cfg.MaxTokens, DefaultTimeout, DefaultMaxRetries, DefaultMaxTokens)
	}
	if c.endpoint != "https://api.openai.com/v1/chat/completions" {
		t.Errorf("endpoint = %q", c.endpoint)
	}
}

func TestCompleteUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	s := &sleeper{}
	c := newClient(t, url, s, nil)
	_, err := c.Complete(context.Background(), question)
	if ragkb.ErrorCodeOf(err) != ragkb.EUNAVAILABLE || !strings.Contains(ragkb.ErrorMessage(err), "could not be reached") {
		t.Fatalf("error = %v, want EUNAVAILABLE could not be reached", err)
	}
	if len(s.waits) != DefaultMaxRetries {
		t.Errorf("waits = %v, want %d retries", s.waits, DefaultMaxRetries)
	}
}
