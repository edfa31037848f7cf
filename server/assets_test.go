package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/accounts"
)

// openapiDoc is the part of the OpenAPI document the tests look at.
type openapiDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Required   []string                   `json:"required"`
		} `json:"schemas"`
		SecuritySchemes map[string]struct {
			Type   string `json:"type"`
			Scheme string `json:"scheme"`
		} `json:"securitySchemes"`
	} `json:"components"`
}

type openapiOperation struct {
	Security  *[]map[string][]string     `json:"security"`
	Responses map[string]json.RawMessage `json:"responses"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func loadOpenAPI(t *testing.T) openapiDoc {
	t.Helper()
	var doc openapiDoc
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// registeredRoutes returns "METHOD /path" for every route of the engine, with
// gin's ":id" parameters written as OpenAPI's "{id}". Every route is kept,
// including /healthz, /metrics, /admin and the "/" redirect: they are part of
// the service's surface and documented as public (security: []).
func registeredRoutes(t *testing.T) map[string]bool {
	t.Helper()
	s := New(Deps{})
	out := map[string]bool{}
	for _, r := range s.engine.Routes() {
		out[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	if len(out) == 0 {
		t.Fatal("the engine has no routes")
	}
	return out
}

func TestOpenAPIVersionAndSecurity(t *testing.T) {
	doc := loadOpenAPI(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	got := doc.Components.SecuritySchemes["bearerAuth"]
	if got.Type != "http" || got.Scheme != "bearer" {
		t.Errorf("securitySchemes.bearerAuth = %+v, want type http, scheme bearer", got)
	}
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	routes := registeredRoutes(t)
	for route := range routes {
		method, path, _ := strings.Cut(route, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("route %s is not documented in openapi.json", route)
		}
	}
	// And nothing is documented that the server does not serve.
	for path, item := range doc.Paths {
		for m := range item {
			if !slices.Contains(httpMethods, m) {
				continue // "parameters", "summary"...
			}
			if route := strings.ToUpper(m) + " " + path; !routes[route] {
				t.Errorf("openapi.json documents %s, which routes.go does not register", route)
			}
		}
	}
}

// TestOpenAPIAuthResponses checks that /v1 operations require the bearer key
// and document 401 and 403 (the auth middleware can answer both), while the
// operational endpoints are public.
func TestOpenAPIAuthResponses(t *testing.T) {
	doc := loadOpenAPI(t)
	for path, item := range doc.Paths {
		for m, raw := range item {
			if !slices.Contains(httpMethods, m) {
				continue
			}
			var op openapiOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", m, path, err)
			}
			name := strings.ToUpper(m) + " " + path
			public := op.Security != nil && len(*op.Security) == 0
			if got, want := public, !strings.HasPrefix(path, "/v1/"); got != want {
				t.Errorf("%s: public = %v, want %v", name, got, want)
			}
			if public {
				continue
			}
			for _, code := range []string{"401", "403"} {
				if _, ok := op.Responses[code]; !ok {
					t.Errorf("%s: no %s response", name, code)
				}
			}
		}
	}
}

func TestOpenAPIRefsResolve(t *testing.T) {
	var doc any
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				if !resolves(doc, r) {
					t.Errorf("$ref %q does not resolve", r)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}

func resolves(doc any, ref string) bool {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	cur := doc
	for _, part := range strings.Split(p, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}

// jsonFields returns the JSON member names of a struct type, following
// embedded structs the way encoding/json does.
func jsonFields(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

// TestOpenAPISchemasMatchJSONTags keeps the documented response and request
// shapes equal to what the Go types encode and decode.
func TestOpenAPISchemasMatchJSONTags(t *testing.T) {
	doc := loadOpenAPI(t)
	tests := []struct {
		name   string
		schema string
		typ    any
		// omit lists members the server blanks before answering (tenant_id
		// of objects scoped to the caller's own tenant).
		omit []string
	}{
		{name: "problem", schema: "Problem", typ: Problem{}},
		{name: "tenant", schema: "Tenant", typ: ragkb.Tenant{}},
		{name: "tenant create", schema: "TenantCreate", typ: createTenantRequest{}},
		{name: "key create", schema: "KeyCreate", typ: createKeyRequest{}},
		{name: "key created", schema: "KeyCreated", typ: createKeyResponse{}},
		{name: "resource", schema: "Resource", typ: ragkb.Resource{}},
		{name: "resource create", schema: "ResourceCreate", typ: resourceRequest{}},
		{name: "resource update", schema: "ResourceUpdate", typ: resourceRequest{}},
		{name: "run stats", schema: "RunStats", typ: ragkb.RunStats{}},
		{name: "knowledge base", schema: "KnowledgeBase", typ: ragkb.KnowledgeBase{}},
		{name: "custom question", schema: "CustomQuestion", typ: ragkb.CustomQuestion{}},
		{name: "faq page", schema: "FAQPageSpec", typ: ragkb.FAQPageSpec{}},
		{name: "policy", schema: "PolicySpec", typ: ragkb.PolicySpec{}},
		{name: "offers", schema: "OffersSpec", typ: ragkb.OffersSpec{}},
		{name: "message", schema: "Message", typ: ragkb.Message{}},
		{name: "answer request", schema: "AnswerRequest", typ: ragkb.AnswerRequest{}},
		{name: "answer response", schema: "AnswerResponse", typ: ragkb.AnswerResponse{}},
		{name: "intent match", schema: "IntentMatch", typ: ragkb.IntentMatch{}},
		{name: "citation", schema: "Citation", typ: ragkb.Citation{}},
		{name: "usage", schema: "Usage", typ: ragkb.Usage{}},
		{name: "search request", schema: "SearchRequest", typ: ragkb.SearchRequest{}},
		{name: "search result", schema: "SearchResult", typ: ragkb.SearchResult{}},
		{name: "search response", schema: "SearchResponse", typ: searchResponse{}},
		{name: "assistant input", schema: "AssistantInput", typ: assistantRequest{}},
		{name: "assistant", schema: "Assistant", typ: ragkb.Assistant{}},
		{name: "intent input", schema: "IntentInput", typ: intentRequest{}},
		{name: "intent", schema: "IntentDef", typ: ragkb.IntentDef{}, omit: []string{"tenant_id"}},
		{name: "event", schema: "Event", typ: ragkb.Event{}, omit: []string{"tenant_id"}},
		{name: "webhook input", schema: "WebhookInput", typ: webhookRequest{}},
		{name: "webhook", schema: "Webhook", typ: ragkb.Webhook{}, omit: []string{"tenant_id"}},
		{name: "delivery", schema: "Delivery", typ: ragkb.Delivery{}, omit: []string{"tenant_id"}},
		{name: "stats row", schema: "IntentStats", typ: ragkb.IntentStats{}},
		{name: "account create", schema: "AccountCreate", typ: accounts.ConnectRequest{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := doc.Components.Schemas[tt.schema]
			if !ok {
				t.Fatalf("no schema %s", tt.schema)
			}
			var want []string
			for _, f := range jsonFields(reflect.TypeOf(tt.typ)) {
				if !slices.Contains(tt.omit, f) {
					want = append(want, f)
				}
			}
			var got []string
			for p := range s.Properties {
				got = append(got, p)
			}
			sort.Strings(got)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("schema %s properties = %v, want the JSON fields of %T = %v", tt.schema, got, tt.typ, want)
			}
			for _, r := range s.Required {
				if _, ok := s.Properties[r]; !ok {
					t.Errorf("schema %s requires %q, which is not a property", tt.schema, r)
				}
			}
		})
	}
}

func TestAssetsServed(t *testing.T) {
	s := New(Deps{})
	tests := []struct {
		name, path, wantType, wantCSP string
	}{
		{name: "openapi", path: "/openapi.json", wantType: "application/json"},
		{name: "admin page", path: "/admin", wantType: "text/html; charset=utf-8",
			wantCSP: adminCSP(adminHTML)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s: status %d, want 200", tt.path, w.Code)
			}
			if got := w.Header().Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if got := w.Header().Get("Content-Security-Policy"); got != tt.wantCSP {
				t.Errorf("Content-Security-Policy = %q, want %q", got, tt.wantCSP)
			}
			if w.Body.Len() < 1000 {
				t.Errorf("body is %d bytes; the asset looks like a placeholder", w.Body.Len())
			}
		})
	}
}

var (
	externalURL = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	absoluteURL = regexp.MustCompile(`(?i)https?://`)
	cssImport   = regexp.MustCompile(`(?i)@import|url\(`)
)

