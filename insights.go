package ragkb

import "time"

// LogCitation is a source an answer cited, as kept in the question log.
type LogCitation struct {
	ResourceID string `json:"resource_id"`
	ChunkID    string `json:"chunk_id,omitempty"`
	Title      string `json:"title,omitempty"`
}

// Feedback is the chatbot's thumbs or the helpdesk's ticket outcome for one
// answer (POST /v1/answers/{id}/feedback). Nil fields were not given.
type Feedback struct {
	Helpful   *bool     `json:"helpful,omitempty"`
	Resolved  *bool     `json:"resolved,omitempty"`
	Comment   string    `json:"comment,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Unhelpful reports whether the feedback marks the answer unhelpful or unresolved.
func (f *Feedback) Unhelpful() bool {
	return f != nil && (f.Helpful != nil && !*f.Helpful || f.Resolved != nil && !*f.Resolved)
}

// AnswerLogFilter selects a tenant's answer logs: CreatedAt in [From, To)
// (zero bounds are open), oldest first.
type AnswerLogFilter struct {
	TenantID string // required
	From, To time.Time
	Limit    int // 0 = no limit
}

// AnswerLogDeletion says which answer logs to delete. TenantID "" (every
// tenant) is only allowed with Before (retention). ID deletes one answer.
type AnswerLogDeletion struct {
	TenantID string
	ID       string
	// Before deletes the logs created before it (zero = any time).
	Before time.Time
}

// InsightsTopic is a group of questions the assistant could not answer (fallback,
// clarify, agent) or answered unhelpfully, about one thing.
type InsightsTopic struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	// Count is how many times these questions were asked; Questions how
	// many distinct questions the topic has.
	Count     int            `json:"count"`
	Questions int            `json:"questions"`
	Languages []string       `json:"languages"`
	Examples  []string       `json:"examples"`
	Statuses  map[string]int `json:"statuses"`
	// Trend compares the first and second half of the period.
	Trend         InsightsTrend  `json:"trend"`
	FirstSeen     time.Time      `json:"first_seen"`
	LastSeen      time.Time      `json:"last_seen"`
	ClosestAnswer *ClosestAnswer `json:"closest_answer,omitempty"`

	// All is every distinct question, most asked first (not sent).
	All []string `json:"-"`
}

// InsightsTrend counts a topic's questions in each half of the period.
type InsightsTrend struct {
	FirstHalf  int    `json:"first_half"`
	SecondHalf int    `json:"second_half"`
	Direction  string `json:"direction"` // rising, falling, steady
}

// ClosestAnswer is the existing source that comes closest to a topic's
// questions, with its retrieval relevance (below the answer threshold,
// or the questions would have been answered).
type ClosestAnswer struct {
	ResourceID string  `json:"resource_id"`
	ChunkID    string  `json:"chunk_id,omitempty"`
	Title      string  `json:"title"`
	Snippet    string  `json:"snippet"`
	Score      float64 `json:"score"`
}

// InsightsReport is the body of GET /v1/insights.
type InsightsReport struct {
	From   time.Time        `json:"from"`
	To     time.Time        `json:"to"`
	Topics []*InsightsTopic `json:"topics"`
	// Unclustered counts gap questions left out of topics (beyond MaxQuestions).
	Unclustered int           `json:"unclustered"`
	Rates       InsightsRates `json:"rates"`
	ByDay       []InsightsRow `json:"by_day"`
	ByIntent    []InsightsRow `json:"by_intent"`
	// Truncated is set when the period held more answers than one report reads.
	Truncated bool `json:"truncated,omitempty"`
}

// InsightsQuery selects an insights report.
type InsightsQuery struct {
	TenantID string
	From, To time.Time
	// Topics is how many topics to return, largest first (default 20).
	Topics int
	// Closest looks up each returned topic's closest existing answer.
	Closest bool
}

// InsightsRates summarise a set of answers. Rates are shares of Requests;
// Satisfaction is the share of helpful among answers with helpful/unhelpful
// feedback (nil when there is none).
type InsightsRates struct {
	Requests            int      `json:"requests"`
	Conversations       int      `json:"conversations"`
	Answered            float64  `json:"answered"`
	AutomatedResolution float64  `json:"automated_resolution"`
	Escalation          float64  `json:"escalation"`
	Fallback            float64  `json:"fallback"`
	Clarify             float64  `json:"clarify"`
	Satisfaction        *float64 `json:"satisfaction"`
	Feedback            int      `json:"feedback"`
	Cost                float64  `json:"cost"`
	CostPerConversation float64  `json:"cost_per_conversation"`
	P50MS               float64  `json:"p50_ms"`
	P95MS               float64  `json:"p95_ms"`
}

// InsightsRow is one line of the per-day or per-intent table: counts and rates.
type InsightsRow struct {
	Date   string `json:"date,omitempty"`
	Intent string `json:"intent,omitempty"`
	// Answered, Fallback, Agent and Clarify count answers by status;
	// Unhelpful counts answered ones marked unhelpful or unresolved.
	Requests            int      `json:"requests"`
	Answered            int      `json:"answered"`
	Fallback            int      `json:"fallback"`
	Agent               int      `json:"agent"`
	Clarify             int      `json:"clarify"`
	Unhelpful           int      `json:"unhelpful"`
	Feedback            int      `json:"feedback"`
	Helpful             int      `json:"helpful"`
	Conversations       int      `json:"conversations"`
	AutomatedResolution float64  `json:"automated_resolution_rate"`
	Escalation          float64  `json:"escalation_rate"`
	FallbackRate        float64  `json:"fallback_rate"`
	Satisfaction        *float64 `json:"satisfaction_rate"`
	Cost                float64  `json:"cost"`
	CostPerConversation float64  `json:"cost_per_conversation"`
	P50MS               float64  `json:"p50_ms"`
	P95MS               float64  `json:"p95_ms"`
}

// ApplyTopicRequest is the body of POST /v1/insights/topics/{id}/apply.
type ApplyTopicRequest struct {
	ResourceID string `json:"resource_id"`
	Question   string `json:"question"`
	Answer     string `json:"answer,omitempty"`
	// Questions, when given, are the topic's questions to add (a subset the
	// merchant checked); by default all of them.
	Questions []string `json:"questions,omitempty"`
	// From and To select the period the topic was found in (default: as GET
	// /v1/insights).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// AppliedTopic says what an apply changed.
type AppliedTopic struct {
	TopicID  string `json:"topic_id"`
	Question string `json:"question"`
	// Created is true when the custom question was new.
	Created bool `json:"created"`
	// ExamplesAdded are the topic's questions added as examples; Skipped
	// counts those already known or beyond the examples limit.
	ExamplesAdded []string `json:"examples_added"`
	Skipped       int      `json:"skipped"`
}
