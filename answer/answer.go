// Package answer produces answers in tiers, cheapest first:
//
//  1. fast: the question is classified by the tenant's intent lane (built-in
//     e-commerce intents, custom questions and the tenant's own intents); a
//     confident match to an approved text (questionnaire field or custom
//     question) returns that text verbatim, with no model call;
//  2. grounded: otherwise retrieved passages are used extractively;
//  3. premium: an LLM over retrieved passages, only when configured and the
//     assistant lists the intent in premium_intents.
//
// Guardrails run on every path: personal data is redacted from the question
// before it is classified, logged, stored or sent anywhere; requests for a
// person and sensitive topics go to an agent; every answer is checked against
// its citations (numbers, prices, dates and discounts must appear in them) and
// downgraded when it is not supported. Assistants carry the fallback and agent
// messages, the resource selection and auto_close.
package answer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/guard"
	"github.com/ragkb/ragkb/answer/intent"
	"github.com/ragkb/ragkb/answer/lang"
	"github.com/ragkb/ragkb/internal/textnorm"
)

// Store is what answering needs from the metadata store.
type Store interface {
	TenantVersion(ctx context.Context, tenantID string) (int64, error)
	GetAssistant(ctx context.Context, tenantID, id string) (*ragkb.Assistant, error)
	ListResources(ctx context.Context, f ragkb.ResourceFilter) ([]*ragkb.Resource, error)
	ListDocuments(ctx context.Context, f ragkb.DocumentFilter) ([]*ragkb.Document, error)
	ListIntents(ctx context.Context, tenantID string) ([]*ragkb.IntentDef, error)
	RecordAnswer(ctx context.Context, l *ragkb.AnswerLog) error
}

// Searcher finds passages (retriever.Retriever).
type Searcher = ragkb.Searcher

// Completer is a chat model (answer/llm.Client).
type Completer = ragkb.Completer

// EventSink records events (and delivers them to webhooks: webhook.Recorder).
type EventSink = ragkb.EventRecorder

// Config configures a Service.
type Config struct {
	Store    Store
	Searcher Searcher
	Events   EventSink
	// LLM is the premium tier; nil disables it.
	LLM Completer
	// Relevance is the minimum retriever relevance for a grounded answer.
	// The default comes from the calibration in BENCHMARKS.md.
	Relevance float64
	// FastConfidence is the minimum calibrated intent confidence for the
	// fast lane (default 0.5).
	FastConfidence float64
	// MaxQuestionChars bounds the question (default 2000).
	MaxQuestionChars int
	// MinMargin is the smallest lead of the best intent over the runner-up
	// for a fast answer (default 0.1): below it the choice is a guess, and
	// two close approved answers are offered as a clarify question instead.
	MinMargin float64
	// TranslationCache is the number of checked translations kept in
	// memory (default DefaultTranslationCache); see translate.go.
	TranslationCache int
	// IntentOptions tunes the classifier (zero = defaults).
	IntentOptions intent.Options
	// Orders reads live orders for "where is my order?" (orders.go); nil
	// leaves order questions to the other tiers.
	Orders OrderLookup
	// Embedder, when set, makes the intent lane semantic: approved questions
	// and their examples are embedded (once per model and text) and compared
	// with the question's embedding (one query embedding per question).
	Embedder ragkb.Embedder
	// SemanticOptions tunes the semantic lane (zero = defaults measured
	// with multilingual-e5-small, see BENCHMARKS.md).
	SemanticOptions intent.SemanticOptions
	// EmbedTimeout bounds the wait for the question's embedding in the
	// semantic lane (default 2s); past it the lexical lane decides.
	EmbedTimeout time.Duration
	Metrics      *Metrics
	// LaneCacheBytes is the memory budget of the tenants' intent lanes
	// (default DefaultLaneCacheBytes): past it the least recently used
	// lanes are dropped and rebuilt on their next question.
	LaneCacheBytes int64
	Now            func() time.Time
	Logger         *slog.Logger
}

