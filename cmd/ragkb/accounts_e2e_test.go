package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors/allegro"
	"github.com/ragkb/ragkb/connectors/allegro/allegrotest"
)

// fakeAllegroAccountAPI serves the offer fixtures to access tokens the fake
// OAuth server issued (401 otherwise), like the Allegro REST API.
func fakeAllegroAccountAPI(t *testing.T, oauth *allegrotest.OAuth) *fakeSite {
	f := newFakeSite(t)
	serve := func(name string) http.HandlerFunc {
		b := readFixture(t, "offers/allegro/"+name)
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Accept") != allegro.MediaType {
				w.WriteHeader(http.StatusNotAcceptable)
				return
			}
			if tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); !oauth.Authorized(tok) {
				allegrotest.Unauthorized(w)
				return
			}
			w.Header().Set("Content-Type", allegro.MediaType)
			w.Write(b)
		}
	}
	f.route("/sale/offers", serve("offers_page1.json"))
	f.route("/sale/product-offers/14243255670", serve("product-offer-14243255670.json"))
	f.route("/sale/product-offers/14243255671", serve("product-offer-14243255671.json"))
	return f
}

// TestAllegroAccountWiring runs the configured service (RAGKB_ALLEGRO_*,
// generated secret key) with its accounts service polling in real time: a
// merchant connects Allegro, confirms the code, and an offers resource that
// names the account is indexed with the account's token.
func TestAllegroAccountWiring(t *testing.T) {
	oauth := allegrotest.NewOAuth(t, time.Now)
	oauth.Interval = time.Second
	api := fakeAllegroAccountAPI(t, oauth)
	dir := t.TempDir()
	s := startService(t, dir, map[string]string{
		"RAGKB_ALLEGRO_AUTH_URL": oauth.URL(), "RAGKB_ALLEGRO_API_URL": api.srv.URL,
		"RAGKB_ALLEGRO_CLIENT_ID": allegrotest.ClientID, "RAGKB_ALLEGRO_CLIENT_SECRET": allegrotest.ClientSecret,
	})
	ctx, cancel := context.WithCancel(context.Background())
	svc := s.app.Accounts
	svc.Start(ctx)
	t.Cleanup(func() { cancel(); svc.Stop() })
	_, merchant, chatbot := s.tenantWithKeys("Allegro shop")

	var acc struct {
		ID       string `json:"id"`
		Status   string `json:"status"`
		UserCode string `json:"user_code"`
	}
	if code := s.call("POST", "/v1/accounts", merchant, map[string]string{"name": "Allegro", "type": "allegro"}, &acc); code != http.StatusCreated || acc.Status != "pending" {
		t.Fatalf("POST /v1/accounts: %d %+v, want 201 pending", code, acc)
	}
	if code := s.call("POST", "/v1/accounts", chatbot, map[string]string{"name": "Allegro", "type": "allegro"}, nil); code != http.StatusForbidden {
		t.Errorf("chatbot key: %d, want 403", code)
	}
	oauth.Confirm(acc.UserCode)
	// The real service polls Allegro on its own; watch it like a merchant would.
	deadline, tick := time.Now().Add(15*time.Second), time.NewTicker(100*time.Millisecond)
	defer tick.Stop()
	for acc.Status == "pending" && time.Now().Before(deadline) {
		<-tick.C
		s.call("GET", "/v1/accounts/"+acc.ID, merchant, nil, &acc)
	}
	if acc.Status != "connected" {
		t.Fatalf("account %s after confirmation, want connected", acc.Status)
	}
	r := s.createResource(merchant, map[string]any{"name": "Allegro offers", "type": "offers", "language": "pl",
		"offers": map[string]any{"source": "allegro", "account_id": acc.ID}})
	if got := s.waitStatus(merchant, r.ID, 20*time.Second); got.Status != ragkb.StatusSuccess || got.Documents != 2 {
		t.Fatalf("offers by account: %s (%s) with %d documents, want success with 2", got.Status, got.Error, got.Documents)
	}
	cancel()
	svc.Stop()
	s.stop()
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); err != nil {
		t.Errorf("no generated secret key: %v", err)
	}
	db, _ := os.ReadFile(filepath.Join(dir, "ragkb.db"))
	if len(db) == 0 || strings.Contains(string(db), "access-token-") || strings.Contains(string(db), "refresh-token-") {
		t.Errorf("the database file (%d bytes) shows a token", len(db))
	}
}
