package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/orders"
)

// These tests drive "where is my order?" through the HTTP API against fake
// Shopify (Admin GraphQL), WooCommerce (REST v3) and Allegro (checkout
// forms) order APIs whose answers are shaped like the providers' documented
// responses. Shopify and WooCommerce run over TLS (tokens only travel over
// https); the app's order client is pointed at a fetcher trusting the test CA.

const (
	shopifyOrdersToken = "shpat_orders_test"
	wooOrdersKey       = "ck_orders:cs_secret"
	allegroOrdersToken = "allegro-orders-token"
	allegroOrderID     = "29738e61-7f6a-11e8-ac45-09db60ede9d6"
)

// fakeShopifyOrders answers the Admin GraphQL API: order #1001 is shipped
// with UPS; every other name matches nothing.
func fakeShopifyOrders(t *testing.T, calls *atomic.Int64) *httptest.Server {
	return httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/admin/api/2025-01/graphql.json" {
			t.Errorf("shopify: %s %s, want POST /admin/api/2025-01/graphql.json", r.Method, r.URL.Path)
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("X-Shopify-Access-Token") != shopifyOrdersToken {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`)
			return
		}
		var body struct {
			Query     string         `json:"query"`
			Variables map[string]any `json:"variables"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || !strings.Contains(body.Query, "orders(first: 1") {
			t.Errorf("shopify: body %+v (%v), want an orders query", body, err)
		}
		calls.Add(1)
		cost := `"extensions":{"cost":{"requestedQueryCost":12,"actualQueryCost":4,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1996,"restoreRate":100.0}}}`
		q, _ := body.Variables["q"].(string)
		switch {
		case q == "":
			fmt.Fprintf(w, `{"data":{"orders":{"nodes":[{"id":"gid://shopify/Order/5812345678901"}]}},%s}`, cost)
		case q == "name:#1001":
			fmt.Fprintf(w, `{"data":{"orders":{"nodes":[{"name":"#1001","email":"Jan.Kowalski@Example.com","phone":"+48600111222",
				"cancelledAt":null,"displayFinancialStatus":"PAID","displayFulfillmentStatus":"FULFILLED",
				"shippingAddress":{"zip":"00-950","phone":null},
				"fulfillments":[{"displayStatus":"IN_TRANSIT","deliveredAt":null,"estimatedDeliveryAt":"2026-12-04T12:00:00Z",
				"trackingInfo":[{"company":"UPS","number":"1Z999AA10123456784","url":"https://www.ups.com/track?tracknum=1Z999AA10123456784"}]}]}]}},%s}`, cost)
		default:
			fmt.Fprintf(w, `{"data":{"orders":{"nodes":[]}},%s}`, cost)
		}
	}))
}

// fakeWooOrders answers the REST API v3: order 1001 is completed with a
// Shipment Tracking item; others are 404 like WooCommerce's.
func fakeWooOrders(t *testing.T) *httptest.Server {
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(wooOrdersKey))
	return httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		if r.Method != http.MethodGet {
			t.Errorf("woo: %s %s, want GET", r.Method, r.URL)
		}
		if r.Header.Get("Authorization") != auth {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`)
			return
		}
		switch r.URL.Path {
		case "/wp-json/wc/v3/orders":
			io.WriteString(w, `[{"id":1001}]`)
		case "/wp-json/wc/v3/orders/1001":
			io.WriteString(w, `{"id":1001,"parent_id":0,"number":"1001","order_key":"wc_order_58d2d042d1d","created_via":"checkout","status":"completed","currency":"EUR",
				"billing":{"first_name":"Anna","last_name":"Rossi","address_1":"Via Roma 1","city":"Milano","postcode":"20121","country":"IT","email":"anna.rossi@example.it","phone":"+39 333 123 4567"},
				"shipping":{"first_name":"Anna","last_name":"Rossi","address_1":"Via Roma 1","city":"Milano","postcode":"20121","country":"IT","phone":""},
				"meta_data":[{"id":4101,"key":"_wc_shipment_tracking_items","value":[{"tracking_provider":"","custom_tracking_provider":"BRT","custom_tracking_link":"https://vas.brt.it/vas/sped_det_show.hsm?referer=sped_numspe_par.htm&Nspediz=BRT123456789","tracking_number":"BRT123456789","date_shipped":"1764547200","tracking_id":"a1b2c3"}]}],
				"line_items":[{"id":315,"name":"Scarpe","quantity":1}]}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.","data":{"status":404}}`)
		}
	}))
}

