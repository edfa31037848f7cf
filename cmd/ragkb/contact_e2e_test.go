package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// TestContactQuestions: a customer asking for the shop's phone number or
// e-mail address gets it when the shop's own texts give it, in any of the
// languages, and an agent when they do not; asking for a person still goes
// to an agent.
func TestContactQuestions(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, withContact, chatWith := s.tenantWithKeys("Shop with a phone")
	_, without, chatWithout := s.tenantWithKeys("Shop without a phone")
	const contact = "Our customer service is open Monday to Friday, 9:00-17:00: call us on +48 22 123 45 67 or write to sklep@example.com."
	kb := func(custom ...map[string]any) map[string]any {
		return map[string]any{"name": "Questionnaire", "type": "knowledge_base", "language": "en",
			"knowledge_base": map[string]any{
				"delivery_time": "Orders placed before 2 pm ship the same working day; delivery takes 1-2 working days.",
				"invoice":       "Yes, we issue a VAT invoice for every order; enter your tax number at checkout.",
				"custom":        custom,
			}}
	}
	for key, body := range map[string]map[string]any{
		withContact: kb(map[string]any{"question": "How can I contact customer service?", "answer": contact}),
		without:     kb(map[string]any{"question": "Do you sell gift cards?", "answer": "Yes, gift cards from 25 to 200 EUR."}),
	} {
		var res ragkb.Resource
		s.call("POST", "/v1/resources", key, body, &res)
		if r := s.waitStatus(key, res.ID, 60*time.Second); r.Status != ragkb.StatusSuccess {
			t.Fatalf("resource: %s %s", r.Status, r.Error)
		}
	}
	ask := func(key, q string) ragkb.AnswerResponse { return s.ask(key, ragkb.AnswerRequest{Question: q}) }
	phoneQs := []string{"What is your phone number?", "Is there a phone number I can call?", "Jaki jest wasz numer telefonu?",
		"Wie ist Ihre Telefonnummer?", "Qual è il vostro numero di telefono?", "Quel est votre numéro de téléphone ?", "¿Cuál es vuestro número de teléfono?"}
	for _, q := range phoneQs {
		if a := ask(chatWith, q); a.Status != ragkb.AnswerAnswered || !strings.Contains(a.Answer, "+48 22 123 45 67") {
			t.Errorf("with a phone, %q: got %s %q (%s), want the number", q, a.Status, a.Answer, a.Reason)
		}
		if a := ask(chatWithout, q); a.Status != ragkb.AnswerAgent {
			t.Errorf("without a phone, %q: got %s %q (%s), want an agent", q, a.Status, a.Answer, a.Reason)
		}
	}
	if a := ask(chatWith, "I want to talk to a human"); a.Status != ragkb.AnswerAgent {
		t.Errorf("asking for a person: got %s %q, want an agent", a.Status, a.Answer)
	}
}
