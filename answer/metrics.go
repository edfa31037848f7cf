package answer

import (
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/intent"
	"github.com/ragkb/ragkb/answer/triage"
)

// Metrics are the Prometheus series of the answer path, labelled by intent
// (built-in names; custom questions folded into "custom", tenant-defined
// intents into "tenant"), status and tier.
type Metrics struct {
	answers   *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	llmCalls  *prometheus.CounterVec
	llmTokens *prometheus.CounterVec
	tickets   *prometheus.CounterVec
	degraded  *prometheus.CounterVec
	builtin   map[string]bool
	// translations counts translations by outcome (translate.go).
	translations *prometheus.CounterVec
	// Intent lane cache (lane.go).
	laneBuilds    *prometheus.CounterVec
	laneBuildTime prometheus.Histogram
	laneEvictions prometheus.Counter
	laneBytes     prometheus.Gauge
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
		tickets: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_tickets_total", Help: "Triaged messages (answers and /v1/triage) by topic (tenant topics folded into \"tenant\"), priority and sentiment.",
		}, []string{"topic", "priority", "sentiment"}),
		translations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_translations_total", Help: "Answer translations by outcome (translated, cached, rejected: figures changed, failed).",
		}, []string{"outcome"}),
	}
	m.degraded = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ragkb_answers_degraded_total", Help: "Answers made without a failing dependency (embedding: intent lane and lexical search only).",
	}, []string{"dependency"})
	m.builtin = map[string]bool{"none": true, "custom": true, intent.OutOfScopeIntent: true}
	for _, n := range intent.BuiltinNames() {
		m.builtin[n] = true
	}
	m.laneBuilds = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ragkb_lane_builds_total", Help: "Intent lane builds by result (ok, error).",
	}, []string{"result"})
	m.laneBuildTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "ragkb_lane_build_duration_seconds", Help: "Time to build a tenant's intent lane (answers keep the previous lane meanwhile).",
		Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120},
	})
	m.laneEvictions = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "ragkb_lane_evictions_total", Help: "Intent lanes evicted from the cache to stay within RAGKB_LANE_CACHE_MB.",
	})
	m.laneBytes = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ragkb_lane_cache_bytes", Help: "Estimated memory of the cached intent lanes.",
	})
	reg.MustRegister(m.answers, m.latency, m.llmCalls, m.llmTokens, m.degraded, m.translations, m.tickets,
		m.laneBuilds, m.laneBuildTime, m.laneEvictions, m.laneBytes)
	return m
}

// label is the intent label of a metric: built-in names as they are, every
// name a tenant defined as "tenant", so that labels never carry a tenant's
// words and their number stays bounded.
func (m *Metrics) label(name string) string {
	if m.builtin[name] {
		return name
	}
	return "tenant"
}

func (m *Metrics) observeLaneBuild(err error, d time.Duration) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.laneBuilds.WithLabelValues(result).Inc()
	m.laneBuildTime.Observe(d.Seconds())
}

func (m *Metrics) observeLaneEviction() {
	if m != nil {
		m.laneEvictions.Inc()
	}
}

func (m *Metrics) setLaneCache(_ int, bytes int64) {
	if m != nil {
		m.laneBytes.Set(float64(bytes))
	}
}

func (m *Metrics) observeDegraded(dependency string) {
	if m != nil {
		m.degraded.WithLabelValues(dependency).Inc()
	}
}

func (m *Metrics) observe(l *ragkb.AnswerLog) {
	if m == nil {
		return
	}
	m.observeTicket(l)
	name := m.label(l.Intent)
	m.answers.WithLabelValues(name, string(l.Status), string(l.Tier)).Inc()
	m.latency.WithLabelValues(name, string(l.Tier)).Observe(l.LatencyMS / 1000)
	if l.LLMCalls > 0 {
		m.llmCalls.WithLabelValues(name).Add(float64(l.LLMCalls))
		m.llmTokens.WithLabelValues(name, "prompt").Add(float64(l.PromptTokens))
		m.llmTokens.WithLabelValues(name, "completion").Add(float64(l.CompletionTokens))
	}
}

// observeTicket counts a log's triage; topics outside the built-in ones
// (a tenant's intents) are one label, to bound cardinality.
func (m *Metrics) observeTicket(l *ragkb.AnswerLog) {
	if m == nil || l.Topic == "" {
		return
	}
	topic := l.Topic
	if !slices.Contains(triage.Topics(), topic) {
		topic = "tenant"
	}
	m.tickets.WithLabelValues(topic, l.Priority, l.Sentiment).Inc()
}

func (m *Metrics) translated(outcome string) {
	if m != nil {
		m.translations.WithLabelValues(outcome).Inc()
	}
}
