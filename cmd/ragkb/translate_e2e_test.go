package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// reasoningLLM behaves like OpenAI's chat completions endpoint serving a
// reasoning model (o4-mini, gpt-5): a body with max_tokens or temperature
// gets the 400 the provider documents; otherwise it translates (from the
// test's table) or answers with the premium reply, and counts reasoning
// tokens in usage.
type reasoningLLM struct {
	t            *testing.T
	mu           sync.Mutex
	calls        int
	refused      int               // 400s sent for the chat parameter set
	translations map[string]string // source text -> the "model's" translation
	premium      string
	bodies       []map[string]any
}

func (f *reasoningLLM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer llm-key" ||
		r.Header.Get("Content-Type") != "application/json" {
		f.t.Errorf("request %s %s with Authorization %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
		http.Error(w, `{"error":{"message":"bad request shape"}}`, http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(r.Body)
	var body map[string]any
	var req struct {
		Messages []struct{ Role, Content string }
	}
	if json.Unmarshal(data, &body) != nil || json.Unmarshal(data, &req) != nil || len(req.Messages) != 2 {
		f.t.Errorf("body %s", data)
		http.Error(w, `{"error":{"message":"bad body"}}`, http.StatusBadRequest)
		return
	}
	f.calls++
	f.bodies = append(f.bodies, body)
	w.Header().Set("Content-Type", "application/json")
	if _, ok := body["max_tokens"]; ok {
		f.refused++
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{
  "error": {
    "message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    "type": "invalid_request_error",
    "param": "max_tokens",
    "code": "unsupported_parameter"
  }
}`)
		return
	}
	if _, ok := body["temperature"]; ok {
		f.refused++
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error": {"message": "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.", "type": "invalid_request_error", "param": "temperature", "code": "unsupported_value"}}`)
		return
	}
	reply := f.premium
	if strings.HasPrefix(req.Messages[0].Content, "You translate") {
		text := strings.TrimSuffix(strings.TrimPrefix(req.Messages[1].Content, "<text>\n"), "\n</text>")
		var ok bool
		if reply, ok = f.translations[text]; !ok {
			f.t.Errorf("no translation for %q", text)
		}
	}
	c, _ := json.Marshal(reply)
	fmt.Fprintf(w, `{"id": "chatcmpl-CK9x", "object": "chat.completion", "created": %d, "model": "o4-mini-2025-04-16",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": %s, "refusal": null, "annotations": []}, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 180, "completion_tokens": 240, "total_tokens": 420,
    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 192, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
  "service_tier": "default"}`, time.Now().Unix(), c)
}

const (
	plDelivery    = "Wysyłamy w ciągu 24 godzin. Dostawa kurierem kosztuje 15,99 zł, a od 299 zł jest darmowa. Z kodem LATO10 dostaniesz 10% rabatu do 31.08.2026."
	deDelivery    = "Wir versenden innerhalb von 24 Stunden. Die Lieferung per Kurier kostet 15,99 zł, ab 299 zł ist sie kostenlos. Mit dem Code LATO10 erhalten Sie 10% Rabatt bis 31.08.2026."
	plWarranty    = "Gwarancja producenta trwa 24 miesiące. Odbiór reklamowanego towaru kurierem kosztuje 49 PLN, formularz: https://sklep.example.pl/reklamacje"
	deWarrantyBad = "Die Herstellergarantie beträgt 24 Monate. Die Abholung der reklamierten Ware per Kurier kostet 94 PLN, Formular: https://sklep.example.pl/reklamacje"
)

// TestTranslatedAnswersWithReasoningModel is the done-when scenario
// through the HTTP API: a reasoning-model configuration answers premium
// questions; a German question against a Polish-only knowledge base gets a
// German answer with the same prices and codes, marked translated; a
// translation that turns "49 PLN" into "94 PLN" is rejected and the Polish
// original returned.
func TestTranslatedAnswersWithReasoningModel(t *testing.T) {
	for _, model := range []string{"o4-mini", "prod-eu-assistant"} { // by name; learned from the provider's 400
		t.Run(model, func(t *testing.T) { translatedAnswers(t, model) })
	}
}

func translatedAnswers(t *testing.T, model string) {
	llm := &reasoningLLM{t: t, translations: map[string]string{plDelivery: deDelivery, plWarranty: deWarrantyBad},
		premium: "For long mountain runs the Hoka Speedgoat 5 (649 PLN) is the most cushioned choice [1]."}
	llmSrv := httptest.NewServer(llm)
	defer llmSrv.Close()
	s := startService(t, t.TempDir(), map[string]string{"RAGKB_LLM_URL": llmSrv.URL, "RAGKB_LLM_MODEL": model, "RAGKB_LLM_API_KEY": "llm-key"})
	_, merchant, chatbot := s.tenantWithKeys("Sklep")

	var kb, pol ragkb.Resource
	s.call("POST", "/v1/resources", merchant, map[string]any{"name": "Sklep", "type": "knowledge_base", "language": "pl",
		"knowledge_base": map[string]any{"delivery_time": plDelivery, "warranty": plWarranty}}, &kb)
	s.call("POST", "/v1/resources", merchant, map[string]any{"name": "Shoes guide", "type": "policy", "policy": map[string]string{
		"title": "Trail shoes guide", "format": "markdown",
		"content": "# Choosing trail shoes\n\nThe Salomon Speedcross 6 costs 499 PLN and grips best on mud and wet rock.\n\nThe Hoka Speedgoat 5 costs 649 PLN and is the most cushioned choice for long mountain runs.\n",
	}}, &pol)
	for _, id := range []string{kb.ID, pol.ID} {
		if r := s.waitStatus(merchant, id, 10*time.Second); r.Status != ragkb.StatusSuccess {
			t.Fatalf("resource %s: %s %s", id, r.Status, r.Error)
		}
	}
	newAssistant := func(translate bool) string {
		var a ragkb.Assistant
		if code := s.call("POST", "/v1/assistants", merchant, map[string]any{"name": fmt.Sprint("bot ", translate),
			"premium_intents": []string{"product_advice"}, "translate": translate}, &a); code != 201 || a.Translate != translate {
			t.Fatalf("create assistant: %d %+v", code, a)
		}
		return a.ID
	}
	translating, plain := newAssistant(true), newAssistant(false)
	var problem map[string]any
	if code := s.call("POST", "/v1/assistants", merchant, map[string]any{"name": "bad", "translate": "yes"}, &problem); code != 400 ||
		!strings.Contains(fmt.Sprint(problem), "translate") {
		t.Fatalf("translate: \"yes\": got %d %v, want 400 naming translate", code, problem)
	}
	ask := func(assistant, q string) (ragkb.AnswerResponse, string) {
		t.Helper()
		var raw json.RawMessage
		if code := s.call("POST", "/v1/answer", chatbot, map[string]any{"question": q, "assistant_id": assistant}, &raw); code != 200 {
			t.Fatalf("answer %q: got %d: %s", q, code, raw)
		}
		var a ragkb.AnswerResponse
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		return a, string(raw)
	}

	t.Run("premium question with the reasoning model", func(t *testing.T) {
		a, _ := ask(translating, "Which trail shoes would you recommend for long mountain runs on mud?")
		if a.Status != ragkb.AnswerAnswered || a.Tier != ragkb.TierPremium || !strings.Contains(a.Answer, "649 PLN") || len(a.Citations) == 0 {
			t.Fatalf("got %s/%s %q (%s), want a premium answer", a.Status, a.Tier, a.Answer, a.Reason)
		}
		if a.Usage.LLMCalls != 1 || a.Usage.CompletionTokens != 240 || a.Usage.ReasoningTokens != 192 {
			t.Errorf("usage = %+v, want 1 call, 240 completion tokens of which 192 reasoning", a.Usage)
		}
	})
	t.Run("german question, polish approved text: translated", func(t *testing.T) {
		a, raw := ask(translating, "Wie lange dauert die Lieferung und was kostet der Versand?")
		if a.Status != ragkb.AnswerAnswered || a.Tier != ragkb.TierFast {
			t.Fatalf("got %s/%s %q (%s), want the fast delivery_time answer", a.Status, a.Tier, a.Answer, a.Reason)
		}
		if a.Answer != deDelivery || !a.Translated || a.AnswerLanguage != "de" || a.Language != "de" {
			t.Fatalf("got %s", raw)
		}
		for _, fig := range []string{"15,99 zł", "299 zł", "LATO10", "10%", "31.08.2026", "24"} {
			if !strings.Contains(a.Answer, fig) {
				t.Errorf("translation lost %q", fig)
			}
		}
		if a.Usage.LLMCalls != 1 || a.Usage.PromptTokens != 180 || len(a.Citations) != 1 || a.Citations[0].ResourceID != kb.ID {
			t.Errorf("usage %+v citations %+v, want one model call and the knowledge base cited", a.Usage, a.Citations)
		}
	})
	t.Run("the same text again comes from the cache", func(t *testing.T) {
		before := llm.calls
		a, _ := ask(translating, "Wie lange dauert der Versand?")
		if a.Answer != deDelivery || !a.Translated || a.Usage.LLMCalls != 0 || llm.calls != before {
			t.Fatalf("got %q translated=%v calls=%d (model calls %d→%d), want the cached translation", a.Answer, a.Translated, a.Usage.LLMCalls, before, llm.calls)
		}
	})
	t.Run("a translation changing 49 PLN to 94 PLN is rejected", func(t *testing.T) {
		a, raw := ask(translating, "Wie lange habe ich Garantie auf die Produkte?")
		if a.Status != ragkb.AnswerAnswered || a.Answer != plWarranty || a.Translated || a.AnswerLanguage != "pl" {
			t.Fatalf("got %s, want the Polish original", raw)
		}
		if strings.Contains(raw, "94 PLN") {
			t.Fatalf("the altered price reached the customer: %s", raw)
		}
		if a.Usage.LLMCalls != 1 || !strings.Contains(a.Reason, "49 PLN") {
			t.Errorf("usage %+v reason %q, want the rejected call counted and explained", a.Usage, a.Reason)
		}
	})
	t.Run("an assistant without translate answers in the original language", func(t *testing.T) {
		before := llm.calls
		a, _ := ask(plain, "Wie lange dauert die Lieferung?")
		if a.Answer != plDelivery || a.Translated || a.AnswerLanguage != "pl" || a.Usage.LLMCalls != 0 || llm.calls != before {
			t.Fatalf("got %q translated=%v answer_language=%q calls=%d", a.Answer, a.Translated, a.AnswerLanguage, a.Usage.LLMCalls)
		}
	})
	t.Run("polish question: nothing to translate", func(t *testing.T) {
		a, _ := ask(translating, "Jak długo trwa dostawa?")
		if a.Answer != plDelivery || a.Translated || a.AnswerLanguage != "" || a.Usage.LLMCalls != 0 {
			t.Fatalf("got %q translated=%v answer_language=%q calls=%d", a.Answer, a.Translated, a.AnswerLanguage, a.Usage.LLMCalls)
		}
	})
	t.Run("requests use the reasoning parameter set", func(t *testing.T) {
		wantRefused := 0
		if model != "o4-mini" {
			wantRefused = 1 // one 400, then the set is remembered
		}
		if llm.refused != wantRefused {
			t.Errorf("the provider refused %d requests, want %d", llm.refused, wantRefused)
		}
		for i, b := range llm.bodies[wantRefused:] {
			if _, ok := b["max_completion_tokens"]; !ok {
				t.Errorf("body %d = %v, want max_completion_tokens", i, b)
			}
		}
	})
	t.Run("stats and metrics count the translations", func(t *testing.T) {
		var st struct {
			ByIntent []struct {
				Intent           string
				LLMCalls         int `json:"llm_calls"`
				CompletionTokens int `json:"completion_tokens"`
			} `json:"by_intent"`
		}
		s.call("GET", "/v1/stats", merchant, nil, &st)
		got := map[string]int{}
		for _, r := range st.ByIntent {
			got[r.Intent] = r.LLMCalls
		}
		if got["delivery_time"] != 1 || got["warranty"] != 1 {
			t.Errorf("stats llm_calls = %v, want delivery_time 1 (then cached) and warranty 1", got)
		}
		code, _, m := s.send("GET", "/metrics", testAdminKey, "", nil)
		if code != 200 {
			t.Fatalf("/metrics: got %d", code)
		}
		for _, line := range []string{`ragkb_translations_total{outcome="translated"} 1`, `ragkb_translations_total{outcome="cached"} 1`, `ragkb_translations_total{outcome="rejected"} 1`} {
			if !strings.Contains(string(m), line) {
				t.Errorf("/metrics lacks %s", line)
			}
		}
	})
}
