package answer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/llm"
	"github.com/ragkb/ragkb/internal/translateset"
)

// chatServer is an OpenAI-compatible endpoint whose reply is computed from
// the text to translate; it counts calls.
func chatServer(t testing.TB, reply func(text string) (status int, content string)) (*llm.Client, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req struct {
			Messages []ragkb.Message `json:"messages"`
		}
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil || len(req.Messages) != 2 {
			t.Errorf("bad request %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		text := strings.TrimSuffix(strings.TrimPrefix(req.Messages[1].Content, "<text>\n"), "\n</text>")
		status, content := reply(text)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status != http.StatusOK {
			fmt.Fprint(w, `{"error": {"message": "The server had an error while processing your request.", "type": "server_error", "param": null, "code": null}}`)
			return
		}
		c, _ := json.Marshal(content)
		fmt.Fprintf(w, `{"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4.1-mini",
			"choices": [{"index": 0, "message": {"role": "assistant", "content": %s}, "finish_reason": "stop"}],
			"usage": {"prompt_tokens": 90, "completion_tokens": 30, "total_tokens": 120}}`, c)
	}))
	t.Cleanup(srv.Close)
	c, err := llm.New(llm.Config{URL: srv.URL, Model: "gpt-4.1-mini", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, &calls
}

func TestTranslatorOutcomes(t *testing.T) {
	const pl = "Dostawa kosztuje 49 PLN i trwa 2 dni robocze."
	tests := []struct {
		name    string
		status  int
		reply   string
		outcome string
		want    string
	}{
		{"faithful", 200, "Die Lieferung kostet 49 PLN und dauert 2 Werktage.", TranslationDone, "Die Lieferung kostet 49 PLN und dauert 2 Werktage."},
		{"wrapped in a fence", 200, "```\nDie Lieferung kostet 49 PLN und dauert 2 Werktage.\n```", TranslationDone, "Die Lieferung kostet 49 PLN und dauert 2 Werktage."},
		{"price changed", 200, "Die Lieferung kostet 94 PLN und dauert 2 Werktage.", TranslationRejected, ""},
		{"not translated", 200, pl, TranslationFailed, ""},
		{"rambling", 200, "Die Lieferung kostet 49 PLN und dauert 2 Werktage. " + strings.Repeat("Wir freuen uns auf Ihre Bestellung und danken Ihnen. ", 5), TranslationFailed, ""},
		{"provider down", 500, "", TranslationFailed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, calls := chatServer(t, func(string) (int, string) { return tt.status, tt.reply })
			tr := NewTranslator(c, 10)
			got := tr.Translate(context.Background(), "ten_1", pl, "pl", "de")
			if got.Outcome != tt.outcome || got.Text != tt.want {
				t.Fatalf("got %s %q (%s), want %s %q", got.Outcome, got.Text, got.Reason, tt.outcome, tt.want)
			}
			if got.Usage.LLMCalls != 1 || calls.Load() != 1 {
				t.Errorf("usage %+v, calls %d: want the one call counted", got.Usage, calls.Load())
			}
			if strings.Contains(got.Reason, "94") {
				t.Errorf("reason %q repeats the altered figure", got.Reason)
			}
			// only checked translations are reused
			again := tr.Translate(context.Background(), "ten_1", pl, "pl", "de")
			if wantCached := tt.outcome == TranslationDone; (again.Outcome == TranslationCached) != wantCached {
				t.Errorf("second call: %s, want cached=%v", again.Outcome, wantCached)
			}
		})
	}
}

func TestTranslatorCacheIsBoundedAndPerTenant(t *testing.T) {
	c, calls := chatServer(t, func(text string) (int, string) {
		return 200, strings.NewReplacer("Dostawa", "Lieferung", "kosztuje", "kostet", "Zwrot", "Rückgabe", "trwa", "dauert", "dni", "Tage").Replace(text)
	})
	tr := NewTranslator(c, 1)
	ctx := context.Background()
	a, b := "Dostawa kosztuje 49 PLN.", "Zwrot trwa 30 dni."
	for i, step := range []struct {
		tenant, text, outcome string
	}{
		{"ten_1", a, TranslationDone},
		{"ten_1", a, TranslationCached},
		{"ten_2", a, TranslationDone}, // another tenant: its own entry (and it evicts ten_1's)
		{"ten_1", a, TranslationDone},
		{"ten_1", b, TranslationDone},
		{"ten_1", b, TranslationCached},
	} {
		if got := tr.Translate(ctx, step.tenant, step.text, "pl", "de"); got.Outcome != step.outcome {
			t.Fatalf("step %d: %s (%s), want %s", i, got.Outcome, got.Reason, step.outcome)
		}
	}
	if calls.Load() != 4 {
		t.Errorf("calls = %d, want 4", calls.Load())
	}
}

// BenchmarkTranslate times one translation of the benchmark set's texts
// through llm.Client and a loopback fake model (the faithful translation),
// figure check included; the cache is off (size 1, distinct texts).
func BenchmarkTranslate(b *testing.B) {
	cases := translateset.Cases()
	bySource := map[string]translateset.Case{}
	for _, c := range cases {
		bySource[c.Source] = c
	}
	c, _ := chatServer(b, func(text string) (int, string) { return 200, bySource[text].Faithful })
	tr := NewTranslator(c, 1)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		k := cases[i%len(cases)]
		if got := tr.Translate(ctx, "ten_1", k.Source, k.From, k.To); got.Outcome != TranslationDone && i < len(cases) {
			b.Fatalf("case %d: %s (%s)", k.ID, got.Outcome, got.Reason)
		}
	}
}