// DefaultRelevance is the grounded-answer threshold: the F1 optimum of
// correct answers measured on BANKING77 by `ragkb bench -sections relevance`
// (see BENCHMARKS.md, "Relevance threshold").
const DefaultRelevance = 0.425

// DefaultSemanticRelevance is the grounded-answer threshold on
// retriever.SemanticRelevance for the openai embedder, measured with
// multilingual-e5-small on BANKING77 (BENCHMARKS.md): one step above the F1
// optimum (0.85), which halves the wrong answers (35.6% → 18.2% of all
// questions) for 13 points of recall. Cosine scales differ between models:
// measure another model with `ragkb bench -sections relevance` and set
// RAGKB_RELEVANCE.
const DefaultSemanticRelevance = 0.875

// Service answers questions. It is safe for concurrent use.
type Service struct {
	cfg        Config
	lanes      *laneCache
	translator *Translator // nil without an LLM
	orders     *orderGuard
	log        *slog.Logger
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	switch {
	case cfg.Store == nil:
		return nil, ragkb.Invalid("Store", "is required")
	case cfg.Searcher == nil:
		return nil, ragkb.Invalid("Searcher", "is required")
	case cfg.Events == nil:
		return nil, ragkb.Invalid("Events", "is required")
	}
	cfg.Relevance = cmp.Or(cfg.Relevance, DefaultRelevance)
	cfg.FastConfidence = cmp.Or(cfg.FastConfidence, 0.5)
	cfg.MinMargin = cmp.Or(cfg.MinMargin, 0.1)
	cfg.EmbedTimeout = cmp.Or(cfg.EmbedTimeout, 2*time.Second)
	cfg.MaxQuestionChars = cmp.Or(cfg.MaxQuestionChars, 2000)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg, lanes: newLaneCache(cfg.IntentOptions, cfg.Embedder, cfg.SemanticOptions, cfg.LaneCacheBytes, cfg.Metrics, log), translator: NewTranslator(cfg.LLM, cfg.TranslationCache), orders: newOrderGuard(), log: log}, nil
}

// PremiumEnabled reports whether a premium model is configured.
func (s *Service) PremiumEnabled() bool { return s.cfg.LLM != nil }

// maxConversation bounds the messages of context an answer request may carry.
const maxConversation = 50

// Validate checks an answer request and names the bad field.
func (s *Service) Validate(req *ragkb.AnswerRequest) error {
	q := strings.TrimSpace(req.Question)
	switch {
	case req.OptionID != "" && !validOptionID(req.OptionID):
		return ragkb.Invalid("option_id", "must be an option id from a clarify answer (\"opt_...\")")
	case q == "" && req.OptionID == "":
		return ragkb.Invalid("question", "is required")
	case utf8.RuneCountInString(q) > s.cfg.MaxQuestionChars:
		return ragkb.Invalid("question", "must be at most %d characters", s.cfg.MaxQuestionChars)
	case req.Language != "" && !ragkb.ValidLanguage(req.Language):
		return ragkb.Invalid("language", "must be an ISO 639-1 code such as \"en\" or \"pl\"")
	case len(req.ResourceIDs) > 100:
		return ragkb.Invalid("resource_ids", "must list at most 100 resources")
	}
	if len(req.Conversation) > maxConversation {
		return ragkb.Invalid("conversation", "must have at most %d messages (send the most recent ones)", maxConversation)
	}
	for i, m := range req.Conversation {
		if m.Role != "user" && m.Role != "assistant" {
			return ragkb.Invalid(fmt.Sprintf("conversation[%d].role", i), "must be \"user\" or \"assistant\"")
		}
		if utf8.RuneCountInString(m.Content) > s.cfg.MaxQuestionChars*2 {
			return ragkb.Invalid(fmt.Sprintf("conversation[%d].content", i), "must be at most %d characters", s.cfg.MaxQuestionChars*2)
		}
	}
	return nil
}

