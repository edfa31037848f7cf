package accounts_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/accounts"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/allegro/allegrotest"
	"github.com/ragkb/ragkb/connectors/shopify"
	"github.com/ragkb/ragkb/internal/allegroauth"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/ragkb/ragkb/webhook"
)

// unit is a Service over a real SQLite store and the fake OAuth server.
type unit struct {
	clk   *clock
	oauth *allegrotest.OAuth
	store *sqlite.Store
	svc   *accounts.Service
	ten   string
}

func newUnit(t *testing.T) *unit {
	t.Helper()
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	oauth := allegrotest.NewOAuth(t, clk.Now)
	st, err := sqlite.New(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "ragkb.db"), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ten := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "Shop", CreatedAt: clk.Now()}
	must(t, st.CreateTenant(context.Background(), ten))
	u := &unit{clk: clk, oauth: oauth, store: st, ten: ten.ID}
	u.svc = u.service(t)
	return u
}

// service returns another Service on the same store (another process).
func (u *unit) service(t *testing.T) *accounts.Service {
	t.Helper()
	o, err := allegroauth.NewOAuth(allegroauth.OAuthConfig{AuthURL: u.oauth.URL(), ClientID: allegrotest.ClientID, ClientSecret: allegrotest.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	fetcher := connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true})
	shop := shopify.New(shopify.Config{Fetcher: fetcher})
	svc, err := accounts.New(accounts.Config{Store: u.store, Allegro: o, Now: u.clk.Now,
		Events:   webhook.NewRecorder(webhook.RecorderConfig{Store: u.store, Now: u.clk.Now}),
		Checkers: map[ragkb.AccountType]accounts.Checker{ragkb.AccountShopify: shop.Check}})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func (u *unit) get(t *testing.T, id string) *ragkb.Account {
	t.Helper()
	a, err := u.store.GetAccount(context.Background(), u.ten, id)
	must(t, err)
	return a
}

func (u *unit) events(t *testing.T) []*ragkb.Event {
	t.Helper()
	evs, err := u.store.ListEvents(context.Background(), ragkb.EventFilter{TenantID: u.ten, Type: ragkb.EventAccountFailed})
	must(t, err)
	return evs
}

func (u *unit) connectAllegro(t *testing.T) *ragkb.Account {
	t.Helper()
	a, err := u.svc.Connect(context.Background(), u.ten, accounts.ConnectRequest{Name: "Allegro", Type: ragkb.AccountAllegro})
	must(t, err)
	return a
}

// TestSlowDown: the service adds 5 s to its interval after slow_down, as
// RFC 8628 asks, and then polls no sooner.
func TestSlowDown(t *testing.T) {
	u := newUnit(t)
	u.oauth.MinInterval = 8 * time.Second
	ctx := context.Background()
	a := u.connectAllegro(t)
	for _, step := range []struct {
		advance   time.Duration
		wantPolls int
	}{
		{5 * time.Second, 1}, // first poll: authorization_pending
		{5 * time.Second, 2}, // 5 s after the first < 8 s: slow_down
		{5 * time.Second, 2}, // interval now 10 s: not yet
		{5 * time.Second, 3}, // 10 s after: pending, no slow_down
	} {
		u.clk.Advance(step.advance)
		must(t, u.svc.Poll(ctx))
		if got := u.oauth.Calls("poll"); got != step.wantPolls {
			t.Fatalf("at %s: %d polls, want %d", u.clk.Now().Format(time.TimeOnly), got, step.wantPolls)
		}
	}
	if n := u.oauth.SlowDowns(a.UserCode); n != 1 {
		t.Errorf("slow_down answers: %d, want 1", n)
	}
	if got := u.get(t, a.ID); got.Status != ragkb.AccountPending || got.PollInterval != 10*time.Second {
		t.Errorf("after slow_down: %s, interval %s; want pending at 10s", got.Status, got.PollInterval)
	}
}

func TestDeviceFlowEnds(t *testing.T) {
	for _, tc := range []struct {
		name    string
		act     func(u *unit, a *ragkb.Account)
		advance time.Duration
		want    string
	}{
		{"denied", func(u *unit, a *ragkb.Account) { u.oauth.Deny(a.UserCode) }, 5 * time.Second, "declined"},
		{"expired at Allegro", func(u *unit, a *ragkb.Account) { u.oauth.ExpireCodes() }, 5 * time.Second, "expired"},
		{"expired before polling", func(u *unit, a *ragkb.Account) {}, 2 * time.Hour, "expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := newUnit(t)
			a := u.connectAllegro(t)
			tc.act(u, a)
			u.clk.Advance(tc.advance)
			must(t, u.svc.Poll(context.Background()))
			got := u.get(t, a.ID)
			if got.Status != ragkb.AccountFailed || !strings.Contains(got.Error, tc.want) || got.Secrets.DeviceCode != "" {
				t.Errorf("status %s error %q device code kept %v; want failed mentioning %q and the code dropped", got.Status, got.Error, got.Secrets.DeviceCode != "", tc.want)
			}
			if evs := u.events(t); len(evs) != 1 || !strings.Contains(evs[0].Detail, a.ID) {
				t.Errorf("account_failed events: %d, want 1 naming the account", len(evs))
			}
			must(t, u.svc.Poll(context.Background())) // a failed account is not polled again
			wantPolls := 1
			if tc.name == "expired before polling" {
				wantPolls = 0 // ragkb knows expires_in: no call needed
			}
			if n := u.oauth.Calls("poll"); n != wantPolls {
				t.Errorf("%d polls, want %d", n, wantPolls)
			}
		})
	}
}

