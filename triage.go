package ragkb

// Sentiments of a triaged message.
const (
	SentimentNegative = "negative"
	SentimentNeutral  = "neutral"
	SentimentPositive = "positive"
)

// Priorities of a triaged message, most pressing first.
const (
	PriorityUrgent = "urgent"
	PriorityHigh   = "high"
	PriorityNormal = "normal"
	PriorityLow    = "low"
)

// Triage is the helpdesk classification of a customer message: what it is
// about, how the customer feels and how soon a person should look at it.
type Triage struct {
	Language   string       `json:"language"`
	Intent     *IntentMatch `json:"intent,omitempty"`
	Topic      string       `json:"topic"`
	Sentiment  string       `json:"sentiment"`
	Priority   string       `json:"priority"`
	NeedsAgent bool         `json:"needs_agent"`
	// Reasons say, in words, why the priority and needs_agent were chosen.
	Reasons []string `json:"reasons"`
	// Tags are the features found (late_delivery, legal_threat, ...).
	Tags []string `json:"tags"`
}

// TriageRequest is the body of POST /v1/triage.
type TriageRequest struct {
	Text         string    `json:"text"`
	AssistantID  string    `json:"assistant_id,omitempty"`
	Language     string    `json:"language,omitempty"`
	Conversation []Message `json:"conversation,omitempty"`
}

// TriageConfig is an assistant's adjustment of triage.
type TriageConfig struct {
	// Rules are checked in order after the built-in triage; the first rule
	// whose conditions all hold sets the priority (and needs_agent).
	Rules []TriageRule `json:"rules,omitempty"`
	// Topics maps an intent name (built-in, the tenant's own, or
	// "custom:<document id>") to the topic its messages are filed under.
	Topics map[string]string `json:"topics,omitempty"`
}

// TriageRule is "when all of these hold, the ticket has this priority",
// e.g. {"when": {"intent": ["complaint"], "sentiment": ["negative"]},
// "priority": "urgent"}.
type TriageRule struct {
	When     TriageWhen `json:"when"`
	Priority string     `json:"priority"`
	// NeedsAgent, when set, overrides needs_agent.
	NeedsAgent *bool `json:"needs_agent,omitempty"`
}

// TriageWhen are a rule's conditions: every non-empty list must contain the
// message's value (any tag, for Tags).
type TriageWhen struct {
	Intent    []string `json:"intent,omitempty"`
	Topic     []string `json:"topic,omitempty"`
	Sentiment []string `json:"sentiment,omitempty"`
	Priority  []string `json:"priority,omitempty"`
	Tag       []string `json:"tag,omitempty"`
	Language  []string `json:"language,omitempty"`
}
