package connectors

import (
	"testing"

	"github.com/ragkb/ragkb"
)

func TestNormalizePrice(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{name: "plain", in: "15.00", want: "15.00", ok: true},
		{name: "integer", in: "12", want: "12.00", ok: true},
		{name: "one decimal", in: "12.5", want: "12.50", ok: true},
		{name: "european", in: "1.299,00", want: "1299.00", ok: true},
		{name: "english", in: "1,299.00", want: "1299.00", ok: true},
		{name: "comma decimal", in: "12,99", want: "12.99", ok: true},
		{name: "thousands only", in: "1,299", want: "1299.00", ok: true},
		{name: "spaces", in: "1 299,00", want: "1299.00", ok: true},
		{name: "nbsp", in: "2\u00a0499,90", want: "2499.90", ok: true},
		{name: "many thousands", in: "1.234.567", want: "1234567.00", ok: true},
		{name: "leading zero three decimals", in: "0.125", want: "0.125", ok: true},
		{name: "swiss", in: "1'299.50", want: "1299.50", ok: true},
		{name: "garbage", in: "abc", ok: false},
		{name: "empty", in: "", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NormalizePrice(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("NormalizePrice(%q): got %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSplitPrice(t *testing.T) {
	tests := []struct{ name, in, price, cur string }{
		{name: "google", in: "15.00 USD", price: "15.00", cur: "USD"},
		{name: "code first", in: "EUR 9,99", price: "9.99", cur: "EUR"},
		{name: "zloty", in: "1 299,00 zł", price: "1299.00", cur: "PLN"},
		{name: "dollar sign", in: "$4.90", price: "4.90", cur: "USD"},
		{name: "no currency", in: "10", price: "10.00", cur: ""},
		{name: "nothing", in: "free", price: "", cur: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, c := SplitPrice(tt.in)
			if p != tt.price || c != tt.cur {
				t.Errorf("SplitPrice(%q): got %q %q, want %q %q", tt.in, p, c, tt.price, tt.cur)
			}
		})
	}
}

func TestMinorUnits(t *testing.T) {
	tests := []struct {
		name, in string
		minor    int
		want     string
		ok       bool
	}{
		{name: "pence", in: "1105", minor: 2, want: "11.05", ok: true},
		{name: "small", in: "5", minor: 2, want: "0.05", ok: true},
		{name: "yen", in: "1200", minor: 0, want: "1200.00", ok: true},
		{name: "three, zeros dropped to cents", in: "1500", minor: 3, want: "1.50", ok: true},
		{name: "three, all digits", in: "35125", minor: 3, want: "35.125", ok: true},
		{name: "woo capture 18000 at 3", in: "18000", minor: 3, want: "18.00", ok: true},
		{name: "four", in: "123400", minor: 4, want: "12.34", ok: true},
		{name: "not a number", in: "12.5", minor: 2, ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := MinorUnits(tt.in, tt.minor)
			if got != tt.want || ok != tt.ok {
				t.Errorf("MinorUnits(%q, %d): got %q %v, want %q %v", tt.in, tt.minor, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestNormalizeValues(t *testing.T) {
	tests := []struct {
		name, in, want string
		fn             func(string) string
	}{
		{name: "schema url", in: "https://schema.org/InStock", want: "in_stock", fn: NormalizeAvailability},
		{name: "short", in: "OutOfStock", want: "out_of_stock", fn: NormalizeAvailability},
		{name: "old google", in: "in stock", want: "in_stock", fn: NormalizeAvailability},
		{name: "google", in: "preorder", want: "preorder", fn: NormalizeAvailability},
		{name: "woo", in: "onbackorder", want: "backorder", fn: NormalizeAvailability},
		{name: "unknown", in: "maybe", want: "", fn: NormalizeAvailability},
		{name: "condition url", in: "http://schema.org/RefurbishedCondition", want: "refurbished", fn: NormalizeCondition},
		{name: "condition word", in: "used", want: "used", fn: NormalizeCondition},
		{name: "days", in: "P14D", want: "14 days", fn: DurationWords},
		{name: "years", in: "P2Y", want: "2 years", fn: DurationWords},
		{name: "hours", in: "PT24H", want: "24 hours", fn: DurationWords},
		{name: "one month", in: "P1M", want: "1 month", fn: DurationWords},
		{name: "bad", in: "14 days", want: "", fn: DurationWords},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestProductText(t *testing.T) {
	p := Product{SourceID: "1", Name: "Kettle", URL: "https://s.example/p/kettle", Description: "Boils water.",
		Offer: ragkb.Offer{Price: "129.99", SalePrice: "99.99", Currency: "PLN", Availability: "in_stock",
			Condition: "new", Brand: "Acme", Warranty: "Warranty: 2 years", Returns: "Returns within 14 days",
			Delivery: "Delivery: from 9.99 PLN, ships within 24 hours", SKU: "K-1"}}
	want := "Kettle costs 99.99 PLN on sale (regular price 129.99 PLN).\nIn stock.\nCondition: new.\nBrand: Acme.\n" +
		"Warranty: 2 years.\nReturns within 14 days.\nDelivery: from 9.99 PLN, ships within 24 hours.\n" +
		"Product code: SKU K-1.\nDescription: Boils water."
	if got := p.Text(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	d := p.Document()
	if d.Kind != ragkb.DocOffer || d.Hash == "" || d.Offer.Price != "129.99" || d.Title != "Kettle" {
		t.Errorf("document: %+v", d)
	}
}
