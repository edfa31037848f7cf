// Package allegroauth is the client of Allegro's OAuth authorization
// server for the operator's registered application: the device flow
// (https://developer.allegro.pl/auth/#device-flow) a merchant connects an
// account through, and token refresh. It is shared by accounts (which keeps
// the tokens) and wired in app; the Allegro connectors only receive tokens.
package allegroauth

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
)

// OAuth hosts (RAGKB_ALLEGRO_AUTH_URL).
const (
	ProductionAuth = "https://allegro.pl"
	SandboxAuth    = "https://allegro.pl.allegrosandbox.pl"
)

// DeviceCodeGrant is the grant_type of device-flow token requests.
const DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code"

// OAuthConfig configures the client of Allegro's OAuth endpoints for the
// operator's registered application.
type OAuthConfig struct {
	// AuthURL is the base of /auth/oauth/device and /auth/oauth/token
	// (default ProductionAuth). It is operator configuration, never a
	// merchant's input, so it is called without the SSRF guard.
	AuthURL      string
	ClientID     string
	ClientSecret string
	// Client makes the calls (default: a client with a 30 s timeout).
	Client *http.Client
	// UserAgent identifies ragkb (default "ragkb").
	UserAgent string
}

// Validate names the first bad field.
func (c OAuthConfig) Validate() error {
	if strings.TrimSpace(c.ClientID) == "" {
		return ragkb.Invalid("ClientID", "the Allegro application's client id is required (RAGKB_ALLEGRO_CLIENT_ID)")
	}
	if strings.TrimSpace(c.ClientSecret) == "" {
		return ragkb.Invalid("ClientSecret", "the Allegro application's client secret is required (RAGKB_ALLEGRO_CLIENT_SECRET)")
	}
	if c.AuthURL != "" {
		u, err := url.Parse(c.AuthURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return ragkb.Invalid("AuthURL", "must be an http(s) base URL such as %s", ProductionAuth)
		}
	}
	return nil
}

// OAuth talks to Allegro's authorization server: the device flow
// (https://developer.allegro.pl/auth/#device-flow) and token refresh.
type OAuth struct {
	base, id, secret, ua string
	hc                   *http.Client
}

// NewOAuth returns an OAuth client.
func NewOAuth(cfg OAuthConfig) (*OAuth, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	hc := cfg.Client
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &OAuth{base: strings.TrimRight(cmp.Or(cfg.AuthURL, ProductionAuth), "/"), id: cfg.ClientID,
		secret: cfg.ClientSecret, ua: cmp.Or(cfg.UserAgent, "ragkb"), hc: hc}, nil
}

// DeviceCode is Allegro's answer to a device authorization request.
type DeviceCode struct {
	DeviceCode              string
	UserCode                string
	VerificationURI         string
	VerificationURIComplete string
	// Interval is how long to wait between token requests.
	Interval time.Duration
	// ExpiresIn is how long the codes are valid.
	ExpiresIn time.Duration
}

// Token is an issued access token with the (rotated) refresh token.
type Token struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration
}

// OAuthError is an error answer of the authorization server
// ({"error": "...", "error_description": "..."}).
type OAuthError struct {
	Status      int
	Code        string
	Description string
}

func (e *OAuthError) Error() string {
	return fmt.Sprintf("allegro oauth: %d %s", e.Status, e.Code)
}

// Device-flow and refresh error codes (RFC 8628 section 3.5, RFC 6749 section 5.2).
const (
	ErrAuthorizationPending = "authorization_pending"
	ErrSlowDown             = "slow_down"
	ErrAccessDenied         = "access_denied"
	ErrExpiredToken         = "expired_token"
	ErrInvalidGrant         = "invalid_grant"
	ErrInvalidClient        = "invalid_client"
)

// OAuthCode returns the OAuth error code of err ("" if err is not an
// answer of the authorization server).
func OAuthCode(err error) string {
	var oe *OAuthError
	if errors.As(err, &oe) {
		return oe.Code
	}
	return ""
}

// flexSeconds reads a number of seconds given as a JSON number or, as in
// Allegro's device answer, a string ("3600").
type flexSeconds time.Duration

