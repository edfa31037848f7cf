package ragkb

import "time"

// AnswerStatus is the outcome of a question.
type AnswerStatus string

// Answer outcomes.
const (
	AnswerAnswered AnswerStatus = "answered"
	AnswerFallback AnswerStatus = "fallback"
	AnswerAgent    AnswerStatus = "agent"
	// AnswerClarify: the customer must choose between close approved
	// answers (AnswerResponse.Options), say more, or give what an order
	// lookup needs (AnswerResponse.Needed).
	AnswerClarify AnswerStatus = "clarify"
	// AnswerTriaged marks the log of a POST /v1/triage call: the message was
	// classified, not answered (it counts in the triage stats only).
	AnswerTriaged AnswerStatus = "triaged"
)

// Tier says how an answer was produced and so what it cost.
type Tier string

// Tiers, cheapest first.
const (
	TierFast     Tier = "fast"     // approved text verbatim, no model call
	TierGrounded Tier = "grounded" // extractive from retrieved passages, no model call
	TierPremium  Tier = "premium"  // LLM over retrieved passages
)

// Message is one turn of the conversation before the question.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// AnswerRequest is the body of POST /v1/answer.
type AnswerRequest struct {
	Question     string    `json:"question"`
	AssistantID  string    `json:"assistant_id,omitempty"`
	ResourceIDs  []string  `json:"resource_ids,omitempty"`
	Language     string    `json:"language,omitempty"`
	Conversation []Message `json:"conversation,omitempty"`
	// Customer is what a helpdesk knows about the buyer (personal data:
	// never logged or stored).
	Customer *Customer `json:"customer,omitempty"`
	// OrderID is the order the ticket is about (never logged beyond events'
	// order number).
	OrderID string `json:"order_id,omitempty"`
	// OptionID chooses an option of a previous clarify answer; Question may
	// then be empty.
	OptionID string `json:"option_id,omitempty"`
}

// Customer identifies the buyer for an order lookup. Verified is set only by
// a helpdesk that authenticated the buyer: the order is then shown without
// matching e-mail, phone or postcode.
type Customer struct {
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Verified bool   `json:"verified,omitempty"`
}