// scope is what a question may be answered from.
type scope struct {
	assistant   *ragkb.Assistant
	resourceIDs []string // empty = all the tenant's resources
	names       map[string]string
	versions    map[string]int64 // resource versions, by id
	inScope     func(resourceID string) bool
	// languages are the languages of the resources in scope.
	languages []string
	// orders: an orders resource is in scope (else no question is an
	// order lookup, and its patterns are not tried).
	orders bool
}

func (s *Service) scope(ctx context.Context, tenantID string, req *ragkb.AnswerRequest) (*scope, error) {
	sc := &scope{names: map[string]string{}, versions: map[string]int64{}}
	if req.AssistantID != "" {
		a, err := s.cfg.Store.GetAssistant(ctx, tenantID, req.AssistantID)
		if err != nil {
			if ragkb.IsNotFound(err) {
				return nil, ragkb.Invalid("assistant_id", "no assistant %q in this account", req.AssistantID)
			}
			return nil, err
		}
		sc.assistant = a
	}
	rs, err := s.cfg.Store.ListResources(ctx, ragkb.ResourceFilter{TenantID: tenantID, NoSpec: true})
	if err != nil {
		return nil, fmt.Errorf("answer: list resources: %w", err)
	}
	known := map[string]bool{}
	for _, r := range rs {
		known[r.ID] = true
		sc.names[r.ID] = r.Name
		sc.versions[r.ID] = r.Version
	}
	for i, id := range req.ResourceIDs {
		if !known[id] {
			return nil, ragkb.Invalid(fmt.Sprintf("resource_ids[%d]", i), "no resource %q in this account", id)
		}
	}
	ids := req.ResourceIDs
	if sc.assistant != nil && len(sc.assistant.ResourceIDs) > 0 {
		if len(ids) == 0 {
			ids = sc.assistant.ResourceIDs
		} else {
			ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !slices.Contains(sc.assistant.ResourceIDs, id) })
			if len(ids) == 0 {
				return nil, ragkb.Invalid("resource_ids", "none of these resources belong to the assistant")
			}
		}
	}
	sc.resourceIDs = ids
	set := map[string]bool{}
	for _, id := range ids {
		set[id] = true
	}
	sc.inScope = func(id string) bool { return len(set) == 0 || set[id] }
	sc.languages = scopeLanguages(rs, sc.inScope)
	sc.orders = slices.ContainsFunc(rs, func(r *ragkb.Resource) bool { return r.Type == ragkb.TypeOrders && sc.inScope(r.ID) })
	return sc, nil
}

// Answer answers one question for a tenant.
func (s *Service) Answer(ctx context.Context, tenantID string, req *ragkb.AnswerRequest) (*ragkb.AnswerResponse, error) {
	start := time.Now()
	if err := s.Validate(req); err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, tenantID, req)
	if err != nil {
		return nil, err
	}
	// Personal data never goes further than this line.
	question, found := guard.Redact(strings.TrimSpace(req.Question))

	language := req.Language
	if language == "" && sc.assistant != nil {
		language = sc.assistant.Language
	}
	if language == "" {
		language, _ = lang.Detect(question)
	}
	ctx, note := ragkb.WithSearchNote(ctx)
	t := &turn{s: s, ctx: ctx, tenantID: tenantID, req: req, question: question, language: language, sc: sc}
	for _, f := range found {
		if f.Type == "card" {
			t.card = true
		}
	}
	resp, err := t.order()
	if err != nil {
		return nil, err
	} else if resp == nil {
		resp = t.run()
	}
	t.translateAnswer(resp)
	resp.Triage = s.triageTurn(t, resp)
	if why := note.Degraded(); why != "" {
		resp.Degraded = true
		resp.Reason = strings.TrimPrefix(resp.Reason+"; "+why, "; ")
		t.reason = resp.Reason
		s.cfg.Metrics.observeDegraded("embedding")
	}
	resp.Language = language
	resp.LatencyMS = float64(time.Since(start).Microseconds()) / 1000
	if resp.Citations == nil {
		resp.Citations = []ragkb.Citation{}
	}
	s.record(ctx, tenantID, sc, question, resp, t.reason, customerTurns(req.Conversation, req.Question))
	return resp, nil
}

