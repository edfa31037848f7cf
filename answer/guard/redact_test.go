package guard

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantTypes      []string
	}{
		// cards
		{"visa spaced", "My card is 4111 1111 1111 1111, can you check?", "My card is [card], can you check?", []string{PIICard}},
		{"mastercard dashed", "card 5500-0000-0000-0004 was charged", "card [card] was charged", []string{PIICard}},
		{"amex 15 digits", "Amex 3782 822463 10005 please", "Amex [card] please", []string{PIICard}},
		{"card unspaced", "4012888888881881", "[card]", []string{PIICard}},
		{"card dotted", "4111.1111.1111.1111", "[card]", []string{PIICard}},
		{"card followed by expiry", "4111 1111 1111 1111 12 27", "[card] 12 27", []string{PIICard}},
		{"mistyped card (Luhn fails) written as a card", "moja karta to 5375 4411 2233 9087, pobierzcie jeszcze raz", "moja karta to [card], pobierzcie jeszcze raz", []string{PIICard}},
		{"mistyped card with dashes", "Voici ma carte 4970-1012-3456-7890", "Voici ma carte [card]", []string{PIICard}},
		{"five groups of four are no typed card", "my card? ref 4970 1012 3456 7890 1234", "my card? ref 4970 1012 3456 7890 1234", nil},
		{"a box is no card", "karton 4970 1012 3456 7890 uszkodzony", "karton 4970 1012 3456 7890 uszkodzony", nil},
		{"mistyped card in German", "Meine Kreditkarte 4970 1012 3456 7890 wurde zweimal belastet", "Meine Kreditkarte [card] wurde zweimal belastet", []string{PIICard}},
		{"order number grouped in fours starting with 1", "order 1234 5678 9012 3456", "order 1234 5678 9012 3456", nil},
		{"non-luhn 16 digits stays", "order 4111 1111 1111 1112 is late", "order 4111 1111 1111 1112 is late", nil},
		{"long order number stays", "Zamówienie nr 1234567890123 nie dotarło", "Zamówienie nr 1234567890123 nie dotarło", nil},
		{"all zeros stays", "0000 0000 0000 0000", "0000 0000 0000 0000", nil},
		// IBANs
		{"iban spaced", "IBAN: PL61 1090 1014 0000 0712 1981 2874 thanks", "IBAN: [iban] thanks", []string{PIIIBAN}},
		{"iban compact lower", "send to de89370400440532013000.", "send to [iban].", []string{PIIIBAN}},
		{"iban italian", "IT60 X054 2811 1010 0000 0123 456", "[iban]", []string{PIIIBAN}},
		{"iban french", "FR14 2004 1010 0505 0001 3M02 606 merci", "[iban] merci", []string{PIIIBAN}},
		{"iban spanish", "mi cuenta ES91 2100 0418 4502 0005 1332", "mi cuenta [iban]", []string{PIIIBAN}},
		{"iban bad checksum stays", "PL61 1090 1014 0000 0712 1981 2875", "PL61 1090 1014 0000 0712 1981 2875", nil},
		{"polish account without country", "konto 61 1090 1014 0000 0712 1981 2874", "konto [iban]", []string{PIIIBAN}},
		// e-mail
		{"email", "write to jan.kowalski+shop@example.co.uk now", "write to [email] now", []string{PIIEmail}},
		{"email unicode", "mój mail: zażółć@przykład.pl", "mój mail: [email]", []string{PIIEmail}},
		{"at sign not email", "meet @ 5pm", "meet @ 5pm", nil},
		// phones
		{"intl plus spaced", "call me +48 600 123 456", "call me [phone]", []string{PIIPhone}},
		{"intl plus compact", "tel.+393331234567", "tel.[phone]", []string{PIIPhone}},
		{"intl 00", "numero 0039 333 1234567", "numero [phone]", []string{PIIPhone}},
		{"intl with area parens", "+44 (0)20 7946 0958", "[phone]", []string{PIIPhone}},
		{"french pairs", "mon numéro 06 12 34 56 78", "mon numéro [phone]", []string{PIIPhone}},
		{"french dots", "01.23.45.67.89", "[phone]", []string{PIIPhone}},
		{"french compact trunk 0", "rappelez 0612345678 svp", "rappelez [phone] svp", []string{PIIPhone}},
		{"german area code slash", "Handy 0171/1234567", "Handy [phone]", []string{PIIPhone}},
		{"german parens", "Bitte (030) 1234567 anrufen", "Bitte [phone] anrufen", []string{PIIPhone}},
		{"polish 3-3-3", "Mój numer 600 123 456", "Mój numer [phone]", []string{PIIPhone}},
		{"polish dashes no context", "oddzwońcie 600-123-456", "oddzwońcie [phone]", []string{PIIPhone}},
		{"italian mobile 3-7", "scrivetemi al 333 1234567", "scrivetemi al [phone]", []string{PIIPhone}},
		{"spanish 3-2-2-2", "llamadme al 912 34 56 78", "llamadme al [phone]", []string{PIIPhone}},
		{"us format", "(555) 123-4567", "[phone]", []string{PIIPhone}},
		{"unformatted with phone word", "my phone is 600123456", "my phone is [phone]", []string{PIIPhone}},
		// must stay
		{"order number 9 digits", "Where is my order 600123456?", "Where is my order 600123456?", nil},
		{"order number dashed", "order no. 123-456-789", "order no. 123-456-789", nil},
		{"order with hash", "#2024-123456 not delivered", "#2024-123456 not delivered", nil},
		{"bare 9 digit run", "600123456", "600123456", nil},
		{"price pl", "Cena 1 299,00 zł za sztukę", "Cena 1 299,00 zł za sztukę", nil},
		{"price big", "It costs €1.299.000", "It costs €1.299.000", nil},
		{"price eur suffix", "49.99 EUR", "49.99 EUR", nil},
		{"date iso", "delivered on 2024-03-12", "delivered on 2024-03-12", nil},
		{"date dotted with time", "am 12.05.2024 10:30 bestellt", "am 12.05.2024 10:30 bestellt", nil},
		{"date range", "12.03.2025 - 15.03.2025", "12.03.2025 - 15.03.2025", nil},
		{"postcode pl", "00-950 Warszawa", "00-950 Warszawa", nil},
		{"postcode fr", "75008 Paris", "75008 Paris", nil},
		{"percent", "20% off 100 items", "20% off 100 items", nil},
		{"tracking number", "tracking 00340434161234567890", "tracking 00340434161234567890", nil},
		{"invoice", "Fattura 2024/000123", "Fattura 2024/000123", nil},
		{"sku letters", "SKU AB-123456789", "SKU AB-123456789", nil},
		{"weights", "3 x 250 g, 1 500 kg", "3 x 250 g, 1 500 kg", nil},
		// several
		{"mixed", "I'm anna@x.io, +34 612 345 678, card 4111111111111111", "I'm [email], [phone], card [card]", []string{PIIEmail, PIIPhone, PIICard}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := Redact(tt.in)
			if got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
			var types []string
			for _, f := range found {
				types = append(types, f.Type)
				if f.Start < 0 || f.End > len(tt.in) || f.Start >= f.End {
					t.Errorf("finding %+v out of range", f)
				}
			}
			if strings.Join(types, ",") != strings.Join(tt.wantTypes, ",") {
				t.Errorf("types = %v, want %v", types, tt.wantTypes)
			}
		})
	}
}