// fakeAllegroOrders answers /order/checkout-forms: one form, sent by InPost.
func fakeAllegroOrders(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.allegro.public.v1+json")
		if r.Header.Get("Accept") != "application/vnd.allegro.public.v1+json" {
			w.WriteHeader(http.StatusNotAcceptable)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+allegroOrdersToken {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_token","error_description":"Invalid access token"}`)
			return
		}
		switch r.URL.Path {
		case "/order/checkout-forms":
			io.WriteString(w, `{"checkoutForms":[],"count":0,"totalCount":0}`)
		case "/order/checkout-forms/" + allegroOrderID:
			io.WriteString(w, `{"id":"`+allegroOrderID+`","messageToSeller":"","buyer":{"id":"23123123","email":"pf7ogzzgmi+2a3b@allegromail.pl","login":"Jan_K","firstName":"Jan","lastName":"Kowalski","guest":false,"phoneNumber":"+48 501 222 333","address":{"street":"Grunwaldzka 182","city":"Poznań","postCode":"60-166","countryCode":"PL"}},
				"payment":{"id":"0f8f1d13-7e9e-11e8-9b00-c5b0dfb78ea6","type":"ONLINE","provider":"P24","paidAmount":{"amount":"123.45","currency":"PLN"}},
				"status":"READY_FOR_PROCESSING","fulfillment":{"status":"SENT","shipmentSummary":{"lineItemsSent":"ALL"}},
				"delivery":{"address":{"firstName":"Jan","lastName":"Kowalski","street":"Grunwaldzka 182","city":"Poznań","zipCode":"60-166","countryCode":"PL","phoneNumber":"501222333"},"method":{"id":"1fa56f79-4b6a-4821-a6f2-ca9c16d5c925","name":"Allegro Paczkomaty InPost"}},
				"updatedAt":"2026-11-30T10:00:00.000Z","revision":"819b5836"}`)
		case "/order/checkout-forms/" + allegroOrderID + "/shipments":
			io.WriteString(w, `{"shipments":[{"id":"09da1cf1-1b23-4f6a-8d47-2f3c4b5a6d7e","waybill":"620123456789012345678901","carrierId":"INPOST","carrierName":"","lineItems":[{"id":"62ae358b-8f65-4fc4-9c77-bedf604a2e2b"}],"createdAt":"2026-11-30T09:00:00.000Z"}]}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"errors":[{"code":"NOT_FOUND","message":"Checkout form not found","userMessage":"Nie znaleziono zamówienia"}]}`)
		}
	}))
}

// startOrdersService starts the app with env (RAGKB_ALLEGRO_API_URL the
// fake Allegro) and an order client trusting the TLS fakes' certificate.
func startOrdersService(t *testing.T, dir string, env map[string]string, tlsSrv *httptest.Server, logs *syncBuffer) *testService {
	s := startServiceLog(t, dir, env, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	allegroURL := env["RAGKB_ALLEGRO_API_URL"]
	tlsCfg := tlsSrv.Client().Transport.(*http.Transport).TLSClientConfig
	f := connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true, TLSClientConfig: tlsCfg})
	*s.app.Orders = *orders.New(orders.Config{Fetcher: f, AllegroAPI: allegroURL})
	return s
}

