package ragkb

import (
	"sort"
)

// IntentStats is one row of GET /v1/stats.
type IntentStats struct {
	Intent           string         `json:"intent"`
	Requests         int            `json:"requests"`
	Answered         int            `json:"answered"`
	Fallback         int            `json:"fallback"`
	Agent            int            `json:"agent"`
	Clarify          int            `json:"clarify"`
	Tiers            map[string]int `json:"tiers"`
	LLMCalls         int            `json:"llm_calls"`
	PromptTokens     int            `json:"prompt_tokens"`
	CompletionTokens int            `json:"completion_tokens"`
	P50MS            float64        `json:"p50_ms"`
	P95MS            float64        `json:"p95_ms"`
}

// AnswerStats aggregates answer logs per intent, busiest first.
func AnswerStats(logs []*AnswerLog) []IntentStats {
	by := map[string]*IntentStats{}
	lat := map[string][]float64{}
	for _, l := range logs {
		if l.Status == AnswerTriaged {
			continue // classified, not answered
		}
		s, ok := by[l.Intent]
		if !ok {
			s = &IntentStats{Intent: l.Intent, Tiers: map[string]int{"fast": 0, "grounded": 0, "premium": 0}}
			by[l.Intent] = s
		}
		s.Requests++
		switch l.Status {
		case AnswerAnswered:
			s.Answered++
		case AnswerFallback:
			s.Fallback++
		case AnswerAgent:
			s.Agent++
		case AnswerClarify:
			s.Clarify++
		}
		s.Tiers[string(l.Tier)]++
		s.LLMCalls += l.LLMCalls
		s.PromptTokens += l.PromptTokens
		s.CompletionTokens += l.CompletionTokens
		lat[l.Intent] = append(lat[l.Intent], l.LatencyMS)
	}
	out := make([]IntentStats, 0, len(by))
	for name, s := range by {
		xs := lat[name]
		sort.Float64s(xs)
		s.P50MS = Percentile(xs, 0.50)
		s.P95MS = Percentile(xs, 0.95)
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Requests != out[j].Requests {
			return out[i].Requests > out[j].Requests
		}
		return out[i].Intent < out[j].Intent
	})
	return out
}

// Percentile returns the p-quantile (nearest rank) of sorted values.
func Percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}