func TestRedactFindingsPointAtValues(t *testing.T) {
	in := "mail a@b.de or call +49 30 1234567"
	_, found := Redact(in)
	want := []string{"a@b.de", "+49 30 1234567"}
	if len(found) != len(want) {
		t.Fatalf("found %d, want %d", len(found), len(want))
	}
	for i, f := range found {
		if got := in[f.Start:f.End]; got != want[i] {
			t.Errorf("finding %d covers %q, want %q", i, got, want[i])
		}
	}
}

func TestLuhnAndIBAN(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) bool
		in   string
		want bool
	}{
		{"luhn visa", luhn, "4111111111111111", true},
		{"luhn off by one", luhn, "4111111111111112", false},
		{"iban gb", validIBAN, "GB82WEST12345698765432", true},
		{"iban gb bad", validIBAN, "GB82WEST12345698765433", false},
		{"iban short", validIBAN, "GB82", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"4111 1111 1111 1111", "PL61 1090 1014 0000 0712 1981 2874", "a@b.co", "+48 600 123 456", "(030) 1234567", "1.299,00 zł", "pl61", "+", "(", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, found := Redact(s)
		last := 0
		for _, fd := range found {
			if fd.Start < last || fd.End <= fd.Start || fd.End > len(s) {
				t.Fatalf("Redact(%q): bad finding %+v", s, fd)
			}
			last = fd.End
		}
		if len(found) == 0 && got != s {
			t.Fatalf("Redact(%q) = %q without findings", s, got)
		}
		again, _ := Redact(got)
		if again != got {
			t.Fatalf("Redact not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}

func BenchmarkRedact(b *testing.B) {
	q := "Hi, I'm anna@example.com, my order 600123456 from 12.05.2024 cost 1 299,00 zł. Call +48 600 123 456 or pay back to PL61 1090 1014 0000 0712 1981 2874."
	for b.Loop() {
		Redact(q)
	}
}