// OrderInfo is what an order answer reveals of a verified order.
type OrderInfo struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	Carrier        string `json:"carrier,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
	TrackingURL    string `json:"tracking_url,omitempty"`
}

// AnswerOption is one choice of a clarify answer: Label is shown to the
// customer (in their language where ragkb has one), and sending Question,
// or ID as AnswerRequest.OptionID, answers it.
type AnswerOption struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Question string `json:"question"`
}

// IntentMatch is the intent the question was classified as. OutOfScope
// means the intent lane stepped aside (no intent fits well enough to answer
// from an approved text): Name is then only the best guess.
type IntentMatch struct {
	Name       string  `json:"name"`
	Confidence float64 `json:"confidence"`
	OutOfScope bool    `json:"out_of_scope,omitempty"`
}

// Citation is a source an answer relies on.
type Citation struct {
	ID           int     `json:"id"`
	ResourceID   string  `json:"resource_id"`
	ResourceName string  `json:"resource_name"`
	ChunkID      string  `json:"chunk_id,omitempty"`
	Title        string  `json:"title"`
	URL          string  `json:"url,omitempty"`
	Snippet      string  `json:"snippet"`
	Score        float64 `json:"score"`
}

// Usage counts model calls and tokens spent on one answer.
type Usage struct {
	LLMCalls         int `json:"llm_calls"`
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	// ReasoningTokens is the part of CompletionTokens a reasoning model
	// spent thinking (reported by OpenAI's o-series and gpt-5).
	ReasoningTokens int `json:"reasoning_tokens,omitempty"`
}

// AnswerResponse is the body returned by POST /v1/answer. Every answered
// response has at least one citation.
type AnswerResponse struct {
	// AnswerID identifies this answer for feedback and privacy requests.
	AnswerID string       `json:"answer_id,omitempty"`
	Status   AnswerStatus `json:"status"`
	Answer   string       `json:"answer"`
	Tier     Tier         `json:"tier"`
	Intent   *IntentMatch `json:"intent,omitempty"`
	Language string       `json:"language,omitempty"`
	// AnswerLanguage is the language of Answer when it differs from the
	// question's (an approved text in another language), or when Answer
	// was translated.
	AnswerLanguage string `json:"answer_language,omitempty"`
	// Translated is true when Answer is the LLM's translation of an
	// approved or grounded text whose figures, codes and URLs were checked
	// unchanged (assistants with translate: true).
	Translated  bool       `json:"translated,omitempty"`
	Citations   []Citation `json:"citations"`
	CloseTicket bool       `json:"close_ticket"`
	Usage       Usage      `json:"usage"`
	LatencyMS   float64    `json:"latency_ms"`
	// Reason explains fallbacks and downgrades for developers (not customers).
	Reason string `json:"reason,omitempty"`
	// Options are the choices of a clarify answer (at most three).
	Options []AnswerOption `json:"options,omitempty"`
	// Triage is the helpdesk classification of the question (topic,
	// priority, sentiment), computed without a model call.
	Triage *Triage `json:"triage,omitempty"`
	// Degraded is true when a dependency failed and the answer was made
	// without it (the embedding service: only the intent lane and lexical
	// search were used). Reason says which.
	Degraded bool `json:"degraded,omitempty"`
	// Needed lists what an order lookup still needs (status clarify):
	// "order_number", "email".
	Needed []string `json:"needed,omitempty"`
	// Order is the verified order the answer is about.
	Order *OrderInfo `json:"order,omitempty"`
}

// SearchRequest is the body of POST /v1/search.
type SearchRequest struct {
	Query       string   `json:"query"`
	ResourceIDs []string `json:"resource_ids,omitempty"`
	TopK        int      `json:"top_k,omitempty"`
}

// SearchResult is one retrieved chunk.
type SearchResult struct {
	ChunkID      string  `json:"chunk_id"`
	ResourceID   string  `json:"resource_id"`
	ResourceName string  `json:"resource_name,omitempty"`
	DocumentID   string  `json:"document_id,omitempty"`
	Kind         DocKind `json:"kind,omitempty"`
	Title        string  `json:"title"`
	URL          string  `json:"url,omitempty"`
	Text         string  `json:"text"`
	Score        float64 `json:"score"`
}

// Assistant is a merchant's configuration of how questions are answered.
type Assistant struct {
	ID              string   `json:"id"`
	TenantID        string   `json:"tenant_id,omitempty"`
	Name            string   `json:"name"`
	ResourceIDs     []string `json:"resource_ids"`
	FallbackMessage string   `json:"fallback_message"`
	AgentMessage    string   `json:"agent_message"`
	AutoClose       bool     `json:"auto_close"`
	PremiumIntents  []string `json:"premium_intents"`
	Language        string   `json:"language,omitempty"`
	// FallbackMessages and AgentMessages hold the messages per language
	// (ISO 639-1 code → text); the customer's language is picked first,
	// then FallbackMessage / AgentMessage, then the built-in text.
	FallbackMessages map[string]string `json:"fallback_messages,omitempty"`
	AgentMessages    map[string]string `json:"agent_messages,omitempty"`
	// AgentOptOut lists topics the assistant answers itself instead of
	// passing them to an agent: "complaint" (angry messages) and
	// "order_status" (a question about one order). Cards, fraud, disputes,
	// legal threats and health always go to a person.
	AgentOptOut []string `json:"agent_opt_out,omitempty"`
	// Translate lets the assistant translate an answer with the LLM when no
	// approved text is in the customer's language (figures kept unchanged).
	Translate bool `json:"translate"`
	// Triage adjusts how the assistant's tickets are prioritised (nil =
	// the built-in rules only).
	Triage    *TriageConfig `json:"triage,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// Default messages used when no assistant (or an empty message) is configured.
const (
	DefaultFallbackMessage = "Sorry, I don't have that information. A member of our team will get back to you."
	DefaultAgentMessage    = "I'm passing you to a member of our team, who will reply as soon as possible."
)

