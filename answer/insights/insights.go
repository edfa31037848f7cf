package insights

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/guard"
)

// Store is what insights need from the metadata store.
type Store interface {
	FindAnswerLogs(ctx context.Context, f ragkb.AnswerLogFilter) ([]*ragkb.AnswerLog, error)
	GetAnswerLog(ctx context.Context, tenantID, id string) (*ragkb.AnswerLog, error)
	SetAnswerFeedback(ctx context.Context, tenantID, id string, f *ragkb.Feedback) error
	DeleteAnswerLogs(ctx context.Context, d ragkb.AnswerLogDeletion) (int64, error)
}

// Searcher finds the closest existing answer of a topic (retriever.Retriever).
type Searcher interface {
	Search(ctx context.Context, q ragkb.SearchQuery) ([]ragkb.SearchHit, error)
}

// Config configures a Service.
type Config struct {
	Store Store
	// Writer is the question log's writer; reads flush it first so they see
	// every answer given before them.
	Writer *Writer
	// Embedder groups questions into topics (the configured embedder: the
	// local one groups by shared words and character n-grams only).
	Embedder ragkb.Embedder
	Searcher Searcher
	// MaxLogs bounds the answers one report reads (default 500,000).
	MaxLogs int
	// MaxQuestions bounds the distinct questions grouped into topics, the
	// most frequent first (default 3,000); the rest are counted in
	// Report.Unclustered.
	MaxQuestions int
	// MaxExamples is the most examples a custom question may have (the
	// knowledge base's limit).
	MaxExamples int
	Registerer  prometheus.Registerer
	Logger      *slog.Logger
	Now         func() time.Time
}

// Service computes insights and records feedback. Safe for concurrent use.
type Service struct {
	cfg      Config
	log      *slog.Logger
	cache    *vectorCache
	feedback *prometheus.CounterVec
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	switch {
	case cfg.Store == nil:
		return nil, ragkb.Invalid("Store", "is required")
	case cfg.Embedder == nil:
		return nil, ragkb.Invalid("Embedder", "is required")
	}
	cfg.MaxLogs = cmp.Or(cfg.MaxLogs, 500_000)
	cfg.MaxQuestions = cmp.Or(cfg.MaxQuestions, 3000)
	cfg.MaxExamples = cmp.Or(cfg.MaxExamples, 50)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{cfg: cfg, log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)), cache: newVectorCache(50_000)}
	s.feedback = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ragkb_answer_feedback_total",
		Help: "Feedback on answers: helpful (true, false, unset) and resolved (true, false, unset). Satisfaction = helpful=\"true\" / helpful!=\"unset\".",
	}, []string{"helpful", "resolved"})
	if cfg.Registerer != nil {
		cfg.Registerer.MustRegister(s.feedback)
	}
	return s, nil
}

// Flush writes the answers still queued for the log, so reads that follow see them.
func (s *Service) Flush(ctx context.Context) error { return s.flush(ctx) }

func (s *Service) flush(ctx context.Context) error {
	if s.cfg.Writer == nil {
		return nil
	}
	return s.cfg.Writer.Flush(ctx)
}

// Feedback replaces the feedback on one of the tenant's answers. An answer
// still in the writer's queue is flushed first, so feedback sent right
// after the answer is never refused. Personal data in the comment is
// redacted first (customers write it into comments too).
func (s *Service) Feedback(ctx context.Context, tenantID, answerID string, f *ragkb.Feedback) error {
	f.Comment, _ = guard.Redact(f.Comment)
	f.UpdatedAt = s.cfg.Now().UTC()
	err := s.cfg.Store.SetAnswerFeedback(ctx, tenantID, answerID, f)
	if ragkb.IsNotFound(err) {
		if ferr := s.flush(ctx); ferr != nil {
			return ferr
		}
		err = s.cfg.Store.SetAnswerFeedback(ctx, tenantID, answerID, f)
	}
	if err != nil {
		return err
	}
	s.feedback.WithLabelValues(boolLabel(f.Helpful), boolLabel(f.Resolved)).Inc()
	return nil
}

func boolLabel(b *bool) string {
	switch {
	case b == nil:
		return "unset"
	case *b:
		return "true"
	}
	return "false"
}

