package insights

import (
	"slices"
	"sort"
	"time"

	"github.com/ragkb/ragkb"
)

// StatusClarify is the outcome of an answer that asked the customer to
// choose or say more (API.md Additions).
const StatusClarify ragkb.AnswerStatus = "clarify"

// tally accumulates answers.
type tally struct {
	requests, answered, fallback, agent, clarify, unhelpful, feedback, helpful, conversations, resolved int
	cost                                                                                                float64
	lat                                                                                                 []float64
}

func (t *tally) add(l *ragkb.AnswerLog) {
	t.requests++
	switch l.Status {
	case ragkb.AnswerAnswered:
		t.answered++
		if l.Feedback.Unhelpful() {
			t.unhelpful++
		} else {
			t.resolved++
		}
	case ragkb.AnswerFallback:
		t.fallback++
	case ragkb.AnswerAgent:
		t.agent++
	case StatusClarify:
		t.clarify++
	}
	if l.Feedback != nil && l.Feedback.Helpful != nil {
		t.feedback++
		if *l.Feedback.Helpful {
			t.helpful++
		}
	}
	if l.Turn == 0 {
		t.conversations++
	}
	t.cost += l.Cost
	t.lat = append(t.lat, l.LatencyMS)
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return round4(float64(n) / float64(of))
}

func round4(f float64) float64 { return float64(int64(f*10000+0.5)) / 10000 }

// roundCost keeps costs to a millionth of a dollar.
func roundCost(f float64) float64 { return float64(int64(f*1e8+0.5)) / 1e8 }

func (t *tally) satisfaction() *float64 {
	if t.feedback == 0 {
		return nil
	}
	s := share(t.helpful, t.feedback)
	return &s
}

// perConversation divides the cost by the conversations; answers logged
// without any conversation start (every one a follow-up) count as one.
func (t *tally) perConversation() float64 {
	if t.requests == 0 {
		return 0
	}
	return roundCost(t.cost / float64(max(t.conversations, 1)))
}

func (t *tally) percentiles() (p50, p95 float64) {
	xs := slices.Clone(t.lat)
	sort.Float64s(xs)
	return ragkb.Percentile(xs, 0.5), ragkb.Percentile(xs, 0.95)
}

func (t *tally) rates() Rates {
	p50, p95 := t.percentiles()
	return Rates{
		Requests: t.requests, Conversations: t.conversations,
		Answered: share(t.answered, t.requests), AutomatedResolution: share(t.resolved, t.requests),
		Escalation: share(t.agent, t.requests), Fallback: share(t.fallback, t.requests), Clarify: share(t.clarify, t.requests),
		Satisfaction: t.satisfaction(), Feedback: t.feedback,
		Cost: roundCost(t.cost), CostPerConversation: t.perConversation(), P50MS: p50, P95MS: p95,
	}
}

func (t *tally) row() Row {
	p50, p95 := t.percentiles()
	return Row{
		Requests: t.requests, Answered: t.answered, Fallback: t.fallback, Agent: t.agent, Clarify: t.clarify,
		Unhelpful: t.unhelpful, Feedback: t.feedback, Helpful: t.helpful, Conversations: t.conversations,
		AutomatedResolution: share(t.resolved, t.requests), Escalation: share(t.agent, t.requests),
		FallbackRate: share(t.fallback, t.requests), Satisfaction: t.satisfaction(),
		Cost: roundCost(t.cost), CostPerConversation: t.perConversation(), P50MS: p50, P95MS: p95,
	}
}

// rates computes the overall rates, a row per day (UTC, every day of the
// range, empty ones included) and a row per intent (busiest first).
func rates(logs []*ragkb.AnswerLog, from, to time.Time) (Rates, []Row, []Row) {
	var all tally
	days := map[string]*tally{}
	intents := map[string]*tally{}
	for _, l := range logs {
		all.add(l)
		d := l.CreatedAt.UTC().Format(time.DateOnly)
		if days[d] == nil {
			days[d] = &tally{}
		}
		days[d].add(l)
		in := l.Intent
		if in == "" {
			in = "none"
		}
		if intents[in] == nil {
			intents[in] = &tally{}
		}
		intents[in].add(l)
	}
	var byDay []Row
	if !from.IsZero() && !to.IsZero() && to.Sub(from) <= 400*24*time.Hour {
		for d := from.UTC().Truncate(24 * time.Hour); d.Before(to); d = d.Add(24 * time.Hour) {
			key := d.Format(time.DateOnly)
			t := days[key]
			if t == nil {
				t = &tally{}
			}
			r := t.row()
			r.Date = key
			byDay = append(byDay, r)
		}
	} else {
		for key, t := range days {
			r := t.row()
			r.Date = key
			byDay = append(byDay, r)
		}
		sort.Slice(byDay, func(i, j int) bool { return byDay[i].Date < byDay[j].Date })
	}
	byIntent := make([]Row, 0, len(intents))
	for name, t := range intents {
		r := t.row()
		r.Intent = name
		byIntent = append(byIntent, r)
	}
	sort.Slice(byIntent, func(i, j int) bool {
		if byIntent[i].Requests != byIntent[j].Requests {
			return byIntent[i].Requests > byIntent[j].Requests
		}
		return byIntent[i].Intent < byIntent[j].Intent
	})
	return all.rates(), byDay, byIntent
}
