package orders

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// wooOrder is the part of a WooCommerce REST v3 order that is used.
type wooOrder struct {
	ID      int    `json:"id"`
	Number  string `json:"number"`
	Status  string `json:"status"`
	Billing struct {
		Email    string `json:"email"`
		Phone    string `json:"phone"`
		Postcode string `json:"postcode"`
	} `json:"billing"`
	Shipping struct {
		Postcode string `json:"postcode"`
		Phone    string `json:"phone"`
	} `json:"shipping"`
	MetaData []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	} `json:"meta_data"`
}

// wooTracking is one item of the WooCommerce Shipment Tracking extension's
// _wc_shipment_tracking_items meta.
type wooTracking struct {
	TrackingProvider       string `json:"tracking_provider"`
	CustomTrackingProvider string `json:"custom_tracking_provider"`
	CustomTrackingLink     string `json:"custom_tracking_link"`
	TrackingNumber         string `json:"tracking_number"`
}

func (c *Client) wooGet(ctx context.Context, o *ragkb.OrdersSpec, path string) (*connectors.Response, error) {
	tok := strings.TrimSpace(o.Token)
	hdr := http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(tok))}}
	resp, err := c.f.Fetch(ctx, connectors.Request{URL: strings.TrimRight(strings.TrimSpace(o.URL), "/") + path, Accept: "application/json", Headers: hdr, API: true})
	if connectors.StatusOf(err) == http.StatusNotFound {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, authError(err, "WooCommerce", "Read access to orders")
	}
	return resp, nil
}

func (c *Client) wooCheck(ctx context.Context, o *ragkb.OrdersSpec) error {
	_, err := c.wooGet(ctx, o, "/wp-json/wc/v3/orders?per_page=1&_fields=id")
	if err == ErrNotFound {
		return ragkb.Errorf(ragkb.EINVALID, "no WooCommerce REST API at this address (404): check the shop URL and that permalinks are enabled")
	}
	return err
}

func (c *Client) wooOrder(ctx context.Context, o *ragkb.OrdersSpec, number string) (*Order, error) {
	resp, err := c.wooGet(ctx, o, "/wp-json/wc/v3/orders/"+url.PathEscape(number))
	if err != nil {
		return nil, err
	}
	var w wooOrder
	if err := json.Unmarshal(resp.Body, &w); err != nil {
		return nil, &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: err, Message: "WooCommerce sent an order ragkb could not read"}
	}
	if w.Status == "trash" || w.Status == "checkout-draft" {
		return nil, ErrNotFound
	}
	ord := &Order{Number: number, ProviderStatus: w.Status,
		Emails: nonEmpty(w.Billing.Email), Phones: nonEmpty(w.Billing.Phone, w.Shipping.Phone),
		Postcodes: nonEmpty(w.Billing.Postcode, w.Shipping.Postcode)}
	for _, m := range w.MetaData {
		if m.Key != "_wc_shipment_tracking_items" {
			continue
		}
		var items []wooTracking
		if json.Unmarshal(m.Value, &items) == nil && len(items) > 0 {
			t := items[len(items)-1] // the latest shipment
			ord.Carrier = strings.TrimSpace(t.CustomTrackingProvider)
			if ord.Carrier == "" {
				ord.Carrier = t.TrackingProvider
			}
			ord.TrackingNumber, ord.TrackingURL = t.TrackingNumber, t.CustomTrackingLink
			if ord.TrackingURL == "" {
				ord.TrackingURL = trackingURL(ord.Carrier, t.TrackingNumber)
			}
		}
	}
	switch w.Status {
	case "pending":
		ord.Status = StatusPending
	case "processing":
		ord.Status = StatusProcessing
	case "completed":
		ord.Status = StatusShipped
	case "cancelled":
		ord.Status = StatusCancelled
	case "refunded":
		ord.Status = StatusRefunded
	}
	return ord, nil
}