// TestConcurrentRenewals: two processes (Services) and several jobs in
// each hit a 401 with the same token at once. Allegro is asked once, every
// caller gets the new token, and the stored (rotated) refresh token is the
// one Allegro accepts next.
func TestConcurrentRenewals(t *testing.T) {
	u := newUnit(t)
	ctx := context.Background()
	a := u.connectAllegro(t)
	u.oauth.Confirm(a.UserCode)
	u.clk.Advance(5 * time.Second)
	must(t, u.svc.Poll(ctx))
	first, err := u.svc.Credentials(ctx, u.ten, a.ID)
	must(t, err)
	u.oauth.ExpireAccessTokens()
	svcs := []*accounts.Service{u.svc, u.service(t)}
	var wg sync.WaitGroup
	tokens := make([]string, 8)
	errs := make([]error, 8)
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := svcs[i%2].Rejected(ctx, u.ten, a.ID, first.Token)
			tokens[i], errs[i] = c.Token, err
		}()
	}
	wg.Wait()
	for i := range tokens {
		if errs[i] != nil || tokens[i] != tokens[0] || !u.oauth.Authorized(tokens[i]) {
			t.Errorf("caller %d: %v, token valid %v same as the others %v", i, errs[i], u.oauth.Authorized(tokens[i]), tokens[i] == tokens[0])
		}
	}
	if n := u.oauth.Calls("refresh"); n != 1 {
		t.Errorf("Allegro asked %d times to renew, want 1", n)
	}
	// The stored refresh token is the rotated one: the next renewal works.
	u.oauth.ExpireAccessTokens()
	c, err := u.svc.Rejected(ctx, u.ten, a.ID, tokens[0])
	if err != nil || !u.oauth.Authorized(c.Token) {
		t.Fatalf("renewal with the stored refresh token: %v", err)
	}
	if got := u.get(t, a.ID); got.Status != ragkb.AccountConnected || len(u.events(t)) != 0 {
		t.Errorf("account %s with %d account_failed events, want connected and none", got.Status, len(u.events(t)))
	}
}

