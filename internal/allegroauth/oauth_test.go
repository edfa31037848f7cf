package allegroauth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestOAuthShapes replays Allegro's documented answers: the device answer
// carries its numbers as strings, the token answer as numbers, errors as
// {"error", "error_description"}.
func TestOAuthShapes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if r.Method != http.MethodPost || !ok || id != "cid" || secret != "csecret" ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("%s %s: want POST with Basic cid:csecret and a form", r.Method, r.URL.Path)
		}
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/auth/oauth/device" && r.PostForm.Get("client_id") == "cid":
			w.Write([]byte(`{"device_code":"645629715","expires_in":"3600","user_code":"cbt3zdu4g","interval":"5",
				"verification_uri":"https://allegro.pl/skojarz-aplikacje","verification_uri_complete":"https://allegro.pl/skojarz-aplikacje?code=cbt3zdu4g"}`))
		case r.URL.Path == "/auth/oauth/token" && r.PostForm.Get("grant_type") == DeviceCodeGrant && r.PostForm.Get("device_code") == "645629715":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"slow_down","error_description":"Slow down"}`))
		case r.URL.Path == "/auth/oauth/token" && r.PostForm.Get("grant_type") == "refresh_token" && r.PostForm.Get("refresh_token") == "good":
			w.Write([]byte(`{"access_token":"eyJ-new","token_type":"bearer","refresh_token":"eyJ-rotated","expires_in":43199,"scope":"allegro:api:sale:offers:read","allegro_api":true,"jti":"x"}`))
		case r.URL.Path == "/auth/oauth/token" && r.PostForm.Get("grant_type") == "refresh_token":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"invalid_grant","error_description":"Invalid refresh token: ` + r.PostForm.Get("refresh_token") + `"}`))
		default:
			t.Errorf("unexpected %s %v", r.URL.Path, r.PostForm)
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	o, err := NewOAuth(OAuthConfig{AuthURL: srv.URL, ClientID: "cid", ClientSecret: "csecret"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dc, err := o.StartDevice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if dc.DeviceCode != "645629715" || dc.UserCode != "cbt3zdu4g" || dc.Interval != 5*time.Second || dc.ExpiresIn != time.Hour ||
		!strings.HasSuffix(dc.VerificationURIComplete, "code=cbt3zdu4g") {
		t.Errorf("device code: %+v", dc)
	}
	if _, err := o.PollDevice(ctx, dc.DeviceCode); OAuthCode(err) != ErrSlowDown {
		t.Errorf("poll: %v, want slow_down", err)
	}
	tok, err := o.Refresh(ctx, "good")
	if err != nil || tok.AccessToken != "eyJ-new" || tok.RefreshToken != "eyJ-rotated" || tok.ExpiresIn != 43199*time.Second {
		t.Errorf("refresh: %+v %v", tok, err)
	}
	_, err = o.Refresh(ctx, "secret-refresh-value")
	if OAuthCode(err) != ErrInvalidGrant {
		t.Errorf("refused refresh: %v, want invalid_grant", err)
	}
	if strings.Contains(err.Error(), "secret-refresh-value") {
		t.Errorf("the error text %q shows the refresh token", err)
	}
}

func TestOAuthConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg   OAuthConfig
		field string
	}{
		{OAuthConfig{ClientID: "a", ClientSecret: "b"}, ""},
		{OAuthConfig{ClientSecret: "b"}, "ClientID"},
		{OAuthConfig{ClientID: "a"}, "ClientSecret"},
		{OAuthConfig{ClientID: "a", ClientSecret: "b", AuthURL: "allegro.pl"}, "AuthURL"},
	} {
		err := tc.cfg.Validate()
		if (tc.field == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.field)) {
			t.Errorf("%+v: %v, want field %q", tc.cfg, err, tc.field)
		}
	}
}
