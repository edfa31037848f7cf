package woocommerce

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// TestCheck is the test call of a connected WooCommerce account: REST API
// v3 with Basic ck:cs over HTTPS.
func TestCheck(t *testing.T) {
	const key = "ck_0123:cs_4567"
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/wp-json/wc/v3/data/currencies/current" {
			t.Errorf("%s %s: want GET /wp-json/wc/v3/data/currencies/current", r.Method, r.URL.Path)
		}
		if r.Header.Get("Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte(key)) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"code":"woocommerce_rest_authentication_error","message":"Invalid signature - provided signature does not match.","data":{"status":401}}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"code":"PLN","name":"Polish z&#322;oty","symbol":"&#122;&#322;"}`))
	}))
	defer srv.Close()
	tlsCfg := srv.Client().Transport.(*http.Transport).TLSClientConfig
	c := New(Config{Fetcher: connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, TLSClientConfig: tlsCfg})})
	ctx := context.Background()
	if err := c.Check(ctx, srv.URL, key); err != nil {
		t.Errorf("good key: %v", err)
	}
	err := c.Check(ctx, srv.URL, "ck_0123:cs_wrong")
	if ragkb.ErrorCodeOf(err) != ragkb.EUNAUTHORIZED || strings.Contains(ragkb.ErrorMessage(err), "cs_wrong") {
		t.Errorf("wrong key: %v, want unauthorized without the key in the message", err)
	}
	if err := c.Check(ctx, strings.Replace(srv.URL, "https://", "http://", 1), key); ragkb.ErrorField(err) != "url" {
		t.Errorf("http URL: %v, want invalid url (the key would travel unencrypted)", err)
	}
	if err := c.Check(ctx, srv.URL, "no-colon"); ragkb.ErrorField(err) != "token" {
		t.Errorf("malformed key: %v, want invalid token", err)
	}
}
