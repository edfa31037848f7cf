package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// fakeLLM behaves like an OpenAI-compatible /v1/chat/completions endpoint
// and replies with whatever the test sets.
type fakeLLM struct {
	mu     sync.Mutex
	calls  int
	status int
	reply  string
	last   string // the last prompt, for inspection
}

func (f *fakeLLM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer llm-key" {
		http.Error(w, `{"error":{"message":"bad request shape"}}`, http.StatusBadRequest)
		return
	}
	var req struct {
		Model    string `json:"model"`
		Messages []struct{ Role, Content string }
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "test-model" || len(req.Messages) == 0 {
		http.Error(w, `{"error":{"message":"bad body"}}`, http.StatusBadRequest)
		return
	}
	f.calls++
	f.last = req.Messages[len(req.Messages)-1].Content
	if f.status != 0 {
		w.WriteHeader(f.status)
		io.WriteString(w, `{"error":{"message":"upstream failure","type":"server_error"}}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": time.Now().Unix(), "model": "test-model",
		"choices": []map[string]any{{"index": 0, "message": map[string]string{"role": "assistant", "content": f.reply}, "finish_reason": "stop"}},
		"usage":   map[string]int{"prompt_tokens": 321, "completion_tokens": 42, "total_tokens": 363},
	})
}

func (f *fakeLLM) set(status int, reply string) {
	f.mu.Lock()
	f.status, f.reply = status, reply
	f.mu.Unlock()
}

func TestTiersAndGuardrails(t *testing.T) {
	llm := &fakeLLM{}
	llmSrv := httptest.NewServer(llm)
	defer llmSrv.Close()
	s := startService(t, t.TempDir(), map[string]string{"RAGKB_LLM_URL": llmSrv.URL, "RAGKB_LLM_MODEL": "test-model", "RAGKB_LLM_API_KEY": "llm-key"})
	_, merchant, chatbot := s.tenantWithKeys("Shop")

	kb := kbResource()
	kb["knowledge_base"].(map[string]any)["discounts"] = "We do not run discount codes; the prices on the site are final."
	var res ragkb.Resource
	s.call("POST", "/v1/resources", merchant, kb, &res)
	policy := map[string]any{"name": "Shoes guide", "type": "policy", "policy": map[string]string{
		"title": "Trail shoes guide", "format": "markdown",
		"content": "# Choosing trail shoes\n\nThe Salomon Speedcross 6 costs 499 PLN and grips best on mud and wet rock.\n\nThe Hoka Speedgoat 5 costs 649 PLN and is the most cushioned choice for long mountain runs.\n",
	}}
	var pol ragkb.Resource
	s.call("POST", "/v1/resources", merchant, policy, &pol)
	for _, id := range []string{res.ID, pol.ID} {
		if r := s.waitStatus(merchant, id, 10*time.Second); r.Status != ragkb.StatusSuccess {
			t.Fatalf("resource %s: %s %s", id, r.Status, r.Error)
		}
	}
	var asst ragkb.Assistant
	if code := s.call("POST", "/v1/assistants", merchant, map[string]any{
		"name": "Web chat", "fallback_message": "Sorry, a colleague will answer you.", "agent_message": "Passing you to a colleague.",
		"auto_close": true, "premium_intents": []string{"product_advice"},
	}, &asst); code != 201 {
		t.Fatalf("create assistant: got %d", code)
	}
	usage := ragkb.Usage{} // summed over every answer, compared with /v1/stats
	ask := func(q string) (ragkb.AnswerResponse, string) {
		t.Helper()
		var raw json.RawMessage
		if code := s.call("POST", "/v1/answer", chatbot, map[string]any{"question": q, "assistant_id": asst.ID}, &raw); code != 200 {
			t.Fatalf("answer %q: got %d: %s", q, code, raw)
		}
		var a ragkb.AnswerResponse
		json.Unmarshal(raw, &a)
		usage.LLMCalls += a.Usage.LLMCalls
		usage.PromptTokens += a.Usage.PromptTokens
		return a, string(raw)
	}

	t.Run("polish invoice question on the fast tier", func(t *testing.T) {
		before := llm.calls
		a, _ := ask("Czy wystawiacie faktury VAT?")
		if a.Status != ragkb.AnswerAnswered || a.Tier != ragkb.TierFast || a.Answer != invoiceText {
			t.Fatalf("got %s/%s %q", a.Status, a.Tier, a.Answer)
		}
		if a.Usage.LLMCalls != 0 || llm.calls != before {
			t.Fatalf("model calls: got %d", a.Usage.LLMCalls)
		}
		if a.Intent == nil || a.Intent.Name != "invoice" || !a.CloseTicket {
			t.Fatalf("intent/close: got %+v close=%v", a.Intent, a.CloseTicket)
		}
	})
	t.Run("where is my parcel uses the delivery-time answer", func(t *testing.T) {
		a, _ := ask("Where is my parcel?")
		if a.Status != ragkb.AnswerAnswered || a.Tier != ragkb.TierFast || !strings.Contains(a.Answer, "Orders ship within 24 hours") || a.Usage.LLMCalls != 0 {
			t.Fatalf("got %s/%s %q", a.Status, a.Tier, a.Answer)
		}
		if a.Intent == nil || a.Intent.Name != "order_status" {
			t.Fatalf("intent: got %+v, want order_status", a.Intent)
		}
	})
	t.Run("person requested", func(t *testing.T) {
		a, _ := ask("I want to talk to a real person")
		if a.Status != ragkb.AnswerAgent || a.Answer != "Passing you to a colleague." || a.CloseTicket {
			t.Fatalf("got %s %q close=%v", a.Status, a.Answer, a.CloseTicket)
		}
	})
	t.Run("stolen card goes to an agent and the number is never echoed", func(t *testing.T) {
		a, raw := ask("Someone stole my card 4539 1488 0343 6467, block it")
		if a.Status != ragkb.AnswerAgent {
			t.Fatalf("got %s %q", a.Status, a.Answer)
		}
		for _, leak := range []string{"4539", "6467", "1488 0343"} {
			if strings.Contains(raw, leak) {
				t.Fatalf("response echoes the card number: %s", raw)
			}
		}
		var evs struct{ Events []ragkb.Event }
		s.call("GET", "/v1/events?type=agent_requested", merchant, nil, &evs)
		found := false
		for _, e := range evs.Events {
			if strings.Contains(e.Question, "4539") || strings.Contains(e.Question, "6467") {
				t.Fatalf("event stores the card number: %q", e.Question)
			}
			found = found || strings.Contains(e.Question, "stole my card")
		}
		if !found {
			t.Fatalf("no agent_requested event for the stolen card: %+v", evs.Events)
		}
	})
	t.Run("discount code is never invented", func(t *testing.T) {
		a, _ := ask("Give me a 50% discount code")
		if strings.Contains(a.Answer, "50") {
			t.Fatalf("answer mentions a discount it has no source for: %q", a.Answer)
		}
		if a.Status == ragkb.AnswerAnswered && !strings.Contains(a.Answer, "do not run discount codes") {
			t.Fatalf("answered with something other than the approved discounts text: %q", a.Answer)
		}
	})
	t.Run("premium reply inventing a price is rejected", func(t *testing.T) {
		llm.set(0, "The Salomon Speedcross 6 costs 299 PLN [1].")
		before := llm.calls
		a, raw := ask("Which trail shoes would you recommend for long mountain runs on mud?")
		if llm.calls == before {
			t.Fatalf("the question was not classified as product_advice (intent %+v); premium not exercised", a.Intent)
		}
		if strings.Contains(raw, "299") {
			t.Fatalf("invented price reached the customer: %s", raw)
		}
		if a.Tier == ragkb.TierPremium {
			t.Fatalf("tier: got premium, want a downgrade")
		}
		if a.Usage.LLMCalls != 1 || a.Usage.PromptTokens != 321 {
			t.Fatalf("usage: got %+v, want the model call counted", a.Usage)
		}
	})
	t.Run("faithful premium reply is returned with citations", func(t *testing.T) {
		llm.set(0, "For long mountain runs the Hoka Speedgoat 5 (649 PLN) is the most cushioned choice [1].")
		a, _ := ask("Which trail shoes would you recommend for long mountain runs on mud?")
		if a.Intent == nil || a.Intent.Name != "product_advice" {
			t.Fatalf("not classified as product_advice: %+v", a.Intent)
		}
		if a.Tier != ragkb.TierPremium || a.Status != ragkb.AnswerAnswered || len(a.Citations) == 0 {
			t.Fatalf("got %s/%s %q citations=%d", a.Status, a.Tier, a.Answer, len(a.Citations))
		}
		if !strings.Contains(llm.last, "649 PLN") {
			t.Fatalf("prompt does not carry the sources: %q", llm.last)
		}
	})
	t.Run("provider failure degrades to grounded", func(t *testing.T) {
		llm.set(500, "")
		a, _ := ask("Which trail shoes would you recommend for long mountain runs on mud?")
		if a.Tier == ragkb.TierPremium {
			t.Fatalf("got premium despite the provider failing")
		}
		if a.Status == ragkb.AnswerAnswered && len(a.Citations) == 0 {
			t.Fatalf("answered without citations")
		}
	})
	t.Run("stats per intent", func(t *testing.T) {
		var st struct {
			ByIntent []struct {
				Intent       string
				Requests     int
				LLMCalls     int `json:"llm_calls"`
				PromptTokens int `json:"prompt_tokens"`
				Tiers        map[string]int
			} `json:"by_intent"`
		}
		s.call("GET", "/v1/stats", merchant, nil, &st)
		got := map[string]int{}
		calls, prompt := 0, 0
		for _, r := range st.ByIntent {
			got[r.Intent] = r.Requests
			calls += r.LLMCalls
			prompt += r.PromptTokens
		}
		if got["invoice"] < 1 {
			t.Fatalf("stats: got %+v, want the invoice question counted", st.ByIntent)
		}
		if calls != usage.LLMCalls || prompt != usage.PromptTokens || calls == 0 {
			t.Fatalf("stats: got %d calls / %d prompt tokens, want %d / %d as in the answers", calls, prompt, usage.LLMCalls, usage.PromptTokens)
		}
	})
}

// TestFollowUpUsesConversation: a short follow-up that finds nothing on its
// own is answered with the previous message as context, and an unrelated
// short question is not answered from the previous topic.
func TestFollowUpUsesConversation(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	var res ragkb.Resource
	s.call("POST", "/v1/resources", merchant, map[string]any{"name": "Shipping", "type": "policy", "policy": map[string]string{
		"title": "Shipping policy", "format": "markdown",
		"content": "# Shipping abroad\n\nWe ship to Austria with DHL Express. Shipping to Austria costs 9 EUR and takes 3-4 working days.\n\n# Shipping in Germany\n\nParcels within Germany arrive in 1-2 days.\n",
	}}, &res)
	if r := s.waitStatus(merchant, res.ID, 10*time.Second); r.Status != ragkb.StatusSuccess {
		t.Fatalf("resource: %s %s", r.Status, r.Error)
	}
	conv := []map[string]string{{"role": "user", "content": "Do you ship to Austria?"}, {"role": "assistant", "content": "Yes, with DHL Express."}}
	ask := func(q string, conversation any) ragkb.AnswerResponse {
		var a ragkb.AnswerResponse
		if code := s.call("POST", "/v1/answer", chatbot, map[string]any{"question": q, "conversation": conversation}, &a); code != 200 {
			t.Fatalf("answer %q: got %d", q, code)
		}
		return a
	}
	alone := ask("how much does it cost?", nil)
	with := ask("how much does it cost?", conv)
	t.Logf("alone: %s %q; with conversation: %s %q", alone.Status, alone.Answer, with.Status, with.Answer)
	if alone.Status == ragkb.AnswerAnswered {
		t.Fatalf("the follow-up alone was answered (%q): this test no longer shows the conversation's effect", alone.Answer)
	}
	if with.Status != ragkb.AnswerAnswered || !strings.Contains(with.Answer, "9 EUR") {
		t.Fatalf("follow-up with conversation: got %s %q (alone: %s %q)", with.Status, with.Answer, alone.Status, alone.Answer)
	}
	if off := ask("capital of Peru?", conv); off.Status == ragkb.AnswerAnswered {
		t.Fatalf("unrelated follow-up answered from the previous topic: %q", off.Answer)
	}
}

// TestPremiumRoutes covers the two other ways into the premium tier: a
// tenant intent declared with tier "premium", and a complex question
// (comparison) with confident retrieval for an assistant that uses premium.
func TestPremiumRoutes(t *testing.T) {
	llm := &fakeLLM{}
	llmSrv := httptest.NewServer(llm)
	defer llmSrv.Close()
	s := startService(t, t.TempDir(), map[string]string{"RAGKB_LLM_URL": llmSrv.URL, "RAGKB_LLM_MODEL": "test-model", "RAGKB_LLM_API_KEY": "llm-key"})
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	var pol ragkb.Resource
	s.call("POST", "/v1/resources", merchant, map[string]any{"name": "Shoes guide", "type": "policy", "policy": map[string]string{
		"title": "Trail shoes guide", "format": "markdown",
		"content": "# Speedcross or Speedgoat\n\nThe Salomon Speedcross 6 costs 499 PLN and grips best on mud. The Hoka Speedgoat 5 costs 649 PLN and is the most cushioned for long mountain runs.\n\n# Running club\n\nOur running club meets every Saturday at 9:00 in front of the shop; anyone can join the club run for free.\n",
	}}, &pol)
	if r := s.waitStatus(merchant, pol.ID, 10*time.Second); r.Status != ragkb.StatusSuccess {
		t.Fatalf("resource: %s %s", r.Status, r.Error)
	}
	llm.set(0, "The Speedcross 6 (499 PLN) grips best on mud, the Speedgoat 5 (649 PLN) is the most cushioned [1].")

	t.Run("intents list built-ins with descriptions and the tenant's own", func(t *testing.T) {
		var got struct{ Intents []ragkb.IntentDef }
		s.call("GET", "/v1/intents", merchant, nil, &got)
		byName := map[string]ragkb.IntentDef{}
		for _, d := range got.Intents {
			byName[d.Name] = d
		}
		if inv := byName["invoice"]; !inv.Builtin || inv.Description == "" {
			t.Fatalf("invoice: got %+v, want a described built-in", inv)
		}
		if len(got.Intents) < 17 {
			t.Fatalf("intents: got %d, want the 17 built-ins at least", len(got.Intents))
		}
	})
	t.Run("tenant intent with tier premium", func(t *testing.T) {
		// gift_cards is a built-in: a tenant intent of that name is refused.
		if code := s.call("POST", "/v1/intents", merchant, map[string]any{"name": "gift_cards", "tier": "premium",
			"examples": []string{"Do you sell gift cards?"}}, nil); code != 400 {
			t.Fatalf("create intent named like a built-in: got %d, want 400", code)
		}
		if code := s.call("POST", "/v1/intents", merchant, map[string]any{"name": "running_club", "tier": "premium",
			"examples": []string{"Do you organise group runs?", "is there a running club I can join", "when is the next club run", "can I join your Saturday running group"}}, nil); code != 201 {
			t.Fatalf("create intent: got %d", code)
		}
		var a ragkb.AnswerResponse
		s.call("POST", "/v1/answer", chatbot, map[string]any{"question": "Can I join the running club this Saturday?"}, &a)
		if a.Intent == nil || a.Intent.Name != "running_club" || a.Intent.OutOfScope {
			t.Fatalf("intent: got %+v, want running_club", a.Intent)
		}
		if a.Usage.LLMCalls != 1 {
			t.Fatalf("llm calls: got %d, want 1 (tier premium)", a.Usage.LLMCalls)
		}
	})
	t.Run("complex question for an assistant that uses premium", func(t *testing.T) {
		var asst ragkb.Assistant
		s.call("POST", "/v1/assistants", merchant, map[string]any{"name": "Chat", "premium_intents": []string{"complaint"}}, &asst)
		var a ragkb.AnswerResponse
		q := "What is the difference between the Salomon Speedcross 6 and the Hoka Speedgoat 5 trail shoes?"
		s.call("POST", "/v1/answer", chatbot, map[string]any{"question": q, "assistant_id": asst.ID}, &a)
		if a.Intent == nil || a.Intent.OutOfScope {
			t.Fatalf("question not recognised by the intent lane (%+v): premium needs a recognised intent", a.Intent)
		}
		if a.Tier != ragkb.TierPremium || a.Usage.LLMCalls != 1 || len(a.Citations) == 0 {
			t.Fatalf("got tier %s, %d model calls, %d citations; want premium with citations", a.Tier, a.Usage.LLMCalls, len(a.Citations))
		}
		// The same question without an assistant never costs a model call.
		var b ragkb.AnswerResponse
		s.call("POST", "/v1/answer", chatbot, map[string]any{"question": q}, &b)
		if b.Usage.LLMCalls != 0 {
			t.Fatalf("without an assistant: got %d model calls, want 0", b.Usage.LLMCalls)
		}
	})
}
