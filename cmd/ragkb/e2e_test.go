package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/app"
	"github.com/ragkb/ragkb/client"
)

const testAdminKey = "test-admin-key-0123456789"

// testService is the embedded service running in-process behind a real
// HTTP listener, with its worker.
type testService struct {
	t   *testing.T
	app *app.App
	srv *httptest.Server
}

func startService(t *testing.T, dir string, extraEnv map[string]string) *testService {
	t.Helper()
	return startServiceLog(t, dir, extraEnv, slog.New(slog.DiscardHandler))
}

// startServiceLog is startService with a logger the test can read.
func startServiceLog(t *testing.T, dir string, extraEnv map[string]string, log *slog.Logger) *testService {
	t.Helper()
	env := map[string]string{
		"RAGKB_DATA_DIR": dir, "RAGKB_ADMIN_KEY": testAdminKey, "RAGKB_REFRESH_SCHEDULE": "off",
		"RAGKB_ALLOW_PRIVATE_URLS": "true", "RAGKB_JOB_LEASE": "3s",
	}
	for k, v := range extraEnv {
		env[k] = v
	}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := buildApp(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	a.Worker.Start(ctx)
	s := &testService{t: t, app: a, srv: httptest.NewServer(a.Handler())}
	t.Cleanup(s.stop)
	return s
}

func (s *testService) stop() {
	if s.app == nil {
		return
	}
	s.srv.Close()
	s.app.Worker.Stop()
	s.app.Close()
	s.app = nil
}

// call sends a request and decodes the JSON answer into out (when non-nil).
func (s *testService) call(method, path, key string, body any, out any) int {
	s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		rd = bytes.NewReader(buf)
	}
	req, _ := http.NewRequest(method, s.srv.URL+path, rd)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
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
	if resp.StatusCode >= 500 {
		s.t.Fatalf("%s %s: server error %d: %s", method, path, resp.StatusCode, data)
	}
	return resp.StatusCode
}

// client is the Go client of this service with key: the helpers below
// (and new tests) talk to the API through it; call stays for the requests
// a typed client cannot send (malformed bodies, unknown fields).
func (s *testService) client(key string) *client.Client {
	return client.New(s.srv.URL, key)
}

func (s *testService) tenantWithKeys(name string) (tenantID, merchant, chatbot string) {
	s.t.Helper()
	ctx := context.Background()
	admin := s.client(testAdminKey)
	ten, err := admin.CreateTenant(ctx, name)
	if err != nil {
		s.t.Fatalf("create tenant: %v", err)
	}
	k1, err := admin.CreateKey(ctx, ten.ID, ragkb.RoleMerchant)
	if err != nil {
		s.t.Fatalf("create merchant key: %v", err)
	}
	k2, err := admin.CreateKey(ctx, ten.ID, ragkb.RoleChatbot)
	if err != nil {
		s.t.Fatalf("create chatbot key: %v", err)
	}
	return ten.ID, k1.Key, k2.Key
}

// waitStatus polls the resource until it leaves processing or the deadline
// passes, and returns it as last seen.
func (s *testService) waitStatus(key, id string, within time.Duration) ragkb.Resource {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	r, err := client.WaitResource(ctx, s.client(key), id)
	if err != nil && (ctx.Err() == nil || r.ID == "") {
		s.t.Fatalf("get resource %s: %v", id, err)
	}
	return r
}

const invoiceText = "Yes. We issue a VAT invoice for every order: enter your company's tax number at checkout and the invoice arrives by e-mail with the parcel."

func kbResource() map[string]any {
	return map[string]any{
		"name": "Main shop", "type": "knowledge_base", "language": "en",
		"knowledge_base": map[string]any{
			"invoice":       invoiceText,
			"delivery_time": "Orders ship within 24 hours; delivery takes 1-3 working days.",
			"custom": []map[string]any{{
				"question": "Do you ship to Switzerland?",
				"answer":   "Yes, we ship to Switzerland with DHL in 4-6 working days; customs duties are paid by the buyer.",
				"examples": []string{"Can you deliver to Zurich?", "shipping to CH?"},
			}},
		},
	}
}

