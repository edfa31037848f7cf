package accounts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/accounts"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/all"
	"github.com/ragkb/ragkb/connectors/allegro"
	"github.com/ragkb/ragkb/connectors/allegro/allegrotest"
	"github.com/ragkb/ragkb/embed"
	"github.com/ragkb/ragkb/indexer"
	"github.com/ragkb/ragkb/internal/allegroauth"
	"github.com/ragkb/ragkb/internal/secretbox"
	"github.com/ragkb/ragkb/internal/testenv"
	"github.com/ragkb/ragkb/retriever"
	"github.com/ragkb/ragkb/server"
	"github.com/ragkb/ragkb/store/postgres"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/ragkb/ragkb/store/vectorindex"
	"github.com/ragkb/ragkb/webhook"
	"github.com/ragkb/ragkb/worker"
)

// clock is the injected time every part of the flow reads.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeAllegroAPI serves the offer fixtures like the Allegro REST API and
// answers 401 to any access token the fake OAuth server did not issue or
// that has expired on the test clock.
func fakeAllegroAPI(t *testing.T, oauth *allegrotest.OAuth) (*httptest.Server, func() int) {
	const dir = "../testdata/offers/allegro/"
	files := map[string]string{
		"/sale/offers":                                              "offers_page1.json",
		"/sale/product-offers/14243255670":                          "product-offer-14243255670.json",
		"/sale/product-offers/14243255671":                          "product-offer-14243255671.json",
		"/sale/shipping-rates/5d6e7f80-0000-4000-8000-000000000010": "shipping-rates.json",
		"/after-sales-service-conditions/return-policies/9a1c2b3d-0000-4000-8000-000000000002":    "return-policy.json",
		"/after-sales-service-conditions/implied-warranties/9a1c2b3d-0000-4000-8000-000000000001": "implied-warranty.json",
		"/after-sales-service-conditions/warranties/9a1c2b3d-0000-4000-8000-000000000003":         "warranty.json",
	}
	var mu sync.Mutex
	rejected := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("allegro api: %s %s, want GET", r.Method, r.URL.Path)
		}
		if r.Header.Get("Accept") != allegro.MediaType {
			w.WriteHeader(http.StatusNotAcceptable)
			return
		}
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !oauth.Authorized(tok) {
			mu.Lock()
			rejected++
			mu.Unlock()
			allegrotest.Unauthorized(w)
			return
		}
		name, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(dir + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Header().Set("Content-Type", allegro.MediaType)
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv, func() int { mu.Lock(); defer mu.Unlock(); return rejected }
}

// env is the whole service in one process on the test clock.
type env struct {
	t     *testing.T
	clock *clock
	store ragkb.Store
	// raw returns everything the database holds, as text (after Close).
	raw      func() string
	accounts *accounts.Service
	worker   *worker.Worker
	handler  http.Handler
	logs     *syncBuffer
	metrics  *prometheus.Registry
}

// syncBuffer collects every log line of the flow (at debug level).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// backend opens the metadata store of the flow with box; raw dumps it.
type backend func(t *testing.T, clk *clock, box ragkb.SecretBox, log *slog.Logger) (st ragkb.Store, raw func() string)

