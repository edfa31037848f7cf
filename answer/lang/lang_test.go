package lang

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

func TestDetectAccuracy(t *testing.T) {
	accuracyTable(t, questions, 20, 0.85)
}

func TestDetectAccuracyHard(t *testing.T) {
	accuracyTable(t, hardQuestions, 10, 0.7)
}

// accuracyTable logs per-language accuracy on a table and fails when a
// language has fewer than minN questions or falls below floor, which is
// set under what the table reaches so that it catches regressions.
func accuracyTable(t *testing.T, questions map[string][]string, minN int, floor float64) {
	t.Helper()
	codes := make([]string, 0, len(questions))
	for c := range questions {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var report strings.Builder
	total, right := 0, 0
	for _, want := range codes {
		qs := questions[want]
		if len(qs) < minN {
			t.Errorf("%s: %d questions, want at least %d", want, len(qs), minN)
		}
		ok := 0
		for _, q := range qs {
			got, conf := Detect(q)
			if got == want {
				ok++
			} else {
				fmt.Fprintf(&report, "  %s: Detect(%q) = %q (%.2f)\n", want, q, got, conf)
			}
		}
		acc := float64(ok) / float64(len(qs))
		fmt.Fprintf(&report, "%s: %d/%d = %.0f%%\n", want, ok, len(qs), 100*acc)
		total += len(qs)
		right += ok
		if acc < floor {
			t.Errorf("%s accuracy %.2f, want >= %.2f", want, acc, floor)
		}
	}
	fmt.Fprintf(&report, "all: %d/%d = %.1f%%\n", right, total, 100*float64(right)/float64(total))
	t.Log("\n" + report.String())
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"brief pl", "Czy wystawiacie faktury VAT?", "pl"},
		{"brief it", "fattura?", "it"},
		{"brief de", "Wo ist mein Paket?", "de"},
		{"brief es", "¿Hacéis factura?", "es"},
		{"pl without diacritics", "czy moge zwrocic buty", "pl"},
		{"de without umlauts", "Kann ich die Bestellung stornieren", "de"},
		{"fr without accents", "ou est mon colis", "fr"},
		{"en long", "Hello, I placed an order three days ago and would like to know when it will be shipped.", "en"},
		{"pt", "Onde está a minha encomenda?", "pt"},
		{"nl", "Waar is mijn bestelling?", "nl"},
		{"russian", "Где мой заказ?", "ru"},
		{"ukrainian", "Де моє замовлення? Дякую, і все", "uk"},
		{"greek", "Πού είναι η παραγγελία μου;", "el"},
		{"japanese", "注文はいつ届きますか？", "ja"},
		{"chinese", "我的订单在哪里", "zh"},
		{"korean", "주문은 언제 도착하나요?", "ko"},
		{"one word it", "grazie", "it"},
		{"one word de", "danke", "de"},
		{"one word fr", "merci", "fr"},
		{"one word es", "gracias", "es"},
		{"one word pl no diacritics", "dzieki", "pl"},
		{"one word en", "shipping?", "en"},
		{"one word it noun", "spedizione?", "it"},
		{"one word pl noun", "wysyłka?", "pl"},
		{"compound de", "Bestellstatus", "de"},
		{"too short to tell", "ok", ""},
		{"product name", "PayPal?", ""},
		{"empty", "", ""},
		{"digits only", "12345 ???", ""},
		{"one letter", "?a", ""},
		{"order number only", "#A-1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, conf := Detect(tt.text)
			if got != tt.want {
				t.Errorf("Detect(%q) = %q (%.2f), want %q", tt.text, got, conf, tt.want)
			}
			if conf < 0 || conf > 1 {
				t.Errorf("confidence %v out of [0, 1]", conf)
			}
			if got != "" && conf < MinConfidence {
				t.Errorf("answered %q with confidence %.2f below MinConfidence", got, conf)
			}
		})
	}
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"fattura?", "Czy wystawiacie faktury VAT?", "Где", "", "l'''--", "¿¡"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, conf := Detect(s)
		if conf < 0 || conf > 1 || (code != "" && conf < MinConfidence) {
			t.Fatalf("Detect(%q) = %q, %v", s, code, conf)
		}
	})
}

func BenchmarkDetectShort(b *testing.B) {
	Detect("warm up")
	for b.Loop() {
		Detect("Czy wystawiacie faktury VAT?")
	}
}

func BenchmarkDetectSentence(b *testing.B) {
	Detect("warm up")
	q := "Hello, I placed an order three days ago and would like to know when it will be shipped to my address in Leeds."
	for b.Loop() {
		Detect(q)
	}
}

func BenchmarkNewModel(b *testing.B) {
	for b.Loop() {
		newModel(profiles)
	}
}
