package woocommerce

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// Check makes the test call of a connected WooCommerce account: the REST
// API v3 current currency, with the consumer key and secret. The error says
// what the merchant must fix.
func (c *Connector) Check(ctx context.Context, storeURL, token string) error {
	if c.f == nil {
		return ragkb.Errorf(ragkb.EUNAVAILABLE, "Fetching offers is not configured on this server")
	}
	u, err := connectors.ParseURL(storeURL)
	if err != nil {
		return ragkb.Invalid("url", "%s", ragkb.ErrorMessage(err))
	}
	key, secret, ok := strings.Cut(strings.TrimSpace(token), ":")
	if !ok || key == "" || secret == "" {
		return ragkb.Invalid("token", "must be the REST API key as consumer_key:consumer_secret (ck_...:cs_...)")
	}
	base := strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/")
	if !strings.HasPrefix(base, "https://") {
		return ragkb.Invalid("url", "must start with https:// (the API key would travel unencrypted)")
	}
	_, err = c.f.Fetch(ctx, connectors.Request{URL: base + "/wp-json/wc/v3/data/currencies/current", Accept: "application/json",
		Headers: http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))}}, API: true})
	switch connectors.StatusOf(err) {
	case 0:
		return err
	case http.StatusUnauthorized, http.StatusForbidden:
		return &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Err: err, Message: "WooCommerce rejected the API key: create a REST API key with Read access"}
	case http.StatusNotFound:
		return notWoo(base, err)
	}
	return err
}