// Answer returns one logged answer of the tenant.
func (s *Service) Answer(ctx context.Context, tenantID, answerID string) (*ragkb.AnswerLog, error) {
	l, err := s.cfg.Store.GetAnswerLog(ctx, tenantID, answerID)
	if ragkb.IsNotFound(err) {
		if ferr := s.flush(ctx); ferr != nil {
			return nil, ferr
		}
		l, err = s.cfg.Store.GetAnswerLog(ctx, tenantID, answerID)
	}
	return l, err
}

// DeleteAnswer deletes one answer's log row (a privacy request); ENOTFOUND
// if the tenant has no such answer.
func (s *Service) DeleteAnswer(ctx context.Context, tenantID, answerID string) error {
	if err := s.flush(ctx); err != nil {
		return err
	}
	l, err := s.cfg.Store.GetAnswerLog(ctx, tenantID, answerID)
	if err != nil {
		return err
	}
	n, err := s.cfg.Store.DeleteAnswerLogs(ctx, ragkb.AnswerLogDeletion{TenantID: tenantID, ID: answerID})
	if err != nil {
		return err
	}
	if n == 0 {
		return ragkb.NotFound("answer")
	}
	s.cache.forget(tenantID, l.Question)
	s.deleted(n)
	return nil
}

// DeleteLog deletes the tenant's question log created before before (zero:
// all of it) and returns how many answers went. Queued answers are written
// first, so none reappears after the deletion.
func (s *Service) DeleteLog(ctx context.Context, tenantID string, before time.Time) (int64, error) {
	if tenantID == "" {
		return 0, ragkb.Invalid("tenant_id", "is required")
	}
	if err := s.flush(ctx); err != nil {
		return 0, err
	}
	n, err := s.cfg.Store.DeleteAnswerLogs(ctx, ragkb.AnswerLogDeletion{TenantID: tenantID, Before: before})
	if err != nil {
		return 0, err
	}
	s.cache.forgetTenant(tenantID)
	s.deleted(n)
	return n, nil
}

func (s *Service) deleted(n int64) {
	if s.cfg.Writer != nil {
		s.cfg.Writer.Deleted("request", n)
	}
}

// The report's types are shared with the HTTP server (package ragkb).
type (
	Topic         = ragkb.InsightsTopic
	Trend         = ragkb.InsightsTrend
	ClosestAnswer = ragkb.ClosestAnswer
	Report        = ragkb.InsightsReport
	Query         = ragkb.InsightsQuery
	Rates         = ragkb.InsightsRates
	Row           = ragkb.InsightsRow
	ApplyRequest  = ragkb.ApplyTopicRequest
	Applied       = ragkb.AppliedTopic
)

// Report computes the insights of a period.
func (s *Service) Report(ctx context.Context, q Query) (*Report, error) {
	if err := s.flush(ctx); err != nil {
		return nil, err
	}
	logs, err := s.cfg.Store.FindAnswerLogs(ctx, ragkb.AnswerLogFilter{TenantID: q.TenantID, From: q.From, To: q.To, Limit: s.cfg.MaxLogs + 1})
	if err != nil {
		return nil, err
	}
	rep := &Report{From: q.From, To: q.To}
	if len(logs) > s.cfg.MaxLogs {
		logs, rep.Truncated = logs[:s.cfg.MaxLogs], true
	}
	rep.Rates, rep.ByDay, rep.ByIntent = rates(logs, q.From, q.To)
	topics, vecs, unclustered, err := s.topics(ctx, q, logs)
	if err != nil {
		return nil, err
	}
	rep.Unclustered = unclustered
	if n := cmp.Or(q.Topics, 20); len(topics) > n {
		topics = topics[:n]
	}
	if q.Closest && s.cfg.Searcher != nil {
		for _, t := range topics {
			t.ClosestAnswer = s.closest(ctx, q.TenantID, t, vecs[t.ID])
		}
	}
	rep.Topics = topics
	return rep, nil
}

// TopicQuestions returns a topic of the period and all its distinct
// questions, most asked first; ENOTFOUND when the period has no such topic.
func (s *Service) TopicQuestions(ctx context.Context, q Query, topicID string) (*Topic, []string, error) {
	if err := s.flush(ctx); err != nil {
		return nil, nil, err
	}
	logs, err := s.cfg.Store.FindAnswerLogs(ctx, ragkb.AnswerLogFilter{TenantID: q.TenantID, From: q.From, To: q.To, Limit: s.cfg.MaxLogs})
	if err != nil {
		return nil, nil, err
	}
	topics, _, _, err := s.topics(ctx, q, logs)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range topics {
		if t.ID == topicID {
			return t, t.All, nil
		}
	}
	return nil, nil, ragkb.Errorf(ragkb.ENOTFOUND, "no topic %s in this period: get the topics again with GET /v1/insights", topicID)
}

