package answer

import (
	"testing"

	"github.com/ragkb/ragkb/connectors/orders"
)

func TestOrderNumber(t *testing.T) {
	for q, want := range map[string]string{
		"where is my order 1001?":                        "1001",
		"gdzie jest moje zamówienie #1001":               "1001",
		"Wo ist meine Bestellung Nr. 45821?":             "45821",
		"my order number is 1001":                        "1001",
		"dov'è il mio ordine n. 3344?":                   "3344",
		"où est ma commande numéro 7781 ?":               "7781",
		"¿dónde está mi pedido 5512?":                    "5512",
		"order 29738e61-7f6a-11e8-ac45-09db60ede9d6":     "29738e61-7f6a-11e8-ac45-09db60ede9d6",
		"where is my order?":                             "",
		"my parcel is 10 days late":                      "",
		"Do you ship orders to Austria in 3 days?":       "",
		"order placed, my e-mail is jan1001@example.com": "",
	} {
		if got := orderNumber(q); got != want {
			t.Errorf("orderNumber(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestOrderQuestionsAndProblems(t *testing.T) {
	for _, q := range []string{"where is my order?", "gdzie jest moja paczka?", "Wo ist meine Bestellung?", "dov'è il mio ordine?",
		"où est ma commande ?", "¿dónde está mi pedido?", "can I track my parcel"} {
		if !myOrderRe.MatchString(q) {
			t.Errorf("%q: not recognised as a question about the customer's order", q)
		}
	}
	for _, q := range []string{"Do you ship orders to Austria?", "How long does delivery take?", "What is the minimum order value?",
		"Can I cancel my order?", "I want to change my order", "Możesz anulować moje zamówienie?", "Kann ich meine Bestellung ändern?"} {
		if myOrderRe.MatchString(q) {
			t.Errorf("%q: taken for a question about one order", q)
		}
	}
	for _, q := range []string{"my parcel is 10 days late", "the package never arrived", "paczka się spóźnia", "przesyłka zaginęła",
		"das Paket ist beschädigt", "il pacco è in ritardo", "mon colis est perdu", "mi paquete llegó dañado", "I haven't received my order"} {
		if !problemRe.MatchString(q) {
			t.Errorf("%q: late/lost/damaged not recognised", q)
		}
	}
	for _, q := range []string{"where is my order 1001?", "gdzie jest moje zamówienie #1001", "Wo ist meine Bestellung?"} {
		if problemRe.MatchString(q) {
			t.Errorf("%q: taken for a problem", q)
		}
	}
}

func TestFactsMatch(t *testing.T) {
	o := &orders.Order{Emails: []string{"Jan.Kowalski@Example.com"}, Phones: []string{"+48 600 111 222"}, Postcodes: []string{"00-950"}}
	for text, want := range map[string]bool{
		"jan.kowalski@example.com": true,
		"JAN.KOWALSKI@EXAMPLE.COM": true,
		"600-111-222":              true,
		"0048600111222":            true,
		"my postcode is 00 950":    true,
		"00950":                    true,
		"jan@example.com":          false,
		"600111223":                false,
		"00-951":                   false,
		"":                         false,
	} {
		var f facts
		f.add(text, "1001")
		if got := f.matches(o); got != want {
			t.Errorf("%q matches = %v, want %v (facts %+v)", text, got, want, f)
		}
	}
	// The order number itself never verifies (a postcode-like number).
	var f facts
	f.add("order 95000", "95000")
	if f.matches(&orders.Order{Postcodes: []string{"95000"}}) {
		t.Error("the order number was taken for the postcode")
	}
}

func TestRenderOrder(t *testing.T) {
	o := &orders.Order{Number: "1001", Status: orders.StatusShipped, Carrier: "UPS", TrackingNumber: "1Z9", TrackingURL: "https://ups.example/t?n=1Z9"}
	got := renderOrder(nil, o, "en")
	want := "Your order 1001 has been shipped. Carrier: UPS. Tracking number: 1Z9.\nTrack it here: https://ups.example/t?n=1Z9"
	if got != want {
		t.Errorf("shipped = %q, want %q", got, want)
	}
	o.Carrier, o.TrackingNumber, o.TrackingURL = "", "", ""
	if got := renderOrder(nil, o, "pl"); got != "Zamówienie 1001 zostało wysłane." {
		t.Errorf("shipped without tracking = %q: empty placeholders must be left out", got)
	}
	custom := map[string]map[string]string{"shipped": {"de": "Unterwegs: {order}"}}
	if got := renderOrder(custom, o, "de"); got != "Unterwegs: 1001" {
		t.Errorf("custom de = %q", got)
	}
	if got := renderOrder(custom, o, "fr"); got != "Votre commande 1001 a été expédiée." {
		t.Errorf("custom template in another language used for fr: %q", got)
	}
	for _, s := range orders.Statuses {
		for _, l := range []string{"en", "pl", "de", "it", "fr", "es"} {
			if orderTemplates[s][l] == "" {
				t.Errorf("no default %s template in %s", s, l)
			}
		}
	}
}
