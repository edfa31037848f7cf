package ragkb

import (
	"sort"
)

// TopicStats is one row of by_topic in GET /v1/stats.
type TopicStats struct {
	Topic      string         `json:"topic"`
	Requests   int            `json:"requests"`
	Priorities map[string]int `json:"priorities"`
	Sentiments map[string]int `json:"sentiments"`
}

// CountStats is one row of by_priority or by_sentiment in GET /v1/stats.
type CountStats struct {
	Name     string `json:"name"`
	Requests int    `json:"requests"`
}

// TriageSummary is the triage part of GET /v1/stats.
type TriageSummary struct {
	ByTopic     []TopicStats `json:"by_topic"`
	ByPriority  []CountStats `json:"by_priority"`
	BySentiment []CountStats `json:"by_sentiment"`
}

// TriageStats aggregates the triage of answer and triage logs (logs from
// before triage existed are left out): per topic, busiest first, and per
// priority and sentiment in their fixed order.
func TriageStats(logs []*AnswerLog) TriageSummary {
	by := map[string]*TopicStats{}
	prio := map[string]int{}
	sent := map[string]int{}
	for _, l := range logs {
		if l.Topic == "" {
			continue
		}
		t, ok := by[l.Topic]
		if !ok {
			t = &TopicStats{Topic: l.Topic, Priorities: map[string]int{PriorityUrgent: 0, PriorityHigh: 0, PriorityNormal: 0, PriorityLow: 0},
				Sentiments: map[string]int{SentimentNegative: 0, SentimentNeutral: 0, SentimentPositive: 0}}
			by[l.Topic] = t
		}
		t.Requests++
		t.Priorities[l.Priority]++
		t.Sentiments[l.Sentiment]++
		prio[l.Priority]++
		sent[l.Sentiment]++
	}
	out := TriageSummary{ByTopic: make([]TopicStats, 0, len(by))}
	for _, t := range by {
		out.ByTopic = append(out.ByTopic, *t)
	}
	sort.Slice(out.ByTopic, func(i, j int) bool {
		if out.ByTopic[i].Requests != out.ByTopic[j].Requests {
			return out.ByTopic[i].Requests > out.ByTopic[j].Requests
		}
		return out.ByTopic[i].Topic < out.ByTopic[j].Topic
	})
	for _, p := range []string{PriorityUrgent, PriorityHigh, PriorityNormal, PriorityLow} {
		out.ByPriority = append(out.ByPriority, CountStats{Name: p, Requests: prio[p]})
	}
	for _, s := range []string{SentimentNegative, SentimentNeutral, SentimentPositive} {
		out.BySentiment = append(out.BySentiment, CountStats{Name: s, Requests: sent[s]})
	}
	return out
}
