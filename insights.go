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