// turn carries one question through the tiers.
type turn struct {
	s        *Service
	ctx      context.Context
	tenantID string
	req      *ragkb.AnswerRequest
	question string
	language string
	sc       *scope
	reason   string
	intent   *ragkb.IntentMatch
	usage    ragkb.Usage
	// card: the question carried a payment card number.
	card bool
	// laneNote says what the intent lane weighed when it stepped aside.
	laneNote string
	// laneBest is the approved text the lane ranked first when it stepped
	// aside, with its lead over every other intent (laneLead); nil when it
	// had none or it was not the lane's top intent.
	laneBest *candidate
	laneLead float64
	// unsupported are approved documents the lane matched on generic words
	// only (intent.Prediction.Unsupported): retrieval must not answer with
	// them either.
	unsupported map[string]bool
	// contact is the kind of contact detail (guard.PIIPhone, guard.PIIEmail)
	// a customer asking for a person wants: answered only from a source
	// that gives it, else the customer goes to an agent.
	contact string
	// qspecs and specifics memoise guard.Specifics of the question and of
	// the texts the turn weighs (fit): several steps weigh the same ones.
	qspecs    *[]guard.Specific
	specifics map[string][]guard.Specific
}

// questionSpecifics is guard.Specifics(t.question), found once per turn.
func (t *turn) questionSpecifics() []guard.Specific {
	if t.qspecs == nil {
		qs := guard.Specifics(t.question)
		t.qspecs = &qs
	}
	return *t.qspecs
}

// fit is guard.SpecificFit(t.question, text), each text read once per turn.
func (t *turn) fit(text string) guard.Fit {
	qs := t.questionSpecifics()
	if len(qs) == 0 {
		return guard.FitNeutral
	}
	ts, ok := t.specifics[text]
	if !ok {
		if t.specifics == nil {
			t.specifics = map[string][]guard.Specific{}
		}
		ts = guard.Specifics(text)
		t.specifics[text] = ts
	}
	return guard.FitSpecifics(qs, ts)
}