func TestOrdersEndToEnd(t *testing.T) {
	var shopifyCalls atomic.Int64
	shop, woo, alle := fakeShopifyOrders(t, &shopifyCalls), fakeWooOrders(t), fakeAllegroOrders(t)
	defer shop.Close()
	defer woo.Close()
	defer alle.Close()
	var logs syncBuffer
	s := startOrdersService(t, t.TempDir(), map[string]string{"RAGKB_ALLEGRO_API_URL": alle.URL}, shop, &logs)

	type provider struct {
		name, number, email, wrongEmail, carrier, trackingNumber, trackingURL string
		spec                                                                  map[string]any
	}
	providers := []provider{
		{"shopify", "1001", "jan.kowalski@example.com", "someone@example.com", "UPS", "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784",
			map[string]any{"source": "shopify", "url": shop.URL, "token": shopifyOrdersToken}},
		{"woocommerce", "1001", "ANNA.ROSSI@example.it", "anna@example.it", "BRT", "BRT123456789", "https://vas.brt.it/vas/sped_det_show.hsm?referer=sped_numspe_par.htm&Nspediz=BRT123456789",
			map[string]any{"source": "woocommerce", "url": woo.URL, "token": wooOrdersKey}},
		{"allegro", allegroOrderID, "pf7ogzzgmi+2a3b@allegromail.pl", "jan@example.com", "InPost", "620123456789012345678901", "https://inpost.pl/sledzenie-przesylek?number=620123456789012345678901",
			map[string]any{"source": "allegro", "token": allegroOrdersToken}},
	}
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			s := s.as(t)
			_, merchant, chatbot := s.tenantWithKeys("Orders " + p.name)
			// The shop's delivery-time text would otherwise answer "where is my order?".
			s.waitDone(merchant, s.createResource(merchant, kbResource()).ID, ragkb.StatusSuccess)
			res := s.createResource(merchant, map[string]any{"name": "Orders", "type": "orders", "orders": p.spec})
			got := s.waitDone(merchant, res.ID, ragkb.StatusSuccess)
			if got.Chunks != 0 || got.Orders == nil || got.Orders.Token != "********" {
				t.Fatalf("orders resource: chunks %d, spec %+v; want 0 chunks and the token masked", got.Chunks, got.Orders)
			}

			q := "where is my order " + p.number + "?"
			a := s.ask(chatbot, ragkb.AnswerRequest{Question: q})
			if a.Status != ragkb.AnswerClarify || !slicesEqual(a.Needed, []string{"email"}) || a.Order != nil || a.CloseTicket {
				t.Fatalf("no verification: got %s needed %v order %+v %q, want clarify asking for the e-mail", a.Status, a.Needed, a.Order, a.Answer)
			}

			a = s.ask(chatbot, ragkb.AnswerRequest{Question: q, Customer: &ragkb.Customer{Email: p.email}})
			if a.Status != ragkb.AnswerAnswered || a.Tier != ragkb.TierFast || a.Usage.LLMCalls != 0 || a.Order == nil {
				t.Fatalf("right e-mail: got %s/%s llm %d order %+v (%s), want answered fast with the order", a.Status, a.Tier, a.Usage.LLMCalls, a.Order, a.Reason)
			}
			want := ragkb.OrderInfo{ID: p.number, Status: "shipped", Carrier: p.carrier, TrackingNumber: p.trackingNumber, TrackingURL: p.trackingURL}
			if *a.Order != want {
				t.Errorf("order = %+v, want %+v", *a.Order, want)
			}
			if !strings.Contains(a.Answer, p.carrier) || !strings.Contains(a.Answer, p.trackingURL) {
				t.Errorf("answer %q: want the carrier and the tracking link", a.Answer)
			}
			if len(a.Citations) != 1 || a.Citations[0].ResourceID != res.ID || strings.Contains(a.Citations[0].Snippet, "@") {
				t.Errorf("citations %+v: want the orders resource, no personal data", a.Citations)
			}

			wrong := s.ask(chatbot, ragkb.AnswerRequest{Question: q, Customer: &ragkb.Customer{Email: p.wrongEmail}})
			missing := s.ask(chatbot, ragkb.AnswerRequest{Question: "where is my order 4242?", Customer: &ragkb.Customer{Email: p.email}})
			if wrong.Order != nil || wrong.Answer != missing.Answer || wrong.Status != missing.Status || !slicesEqual(wrong.Needed, missing.Needed) {
				t.Errorf("wrong e-mail %s %q %v vs missing order %s %q %v: want the same answer, no order", wrong.Status, wrong.Answer, wrong.Needed, missing.Status, missing.Answer, missing.Needed)
			}
			if strings.Contains(wrong.Answer, p.carrier) || strings.Contains(wrong.Answer, p.trackingNumber) {
				t.Errorf("wrong e-mail revealed the order: %q", wrong.Answer)
			}

			// The e-mail typed as a follow-up in the conversation.
			a = s.ask(chatbot, ragkb.AnswerRequest{Question: "it is " + p.email, Conversation: []ragkb.Message{
				{Role: "user", Content: q}, {Role: "assistant", Content: "To protect your order, please confirm the e-mail address."}}})
			if a.Status != ragkb.AnswerAnswered || a.Order == nil || a.Order.TrackingNumber != p.trackingNumber {
				t.Errorf("e-mail in the conversation: got %s %+v (%s)", a.Status, a.Order, a.Reason)
			}

			// A helpdesk that verified the buyer, in Polish, with order_id.
			a = s.ask(chatbot, ragkb.AnswerRequest{Question: "gdzie jest moje zamówienie?", Language: "pl", OrderID: p.number, Customer: &ragkb.Customer{Verified: true}})
			if a.Status != ragkb.AnswerAnswered || a.Order == nil || !strings.Contains(a.Answer, "wysłane") {
				t.Errorf("verified, pl: got %s %q (%s)", a.Status, a.Answer, a.Reason)
			}

			a = s.ask(chatbot, ragkb.AnswerRequest{Question: "my parcel is 10 days late, order " + p.number, Customer: &ragkb.Customer{Email: p.email}})
			if a.Status != ragkb.AnswerAgent || a.CloseTicket || a.Order != nil {
				t.Errorf("late parcel: got %s close %v order %+v, want agent", a.Status, a.CloseTicket, a.Order)
			}

			// Nothing about the order beyond its number in events or logs.
			var evs map[string]any
			s.call("GET", "/v1/events", merchant, nil, &evs)
			b, _ := json.Marshal(evs)
			for _, secret := range []string{p.email, strings.ToLower(p.email), p.trackingNumber, p.carrier, p.wrongEmail, p.spec["token"].(string)} {
				if strings.Contains(string(b), secret) {
					t.Errorf("events contain %q: %s", secret, b)
				}
				if strings.Contains(logs.String(), secret) {
					t.Errorf("logs contain %q", secret)
				}
			}
		})
	}

	t.Run("no number", func(t *testing.T) {
		s := s.as(t)
		_, merchant, chatbot := s.tenantWithKeys("Orders ask")
		s.waitDone(merchant, s.createResource(merchant, map[string]any{"name": "Orders", "type": "orders", "orders": providers[0].spec}).ID, ragkb.StatusSuccess)
		for q, lang := range map[string]string{"where is my order?": "en", "gdzie jest moja paczka?": "pl", "Wo ist meine Bestellung?": "de",
			"dov'è il mio ordine?": "it", "où est ma commande ?": "fr", "¿dónde está mi pedido?": "es"} {
			a := s.ask(chatbot, ragkb.AnswerRequest{Question: q, Language: lang})
			if a.Status != ragkb.AnswerClarify || !slicesEqual(a.Needed, []string{"order_number", "email"}) {
				t.Errorf("%q: got %s needed %v, want clarify for order_number and email", q, a.Status, a.Needed)
			}
		}
		// General questions, and other requests about an order, are not order lookups.
		for _, q := range []string{"Do you ship orders to Austria?", "Can I return order 1001? What is the return policy?", "Are you open late on Fridays?"} {
			if a := s.ask(chatbot, ragkb.AnswerRequest{Question: q, Customer: &ragkb.Customer{Verified: true}}); a.Status == ragkb.AnswerClarify || a.Order != nil || a.Intent != nil && a.Intent.Name == "order_status" && a.Status == ragkb.AnswerAgent {
				t.Errorf("%q taken for an order lookup: %s %q", q, a.Status, a.Answer)
			}
		}
	})

	t.Run("other tenant", func(t *testing.T) {
		s := s.as(t)
		_, merchant, chatbot := s.tenantWithKeys("No orders")
		s.waitDone(merchant, s.createResource(merchant, kbResource()).ID, ragkb.StatusSuccess)
		before := shopifyCalls.Load()
		a := s.ask(chatbot, ragkb.AnswerRequest{Question: "where is my order 1001?", Customer: &ragkb.Customer{Email: providers[0].email, Verified: true}})
		if a.Order != nil || strings.Contains(a.Answer, "UPS") || shopifyCalls.Load() != before {
			t.Errorf("a tenant without orders got %s %q %+v (shopify calls %d → %d)", a.Status, a.Answer, a.Order, before, shopifyCalls.Load())
		}
	})

	t.Run("guessing is rate-limited", func(t *testing.T) {
		s := s.as(t)
		_, merchant, chatbot := s.tenantWithKeys("Orders guess")
		s.waitDone(merchant, s.createResource(merchant, map[string]any{"name": "Orders", "type": "orders", "orders": providers[0].spec}).ID, ragkb.StatusSuccess)
		limited := 0
		for i := range 20 {
			var a map[string]any
			code, hdr := s.rawCall("POST", "/v1/answer", chatbot, ragkb.AnswerRequest{Question: "where is my order " + strconv.Itoa(2000+i) + "?", Customer: &ragkb.Customer{Email: "x@example.com"}}, &a)
			switch code {
			case http.StatusOK:
				if a["order"] != nil {
					t.Fatalf("guess %d revealed an order", i)
				}
			case http.StatusTooManyRequests:
				if n, err := strconv.Atoi(hdr.Get("Retry-After")); err != nil || n < 1 {
					t.Errorf("429 without a Retry-After: %q", hdr.Get("Retry-After"))
				}
				limited++
			default:
				t.Fatalf("guess %d: HTTP %d", i, code)
			}
		}
		if limited == 0 {
			t.Fatal("twenty guessed order numbers in a row were never rate-limited")
		}
		// One conversation cannot try many numbers either, even with new keys' budgets.
		_, merchant2, chatbot2 := s.tenantWithKeys("Orders conversation")
		s.waitDone(merchant2, s.createResource(merchant2, map[string]any{"name": "Orders", "type": "orders", "orders": providers[0].spec}).ID, ragkb.StatusSuccess)
		conv := []ragkb.Message{{Role: "user", Content: "hi, I need help with my order"}}
		codes := []int{}
		for i := range 8 {
			code, _ := s.rawCall("POST", "/v1/answer", chatbot2, ragkb.AnswerRequest{Question: "order " + strconv.Itoa(3000+i) + " jan@example.com", Conversation: conv}, nil)
			codes = append(codes, code)
		}
		if codes[len(codes)-1] != http.StatusTooManyRequests {
			t.Errorf("one conversation's lookups: codes %v, want 429 at the end", codes)
		}
	})

	t.Run("connection failures and validation", func(t *testing.T) {
		s := s.as(t)
		_, merchant, _ := s.tenantWithKeys("Orders bad")
		bad := s.createResource(merchant, map[string]any{"name": "Orders", "type": "orders", "orders": map[string]any{"source": "shopify", "url": shop.URL, "token": "shpat_wrong"}})
		got := s.waitDone(merchant, bad.ID, ragkb.StatusFailed)
		if !strings.Contains(got.Error, "rejected the token") || strings.Contains(got.Error, "shpat_wrong") {
			t.Errorf("bad token: error %q, want a reason naming the token problem (not the token)", got.Error)
		}
		for _, tc := range []struct {
			spec  map[string]any
			field string
		}{
			{map[string]any{"url": shop.URL, "token": "x"}, "orders.source"},
			{map[string]any{"source": "magento", "url": shop.URL, "token": "x"}, "orders.source"},
			{map[string]any{"source": "shopify", "url": "http://shop.example", "token": "x"}, "orders.url"},
			{map[string]any{"source": "shopify", "url": shop.URL}, "orders.token"},
			{map[string]any{"source": "woocommerce", "url": woo.URL, "token": "nokey"}, "orders.token"},
			{map[string]any{"source": "allegro", "url": "https://evil.example", "token": "x"}, "orders.url"},
			{map[string]any{"source": "shopify", "url": shop.URL, "token": "x", "templates": map[string]any{"lost": map[string]any{"en": "x"}}}, "orders.templates"},
			{map[string]any{"source": "shopify", "url": shop.URL, "token": "x", "templates": map[string]any{"shipped": map[string]any{"en": "sent {password}"}}}, "orders.templates.shipped.en"},
		} {
			var prob struct {
				Field string `json:"field"`
			}
			code := s.call("POST", "/v1/resources", merchant, map[string]any{"name": "Orders", "type": "orders", "orders": tc.spec}, &prob)
			if code != http.StatusBadRequest || prob.Field != tc.field {
				t.Errorf("%v: got %d field %q, want 400 naming %s", tc.spec, code, prob.Field, tc.field)
			}
		}
	})

	t.Run("merchant templates", func(t *testing.T) {
		s := s.as(t)
		_, merchant, chatbot := s.tenantWithKeys("Orders templates")
		spec := map[string]any{"source": "woocommerce", "url": woo.URL, "token": wooOrdersKey,
			"templates": map[string]any{"shipped": map[string]any{"it": "Il pacco {order} è partito con {carrier}: {tracking_url}"}}}
		s.waitDone(merchant, s.createResource(merchant, map[string]any{"name": "Ordini", "type": "orders", "orders": spec}).ID, ragkb.StatusSuccess)
		a := s.ask(chatbot, ragkb.AnswerRequest{Question: "dov'è il mio ordine 1001?", Language: "it", Customer: &ragkb.Customer{Postcode: "20121"}})
		if want := "Il pacco 1001 è partito con BRT: " + providers[1].trackingURL; a.Answer != want {
			t.Errorf("template answer %q, want %q", a.Answer, want)
		}
	})
}