func TestEmbeddedEndToEnd(t *testing.T) {
	endToEnd(t, nil, nil)
}

// endToEnd is the first-user flow of the embedded issue: knowledge base in,
// status visible, grounded answers with citations out, tenants isolated,
// everything still there after a restart, deleted chunks gone. check, when
// set, inspects the backend after indexing (e.g. vectors in pgvector).
func endToEnd(t *testing.T, env map[string]string, check func(t *testing.T, tenantID, resourceID string)) {
	dir := t.TempDir()
	s := startService(t, dir, env)
	tenantA, merchantA, chatA := s.tenantWithKeys("Shop A")
	_, merchantB, chatB := s.tenantWithKeys("Shop B")

	var res ragkb.Resource
	if code := s.call("POST", "/v1/resources", merchantA, kbResource(), &res); code != 202 {
		t.Fatalf("create resource: got %d, want 202", code)
	}
	if res.Status != ragkb.StatusProcessing {
		t.Fatalf("status: got %q, want processing", res.Status)
	}
	got := s.waitStatus(merchantA, res.ID, 10*time.Second)
	if got.Status != ragkb.StatusSuccess {
		t.Fatalf("status: got %q (%s), want success", got.Status, got.Error)
	}
	if got.Documents != 3 || got.Chunks < 3 || got.IndexedAt == nil {
		t.Fatalf("counts: got documents=%d chunks=%d indexed_at=%v, want 3, >=3, set", got.Documents, got.Chunks, got.IndexedAt)
	}
	if check != nil {
		check(t, tenantA, res.ID)
	}

	ask := func(key, q string) ragkb.AnswerResponse {
		t.Helper()
		var a ragkb.AnswerResponse
		if code := s.call("POST", "/v1/answer", key, map[string]string{"question": q}, &a); code != 200 {
			t.Fatalf("answer %q: got %d", q, code)
		}
		return a
	}
	a := ask(chatA, "Can I get a VAT invoice for my order?")
	if a.Status != ragkb.AnswerAnswered || a.Tier != ragkb.TierFast || a.Answer != invoiceText {
		t.Fatalf("invoice: got status=%s tier=%s answer=%q", a.Status, a.Tier, a.Answer)
	}
	if len(a.Citations) == 0 || a.Citations[0].ResourceID != res.ID || a.Citations[0].ResourceName != "Main shop" {
		t.Fatalf("invoice citations: got %+v, want the resource", a.Citations)
	}
	if a.Usage.LLMCalls != 0 {
		t.Fatalf("llm calls: got %d, want 0", a.Usage.LLMCalls)
	}
	sw := ask(chatA, "Do you deliver to Switzerland?")
	if sw.Status != ragkb.AnswerAnswered || !strings.Contains(sw.Answer, "DHL") {
		t.Fatalf("switzerland: got %s %q", sw.Status, sw.Answer)
	}
	peru := ask(chatA, "What is the capital of Peru?")
	if peru.Status != ragkb.AnswerFallback || peru.Answer == "" || len(peru.Citations) != 0 {
		t.Fatalf("peru: got status=%s answer=%q citations=%d, want fallback", peru.Status, peru.Answer, len(peru.Citations))
	}
	var evs struct{ Events []ragkb.Event }
	s.call("GET", "/v1/events?type=assistant_failed", merchantA, nil, &evs)
	if len(evs.Events) == 0 || !strings.Contains(evs.Events[0].Question, "Peru") {
		t.Fatalf("events: got %+v, want an assistant_failed for the Peru question", evs.Events)
	}

	// Tenant isolation: B sees nothing of A.
	b := ask(chatB, "Can I get a VAT invoice for my order?")
	if b.Status == ragkb.AnswerAnswered || strings.Contains(b.Answer, "VAT invoice for every order") {
		t.Fatalf("tenant B got tenant A's answer: %+v", b)
	}
	if code := s.call("GET", "/v1/resources/"+res.ID, merchantB, nil, nil); code != 404 {
		t.Fatalf("B reads A's resource: got %d, want 404", code)
	}
	if code := s.call("DELETE", "/v1/resources/"+res.ID, merchantB, nil, nil); code != 404 {
		t.Fatalf("B deletes A's resource: got %d, want 404", code)
	}
	var search struct{ Results []ragkb.SearchResult }
	s.call("POST", "/v1/search", chatB, map[string]any{"query": "VAT invoice"}, &search)
	if len(search.Results) != 0 {
		t.Fatalf("B searched A's chunks: %+v", search.Results)
	}
	if code := s.call("POST", "/v1/answer", chatB, map[string]any{"question": "invoice?", "resource_ids": []string{res.ID}}, nil); code != 400 {
		t.Fatalf("B names A's resource: got %d, want 400", code)
	}

	// Restart: everything is still there.
	s.stop()
	s = startService(t, dir, env)
	a = ask(chatA, "Can I get a VAT invoice for my order?")
	if a.Status != ragkb.AnswerAnswered || a.Answer != invoiceText {
		t.Fatalf("after restart: got %s %q", a.Status, a.Answer)
	}
	s.call("POST", "/v1/search", chatA, map[string]any{"query": "Switzerland DHL customs"}, &search)
	if len(search.Results) == 0 || !strings.Contains(search.Results[0].Text, "DHL") {
		t.Fatalf("search after restart: got %+v", search.Results)
	}

	// Delete: the chunks leave the index.
	if code := s.call("DELETE", "/v1/resources/"+res.ID, merchantA, nil, nil); code != 204 {
		t.Fatalf("delete: got %d, want 204", code)
	}
	s.call("POST", "/v1/search", chatA, map[string]any{"query": "Switzerland DHL customs"}, &search)
	if len(search.Results) != 0 {
		t.Fatalf("search after delete: got %d results, want 0", len(search.Results))
	}
	if a := ask(chatA, "Can I get a VAT invoice for my order?"); a.Status == ragkb.AnswerAnswered {
		t.Fatalf("answer after delete: got %s %q", a.Status, a.Answer)
	}
}