func (t *turn) run() *ragkb.AnswerResponse {
	s := t.s
	// Guardrail: people and sensitive topics go to an agent before anything else.
	if t.card {
		// A card number in a chat is a card at risk, whatever else is asked.
		t.reason = guard.ReasonCardNumber
		return t.agent()
	}
	if r := guard.Route(t.question); r.ToAgent && !t.optedOut(r.Reason) {
		t.reason = r.Reason
		return t.agent()
	}
	ln, stale, err := s.lanes.get(t.ctx, s.cfg.Store, t.tenantID)
	if err != nil {
		s.log.Error("answer: intent lane", "tenant_id", t.tenantID, "err", err)
	}
	if stale {
		// The previous lane answers while the current one builds, but only
		// with texts of resources unchanged since it was built: a deleted or
		// re-indexed resource is left to retrieval, which reads the index.
		inScope := t.sc.inScope
		t.sc.inScope = func(id string) bool {
			v, ok := t.sc.versions[id]
			return ok && v == ln.resVersions[id] && inScope(id)
		}
	}
	if t.req.OptionID != "" {
		if resp := t.chosen(ln); resp != nil {
			return resp
		}
		if t.question == "" {
			t.reason = "unknown option " + t.req.OptionID
			return t.fallback()
		}
	}
	var pred intent.Prediction
	if ln != nil {
		pred = t.classify(ln)
		if pred.Intent != "" && pred.Intent != intent.OutOfScopeIntent {
			t.intent = &ragkb.IntentMatch{Name: publicIntent(pred.Intent), Confidence: round(min(pred.Confidence, maxGuessConfidence)), OutOfScope: pred.OutOfScope}
		}
		if resp := t.fast(ln, pred); resp != nil {
			return resp
		}
	}
	hits, err := s.cfg.Searcher.Search(t.ctx, ragkb.SearchQuery{TenantID: t.tenantID, ResourceIDs: t.sc.resourceIDs, Text: t.question, TopK: 5})
	if err != nil {
		s.log.Error("answer: search", "tenant_id", t.tenantID, "err", err)
		t.reason = "search failed"
		return t.fallback()
	}
	relevant := t.relevant(hits)
	if t.contact != "" {
		relevant = slices.DeleteFunc(relevant, func(h ragkb.SearchHit) bool { return !guard.HasContact(h.Chunk.Text, t.contact) })
		if len(relevant) == 0 {
			// The exact reason: triage and insights count hand-offs by it.
			t.reason = guard.ReasonHumanRequested
			return t.agent()
		}
		return t.grounded(relevant)
	}
	if len(relevant) == 0 {
		if resp := t.agreed(hits); resp != nil {
			return resp
		}
		relevant = t.namedOffer(hits)
	}
	if len(relevant) == 0 {
		relevant = t.followUp()
	}
	if len(relevant) == 0 {
		relevant = t.crossLanguage()
	}
	if len(relevant) == 0 {
		t.reason = "no relevant source"
		if len(hits) > 0 {
			t.reason = fmt.Sprintf("no relevant source (best relevance %.3f < %.3f)", hits[0].Relevance, s.cfg.Relevance)
		}
		return t.fallback()
	}
	if t.wantsPremium(ln, relevant) {
		if resp := t.premium(relevant); resp != nil {
			return resp
		}
	}
	return t.grounded(relevant)
}

// relevant keeps the hits above the relevance threshold.
func (t *turn) relevant(hits []ragkb.SearchHit) []ragkb.SearchHit {
	var out []ragkb.SearchHit
	for _, h := range hits {
		if h.Relevance >= t.s.cfg.Relevance {
			out = append(out, h)
		}
	}
	return out
}

// maxFollowUpTerms is the most content words a question may have to be read
// as a follow-up of the previous one ("and to Austria?").
const maxFollowUpTerms = 3

// followUp retries retrieval for a short question that found nothing on its
// own, together with the customer's previous message. A hit counts only if
// it still contains a word of the new question, so an unrelated question
// never gets the previous topic's answer.
func (t *turn) followUp() []ragkb.SearchHit {
	terms := textnorm.Terms(t.question)
	if len(terms) == 0 || len(terms) > maxFollowUpTerms {
		return nil
	}
	prev := ""
	for i := len(t.req.Conversation) - 1; i >= 0; i-- {
		if m := t.req.Conversation[i]; m.Role == "user" && strings.TrimSpace(m.Content) != t.req.Question {
			prev, _ = guard.Redact(m.Content)
			break
		}
	}
	if strings.TrimSpace(prev) == "" {
		return nil
	}
	hits, err := t.s.cfg.Searcher.Search(t.ctx, ragkb.SearchQuery{TenantID: t.tenantID, ResourceIDs: t.sc.resourceIDs, Text: prev + " " + t.question, TopK: 5})
	if err != nil {
		t.s.log.Warn("answer: follow-up search", "tenant_id", t.tenantID, "err", err)
		return nil
	}
	var out []ragkb.SearchHit
	for _, h := range t.relevant(hits) {
		if textnorm.Coverage(terms, h.Chunk.Title+" "+h.Chunk.Text) > 0 {
			out = append(out, h)
		}
	}
	return out
}

// relatedField maps a built-in intent that has no questionnaire field of its
// own to the field whose approved text answers it best: "where is my
// parcel?" is answered with the merchant's delivery times.
var relatedField = map[string]string{"order_status": "delivery_time"}

