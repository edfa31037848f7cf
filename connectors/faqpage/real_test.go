package faqpage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/internal/golden"
)

// TestRealPages reads the real FAQ pages of testdata/real (see its README):
// every question the page shows is found with its whole answer and nothing
// of the page chrome, or reported as missing.
func TestRealPages(t *testing.T) {
	tests := []struct {
		name, file  string
		wantPairs   int
		wantMissing []string
		// wantAnswer is part of one answer; notInAnswers must be in none.
		wantAnswer, notInAnswers string
	}{
		{name: "de h2 questions, price box left over", file: "faq-heizung-de/index.html", wantPairs: 2,
			wantMissing: []string{"Was kostet der Heizungsnotdienst?"}, wantAnswer: "zwei Stunden", notInAnswers: "Berlin"},
		{name: "pl headings without a question mark", file: "faq-ksiegarnia-pl/faq.html", wantPairs: 8,
			wantAnswer: "Paczki wysyłane są za pomocą kuriera InPost", notInAnswers: "REGON"},
		{name: "pl in ISO-8859-2 by its meta tag", file: "hostile-iso88592/faq-meta-only.html", wantPairs: 8,
			wantAnswer: "Zakupione książki można zwrócić w ciągu 14 dni", notInAnswers: "REGON"},
		{name: "it JSP headings and sub-questions", file: "faq-orion-it/faq.html", wantPairs: 9, wantAnswer: "dieci giorni lavorativi"},
		{name: "it <p>Q?<br>A</p> in list items", file: "faq-orodelsud-it/faq.html", wantPairs: 7, wantAnswer: "- PostePay"},
		{name: "en yoast block", file: "faq-yoast-volz-en/index.html", wantPairs: 5, wantAnswer: "between five and seven"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("../../testdata/real", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := connectors.ParseHTML(&connectors.Response{URL: "https://shop.example/faq", Body: b, ContentType: "text/html"})
			if err != nil {
				t.Fatal(err)
			}
			pairs := Extract(doc)
			if len(pairs) != tt.wantPairs {
				t.Errorf("pairs: got %d, want %d", len(pairs), tt.wantPairs)
			}
			var all strings.Builder
			for _, p := range pairs {
				all.WriteString(p.Answer + "\n")
			}
			if !strings.Contains(all.String(), tt.wantAnswer) {
				t.Errorf("no answer contains %q", tt.wantAnswer)
			}
			if tt.notInAnswers != "" && strings.Contains(all.String(), tt.notInAnswers) {
				t.Errorf("an answer contains page chrome %q", tt.notInAnswers)
			}
			if got := Missing(doc, pairs); strings.Join(got, "|") != strings.Join(tt.wantMissing, "|") {
				t.Errorf("missing: got %q, want %q", got, tt.wantMissing)
			}
			golden.JSON(t, filepath.Join("../../testdata/real/golden", strings.ReplaceAll(filepath.Dir(tt.file), "/", "_")+".faq.golden.json"), pairs)
		})
	}
}