// IntentDef is a tenant's own intent, trained from examples.
type IntentDef struct {
	ID       string   `json:"id,omitempty"`
	TenantID string   `json:"tenant_id,omitempty"`
	Name     string   `json:"name"`
	Examples []string `json:"examples"`
	Tier     string   `json:"tier"` // fast, grounded, premium, agent
	Builtin  bool     `json:"builtin"`
	// Description says what a built-in intent covers.
	Description string    `json:"description,omitempty"`
	CreatedAt   time.Time `json:"created_at,omitempty"`
}

// EventType names something a merchant wants to know about.
type EventType string

// Event types.
const (
	EventAssistantFailed EventType = "assistant_failed"
	EventAgentRequested  EventType = "agent_requested"
	EventResourceFailed  EventType = "resource_failed"
	// EventClarifyAsked: the assistant asked the customer to choose between
	// close approved answers.
	EventClarifyAsked EventType = "clarify_asked"
	// EventTicketUrgent is recorded when triage rates a message urgent.
	EventTicketUrgent EventType = "ticket_urgent"
)

// Event is a recorded occurrence. Question is stored with personal data redacted.
type Event struct {
	ID          string    `json:"id"`
	TenantID    string    `json:"tenant_id,omitempty"`
	Type        EventType `json:"type"`
	ResourceID  string    `json:"resource_id,omitempty"`
	AssistantID string    `json:"assistant_id,omitempty"`
	// AccountID names the connected account of an account_failed event.
	AccountID string    `json:"account_id,omitempty"`
	Question  string    `json:"question,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Webhook delivers events to a merchant's URL, signed with Secret.
type Webhook struct {
	ID        string      `json:"id"`
	TenantID  string      `json:"tenant_id,omitempty"`
	URL       string      `json:"url"`
	Events    []EventType `json:"events"`
	Secret    string      `json:"-"`
	CreatedAt time.Time   `json:"created_at"`
}

// Delivery is one attempt (or series of attempts) to deliver an event to a webhook.
type Delivery struct {
	ID          string     `json:"id"`
	TenantID    string     `json:"tenant_id,omitempty"`
	WebhookID   string     `json:"webhook_id"`
	EventID     string     `json:"event_id"`
	Status      string     `json:"status"` // pending, delivered, failed
	Attempts    int        `json:"attempts"`
	LastCode    int        `json:"last_status_code,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	NextAttempt *time.Time `json:"next_attempt_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// AnswerLog records one answer: the question log behind /v1/stats and
// /v1/insights. Question is stored with personal data redacted.
type AnswerLog struct {
	// ID is the answer id (ans_...) shown to the chatbot; "" for rows logged
	// before answers had ids.
	ID               string       `json:"id,omitempty"`
	TenantID         string       `json:"tenant_id"`
	AssistantID      string       `json:"assistant_id,omitempty"`
	Intent           string       `json:"intent"`
	Status           AnswerStatus `json:"status"`
	Tier             Tier         `json:"tier"`
	LLMCalls         int          `json:"llm_calls"`
	PromptTokens     int          `json:"prompt_tokens"`
	CompletionTokens int          `json:"completion_tokens"`
	LatencyMS        float64      `json:"latency_ms"`
	// Topic, Priority and Sentiment are the message's triage ("" for logs
	// written before triage existed).
	Topic     string    `json:"topic,omitempty"`
	Priority  string    `json:"priority,omitempty"`
	Sentiment string    `json:"sentiment,omitempty"`
	CreatedAt time.Time `json:"created_at"`

	Question   string  `json:"question,omitempty"`
	Language   string  `json:"language,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	// Citations are the cited sources (resource, chunk, title).
	Citations []LogCitation `json:"citations,omitempty"`
	// Model is the premium model that was called ("" when none); Cost is
	// what its tokens cost at the configured price (USD).
	Model string  `json:"model,omitempty"`
	Cost  float64 `json:"cost,omitempty"`
	// Turn counts the customer's earlier messages in the conversation: 0
	// starts a conversation (cost per conversation divides by those).
	Turn   int    `json:"turn"`
	Reason string `json:"reason,omitempty"`
	// Feedback is nil until the chatbot or helpdesk sends some.
	Feedback *Feedback `json:"feedback,omitempty"`
}