// pickByLanguage returns the in-scope document in the question's language,
// else the first in scope.
func (t *turn) pickByLanguage(docs []*ragkb.Document) *ragkb.Document {
	var first *ragkb.Document
	for _, d := range docs {
		if !t.sc.inScope(d.ResourceID) {
			continue
		}
		if first == nil {
			first = d
		}
		if t.language != "" && d.Language == t.language {
			return d
		}
	}
	return first
}

// wantsPremium says whether the premium model should answer. Only when a
// model is configured and the question is recognised (not out of scope),
// and one of:
//   - the assistant lists the intent in premium_intents;
//   - the tenant declared the intent with tier "premium" (POST /v1/intents);
//   - the assistant uses premium at all (non-empty premium_intents),
//     retrieval is confident, no approved text fits, and the question is
//     complex (long, or a comparison or a recommendation).
func (t *turn) wantsPremium(ln *lane, hits []ragkb.SearchHit) bool {
	if t.s.cfg.LLM == nil || t.intent == nil || t.intent.OutOfScope {
		return false
	}
	if ln != nil {
		if def, ok := ln.tenantIntents[t.intent.Name]; ok && def.Tier == "premium" {
			return true
		}
	}
	a := t.sc.assistant
	if a == nil || len(a.PremiumIntents) == 0 {
		return false
	}
	if slices.Contains(a.PremiumIntents, t.intent.Name) {
		return true
	}
	return len(hits) > 0 && hits[0].Relevance >= premiumConfidence && hits[0].Chunk.Kind != ragkb.DocQA && Complex(t.question)
}

// premiumConfidence is the retriever relevance above which a complex
// question may go to the premium model without being a premium intent.
const premiumConfidence = 0.6

// complexMarkers are word stems of comparisons and recommendations in the
// supported languages (matched on diacritic-free lower-case words).
var complexMarkers = []string{
	"compar", "differen", "versus", "vs", "better", "best", "recommend", "suggest",
	"porown", "rozni", "lepsz", "najlepsz", "polec",
	"confront", "meglio", "miglior", "consigl",
	"mieux", "meilleur", "conseill",
	"vergleich", "unterschied", "besser", "beste", "empfehl",
	"mejor", "recomiend", "recomend",
}

// Complex reports whether a question is long (at least 14 words) or asks for
// a comparison or a recommendation.
func Complex(question string) bool {
	words := textnorm.Words(question)
	if len(words) >= 14 {
		return true
	}
	for _, w := range words {
		for _, m := range complexMarkers {
			if w == m || len(m) >= 4 && strings.HasPrefix(w, m) {
				return true
			}
		}
	}
	return false
}

// grounded builds an extractive answer from the best passages.
func (t *turn) grounded(hits []ragkb.SearchHit) *ragkb.AnswerResponse {
	hits = slices.DeleteFunc(slices.Clone(hits), func(h ragkb.SearchHit) bool {
		return h.Chunk.Kind == ragkb.DocQA && (t.unsupported[h.Chunk.DocumentID] || t.fit(h.Chunk.Title+"\n"+h.Chunk.Text) == guard.FitConflict ||
			!StatesPrice(t.question, h.Chunk.Title+"\n"+h.Chunk.Text))
	})
	if len(hits) == 0 {
		t.reason = "the approved texts found name another country, product, colour, payment method or day"
		return t.fallback()
	}
	top := hits[0]
	if top.Chunk.Kind == ragkb.DocQA {
		// An approved answer (FAQ pair or questionnaire) that retrieval found:
		// return it whole, it was written to be shown.
		pick := PickQA(t.question, hits)
		if TiedQA(t.question, hits, pick) {
			t.reason = "several approved answers fit the question equally well"
			return t.fallback()
		}
		top = hits[pick]
		if i := t.pickQAByConcepts(hits); i >= 0 {
			top = hits[i]
		}
		top = t.betterByConcepts(top)
		c := t.citation(1, top)
		return t.checked(top.Chunk.Text, []ragkb.Citation{c}, []string{top.Chunk.Title + "\n" + top.Chunk.Text})
	}
	if top.Chunk.Kind == ragkb.DocOffer {
		resp, rest := t.offer(hits)
		if resp != nil {
			return resp
		}
		hits = rest
	}
	text, used := Extract(t.question, hits, 3)
	if text == "" {
		t.reason = "no sentence of the sources fits the question"
		return t.fallback()
	}
	var cites []ragkb.Citation
	var sources []string
	for i, hi := range used {
		cites = append(cites, t.citation(i+1, hits[hi]))
		sources = append(sources, hits[hi].Chunk.Title+"\n"+hits[hi].Chunk.Text)
	}
	return t.checked(text, cites, sources)
}

