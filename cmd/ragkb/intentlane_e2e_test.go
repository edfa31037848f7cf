package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/testenv"
)

const (
	abroadText   = "Yes, we ship to all EU countries, Switzerland, Norway and the UK with DHL in 3-6 working days; shipping abroad costs 19 EUR."
	domesticText = "Orders placed before 2 pm ship the same working day; delivery in Germany takes 1-2 working days."
	saleText     = "Sale items can be returned within 14 days for a voucher, not a refund."
	giftText     = "Gifts can be returned within 60 days with the gift receipt; the refund goes to the buyer."
)

// semanticKB is the questionnaire of the new-user scenario of issue 9,
// written in English with custom questions.
func semanticKB() map[string]any {
	return map[string]any{
		"name": "Shop questionnaire", "type": "knowledge_base", "language": "en",
		"knowledge_base": map[string]any{
			"delivery_time": domesticText,
			"invoice":       invoiceText,
			"custom": []map[string]any{
				{"question": "Do you ship abroad?", "answer": abroadText},
				{"question": "Do you sell gift cards?", "answer": "Yes, gift cards from 25 to 200 EUR, valid for 2 years, sent by e-mail."},
				{"question": "Can I return a sale item?", "answer": saleText},
				{"question": "Can I return a gift?", "answer": giftText},
			},
		},
	}
}

// TestSemanticNewUser is the "Done when" of issue 9 in semantic mode
// (RAGKB_EMBEDDER=openai against the real multilingual-e5-small server):
// custom questions written in English answer the same questions in the
// five other languages and in paraphrase, "Do you ship to Austria?" gets
// the abroad answer (in local mode too), a close call asks the customer to
// choose, an angry complaint and a stolen card go to an agent.
func TestSemanticNewUser(t *testing.T) {
	url := testenv.EmbeddingURL(t)
	s := startService(t, t.TempDir(), map[string]string{
		"RAGKB_EMBEDDER": "openai", "RAGKB_EMBEDDING_URL": url, "RAGKB_EMBEDDING_MODEL": testenv.EmbeddingModel,
		"RAGKB_EMBEDDING_MODALITY": "input_type", "RAGKB_EMBEDDING_TIMEOUT": "120s", "RAGKB_EMBEDDING_QUERY_TIMEOUT": "120s",
	})
	tenant, merchant, chatbot := s.tenantWithKeys("Semantic shop")
	var res ragkb.Resource
	s.call("POST", "/v1/resources", merchant, semanticKB(), &res)
	if r := s.waitStatus(merchant, res.ID, 60*time.Second); r.Status != ragkb.StatusSuccess {
		t.Fatalf("resource: %s %s", r.Status, r.Error)
	}
	ask := func(body map[string]any) ragkb.AnswerResponse {
		t.Helper()
		var a ragkb.AnswerResponse
		if code := s.call("POST", "/v1/answer", chatbot, body, &a); code != 200 {
			t.Fatalf("answer %v: got %d", body, code)
		}
		return a
	}

	for _, q := range []string{
		"Do you ship abroad?", "Do you ship to Austria?", "Can you deliver my parcel to another country?",
		"Wysyłacie za granicę?", "Versenden Sie ins Ausland?", "Spedite all'estero?", "Livrez-vous à l'étranger ?", "¿Enviáis al extranjero?",
	} {
		a := ask(map[string]any{"question": q})
		if a.Status != ragkb.AnswerAnswered || a.Tier != ragkb.TierFast || a.Answer != abroadText {
			t.Errorf("%q: got %s/%s %q (%s), want the abroad answer on the fast tier", q, a.Status, a.Tier, a.Answer, a.Reason)
			continue
		}
		if a.Intent == nil || a.Intent.Confidence >= 1 && q != "Do you ship abroad?" {
			t.Errorf("%q: confidence %v: 1.00 is only for an approved question asked word for word", q, a.Intent)
		}
		if lang := a.Language; lang != "en" && a.AnswerLanguage != "en" {
			t.Errorf("%q (language %s): answer_language %q, want en", q, lang, a.AnswerLanguage)
		}
	}
	if a := ask(map[string]any{"question": "Wie lange dauert die Lieferung?"}); a.Answer != domesticText {
		t.Errorf("domestic delivery in German: got %s %q", a.Status, a.Answer)
	}
	if a := ask(map[string]any{"question": "Vendete buoni regalo?"}); a.Status == ragkb.AnswerAnswered && a.Citations[0].Title != "Do you sell gift cards?" {
		t.Errorf("gift cards in Italian: got another approved text %q", a.Answer)
	}

	t.Run("a close call asks which one", func(t *testing.T) {
		a := ask(map[string]any{"question": "I want to return a product"})
		if a.Status != ragkb.AnswerClarify || len(a.Options) < 2 || len(a.Options) > 3 || a.CloseTicket {
			t.Fatalf("got %s with %d options (%q %+v %s), want clarify with 2-3 options", a.Status, len(a.Options), a.Answer, a.Intent, a.Reason)
		}
		var chosen ragkb.AnswerOption
		for _, o := range a.Options {
			if o.Question == "Can I return a gift?" {
				chosen = o
			}
		}
		if chosen.ID == "" {
			t.Fatalf("options %+v lack the gift question", a.Options)
		}
		if b := ask(map[string]any{"option_id": chosen.ID}); b.Status != ragkb.AnswerAnswered || b.Tier != ragkb.TierFast || b.Answer != giftText {
			t.Errorf("option_id: got %s/%s %q", b.Status, b.Tier, b.Answer)
		}
		if b := ask(map[string]any{"question": chosen.Question}); b.Answer != giftText || b.Intent.Confidence != 1 {
			t.Errorf("option question: got %s %q %+v", b.Status, b.Answer, b.Intent)
		}
		if code := s.call("POST", "/v1/answer", chatbot, map[string]any{"option_id": "nope"}, nil); code != 400 {
			t.Errorf("bad option_id: got %d, want 400", code)
		}
	})

	t.Run("complaints, cards and one order go to a person", func(t *testing.T) {
		for _, q := range []string{
			"This is unacceptable, the worst service I have ever had!",
			"Meine Karte wurde gestohlen, bitte helfen Sie mir",
			"I paid with 4111 1111 1111 1111 and it failed",
			// A mistyped card (the Luhn check fails) is still a card sent in a chat.
			"moja karta to 5375 4411 2233 9087, pobierzcie jeszcze raz",
			"Voici ma carte 4970 1012 3456 7890, débitez-la svp",
			"My order 5531 still hasn't arrived",
		} {
			if a := ask(map[string]any{"question": q}); a.Status != ragkb.AnswerAgent || a.CloseTicket {
				t.Errorf("%q: got %s %q close_ticket=%v, want agent", q, a.Status, a.Answer, a.CloseTicket)
			}
		}
	})

	var stats struct {
		ByIntent []ragkb.IntentStats `json:"by_intent"`
	}
	s.call("GET", "/v1/stats", merchant, nil, &stats)
	clarify := 0
	for _, st := range stats.ByIntent {
		clarify += st.Clarify
	}
	if clarify < 1 {
		t.Errorf("stats count %d clarify answers, want at least 1", clarify)
	}
	var evs struct{ Events []ragkb.Event }
	s.call("GET", "/v1/events?type=clarify_asked", merchant, nil, &evs)
	if len(evs.Events) < 1 {
		t.Errorf("no clarify_asked event")
	}
	_ = tenant
}

