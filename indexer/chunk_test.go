package indexer

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	long := strings.Repeat("Returns are accepted within 30 days of delivery. ", 60)
	tests := []struct {
		name     string
		text     string
		size     int
		wantMin  int
		wantMax  int
		mustHave string
	}{
		{"empty", "   ", 100, 0, 0, ""},
		{"short stays whole", "We ship in 24 hours.", 100, 1, 1, "We ship in 24 hours."},
		{"long is split", long, 300, 9, 14, "Returns are accepted"},
		{"one overlong word run", strings.Repeat("x", 250), 100, 3, 3, "xxx"},
		{"paragraphs", "First para line.\n\nSecond paragraph is here.\nThird line.", 30, 2, 4, "Second paragraph"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.text, tt.size, tt.size/8)
			if len(got) < tt.wantMin || len(got) > tt.wantMax {
				t.Fatalf("pieces: got %d, want %d..%d: %q", len(got), tt.wantMin, tt.wantMax, got)
			}
			joined := strings.Join(got, " ")
			if !strings.Contains(joined, tt.mustHave) {
				t.Fatalf("got %q, want it to contain %q", joined, tt.mustHave)
			}
			for _, p := range got {
				if n := utf8.RuneCountInString(p); n > tt.size {
					t.Fatalf("piece of %d runes exceeds %d: %q", n, tt.size, p)
				}
				if strings.TrimSpace(p) == "" {
					t.Fatal("empty piece")
				}
			}
		})
	}
}

func TestSplitKeepsEveryWord(t *testing.T) {
	text := "Alpha beta. Gamma delta epsilon! Zeta eta theta? Iota kappa lambda. Mu nu xi omicron pi rho."
	got := Split(text, 30, 10)
	joined := strings.Join(got, " ")
	for _, w := range strings.Fields(text) {
		if !strings.Contains(joined, w) {
			t.Fatalf("word %q lost: %q", w, got)
		}
	}
}