// TestAdminPageSelfContained checks that the page loads nothing from
// elsewhere (the CSP would block it anyway, leaving a broken page), never
// writes server text as HTML, and labels its form controls.
// The admin page's policy runs only its own script, by hash.
func TestAdminPageCSPIsStrict(t *testing.T) {
	csp := adminCSP(adminHTML)
	script := ""
	for _, d := range strings.Split(csp, ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, "script-src ") {
			script = d
		}
	}
	if !strings.HasPrefix(script, "script-src 'sha256-") || strings.Contains(script, "unsafe") || strings.Count(script, "sha256-") != 1 {
		t.Errorf("script-src = %q, want exactly one sha256 source and nothing unsafe", script)
	}
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
}

func TestAdminPageSelfContained(t *testing.T) {
	root, err := html.Parse(bytes.NewReader(adminHTML))
	if err != nil {
		t.Fatalf("admin.html does not parse: %v", err)
	}
	labelled := map[string]bool{}
	var controls []*html.Node
	var scripts, styles strings.Builder
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			switch a.Key {
			case "src", "href", "action", "formaction", "srcset", "poster", "data":
				if externalURL.MatchString(a.Val) {
					t.Errorf("<%s %s=%q> refers to another site", n.Data, a.Key, a.Val)
				}
			case "style":
				if cssImport.MatchString(a.Val) {
					t.Errorf("<%s style=%q> loads a resource", n.Data, a.Val)
				}
			}
		}
		switch n.DataAtom {
		case atom.Script:
			if attr(n, "src") != "" {
				t.Errorf("<script src=%q>: scripts must be inline", attr(n, "src"))
			}
			if n.FirstChild != nil {
				scripts.WriteString(n.FirstChild.Data)
			}
		case atom.Style:
			if n.FirstChild != nil {
				styles.WriteString(n.FirstChild.Data)
			}
		case atom.Link:
			t.Errorf("<link rel=%q href=%q>: styles and icons must be inline", attr(n, "rel"), attr(n, "href"))
		case atom.Iframe, atom.Object, atom.Embed:
			t.Errorf("<%s> is not allowed", n.Data)
		case atom.Label:
			if f := attr(n, "for"); f != "" {
				labelled[f] = true
			}
		case atom.Input, atom.Select, atom.Textarea:
			if attr(n, "type") != "hidden" {
				controls = append(controls, n)
			}
		case atom.Html:
			if attr(n, "lang") == "" {
				t.Error("<html> has no lang attribute")
			}
		}
	}
	if scripts.Len() == 0 {
		t.Error("admin.html has no inline script")
	}
	if loc := absoluteURL.FindStringIndex(scripts.String()); loc != nil {
		t.Errorf("script refers to another site: %q", scripts.String()[loc[0]:loc[1]])
	}
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(scripts.String(), bad) {
			t.Errorf("script uses %s; build the DOM with textContent so server text is never parsed as HTML", bad)
		}
	}
	if cssImport.MatchString(styles.String()) {
		t.Error("style loads a resource with @import or url()")
	}
	if len(controls) == 0 {
		t.Error("admin.html has no form controls")
	}
	for _, n := range controls {
		if id := attr(n, "id"); !labelled[id] && attr(n, "aria-label") == "" && !insideLabel(n) {
			t.Errorf("<%s id=%q name=%q> has no label", n.Data, id, attr(n, "name"))
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func insideLabel(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Label {
			return true
		}
	}
	return false
}