// TestAustriaLocal: in local mode (the default) too, "Do you ship to
// Austria?" gets the custom abroad answer and never the domestic one.
func TestAustriaLocal(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Local shop")
	var res ragkb.Resource
	s.call("POST", "/v1/resources", merchant, semanticKB(), &res)
	if r := s.waitStatus(merchant, res.ID, 10*time.Second); r.Status != ragkb.StatusSuccess {
		t.Fatalf("resource: %s %s", r.Status, r.Error)
	}
	for _, q := range []string{"Do you ship to Austria?", "Wysyłacie do Austrii?", "Versenden Sie nach Österreich?", "Spedite in Austria?"} {
		var a ragkb.AnswerResponse
		s.call("POST", "/v1/answer", chatbot, map[string]any{"question": q}, &a)
		if a.Answer == domesticText {
			t.Errorf("%q: got the domestic delivery text", q)
		}
		if q == "Do you ship to Austria?" && a.Answer != abroadText {
			t.Errorf("%q: got %s %q (%s), want the abroad answer", q, a.Status, a.Answer, a.Reason)
		}
	}
}

// TestAbroadAcrossLanguagesLocal: a Polish questionnaire whose delivery
// texts name Poland and whose abroad answer is a custom question: asked in
// English or German about one foreign country, the built-ins place the
// question on delivery, the Polish texts are vetoed for naming another
// country, and the custom abroad text (which the built-in shipping_abroad
// intent stands for) answers, in local mode.
func TestAbroadAcrossLanguagesLocal(t *testing.T) { abroadAcrossLanguages(t, nil) }

func TestAbroadAcrossLanguagesSemantic(t *testing.T) {
	abroadAcrossLanguages(t, semanticShopEnv(t))
}

