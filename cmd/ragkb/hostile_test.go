package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// Regression tests of issue 15 ("hostile input, faults and scale"), one per
// row of its table, through the API of the real service.

// send sends body with the given content type and returns the status,
// headers and body.
func (s *testService) send(method, path, key, contentType string, body io.Reader) (int, http.Header, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.srv.URL+path, body)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, data
}

// Row 1: a PUT that moves an offers resource to another host without a token
// must not send the stored token there.
func TestTokenNeverGoesToANewHost(t *testing.T) {
	const token = "shpat_0123456789abcdef-secret"
	var leaked atomic.Int32
	newHost := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, vs := range r.Header {
			for _, v := range vs {
				if strings.Contains(v, token) {
					leaked.Add(1)
				}
			}
		}
		if strings.Contains(r.URL.RawQuery, token) {
			leaked.Add(1)
		}
		http.NotFound(w, r)
	}))
	defer newHost.Close()
	oldHost := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"errors":"[API] Invalid API key or access token"}`, http.StatusUnauthorized)
	}))
	defer oldHost.Close()

	s := startService(t, t.TempDir(), nil)
	_, merchant, _ := s.tenantWithKeys("Shop")
	var res ragkb.Resource
	if code := s.call("POST", "/v1/resources", merchant, map[string]any{"name": "Shopify", "type": "offers",
		"offers": map[string]any{"source": "shopify", "url": oldHost.URL, "token": token}}, &res); code != 202 {
		t.Fatalf("create: got %d", code)
	}
	s.waitStatus(merchant, res.ID, 10*time.Second)
	if code := s.call("PUT", "/v1/resources/"+res.ID, merchant, map[string]any{"name": "Shopify", "type": "offers",
		"offers": map[string]any{"source": "shopify", "url": newHost.URL}}, &res); code != 202 {
		t.Fatalf("update: got %d", code)
	}
	got := s.waitStatus(merchant, res.ID, 10*time.Second)
	if n := leaked.Load(); n > 0 {
		t.Fatalf("the stored token was sent to the new host %d times", n)
	}
	if got.Offers == nil || got.Offers.Token != "" {
		t.Errorf("after moving to a new host the resource shows token %q, want none kept", got.Offers.Token)
	}
	// The same host keeps the stored token (a rename is not a move).
	if code := s.call("PUT", "/v1/resources/"+res.ID, merchant, map[string]any{"name": "Shopify", "type": "offers",
		"offers": map[string]any{"source": "shopify", "url": newHost.URL, "token": "shpat_new"}}, &res); code != 202 {
		t.Fatalf("update with token: got %d", code)
	}
	s.waitStatus(merchant, res.ID, 10*time.Second)
	if code := s.call("PUT", "/v1/resources/"+res.ID, merchant, map[string]any{"name": "Shopify renamed", "type": "offers",
		"offers": map[string]any{"source": "shopify", "url": newHost.URL + "/collections/all"}}, &res); code != 202 {
		t.Fatalf("rename: got %d", code)
	}
	if res.Offers == nil || res.Offers.Token != "********" {
		t.Errorf("a PUT on the same host lost the token: shows %q, want ********", res.Offers.Token)
	}
}

// Row 2: a PUT racing a refresh must never be silently undone.
func TestPutRacingRefreshIsNeverLost(t *testing.T) {
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><main><h1>Returns</h1><p>You can return any item within 30 days of delivery for a full refund.</p></main></body></html>`)
	}))
	defer page.Close()
	s := startService(t, t.TempDir(), nil)
	_, merchant, _ := s.tenantWithKeys("Shop")
	var res ragkb.Resource
	if code := s.call("POST", "/v1/resources", merchant, map[string]any{"name": "round 0", "type": "policy",
		"policy": map[string]any{"url": page.URL + "/returns"}}, &res); code != 202 {
		t.Fatalf("create: got %d", code)
	}
	lost, bothAccepted := 0, 0
	const rounds = 40
	for i := 1; i <= rounds; i++ {
		if r := s.waitStatus(merchant, res.ID, 10*time.Second); r.Status == ragkb.StatusProcessing {
			t.Fatalf("round %d: still processing", i)
		}
		name := fmt.Sprintf("round %d", i)
		var wg sync.WaitGroup
		var putCode, refreshCode int
		wg.Go(func() {
			putCode, _, _ = s.send("PUT", "/v1/resources/"+res.ID, merchant, "application/json", strings.NewReader(
				fmt.Sprintf(`{"name": %q, "type": "policy", "policy": {"url": %q}}`, name, page.URL+"/returns")))
		})
		wg.Go(func() {
			refreshCode, _, _ = s.send("POST", "/v1/resources/"+res.ID+"/refresh", merchant, "", nil)
		})
		wg.Wait()
		for _, c := range []int{putCode, refreshCode} {
			if c != 202 && c != 409 {
				t.Fatalf("round %d: PUT %d, refresh %d; want 202 or 409 each", i, putCode, refreshCode)
			}
		}
		if putCode == 202 && refreshCode == 202 {
			bothAccepted++
		}
		var got ragkb.Resource
		s.call("GET", "/v1/resources/"+res.ID, merchant, nil, &got)
		if putCode == 202 && got.Name != name {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d accepted PUTs were undone by a concurrent refresh (both answered 202 in %d rounds)", lost, rounds, bothAccepted)
	}
}