// checked runs the grounding guardrail on an answer before returning it.
func (t *turn) checked(text string, cites []ragkb.Citation, sources []string) *ragkb.AnswerResponse {
	if v := guard.Check(text, sources); !v.OK {
		t.reason = "answer not supported by its sources: " + v.Reason
		return t.fallback()
	}
	return t.answered(text, ragkb.TierGrounded, cites)
}

func (t *turn) citation(id int, h ragkb.SearchHit) ragkb.Citation {
	return ragkb.Citation{
		ID: id, ResourceID: h.Chunk.ResourceID, ResourceName: t.sc.names[h.Chunk.ResourceID], ChunkID: h.Chunk.ID,
		Title: h.Chunk.Title, URL: h.Chunk.URL, Snippet: bestSnippet(t.question, h.Chunk.Text, 240), Score: round(h.Relevance),
	}
}

// premium asks the model; nil means "use the grounded tier instead".
func (t *turn) premium(hits []ragkb.SearchHit) *ragkb.AnswerResponse {
	srcs := make([]PromptSource, len(hits))
	for i, h := range hits {
		srcs[i] = PromptSource{N: i + 1, Title: h.Chunk.Title, URL: h.Chunk.URL, Text: h.Chunk.Text}
	}
	resp, err := t.s.cfg.LLM.Complete(t.ctx, ragkb.ChatRequest{Messages: BuildPrompt(t.question, t.language, srcs)})
	t.usage.LLMCalls++
	if err != nil {
		t.s.log.Warn("answer: premium model failed, using grounded tier", "tenant_id", t.tenantID, "err", err)
		t.reason = "premium model unavailable: grounded answer"
		return nil
	}
	t.usage.PromptTokens += resp.PromptTokens
	t.usage.CompletionTokens += resp.CompletionTokens
	t.usage.ReasoningTokens += resp.ReasoningTokens
	var cites []ragkb.Citation
	var sources []string
	for _, n := range ParseCitations(resp.Content) {
		if n < 1 || n > len(hits) {
			continue
		}
		cites = append(cites, t.citation(n, hits[n-1]))
		sources = append(sources, hits[n-1].Chunk.Title+"\n"+hits[n-1].Chunk.Text)
	}
	if len(cites) == 0 {
		t.reason = "premium answer cited no source: grounded answer"
		return nil
	}
	if v := guard.Check(resp.Content, sources); !v.OK {
		t.reason = "premium answer rejected (" + v.Reason + "): grounded answer"
		return nil
	}
	return t.answered(strings.TrimSpace(resp.Content), ragkb.TierPremium, cites)
}

func (t *turn) answered(text string, tier ragkb.Tier, cites []ragkb.Citation) *ragkb.AnswerResponse {
	closeTicket := true
	if t.sc.assistant != nil {
		closeTicket = t.sc.assistant.AutoClose
	}
	return &ragkb.AnswerResponse{Status: ragkb.AnswerAnswered, Answer: text, Tier: tier, Intent: t.intent, Citations: cites, CloseTicket: closeTicket, Usage: t.usage}
}

