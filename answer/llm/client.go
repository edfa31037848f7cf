// Package llm is the premium tier's client for any OpenAI-compatible chat
// completions API (OpenAI, Azure-style gateways, Ollama, vLLM, LocalAI,
// llama.cpp server): POST {URL}/v1/chat/completions. It also builds the
// grounded prompt (BuildPrompt) and reads the [n] citations of a reply
// (ParseCitations).
//
// The client retries 429 (honouring Retry-After), 5xx and timeouts with
// exponential backoff, and reports failures as *ragkb.Error with code
// EUNAVAILABLE or ERATELIMITED. It never checks what the model says: the
// caller runs guard.Check on the reply against the sources it sent.
package llm

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/retryafter"
)

// Defaults applied by New for zero Config fields.
const (
	DefaultTimeout    = 20 * time.Second
	DefaultMaxRetries = 2
	DefaultMaxTokens  = 512
	// maxBackoff caps the wait between attempts, and a Retry-After longer
	// than this is not waited for: the error carries it to the caller.
	maxBackoff  = 10 * time.Second
	baseBackoff = 500 * time.Millisecond
	// maxReplyBytes bounds how much of a reply is read.
	maxReplyBytes = 4 << 20
)

// Config configures a Client.
type Config struct {
	// URL is the API base, with or without the /v1 suffix:
	// "https://api.openai.com", "http://localhost:11434/v1".
	URL string
	// Model is sent as "model", e.g. "gpt-4o-mini".
	Model string
	// APIKey is sent as a bearer token; empty sends no Authorization header
	// (local servers).
	APIKey string
	// Timeout bounds one attempt (default 20s).
	Timeout time.Duration
	// MaxRetries is the number of retries after the first attempt (default
	// 2); a negative value disables retries.
	MaxRetries int
	// MaxTokens is sent as "max_tokens" (default 512).
	MaxTokens int
	// Temperature is sent as "temperature"; 0 (the default) suits grounded
	// answers.
	Temperature float64
	// HTTPClient is the client used (default: a new http.Client; the
	// per-attempt Timeout is applied through the request context).
	HTTPClient *http.Client
	// Sleep waits between attempts; tests inject one that records the
	// waits. The default waits on a timer and stops early when the
	// context ends.
	Sleep func(time.Duration)
	// Now is the clock used to read Retry-After dates (default time.Now).
	Now func() time.Time
}

// Validate reports the first invalid field as an EINVALID *ragkb.Error.
func (c Config) Validate() error {
	if c.URL == "" {
		return ragkb.Invalid("URL", "the language model URL is required")
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ragkb.Invalid("URL", "the language model URL must be an absolute http or https URL")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return ragkb.Invalid("URL", "the language model URL must not have a query or fragment")
	}
	if strings.TrimSpace(c.Model) == "" {
		return ragkb.Invalid("Model", "the language model name is required")
	}
	if c.Timeout < 0 {
		return ragkb.Invalid("Timeout", "the timeout must not be negative")
	}
	if c.MaxTokens < 0 {
		return ragkb.Invalid("MaxTokens", "max tokens must not be negative")
	}
	if c.Temperature < 0 || c.Temperature > 2 {
		return ragkb.Invalid("Temperature", "the temperature must be between 0 and 2")
	}
	return nil
}

// Client calls a chat completions endpoint. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint string
	http     *http.Client
}

// New validates cfg, applies defaults and returns a Client.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("llm: new: %w", err)
	}
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	cfg.MaxTokens = cmp.Or(cfg.MaxTokens, DefaultMaxTokens)
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{cfg: cfg, endpoint: endpoint(cfg.URL), http: hc}, nil
}

// endpoint turns a base URL with or without /v1 into the completions URL.
func endpoint(base string) string {
	base = strings.TrimRight(base, "/")
	base = strings.TrimSuffix(base, "/chat/completions")
	if !strings.HasSuffix(base, "/v1") {
		base += "/v1"
	}
	return base + "/chat/completions"
}

// Message is one chat turn; Role is "system", "user" or "assistant".
type Message = ragkb.Message

// Request is one completion request.
type Request struct {
	Messages []Message
}

// Response is the first choice of a completion and the tokens it cost.
type Response struct {
	Content          string
	PromptTokens     int
	CompletionTokens int
	// Model is the model that answered, as reported by the server.
	Model string
	// FinishReason is "stop", or "length" when the reply was cut at MaxTokens.
	FinishReason string
}

// chatRequest and chatResponse are the wire shapes of the OpenAI API.
type chatRequest struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	Temperature float64   `json:"temperature"`
	MaxTokens   int       `json:"max_tokens,omitempty"`
}