// Row 7: keys can be listed (never their secret), revoked with effect on the
// next request, and show when they were last used.
func TestKeyRevocationAndLastUse(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	tenant, merchant, chatbot := s.tenantWithKeys("Shop")
	otherTenant, otherMerchant, _ := s.tenantWithKeys("Other shop")
	if code := s.call("GET", "/v1/resources", chatbot, nil, nil); code != 403 {
		t.Fatalf("chatbot listing resources: got %d, want 403", code)
	}
	s.call("POST", "/v1/answer", chatbot, map[string]string{"question": "Do you issue invoices?"}, nil)

	code, _, body := s.send("GET", "/v1/tenants/"+tenant+"/keys", testAdminKey, "", nil)
	if code != 200 {
		t.Fatalf("list keys: got %d %s", code, body)
	}
	if strings.Contains(string(body), merchant) || strings.Contains(string(body), chatbot) || strings.Contains(string(body), "hash") {
		t.Fatalf("the key list shows a secret: %s", body)
	}
	var list struct {
		Keys []struct {
			ID, Prefix, Role string
			CreatedAt        string `json:"created_at"`
			LastUsedAt       string `json:"last_used_at"`
		}
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Keys) != 2 {
		t.Fatalf("got %d keys, want 2: %s", len(list.Keys), body)
	}
	var chatbotID string
	for _, k := range list.Keys {
		if k.Role == "chatbot" {
			chatbotID = k.ID
			if k.LastUsedAt == "" || !strings.HasPrefix(chatbot, k.Prefix) {
				t.Errorf("chatbot key %+v: want a last-used time and the secret's prefix", k)
			}
		}
	}
	// Other roles and other tenants cannot list or revoke.
	if code := s.call("GET", "/v1/tenants/"+tenant+"/keys", merchant, nil, nil); code != 403 {
		t.Errorf("merchant listing keys: got %d, want 403", code)
	}
	if code := s.call("DELETE", "/v1/tenants/"+otherTenant+"/keys/"+chatbotID, testAdminKey, nil, nil); code != 404 {
		t.Errorf("revoking a key under another tenant: got %d, want 404", code)
	}
	if code := s.call("DELETE", "/v1/tenants/"+tenant+"/keys/"+chatbotID, otherMerchant, nil, nil); code != 403 {
		t.Errorf("merchant revoking a key: got %d, want 403", code)
	}
	if code := s.call("POST", "/v1/answer", chatbot, map[string]string{"question": "Do you issue invoices?"}, nil); code != 200 {
		t.Fatalf("chatbot key before revocation: got %d", code)
	}
	if code := s.call("DELETE", "/v1/tenants/"+tenant+"/keys/"+chatbotID, testAdminKey, nil, nil); code != 204 {
		t.Fatalf("revoke: got %d, want 204", code)
	}
	if code := s.call("POST", "/v1/answer", chatbot, map[string]string{"question": "Do you issue invoices?"}, nil); code != 401 {
		t.Errorf("revoked key: got %d, want 401 at once", code)
	}
	if code := s.call("GET", "/v1/resources", merchant, nil, nil); code != 200 {
		t.Errorf("the tenant's other key after revoking one: got %d, want 200", code)
	}
}

