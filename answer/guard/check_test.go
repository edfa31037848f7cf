package guard

import (
	"slices"
	"strings"
	"testing"
)

func TestNumberKeys(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"plain", "1299", []string{"1299"}},
		{"us thousands decimals", "1,299.00", []string{"1299"}},
		{"eu thousands decimals", "1.299,00", []string{"1299"}},
		{"space thousands", "1 299,00", []string{"1299"}},
		{"nbsp thousands", "1\u00a0299", []string{"1299"}},
		{"ambiguous comma", "1,299", []string{"1299", "1.299"}},
		{"ambiguous dot", "1.299", []string{"1299", "1.299"}},
		{"decimal dot", "49.99", []string{"49.99"}},
		{"decimal comma", "14,99", []string{"14.99"}},
		{"trailing zero", "49.90", []string{"49.9"}},
		{"millions", "1.299.000", []string{"1299000"}},
		{"leading zero", "007", []string{"7"}},
		{"zero", "0", []string{"0"}},
		{"long decimal is not thousands", "12345.678", []string{"12345.678"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := numberKeys(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("numberKeys(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestExtractFacts(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // kind:text:keys
	}{
		{"price euro before", "costs €49 now", []string{"price:€49:49"}},
		{"price code after", "49.99 EUR", []string{"price:49.99 EUR:49.99"}},
		{"price zloty", "1.299,00 zł", []string{"price:1.299,00 zł:1299"}},
		{"percent forms", "50% or 50 % or 50 percent or 50 Prozent", []string{"percentage:50%:50", "percentage:50 %:50", "percentage:50 percent:50", "percentage:50 Prozent:50"}},
		{"code", "use code SAVE50 today", []string{"code:SAVE50:save50"}},
		{"code word without digits", "kod rabatowy: LATO", []string{"code:LATO:lato"}},
		{"lower-case word after code is no code", "enter the code below", []string{}},
		{"code after codice", "codice: ESTATE", []string{"code:ESTATE:estate"}},
		{"unit is a number", "a 500ml bottle", []string{"number:500:500"}},
		{"iso date", "on 2025-03-12", []string{"date:2025-03-12:y2025m3d12"}},
		{"dotted date", "am 12.03.2025", []string{"date:12.03.2025:y2025m3d12,y2025m12d3"}},
		{"day month name", "until 31 August 2025", []string{"date:31 August 2025:y2025m8d31"}},
		{"spanish date", "hasta el 5 de marzo de 2025", []string{"date:5 de marzo de 2025:y2025m3d5"}},
		{"polish date", "do 3 maja", []string{"date:3 maja:m5d3"}},
		{"english month first", "from March 12, 2025", []string{"date:March 12, 2025:y2025m3d12"}},
		{"time", "open 9:00-17:30", []string{"time:9:00:t9:00", "time:17:30:t17:30"}},
		{"range", "2-3 days", []string{"number:2:2", "number:3:3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []string{}
			for _, f := range extractFacts(tt.in) {
				got = append(got, f.kind+":"+f.text+":"+strings.Join(f.keys, ","))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("extractFacts(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

const (
	srcShipping = "Standard delivery costs €4.99 and takes 2-3 working days. Orders over €49 ship free of charge. " +
		"Returns are accepted within 30 days of delivery; the refund reaches your account within fourteen days."
	srcSale  = "Our summer sale runs until 31 August 2025 with 20% off selected garden furniture. Customer service is open Monday to Friday, 9:00-17:00."
	srcPL    = "Dostawa kurierem dla mebli kosztuje 1 299,00 zł. Zwrot towaru jest możliwy w ciągu 14 dni od otrzymania przesyłki."
	srcIT    = "Il reso è gratuito entro 30 giorni dalla consegna. La spedizione in Italia costa 6,90 €."
	srcDE    = "Der Versand ist ab 50 € Bestellwert kostenlos. Die Lieferung dauert 1-2 Werktage."
	srcFR    = "La livraison en point relais coûte 3,90 € et prend 48 heures. Les retours sont acceptés pendant 14 jours."
	srcES    = "El envío a domicilio cuesta 4,95 € y tarda de 24 a 48 horas. Las devoluciones son gratuitas durante 30 días."
	srcPrice = "Sofa Oslo, 3-seater. Price: 1,299 EUR."
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, answer string
		sources      []string
		wantOK       bool
		wantFlagged  []string // each must be in Unsupported
	}{
		{"verbatim passage", srcShipping, []string{srcShipping}, true, nil},
		{"verbatim passages with citations", "Standard delivery costs €4.99 and takes 2-3 working days [1]. " + srcSale + " [2]", []string{srcShipping, srcSale}, true, nil},
		{"faithful paraphrase", "Delivery costs 4.99 EUR and usually takes 2-3 working days [1]. If your order is over 49 €, shipping is free [1].", []string{srcShipping}, true, nil},
		{"paraphrase with number word in source", "Your refund reaches your account within 14 days [1].", []string{srcShipping}, true, nil},
		{"date in other format", "The summer sale runs until 31.08.2025 [2].", []string{srcShipping, srcSale}, true, nil},
		{"percent spelled out", "Selected garden furniture is 20 percent off until August 31 [1].", []string{srcSale}, true, nil},
		{"time range", "Customer service is open Monday to Friday from 9:00 to 17:00 [1].", []string{srcSale}, true, nil},
		{"connectives allowed", "Sure! Here is what I found.\nReturns are accepted within 30 days of delivery [1]. Let me know if you have other questions.", []string{srcShipping}, true, nil},
		{"i don't know", "I'm sorry, I don't have that information.", []string{srcShipping}, true, nil},
		{"markdown list", "1. **Delivery** costs €4.99 [1]\n2. Returns are accepted within 30 days [1]", []string{srcShipping}, true, nil},
		{"invented price", "Standard delivery costs €5.99 and takes 2-3 working days [1].", []string{srcShipping}, false, []string{"€5.99"}},
		{"invented discount code", "Use code SAVE50 for 50% off your order [1].", []string{srcShipping, srcSale}, false, []string{"SAVE50", "50%"}},
		{"invented date", "The summer sale runs until 15 September 2025 [1].", []string{srcSale}, false, []string{"15 September 2025"}},
		{"invented deadline number", "Returns are accepted within 60 days of delivery [1].", []string{srcShipping}, false, []string{"60"}},
		{"invented sentence", "Returns are accepted within 30 days [1]. We also offer free gift wrapping and engraving on every purchase.", []string{srcShipping}, false, []string{"We also offer free gift wrapping and engraving on every purchase."}},
		{"percent where source has plain number", "Sie erhalten 50 % Rabatt auf die Lieferung [1].", []string{srcDE}, false, []string{"50 %"}},
		{"currency mismatch", "Orders over $49 ship free of charge.", []string{srcShipping}, false, []string{"$49"}},
		{"no sources", "Delivery costs €4.99.", nil, false, []string{"€4.99"}},
		{"empty answer", " [1] ", []string{srcShipping}, false, nil},
		{"ambiguous thousands", "The Oslo sofa costs 1.299 EUR [1].", []string{srcPrice}, true, nil},
		{"us price format", "The Oslo sofa (3-seater) costs 1,299.00 EUR [1].", []string{srcPrice}, true, nil},
		{"translated answer: facts checked", "Standardowa dostawa kosztuje €4.99 i trwa 2-3 dni robocze [1].", []string{srcShipping}, true, nil},
		{"translated answer: invented fact caught", "Standardowa dostawa kosztuje €2.99 i trwa 2-3 dni robocze [1].", []string{srcShipping}, false, []string{"€2.99"}},
		{"translated answer: same-language source present", "Darmowe pakowanie prezentów dla każdego klienta.", []string{srcShipping, srcPL}, false, nil},
		// six languages
		{"pl faithful", "Dostawa kurierem mebli kosztuje 1.299,00 zł [1]. Zwrot towaru jest możliwy w ciągu 14 dni [1].", []string{srcPL}, true, nil},
		{"pl other format", "Dostawa mebli kurierem kosztuje 1299 PLN [1].", []string{srcPL}, true, nil},
		{"pl invented price", "Dostawa kurierem dla mebli kosztuje 999 zł [1].", []string{srcPL}, false, []string{"999 zł"}},
		{"it faithful", "Puoi effettuare il reso gratuito entro 30 giorni dalla consegna [1]. La spedizione in Italia costa 6,90 € [1].", []string{srcIT}, true, nil},
		{"it invented", "La spedizione in Italia costa 4,90 € [1].", []string{srcIT}, false, []string{"4,90 €"}},
		{"de faithful", "Ab einem Bestellwert von 50 € ist der Versand kostenlos [1]. Die Lieferung dauert 1-2 Werktage [1].", []string{srcDE}, true, nil},
		{"fr faithful", "La livraison en point relais coûte 3,90 € et prend 48 heures [1].", []string{srcFR}, true, nil},
		{"fr invented sentence", "Nous offrons aussi un emballage cadeau personnalisé gratuit pour chaque commande.", []string{srcFR}, false, []string{"Nous offrons aussi un emballage cadeau personnalisé gratuit pour chaque commande."}},
		{"es faithful", "El envío a domicilio cuesta 4,95 € y tarda de 24 a 48 horas [1].", []string{srcES}, true, nil},
		{"es invented discount", "Con el código VERANO20 tienes un 20% de descuento [1].", []string{srcES}, false, []string{"VERANO20", "20%"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.answer, tt.sources)
			if got.OK != tt.wantOK {
				t.Fatalf("Check(%q).OK = %v, want %v (unsupported %q, reason %q)", tt.answer, got.OK, tt.wantOK, got.Unsupported, got.Reason)
			}
			if got.OK && (len(got.Unsupported) > 0 || got.Reason != "") {
				t.Errorf("OK verdict with unsupported %q / reason %q", got.Unsupported, got.Reason)
			}
			if !got.OK && got.Reason == "" {
				t.Errorf("rejected without a reason")
			}
			for _, w := range tt.wantFlagged {
				if !slices.Contains(got.Unsupported, w) {
					t.Errorf("Unsupported = %q, want it to contain %q", got.Unsupported, w)
				}
			}
		})
	}
}

func TestCheckerThresholds(t *testing.T) {
	answer := "Returns are accepted within thirty calendar days after the parcel arrives."
	strict := Checker{MinOverlap: 0.9}
	if v := strict.Check(answer, []string{srcShipping}); v.OK {
		t.Errorf("strict Check = OK, want rejected")
	}
	lax := Checker{MinOverlap: 0.2}
	if v := lax.Check(answer, []string{srcShipping}); !v.OK {
		t.Errorf("lax Check = %+v, want OK", v)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("Costs €4.99 until 31.08.2025 [1].", srcShipping)
	f.Add("1,299.00 zł 50 % SAVE50 9:00", srcPL)
	f.Add("", "")
	f.Fuzz(func(t *testing.T, answer, source string) {
		v := Check(answer, []string{source})
		if v.OK != (len(v.Unsupported) == 0 && v.Reason == "") {
			t.Fatalf("inconsistent verdict %+v", v)
		}
		if strings.TrimSpace(answer) != "" && citationMarkRe.ReplaceAllString(answer, "") == answer {
			// an answer is always supported by itself as the source
			if v := Check(answer, []string{answer}); !v.OK {
				t.Fatalf("Check(%q, itself) = %+v, want OK", answer, v)
			}
		}
	})
}

func BenchmarkCheck(b *testing.B) {
	answer := "Delivery costs 4.99 EUR and usually takes 2-3 working days [1]. If your order is over 49 €, shipping is free [1]. The sale runs until 31.08.2025 [2]."
	sources := []string{srcShipping, srcSale, srcPL, srcIT, srcDE, srcFR, srcES}
	for b.Loop() {
		Check(answer, sources)
	}
}