func slicesEqual(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}

// BenchmarkOrderAnswer measures verified "where is my order 1001?" answers
// through the HTTP API against the fake Shopify: the first lookup reaches
// the shop, the following ones within orderCacheTTL are served from the
// per-order cache (lookups_per_answer shows how many reached the shop).
func BenchmarkOrderAnswer(b *testing.B) {
	t := &testing.T{} // the service helpers report to a T; checked below
	dir, err := os.MkdirTemp("", "ragkb-orders-bench")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var calls atomic.Int64
	shop := fakeShopifyOrders(t, &calls)
	defer shop.Close()
	var logs syncBuffer
	s := startOrdersService(t, dir, map[string]string{"RAGKB_ALLEGRO_API_URL": "http://127.0.0.1:1", "RAGKB_RATE_LIMIT": "0"}, shop, &logs)
	defer s.stop()
	_, merchant, chatbot := s.tenantWithKeys("Bench orders")
	spec := map[string]any{"source": "shopify", "url": shop.URL, "token": shopifyOrdersToken}
	s.waitDone(merchant, s.createResource(merchant, map[string]any{"name": "Orders", "type": "orders", "orders": spec}).ID, ragkb.StatusSuccess)
	req := ragkb.AnswerRequest{Question: "where is my order 1001?", Customer: &ragkb.Customer{Email: "jan.kowalski@example.com"}}
	var lat []float64
	before := calls.Load()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		var a ragkb.AnswerResponse
		if code := s.call("POST", "/v1/answer", chatbot, req, &a); code != http.StatusOK || a.Order == nil {
			b.Fatalf("HTTP %d %s", code, a.Status)
		}
		lat = append(lat, float64(time.Since(start).Microseconds())/1000)
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(pct(lat, .5), "answer_p50_ms")
	b.ReportMetric(pct(lat, .99), "answer_p99_ms")
	b.ReportMetric(float64(calls.Load()-before)/float64(len(lat)), "lookups_per_answer")
	if t.Failed() {
		b.Fatal("fake or service reported an error")
	}
}
