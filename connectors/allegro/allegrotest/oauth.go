// Package allegrotest is a hand-written fake of Allegro's OAuth endpoints
// (device flow and token refresh), shaped like
// https://developer.allegro.pl/auth/#device-flow, for tests of code that
// connects Allegro accounts. It checks method, path, Basic credentials,
// content type and form fields like the real server, rotates refresh
// tokens on every use, and follows an injected clock so that tests never
// sleep.
package allegrotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Application credentials the fake accepts.
const (
	ClientID     = "ragkb-test-client"
	ClientSecret = "ragkb-test-client-secret"
)

// device is one device authorization.
type device struct {
	userCode  string
	state     string // pending, confirmed, denied, used
	expires   time.Time
	lastPoll  time.Time
	interval  time.Duration
	slowDowns int
}

// OAuth is the fake authorization server.
type OAuth struct {
	t   testing.TB
	Srv *httptest.Server
	now func() time.Time
	// Interval and CodeTTL are sent with each device code; AccessTTL is the
	// lifetime of access tokens (Allegro: 12 hours).
	Interval, CodeTTL, AccessTTL time.Duration
	// MinInterval, when longer than Interval, is the polling interval the
	// server enforces with slow_down (a client that keeps the announced
	// interval gets slow_down until it adds 5 s as RFC 8628 says).
	MinInterval time.Duration

	mu       sync.Mutex
	seq      int
	devices  map[string]*device   // device_code -> device
	access   map[string]time.Time // access token -> expiry
	refresh  map[string]bool      // refresh token -> valid
	calls    map[string]int       // "device", "poll", "refresh"
	revokeAt bool                 // refuse every refresh token
}

// NewOAuth starts a fake on a local port; now is the test's clock.
func NewOAuth(t testing.TB, now func() time.Time) *OAuth {
	f := &OAuth{t: t, now: now, Interval: 5 * time.Second, CodeTTL: time.Hour, AccessTTL: 12 * time.Hour,
		devices: map[string]*device{}, access: map[string]time.Time{}, refresh: map[string]bool{}, calls: map[string]int{}}
	f.Srv = httptest.NewServer(f)
	t.Cleanup(f.Srv.Close)
	return f
}

// URL is the base to configure as RAGKB_ALLEGRO_AUTH_URL.
func (f *OAuth) URL() string { return f.Srv.URL }

func (f *OAuth) oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// ServeHTTP implements the two endpoints.
func (f *OAuth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		f.t.Errorf("allegro oauth: %s %s, want POST", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if id, secret, ok := r.BasicAuth(); !ok || id != ClientID || secret != ClientSecret {
		f.oauthError(w, http.StatusUnauthorized, "invalid_client", "Bad client credentials")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		f.t.Errorf("allegro oauth: Content-Type %q, want application/x-www-form-urlencoded", ct)
	}
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("allegro oauth: form: %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	switch r.URL.Path {
	case "/auth/oauth/device":
		f.calls["device"]++
		if r.PostForm.Get("client_id") != ClientID {
			f.t.Errorf("device: client_id %q, want %q", r.PostForm.Get("client_id"), ClientID)
		}
		f.seq++
		code, user := fmt.Sprintf("device-code-%d", f.seq), fmt.Sprintf("cbt%dzdu", f.seq)
		f.devices[code] = &device{userCode: user, state: "pending", expires: now.Add(f.CodeTTL), interval: max(f.Interval, f.MinInterval)}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		// Allegro sends the numbers as strings.
		json.NewEncoder(w).Encode(map[string]string{
			"device_code": code, "user_code": user,
			"expires_in": strconv.Itoa(int(f.CodeTTL.Seconds())), "interval": strconv.Itoa(int(f.Interval.Seconds())),
			"verification_uri":          "https://allegro.pl/skojarz-aplikacje",
			"verification_uri_complete": "https://allegro.pl/skojarz-aplikacje?code=" + user,
		})
	case "/auth/oauth/token":
		switch g := r.PostForm.Get("grant_type"); g {
		case "urn:ietf:params:oauth:grant-type:device_code":
			f.calls["poll"]++
			f.pollDevice(w, r.PostForm.Get("device_code"), now)
		case "refresh_token":
			f.calls["refresh"]++
			rt := r.PostForm.Get("refresh_token")
			if !f.refresh[rt] || f.revokeAt {
				f.oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid refresh token: "+rt)
				return
			}
			delete(f.refresh, rt) // rotated: a refresh token works once
			f.issue(w, now)
		default:
			f.oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+g)
		}
	default:
		http.NotFound(w, r)
	}
}