func abroadAcrossLanguages(t *testing.T, env map[string]string) {
	s := startService(t, t.TempDir(), env)
	_, merchant, chatbot := s.tenantWithKeys("Sklep rowerowy")
	const abroadPL = "Tak, wysyłamy do wszystkich krajów Unii Europejskiej kurierem DPD: części za 49 zł, rowery za 249 zł."
	kb := map[string]any{
		"name": "Ankieta", "type": "knowledge_base", "language": "pl",
		"knowledge_base": map[string]any{
			"delivery_time":    "Dostawa na terenie Polski trwa zwykle 1-2 dni robocze.",
			"delivery_methods": "Wysyłamy przez InPost, kurierem DPD oraz Pocztą Polską. Kurier DPD kosztuje 17,99 zł.",
			"warranty":         "Rowery mają 2 lata gwarancji; naprawy gwarancyjne wykonuje nasz serwis w Polsce.",
			"custom": []map[string]any{
				{"question": "Czy wysyłacie za granicę?", "answer": abroadPL},
				{"question": "Czy mogę zapłacić BLIKIEM?", "answer": "Tak, płacisz BLIKIEM, przelewem lub kartą."},
			},
		},
	}
	var res ragkb.Resource
	s.call("POST", "/v1/resources", merchant, kb, &res)
	if r := s.waitStatus(merchant, res.ID, 10*time.Second); r.Status != ragkb.StatusSuccess {
		t.Fatalf("resource: %s %s", r.Status, r.Error)
	}
	for _, q := range []string{"Do you ship to Germany?", "versendet ihr auch nach Österreich?"} {
		var a ragkb.AnswerResponse
		s.call("POST", "/v1/answer", chatbot, map[string]any{"question": q}, &a)
		if a.Answer != abroadPL {
			t.Errorf("%q: got %s %q (%s), want the abroad answer", q, a.Status, a.Answer, a.Reason)
		}
	}
	// A country question about something else is not the abroad answer,
	// even when the text of its topic is vetoed for naming Poland.
	for _, q := range []string{"Are your bikes made in Germany?", "La garanzia è valida anche se abito in Italia?", "Gilt die Garantie auch in Deutschland, wenn ich das Rad zu einer Werkstatt bei mir bringe?", "Does the warranty apply in France if I take the bike to a local repair shop?", "¿La garantía vale en España si llevo la bici a un taller cerca de casa?"} {
		var a ragkb.AnswerResponse
		s.call("POST", "/v1/answer", chatbot, map[string]any{"question": q}, &a)
		if a.Answer == abroadPL {
			t.Errorf("%q: got the abroad answer (%s)", q, a.Reason)
		}
	}
}

// TestAssistantMessagesPerLanguage: an assistant's fallback and agent
// messages per language, and its opt-out of sending complaints to an agent.
func TestAssistantMessagesPerLanguage(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Messages shop")
	var res ragkb.Resource
	s.call("POST", "/v1/resources", merchant, semanticKB(), &res)
	if r := s.waitStatus(merchant, res.ID, 10*time.Second); r.Status != ragkb.StatusSuccess {
		t.Fatalf("resource: %s %s", r.Status, r.Error)
	}
	const plFallback, deAgent = "Nie wiemy, odpiszemy mailem.", "Ein Kollege meldet sich gleich."
	body := map[string]any{"name": "Chat", "fallback_message": "We don't know.", "agent_message": "A colleague will answer.",
		"fallback_messages": map[string]string{"pl": plFallback}, "agent_messages": map[string]string{"de": deAgent}}
	for field, bad := range map[string]map[string]any{
		"fallback_messages": {"fallback_messages": map[string]string{"polish": "x"}},
		"agent_messages.de": {"agent_messages": map[string]string{"de": " "}},
		"agent_opt_out[0]":  {"agent_opt_out": []string{"legal"}},
	} {
		b := map[string]any{"name": "Bad"}
		for k, v := range bad {
			b[k] = v
		}
		var p struct{ Detail string }
		if code := s.call("POST", "/v1/assistants", merchant, b, &p); code != 400 || !strings.Contains(p.Detail, field) {
			t.Errorf("bad %s: got %d %q, want 400 naming it", field, code, p.Detail)
		}
	}
	var asst ragkb.Assistant
	if code := s.call("POST", "/v1/assistants", merchant, body, &asst); code != 201 {
		t.Fatalf("create assistant: %d", code)
	}
	ask := func(q string) ragkb.AnswerResponse {
		var a ragkb.AnswerResponse
		s.call("POST", "/v1/answer", chatbot, map[string]any{"question": q, "assistant_id": asst.ID}, &a)
		return a
	}
	if a := ask("Jaka będzie jutro pogoda w Krakowie?"); a.Status != ragkb.AnswerFallback || a.Answer != plFallback {
		t.Errorf("polish fallback: got %s %q", a.Status, a.Answer)
	}
	if a := ask("What is the capital of Peru?"); a.Status != ragkb.AnswerFallback || a.Answer != "We don't know." {
		t.Errorf("english fallback: got %s %q", a.Status, a.Answer)
	}
	if a := ask("Ich möchte mit einem Mitarbeiter sprechen"); a.Status != ragkb.AnswerAgent || a.Answer != deAgent {
		t.Errorf("german agent: got %s %q", a.Status, a.Answer)
	}
	const complaint = "This is unacceptable, the worst service ever!"
	if a := ask(complaint); a.Status != ragkb.AnswerAgent {
		t.Errorf("complaint: got %s, want agent by default", a.Status)
	}
	body["agent_opt_out"] = []string{"complaint"}
	if code := s.call("PUT", "/v1/assistants/"+asst.ID, merchant, body, nil); code != 200 {
		t.Fatalf("update assistant: %d", code)
	}
	if a := ask(complaint); a.Status == ragkb.AnswerAgent {
		t.Errorf("complaint with opt-out: still %s (%s)", a.Status, a.Reason)
	}
	if a := ask("My card was stolen"); a.Status != ragkb.AnswerAgent {
		t.Errorf("stolen card with complaint opt-out: got %s, want agent", a.Status)
	}
}
