package triage

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/intent"
	"github.com/ragkb/ragkb/answer/lang"
)

// WithBuiltins returns a classify function for Evaluate that triages a
// ticket the way the service does for a tenant without intents of its own:
// language detection, the built-in intent lane, then Classify. Training the
// lane takes a moment; keep the function.
func WithBuiltins() func(Ticket) ragkb.Triage {
	clf := intent.Train(intent.Builtins(), intent.DefaultOptions())
	return func(t Ticket) ragkb.Triage {
		language, _ := lang.Detect(t.Text)
		p := clf.Classify(t.Text)
		var im *ragkb.IntentMatch
		if p.Intent != "" && p.Intent != intent.OutOfScopeIntent {
			im = &ragkb.IntentMatch{Name: p.Intent, Confidence: p.Confidence, OutOfScope: p.OutOfScope}
		}
		// human_agent at the fast lane's default confidence goes to a person.
		agent := im != nil && !im.OutOfScope && im.Name == "human_agent" && im.Confidence >= 0.5
		return Classify(Input{Text: t.Text, Language: language, Intent: im, AgentIntent: agent})
	}
}

// Ticket is one labelled message of an evaluation set
// (testdata/triage/tickets.jsonl).
type Ticket struct {
	ID         string `json:"id"`
	Lang       string `json:"lang"`
	Split      string `json:"split"` // "dev" (tuned on) or "heldout" (reported only)
	Text       string `json:"text"`
	Sentiment  string `json:"sentiment"`
	Priority   string `json:"priority"`
	NeedsAgent bool   `json:"needs_agent"`
	Topic      string `json:"topic"`
}

// ReadTickets parses JSON Lines tickets.
func ReadTickets(r io.Reader) ([]Ticket, error) {
	var out []Ticket
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var t Ticket
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return nil, fmt.Errorf("triage: tickets line %d: %w", n, err)
		}
		out = append(out, t)
	}
	return out, sc.Err()
}

// Report is the evaluation of triage on labelled tickets.
type Report struct {
	Tickets int
	// Right is the share of tickets whose priority and needs_agent are both
	// right (what routes the ticket); Wrong the rest. Triage never
	// abstains, so there is no refused share.
	Right, Wrong float64
	// MissedUrgent is the share of urgent tickets rated normal or low.
	MissedUrgent                        float64
	UrgentPrecision, UrgentRecall       float64
	AgentPrecision, AgentRecall         float64
	SentimentAccuracy, PriorityAccuracy float64
	TopicAccuracy                       float64
	PriorityConfusion                   map[string]map[string]int // want -> got -> n
	ByLanguage                          map[string]float64        // right share per language
}

// Evaluate runs classify on every ticket and compares with the labels.
func Evaluate(tickets []Ticket, classify func(Ticket) ragkb.Triage) Report {
	r := Report{Tickets: len(tickets), PriorityConfusion: map[string]map[string]int{}, ByLanguage: map[string]float64{}}
	var uTP, uFP, uFN, aTP, aFP, aFN, sent, prio, topic, right, urgent, missed int
	langN := map[string]int{}
	for _, t := range tickets {
		got := classify(t)
		if r.PriorityConfusion[t.Priority] == nil {
			r.PriorityConfusion[t.Priority] = map[string]int{}
		}
		r.PriorityConfusion[t.Priority][got.Priority]++
		count(&uTP, &uFP, &uFN, t.Priority == ragkb.PriorityUrgent, got.Priority == ragkb.PriorityUrgent)
		count(&aTP, &aFP, &aFN, t.NeedsAgent, got.NeedsAgent)
		if got.Sentiment == t.Sentiment {
			sent++
		}
		if got.Priority == t.Priority {
			prio++
		}
		if got.Topic == t.Topic {
			topic++
		}
		if t.Priority == ragkb.PriorityUrgent {
			urgent++
			if got.Priority == ragkb.PriorityNormal || got.Priority == ragkb.PriorityLow {
				missed++
			}
		}
		langN[t.Lang]++
		if got.Priority == t.Priority && got.NeedsAgent == t.NeedsAgent {
			right++
			r.ByLanguage[t.Lang]++
		}
	}
	n := float64(max(1, len(tickets)))
	r.Right, r.Wrong = float64(right)/n, float64(len(tickets)-right)/n
	r.SentimentAccuracy, r.PriorityAccuracy, r.TopicAccuracy = float64(sent)/n, float64(prio)/n, float64(topic)/n
	r.UrgentPrecision, r.UrgentRecall = ratio(uTP, uTP+uFP), ratio(uTP, uTP+uFN)
	r.AgentPrecision, r.AgentRecall = ratio(aTP, aTP+aFP), ratio(aTP, aTP+aFN)
	r.MissedUrgent = ratio(missed, urgent)
	for l, k := range langN {
		r.ByLanguage[l] /= float64(k)
	}
	return r
}

func count(tp, fp, fn *int, want, got bool) {
	switch {
	case want && got:
		*tp++
	case got:
		*fp++
	case want:
		*fn++
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
