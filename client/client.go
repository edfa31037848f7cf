// Package client is a thin typed Go client of the ragkb HTTP API
// (server/openapi.json). Each method is one route; a problem document
// (RFC 9457) comes back as an *Error carrying its status, detail and field.
//
//	c := client.New("http://localhost:8080", os.Getenv("RAGKB_KEY"))
//	ans, err := c.Answer(ctx, ragkb.AnswerRequest{Question: "Do you issue invoices?"})
//	var e *client.Error
//	if errors.As(err, &e) && e.Status == 401 { ... }
//
// The ragkb command's import, ask and resources subcommands use it; a test
// checks that every route it calls exists in openapi.json.
package client

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
)

// Client calls one ragkb server with one API key. Its fields may be set
// before first use and not changed afterwards.
type Client struct {
	// BaseURL is the server's address, e.g. "http://localhost:8080".
	BaseURL string
	// Key is sent as "Authorization: Bearer <Key>".
	Key string
	// HTTP is the client used; nil means one with a 60 s timeout.
	HTTP *http.Client
	// UserAgent is sent when not empty.
	UserAgent string
}

// New returns a Client for the server at baseURL using key.
func New(baseURL, key string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Key: key, HTTP: &http.Client{Timeout: 60 * time.Second}}
}

// Error is a problem document returned by the server, or a reply that was
// not one (then Title says so and Detail holds the start of the body).
type Error struct {
	Status    int    `json:"status"`
	Type      string `json:"type"`
	Title     string `json:"title"`
	Detail    string `json:"detail"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	// RetryAfter is the server's Retry-After (429), zero when absent.
	RetryAfter time.Duration `json:"-"`
	// RefreshAvailableAt says when a refused refresh is allowed again.
	RefreshAvailableAt *time.Time `json:"refresh_available_at,omitempty"`
}

// Error formats the problem the way a person reads it: "400 Invalid request: knowledge_base.delivery: ...".
func (e *Error) Error() string {
	msg := fmt.Sprintf("%d %s", e.Status, e.Title)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// route is one API operation as written in openapi.json.
type route struct{ method, path string }

// routes maps every Client method to the route it calls; client_test checks
// each against openapi.json and that every exported method has an entry.
var routes = map[string]route{
	"Health":             {"GET", "/healthz"},
	"CreateTenant":       {"POST", "/v1/tenants"},
	"ListTenants":        {"GET", "/v1/tenants"},
	"CreateKey":          {"POST", "/v1/tenants/{tenant_id}/keys"},
	"ListKeys":           {"GET", "/v1/tenants/{tenant_id}/keys"},
	"RevokeKey":          {"DELETE", "/v1/tenants/{tenant_id}/keys/{key_id}"},
	"FailedResources":    {"GET", "/v1/admin/resources"},
	"CreateResource":     {"POST", "/v1/resources"},
	"CreateResourceBody": {"POST", "/v1/resources"},
	"ListResources":      {"GET", "/v1/resources"},
	"GetResource":        {"GET", "/v1/resources/{id}"},
	"UpdateResource":     {"PUT", "/v1/resources/{id}"},
	"DeleteResource":     {"DELETE", "/v1/resources/{id}"},
	"RetryResource":      {"POST", "/v1/resources/{id}/retry"},
	"RefreshResource":    {"POST", "/v1/resources/{id}/refresh"},
	"Answer":             {"POST", "/v1/answer"},
	"Search":             {"POST", "/v1/search"},
	"CreateAssistant":    {"POST", "/v1/assistants"},
	"ListAssistants":     {"GET", "/v1/assistants"},
	"GetAssistant":       {"GET", "/v1/assistants/{id}"},
	"UpdateAssistant":    {"PUT", "/v1/assistants/{id}"},
	"DeleteAssistant":    {"DELETE", "/v1/assistants/{id}"},
	"Events":             {"GET", "/v1/events"},
}

// call sends one request of the named method. args fill the {placeholders}
// of its path in order; body (when not nil) is sent as JSON, or as is when it
// is an io.Reader with contentType; out (when not nil) receives the JSON reply.
func (c *Client) call(ctx context.Context, name string, args []string, query url.Values, contentType string, body any, out any) error {
	rt, ok := routes[name]
	if !ok {
		panic("client: no route for " + name)
	}
	path := rt.path
	for _, a := range args {
		i, j := strings.Index(path, "{"), strings.Index(path, "}")
		if i < 0 || j < i {
			panic("client: too many arguments for " + rt.path)
		}
		path = path[:i] + url.PathEscape(a) + path[j+1:]
	}
	u := c.BaseURL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case io.Reader:
		rd = b
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("client: %s: encode body: %w", name, err)
		}
		rd, contentType = bytes.NewReader(buf), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, rt.method, u, rd)
	if err != nil {
		return fmt.Errorf("client: %s: %w", name, err)
	}
	if c.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("client: %s %s: %w", rt.method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("client: %s %s: read reply: %w", rt.method, path, err)
	}
	if resp.StatusCode >= 400 {
		return problem(resp, data)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("client: %s %s: decode reply: %w", rt.method, path, err)
	}
	return nil
}

func problem(resp *http.Response, data []byte) error {
	e := &Error{}
	if json.Unmarshal(data, e) != nil || e.Title == "" {
		snippet := strings.TrimSpace(string(data))
		if len(snippet) > 200 {
			snippet = snippet[:200]
		}
		e = &Error{Title: http.StatusText(resp.StatusCode), Detail: snippet}
	}
	e.Status = resp.StatusCode
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	return e
}

// Health checks that the server process is up (GET /healthz).
func (c *Client) Health(ctx context.Context) error {
	return c.call(ctx, "Health", nil, nil, "", nil, nil)
}

// CreateTenant creates a tenant (admin key).
func (c *Client) CreateTenant(ctx context.Context, name string) (ragkb.Tenant, error) {
	var t ragkb.Tenant
	err := c.call(ctx, "CreateTenant", nil, nil, "", map[string]string{"name": name}, &t)
	return t, err
}

// ListTenants lists every tenant (admin key).
func (c *Client) ListTenants(ctx context.Context) ([]ragkb.Tenant, error) {
	var out struct{ Tenants []ragkb.Tenant }
	err := c.call(ctx, "ListTenants", nil, nil, "", nil, &out)
	return out.Tenants, err
}

// NewKey is a key just created: Key is the secret, shown this once.
type NewKey struct {
	ID       string     `json:"id"`
	Key      string     `json:"key"`
	Role     ragkb.Role `json:"role"`
	TenantID string     `json:"tenant_id"`
}

// CreateKey creates a merchant or chatbot key of a tenant (admin key).
func (c *Client) CreateKey(ctx context.Context, tenantID string, role ragkb.Role) (NewKey, error) {
	var k NewKey
	err := c.call(ctx, "CreateKey", []string{tenantID}, nil, "", map[string]ragkb.Role{"role": role}, &k)
	return k, err
}

// ListKeys lists a tenant's keys, never their secrets (admin key).
func (c *Client) ListKeys(ctx context.Context, tenantID string) ([]ragkb.APIKey, error) {
	var out struct{ Keys []ragkb.APIKey }
	err := c.call(ctx, "ListKeys", []string{tenantID}, nil, "", nil, &out)
	return out.Keys, err
}

// RevokeKey revokes a key at once (admin key).
func (c *Client) RevokeKey(ctx context.Context, tenantID, keyID string) error {
	return c.call(ctx, "RevokeKey", []string{tenantID, keyID}, nil, "", nil, nil)
}

// FailedResources lists resources of every tenant with the given status,
// "failed" when empty (admin key).
func (c *Client) FailedResources(ctx context.Context, status ragkb.ResourceStatus) ([]ragkb.Resource, error) {
	var out struct{ Resources []ragkb.Resource }
	err := c.call(ctx, "FailedResources", nil, url.Values{"status": {string(cmp.Or(status, ragkb.StatusFailed))}}, "", nil, &out)
	return out.Resources, err
}

// ResourceInput is the body of CreateResource and UpdateResource: the common
// fields and exactly the spec of its Type.
type ResourceInput struct {
	Name          string               `json:"name"`
	Type          ragkb.ResourceType   `json:"type"`
	Language      string               `json:"language,omitempty"`
	KnowledgeBase *ragkb.KnowledgeBase `json:"knowledge_base,omitempty"`
	FAQPage       *ragkb.FAQPageSpec   `json:"faq_page,omitempty"`
	Policy        *ragkb.PolicySpec    `json:"policy,omitempty"`
	Offers        *ragkb.OffersSpec    `json:"offers,omitempty"`
}

// ndjsonAbove is the number of custom questions above which a knowledge base
// is streamed as NDJSON rather than sent as one JSON body (which the server
// bounds at 8 MiB).
const ndjsonAbove = 2000

// body returns what to send for in: JSON, or NDJSON for a large knowledge base.
func (in ResourceInput) body() (string, any) {
	if in.KnowledgeBase == nil || len(in.KnowledgeBase.Custom) <= ndjsonAbove {
		return "", in
	}
	pr, pw := io.Pipe()
	go func() {
		head := in
		kb := *in.KnowledgeBase
		kb.Custom = nil
		head.KnowledgeBase = &kb
		enc := json.NewEncoder(pw)
		err := enc.Encode(head)
		for i := 0; err == nil && i < len(in.KnowledgeBase.Custom); i++ {
			err = enc.Encode(in.KnowledgeBase.Custom[i])
		}
		pw.CloseWithError(err)
	}()
	return "application/x-ndjson", pr
}

// CreateResource adds a resource (merchant key); it comes back processing.
func (c *Client) CreateResource(ctx context.Context, in ResourceInput) (ragkb.Resource, error) {
	var r ragkb.Resource
	ct, body := in.body()
	err := c.call(ctx, "CreateResource", nil, nil, ct, body, &r)
	return r, err
}

// CreateResourceBody adds a resource from an already encoded body: JSON, or
// NDJSON (contentType "application/x-ndjson") for a large knowledge base.
// The server checks it as it is, so a misspelt key is refused by name rather
// than dropped by a Go type on the way.
func (c *Client) CreateResourceBody(ctx context.Context, contentType string, body io.Reader) (ragkb.Resource, error) {
	var r ragkb.Resource
	err := c.call(ctx, "CreateResourceBody", nil, nil, cmp.Or(contentType, "application/json"), body, &r)
	return r, err
}

// ListResources lists the tenant's resources, only those with status when
// it is not empty (merchant key).
func (c *Client) ListResources(ctx context.Context, status ragkb.ResourceStatus) ([]ragkb.Resource, error) {
	var q url.Values
	if status != "" {
		q = url.Values{"status": {string(status)}}
	}
	var out struct{ Resources []ragkb.Resource }
	err := c.call(ctx, "ListResources", nil, q, "", nil, &out)
	return out.Resources, err
}

// GetResource returns one resource.
func (c *Client) GetResource(ctx context.Context, id string) (ragkb.Resource, error) {
	var r ragkb.Resource
	err := c.call(ctx, "GetResource", []string{id}, nil, "", nil, &r)
	return r, err
}

// WaitResource polls a resource with c until it leaves processing (indexed,
// or failed: see its Status and Error) or ctx ends, and returns it. (A
// function, not a method: every method of Client is one route.)
func WaitResource(ctx context.Context, c *Client, id string) (ragkb.Resource, error) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		r, err := c.GetResource(ctx, id)
		if err != nil || r.Status != ragkb.StatusProcessing {
			return r, err
		}
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case <-t.C:
		}
	}
}

// UpdateResource replaces a resource's content; it is indexed again.
func (c *Client) UpdateResource(ctx context.Context, id string, in ResourceInput) (ragkb.Resource, error) {
	var r ragkb.Resource
	ct, body := in.body()
	err := c.call(ctx, "UpdateResource", []string{id}, nil, ct, body, &r)
	return r, err
}

// DeleteResource deletes a resource and takes its chunks out of the index.
func (c *Client) DeleteResource(ctx context.Context, id string) error {
	return c.call(ctx, "DeleteResource", []string{id}, nil, "", nil, nil)
}

// RetryResource requeues a failed resource (a 409 *Error otherwise).
func (c *Client) RetryResource(ctx context.Context, id string) (ragkb.Resource, error) {
	var r ragkb.Resource
	err := c.call(ctx, "RetryResource", []string{id}, nil, "", nil, &r)
	return r, err
}

// RefreshResource fetches a resource's source again now (offers: once a
// month, a 429 *Error with RefreshAvailableAt before that).
func (c *Client) RefreshResource(ctx context.Context, id string) (ragkb.Resource, error) {
	var r ragkb.Resource
	err := c.call(ctx, "RefreshResource", []string{id}, nil, "", nil, &r)
	return r, err
}

// Answer asks a question (chatbot or merchant key).
func (c *Client) Answer(ctx context.Context, req ragkb.AnswerRequest) (ragkb.AnswerResponse, error) {
	var a ragkb.AnswerResponse
	err := c.call(ctx, "Answer", nil, nil, "", req, &a)
	return a, err
}

// Search returns the passages retrieval finds for a query.
func (c *Client) Search(ctx context.Context, req ragkb.SearchRequest) ([]ragkb.SearchResult, error) {
	var out struct{ Results []ragkb.SearchResult }
	err := c.call(ctx, "Search", nil, nil, "", req, &out)
	return out.Results, err
}

// AssistantInput is the body of CreateAssistant and UpdateAssistant.
type AssistantInput struct {
	Name            string   `json:"name"`
	ResourceIDs     []string `json:"resource_ids,omitempty"`
	FallbackMessage string   `json:"fallback_message,omitempty"`
	AgentMessage    string   `json:"agent_message,omitempty"`
	AutoClose       *bool    `json:"auto_close,omitempty"`
	PremiumIntents  []string `json:"premium_intents,omitempty"`
	Language        string   `json:"language,omitempty"`
	// Translate lets the assistant translate answers with the LLM.
	Translate bool `json:"translate,omitempty"`
	// Triage is the assistant's triage configuration (see API.md).
	Triage *ragkb.TriageConfig `json:"triage,omitempty"`
}

// CreateAssistant creates an assistant (merchant key).
func (c *Client) CreateAssistant(ctx context.Context, in AssistantInput) (ragkb.Assistant, error) {
	var a ragkb.Assistant
	err := c.call(ctx, "CreateAssistant", nil, nil, "", in, &a)
	return a, err
}

// ListAssistants lists the tenant's assistants.
func (c *Client) ListAssistants(ctx context.Context) ([]ragkb.Assistant, error) {
	var out struct{ Assistants []ragkb.Assistant }
	err := c.call(ctx, "ListAssistants", nil, nil, "", nil, &out)
	return out.Assistants, err
}

// GetAssistant returns one assistant.
func (c *Client) GetAssistant(ctx context.Context, id string) (ragkb.Assistant, error) {
	var a ragkb.Assistant
	err := c.call(ctx, "GetAssistant", []string{id}, nil, "", nil, &a)
	return a, err
}

// UpdateAssistant replaces an assistant's configuration.
func (c *Client) UpdateAssistant(ctx context.Context, id string, in AssistantInput) (ragkb.Assistant, error) {
	var a ragkb.Assistant
	err := c.call(ctx, "UpdateAssistant", []string{id}, nil, "", in, &a)
	return a, err
}

// DeleteAssistant deletes an assistant.
func (c *Client) DeleteAssistant(ctx context.Context, id string) error {
	return c.call(ctx, "DeleteAssistant", []string{id}, nil, "", nil, nil)
}

// Events lists the tenant's events of a type (all types when empty).
func (c *Client) Events(ctx context.Context, typ ragkb.EventType) ([]ragkb.Event, error) {
	var q url.Values
	if typ != "" {
		q = url.Values{"type": {string(typ)}}
	}
	var out struct{ Events []ragkb.Event }
	err := c.call(ctx, "Events", nil, q, "", nil, &out)
	return out.Events, err
}