func (t *turn) fallback() *ragkb.AnswerResponse {
	var msg string
	if a := t.sc.assistant; a != nil {
		msg = message(defaultFallback, t.language, a.FallbackMessages, a.FallbackMessage)
	} else {
		msg = localized(defaultFallback, t.language, "")
	}
	if t.laneNote != "" {
		t.reason += " (intent lane: " + t.laneNote + ")"
	}
	return &ragkb.AnswerResponse{Status: ragkb.AnswerFallback, Answer: msg, Tier: ragkb.TierGrounded, Intent: t.intent, Usage: t.usage, Reason: t.reason}
}

func (t *turn) agent() *ragkb.AnswerResponse {
	var msg string
	if a := t.sc.assistant; a != nil {
		msg = message(defaultAgent, t.language, a.AgentMessages, a.AgentMessage)
	} else {
		msg = localized(defaultAgent, t.language, "")
	}
	return &ragkb.AnswerResponse{Status: ragkb.AnswerAgent, Answer: msg, Tier: ragkb.TierFast, Intent: t.intent, Usage: t.usage, Reason: t.reason}
}

// record writes the answer log, metrics and events. Failures are logged: the
// customer still gets the answer.
func (s *Service) record(ctx context.Context, tenantID string, sc *scope, question string, resp *ragkb.AnswerResponse, reason string, turns int) {
	// Stats and metrics count a question under its intent only when the
	// lane recognised it; guesses are counted as out_of_scope.
	name := "none"
	switch {
	case resp.Intent != nil && resp.Intent.OutOfScope:
		name = intent.OutOfScopeIntent
	case resp.Intent != nil:
		name = metricIntent(resp.Intent.Name)
	}
	asst := ""
	if sc.assistant != nil {
		asst = sc.assistant.ID
	}
	l := &ragkb.AnswerLog{
		TenantID: tenantID, AssistantID: asst, Intent: name, Status: resp.Status, Tier: resp.Tier,
		LLMCalls: resp.Usage.LLMCalls, PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens,
		LatencyMS: resp.LatencyMS, CreatedAt: s.cfg.Now().UTC(),
	}
	logQuestion(l, resp, question, reason, turns)
	setTriage(l, resp.Triage)
	ctx = context.WithoutCancel(ctx)
	if err := s.cfg.Store.RecordAnswer(ctx, l); err != nil {
		s.log.Error("answer: record answer", "tenant_id", tenantID, "err", err)
	}
	s.cfg.Metrics.observe(l)
	var ev *ragkb.Event
	switch resp.Status {
	case ragkb.AnswerFallback:
		// A fallback while a dependency is down is an outage (metrics,
		// /readyz), not a gap in the merchant's knowledge.
		if !resp.Degraded {
			ev = &ragkb.Event{Type: ragkb.EventAssistantFailed, Detail: reason}
		}
	case ragkb.AnswerAgent:
		ev = &ragkb.Event{Type: ragkb.EventAgentRequested, Detail: reason}
	case ragkb.AnswerClarify:
		labels := make([]string, len(resp.Options))
		for i, o := range resp.Options {
			labels[i] = o.Label
		}
		ev = &ragkb.Event{Type: ragkb.EventClarifyAsked, Detail: "options: " + strings.Join(labels, " | ")}
	}
	if ev != nil {
		ev.ID, ev.TenantID, ev.AssistantID, ev.Question, ev.CreatedAt = ragkb.NewID("evt"), tenantID, asst, question, s.cfg.Now().UTC()
		if err := s.cfg.Events.Record(ctx, ev); err != nil && !errors.Is(err, context.Canceled) {
			s.log.Error("answer: record event", "tenant_id", tenantID, "type", ev.Type, "err", err)
		}
	}
	s.recordUrgent(ctx, tenantID, asst, question, resp.Triage)
}

// publicIntent is the intent name shown to chatbots. Custom questions show as
// "custom:<document id>" so developers can tell which one matched.
func publicIntent(name string) string { return name }

// metricIntent folds custom intents into one label to bound cardinality.
func metricIntent(name string) string {
	if strings.HasPrefix(name, CustomPrefix) {
		return "custom"
	}
	return name
}

func round(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
