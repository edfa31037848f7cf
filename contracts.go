package ragkb

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
)

// This file holds the types adapters exchange. Adapters (every package
// outside the root, internal/, cmd/ and app) never import one another: they
// share only what is declared here, and the composition root (package app)
// connects them. internal/archtest enforces the rule.

// SearchQuery is a hybrid (lexical + dense) search over one tenant's chunks.
type SearchQuery struct {
	TenantID    string
	ResourceIDs []string // empty = all the tenant's resources
	Text        string
	TopK        int
	// Vector is the query embedding, when the caller already has it.
	Vector []float32
}

// SearchHit is a retrieved chunk with its scores.
type SearchHit struct {
	Chunk *Chunk
	// Fused is the reciprocal-rank-fusion score used for ordering.
	Fused float64
	// Dense is the cosine similarity to the question (0 when only lexical found it).
	Dense float64
	// Lexical is the backend's lexical score (0 when only dense found it).
	Lexical float64
	// Coverage is the share of the question's content words found in the chunk.
	Coverage float64
	// Relevance is an absolute score in [0,1] comparable across questions
	// (retriever.Relevance says how it is computed).
	Relevance float64
}

// Searcher runs hybrid searches (retriever.Retriever).
type Searcher interface {
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
}

// ChatRequest is one chat-completion request to a language model.
type ChatRequest struct {
	Messages []Message
}

// ChatResponse is the first choice of a completion and the tokens it cost.
type ChatResponse struct {
	Content          string
	PromptTokens     int
	CompletionTokens int
	// Model is the model that answered, as reported by the server.
	Model string
	// ReasoningTokens is the part of CompletionTokens a reasoning model
	// spent thinking (usage.completion_tokens_details.reasoning_tokens).
	ReasoningTokens int
	// FinishReason is "stop", or "length" when the reply was cut at MaxTokens.
	FinishReason string
}

// Completer is a chat model (answer/llm.Client).
type Completer interface {
	Complete(ctx context.Context, req ChatRequest) (*ChatResponse, error)
}

// IndexResult is what one indexing run did.
type IndexResult struct {
	Stats    RunStats
	Warnings []string
}

// Indexer indexes one resource under a job lease (indexer.Indexer). It
// returns a merchant-readable *Error when the source cannot be read.
type Indexer interface {
	Run(ctx context.Context, l Lease, r *Resource) (*IndexResult, error)
}

// EventRecorder stores an event and queues its deliveries to the tenant's
// webhooks (webhook.Recorder).
type EventRecorder interface {
	Record(ctx context.Context, e *Event) error
}

// Pinger is an optional capability of a backend (Store, VectorStore,
// Embedder) that can tell whether it is reachable: Ping returns nil when it
// answers, an error saying what failed otherwise. /readyz pings every
// backend that implements it. Implemented by store/sqlite, store/postgres
// (and its VectorStore), store/vectorindex, store/qdrant, embed.Local and
// embed.OpenAI.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Ping pings v when it implements Pinger and reports nil otherwise.
func Ping(ctx context.Context, v any) error {
	if p, ok := v.(Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

type apiKeyCtx struct{}

// WithAPIKeyID returns a context saying which API key made the request (the
// server sets it; answering uses it for per-key limits).
func WithAPIKeyID(ctx context.Context, keyID string) context.Context {
	return context.WithValue(ctx, apiKeyCtx{}, keyID)
}

// APIKeyID returns the API key id WithAPIKeyID put in ctx ("" if none).
func APIKeyID(ctx context.Context) string {
	id, _ := ctx.Value(apiKeyCtx{}).(string)
	return id
}

// SearchNote records how the searches made with a context went; see
// WithSearchNote.
type SearchNote struct {
	mu       sync.Mutex
	degraded string
}

// Degraded is why a search ran without dense results ("" if none did).
func (n *SearchNote) Degraded() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.degraded
}

type searchNoteKey struct{}

// WithSearchNote returns a context whose searches report degradation to the
// returned note: the caller learns that an answer came from lexical search
// alone without the search failing.
func WithSearchNote(ctx context.Context) (context.Context, *SearchNote) {
	n := &SearchNote{}
	return context.WithValue(ctx, searchNoteKey{}, n), n
}

// NoteSearchDegraded tells the note of ctx (WithSearchNote), if any, why a
// search ran without dense results.
func NoteSearchDegraded(ctx context.Context, why string) {
	if n, ok := ctx.Value(searchNoteKey{}).(*SearchNote); ok {
		n.mu.Lock()
		n.degraded = why
		n.mu.Unlock()
	}
}

// Normalised order statuses (the keys of answer templates).
const (
	OrderPending    = "pending"    // awaiting payment
	OrderPaid       = "paid"       // paid, not yet being prepared
	OrderProcessing = "processing" // being packed
	OrderShipped    = "shipped"
	OrderDelivered  = "delivered"
	OrderCancelled  = "cancelled"
	OrderRefunded   = "refunded"
)

// OrderStatuses lists every normalised order status, in order.
var OrderStatuses = []string{OrderPending, OrderPaid, OrderProcessing, OrderShipped, OrderDelivered, OrderCancelled, OrderRefunded}

// Order is one order as the shop's order API reports it. Status is "" when
// the provider's status has no safe customer wording (on hold, failed,
// returned): such orders go to a person.
type Order struct {
	Number            string
	Status            string
	ProviderStatus    string
	Carrier           string
	TrackingNumber    string
	TrackingURL       string
	EstimatedDelivery string // YYYY-MM-DD
	// Verification facts: never shown, only compared.
	Emails    []string
	Phones    []string
	Postcodes []string
}

// ErrOrderNotFound is returned by an OrderLookup when the shop has no such
// order.
var ErrOrderNotFound = errors.New("orders: no such order")

// OrderLookup reads one order live from the shop of an orders resource
// (connectors/orders.Client).
type OrderLookup interface {
	Lookup(ctx context.Context, r *Resource, number string) (*Order, error)
}

var orderNumberRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,63}$`)

// ValidOrderNumber reports whether s can be an order number or id (letters,
// digits and dashes, with at least one digit).
func ValidOrderNumber(s string) bool {
	return orderNumberRe.MatchString(s) && strings.ContainsAny(s, "0123456789")
}