func sqliteBackend(t *testing.T, clk *clock, box ragkb.SecretBox, log *slog.Logger) (ragkb.Store, func() string) {
	path := filepath.Join(t.TempDir(), "ragkb.db")
	st, err := sqlite.New(context.Background(), sqlite.Config{Path: path, Now: clk.Now, Secrets: box, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return st, func() string {
		raw, _ := os.ReadFile(path)
		wal, _ := os.ReadFile(path + "-wal")
		return string(raw) + string(wal)
	}
}

// postgresBackend uses a fresh schema of RAGKB_TEST_DATABASE_URL.
func postgresBackend(t *testing.T, clk *clock, box ragkb.SecretBox, log *slog.Logger) (ragkb.Store, func() string) {
	base := os.Getenv("RAGKB_TEST_DATABASE_URL")
	if base == "" {
		if testenv.CI() {
			t.Fatal("RAGKB_TEST_DATABASE_URL is required in CI (scripts/test-services.sh)")
		}
		t.Skip("RAGKB_TEST_DATABASE_URL unset: run scripts/test-services.sh")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	schema := "acc_" + strings.ToLower(ragkb.NewID("t")[2:])
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		conn.Close(context.Background())
	})
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	st, err := postgres.New(ctx, postgres.Config{URL: u.String(), Now: clk.Now, Secrets: box, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return st, func() string {
		var b strings.Builder
		for _, tbl := range []string{"tenants", "api_keys", "resources", "documents", "accounts", "events", "webhooks", "jobs"} {
			var text string
			if err := conn.QueryRow(ctx, `SELECT coalesce(string_agg(x::text, E'\n'), '') FROM `+schema+`.`+tbl+` x`).Scan(&text); err != nil {
				t.Fatalf("dump %s: %v", tbl, err)
			}
			b.WriteString(text)
		}
		return b.String()
	}
}

func newEnv(t *testing.T, oauth *allegrotest.OAuth, apiURL string, clk *clock, open backend) *env {
	t.Helper()
	dir := t.TempDir()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	box, err := secretbox.New(secretbox.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	st, raw := open(t, clk, box, log)
	t.Cleanup(func() { st.Close() })
	emb := embed.NewLocal(embed.LocalConfig{})
	vec, err := vectorindex.New(vectorindex.Config{Dir: filepath.Join(dir, "vectors"), Dimensions: emb.Dimensions(), Embedder: emb.Name()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vec.Close() })
	events := webhook.NewRecorder(webhook.RecorderConfig{Store: st, Now: clk.Now, Logger: log})
	o, err := allegroauth.NewOAuth(allegroauth.OAuthConfig{AuthURL: oauth.URL(), ClientID: allegrotest.ClientID, ClientSecret: allegrotest.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	fetcher := connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, Logger: log})
	var router *all.Router
	reg := prometheus.NewRegistry()
	acc, err := accounts.New(accounts.Config{Store: st, Allegro: o, AllegroAPIURL: apiURL, Events: events, Now: clk.Now, Logger: log,
		Metrics: accounts.NewMetrics(reg),
		Checkers: map[ragkb.AccountType]accounts.Checker{ragkb.AccountShopify: func(ctx context.Context, u, tok string) error {
			return router.Check(ctx, ragkb.AccountShopify, u, tok)
		}}})
	if err != nil {
		t.Fatal(err)
	}
	router = all.New(all.Config{Fetcher: fetcher, Accounts: acc, Logger: log})
	idx, err := indexer.New(indexer.Config{Store: st, Vectors: vec, Embedder: emb, Connector: router, Now: clk.Now, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	w, err := worker.New(worker.Config{Store: st, Runner: idx, Events: events, Schedule: "off", Now: clk.Now, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ret, err := retriever.New(retriever.Config{Store: st, Vectors: vec, Embedder: emb})
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Deps{Store: st, Vectors: vec, Searcher: ret, Events: events, Accounts: acc,
		ValidateSpec: all.ValidateSpec, Now: clk.Now, Logger: log})
	return &env{t: t, clock: clk, store: st, raw: raw, accounts: acc, worker: w, handler: h, logs: logs, metrics: reg}
}

// keys creates a tenant with a merchant and a chatbot key.
func (e *env) keys(name string) (merchant, chatbot string) {
	e.t.Helper()
	ctx := context.Background()
	ten := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: name, CreatedAt: e.clock.Now()}
	if err := e.store.CreateTenant(ctx, ten); err != nil {
		e.t.Fatal(err)
	}
	for _, role := range []ragkb.Role{ragkb.RoleMerchant, ragkb.RoleChatbot} {
		secret := server.NewKeySecret(role)
		if err := e.store.CreateAPIKey(ctx, &ragkb.APIKey{ID: ragkb.NewID("key"), TenantID: ten.ID, Role: role,
			Hash: server.HashKey(secret), Prefix: secret[:8], CreatedAt: e.clock.Now()}); err != nil {
			e.t.Fatal(err)
		}
		if role == ragkb.RoleMerchant {
			merchant = secret
		} else {
			chatbot = secret
		}
	}
	return merchant, chatbot
}

// call makes a request and decodes the answer into out; it fails the test
// if a secret of the fake OAuth server appears in any response.
func (e *env) call(method, path, key string, body, out any) int {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Authorization", "Bearer "+key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	resp := rec.Body.String()
	for _, secret := range []string{"access-token-", "refresh-token-", "device-code-", "shpat_"} {
		if strings.Contains(resp, secret) {
			e.t.Errorf("%s %s: the response shows a secret (%s…): %s", method, path, secret, resp)
		}
	}
	if out != nil && rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			e.t.Fatalf("%s %s: decode %q: %v", method, path, resp, err)
		}
	}
	return rec.Code
}

// runJobs runs the worker until no job is left.
func (e *env) runJobs() {
	e.t.Helper()
	for range 10 {
		ok, err := e.worker.RunOnce(context.Background())
		if err != nil {
			e.t.Fatalf("RunOnce: %v", err)
		}
		if !ok {
			return
		}
	}
	e.t.Fatal("jobs keep coming")
}

type accountJSON struct {
	ID                      string   `json:"id"`
	Status                  string   `json:"status"`
	Error                   string   `json:"error"`
	UserCode                string   `json:"user_code"`
	VerificationURI         string   `json:"verification_uri"`
	VerificationURIComplete string   `json:"verification_uri_complete"`
	ExpiresAt               string   `json:"expires_at"`
	ResourceIDs             []string `json:"resource_ids"`
}

type problem struct {
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Field  string `json:"field"`
}

// TestAllegroAccountFlow is the merchant's story against the fakes, through
// the HTTP API on an injected clock: connect through the device flow, add
// offers by picking the account, let the access token expire, refresh
// (renewed automatically); revoke at Allegro: the account turns expired, the
// next refresh fails with "reconnect the Allegro account", an
// account_failed event is recorded and the last good offers keep answering.
func TestAllegroAccountFlow(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { allegroAccountFlow(t, sqliteBackend) })
	t.Run("postgres", func(t *testing.T) { allegroAccountFlow(t, postgresBackend) })
}

func allegroAccountFlow(t *testing.T, open backend) {
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	oauth := allegrotest.NewOAuth(t, clk.Now)
	api, rejected := fakeAllegroAPI(t, oauth)
	e := newEnv(t, oauth, api.URL, clk, open)
	ctx := context.Background()
	merchant, chatbot := e.keys("Shop A")
	otherMerchant, _ := e.keys("Shop B")

	// Connect: pending with the code and the link.
	var acc accountJSON
	if code := e.call("POST", "/v1/accounts", merchant, map[string]any{"name": "Allegro – main shop", "type": "allegro"}, &acc); code != http.StatusCreated {
		t.Fatalf("POST /v1/accounts: %d %+v", code, acc)
	}
	if acc.Status != "pending" || acc.UserCode == "" || acc.VerificationURI != "https://allegro.pl/skojarz-aplikacje" ||
		!strings.HasSuffix(acc.VerificationURIComplete, "?code="+acc.UserCode) {
		t.Fatalf("new account: %+v, want pending with user_code and verification links", acc)
	}

	// Not yet due: no poll. Due but not confirmed: authorization_pending.
	must(t, e.accounts.Poll(ctx))
	if n := oauth.Calls("poll"); n != 0 {
		t.Errorf("polled %d times before the interval passed, want 0", n)
	}
	clk.Advance(5 * time.Second)
	must(t, e.accounts.Poll(ctx))
	must(t, e.accounts.Poll(ctx)) // same instant: not due again
	if n := oauth.Calls("poll"); n != 1 {
		t.Errorf("polled %d times in one interval, want 1", n)
	}
	acc = e.account(merchant, acc.ID)
	if acc.Status != "pending" {
		t.Errorf("after authorization_pending: status %s, want pending", acc.Status)
	}

	// The merchant confirms on allegro.pl; the next poll connects.
	oauth.Confirm(acc.UserCode)
	clk.Advance(5 * time.Second)
	must(t, e.accounts.Poll(ctx))
	acc = e.account(merchant, acc.ID)
	if acc.Status != "connected" || acc.UserCode != "" || acc.ExpiresAt == "" {
		t.Fatalf("after confirmation: %+v, want connected with expires_at and no code", acc)
	}

	// Tenant isolation: another merchant neither sees nor uses the account.
	var list struct {
		Accounts []accountJSON `json:"accounts"`
	}
	e.call("GET", "/v1/accounts", otherMerchant, nil, &list)
	if len(list.Accounts) != 0 {
		t.Errorf("another tenant lists %d accounts, want 0", len(list.Accounts))
	}
	var p problem
	if code := e.call("GET", "/v1/accounts/"+acc.ID, otherMerchant, nil, &p); code != http.StatusNotFound {
		t.Errorf("another tenant GET: %d, want 404", code)
	}
	if code := e.call("DELETE", "/v1/accounts/"+acc.ID, otherMerchant, nil, &p); code != http.StatusNotFound {
		t.Errorf("another tenant DELETE: %d, want 404", code)
	}
	offers := map[string]any{"name": "Allegro offers", "type": "offers", "language": "pl",
		"offers": map[string]any{"source": "allegro", "account_id": acc.ID}}
	if code := e.call("POST", "/v1/resources", otherMerchant, offers, &p); code != http.StatusBadRequest || p.Field != "offers.account_id" {
		t.Errorf("another tenant's account_id: %d field %q, want 400 offers.account_id", code, p.Field)
	}

	// Offers by account: indexed with the account's token.
	var res ragkb.Resource
	if code := e.call("POST", "/v1/resources", merchant, offers, &res); code != http.StatusAccepted {
		t.Fatalf("POST offers with account_id: %d", code)
	}
	resID := res.ID
	offers["name"] = "Allegro offers (second assistant)"
	var res2 ragkb.Resource
	if code := e.call("POST", "/v1/resources", merchant, offers, &res2); code != http.StatusAccepted {
		t.Fatalf("second resource on the same account: %d", code)
	}
	e.runJobs()
	res = ragkb.Resource{}
	e.call("GET", "/v1/resources/"+resID, merchant, nil, &res)
	if res.Status != ragkb.StatusSuccess || res.Documents != 2 {
		t.Fatalf("offers by account: status %s (%s), %d documents; want success with 2", res.Status, res.Error, res.Documents)
	}
	if res.Offers == nil || res.Offers.AccountID != acc.ID || res.Offers.Token != "" {
		t.Errorf("resource offers %+v: want the account_id and no token", res.Offers)
	}
	acc = e.account(merchant, acc.ID)
	if len(acc.ResourceIDs) != 2 {
		t.Errorf("account resource_ids = %v, want both resources", acc.ResourceIDs)
	}
	refreshes := oauth.Calls("refresh")

	// The access token (12 h) expires while the service is down, so nothing
	// renewed it ahead of time: the refresh notices and renews it first.
	clk.Advance(13 * time.Hour)
	if code := e.call("POST", "/v1/resources/"+resID+"/refresh", merchant, nil, &res); code != http.StatusAccepted {
		t.Fatalf("refresh: %d", code)
	}
	e.runJobs()
	res = ragkb.Resource{}
	e.call("GET", "/v1/resources/"+resID, merchant, nil, &res)
	if res.Status != ragkb.StatusSuccess {
		t.Fatalf("refresh after expiry: %s (%s), want success after an automatic token renewal", res.Status, res.Error)
	}
	if got := oauth.Calls("refresh") - refreshes; got != 1 {
		t.Errorf("token renewals for one refresh: %d, want 1", got)
	}

	// Ahead of expiry: Poll renews 10 minutes before the token expires.
	refreshes = oauth.Calls("refresh")
	clk.Advance(11*time.Hour + 50*time.Minute)
	must(t, e.accounts.Poll(ctx))
	if got := oauth.Calls("refresh") - refreshes; got != 1 {
		t.Errorf("renewals ahead of expiry: %d, want 1", got)
	}
	clk.Advance(20 * time.Minute) // past the old token's expiry
	if creds, err := e.accounts.Credentials(ctx, "", acc.ID); err != nil || !oauth.Authorized(creds.Token) {
		t.Errorf("credentials after a renewal ahead of expiry: %v; not accepted by Allegro", err)
	}

	// No secret is readable in the database (file bytes, or every row),
	// while the account holds its tokens.
	dump := e.raw()
	if !strings.Contains(dump, "Allegro offers") || !strings.Contains(dump, secretbox.Prefix) {
		t.Fatal("the dump shows neither the resources nor sealed values: it proves nothing")
	}
	for _, s := range []string{"access-token-", "refresh-token-", "device-code-"} {
		if strings.Contains(dump, s) {
			t.Errorf("%s… is readable in the database", s)
		}
	}

	// Allegro rejects a token ragkb still believes valid: the automatic
	// refresh gets a 401, renews once and succeeds.
	oauth.ExpireAccessTokens()
	refreshes, before := oauth.Calls("refresh"), rejected()
	if _, err := e.worker.RefreshAll(ctx); err != nil {
		t.Fatal(err)
	}
	e.runJobs()
	res = ragkb.Resource{}
	e.call("GET", "/v1/resources/"+resID, merchant, nil, &res)
	if res.Status != ragkb.StatusSuccess {
		t.Errorf("automatic refresh after a 401: %s (%s), want success", res.Status, res.Error)
	}
	if got := oauth.Calls("refresh") - refreshes; got != 1 {
		t.Errorf("renewals after 401s of two resources: %d, want 1 (the second resource uses the renewed token)", got)
	}
	if rejected() == before {
		t.Error("the Allegro API rejected no token: the 401 path was not exercised")
	}

	// The merchant subscribes to account_failed.
	var hook struct {
		ID string `json:"id"`
	}
	if code := e.call("POST", "/v1/webhooks", merchant, map[string]any{"url": "https://hooks.example/ragkb", "events": []string{"account_failed"}}, &hook); code != http.StatusCreated {
		t.Fatalf("POST /v1/webhooks account_failed: %d", code)
	}

	// Allegro revokes the refresh token: the next refresh fails with words
	// the merchant can act on, the account is expired, an event recorded.
	oauth.RevokeAll()
	clk.Advance(32 * 24 * time.Hour) // the monthly limit of manual refreshes
	if code := e.call("POST", "/v1/resources/"+resID+"/refresh", merchant, nil, &res); code != http.StatusAccepted {
		t.Fatalf("second refresh: %d", code)
	}
	e.runJobs()
	res = ragkb.Resource{}
	e.call("GET", "/v1/resources/"+resID, merchant, nil, &res)
	if res.Status != ragkb.StatusFailed || !strings.Contains(res.Error, "reconnect the Allegro account") {
		t.Errorf("refresh after revocation: %s %q, want failed with \"reconnect the Allegro account\"", res.Status, res.Error)
	}
	if res.Documents != 2 {
		t.Errorf("failed refresh: %d documents kept, want the last good 2", res.Documents)
	}
	acc = e.account(merchant, acc.ID)
	if acc.Status != "expired" || !strings.Contains(acc.Error, "reconnect the Allegro account") {
		t.Errorf("account after revocation: %s %q, want expired", acc.Status, acc.Error)
	}
	var evs struct {
		Events []ragkb.Event `json:"events"`
	}
	e.call("GET", "/v1/events?type=account_failed", merchant, nil, &evs)
	if len(evs.Events) != 1 || !strings.Contains(evs.Events[0].Detail, acc.ID) || evs.Events[0].AccountID != acc.ID {
		t.Errorf("account_failed events: %+v, want one naming %s", evs.Events, acc.ID)
	}
	var dl struct {
		Deliveries []ragkb.Delivery `json:"deliveries"`
	}
	e.call("GET", "/v1/webhooks/"+hook.ID+"/deliveries", merchant, nil, &dl)
	if len(dl.Deliveries) != 1 || len(evs.Events) == 1 && dl.Deliveries[0].EventID != evs.Events[0].ID {
		t.Errorf("webhook deliveries: %+v, want one for the account_failed event", dl.Deliveries)
	}
	e.call("GET", "/v1/events?type=account_failed", otherMerchant, nil, &evs)
	if len(evs.Events) != 0 {
		t.Errorf("another tenant sees %d account_failed events", len(evs.Events))
	}

	// The last good offers keep answering.
	var found struct {
		Results []struct {
			ResourceID string `json:"resource_id"`
			Title      string `json:"title"`
		} `json:"results"`
	}
	e.call("POST", "/v1/search", chatbot, map[string]any{"query": "czajnik elektryczny Acme", "resource_ids": []string{resID}}, &found)
	if len(found.Results) == 0 || !strings.Contains(found.Results[0].Title, "Czajnik") {
		t.Errorf("search after the failed refresh: %+v, want the kettle offer", found.Results)
	}

	// Deleting the account while resources use it: 409 naming them.
	if code := e.call("DELETE", "/v1/accounts/"+acc.ID, merchant, nil, &p); code != http.StatusConflict ||
		!strings.Contains(p.Detail, resID) || !strings.Contains(p.Detail, res2.ID) || !strings.Contains(p.Detail, "Allegro offers") {
		t.Errorf("DELETE used account: %d %q, want 409 naming both resources", code, p.Detail)
	}
	if code := e.call("DELETE", "/v1/accounts/"+acc.ID+"?force=true", merchant, nil, nil); code != http.StatusNoContent {
		t.Errorf("DELETE ?force=true: %d, want 204", code)
	}
	if code := e.call("GET", "/v1/accounts/"+acc.ID, merchant, nil, &p); code != http.StatusNotFound {
		t.Errorf("GET after delete: %d, want 404", code)
	}

	// The on-call view: renewals by outcome.
	for outcome, want := range map[string]float64{"renewed": 3, "refused": 1} {
		if got := counter(t, e.metrics, "ragkb_account_renewals_total", outcome); got != want {
			t.Errorf("ragkb_account_renewals_total{outcome=%q} = %v, want %v", outcome, got, want)
		}
	}

	// No secret in the logs (debug level included).
	if !strings.Contains(e.logs.String(), acc.ID) {
		t.Error("the logs never mention the account: the check below proves nothing")
	}
	for _, s := range []string{"access-token-", "refresh-token-", "device-code-", allegrotest.ClientSecret} {
		if strings.Contains(e.logs.String(), s) {
			t.Errorf("the logs show a secret (%s…)", s)
		}
	}

}

// account reads one account through the API.
func (e *env) account(key, id string) accountJSON {
	e.t.Helper()
	var a accountJSON
	if code := e.call("GET", "/v1/accounts/"+id, key, nil, &a); code != http.StatusOK {
		e.t.Fatalf("GET /v1/accounts/%s: %d", id, code)
	}
	return a
}

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// counter reads one series of a counter vector from reg (0 if absent).
func counter(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	must(t, err)
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			if mf.GetName() == name && m.GetLabel()[0].GetValue() == label {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
