// Package llm is the premium tier's client for any OpenAI-compatible chat
// completions API (OpenAI, Azure-style gateways, Ollama, vLLM, LocalAI,
// llama.cpp server): POST {URL}/v1/chat/completions. It also builds the
// grounded prompt (BuildPrompt) and reads the [n] citations of a reply
// (ParseCitations).
//
// The client works with chat models and reasoning models: the parameter
// set (max_tokens and temperature, or max_completion_tokens) is chosen by
// Config.Params or from the model name, and in auto mode a 400 naming a
// parameter as unsupported switches to the other set once, for good (see
// Params). It retries 429 (honouring Retry-After), 5xx and timeouts with
// exponential backoff within a deadline per call, counts tokens (reasoning
// tokens included), and reports failures as *ragkb.Error with code
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
	"sync/atomic"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/retryafter"
)

// Defaults applied by New for zero Config fields.
const (
	DefaultTimeout    = 20 * time.Second
	DefaultMaxRetries = 2
	DefaultMaxTokens  = 512
	// DefaultMaxCompletionTokens bounds a reasoning model's reply: hidden
	// reasoning tokens count against it, so it is larger than MaxTokens.
	DefaultMaxCompletionTokens = 4096
	// DefaultDeadline bounds one Complete call, retries and waits included.
	DefaultDeadline = 45 * time.Second
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
	// Deadline bounds a whole Complete call, retries and waits included
	// (default 45s); the caller's context (the customer's request) bounds it
	// too. A Retry-After that would pass the deadline is not waited for.
	Deadline time.Duration
	// Params chooses the parameter set: ParamsAuto (the default), ParamsChat
	// or ParamsReasoning.
	Params Params
	// MaxTokens is sent as "max_tokens" with the chat set (default 512).
	MaxTokens int
	// MaxCompletionTokens is sent as "max_completion_tokens" with the
	// reasoning set (default 4096: reasoning tokens count against it).
	MaxCompletionTokens int
	// ReasoningEffort is sent as "reasoning_effort" with the reasoning set
	// when not empty ("minimal", "low", "medium", "high").
	ReasoningEffort string
	// Temperature is sent as "temperature" with the chat set; 0 (the
	// default) suits grounded answers.
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
	if c.Deadline < 0 {
		return ragkb.Invalid("Deadline", "the deadline must not be negative")
	}
	if _, ok := ParseParams(string(c.Params)); !ok {
		return ragkb.Invalid("Params", "must be auto, chat or reasoning")
	}
	if c.MaxTokens < 0 || c.MaxCompletionTokens < 0 {
		return ragkb.Invalid("MaxTokens", "max tokens must not be negative")
	}
	switch c.ReasoningEffort {
	case "", "minimal", "low", "medium", "high":
	default:
		return ragkb.Invalid("ReasoningEffort", "must be minimal, low, medium or high")
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
	// reasoning is the parameter set in use: set from the configuration or
	// the model name, flipped (auto mode only) when the provider refuses it.
	reasoning atomic.Bool
}

// New validates cfg, applies defaults and returns a Client.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("llm: new: %w", err)
	}
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	cfg.MaxTokens = cmp.Or(cfg.MaxTokens, DefaultMaxTokens)
	cfg.MaxCompletionTokens = cmp.Or(cfg.MaxCompletionTokens, DefaultMaxCompletionTokens)
	cfg.Deadline = cmp.Or(cfg.Deadline, DefaultDeadline)
	cfg.Params, _ = ParseParams(string(cfg.Params))
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
	c := &Client{cfg: cfg, endpoint: endpoint(cfg.URL), http: hc}
	c.reasoning.Store(cfg.Params == ParamsReasoning || cfg.Params == ParamsAuto && ReasoningModel(cfg.Model))
	return c, nil
}

// Params returns the parameter set the next request is sent with
// (ParamsChat or ParamsReasoning).
func (c *Client) Params() Params {
	if c.reasoning.Load() {
		return ParamsReasoning
	}
	return ParamsChat
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

// chatRequest and chatResponse are the wire shapes of the OpenAI API.
type chatRequest struct {
	Model               string          `json:"model"`
	Messages            []ragkb.Message `json:"messages"`
	Temperature         *float64        `json:"temperature,omitempty"`
	MaxTokens           int             `json:"max_tokens,omitempty"`
	MaxCompletionTokens int             `json:"max_completion_tokens,omitempty"`
	ReasoningEffort     string          `json:"reasoning_effort,omitempty"`
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
		// CompletionTokensDetails is absent from older servers.
		CompletionTokensDetails *struct {
			ReasoningTokens int `json:"reasoning_tokens"`
		} `json:"completion_tokens_details"`
	} `json:"usage"`
}