func TestConnectShopify(t *testing.T) {
	u := newUnit(t)
	ctx := context.Background()
	const good = "shpat_good_token"
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/shop.json") || !strings.HasPrefix(r.URL.Path, "/admin/api/") {
			t.Errorf("shopify: %s %s, want GET /admin/api/<version>/shop.json", r.Method, r.URL.Path)
		}
		if r.Header.Get("X-Shopify-Access-Token") != good {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"shop":{"id":548380009,"name":"John Smith Test Store","currency":"PLN"}}`))
	}))
	defer shop.Close()

	a, err := u.svc.Connect(ctx, u.ten, accounts.ConnectRequest{Name: "Shop", Type: ragkb.AccountShopify, URL: shop.URL, Token: good})
	must(t, err)
	if a.Status != ragkb.AccountConnected || a.Error != "" {
		t.Errorf("good token: %s %q, want connected", a.Status, a.Error)
	}
	c, err := u.svc.Credentials(ctx, u.ten, a.ID)
	if err != nil || c.Token != good || c.URL != shop.URL {
		t.Errorf("credentials: %+v %v, want the shop URL and token", c, err)
	}
	b, err := u.svc.Connect(ctx, u.ten, accounts.ConnectRequest{Name: "Shop 2", Type: ragkb.AccountShopify, URL: shop.URL, Token: "shpat_wrong"})
	must(t, err)
	if b.Status != ragkb.AccountFailed || !strings.Contains(b.Error, "Shopify rejected the access token") {
		t.Errorf("wrong token: %s %q, want failed with Shopify's refusal in words", b.Status, b.Error)
	}
	if strings.Contains(b.Error, "shpat_wrong") {
		t.Error("the error text shows the token")
	}
	// A rejected token later fails the account with an event.
	if _, err := u.svc.Rejected(ctx, u.ten, a.ID, good); err == nil {
		t.Error("Rejected of a shop token: want an error")
	}
	if got := u.get(t, a.ID); got.Status != ragkb.AccountFailed || len(u.events(t)) != 1 {
		t.Errorf("after a rejected shop token: %s, %d events; want failed and 1", got.Status, len(u.events(t)))
	}
}

func TestConnectValidation(t *testing.T) {
	u := newUnit(t)
	for _, tc := range []struct {
		name  string
		req   accounts.ConnectRequest
		field string
	}{
		{"no name", accounts.ConnectRequest{Type: ragkb.AccountAllegro}, "name"},
		{"long name", accounts.ConnectRequest{Name: strings.Repeat("x", 201), Type: ragkb.AccountAllegro}, "name"},
		{"no type", accounts.ConnectRequest{Name: "x"}, "type"},
		{"unknown type", accounts.ConnectRequest{Name: "x", Type: "ebay"}, "type"},
		{"allegro with url", accounts.ConnectRequest{Name: "x", Type: ragkb.AccountAllegro, URL: "https://api.allegro.pl"}, "url"},
		{"allegro with token", accounts.ConnectRequest{Name: "x", Type: ragkb.AccountAllegro, Token: "t"}, "token"},
		{"shopify no url", accounts.ConnectRequest{Name: "x", Type: ragkb.AccountShopify, Token: "t"}, "url"},
		{"shopify bad url", accounts.ConnectRequest{Name: "x", Type: ragkb.AccountShopify, URL: "ftp://shop", Token: "t"}, "url"},
		{"shopify no token", accounts.ConnectRequest{Name: "x", Type: ragkb.AccountShopify, URL: "https://shop.example"}, "token"},
		{"woocommerce no token", accounts.ConnectRequest{Name: "x", Type: ragkb.AccountWooCommerce, URL: "https://shop.example"}, "token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := u.svc.Connect(context.Background(), u.ten, tc.req)
			if ragkb.ErrorCodeOf(err) != ragkb.EINVALID || ragkb.ErrorField(err) != tc.field {
				t.Errorf("got %v (field %q), want invalid naming %q", err, ragkb.ErrorField(err), tc.field)
			}
		})
	}
	// Without the operator's Allegro application: 503 naming the configuration.
	svc, err := accounts.New(accounts.Config{Store: u.store})
	must(t, err)
	_, err = svc.Connect(context.Background(), u.ten, accounts.ConnectRequest{Name: "x", Type: ragkb.AccountAllegro})
	if ragkb.ErrorCodeOf(err) != ragkb.EUNAVAILABLE || !strings.Contains(ragkb.ErrorMessage(err), "RAGKB_ALLEGRO_CLIENT_ID") {
		t.Errorf("allegro not configured: %v, want unavailable naming RAGKB_ALLEGRO_CLIENT_ID", err)
	}
}

// TestConcurrentDevicePolls: two processes poll one confirmed code at the
// same moment; only one asks Allegro (a device code gives its tokens once),
// and the account ends connected.
func TestConcurrentDevicePolls(t *testing.T) {
	u := newUnit(t)
	a := u.connectAllegro(t)
	u.oauth.Confirm(a.UserCode)
	u.clk.Advance(5 * time.Second)
	svcs := []*accounts.Service{u.svc, u.service(t), u.service(t)}
	var wg sync.WaitGroup
	for _, svc := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := svc.Poll(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := u.oauth.Calls("poll"); n != 1 {
		t.Errorf("Allegro polled %d times, want 1", n)
	}
	if got := u.get(t, a.ID); got.Status != ragkb.AccountConnected || got.Secrets.RefreshToken == "" {
		t.Errorf("account %s (refresh token kept %v), want connected", got.Status, got.Secrets.RefreshToken != "")
	}
}

// TestConnectPrivateAddress: shop URLs go through the SSRF-safe fetcher.
func TestConnectPrivateAddress(t *testing.T) {
	u := newUnit(t)
	svc, err := accounts.New(accounts.Config{Store: u.store, Checkers: map[ragkb.AccountType]accounts.Checker{
		ragkb.AccountShopify: shopify.New(shopify.Config{Fetcher: connectors.NewFetcher(connectors.FetcherConfig{})}).Check}})
	must(t, err)
	_, err = svc.Connect(context.Background(), u.ten, accounts.ConnectRequest{Name: "x", Type: ragkb.AccountShopify, URL: "http://127.0.0.1:9/", Token: "shpat_x"})
	if ragkb.ErrorCodeOf(err) != ragkb.EINVALID || ragkb.ErrorField(err) != "url" {
		t.Errorf("loopback shop: %v (field %q), want invalid url", err, ragkb.ErrorField(err))
	}
	if as, _ := u.store.ListAccounts(context.Background(), ragkb.AccountFilter{TenantID: u.ten}); len(as) != 0 {
		t.Errorf("%d accounts stored for a refused address, want 0", len(as))
	}
}

func TestAccountsPerTenantLimit(t *testing.T) {
	u := newUnit(t)
	for range accounts.MaxPerTenant {
		u.connectAllegro(t)
	}
	_, err := u.svc.Connect(context.Background(), u.ten, accounts.ConnectRequest{Name: "one more", Type: ragkb.AccountAllegro})
	if ragkb.ErrorCodeOf(err) != ragkb.ECONFLICT {
		t.Errorf("account %d: %v, want conflict", accounts.MaxPerTenant+1, err)
	}
}
