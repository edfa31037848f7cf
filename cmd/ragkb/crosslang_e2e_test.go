package main

import (
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// TestCustomQuestionsAcrossLanguagesLocal: a German shoe shop's custom
// questions, asked in the five other languages with the local embedder
// (which shares no words across languages), get their own answers through
// built-in intents and the cross-language glossary where they can;
// questions about something no custom question covers (rental, repair,
// laces, a colour) never get a custom text.
func TestCustomQuestionsAcrossLanguagesLocal(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Schuhhaus")
	answers := map[string]string{
		"exchange":   "Ja, ungetragene Schuhe tauschen wir innerhalb von 30 Tagen kostenlos gegen eine andere Größe um.",
		"giftcard":   "Ja, Geschenkgutscheine gibt es von 20 bis 300 Euro, drei Jahre gültig, als PDF per E-Mail.",
		"reserve":    "Ja, du kannst Schuhe online für 48 Stunden in unserem Laden in Leipzig reservieren.",
		"waterproof": "Alle Wanderstiefel mit GORE-TEX-Membran sind wasserdicht; Sneaker aus Wildleder sind es nicht.",
		"giftwrap":   "Auf Wunsch verpacken wir deine Bestellung für 3 Euro als Geschenk.",
	}
	kb := map[string]any{
		"name": "Fragebogen", "type": "knowledge_base", "language": "de",
		"knowledge_base": map[string]any{
			"delivery_time": "Die Lieferung innerhalb Deutschlands dauert 1-3 Werktage.",
			"custom": []map[string]any{
				{"question": "Kann ich Schuhe gegen eine andere Größe umtauschen?", "answer": answers["exchange"]},
				{"question": "Verkauft ihr Geschenkgutscheine?", "answer": answers["giftcard"]},
				{"question": "Kann ich Schuhe im Laden reservieren?", "answer": answers["reserve"]},
				{"question": "Sind eure Wanderschuhe wasserdicht?", "answer": answers["waterproof"]},
				{"question": "Bietet ihr Geschenkverpackung an?", "answer": answers["giftwrap"]},
			},
		},
	}
	var res ragkb.Resource
	s.call("POST", "/v1/resources", merchant, kb, &res)
	if r := s.waitStatus(merchant, res.ID, 10*time.Second); r.Status != ragkb.StatusSuccess {
		t.Fatalf("resource: %s %s", r.Status, r.Error)
	}
	ask := func(q string) ragkb.AnswerResponse {
		var a ragkb.AnswerResponse
		s.call("POST", "/v1/answer", chatbot, map[string]any{"question": q}, &a)
		return a
	}
	right := map[string][]string{
		"exchange":   {"Can I exchange the shoes for another size?", "Czy mogę wymienić buty na inny rozmiar?", "Posso cambiare le scarpe con un'altra taglia?", "Puis-je échanger les chaussures contre une autre taille ?", "¿Puedo cambiar los zapatos por otra talla?"},
		"giftcard":   {"Do you sell gift cards?", "Czy sprzedajecie karty podarunkowe?", "Vendete buoni regalo?", "Vous vendez des cartes cadeaux ?", "¿Vendéis tarjetas regalo?"},
		"reserve":    {"Can I reserve shoes in the store?", "Czy mogę zarezerwować buty w sklepie?", "Posso prenotare le scarpe in negozio?", "Je peux réserver des chaussures en magasin ?", "¿Puedo reservar zapatos en la tienda?"},
		"waterproof": {"Are your hiking boots waterproof?", "Czy wasze buty trekkingowe są wodoodporne?", "Le vostre scarpe da trekking sono impermeabili?", "Vos chaussures de randonnée sont-elles imperméables ?", "¿Vuestras botas de montaña son impermeables?"},
		"giftwrap":   {"Do you offer gift wrapping?", "Czy pakujecie na prezent?", "Fate la confezione regalo?", "Vous faites les paquets cadeaux ?", "¿Hacéis envoltorio de regalo?"},
	}
	got := 0
	n := 0
	for key, qs := range right {
		for _, q := range qs {
			n++
			a := ask(q)
			switch {
			case a.Answer == answers[key]:
				got++
			case a.Status == ragkb.AnswerAnswered:
				t.Errorf("%q: answered %q (%s), want the %s text or a refusal", q, a.Answer, a.Reason, key)
			default:
				t.Logf("%q: %s (%s)", q, a.Status, a.Reason)
			}
		}
	}
	t.Logf("custom questions across languages: %d of %d right", got, n)
	// Measured 14 of 25 (2026-12-04), reached through the built-in intents
	// (gift cards, gift wrapping) and shared words; reservations and
	// waterproof boots in another language are not reached yet. A floor
	// against regressions.
	if got < n/2 {
		t.Errorf("%d of %d questions got their custom answer, want at least half", got, n)
	}
	// Not covered: a key word the glossary does not know, or a concept
	// (rental, repair, colour) no custom question holds.
	for _, q := range []string{"¿Alquiláis botas de esquí por días?", "Can you repair the soles of my shoes?", "Czy mogę wymienić sznurówki w sklepie?", "Avete queste scarpe in rosso?", "Vous vendez des chaussettes imperméables pour enfants ?"} {
		a := ask(q)
		for key, text := range answers {
			if a.Answer == text {
				t.Errorf("%q: got the %s text (%s), want no custom answer", q, key, a.Reason)
			}
		}
	}
}
