package main

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/insights"
	"github.com/ragkb/ragkb/internal/testenv"
)

// uncovered are questions the test shop's knowledge base does not answer:
// three kinds, each asked in English, Polish and German.
var uncovered = map[string][]string{
	"gift wrapping": {
		"Do you offer gift wrapping?", "Can you wrap my order as a present?", "Is gift packaging available?", "Could you gift-wrap the items I bought?",
		"Czy możecie zapakować zamówienie na prezent?", "Czy oferujecie pakowanie prezentowe?", "Czy zapakujecie paczkę w papier prezentowy?",
		"Bieten Sie Geschenkverpackung an?", "Können Sie die Bestellung als Geschenk verpacken?", "Verpacken Sie die Artikel auch als Geschenk?",
	},
	"loyalty points": {
		"Do you have a loyalty program?", "How do I collect reward points?", "Can I use my points for a discount?", "Is there a membership card for regular customers?",
		"Czy macie program lojalnościowy?", "Jak zbierać punkty za zakupy?", "Czy stali klienci dostają kartę członkowską?",
		"Gibt es ein Treueprogramm?", "Wie sammle ich Bonuspunkte?", "Kann ich meine Punkte einlösen?",
	},
	"engraving": {
		"Can you engrave my name on the product?", "Do you offer personalised engraving?", "Is laser engraving possible on the watch?", "Can I get initials engraved?",
		"Czy możecie wygrawerować imię na produkcie?", "Czy oferujecie personalizowany grawer?", "Czy da się wygrawerować inicjały?",
		"Können Sie meinen Namen eingravieren?", "Bieten Sie eine persönliche Gravur an?", "Ist eine Lasergravur auf der Uhr möglich?",
	},
}

var kinds = []string{"gift wrapping", "loyalty points", "engraving"}

// Paraphrases of the gift-wrapping questions that were never asked before.
var giftParaphrases = []string{"Can my parcel be wrapped as a gift?", "Czy mogę prosić o zapakowanie prezentu?", "Ist eine Geschenkverpackung möglich?"}

const giftAnswer = "Yes: we gift-wrap any order for 5 EUR; choose \"gift wrapping\" at checkout and add a message for the card."

type insightsReport struct {
	Topics []struct {
		ID            string         `json:"id"`
		Label         string         `json:"label"`
		Count         int            `json:"count"`
		Languages     []string       `json:"languages"`
		Examples      []string       `json:"examples"`
		Statuses      map[string]int `json:"statuses"`
		ClosestAnswer *struct {
			Title string  `json:"title"`
			Score float64 `json:"score"`
		} `json:"closest_answer"`
	} `json:"topics"`
	Rates    insights.Rates `json:"rates"`
	ByDay    []insights.Row `json:"by_day"`
	ByIntent []insights.Row `json:"by_intent"`
}

func TestInsightsSemantic(t *testing.T) {
	url := testenv.EmbeddingURL(t)
	insightsFlow(t, map[string]string{
		"RAGKB_EMBEDDER": "openai", "RAGKB_EMBEDDING_URL": url, "RAGKB_EMBEDDING_MODEL": testenv.EmbeddingModel,
		"RAGKB_EMBEDDING_MODALITY": "input_type",
	}, true)
}

// TestInsightsLocal runs the same flow with the local (lexical) embedder:
// rates, feedback, deletion and isolation must hold; topics are logged to
// show what lexical features alone give.
func TestInsightsLocal(t *testing.T) {
	insightsFlow(t, nil, false)
}