// gap reports whether an answer shows something the assistant lacks: a
// fallback, a clarification, an escalation other than a request for a
// person, or an answer marked unhelpful.
func gap(l *ragkb.AnswerLog) (string, bool) {
	if strings.TrimSpace(l.Question) == "" {
		return "", false
	}
	switch l.Status {
	case ragkb.AnswerAgent:
		// "I want a person" is not a gap the knowledge can fill.
		if l.Reason == guard.ReasonHumanRequested {
			return "", false
		}
		return string(l.Status), true
	case ragkb.AnswerFallback, StatusClarify:
		return string(l.Status), true
	case ragkb.AnswerAnswered:
		if l.Feedback.Unhelpful() {
			return "unhelpful", true
		}
	}
	return "", false
}

// question is one distinct gap question.
type question struct {
	key, text string
	count     int
	langs     map[string]int
	logs      []*ragkb.AnswerLog
}

// normalise folds case, spaces and trailing punctuation so repeats of one
// question count together.
func normalise(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}

func (s *Service) topics(ctx context.Context, q Query, logs []*ragkb.AnswerLog) ([]*Topic, map[string][]float32, int, error) {
	byKey := map[string]*question{}
	var qs []*question
	for _, l := range logs {
		if _, ok := gap(l); !ok {
			continue
		}
		k := normalise(l.Question)
		d := byKey[k]
		if d == nil {
			d = &question{key: k, text: strings.TrimSpace(l.Question), langs: map[string]int{}}
			byKey[k] = d
			qs = append(qs, d)
		}
		d.count++
		d.langs[cmp.Or(l.Language, "und")]++
		d.logs = append(d.logs, l)
	}
	sort.SliceStable(qs, func(i, j int) bool {
		if qs[i].count != qs[j].count {
			return qs[i].count > qs[j].count
		}
		return qs[i].key < qs[j].key
	})
	unclustered := 0
	if len(qs) > s.cfg.MaxQuestions {
		for _, d := range qs[s.cfg.MaxQuestions:] {
			unclustered += d.count
		}
		qs = qs[:s.cfg.MaxQuestions]
	}
	if len(qs) == 0 {
		return []*Topic{}, nil, unclustered, nil
	}
	vecs, err := s.embed(ctx, q.TenantID, qs)
	if err != nil {
		return nil, nil, 0, err
	}
	langs := make([]string, len(qs))
	for i, d := range qs {
		langs[i] = topKey(d.langs)
	}
	comm := cluster(vecs, langs)
	groups := map[int][]int{}
	for i, c := range comm {
		groups[c] = append(groups[c], i)
	}
	mid := q.From.Add(q.To.Sub(q.From) / 2)
	var out []*Topic
	labelVec := map[string][]float32{}
	for _, idx := range groups {
		out = append(out, s.topic(q.TenantID, qs, idx, mid, !q.From.IsZero() && !q.To.IsZero()))
		labelVec[out[len(out)-1].ID] = vecs[idx[0]]
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].ID < out[j].ID
	})
	return out, labelVec, unclustered, nil
}

// topic builds a topic from questions idx (most asked first, as qs is).
func (s *Service) topic(tenantID string, qs []*question, idx []int, mid time.Time, halves bool) *Topic {
	lead := qs[idx[0]]
	sum := sha256.Sum256([]byte(tenantID + "\x00" + lead.key))
	t := &Topic{ID: "top_" + hex.EncodeToString(sum[:8]), Label: truncate(lead.text, 120), Questions: len(idx),
		Statuses: map[string]int{"fallback": 0, "clarify": 0, "agent": 0, "unhelpful": 0}}
	langCount := map[string]int{}
	for _, i := range idx {
		d := qs[i]
		t.Count += d.count
		t.All = append(t.All, d.text)
		for l, n := range d.langs {
			langCount[l] += n
		}
		for _, l := range d.logs {
			st, _ := gap(l)
			t.Statuses[st]++
			if t.FirstSeen.IsZero() || l.CreatedAt.Before(t.FirstSeen) {
				t.FirstSeen = l.CreatedAt
			}
			if l.CreatedAt.After(t.LastSeen) {
				t.LastSeen = l.CreatedAt
			}
			if halves && l.CreatedAt.Before(mid) {
				t.Trend.FirstHalf++
			} else {
				t.Trend.SecondHalf++
			}
		}
	}
	t.Languages = sortedKeys(langCount)
	t.Trend.Direction = direction(t.Trend.FirstHalf, t.Trend.SecondHalf)
	// Examples: the most asked questions, one language after another.
	seenLang := map[string]bool{}
	for pass := 0; pass < 2 && len(t.Examples) < 5; pass++ {
		for _, i := range idx {
			d := qs[i]
			l := topKey(d.langs)
			if len(t.Examples) == 5 || slicesContains(t.Examples, d.text) || pass == 0 && seenLang[l] {
				continue
			}
			seenLang[l] = true
			t.Examples = append(t.Examples, d.text)
		}
	}
	return t
}

