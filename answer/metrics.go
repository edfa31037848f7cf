package answer

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ragkb/ragkb"
)

// Metrics are the Prometheus series of the answer path, labelled by intent
// (custom questions folded into "custom"), status and tier.
type Metrics struct {
	answers   *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	llmCalls  *prometheus.CounterVec
	llmTokens *prometheus.CounterVec
	// translations counts translations by outcome (translate.go).
	translations *prometheus.CounterVec
}

// NewMetrics registers the answer metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_answers_total", Help: "Answers by intent, status and tier.",
		}, []string{"intent", "status", "tier"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ragkb_answer_duration_seconds", Help: "Time to answer, by intent and tier.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"intent", "tier"}),
		llmCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_llm_calls_total", Help: "Premium model calls by intent.",
		}, []string{"intent"}),
		llmTokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_llm_tokens_total", Help: "Premium model tokens by intent and kind (prompt, completion).",
		}, []string{"intent", "kind"}),
		translations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_translations_total", Help: "Answer translations by outcome (translated, cached, rejected: figures changed, failed).",
		}, []string{"outcome"}),
	}
	reg.MustRegister(m.answers, m.latency, m.llmCalls, m.llmTokens, m.translations)
	return m
}

func (m *Metrics) observe(l *ragkb.AnswerLog) {
	if m == nil {
		return
	}
	m.answers.WithLabelValues(l.Intent, string(l.Status), string(l.Tier)).Inc()
	m.latency.WithLabelValues(l.Intent, string(l.Tier)).Observe(l.LatencyMS / 1000)
	if l.LLMCalls > 0 {
		m.llmCalls.WithLabelValues(l.Intent).Add(float64(l.LLMCalls))
		m.llmTokens.WithLabelValues(l.Intent, "prompt").Add(float64(l.PromptTokens))
		m.llmTokens.WithLabelValues(l.Intent, "completion").Add(float64(l.CompletionTokens))
	}
}

func (m *Metrics) translated(outcome string) {
	if m != nil {
		m.translations.WithLabelValues(outcome).Inc()
	}
}