func (f *OAuth) pollDevice(w http.ResponseWriter, code string, now time.Time) {
	d := f.devices[code]
	switch {
	case d == nil:
		f.oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid device code")
		return
	case !now.Before(d.expires):
		f.oauthError(w, http.StatusBadRequest, "expired_token", "The device code has expired")
		return
	case !d.lastPoll.IsZero() && now.Sub(d.lastPoll) < d.interval:
		d.lastPoll = now
		d.slowDowns++
		f.oauthError(w, http.StatusBadRequest, "slow_down", "Slow down")
		return
	}
	d.lastPoll = now
	switch d.state {
	case "pending":
		f.oauthError(w, http.StatusBadRequest, "authorization_pending", "Authorization pending")
	case "denied":
		f.oauthError(w, http.StatusBadRequest, "access_denied", "Access denied")
	case "used":
		f.oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid device code")
	case "confirmed":
		d.state = "used"
		f.issue(w, now)
	}
}

func (f *OAuth) issue(w http.ResponseWriter, now time.Time) {
	f.seq++
	at, rt := fmt.Sprintf("access-token-%d", f.seq), fmt.Sprintf("refresh-token-%d", f.seq)
	f.access[at] = now.Add(f.AccessTTL)
	f.refresh[rt] = true
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	json.NewEncoder(w).Encode(map[string]any{
		"access_token": at, "token_type": "bearer", "refresh_token": rt,
		"expires_in": int(f.AccessTTL.Seconds()) - 1, "scope": "allegro:api:sale:offers:read allegro:api:orders:read",
		"allegro_api": true, "jti": fmt.Sprintf("jti-%d", f.seq),
	})
}

func (f *OAuth) byUserCode(user string) *device {
	for _, d := range f.devices {
		if d.userCode == user {
			return d
		}
	}
	f.t.Fatalf("allegro oauth: no device with user code %q", user)
	return nil
}

// Confirm is the merchant confirming the user code on allegro.pl.
func (f *OAuth) Confirm(userCode string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byUserCode(userCode).state = "confirmed"
}

// Deny is the merchant refusing access.
func (f *OAuth) Deny(userCode string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byUserCode(userCode).state = "denied"
}

// ExpireCodes ends every device code at once (Allegro answers expired_token).
func (f *OAuth) ExpireCodes() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range f.devices {
		d.expires = f.now()
	}
}

// RevokeAll makes every refresh token invalid (the merchant unlinked the
// application, or three months passed).
func (f *OAuth) RevokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revokeAt = true
}

// ExpireAccessTokens makes every issued access token invalid before its
// announced expiry (Allegro answers 401 to them), as after a password change.
func (f *OAuth) ExpireAccessTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.access)
}

// Authorized reports whether token is a valid, unexpired access token (for
// a fake of the Allegro API, which answers 401 otherwise).
func (f *OAuth) Authorized(token string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	exp, ok := f.access[token]
	return ok && f.now().Before(exp)
}

// Calls returns how many requests of a kind ("device", "poll", "refresh") came.
func (f *OAuth) Calls(kind string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[kind]
}

// SlowDowns returns how many slow_down answers the device with userCode got.
func (f *OAuth) SlowDowns(userCode string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.byUserCode(userCode).slowDowns
}

// Unauthorized writes the Allegro API's answer to an expired or unknown
// access token.
func Unauthorized(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	fmt.Fprint(w, `{"error":"invalid_token","error_description":"Access token expired"}`)
}