func insightsFlow(t *testing.T, env map[string]string, semantic bool) {
	s := startService(t, t.TempDir(), env)
	tenantA, merchantA, chatA := s.tenantWithKeys("Shop A")
	_, merchantB, chatB := s.tenantWithKeys("Shop B")
	var res, resB ragkb.Resource
	s.call("POST", "/v1/resources", merchantA, kbResource(), &res)
	s.call("POST", "/v1/resources", merchantB, kbResource(), &resB)
	for key, id := range map[string]string{merchantA: res.ID, merchantB: resB.ID} {
		if r := s.waitStatus(key, id, 30*time.Second); r.Status != ragkb.StatusSuccess {
			t.Fatalf("resource %s: %s %s", id, r.Status, r.Error)
		}
	}

	// The hand count, from the answers the chatbot received.
	hand := map[ragkb.AnswerStatus]int{}
	ids := map[string]string{} // question -> answer id
	var wrong []string         // answer ids of uncovered questions that were answered anyway
	ask := func(key, q string) ragkb.AnswerResponse {
		t.Helper()
		var a ragkb.AnswerResponse
		if code := s.call("POST", "/v1/answer", key, map[string]string{"question": q}, &a); code != 200 {
			t.Fatalf("answer %q: got %d", q, code)
		}
		if !ragkb.HasPrefix(a.AnswerID, "ans") {
			t.Fatalf("answer %q: answer_id %q, want ans_...", q, a.AnswerID)
		}
		return a
	}
	// invoiceHand counts the answers the lane gave as intent invoice: the
	// per-intent row must match it.
	invoiceHand := 0
	countInvoice := func(a ragkb.AnswerResponse) {
		if a.Status == ragkb.AnswerAnswered && a.Intent != nil && a.Intent.Name == "invoice" && !a.Intent.OutOfScope {
			invoiceHand++
		}
	}
	for _, k := range kinds {
		for _, q := range uncovered[k] {
			a := ask(chatA, q)
			hand[a.Status]++
			countInvoice(a)
			ids[q] = a.AnswerID
			if a.Status == ragkb.AnswerAnswered {
				// A wrong answer (the shop has no such information): the
				// customer's thumbs down makes it a gap like the others.
				t.Logf("WRONG ANSWER: uncovered %q was answered (%s, intent %+v, %s): %q; sending unhelpful feedback", q, a.Tier, a.Intent, a.Reason, a.Answer)
				wrong = append(wrong, a.AnswerID)
			}
		}
	}
	covered := []string{"Can I get a VAT invoice for my order?", "Czy wystawiacie faktury VAT?", "How long does delivery take?", "Can you deliver to Zurich?"}
	for _, q := range covered {
		a := ask(chatA, q)
		hand[a.Status]++
		countInvoice(a)
		ids[q] = a.AnswerID
	}
	a := ask(chatA, "I want to talk to a human")
	hand[a.Status]++
	total := 30 + len(covered) + 1
	if hand[ragkb.AnswerAnswered] != len(covered)+len(wrong) || hand[ragkb.AnswerAgent] != 1 {
		t.Fatalf("hand count %v: want the %d covered questions answered and one agent", hand, len(covered))
	}
	for _, id := range wrong {
		if code := s.call("POST", "/v1/answers/"+id+"/feedback", chatA, map[string]any{"helpful": false, "resolved": false}, nil); code != 204 {
			t.Fatalf("feedback: got %d", code)
		}
	}
	// Satisfaction below counts the covered answers' feedback only.
	unhelpful := len(wrong)
	resolved := hand[ragkb.AnswerAnswered] - unhelpful
	// Tenant B asks something too: it must never show in A's insights.
	ask(chatB, "Do you sell B's secret flamingo socks?")

	report := func(key, query string) insightsReport {
		t.Helper()
		var r insightsReport
		if code := s.call("GET", "/v1/insights"+query, key, nil, &r); code != 200 {
			t.Fatalf("GET /v1/insights%s: got %d", query, code)
		}
		return r
	}
	r := report(merchantA, "")
	want := func(n int) float64 { return float64(int64(float64(n)/float64(total)*10000+0.5)) / 10000 }
	if r.Rates.Requests != total || r.Rates.Answered != want(hand[ragkb.AnswerAnswered]) || r.Rates.Fallback != want(hand[ragkb.AnswerFallback]) ||
		r.Rates.Escalation != want(hand[ragkb.AnswerAgent]) || r.Rates.AutomatedResolution != want(resolved) ||
		r.Rates.Conversations != total || r.Rates.Feedback != unhelpful {
		t.Errorf("rates %+v; hand count %v of %d", r.Rates, hand, total)
	}
	today := r.ByDay[len(r.ByDay)-1]
	if today.Date != time.Now().UTC().Format(time.DateOnly) || today.Requests != total || today.Fallback != hand[ragkb.AnswerFallback] || today.Agent != 1 {
		t.Errorf("today's row %+v, want %d requests", today, total)
	}
	if i := slices.IndexFunc(r.ByIntent, func(x insights.Row) bool { return x.Intent == "invoice" }); i < 0 || invoiceHand < 2 || r.ByIntent[i].Answered != invoiceHand {
		t.Errorf("by_intent %+v: want invoice with %d answered (at least the 2 invoice questions)", r.ByIntent, invoiceHand)
	}

	// Topics: where did each kind's questions go?
	topicOf := map[string]int{} // question -> topic index
	for i, tp := range r.Topics {
		var all []string
		_, qs, err := s.app.Insights.TopicQuestions(context.Background(), insights.Query{TenantID: tenantA, From: time.Now().AddDate(0, 0, -30), To: time.Now().Add(time.Minute)}, tp.ID)
		if err != nil {
			t.Fatalf("topic %s: %v", tp.ID, err)
		}
		all = append(all, qs...)
		for _, q := range all {
			topicOf[q] = i
		}
		t.Logf("topic %d %s %q: count %d, languages %v, statuses %v, examples %q, closest %+v", i, tp.ID, tp.Label, tp.Count, tp.Languages, tp.Statuses, tp.Examples, tp.ClosestAnswer)
		if tp.Count != len(all) {
			t.Errorf("topic %q: count %d, but %d distinct questions (each asked once)", tp.Label, tp.Count, len(all))
		}
	}
	giftTopic := ""
	for _, k := range kinds {
		in := map[int]int{}
		for _, q := range uncovered[k] {
			in[topicOf[q]]++
		}
		best, n := 0, 0
		for i, c := range in {
			if c > n {
				best, n = i, c
			}
		}
		tp := r.Topics[best]
		t.Logf("%s: %d of 10 questions in topic %q (count %d)", k, n, tp.Label, tp.Count)
		if semantic && (n != 10 || tp.Count != 10 || len(tp.Languages) != 3) {
			t.Errorf("%s: %d of its 10 questions in topic %q of count %d, languages %v; want one topic of exactly these 10 in en, pl, de", k, n, tp.Label, tp.Count, tp.Languages)
		}
		if k == "gift wrapping" {
			giftTopic = tp.ID
		}
	}

	// Feedback changes satisfaction; repeating replaces; other tenants get 404.
	fb := func(key, id string, body any) int {
		return s.call("POST", "/v1/answers/"+id+"/feedback", key, body, nil)
	}
	if code := fb(chatA, ids[covered[0]], map[string]any{"helpful": true, "resolved": true}); code != 204 {
		t.Fatalf("feedback: got %d, want 204", code)
	}
	if code := fb(chatA, ids[covered[1]], map[string]any{"helpful": false, "comment": "I wrote to jan.kowalski@example.com and nobody answered"}); code != 204 {
		t.Fatalf("feedback: got %d, want 204", code)
	}
	r = report(merchantA, "")
	sat := func(helpful, of int) float64 { return float64(int64(float64(helpful)/float64(of)*10000+0.5)) / 10000 }
	if r.Rates.Satisfaction == nil || *r.Rates.Satisfaction != sat(1, 2+unhelpful) || r.Rates.AutomatedResolution != want(resolved-1) || r.Rates.Feedback != 2+unhelpful {
		t.Errorf("after one helpful and one unhelpful: satisfaction %v, automated resolution %v; want %v and %v", r.Rates.Satisfaction, r.Rates.AutomatedResolution, sat(1, 2+unhelpful), want(resolved-1))
	}
	if code := fb(chatA, ids[covered[1]], map[string]any{"helpful": true}); code != 204 {
		t.Fatalf("repeated feedback: got %d", code)
	}
	r = report(merchantA, "")
	if r.Rates.Satisfaction == nil || *r.Rates.Satisfaction != sat(2, 2+unhelpful) || r.Rates.Feedback != 2+unhelpful || r.Rates.AutomatedResolution != want(resolved) {
		t.Errorf("after the repeat: satisfaction %v over %d, want %v over %d", r.Rates.Satisfaction, r.Rates.Feedback, sat(2, 2+unhelpful), 2+unhelpful)
	}
	var logged ragkb.AnswerLog
	s.call("GET", "/v1/answers/"+ids[covered[1]], merchantA, nil, &logged)
	if logged.Feedback == nil || logged.Feedback.Comment != "" || logged.Question != covered[1] || logged.Language != "pl" {
		t.Errorf("logged answer %+v: want the replaced feedback (no comment), the question, pl", logged)
	}
	if code := s.call("GET", "/v1/answers/"+ids[covered[0]], merchantA, nil, &logged); code != 200 || logged.Feedback == nil || !*logged.Feedback.Helpful {
		t.Errorf("GET answer: %d %+v", code, logged.Feedback)
	}
	for name, code := range map[string]int{
		"feedback of A's answer by B's chatbot":  fb(chatB, ids[covered[0]], map[string]any{"helpful": false}),
		"feedback of A's answer by B's merchant": fb(merchantB, ids[covered[0]], map[string]any{"helpful": false}),
		"B reads A's answer":                     s.call("GET", "/v1/answers/"+ids[covered[0]], merchantB, nil, nil),
		"B deletes A's answer":                   s.call("DELETE", "/v1/answers/"+ids[covered[0]], merchantB, nil, nil),
		"B applies A's topic":                    s.call("POST", "/v1/insights/topics/"+giftTopic+"/apply", merchantB, map[string]string{"resource_id": resB.ID, "question": "Gift?", "answer": "B's answer"}, nil),
		"A applies to B's resource":              s.call("POST", "/v1/insights/topics/"+giftTopic+"/apply", merchantA, map[string]string{"resource_id": resB.ID, "question": "Gift?", "answer": "x"}, nil),
		"unknown answer":                         fb(chatA, "ans_nope", map[string]any{"helpful": true}),
	} {
		if code != 404 && !(name == "A applies to B's resource" && code == 400) {
			t.Errorf("%s: got %d, want 404", name, code)
		}
	}
	for name, code := range map[string]int{
		"empty feedback":           fb(chatA, ids[covered[0]], map[string]any{}),
		"bad helpful":              fb(chatA, ids[covered[0]], map[string]any{"helpful": "yes"}),
		"bad from":                 s.call("GET", "/v1/insights?from=yesterday", merchantA, nil, nil),
		"from after to":            s.call("GET", "/v1/insights?from=2026-12-05&to=2026-12-01", merchantA, nil, nil),
		"bad format":               s.call("GET", "/v1/insights?format=xml", merchantA, nil, nil),
		"apply without a question": s.call("POST", "/v1/insights/topics/"+giftTopic+"/apply", merchantA, map[string]string{"resource_id": res.ID, "answer": "x"}, nil),
		"apply new without answer": s.call("POST", "/v1/insights/topics/"+giftTopic+"/apply", merchantA, map[string]string{"resource_id": res.ID, "question": "Do you gift wrap?"}, nil),
	} {
		if code != 400 {
			t.Errorf("%s: got %d, want 400", name, code)
		}
	}
	if code := s.call("GET", "/v1/insights", chatA, nil, nil); code != 403 {
		t.Errorf("chatbot reading insights: got %d, want 403", code)
	}
	rb := report(merchantB, "")
	if rb.Rates.Requests != 1 || len(rb.Topics) != 1 || rb.Topics[0].Count != 1 || !strings.Contains(rb.Topics[0].Label, "flamingo") {
		t.Errorf("tenant B sees %+v: want only its own question", rb)
	}

	// CSV export: the per-day table.
	req, _ := http.NewRequest("GET", s.srv.URL+"/v1/insights?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+merchantA)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || len(rows) < 2 {
		t.Fatalf("csv: %d %s %v %q", resp.StatusCode, resp.Header.Get("Content-Type"), err, body)
	}
	last := rows[len(rows)-1]
	if rows[0][0] != "date" || rows[0][1] != "requests" || last[1] != strconv.Itoa(total) || last[13] != strconv.FormatFloat(sat(2, 2+unhelpful), 'f', -1, 64) {
		t.Errorf("csv header %v, last row %v: want %d requests, satisfaction %v", rows[0], last, total, sat(2, 2+unhelpful))
	}

	if semantic {
		// Close the gift-wrapping gap in one call.
		var applied struct {
			ragkb.Resource
			Applied insights.Applied `json:"applied"`
		}
		if code := s.call("POST", "/v1/insights/topics/"+giftTopic+"/apply", merchantA, map[string]string{
			"resource_id": res.ID, "question": "Do you offer gift wrapping?", "answer": giftAnswer,
		}, &applied); code != 202 {
			t.Fatalf("apply: got %d", code)
		}
		if applied.Status != ragkb.StatusProcessing || !applied.Applied.Created || len(applied.Applied.ExamplesAdded) != 9 {
			t.Fatalf("apply: got %+v; want processing, a new question with the other 9 questions as examples", applied)
		}
		if r := s.waitStatus(merchantA, res.ID, 30*time.Second); r.Status != ragkb.StatusSuccess {
			t.Fatalf("re-index after apply: %s %s", r.Status, r.Error)
		}
		// The semantic lane is rebuilt in the background after the change
		// (embedding the new examples); an answer waits for it at most
		// laneFreshWait and is otherwise served by the previous lane
		// (here: the right text on the grounded tier). Wait for the
		// rebuild before asking the questions that count.
		for deadline := time.Now().Add(30 * time.Second); ; {
			if a := ask(chatA, "Do you offer gift wrapping?"); a.Tier == ragkb.TierFast || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		fast := 0
		for _, q := range append(slices.Clone(uncovered["gift wrapping"]), giftParaphrases...) {
			a := ask(chatA, q)
			if a.Status == ragkb.AnswerAnswered && a.Tier == ragkb.TierFast && a.Answer == giftAnswer {
				fast++
			} else {
				t.Errorf("after apply %q: got %s/%s %q", q, a.Status, a.Tier, a.Answer)
			}
		}
		t.Logf("after apply: %d of %d gift-wrapping questions (10 logged, %d new paraphrases) answered fast with the approved text", fast, 10+len(giftParaphrases), len(giftParaphrases))
		for _, k := range []string{"loyalty points", "engraving"} {
			for _, q := range uncovered[k] {
				if a := ask(chatA, q); a.Answer == giftAnswer {
					// KNOWN ISSUE of the lexical intent lane, reported: a
					// question phrased like the new custom question ("Do you
					// offer ...?") can take its answer.
					t.Logf("WRONG ANSWER after apply: %s question %q got the gift-wrapping answer", k, q)
				}
			}
		}
	}

	// Privacy: one answer, then the whole log.
	if code := s.call("DELETE", "/v1/answers/"+ids[covered[0]], merchantA, nil, nil); code != 204 {
		t.Fatalf("delete answer: got %d", code)
	}
	if code := s.call("GET", "/v1/answers/"+ids[covered[0]], merchantA, nil, nil); code != 404 {
		t.Errorf("deleted answer: got %d, want 404", code)
	}
	if code := fb(chatA, ids[covered[0]], map[string]any{"helpful": true}); code != 404 {
		t.Errorf("feedback on a deleted answer: got %d, want 404", code)
	}
	var del struct{ Deleted int }
	if code := s.call("DELETE", "/v1/insights/log", merchantB, nil, &del); code != 200 || del.Deleted != 1 {
		t.Errorf("B deletes its log: %d, deleted %d; want 1", code, del.Deleted)
	}
	if r := report(merchantA, ""); r.Rates.Requests == 0 {
		t.Errorf("B's deletion removed A's log")
	}
	if code := s.call("DELETE", "/v1/insights/log", merchantA, nil, &del); code != 200 || del.Deleted == 0 {
		t.Errorf("A deletes its log: %d, deleted %d", code, del.Deleted)
	}
	r = report(merchantA, "")
	if r.Rates.Requests != 0 || len(r.Topics) != 0 {
		t.Errorf("after deleting the log: %+v, want nothing", r.Rates)
	}
	left, err := s.app.Store.FindAnswerLogs(context.Background(), ragkb.AnswerLogFilter{TenantID: tenantA})
	if err != nil || len(left) != 0 {
		t.Errorf("store after deleting A's log: %d rows, %v", len(left), err)
	}
	var stats struct {
		ByIntent []any `json:"by_intent"`
	}
	s.call("GET", "/v1/stats", merchantA, nil, &stats)
	if len(stats.ByIntent) != 0 {
		t.Errorf("stats after deleting the log: %v", stats.ByIntent)
	}
}
