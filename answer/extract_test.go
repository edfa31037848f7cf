package answer

import (
	"strings"
	"testing"

	"github.com/ragkb/ragkb"
)

func hit(title, text string, rel float64) ragkb.SearchHit {
	return ragkb.SearchHit{Chunk: &ragkb.Chunk{Title: title, Text: text}, Relevance: rel}
}

func TestExtract(t *testing.T) {
	returns := hit("Returns", "You can return any product within 30 days of delivery. Refunds reach your account within 5 working days. Our shop is closed on Sundays.", 0.7)
	shipping := hit("Shipping", "We ship with InPost and DPD. Parcels to Switzerland travel with DHL in 4-6 days.", 0.5)
	tests := []struct {
		name     string
		question string
		hits     []ragkb.SearchHit
		want     []string
		notWant  []string
		wantUsed int
	}{
		{"picks the matching sentence", "How many days do I have to return a product?", []ragkb.SearchHit{returns, shipping}, []string{"within 30 days"}, []string{"Sundays"}, 1},
		{"from the second hit", "Do you send parcels to Switzerland?", []ragkb.SearchHit{returns, shipping}, []string{"Switzerland travel with DHL"}, []string{"return any product"}, 1},
		{"nothing relevant", "What is the capital of Peru?", []ragkb.SearchHit{returns}, nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, used := Extract(tt.question, tt.hits, 3)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Fatalf("got %q, want it to contain %q", got, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Fatalf("got %q, want it without %q", got, w)
				}
			}
			if len(used) != tt.wantUsed {
				t.Fatalf("used hits: got %v, want %d", used, tt.wantUsed)
			}
			// Extractive answers are verbatim: every sentence comes from a source.
			for _, s := range splitSentences(got) {
				found := false
				for _, h := range tt.hits {
					found = found || strings.Contains(h.Chunk.Text, s)
				}
				if !found {
					t.Fatalf("sentence %q is not in any source", s)
				}
			}
		})
	}
}

func TestSnippet(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
		want string
	}{
		{"short", "Hello   world", 50, "Hello world"},
		{"cut at word", "alpha beta gamma delta epsilon", 14, "alpha beta…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := snippet(tt.text, tt.max); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestComplex(t *testing.T) {
	tests := []struct {
		name string
		q    string
		want bool
	}{
		{"routine", "Do you issue invoices?", false},
		{"price", "How much is the Speedcross 6?", false},
		{"comparison en", "What is the difference between the Speedcross and the Speedgoat?", true},
		{"recommendation pl", "Które buty polecacie na maraton?", true},
		{"comparison de", "Ist die Jacke besser als die andere?", true},
		{"recommendation es", "¿Cuál me recomiendas para correr en montaña?", true},
		{"long", "I run twice a week on muddy forest trails and sometimes on rocky mountain paths in the rain", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Complex(tt.q); got != tt.want {
				t.Fatalf("Complex(%q): got %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}
