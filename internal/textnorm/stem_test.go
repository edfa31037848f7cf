package textnorm_test

import (
	"testing"

	"github.com/ragkb/ragkb/internal/textnorm"
)

func TestStem(t *testing.T) {
	for _, c := range []struct{ lang, in, want string }{
		{"en", "invoices", "invoic"},
		{"en", "shipping", "ship"},
		{"en", "delivered", "deliv"},
		{"de", "rechnungen", "rechnung"},
		{"fr", "livraisons", "livraison"},
		{"it", "spedizioni", "spedizion"},
		{"es", "facturas", "factur"},
		{"pl", "fakture", "faktur"},
		{"pl", "fakturami", "faktur"},
		{"pl", "zamowienia", "zamowieni"},
		{"pl", "kot", "kot"}, // too short to strip
		{"xx", "invoices", "invoices"},
		{"", "invoices", "invoices"},
		{"en", "12", "12"},
		{"en", "a", "a"},
	} {
		if got := textnorm.Stem(c.lang, c.in); got != c.want {
			t.Errorf("Stem(%q, %q) = %q, want %q", c.lang, c.in, got, c.want)
		}
	}
}

func BenchmarkStem(b *testing.B) {
	words := textnorm.Words("Can I get a VAT invoice for my order? Delivery takes two working days; returns are free.")
	for b.Loop() {
		for _, w := range words {
			textnorm.Stem("en", w)
		}
	}
}