type chatResponse struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	Model   string `json:"model"`
	Choices []struct {
		Index   int `json:"index"`
		Message struct {
			Role    string  `json:"role"`
			Content *string `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
		TotalTokens      int `json:"total_tokens"`
	} `json:"usage"`
}

type apiError struct {
	Error struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    any    `json:"code"`
	} `json:"error"`
}

// Complete sends req and returns the first choice. Failures are
// *ragkb.Error: ERATELIMITED (with RetryAfter) when the provider keeps
// answering 429, EUNAVAILABLE for everything else (timeouts, 5xx, rejected
// key, malformed or empty replies), EINVALID when req has no messages.
func (c *Client) Complete(ctx context.Context, req Request) (*Response, error) {
	if len(req.Messages) == 0 {
		return nil, fmt.Errorf("llm: complete: %w", ragkb.Invalid("messages", "at least one message is required"))
	}
	body, err := json.Marshal(chatRequest{
		Model:       c.cfg.Model,
		Messages:    req.Messages,
		Temperature: c.cfg.Temperature,
		MaxTokens:   c.cfg.MaxTokens,
	})
	if err != nil {
		return nil, fmt.Errorf("llm: complete: encode request: %w", err)
	}
	var lastErr error
	for attempt := 0; ; attempt++ {
		resp, retry, wait, err := c.attempt(ctx, body)
		if err == nil {
			return resp, nil
		}
		lastErr = err
		if !retry || attempt >= c.cfg.MaxRetries || ctx.Err() != nil {
			break
		}
		backoff := min(baseBackoff<<attempt, maxBackoff)
		if wait > 0 {
			if wait > maxBackoff {
				break // the caller decides whether to wait that long
			}
			backoff = wait
		}
		if err := c.sleep(ctx, backoff); err != nil {
			lastErr = err
			break
		}
	}
	return nil, fmt.Errorf("llm: complete: %w", lastErr)
}

// attempt makes one HTTP call. It returns whether a failure is worth
// retrying and how long the server asked to wait.
func (c *Client) attempt(ctx context.Context, body []byte) (resp *Response, retry bool, wait time.Duration, err error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, false, 0, unavailable("the language model URL is invalid", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	if c.cfg.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	hresp, err := c.http.Do(hreq)
	if err != nil {
		if ctx.Err() != nil { // the caller gave up: do not retry
			return nil, false, 0, unavailable("the request to the language model was cancelled", ctx.Err())
		}
		if actx.Err() != nil {
			return nil, true, 0, unavailable(fmt.Sprintf("the language model did not answer within %s", c.cfg.Timeout), actx.Err())
		}
		return nil, true, 0, unavailable("the language model could not be reached", err)
	}
	defer hresp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(hresp.Body, maxReplyBytes))
	if err != nil {
		if actx.Err() != nil && ctx.Err() == nil {
			return nil, true, 0, unavailable(fmt.Sprintf("the language model did not answer within %s", c.cfg.Timeout), actx.Err())
		}
		return nil, ctx.Err() == nil, 0, unavailable("the language model's reply could not be read", err)
	}
	if hresp.StatusCode != http.StatusOK {
		return statusError(hresp, data, c.cfg.Now)
	}
	resp, err = decode(data)
	if err != nil {
		return nil, false, 0, err
	}
	return resp, false, 0, nil
}

// statusError classifies a non-200 reply.
func statusError(hresp *http.Response, data []byte, now func() time.Time) (*Response, bool, time.Duration, error) {
	cause := fmt.Errorf("HTTP %d: %s", hresp.StatusCode, providerMessage(data))
	switch code := hresp.StatusCode; {
	case code == http.StatusTooManyRequests:
		wait := retryAfter(hresp.Header.Get("Retry-After"), now())
		return nil, true, wait, &ragkb.Error{
			Code:       ragkb.ERATELIMITED,
			Message:    "the language model provider is rate limiting requests; try again later",
			RetryAfter: wait,
			Err:        cause,
		}
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return nil, false, 0, unavailable("the language model provider rejected the API key", cause)
	case code == http.StatusRequestTimeout || code >= 500:
		return nil, true, 0, unavailable("the language model provider is unavailable", cause)
	default:
		return nil, false, 0, unavailable(fmt.Sprintf("the language model provider refused the request (HTTP %d)", code), cause)
	}
}

// decode reads a chat.completion body.
func decode(data []byte) (*Response, error) {
	var cr chatResponse
	if err := json.Unmarshal(data, &cr); err != nil {
		return nil, unavailable("the language model sent a malformed reply", err)
	}
	if len(cr.Choices) == 0 {
		return nil, unavailable("the language model sent a reply without choices", errors.New("empty choices"))
	}
	ch := cr.Choices[0]
	if ch.Message.Content == nil || strings.TrimSpace(*ch.Message.Content) == "" {
		return nil, unavailable("the language model sent an empty answer", fmt.Errorf("empty content, finish_reason %q", ch.FinishReason))
	}
	resp := &Response{Content: *ch.Message.Content, Model: cr.Model, FinishReason: ch.FinishReason}
	if cr.Usage != nil {
		resp.PromptTokens = cr.Usage.PromptTokens
		resp.CompletionTokens = cr.Usage.CompletionTokens
	}
	return resp, nil
}

// providerMessage extracts the provider's error message, bounded, for logs.
func providerMessage(data []byte) string {
	var ae apiError
	if json.Unmarshal(data, &ae) == nil && ae.Error.Message != "" {
		return truncate(ae.Error.Message, 300)
	}
	return truncate(strings.TrimSpace(string(data)), 300)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// retryAfter is the wait a Retry-After header asks for (0 when absent).
func retryAfter(h string, now time.Time) time.Duration {
	d, _ := retryafter.Parse(h, now)
	return d
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.cfg.Sleep != nil {
		c.cfg.Sleep(d)
		if ctx.Err() != nil {
			return unavailable("the request to the language model was cancelled", ctx.Err())
		}
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return unavailable("the request to the language model was cancelled", ctx.Err())
	}
}

func unavailable(msg string, cause error) *ragkb.Error {
	return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: msg, Err: cause}
}
