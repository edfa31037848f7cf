package sentence

import (
	"slices"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"plain", "We ship in 24 hours. Returns are free!", []string{"We ship in 24 hours.", "Returns are free!"}},
		{"pl street and number", "Odbiór osobisty: ul. Długa 5, nr 12. Zapraszamy.", []string{"Odbiór osobisty: ul. Długa 5, nr 12.", "Zapraszamy."}},
		{"pl phone", "Zadzwoń: tel. 600 123 456. Pracujemy od 8.", []string{"Zadzwoń: tel. 600 123 456.", "Pracujemy od 8."}},
		{"pl company", "Sprzedawcą jest Księgarnia Sp. z o.o. z siedzibą w Krakowie. Zapraszamy.", []string{"Sprzedawcą jest Księgarnia Sp. z o.o. z siedzibą w Krakowie.", "Zapraszamy."}},
		{"pl about", "Dostawa trwa ok. 3 dni. Koszt to 15 zł.", []string{"Dostawa trwa ok. 3 dni.", "Koszt to 15 zł."}},
		{"pl np lowercase", "Płatność np. kartą lub przelewem. Dziękujemy.", []string{"Płatność np. kartą lub przelewem.", "Dziękujemy."}},
		{"de z.B.", "Wir liefern z.B. mit DHL. Der Versand ist kostenlos.", []string{"Wir liefern z.B. mit DHL.", "Der Versand ist kostenlos."}},
		{"de ordinal and Str.", "Lieferung ab 5. Mai in die Hauptstr. 7 in Berlin. Danke.", []string{"Lieferung ab 5. Mai in die Hauptstr. 7 in Berlin.", "Danke."}},
		{"de inkl.", "Preis inkl. MwSt. und Versand. Danke.", []string{"Preis inkl. MwSt. und Versand.", "Danke."}},
		{"it S.p.A. and ecc.", "Venduto da Oro S.p.A. con sede a Napoli. Anelli, collane ecc. Spediamo in tutta Italia.", []string{"Venduto da Oro S.p.A. con sede a Napoli.", "Anelli, collane ecc.", "Spediamo in tutta Italia."}},
		{"it sig.", "Contatta il Sig. Rossi. Grazie.", []string{"Contatta il Sig. Rossi.", "Grazie."}},
		{"en etc. ends", "Colours, sizes etc. We ship worldwide.", []string{"Colours, sizes etc.", "We ship worldwide."}},
		{"en e.g. and initial", "Pay e.g. by card. Ask J. Smith. Done.", []string{"Pay e.g. by card.", "Ask J. Smith.", "Done."}},
		{"fr M. and etc.", "Contactez M. Dupont au tél. 01 23 45 67 89. Merci.", []string{"Contactez M. Dupont au tél. 01 23 45 67 89.", "Merci."}},
		{"es Avda. and S.L.", "Estamos en la Avda. Diagonal 12, Tienda S.L. Abrimos a las 9.", []string{"Estamos en la Avda. Diagonal 12, Tienda S.L. Abrimos a las 9."}},
		{"decimal and url", "Cena 35.50 PLN na www.sklep.pl. Dziękujemy.", []string{"Cena 35.50 PLN na www.sklep.pl.", "Dziękujemy."}},
		{"lines", "Availability: in stock\nPrice: 10 EUR", []string{"Availability: in stock", "Price: 10 EUR"}},
		{"question", "Is it in stock? Yes.", []string{"Is it in stock?", "Yes."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Split(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestUnitsRestoreText(t *testing.T) {
	text := "Odbiór: ul. Długa 5.  Zapraszamy!\nTel. 600 123 456. Koniec"
	if got := strings.Join(Units(text), ""); got != text {
		t.Errorf("joined units %q, want %q", got, text)
	}
}

func FuzzUnits(f *testing.F) {
	f.Add("ul. Długa 5. Zapraszamy! z.B. S.p.A. etc. 3.5")
	f.Fuzz(func(t *testing.T, s string) {
		if got := strings.Join(Units(s), ""); got != s {
			t.Errorf("joined units %q, want %q", got, s)
		}
	})
}