func direction(a, b int) string {
	switch {
	case b > a+a/5 && b-a >= 2:
		return "rising"
	case a > b+b/5 && a-b >= 2:
		return "falling"
	}
	return "steady"
}

func slicesContains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// topKey is the most frequent key (ties: alphabetical).
func topKey(m map[string]int) string {
	best, n := "", -1
	for k, v := range m {
		if v > n || v == n && k < best {
			best, n = k, v
		}
	}
	return best
}

// sortedKeys lists keys by count, then alphabetically.
func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if m[out[i]] != m[out[j]] {
			return m[out[i]] > m[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func (s *Service) closest(ctx context.Context, tenantID string, t *Topic, vec []float32) *ClosestAnswer {
	hits, err := s.cfg.Searcher.Search(ctx, ragkb.SearchQuery{TenantID: tenantID, Text: t.Label, TopK: 1, Vector: vec})
	if err != nil {
		s.log.Warn("insights: closest answer", "tenant_id", tenantID, "err", err)
		return nil
	}
	if len(hits) == 0 || hits[0].Chunk == nil {
		return nil
	}
	h := hits[0]
	return &ClosestAnswer{ResourceID: h.Chunk.ResourceID, ChunkID: h.Chunk.ID, Title: h.Chunk.Title,
		Snippet: truncate(h.Chunk.Text, 240), Score: round4(h.Relevance)}
}

// embed returns the vectors of the questions, from the cache when it has them.
func (s *Service) embed(ctx context.Context, tenantID string, qs []*question) ([][]float32, error) {
	out := make([][]float32, len(qs))
	var missing []int
	for i, d := range qs {
		if v, ok := s.cache.get(tenantID, d.text); ok {
			out[i] = v
		} else {
			missing = append(missing, i)
		}
	}
	const batch = 256
	for start := 0; start < len(missing); start += batch {
		part := missing[start:min(start+batch, len(missing))]
		texts := make([]string, len(part))
		for j, i := range part {
			texts[j] = qs[i].text
		}
		vs, err := ragkb.EmbedQueries(ctx, s.cfg.Embedder, texts)
		if err != nil {
			return nil, fmt.Errorf("insights: embed questions: %w", err)
		}
		if len(vs) != len(texts) {
			return nil, fmt.Errorf("insights: embed questions: got %d vectors for %d texts", len(vs), len(texts))
		}
		for j, i := range part {
			out[i] = vs[j]
			s.cache.put(tenantID, qs[i].text, vs[j])
		}
	}
	return out, nil
}

// vectorCache keeps question vectors between reports (embedding thousands
// of questions with a model server takes seconds). It is bounded, and a
// tenant's entries go when its log is deleted.
type vectorCache struct {
	mu  sync.Mutex
	max int
	m   map[string]map[string][]float32
	n   int
}

func newVectorCache(max int) *vectorCache {
	return &vectorCache{max: max, m: map[string]map[string][]float32{}}
}

func (c *vectorCache) get(tenant, text string) ([]float32, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[tenant][text]
	return v, ok
}

func (c *vectorCache) put(tenant, text string, v []float32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n >= c.max {
		c.m, c.n = map[string]map[string][]float32{}, 0
	}
	if c.m[tenant] == nil {
		c.m[tenant] = map[string][]float32{}
	}
	if _, ok := c.m[tenant][text]; !ok {
		c.n++
	}
	c.m[tenant][text] = v
}

func (c *vectorCache) forget(tenant, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[tenant][text]; ok {
		delete(c.m[tenant], text)
		c.n--
	}
}

func (c *vectorCache) forgetTenant(tenant string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n -= len(c.m[tenant])
	delete(c.m, tenant)
}
