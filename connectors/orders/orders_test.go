package orders

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// shopifyNode is an Admin GraphQL order node as the API returns it.
func shopifyNode(fulfillment, financial, cancelled, fulfillments string) string {
	return `{"data":{"orders":{"nodes":[{"name":"#1001","email":"a@example.com","phone":null,"cancelledAt":` + cancelled +
		`,"displayFinancialStatus":"` + financial + `","displayFulfillmentStatus":"` + fulfillment +
		`","shippingAddress":{"zip":"10115","phone":"+49 30 1234567"},"fulfillments":` + fulfillments + `}]}}}`
}

func fakeShopify(t *testing.T, body *string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/admin/api/2025-01/graphql.json" || r.Header.Get("X-Shopify-Access-Token") != "tok" {
			t.Errorf("%s %s token %q", r.Method, r.URL.Path, r.Header.Get("X-Shopify-Access-Token"))
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, *body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newTestClient() *Client {
	return New(Config{Fetcher: connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true})})
}

func TestShopifyStatuses(t *testing.T) {
	var body string
	srv := fakeShopify(t, &body)
	c := newTestClient()
	r := &ragkb.Resource{Type: ragkb.TypeOrders, Orders: &ragkb.OrdersSpec{Source: ragkb.SourceShopify, URL: srv.URL, Token: "tok"}}
	tracked := `[{"displayStatus":"IN_TRANSIT","deliveredAt":null,"estimatedDeliveryAt":"2026-12-04T12:00:00Z","trackingInfo":[{"company":"DHL Express","number":"JD014600006281230704","url":"https://www.dhl.com/x"}]}]`
	for _, tc := range []struct{ body, want string }{
		{shopifyNode("UNFULFILLED", "PENDING", "null", "[]"), StatusPending},
		{shopifyNode("UNFULFILLED", "PAID", "null", "[]"), StatusPaid},
		{shopifyNode("IN_PROGRESS", "PAID", "null", "[]"), StatusProcessing},
		{shopifyNode("FULFILLED", "PAID", "null", tracked), StatusShipped},
		{shopifyNode("FULFILLED", "PAID", "null", `[{"displayStatus":"DELIVERED","deliveredAt":"2026-12-03T10:00:00Z","estimatedDeliveryAt":null,"trackingInfo":[]}]`), StatusDelivered},
		{shopifyNode("UNFULFILLED", "REFUNDED", "null", "[]"), StatusRefunded},
		{shopifyNode("UNFULFILLED", "VOIDED", `"2026-12-01T10:00:00Z"`, "[]"), StatusCancelled},
		{shopifyNode("ON_HOLD", "PAID", "null", "[]"), ""},
	} {
		body = tc.body
		o, err := c.Lookup(context.Background(), r, "#1001")
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != tc.want {
			t.Errorf("%s: status %q, want %q", o.ProviderStatus, o.Status, tc.want)
		}
		if tc.want == StatusShipped && (o.Carrier != "DHL Express" || o.TrackingNumber != "JD014600006281230704" || o.EstimatedDelivery != "2026-12-04") {
			t.Errorf("shipped: %+v", o)
		}
		if !slices.Equal(o.Postcodes, []string{"10115"}) || len(o.Phones) != 1 {
			t.Errorf("facts: %+v", o)
		}
	}
	// A prefix match (#10010 for 1001) is not the order.
	body = strings.Replace(shopifyNode("UNFULFILLED", "PAID", "null", "[]"), "#1001", "#10010", 1)
	if _, err := c.Lookup(context.Background(), r, "1001"); !errors.Is(err, ErrNotFound) {
		t.Errorf("prefix match: err %v, want ErrNotFound", err)
	}
	body = `{"errors":[{"message":"Access denied for orders field.","extensions":{"code":"ACCESS_DENIED"}}]}`
	if err := c.Check(context.Background(), r); ragkb.ErrorCodeOf(err) != ragkb.EFORBIDDEN || !strings.Contains(ragkb.ErrorMessage(err), "read_orders") {
		t.Errorf("access denied: %v", err)
	}
}

func TestValidate(t *testing.T) {
	ok := []*ragkb.OrdersSpec{
		{Source: "shopify", URL: "https://shop.myshopify.com", Token: "shpat_x"},
		{Source: "woocommerce", URL: "https://shop.example", Token: "ck_a:cs_b", Templates: map[string]map[string]string{"shipped": {"pl": "Wysłane: {tracking_url}"}}},
		{Source: "allegro", Token: "tok"},
	}
	for _, o := range ok {
		if err := Validate(o); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

// BenchmarkLookup measures one Shopify order lookup against a local fake
// (HTTP round trip, GraphQL decode, status mapping), uncached.
func BenchmarkLookup(b *testing.B) {
	body := shopifyNode("FULFILLED", "PAID", "null", `[{"displayStatus":"IN_TRANSIT","deliveredAt":null,"estimatedDeliveryAt":null,"trackingInfo":[{"company":"UPS","number":"1Z","url":"https://ups.example/1Z"}]}]`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	defer srv.Close()
	c := newTestClient()
	r := &ragkb.Resource{Type: ragkb.TypeOrders, Orders: &ragkb.OrdersSpec{Source: ragkb.SourceShopify, URL: srv.URL, Token: "tok"}}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if _, err := c.Lookup(context.Background(), r, "1001"); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	reportPercentiles(b, "lookup", lat)
}

// reportPercentiles reports the p50 and p99 of lat in milliseconds.
func reportPercentiles(b *testing.B, name string, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.5), name+"_p50_ms")
	b.ReportMetric(ms(0.99), name+"_p99_ms")
}
