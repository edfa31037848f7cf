package orders

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// allegroMediaType is Allegro's public API media type.
const allegroMediaType = "application/vnd.allegro.public.v1+json"

type allegroForm struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Buyer  struct {
		Email       string `json:"email"`
		Login       string `json:"login"`
		PhoneNumber string `json:"phoneNumber"`
		Address     *struct {
			PostCode string `json:"postCode"`
		} `json:"address"`
	} `json:"buyer"`
	Fulfillment *struct {
		Status string `json:"status"`
	} `json:"fulfillment"`
	Delivery *struct {
		Address *struct {
			ZipCode     string `json:"zipCode"`
			PhoneNumber string `json:"phoneNumber"`
		} `json:"address"`
	} `json:"delivery"`
}

type allegroShipments struct {
	Shipments []struct {
		Waybill     string `json:"waybill"`
		CarrierID   string `json:"carrierId"`
		CarrierName string `json:"carrierName"`
		CreatedAt   string `json:"createdAt"`
	} `json:"shipments"`
}

func (c *Client) allegroGet(ctx context.Context, o *ragkb.OrdersSpec, path string, v any) error {
	resp, err := c.f.Fetch(ctx, connectors.Request{URL: c.allegro + path, Accept: allegroMediaType, API: true,
		Headers: http.Header{"Authorization": {"Bearer " + strings.TrimSpace(o.Token)}}})
	if connectors.StatusOf(err) == http.StatusNotFound {
		return ErrNotFound
	}
	if err != nil {
		return authError(err, "Allegro", "the allegro:api:orders:read scope (reconnect the account)")
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: err, Message: "Allegro sent an answer ragkb could not read"}
	}
	return nil
}

func (c *Client) allegroCheck(ctx context.Context, o *ragkb.OrdersSpec) error {
	var v struct {
		CheckoutForms []json.RawMessage `json:"checkoutForms"`
	}
	err := c.allegroGet(ctx, o, "/order/checkout-forms?limit=1", &v)
	if err == ErrNotFound {
		return ragkb.Errorf(ragkb.EUNAVAILABLE, "the Allegro order API was not found (404)")
	}
	return err
}

func (c *Client) allegroOrder(ctx context.Context, o *ragkb.OrdersSpec, number string) (*Order, error) {
	id := url.PathEscape(strings.ToLower(number))
	var f allegroForm
	if err := c.allegroGet(ctx, o, "/order/checkout-forms/"+id, &f); err != nil {
		return nil, err
	}
	var sh allegroShipments
	if err := c.allegroGet(ctx, o, "/order/checkout-forms/"+id+"/shipments", &sh); err != nil && err != ErrNotFound {
		return nil, err
	}
	ord := &Order{Number: number, ProviderStatus: f.Status,
		Emails: nonEmpty(f.Buyer.Email), Phones: nonEmpty(f.Buyer.PhoneNumber)}
	if a := f.Buyer.Address; a != nil {
		ord.Postcodes = nonEmpty(a.PostCode)
	}
	if d := f.Delivery; d != nil && d.Address != nil {
		ord.Postcodes = append(ord.Postcodes, nonEmpty(d.Address.ZipCode)...)
		ord.Phones = append(ord.Phones, nonEmpty(d.Address.PhoneNumber)...)
	}
	if n := len(sh.Shipments); n > 0 {
		s := sh.Shipments[n-1]
		ord.Carrier = cmpOr(s.CarrierName, carrierNames[s.CarrierID], s.CarrierID)
		ord.TrackingNumber = s.Waybill
		ord.TrackingURL = trackingURL(s.CarrierID, s.Waybill)
	}
	fs := ""
	if f.Fulfillment != nil {
		fs = f.Fulfillment.Status
		ord.ProviderStatus += "/" + fs
	}
	switch {
	case f.Status == "CANCELLED" || fs == "CANCELLED":
		ord.Status = StatusCancelled
	case fs == "PICKED_UP":
		ord.Status = StatusDelivered
	case fs == "SENT":
		ord.Status = StatusShipped
	case fs == "PROCESSING" || fs == "READY_FOR_SHIPMENT" || fs == "READY_FOR_PICKUP":
		ord.Status = StatusProcessing
	case fs == "SUSPENDED" || fs == "RETURNED":
		ord.Status = "" // a person explains
	case f.Status == "READY_FOR_PROCESSING":
		ord.Status = StatusPaid
	case f.Status == "BOUGHT" || f.Status == "FILLED_IN":
		ord.Status = StatusPending
	}
	return ord, nil
}

func cmpOr(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// carrierNames are display names of Allegro carrier ids.
var carrierNames = map[string]string{
	"INPOST": "InPost", "DPD": "DPD", "DHL": "DHL", "UPS": "UPS", "GLS": "GLS", "FEDEX": "FedEx",
	"POCZTA_POLSKA": "Poczta Polska", "ALLEGRO": "Allegro One", "ORLEN": "ORLEN Paczka",
}

// trackingPages are public tracking pages of common carriers, by carrier id
// or name (upper case); the number is appended.
var trackingPages = map[string]string{
	"INPOST":        "https://inpost.pl/sledzenie-przesylek?number=",
	"DPD":           "https://tracktrace.dpd.com.pl/parcelDetails?typ=1&p1=",
	"DHL":           "https://www.dhl.com/global-en/home/tracking.html?tracking-id=",
	"UPS":           "https://www.ups.com/track?tracknum=",
	"GLS":           "https://gls-group.com/track/",
	"FEDEX":         "https://www.fedex.com/fedextrack/?trknbr=",
	"POCZTA_POLSKA": "https://emonitoring.poczta-polska.pl/?numer=",
	"ALLEGRO":       "https://allegro.pl/allegrodelivery/sledzenie-paczki?numer=",
}

// trackingURL is the carrier's public tracking page for number, or "".
func trackingURL(carrier, number string) string {
	if number == "" {
		return ""
	}
	key := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(carrier), " ", "_"))
	if p, ok := trackingPages[key]; ok {
		return p + url.QueryEscape(number)
	}
	return ""
}
