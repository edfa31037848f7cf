package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// Every method's route exists in the server's OpenAPI document, and every
// exported method has a route: the client cannot drift from the API.
func TestRoutesMatchOpenAPI(t *testing.T) {
	raw, err := os.ReadFile("../server/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for name, rt := range routes {
		ops, ok := doc.Paths[rt.path]
		if !ok {
			t.Errorf("%s: path %s is not in openapi.json", name, rt.path)
			continue
		}
		if _, ok := ops[strings.ToLower(rt.method)]; !ok {
			t.Errorf("%s: %s %s is not in openapi.json", name, rt.method, rt.path)
		}
	}
	typ := reflect.TypeFor[*Client]()
	for m := range typ.Methods() {
		if _, ok := routes[m.Name]; !ok {
			t.Errorf("method %s has no entry in routes", m.Name)
		}
	}
	if typ.NumMethod() != len(routes) {
		t.Errorf("%d methods, %d routes: remove routes no method uses", typ.NumMethod(), len(routes))
	}
}

// Paths are filled and escaped, the key is sent, and a problem document
// comes back as a typed *Error with its field and Retry-After.
func TestRequestAndProblem(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer rk_m_secret" {
			t.Errorf("Authorization = %q", got)
		}
		switch {
		case r.Method == "DELETE" && r.URL.EscapedPath() == "/v1/tenants/ten_1/keys/key_a%2Fb":
			w.WriteHeader(204)
		case r.Method == "POST" && r.URL.Path == "/v1/resources/res_1/refresh":
			w.Header().Set("Content-Type", "application/problem+json")
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(`{"type":"about:blank","title":"Too many requests","status":429,"detail":"refresh: offers may be refreshed once a month","field":"refresh","refresh_available_at":"2026-12-31T00:00:00Z"}`))
		case r.Method == "GET" && r.URL.Path == "/v1/resources" && r.URL.Query().Get("status") == "failed":
			_, _ = w.Write([]byte(`{"resources":[{"id":"res_2","name":"FAQ","type":"faq_page","status":"failed","error":"page not found"}]}`))
		case r.Method == "GET" && r.URL.Path == "/healthz":
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html>bad gateway</html>"))
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL)
			w.WriteHeader(500)
		}
	}))
	defer srv.Close()
	c := New(srv.URL+"/", "rk_m_secret")
	ctx := context.Background()
	if err := c.RevokeKey(ctx, "ten_1", "key_a/b"); err != nil {
		t.Errorf("RevokeKey: %v", err)
	}
	_, err := c.RefreshResource(ctx, "res_1")
	var e *Error
	if !errors.As(err, &e) || e.Status != 429 || e.Field != "refresh" || e.RetryAfter != 2*time.Minute || e.RefreshAvailableAt == nil {
		t.Errorf("RefreshResource: got %#v, want a 429 *Error with field, Retry-After and refresh_available_at", err)
	}
	rs, err := c.ListResources(ctx, ragkb.StatusFailed)
	if err != nil || len(rs) != 1 || rs[0].Error != "page not found" {
		t.Errorf("ListResources: got %v %v", rs, err)
	}
	err = c.Health(ctx)
	if !errors.As(err, &e) || e.Status != 502 || !strings.Contains(e.Detail, "bad gateway") {
		t.Errorf("Health on a non-problem 502: got %v", err)
	}
}