// Row 7: rotating RAGKB_ADMIN_KEY retires the old bootstrap key.
func TestAdminKeyRotationRetiresOldKey(t *testing.T) {
	dir := t.TempDir()
	s := startService(t, dir, nil)
	if code := s.call("GET", "/v1/tenants", testAdminKey, nil, nil); code != 200 {
		t.Fatalf("old admin key: got %d", code)
	}
	s.stop()
	const rotated = "rotated-admin-key-9876543210"
	s = startService(t, dir, map[string]string{"RAGKB_ADMIN_KEY": rotated})
	if code := s.call("GET", "/v1/tenants", testAdminKey, nil, nil); code != 401 {
		t.Errorf("old admin key after rotation: got %d, want 401", code)
	}
	if code := s.call("GET", "/v1/tenants", rotated, nil, nil); code != 200 {
		t.Errorf("new admin key: got %d, want 200", code)
	}
}

// Row 8: /metrics needs a token (or an admin key), and tenant-defined intent
// names never become label values.
func TestMetricsProtectedAndLabelsBounded(t *testing.T) {
	s := startService(t, t.TempDir(), map[string]string{"RAGKB_METRICS_TOKEN": "metrics-token-123"})
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	const secretName = "zebra_secret_launch"
	if code := s.call("POST", "/v1/intents", merchant, map[string]any{"name": secretName, "tier": "grounded",
		"examples": []string{"when is the zebra launch", "zebra launch date", "tell me about the zebra launch", "is zebra launching soon"}}, nil); code != 201 {
		t.Fatalf("create intent: got %d", code)
	}
	for range 3 {
		s.call("POST", "/v1/answer", chatbot, map[string]string{"question": "when is the zebra launch"}, nil)
	}
	for _, tc := range []struct {
		name, key string
		want      int
	}{
		{"no token", "", 401},
		{"wrong token", "nope", 401},
		{"merchant key", merchant, 401},
		{"metrics token", "metrics-token-123", 200},
		{"admin key", testAdminKey, 200},
	} {
		code, _, body := s.send("GET", "/metrics", tc.key, "", nil)
		if code != tc.want {
			t.Errorf("%s: /metrics got %d, want %d", tc.name, code, tc.want)
		}
		if code == 200 {
			if strings.Contains(string(body), secretName) {
				t.Errorf("%s: /metrics exposes the tenant's intent name %q", tc.name, secretName)
			}
			if !strings.Contains(string(body), "ragkb_answers_total") {
				t.Errorf("%s: /metrics has no ragkb_answers_total", tc.name)
			}
		}
	}
}

