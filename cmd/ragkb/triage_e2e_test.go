package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/webhook"
)

// TestTriageThroughAPI tries triage as a helpdesk would: an angry Polish
// message about a late order, a German thank-you and an Italian invoice
// question; an assistant rule; the triage on /v1/answer; the ticket_urgent
// webhook; stats by topic, priority and sentiment; tenants kept apart.
func TestTriageThroughAPI(t *testing.T) {
	var mu sync.Mutex
	var received [][]byte
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if !webhook.Verify("triage-test-secret-0123456789", b, r.Header.Get("X-Ragkb-Signature")) || r.Header.Get("X-Ragkb-Event") != "ticket_urgent" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		received = append(received, b)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recv.Close()

	s := startService(t, t.TempDir(), nil)
	if err := s.app.Deliveries.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.app.Deliveries.Stop)
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	_, merchantB, chatbotB := s.tenantWithKeys("Other shop")
	if code := s.call("POST", "/v1/webhooks", merchant, map[string]any{"url": recv.URL + "/hook", "events": []string{"ticket_urgent"},
		"secret": "triage-test-secret-0123456789"}, nil); code != 201 {
		t.Fatalf("create webhook: got %d", code)
	}

	for _, tc := range []struct {
		name, text               string
		language, priority, sent string
		needsAgent               bool
		topic, intent            string
	}{
		{"angry Polish late order", "To jest skandal! Zamówienie 5531 miało być u mnie w poniedziałek, a do dziś nie dotarło. Piszę do was już trzeci raz i nikt nie odpowiada!",
			"pl", "urgent", "negative", true, "delivery", ""},
		{"German thank-you", "Vielen Dank für die schnelle Lieferung, alles ist super angekommen!", "de", "low", "positive", false, "", ""},
		{"Italian invoice question", "Buongiorno, potete emettere la fattura per il mio ordine? Mi serve per la mia azienda.", "it", "normal", "neutral", false, "billing", "invoice"},
	} {
		var tr ragkb.Triage
		if code := s.call("POST", "/v1/triage", chatbot, map[string]any{"text": tc.text}, &tr); code != 200 {
			t.Fatalf("%s: POST /v1/triage got %d", tc.name, code)
		}
		if tr.Language != tc.language || tr.Priority != tc.priority || tr.Sentiment != tc.sent || tr.NeedsAgent != tc.needsAgent ||
			tc.topic != "" && tr.Topic != tc.topic || tc.intent != "" && (tr.Intent == nil || tr.Intent.Name != tc.intent) {
			t.Errorf("%s: got %+v (intent %+v), want %s/%s/%s/needs_agent=%v/topic %q/intent %q", tc.name, tr, tr.Intent,
				tc.language, tc.priority, tc.sent, tc.needsAgent, tc.topic, tc.intent)
		}
		if tr.Reasons == nil || tr.Tags == nil {
			t.Errorf("%s: reasons and tags must be lists, got %+v", tc.name, tr)
		}
	}

	// Personal data never comes back in reasons or events.
	var tr ragkb.Triage
	s.call("POST", "/v1/triage", merchant, map[string]any{"text": "My lawyer will sue you, write to jan.kowalski@example.com or call +48 601 234 567"}, &tr)
	if tr.Priority != "urgent" || !slices.Contains(tr.Tags, "legal_threat") {
		t.Errorf("legal threat: got %+v", tr)
	}

	// Bad input: 400 naming the field.
	for _, bad := range []struct {
		path, field string
		body        any
	}{
		{"/v1/triage", "text", map[string]any{"text": "  "}},
		{"/v1/triage", "conversation[0].role", map[string]any{"text": "hi", "conversation": []map[string]string{{"role": "bot", "content": "x"}}}},
		{"/v1/triage", "assistant_id", map[string]any{"text": "hi", "assistant_id": "asst_nope"}},
		{"/v1/assistants", "triage.rules[0].priority", map[string]any{"name": "A", "triage": map[string]any{"rules": []map[string]any{{"when": map[string]any{"intent": []string{"complaint"}}, "priority": "asap"}}}}},
		{"/v1/assistants", "triage.rules[0].when.sentiment[0]", map[string]any{"name": "A", "triage": map[string]any{"rules": []map[string]any{{"when": map[string]any{"sentiment": []string{"angry"}}, "priority": "urgent"}}}}},
		{"/v1/assistants", "triage.rules[0].when", map[string]any{"name": "A", "triage": map[string]any{"rules": []map[string]any{{"when": map[string]any{}, "priority": "urgent"}}}}},
		{"/v1/assistants", "triage.rules[0].when.tag[0]", map[string]any{"name": "A", "triage": map[string]any{"rules": []map[string]any{{"when": map[string]any{"tag": []string{"nope"}}, "priority": "low"}}}}},
	} {
		var prob struct {
			Field string `json:"field"`
		}
		key := chatbot
		if bad.path == "/v1/assistants" {
			key = merchant
		}
		if code := s.call("POST", bad.path, key, bad.body, &prob); code != 400 || prob.Field != bad.field {
			t.Errorf("POST %s %v: got %d field %q, want 400 naming %q", bad.path, bad.body, code, prob.Field, bad.field)
		}
	}
	if code := s.call("POST", "/v1/triage", "", map[string]any{"text": "hi"}, nil); code != 401 {
		t.Errorf("triage without a key: got %d, want 401", code)
	}

	// A merchant's rule: complaint + negative → urgent (built in, a polite
	// complaint is high).
	complaint := "I'm really disappointed, the sweater I received is much thinner than in the photos."
	s.call("POST", "/v1/triage", chatbot, map[string]any{"text": complaint}, &tr)
	if tr.Priority != "high" || tr.Sentiment != "negative" {
		t.Fatalf("polite complaint without rules: got %+v", tr)
	}
	var asst ragkb.Assistant
	if code := s.call("POST", "/v1/assistants", merchant, map[string]any{"name": "Strict", "triage": map[string]any{
		"rules": []map[string]any{{"when": map[string]any{"intent": []string{"complaint"}, "sentiment": []string{"negative"}}, "priority": "urgent"}},
	}}, &asst); code != 201 || asst.Triage == nil || len(asst.Triage.Rules) != 1 {
		t.Fatalf("create assistant with rules: got %d %+v", code, asst)
	}
	s.call("POST", "/v1/triage", chatbot, map[string]any{"text": complaint, "assistant_id": asst.ID}, &tr)
	if tr.Priority != "urgent" || !tr.NeedsAgent || !strings.Contains(strings.Join(tr.Reasons, ";"), "assistant rule 1") {
		t.Errorf("complaint with the assistant's rule: got %+v", tr)
	}
	if code := s.call("POST", "/v1/triage", chatbotB, map[string]any{"text": complaint, "assistant_id": asst.ID}, nil); code != 400 {
		t.Errorf("other tenant uses the assistant: got %d, want 400", code)
	}

	// Every answer carries the triage.
	var ans ragkb.AnswerResponse
	s.call("POST", "/v1/answer", chatbot, map[string]any{"question": "Zamówiłem tydzień temu i nadal nic nie przyszło, to już trzeci mail, skandal!"}, &ans)
	if ans.Triage == nil || ans.Triage.Priority != "urgent" || ans.Triage.Topic != "delivery" || !ans.Triage.NeedsAgent {
		t.Errorf("answer triage: got %+v", ans.Triage)
	}
	s.call("POST", "/v1/answer", chatbot, map[string]any{"question": "I want to talk to a human please"}, &ans)
	if ans.Status != ragkb.AnswerAgent || ans.Triage == nil || !ans.Triage.NeedsAgent {
		t.Errorf("agent answer: status %s triage %+v", ans.Status, ans.Triage)
	}

	// ticket_urgent: recorded as an event, delivered to the webhook.
	var evs struct{ Events []ragkb.Event }
	s.call("GET", "/v1/events?type=ticket_urgent", merchant, nil, &evs)
	if len(evs.Events) < 4 {
		t.Fatalf("ticket_urgent events: got %d, want 4 (Polish, lawyer, rule, answer)", len(evs.Events))
	}
	for _, e := range evs.Events {
		if strings.Contains(e.Question, "example.com") || strings.Contains(e.Question, "601 234") {
			t.Errorf("event keeps personal data: %q", e.Question)
		}
	}
	s.call("GET", "/v1/events?type=ticket_urgent", merchantB, nil, &evs)
	if len(evs.Events) != 0 {
		t.Errorf("other tenant sees %d ticket_urgent events", len(evs.Events))
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		mu.Lock()
		n := len(received)
		mu.Unlock()
		if n >= 4 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	if len(received) < 4 {
		t.Errorf("ticket_urgent deliveries: got %d, want 4", len(received))
	}
	delivery := false // deliveries come in any order
	for _, b := range received {
		var ev ragkb.Event
		if err := json.Unmarshal(b, &ev); err != nil || ev.Type != ragkb.EventTicketUrgent {
			t.Errorf("delivered event: %s (%v)", b, err)
		}
		delivery = delivery || strings.Contains(ev.Detail, "topic delivery")
	}
	if !delivery {
		t.Errorf("no delivered ticket_urgent event is about delivery")
	}
	mu.Unlock()

	// Stats by topic, priority and sentiment; triage calls stay out of by_intent.
	var st struct {
		ByIntent []struct {
			Intent   string
			Requests int
		} `json:"by_intent"`
		ByTopic []struct {
			Topic      string
			Requests   int
			Priorities map[string]int
		} `json:"by_topic"`
		ByPriority []struct {
			Name     string
			Requests int
		} `json:"by_priority"`
		BySentiment []struct {
			Name     string
			Requests int
		} `json:"by_sentiment"`
	}
	s.call("GET", "/v1/stats", merchant, nil, &st)
	answers := 0
	for _, r := range st.ByIntent {
		answers += r.Requests
	}
	total, urgent := 0, 0
	for _, r := range st.ByPriority {
		total += r.Requests
		if r.Name == "urgent" {
			urgent = r.Requests
		}
	}
	if answers != 2 || total != 8 || urgent != 4 || len(st.ByTopic) == 0 || len(st.BySentiment) != 3 {
		t.Errorf("stats: by_intent requests %d (want 2 answers), by_priority total %d (want 8) urgent %d (want 4), by_topic %+v", answers, total, urgent, st.ByTopic)
	}
	mreq, _ := http.NewRequest("GET", s.srv.URL+"/metrics", nil)
	mreq.Header.Set("Authorization", "Bearer "+testAdminKey)
	resp, err := http.DefaultClient.Do(mreq)
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), `ragkb_tickets_total{priority="urgent",sentiment="negative",topic="delivery"}`) {
		t.Errorf("/metrics has no urgent delivery tickets (status %d)", resp.StatusCode)
	}
	s.call("GET", "/v1/stats", merchantB, nil, &st)
	for _, r := range st.ByPriority {
		if r.Requests != 0 {
			t.Errorf("other tenant's stats count %d %s tickets", r.Requests, r.Name)
		}
	}
}
