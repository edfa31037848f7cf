package retriever

import (
	"reflect"
	"strings"
	"testing"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"english stopwords dropped", "Can I get a VAT invoice for my order?", []string{"vat", "invoice", "order"}},
		{"polish diacritics folded", "Czy wystawiacie faktury VAT?", []string{"wystawiacie", "faktury", "vat"}},
		{"german", "Wie lange dauert die Lieferung nach Österreich?", []string{"lange", "dauert", "lieferung", "osterreich"}},
		{"duplicates once", "shipping shipping Shipping", []string{"shipping"}},
		{"only stopwords", "is it the", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Terms(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	tests := []struct {
		name string
		q    string
		text string
		want float64
	}{
		{"all terms", "VAT invoice", "We issue a VAT invoice for every order.", 1},
		{"inflection by stem", "invoices", "Every order gets an invoice.", 1},
		{"short plural", "cost", "Shipping costs 9 EUR.", 1},
		{"half", "invoice Switzerland", "We issue invoices.", 0.5},
		{"none", "capital Peru", "We ship with DHL.", 0},
		{"no terms", "is it", "anything", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Coverage(Terms(tt.q), tt.text); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRelevanceBounds(t *testing.T) {
	tests := []struct {
		name            string
		dense, coverage float64
		min, max        float64
	}{
		{"nothing", 0, 0, 0, 0},
		{"dense alone counts half", 0.8, 0, 0.4, 0.4},
		{"coverage lifts a weak dense score", 0.2, 1, 0.6, 0.6},
		{"clamped", 1.2, 1, 1, 1},
		{"negative cosine", -0.3, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Relevance(tt.dense, tt.coverage)
			if got < tt.min || got > tt.max {
				t.Fatalf("got %v, want in [%v, %v]", got, tt.min, tt.max)
			}
		})
	}
}

func TestCoverageStems(t *testing.T) {
	for _, c := range []struct {
		terms []string
		text  string
		want  float64
	}{
		{[]string{"invoice", "costs"}, "Invoices cost nothing.", 1},
		{[]string{"faktura", "vat"}, "Wystawiamy faktury VAT.", 1},
		{[]string{"cost", "costs"}, "The cost is low.", 1}, // two terms, one stem
		{[]string{"delivery", "zurich"}, "Delivery to Zürich", 1},
		{[]string{"delivery", "warranty"}, "Delivery takes two days.", 0.5},
		{[]string{"zzz"}, "", 0},
		{nil, "anything", 0},
	} {
		if got := Coverage(c.terms, c.text); got != c.want {
			t.Errorf("Coverage(%q, %q) = %v, want %v", c.terms, c.text, got, c.want)
		}
	}
}

func BenchmarkCoverage(b *testing.B) {
	terms := Terms("Can I get a VAT invoice for my order delivered to Kraków?")
	text := strings.Repeat("We issue a VAT invoice for every order; delivery to Kraków takes one or two working days. ", 10)
	for b.Loop() {
		Coverage(terms, text)
	}
}
