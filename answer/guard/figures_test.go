package guard

import (
	"slices"
	"testing"
)

func TestCheckFigures(t *testing.T) {
	const pl = "Dostawa kurierem kosztuje 49 PLN, powyżej 1 299,00 zł jest darmowa. Z kodem RABAT10 dostaniesz 10% zniżki do 31.12.2026. " +
		"Zwroty: https://sklep.example.pl/zwroty lub zwroty@sklep.example.pl, magazyn 00-950 Warszawa, zamówienia wysyłamy do 14:00."
	tests := []struct {
		name, translation string
		ok                bool
		missing, added    []string
	}{
		{"faithful", "Die Lieferung per Kurier kostet 49 PLN, ab 1 299,00 zł ist sie kostenlos. Mit dem Code RABAT10 erhalten Sie 10% Rabatt bis 31.12.2026. " +
			"Rücksendungen: https://sklep.example.pl/zwroty oder zwroty@sklep.example.pl, Lager 00-950 Warschau, wir versenden Bestellungen bis 14:00.", true, nil, nil},
		{"reformatted numbers and date", "Courier delivery costs PLN 49; above 1299.00 zł it is free. With code RABAT10 you get 10 percent off until 31 December 2026. " +
			"Returns: https://sklep.example.pl/zwroty or zwroty@sklep.example.pl, warehouse 00-950 Warsaw, orders ship until 14:00.", true, nil, nil},
		{"price changed", "Die Lieferung kostet 94 PLN, ab 1 299,00 zł kostenlos. Code RABAT10: 10% Rabatt bis 31.12.2026. " +
			"https://sklep.example.pl/zwroty, zwroty@sklep.example.pl, 00-950, bis 14:00.", false, []string{"49 PLN"}, []string{"94 PLN"}},
		{"currency changed", "Die Lieferung kostet 49 EUR, ab 1 299,00 zł kostenlos. Code RABAT10: 10% Rabatt bis 31.12.2026. " +
			"https://sklep.example.pl/zwroty, zwroty@sklep.example.pl, 00-950, bis 14:00.", false, []string{"49 PLN"}, []string{"49 EUR"}},
		{"url dropped", "Die Lieferung kostet 49 PLN, ab 1 299,00 zł kostenlos. Code RABAT10: 10% Rabatt bis 31.12.2026. " +
			"Rücksendungen per E-Mail an zwroty@sklep.example.pl, 00-950, bis 14:00.", false, []string{"https://sklep.example.pl/zwroty"}, nil},
		{"url translated", "Die Lieferung kostet 49 PLN, ab 1 299,00 zł kostenlos. Code RABAT10: 10% Rabatt bis 31.12.2026. " +
			"https://sklep.example.pl/ruecksendungen, zwroty@sklep.example.pl, 00-950, bis 14:00.", false,
			[]string{"https://sklep.example.pl/zwroty"}, []string{"https://sklep.example.pl/ruecksendungen"}},
		{"code case changed", "Die Lieferung kostet 49 PLN, ab 1 299,00 zł kostenlos. Code Rabat10: 10% Rabatt bis 31.12.2026. " +
			"https://sklep.example.pl/zwroty, zwroty@sklep.example.pl, 00-950, bis 14:00.", false, []string{"RABAT10"}, []string{"Rabat10"}},
		{"postcode changed", "Die Lieferung kostet 49 PLN, ab 1 299,00 zł kostenlos. Code RABAT10: 10% Rabatt bis 31.12.2026. " +
			"https://sklep.example.pl/zwroty, zwroty@sklep.example.pl, 00-905, bis 14:00.", false, []string{"950"}, []string{"905"}},
		{"percent lost", "Die Lieferung kostet 49 PLN, ab 1 299,00 zł kostenlos. Code RABAT10: 10 Rabatt bis 31.12.2026. " +
			"https://sklep.example.pl/zwroty, zwroty@sklep.example.pl, 00-950, bis 14:00.", false, []string{"10%"}, []string{"10"}},
		{"date changed", "Die Lieferung kostet 49 PLN, ab 1 299,00 zł kostenlos. Code RABAT10: 10% Rabatt bis 30.12.2026. " +
			"https://sklep.example.pl/zwroty, zwroty@sklep.example.pl, 00-950, bis 14:00.", false, []string{"31.12.2026"}, []string{"30.12.2026"}},
		{"big number altered", "Die Lieferung kostet 49 PLN, ab 1 929,00 zł kostenlos. Code RABAT10: 10% Rabatt bis 31.12.2026. " +
			"https://sklep.example.pl/zwroty, zwroty@sklep.example.pl, 00-950, bis 14:00.", false, []string{"1 299,00 zł"}, []string{"1 929,00 zł"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := CheckFigures(pl, tt.translation)
			if v.OK != tt.ok {
				t.Fatalf("OK = %v, want %v (%s)", v.OK, tt.ok, v.Reason)
			}
			if !slices.Equal(v.Missing, tt.missing) || !slices.Equal(v.Added, tt.added) {
				t.Errorf("missing %q added %q, want %q %q", v.Missing, v.Added, tt.missing, tt.added)
			}
		})
	}
}

func TestCheckFiguresSmallCases(t *testing.T) {
	tests := []struct {
		src, dst string
		ok       bool
	}{
		{"Wysyłka w dwa dni robocze.", "Versand in 2 Werktagen.", true},
		{"Shipping takes 2 working days.", "Der Versand dauert zwei Werktage.", true},
		{"Shipping takes 2 working days.", "Der Versand dauert drei Werktage.", false},
		{"Open until 18:00.", "Geöffnet bis 18 Uhr.", true},
		{"Open until 18:00.", "Geöffnet bis 17 Uhr.", false},
		{"Open until 14:30.", "Open until 2:30 pm.", true},
		{"Open until 14:30.", "Open until 3:30 pm.", false},
		{"Bis 14:30 bestellt, heute versandt.", "Bis 14.30 Uhr bestellt, heute versandt.", true},
		{"Open until 9:00.", "Open until 9 am.", true},
		{"Open until 21:00.", "Open until 9 am.", false},
		{"Versand am 12. März, 2 Pakete.", "Shipped on 12 March, 2 parcels.", true},
		{"Price €49.99.", "Prix : 49,99 €.", true},
		{"Price €49.99.", "Prix : 49 €.", false},
		{"Price 49 zł.", "Preis 49.", false}, // the currency was dropped
		{"SKU AB-1234-XL is back.", "Die Artikelnummer AB-1234-XL ist wieder da.", true},
		{"SKU AB-1234-XL is back.", "Die Artikelnummer AB-1243-XL ist wieder da.", false},
		{"Order 100234 shipped on 12 March.", "Bestellung 100234 wurde am 12. März versandt.", true},
		{"Write to help@shop.example.", "Schreiben Sie an hilfe@shop.example.", false},
		{"No figures here.", "Keine Zahlen hier.", true},
		{"No figures here.", "Keine Zahlen hier, nur 5 Euro.", false},
	}
	for _, tt := range tests {
		if v := CheckFigures(tt.src, tt.dst); v.OK != tt.ok {
			t.Errorf("CheckFigures(%q, %q) = %v (%s), want %v", tt.src, tt.dst, v.OK, v.Reason, tt.ok)
		}
	}
}