func (f *flexSeconds) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return nil
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number of seconds: %s", b)
	}
	*f = flexSeconds(time.Duration(n * float64(time.Second)))
	return nil
}

// StartDevice asks for a device code and a user code for the merchant.
func (o *OAuth) StartDevice(ctx context.Context) (*DeviceCode, error) {
	var out struct {
		DeviceCode              string      `json:"device_code"`
		UserCode                string      `json:"user_code"`
		VerificationURI         string      `json:"verification_uri"`
		VerificationURIComplete string      `json:"verification_uri_complete"`
		Interval                flexSeconds `json:"interval"`
		ExpiresIn               flexSeconds `json:"expires_in"`
	}
	if err := o.post(ctx, "/auth/oauth/device", url.Values{"client_id": {o.id}}, &out); err != nil {
		return nil, fmt.Errorf("allegro: device code: %w", err)
	}
	if out.DeviceCode == "" || out.UserCode == "" || out.VerificationURI == "" {
		return nil, &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "Allegro sent an incomplete device code answer; try again later"}
	}
	return &DeviceCode{DeviceCode: out.DeviceCode, UserCode: out.UserCode, VerificationURI: out.VerificationURI,
		VerificationURIComplete: out.VerificationURIComplete,
		Interval:                cmp.Or(time.Duration(out.Interval), 5*time.Second),
		ExpiresIn:               cmp.Or(time.Duration(out.ExpiresIn), time.Hour)}, nil
}

// PollDevice asks once for the tokens of a device code. Until the merchant
// confirms, the error's OAuthCode is ErrAuthorizationPending (or
// ErrSlowDown: poll less often); ErrAccessDenied and ErrExpiredToken (or
// ErrInvalidGrant) end the flow.
func (o *OAuth) PollDevice(ctx context.Context, deviceCode string) (*Token, error) {
	return o.token(ctx, url.Values{"grant_type": {DeviceCodeGrant}, "device_code": {deviceCode}})
}

// Refresh exchanges a refresh token for a new access token and a new
// (rotated) refresh token. A refused refresh token is ErrInvalidGrant.
func (o *OAuth) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	return o.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}})
}

func (o *OAuth) token(ctx context.Context, form url.Values) (*Token, error) {
	var out struct {
		AccessToken  string      `json:"access_token"`
		RefreshToken string      `json:"refresh_token"`
		ExpiresIn    flexSeconds `json:"expires_in"`
	}
	if err := o.post(ctx, "/auth/oauth/token", form, &out); err != nil {
		return nil, fmt.Errorf("allegro: token (%s): %w", form.Get("grant_type"), err)
	}
	if out.AccessToken == "" {
		return nil, &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "Allegro sent a token answer without an access token"}
	}
	return &Token{AccessToken: out.AccessToken, RefreshToken: out.RefreshToken,
		ExpiresIn: cmp.Or(time.Duration(out.ExpiresIn), 12*time.Hour)}, nil
}

// post sends form with the application's Basic credentials and decodes the
// JSON answer; an error answer is an *OAuthError. Nothing of the request or
// the answer (both carry secrets) goes into the error.
func (o *OAuth) post(ctx context.Context, path string, form url.Values, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.SetBasicAuth(o.id, o.secret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", o.ua)
	resp, err := o.hc.Do(req)
	if err != nil {
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "Allegro's authorization server could not be reached; it will be tried again",
			Err: errors.New(strings.ReplaceAll(err.Error(), form.Encode(), "…"))}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "Allegro's authorization server answer was cut off", Err: err}
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		_ = json.Unmarshal(body, &e)
		if e.Error == "" && resp.StatusCode/100 == 5 {
			return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: fmt.Sprintf("Allegro's authorization server answered %d; it will be tried again", resp.StatusCode),
				Err: &OAuthError{Status: resp.StatusCode}}
		}
		return &OAuthError{Status: resp.StatusCode, Code: cmp.Or(e.Error, "http_"+strconv.Itoa(resp.StatusCode)), Description: e.Description}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "Allegro's authorization server sent an answer ragkb could not read", Err: err}
	}
	return nil
}