// Row 13: an offers PUT that changes nothing is a manual refresh and obeys
// the once-a-month limit.
func TestIdenticalOffersPutObeysMonthlyRefresh(t *testing.T) {
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"products":[]}`)
	}))
	defer shop.Close()
	s := startService(t, t.TempDir(), nil)
	_, merchant, _ := s.tenantWithKeys("Shop")
	spec := map[string]any{"name": "Shopify", "type": "offers", "offers": map[string]any{"source": "shopify", "url": shop.URL}}
	var res ragkb.Resource
	if code := s.call("POST", "/v1/resources", merchant, spec, &res); code != 202 {
		t.Fatalf("create: got %d", code)
	}
	s.waitStatus(merchant, res.ID, 10*time.Second)
	if code := s.call("POST", "/v1/resources/"+res.ID+"/refresh", merchant, nil, nil); code != 202 {
		t.Fatalf("first manual refresh: got %d, want 202", code)
	}
	s.waitStatus(merchant, res.ID, 10*time.Second)
	code, hdr, body := s.send("PUT", "/v1/resources/"+res.ID, merchant, "application/json", strings.NewReader(mustJSON(spec)))
	if code != 429 || hdr.Get("Retry-After") == "" {
		t.Fatalf("identical PUT right after a refresh: got %d (Retry-After %q) %s, want 429 with Retry-After", code, hdr.Get("Retry-After"), body)
	}
	spec["name"] = "Shopify main"
	if code := s.call("PUT", "/v1/resources/"+res.ID, merchant, spec, nil); code != 202 {
		t.Errorf("a PUT that changes the name: got %d, want 202", code)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Row 14: webhooks to private or metadata addresses are refused at creation.
func TestWebhookToPrivateAddressRefused(t *testing.T) {
	s := startService(t, t.TempDir(), map[string]string{"RAGKB_ALLOW_PRIVATE_URLS": "false"})
	_, merchant, _ := s.tenantWithKeys("Shop")
	for _, u := range []string{"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:9/hook", "http://[::ffff:0:7f00:1]/hook", "http://10.0.0.5/hook", "http://[fec0::1]/"} {
		var p struct{ Field, Detail string }
		code := s.call("POST", "/v1/webhooks", merchant, map[string]any{"url": u, "events": []string{"agent_requested"}}, &p)
		if code != 400 || p.Field != "url" {
			t.Errorf("webhook to %s: got %d field %q (%s), want 400 naming url", u, code, p.Field, p.Detail)
		}
	}
	var list struct{ Webhooks []any }
	s.call("GET", "/v1/webhooks", merchant, nil, &list)
	if len(list.Webhooks) != 0 {
		t.Errorf("%d webhooks were stored, want none", len(list.Webhooks))
	}
}

// Row 15: a client that hangs up is not a server error.
func TestClientDisconnectIsNotA500(t *testing.T) {
	var logs syncBuffer
	s := startServiceLog(t, t.TempDir(), nil, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	_, merchant, _ := s.tenantWithKeys("Shop")
	h := s.srv.Config.Handler
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client is already gone
	req := httptest.NewRequest("GET", "/v1/resources", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+merchant)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code == 500 {
		t.Errorf("a request whose client went away answered 500")
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a client disconnect was logged as an error:\n%s", logs.String())
	}
	code, _, body := s.send("GET", "/metrics", testAdminKey, "", nil)
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, "ragkb_http_requests_total") && strings.Contains(line, `status="Internal Server Error"`) {
			t.Errorf("a client disconnect was counted as a 500: %s", line)
		}
	}
}

// Row 10: an oversized JSON body is 413; a large knowledge base is accepted
// as NDJSON and indexed.
func TestOversizedBodyAndNDJSONKnowledgeBase(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	big := `{"name": "x", "type": "policy", "policy": {"text": "` + strings.Repeat("a", 9<<20) + `"}}`
	if code, _, body := s.send("POST", "/v1/resources", merchant, "application/json", strings.NewReader(big)); code != 413 {
		t.Errorf("a 9 MiB JSON body: got %d %.200s, want 413", code, body)
	}

	// 6,000 custom questions (more than the old cap of 5,000), streamed.
	const n = 6000
	pr, pw := io.Pipe()
	go func() {
		enc := json.NewEncoder(pw)
		_ = enc.Encode(map[string]any{"name": "Big FAQ", "type": "knowledge_base", "language": "en",
			"knowledge_base": map[string]any{"invoice": invoiceText}})
		for i := range n {
			_ = enc.Encode(map[string]any{"question": fmt.Sprintf("Do you stock spare part number %d?", i),
				"answer": fmt.Sprintf("Yes, spare part %d is in stock and ships within two working days.", i)})
		}
		pw.Close()
	}()
	code, _, body := s.send("POST", "/v1/resources", merchant, "application/x-ndjson", pr)
	if code != 202 {
		t.Fatalf("NDJSON knowledge base: got %d %s", code, body)
	}
	var res ragkb.Resource
	_ = json.Unmarshal(body, &res)
	got := s.waitStatus(merchant, res.ID, 120*time.Second)
	if got.Status != ragkb.StatusSuccess || got.Documents < n {
		t.Fatalf("NDJSON knowledge base indexed: status %s (%s), %d documents, want success with >= %d", got.Status, got.Error, got.Documents, n)
	}
	var ans ragkb.AnswerResponse
	s.call("POST", "/v1/search", chatbot, map[string]any{"query": "spare part number 4321"}, &ans)

	// Bad lines are named.
	code, _, body = s.send("POST", "/v1/resources", merchant, "application/x-ndjson", strings.NewReader(
		`{"name": "FAQ", "type": "knowledge_base", "knowledge_base": {}}`+"\n"+`{"question": "ok?", "answer": "yes"}`+"\n"+`{"question": 5}`+"\n"))
	var p struct{ Field string }
	_ = json.Unmarshal(body, &p)
	if code != 400 || !strings.HasPrefix(p.Field, "knowledge_base.custom[1]") {
		t.Errorf("a bad NDJSON line: got %d field %q, want 400 naming knowledge_base.custom[1]", code, p.Field)
	}
}

// Rate limiting: past the per-key rate, 429 with Retry-After; other keys are unaffected.
func TestRateLimitPerKey(t *testing.T) {
	s := startService(t, t.TempDir(), map[string]string{"RAGKB_RATE_LIMIT": "1", "RAGKB_RATE_BURST": "3"})
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	limited := 0
	var retryAfter string
	for range 6 {
		code, hdr, _ := s.send("POST", "/v1/search", chatbot, "application/json", strings.NewReader(`{"query": "invoice"}`))
		if code == 429 {
			limited++
			retryAfter = hdr.Get("Retry-After")
		}
	}
	if limited < 2 || retryAfter == "" {
		t.Errorf("6 quick searches with burst 3: %d limited (Retry-After %q), want >= 2 with Retry-After", limited, retryAfter)
	}
	if code, _, _ := s.send("POST", "/v1/search", merchant, "application/json", strings.NewReader(`{"query": "invoice"}`)); code != 200 {
		t.Errorf("another key of the same tenant: got %d, want 200", code)
	}
}

// Row 6: a NUL byte in a question must not lose the customer's request for
// a person on PostgreSQL.
func TestNULQuestionKeepsAgentEventOnPostgres(t *testing.T) {
	dbURL, _ := pgURL(t)
	s := startService(t, t.TempDir(), map[string]string{"RAGKB_DATABASE_URL": dbURL})
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	var ans ragkb.AnswerResponse
	if code := s.call("POST", "/v1/answer", chatbot, map[string]string{"question": "I want to talk to a human\x00 agent please"}, &ans); code != 200 {
		t.Fatalf("answer: got %d", code)
	}
	if ans.Status != ragkb.AnswerAgent {
		t.Fatalf("status %s, want agent", ans.Status)
	}
	var evs struct{ Events []ragkb.Event }
	s.call("GET", "/v1/events?type=agent_requested", merchant, nil, &evs)
	if len(evs.Events) != 1 {
		t.Fatalf("got %d agent_requested events, want 1 (the NUL question was dropped)", len(evs.Events))
	}
	if strings.ContainsRune(evs.Events[0].Question, 0) || !strings.Contains(evs.Events[0].Question, "human") {
		t.Errorf("event question %q: want the text without the NUL", evs.Events[0].Question)
	}
}

// Row 5: a hanging embedding provider must not hang answers or indexing:
// answers degrade to the intent lane and lexical search (and say so),
// indexing fails in bounded time with a clear reason, /readyz reports it.
func TestHangingEmbedderDegradesInsteadOfHanging(t *testing.T) {
	var hang atomic.Bool
	stop := make(chan struct{})
	provider := httptest.NewServer(&openAIEmbedder{hold: func([]string) chan struct{} {
		if hang.Load() {
			return stop
		}
		return nil
	}})
	defer provider.Close()
	defer close(stop)

	s := startService(t, t.TempDir(), map[string]string{"RAGKB_EMBEDDER": "openai", "RAGKB_EMBEDDING_URL": provider.URL,
		"RAGKB_EMBEDDING_MODEL": "e5-test", "RAGKB_EMBEDDING_TIMEOUT": "300ms"})
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	var res ragkb.Resource
	if code := s.call("POST", "/v1/resources", merchant, kbResource(), &res); code != 202 {
		t.Fatalf("create: got %d", code)
	}
	if r := s.waitStatus(merchant, res.ID, 20*time.Second); r.Status != ragkb.StatusSuccess {
		t.Fatalf("indexing with a working provider: %s %s", r.Status, r.Error)
	}
	firstID := res.ID
	hang.Store(true)

	// Answers: the fast lane still answers; a grounded question is searched
	// by words and marked degraded; nothing records assistant_failed.
	for _, q := range []string{"Can I get a VAT invoice for my order?", "How long does delivery take after shipping?", "What is the capital of Peru?"} {
		start := time.Now()
		var ans ragkb.AnswerResponse
		if code := s.call("POST", "/v1/answer", chatbot, map[string]string{"question": q}, &ans); code != 200 {
			t.Fatalf("%q: got %d", q, code)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%q took %s with a hanging embedder, want a bounded answer", q, d)
		}
		if ans.Tier != ragkb.TierFast && !ans.Degraded {
			t.Errorf("%q: tier %s, degraded %v: a non-fast answer must say it was degraded (reason %q)", q, ans.Tier, ans.Degraded, ans.Reason)
		}
	}
	var evs struct{ Events []ragkb.Event }
	s.call("GET", "/v1/events?type=assistant_failed", merchant, nil, &evs)
	if len(evs.Events) != 0 {
		t.Errorf("%d assistant_failed events during an embedder outage, want none (it is not a knowledge gap)", len(evs.Events))
	}
	code, _, body := s.send("GET", "/metrics", testAdminKey, "", nil)
	if code != 200 || !strings.Contains(string(body), `ragkb_answers_degraded_total{dependency="embedding"}`) {
		t.Errorf("/metrics has no ragkb_answers_degraded_total{dependency=\"embedding\"}")
	}

	// Readiness names the dependency.
	code, _, body = s.send("GET", "/readyz", "", "", nil)
	if code != 503 || !strings.Contains(string(body), "embedding") {
		t.Errorf("/readyz with a hanging embedder: %d %s, want 503 naming embedding", code, body)
	}

	// Indexing fails within bounded time, saying why.
	start := time.Now()
	kb := kbResource()
	kb["name"] = "Second shop"
	if code := s.call("POST", "/v1/resources", merchant, kb, &res); code != 202 {
		t.Fatalf("create: got %d", code)
	}
	r := s.waitStatus(merchant, res.ID, 60*time.Second)
	if r.Status != ragkb.StatusFailed || !strings.Contains(r.Error, "did not answer") {
		t.Errorf("indexing with a hanging embedder after %s: %s %q, want failed with \"did not answer\"", time.Since(start).Round(time.Second), r.Status, r.Error)
	}
	// Nothing lost: the resource indexed before the outage is untouched.
	if r := s.waitStatus(merchant, firstID, time.Second); r.Status != ragkb.StatusSuccess || r.Documents == 0 {
		t.Errorf("the resource indexed before the outage: %s, %d documents", r.Status, r.Documents)
	}
}