// Complete sends req and returns the first choice. Failures are
// *ragkb.Error: ERATELIMITED (with RetryAfter) when the provider keeps
// answering 429, EUNAVAILABLE for everything else (timeouts, 5xx, rejected
// key, malformed or empty replies), EINVALID when req has no messages.
func (c *Client) Complete(ctx context.Context, req ragkb.ChatRequest) (*ragkb.ChatResponse, error) {
	if len(req.Messages) == 0 {
		return nil, fmt.Errorf("llm: complete: %w", ragkb.Invalid("messages", "at least one message is required"))
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Deadline)
	defer cancel()
	params := c.Params()
	body, err := c.encode(req, params)
	if err != nil {
		return nil, fmt.Errorf("llm: complete: encode request: %w", err)
	}
	switched := false
	var lastErr error
	for attempt := 0; ; attempt++ {
		resp, retry, wait, err := c.attempt(ctx, body, params)
		if err == nil {
			return resp, nil
		}
		lastErr = err
		var pe *paramsError
		if errors.As(err, &pe) {
			if switched || c.cfg.Params != ParamsAuto {
				break
			}
			// The model refuses this parameter set: try the other one once
			// and keep it for later calls.
			switched = true
			params = otherParams(params)
			c.reasoning.Store(params == ParamsReasoning)
			if body, err = c.encode(req, params); err != nil {
				return nil, fmt.Errorf("llm: complete: encode request: %w", err)
			}
			attempt--
			continue
		}
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
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < backoff {
			break // waiting would pass the deadline
		}
		if err := c.sleep(ctx, backoff); err != nil {
			lastErr = err
			break
		}
	}
	return nil, fmt.Errorf("llm: complete: %w", lastErr)
}

// encode builds the request body with the given parameter set.
func (c *Client) encode(req ragkb.ChatRequest, params Params) ([]byte, error) {
	cr := chatRequest{Model: c.cfg.Model, Messages: req.Messages}
	if params == ParamsReasoning {
		cr.MaxCompletionTokens, cr.ReasoningEffort = c.cfg.MaxCompletionTokens, c.cfg.ReasoningEffort
	} else {
		t := c.cfg.Temperature
		cr.Temperature, cr.MaxTokens = &t, c.cfg.MaxTokens
	}
	return json.Marshal(cr)
}

func otherParams(p Params) Params {
	if p == ParamsReasoning {
		return ParamsChat
	}
	return ParamsReasoning
}

// paramsError is a 400 saying the model does not take a parameter of the
// set that was sent.
type paramsError struct{ err *ragkb.Error }

func (e *paramsError) Error() string { return e.err.Error() }
func (e *paramsError) Unwrap() error { return e.err }

// attempt makes one HTTP call. It returns whether a failure is worth
// retrying and how long the server asked to wait.
func (c *Client) attempt(ctx context.Context, body []byte, params Params) (resp *ragkb.ChatResponse, retry bool, wait time.Duration, err error) {
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
		resp, retry, wait, err := statusError(hresp, data, c.cfg.Now)
		if hresp.StatusCode == http.StatusBadRequest && otherSetWanted(params, data) {
			var re *ragkb.Error
			errors.As(err, &re)
			err = &paramsError{err: &ragkb.Error{Code: re.Code, Message: fmt.Sprintf(
				"the language model rejected the %s parameter set; set RAGKB_LLM_PARAMS=%s or auto", params, otherParams(params)), Err: re.Err}}
		}
		return resp, retry, wait, err
	}
	resp, err = decode(data)
	if err != nil {
		return nil, false, 0, err
	}
	return resp, false, 0, nil
}

// statusError classifies a non-200 reply.
func statusError(hresp *http.Response, data []byte, now func() time.Time) (*ragkb.ChatResponse, bool, time.Duration, error) {
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
func decode(data []byte) (*ragkb.ChatResponse, error) {
	var cr chatResponse
	if err := json.Unmarshal(data, &cr); err != nil {
		return nil, unavailable("the language model sent a malformed reply", err)
	}
	if len(cr.Choices) == 0 {
		return nil, unavailable("the language model sent a reply without choices", errors.New("empty choices"))
	}
	ch := cr.Choices[0]
	if ch.Message.Content == nil || strings.TrimSpace(*ch.Message.Content) == "" {
		msg := "the language model sent an empty answer"
		if ch.FinishReason == "length" {
			msg += ": it spent its whole token budget (a reasoning model counts its reasoning tokens; raise RAGKB_LLM_MAX_COMPLETION_TOKENS or lower RAGKB_LLM_REASONING_EFFORT)"
		}
		return nil, unavailable(msg, fmt.Errorf("empty content, finish_reason %q", ch.FinishReason))
	}
	resp := &ragkb.ChatResponse{Content: *ch.Message.Content, Model: cr.Model, FinishReason: ch.FinishReason}
	if cr.Usage != nil {
		resp.PromptTokens = cr.Usage.PromptTokens
		resp.CompletionTokens = cr.Usage.CompletionTokens
		if d := cr.Usage.CompletionTokensDetails; d != nil {
			resp.ReasoningTokens = d.ReasoningTokens
		}
	}
	return resp, nil
}

// providerMessage extracts the provider's error message, bounded, for logs.
func providerMessage(data []byte) string {
	if pe, ok := parseProviderError(data); ok && pe.Message != "" {
		return truncate(pe.Message, 300)
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
