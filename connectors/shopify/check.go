package shopify

import (
	"context"
	"net/http"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// Check makes the test call of a connected Shopify account: the Admin API's
// shop.json with the access token. The error says what the merchant must fix.
func (c *Connector) Check(ctx context.Context, storeURL, token string) error {
	if c.f == nil {
		return ragkb.Errorf(ragkb.EUNAVAILABLE, "Fetching offers is not configured on this server")
	}
	u, err := connectors.ParseURL(storeURL)
	if err != nil {
		return ragkb.Invalid("url", "%s", ragkb.ErrorMessage(err))
	}
	if strings.TrimSpace(token) == "" {
		return ragkb.Invalid("token", "is required: the Admin API access token (shpat_...) with the read_products scope")
	}
	base := u.Scheme + "://" + u.Host
	_, err = c.f.Fetch(ctx, connectors.Request{URL: base + "/admin/api/" + c.apiVersion + "/shop.json", Accept: "application/json",
		Headers: http.Header{"X-Shopify-Access-Token": {strings.TrimSpace(token)}}, API: true})
	switch connectors.StatusOf(err) {
	case 0:
		return err
	case http.StatusUnauthorized:
		return &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Err: err, Message: "Shopify rejected the access token (401): create a new Admin API token"}
	case http.StatusForbidden:
		return &ragkb.Error{Code: ragkb.EFORBIDDEN, Err: err, Message: "Shopify denied access (403): the token needs the read_products scope"}
	case http.StatusNotFound:
		return notShopify(base, err)
	}
	return err
}
