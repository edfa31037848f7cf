package connectors

import (
	"strings"
	"testing"

	"github.com/ragkb/ragkb"
)

func TestWordsDuration(t *testing.T) {
	tests := []struct {
		name, lang, iso, want, wantWithin string
	}{
		{"en plural", "en", "P14D", "14 days", "14 days"},
		{"en singular", "", "P1Y", "1 year", "1 year"},
		{"pl 2-4", "pl", "P2Y", "2 lata", "2 lat"},
		{"pl 5+", "pl", "P5Y", "5 lat", "5 lat"},
		{"pl 12-14 are not 2-4", "pl", "P14D", "14 dni", "14 dni"},
		{"pl 24 hours", "pl", "PT24H", "24 godziny", "24 godzin"},
		{"pl 22", "pl", "P22D", "22 dni", "22 dni"},
		{"pl one", "pl", "P1M", "1 miesiąc", "1 miesiąca"},
		{"de dative", "de", "P14D", "14 Tage", "14 Tagen"},
		{"it", "it", "P30D", "30 giorni", "30 giorni"},
		{"unknown language is English", "xx", "PT2H", "2 hours", "2 hours"},
		{"not a duration", "pl", "soon", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := WordsFor(tt.lang)
			if got := w.Duration(tt.iso); got != tt.want {
				t.Fatalf("Duration: got %q, want %q", got, tt.want)
			}
			if got := w.DurationWithin(tt.iso); got != tt.wantWithin {
				t.Fatalf("DurationWithin: got %q, want %q", got, tt.wantWithin)
			}
		})
	}
}

func TestProductTextLanguage(t *testing.T) {
	p := Product{Name: "Czajnik Acme", Offer: ragkb.Offer{Price: "129.99", SalePrice: "99.99", Currency: "PLN", Availability: "in_stock", Condition: "used", Brand: "Acme"}}
	tests := []struct {
		lang string
		want []string
	}{
		{"", []string{"Czajnik Acme costs 99.99 PLN on sale (regular price 129.99 PLN).", "In stock.", "Condition: used.", "Brand: Acme."}},
		{"pl", []string{"Czajnik Acme kosztuje 99.99 PLN w promocji (cena regularna 129.99 PLN).", "Dostępny.", "Stan: używany.", "Marka: Acme."}},
		{"de", []string{"Czajnik Acme kostet im Angebot 99.99 PLN (regulärer Preis 129.99 PLN).", "Auf Lager.", "Zustand: gebraucht."}},
	}
	for _, tt := range tests {
		t.Run("lang="+tt.lang, func(t *testing.T) {
			p.Language = tt.lang
			got := p.Text()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Fatalf("got %q, want it to contain %q", got, w)
				}
			}
		})
	}
}
