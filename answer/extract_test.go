package answer

import (
	"strings"
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/retriever"
)

func hit(title, text string, rel float64) retriever.Hit {
	return retriever.Hit{Chunk: &ragkb.Chunk{Title: title, Text: text}, Relevance: rel}
}

func TestExtract(t *testing.T) {
	returns := hit("Returns", "You can return any product within 30 days of delivery. Refunds reach your account within 5 working days. Our shop is closed on Sundays.", 0.7)
	shipping := hit("Shipping", "We ship with InPost and DPD. Parcels to Switzerland travel with DHL in 4-6 days.", 0.5)
	tests := []struct {
		name     string
		question string
		hits     []retriever.Hit
		want     []string
		notWant  []string
		wantUsed int
	}{
		{"picks the matching sentence", "How many days do I have to return a product?", []retriever.Hit{returns, shipping}, []string{"within 30 days"}, []string{"Sundays"}, 1},
		{"from the second hit", "Do you send parcels to Switzerland?", []retriever.Hit{returns, shipping}, []string{"Switzerland travel with DHL"}, []string{"return any product"}, 1},
		{"nothing relevant", "What is the capital of Peru?", []retriever.Hit{returns}, nil, nil, 0},
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

func TestStats(t *testing.T) {
	logs := []*ragkb.AnswerLog{
		{Intent: "invoice", Status: ragkb.AnswerAnswered, Tier: ragkb.TierFast, LatencyMS: 1},
		{Intent: "invoice", Status: ragkb.AnswerAnswered, Tier: ragkb.TierFast, LatencyMS: 3},
		{Intent: "invoice", Status: ragkb.AnswerFallback, Tier: ragkb.TierGrounded, LatencyMS: 10},
		{Intent: "product_advice", Status: ragkb.AnswerAnswered, Tier: ragkb.TierPremium, LLMCalls: 1, PromptTokens: 500, CompletionTokens: 80, LatencyMS: 900},
	}
	got := Stats(logs)
	if len(got) != 2 || got[0].Intent != "invoice" {
		t.Fatalf("rows: got %+v, want invoice first", got)
	}
	inv := got[0]
	if inv.Requests != 3 || inv.Answered != 2 || inv.Fallback != 1 || inv.Tiers["fast"] != 2 || inv.Tiers["grounded"] != 1 {
		t.Fatalf("invoice: got %+v", inv)
	}
	if inv.P50MS != 3 || inv.P95MS != 10 {
		t.Fatalf("invoice latency: got p50=%v p95=%v, want 3 and 10", inv.P50MS, inv.P95MS)
	}
	if pa := got[1]; pa.LLMCalls != 1 || pa.PromptTokens != 500 || pa.CompletionTokens != 80 || pa.Tiers["premium"] != 1 {
		t.Fatalf("product_advice: got %+v", pa)
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