func TestBadInput(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	tests := []struct {
		name      string
		method    string
		path      string
		key       string
		body      any
		wantCode  int
		wantField string
	}{
		{"missing name", "POST", "/v1/resources", merchant, map[string]any{"type": "knowledge_base", "knowledge_base": map[string]string{"invoice": "x"}}, 400, "name"},
		{"unknown type", "POST", "/v1/resources", merchant, map[string]any{"name": "x", "type": "pdf"}, 400, "type"},
		{"missing spec", "POST", "/v1/resources", merchant, map[string]any{"name": "x", "type": "knowledge_base"}, 400, "knowledge_base"},
		{"wrong spec for type", "POST", "/v1/resources", merchant, map[string]any{"name": "x", "type": "knowledge_base", "knowledge_base": map[string]string{"invoice": "x"}, "offers": map[string]string{"source": "shopify"}}, 400, "offers"},
		{"custom without answer", "POST", "/v1/resources", merchant, map[string]any{"name": "x", "type": "knowledge_base", "knowledge_base": map[string]any{"custom": []map[string]string{{"question": "q"}}}}, 400, "knowledge_base.custom[0].answer"},
		{"name too long", "POST", "/v1/resources", merchant, map[string]any{"name": strings.Repeat("n", 201), "type": "policy", "policy": map[string]string{"content": "x"}}, 400, "name"},
		{"bad language", "POST", "/v1/resources", merchant, map[string]any{"name": "x", "type": "policy", "language": "english", "policy": map[string]string{"content": "x"}}, 400, "language"},
		{"malformed json", "POST", "/v1/resources", merchant, `{"name": "x",`, 400, "body"},
		{"wrong field type", "POST", "/v1/resources", merchant, `{"name": 5, "type": "policy"}`, 400, "name"},
		{"empty body", "POST", "/v1/resources", merchant, "", 400, "body"},
		{"no key", "POST", "/v1/resources", "", map[string]any{"name": "x"}, 401, "Authorization"},
		{"wrong key", "GET", "/v1/resources", "not-a-key", nil, 401, "Authorization"},
		{"chatbot creates resource", "POST", "/v1/resources", chatbot, map[string]any{"name": "x", "type": "policy", "policy": map[string]string{"content": "x"}}, 403, ""},
		{"merchant creates tenant", "POST", "/v1/tenants", merchant, map[string]any{"name": "x"}, 403, ""},
		{"tenant without name", "POST", "/v1/tenants", testAdminKey, map[string]any{}, 400, "name"},
		{"key with bad role", "POST", "/v1/tenants/ten_x/keys", testAdminKey, map[string]any{"role": "root"}, 400, "role"},
		{"key for unknown tenant", "POST", "/v1/tenants/ten_nope/keys", testAdminKey, map[string]any{"role": "chatbot"}, 404, ""},
		{"empty question", "POST", "/v1/answer", chatbot, map[string]any{"question": "  "}, 400, "question"},
		{"conversation role", "POST", "/v1/answer", chatbot, map[string]any{"question": "hi", "conversation": []map[string]string{{"role": "system", "content": "x"}}}, 400, "conversation[0].role"},
		{"conversation too long", "POST", "/v1/answer", chatbot, map[string]any{"question": "hi", "conversation": []map[string]string{{"role": "user", "content": strings.Repeat("x", 5000)}}}, 400, "conversation[0].content"},
		{"unknown assistant", "POST", "/v1/answer", chatbot, map[string]any{"question": "hi", "assistant_id": "asst_nope"}, 400, "assistant_id"},
		{"search top_k", "POST", "/v1/search", chatbot, map[string]any{"query": "x", "top_k": 500}, 400, "top_k"},
		{"unknown resource", "GET", "/v1/resources/res_nope", merchant, nil, 404, ""},
		{"retry unknown", "POST", "/v1/resources/res_nope/retry", merchant, nil, 404, ""},
		{"status filter", "GET", "/v1/resources?status=done", merchant, nil, 400, "status"},
		{"type filter", "GET", "/v1/resources?type=pdf", merchant, nil, 400, "type"},
		{"events type", "GET", "/v1/events?type=everything", merchant, nil, 400, "type"},
		{"events limit", "GET", "/v1/events?limit=0", merchant, nil, 400, "limit"},
		{"stats since", "GET", "/v1/stats?since=yesterday", merchant, nil, 400, "since"},
		{"intent builtin name", "POST", "/v1/intents", merchant, map[string]any{"name": "invoice", "examples": []string{"x"}}, 400, "name"},
		{"intent tier", "POST", "/v1/intents", merchant, map[string]any{"name": "gift", "examples": []string{"x"}, "tier": "gold"}, 400, "tier"},
		{"intent examples", "POST", "/v1/intents", merchant, map[string]any{"name": "gift"}, 400, "examples"},
		{"assistant resource", "POST", "/v1/assistants", merchant, map[string]any{"name": "a", "resource_ids": []string{"res_nope"}}, 400, "resource_ids[0]"},
		{"webhook event", "POST", "/v1/webhooks", merchant, map[string]any{"url": "https://x.example/h", "events": []string{"everything"}}, 400, "events[0]"},
		{"admin only", "GET", "/v1/admin/resources", merchant, nil, 403, ""},
		{"unknown route", "GET", "/v1/nope", merchant, nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p struct {
				Type, Title, Detail, Field string
				Status                     int
			}
			code := s.call(tt.method, tt.path, tt.key, tt.body, &p)
			if code != tt.wantCode {
				t.Fatalf("status: got %d, want %d (%+v)", code, tt.wantCode, p)
			}
			if p.Status != tt.wantCode || p.Title == "" || p.Detail == "" {
				t.Fatalf("problem document: got %+v", p)
			}
			if p.Field != tt.wantField {
				t.Fatalf("field: got %q, want %q (detail %q)", p.Field, tt.wantField, p.Detail)
			}
		})
	}
}

func TestRetryOnlyFromFailed(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, _ := s.tenantWithKeys("Shop")
	var res ragkb.Resource
	s.call("POST", "/v1/resources", merchant, kbResource(), &res)
	if r := s.waitStatus(merchant, res.ID, 10*time.Second); r.Status != ragkb.StatusSuccess {
		t.Fatalf("status: got %s", r.Status)
	}
	if code := s.call("POST", "/v1/resources/"+res.ID+"/retry", merchant, nil, nil); code != 409 {
		t.Fatalf("retry of a successful resource: got %d, want 409", code)
	}
}

func TestMain(m *testing.M) {
	gin.SetMode(gin.ReleaseMode)
	os.Exit(m.Run())
}

func TestUpdateResource(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	var res ragkb.Resource
	s.call("POST", "/v1/resources", merchant, kbResource(), &res)
	if r := s.waitStatus(merchant, res.ID, 10*time.Second); r.Status != ragkb.StatusSuccess {
		t.Fatalf("status: got %s", r.Status)
	}
	ask := func() ragkb.AnswerResponse {
		var a ragkb.AnswerResponse
		s.call("POST", "/v1/answer", chatbot, map[string]string{"question": "Do you issue invoices?"}, &a)
		return a
	}
	// Bad update: 400 naming the field, nothing changes.
	bad := kbResource()
	bad["knowledge_base"].(map[string]any)["custom"] = []map[string]any{{"question": "Gift wrap?"}}
	var p struct{ Field string }
	if code := s.call("PUT", "/v1/resources/"+res.ID, merchant, bad, &p); code != 400 || p.Field != "knowledge_base.custom[0].answer" {
		t.Fatalf("bad update: got %d field %q", code, p.Field)
	}
	if code := s.call("PUT", "/v1/resources/"+res.ID, merchant, map[string]any{"name": "x", "type": "policy", "policy": map[string]string{"content": "x"}}, &p); code != 400 || p.Field != "type" {
		t.Fatalf("type change: got %d field %q", code, p.Field)
	}
	var got ragkb.Resource
	s.call("GET", "/v1/resources/"+res.ID, merchant, nil, &got)
	if got.Status != ragkb.StatusSuccess || got.KnowledgeBase.Invoice != invoiceText {
		t.Fatalf("after bad updates: got %s %q", got.Status, got.KnowledgeBase.Invoice)
	}
	// Good update: re-indexed, the new approved text answers, only the edited answer was re-embedded.
	good := kbResource()
	good["knowledge_base"].(map[string]any)["invoice"] = "Yes, invoices are e-mailed within 24 hours of payment."
	if code := s.call("PUT", "/v1/resources/"+res.ID, merchant, good, &got); code != 202 || got.Status != ragkb.StatusProcessing {
		t.Fatalf("update: got %d %s", code, got.Status)
	}
	got = s.waitStatus(merchant, res.ID, 10*time.Second)
	if got.Status != ragkb.StatusSuccess || got.LastRun == nil || got.LastRun.Changed != 1 || got.LastRun.Unchanged != 2 || got.LastRun.Embedded != 1 {
		t.Fatalf("after update: got %s last_run %+v, want 1 changed, 2 unchanged, 1 embedded", got.Status, got.LastRun)
	}
	if a := ask(); a.Answer != "Yes, invoices are e-mailed within 24 hours of payment." || a.Tier != ragkb.TierFast {
		t.Fatalf("answer after update: got %s %q", a.Tier, a.Answer)
	}
}
