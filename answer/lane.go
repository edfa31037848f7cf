package answer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/sync/singleflight"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/guard"
	"github.com/ragkb/ragkb/answer/intent"
)

// CustomPrefix marks a classifier intent that stands for one custom question
// (or FAQ pair) document: "custom:<document id>".
const CustomPrefix = "custom:"

// lane is a tenant's trained intent classifier and the approved texts it can
// answer with, valid for one tenant version.
type lane struct {
	version int64
	// clf classifies built-in intents and the tenant's own intents (the
	// shared built-ins classifier when the tenant has none: ownClf false).
	clf    *intent.Classifier
	ownClf bool
	ownKey string // examplesKey of the own intents' examples
	// near finds the custom questions closest to a question (nil without
	// custom questions).
	near *intent.Nearest
	// bytes is the lane's estimated memory (estimateBytes).
	bytes int64
	// resVersions are the versions of the tenant's resources when the lane
	// was built: a stale lane answers only from resources still at them.
	resVersions map[string]int64
	// byIntent maps a questionnaire intent to its approved documents.
	byIntent map[string][]*ragkb.Document
	// byDoc maps custom question document ids to documents.
	byDoc map[string]*ragkb.Document
	// tenantIntents are the tenant's own intents, by name.
	tenantIntents map[string]*ragkb.IntentDef
	// sem is the semantic classifier (nil without an embedder, or when the
	// examples could not be embedded: then clf alone decides).
	sem *intent.Semantic
	// options maps clarify option ids to the documents they choose.
	options map[string]*ragkb.Document
	// phrasings are the normalised questions and examples of each approved
	// text: a question equal to one of them is not a guess.
	phrasings map[string]string
	// specifics are the specific things (countries, models…) each approved
	// document names, by classifier intent, for documents that name any.
	specifics map[string][]guard.Specific
	// linked maps a built-in intent to the custom questions that stand for
	// it (intent.Linkable), so the built-in's examples in six languages
	// reach them.
	linked map[string][]string
}

// optionID is the clarify option id of an approved document: stable across
// lane rebuilds and processes, so a chatbot can send it back later.
func optionID(docID string) string {
	h := sha256.Sum256([]byte(docID))
	return "opt_" + hex.EncodeToString(h[:8])
}

// phrasingKey normalises a question for exact comparison.
func phrasingKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f)
	}), " ")
}

// DefaultLaneCacheBytes is the default memory budget of the lane cache
// (Config.LaneCacheBytes, RAGKB_LANE_CACHE_MB).
const DefaultLaneCacheBytes = 1 << 30

// trainedCustomMax is the most custom questions a lane trains into its
// classifier (one class each, with linear weights: the most precise, see
// intent.Classifier.With). A tenant with more gets them matched by an
// intent.Nearest index, whose memory and time grow with the phrasings'
// words, not with phrasings × features: the linear model of 5,000 custom
// questions held 1.7 GiB and took 10 s to train. On BANKING77 as 77 custom
// questions of three phrasings, the index answers 31.1% right and 19.0%
// wrong against the trained classes' 35.8% and 19.1% (TestNearBanking77).
const trainedCustomMax = 150

// laneBuildTimeout bounds one lane build (store reads, embedding the
// approved questions, indexing).
const laneBuildTimeout = 10 * time.Minute

// laneCache keeps the tenants' lanes, least recently used first out when
// their estimated memory passes the budget, and rebuilds a tenant's lane in
// the background when its version changes (documents or intents edited):
// answers wait for the new lane at most laneFreshWait, then keep the
// previous one until the new one is ready, so a tenant that uploads
// knowledge bases all day never waits long for a build. Only a tenant
// without any lane (first question, or evicted) waits for the build, one
// build shared by every concurrent caller.
type laneCache struct {
	builtins *intent.Classifier
	// builtinExamples are the built-in intents' phrasings.
	builtinExamples []intent.Example
	opts            intent.Options
	// embedder (nil: local mode) embeds approved questions and examples for
	// the semantic lane, through vectors (keyed by model and text).
	embedder ragkb.Embedder
	vectors  *intent.VectorCache
	semOpts  intent.SemanticOptions
	// centroids centre the semantic lanes' vectors per language, embedded
	// once (centMu) by the first semantic build that needs them.
	centMu    sync.Mutex
	centroids *intent.Centroids
	log       *slog.Logger
	metrics   *Metrics
	budget    int64

	mu    sync.Mutex
	lanes *simplelru.LRU[string, *lane]
	bytes int64 // estimated bytes of the cached lanes
	group singleflight.Group
	// buildHook, when set (tests), runs at the start of every build.
	buildHook func(tenantID string)
}

func newLaneCache(opts intent.Options, e ragkb.Embedder, semOpts intent.SemanticOptions, budget int64, m *Metrics, log *slog.Logger) *laneCache {
	vc, _ := intent.NewVectorCache("")
	// Five candidates: the specific-words check may veto the first ones.
	opts.TopN = cmp.Or(opts.TopN, 5)
	lc := &laneCache{
		builtins:        intent.Train(intent.Builtins(), opts),
		builtinExamples: intent.Builtins(),
		opts:            opts,
		embedder:        e,
		vectors:         vc,
		semOpts:         semOpts.WithDefaults(),
		log:             log,
		metrics:         m,
		budget:          cmp.Or(budget, DefaultLaneCacheBytes),
	}
	// The budget, not the count, bounds the cache.
	lc.lanes, _ = simplelru.NewLRU[string, *lane](math.MaxInt32, func(_ string, l *lane) {
		lc.bytes -= l.bytes
	})
	return lc
}

// laneFreshWait is how long an answer waits for the current lane when the
// cached one is stale, before it goes on with the stale one: a small
// tenant's rebuild (a fraction of a second) is waited for, so answers
// reflect a change at once; a large tenant's never holds answers longer.
const laneFreshWait = time.Second

// get returns the tenant's lane and whether it is stale (of an older
// version). When the cached lane is of an older version, the current one
// builds in the background and get waits for it at most laneFreshWait,
// then returns the stale one; without a cached lane the caller waits for
// the build (shared by concurrent callers) or for ctx.
func (lc *laneCache) get(ctx context.Context, st Store, tenantID string) (*lane, bool, error) {
	v, err := st.TenantVersion(ctx, tenantID)
	if err != nil {
		return nil, false, fmt.Errorf("answer: tenant version: %w", err)
	}
	lc.mu.Lock()
	l, ok := lc.lanes.Get(tenantID)
	lc.mu.Unlock()
	if ok && l.version == v {
		return l, false, nil
	}
	ch := lc.group.DoChan(tenantID, func() (any, error) {
		return lc.refresh(context.WithoutCancel(ctx), st, tenantID, v)
	})
	var timeout <-chan time.Time
	if ok {
		t := time.NewTimer(laneFreshWait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case r := <-ch:
		if r.Err != nil {
			if ok {
				return l, true, nil
			}
			return nil, false, r.Err
		}
		nl := r.Val.(*lane)
		return nl, nl.version != v, nil
	case <-timeout:
		return l, true, nil // serve the previous lane while the build runs
	case <-ctx.Done():
		if ok {
			return l, true, nil
		}
		return nil, false, fmt.Errorf("answer: intent lane: %w", ctx.Err())
	}
}

// refresh builds the tenant's lane of version v and caches it. The
// singleflight key is the tenant: a build already running for an older
// version finishes first, and the next request after it starts the next.
func (lc *laneCache) refresh(ctx context.Context, st Store, tenantID string, v int64) (*lane, error) {
	ctx, cancel := context.WithTimeout(ctx, laneBuildTimeout)
	defer cancel()
	lc.mu.Lock()
	hook := lc.buildHook
	lc.mu.Unlock()
	if hook != nil {
		hook(tenantID)
	}
	lc.mu.Lock()
	prev, _ := lc.lanes.Peek(tenantID)
	lc.mu.Unlock()
	start := time.Now()
	l, err := lc.build(ctx, st, tenantID, v, prev)
	lc.metrics.observeLaneBuild(err, time.Since(start))
	if err != nil {
		lc.log.Error("answer: build intent lane", "tenant_id", tenantID, "err", err)
		return nil, err
	}
	l.bytes = l.estimateBytes()
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if cur, ok := lc.lanes.Peek(tenantID); ok && cur.version > l.version && l.version >= 0 {
		return cur, nil // a newer one got in first
	}
	if old, ok := lc.lanes.Peek(tenantID); ok {
		lc.bytes -= old.bytes
		old.bytes = 0 // replaced, not evicted: Add calls no callback for it
	}
	lc.lanes.Add(tenantID, l)
	lc.bytes += l.bytes
	for lc.bytes > lc.budget && lc.lanes.Len() > 1 {
		if _, _, ok := lc.lanes.RemoveOldest(); ok {
			lc.metrics.observeLaneEviction()
		}
	}
	lc.metrics.setLaneCache(lc.lanes.Len(), lc.bytes)
	return l, nil
}

// peek returns the tenant's cached lane, if any, without checking that it
// is current.
func (lc *laneCache) peek(tenantID string) *lane {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	l, _ := lc.lanes.Peek(tenantID)
	return l
}

// classify is the lexical prediction of the lane: built-in and tenant
// intents from the classifier, custom questions from the nearest-phrasing
// index.
func (l *lane) classify(text string) intent.Prediction { return l.clf.ClassifyNear(l.near, text) }

// probabilities is the lexical probability of every intent and candidate
// custom question.
func (l *lane) probabilities(text string) map[string]float64 {
	return l.clf.ProbabilitiesNear(l.near, text)
}

// estimateBytes is the memory a lane holds, roughly: its approved texts, the
// maps over them, the nearest-phrasing index, the tenant's classifier when
// it has its own intents, and the embedded examples.
func (l *lane) estimateBytes() int64 {
	const entry = 64 // a map entry with its key header and pointer
	n := 0
	seen := map[*ragkb.Document]bool{}
	add := func(d *ragkb.Document) {
		if seen[d] {
			return
		}
		seen[d] = true
		n += 256 + len(d.Title) + len(d.Text) + len(d.URL) + len(d.SourceID) + len(d.ID)
		for _, e := range d.Examples {
			n += 16 + len(e)
		}
	}
	for _, d := range l.byDoc {
		add(d)
	}
	for _, ds := range l.byIntent {
		for _, d := range ds {
			add(d)
		}
	}
	for k := range l.phrasings {
		n += entry + len(k)
	}
	n += entry * (len(l.byDoc) + len(l.options) + len(l.specifics))
	for _, sp := range l.specifics {
		n += 48 * len(sp)
	}
	if l.near != nil {
		n += l.near.MemoryBytes()
	}
	if l.ownClf {
		n += l.clf.MemoryBytes()
	}
	if l.sem != nil {
		n += l.sem.MemoryBytes()
	}
	return int64(n)
}

func (lc *laneCache) build(ctx context.Context, st Store, tenantID string, v int64, prev *lane) (*lane, error) {
	// Resources first: a resource that changes while the documents are
	// read then counts as changed.
	rs, err := st.ListResources(ctx, ragkb.ResourceFilter{TenantID: tenantID, NoSpec: true})
	if err != nil {
		return nil, fmt.Errorf("answer: list resources: %w", err)
	}
	resVersions := make(map[string]int64, len(rs))
	for _, r := range rs {
		resVersions[r.ID] = r.Version
	}
	docs, err := st.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: tenantID, Kind: ragkb.DocQA})
	if err != nil {
		return nil, fmt.Errorf("answer: list approved texts: %w", err)
	}
	defs, err := st.ListIntents(ctx, tenantID)
	if err != nil {
		return nil, fmt.Errorf("answer: list intents: %w", err)
	}
	l := &lane{version: v, resVersions: resVersions, byIntent: map[string][]*ragkb.Document{}, byDoc: map[string]*ragkb.Document{}, tenantIntents: map[string]*ragkb.IntentDef{},
		options: map[string]*ragkb.Document{}, phrasings: map[string]string{}, specifics: map[string][]guard.Specific{}}
	var custom, own, dense []intent.Example
	for _, d := range docs {
		switch {
		case d.Intent != "":
			l.byIntent[d.Intent] = append(l.byIntent[d.Intent], d)
			l.options[optionID(d.ID)] = d
			if d.Title != "" {
				dense = append(dense, intent.Example{Intent: d.Intent, Text: d.Title})
				l.phrasings[phrasingKey(d.Title)] = d.Intent
			}
		case strings.HasPrefix(d.SourceID, "kb:custom:"):
			// Custom questions (not FAQ pairs scraped from pages) are approved
			// texts the merchant wrote for the fast lane.
			name := CustomPrefix + d.ID
			l.byDoc[d.ID] = d
			l.options[optionID(d.ID)] = d
			custom = append(custom, intent.Example{Intent: name, Text: d.Title})
			l.phrasings[phrasingKey(d.Title)] = name
			for _, e := range d.Examples {
				custom = append(custom, intent.Example{Intent: name, Text: e})
				l.phrasings[phrasingKey(e)] = name
			}
		}
	}
	dense = append(dense, custom...)
	for _, d := range docs {
		name := d.Intent
		if name == "" {
			if _, ok := l.byDoc[d.ID]; !ok {
				continue
			}
			name = CustomPrefix + d.ID
			if prev != nil {
				// An unchanged custom question names the same things.
				if old := prev.byDoc[d.ID]; old != nil && old.Hash != "" && old.Hash == d.Hash {
					if sp := prev.specifics[name]; len(sp) > 0 {
						l.specifics[name] = sp
					}
					continue
				}
			}
		}
		if sp := guard.Specifics(content(d)); len(sp) > 0 {
			l.specifics[name] = append(l.specifics[name], sp...)
		}
	}
	if len(l.byDoc) <= trainedCustomMax {
		// Linking classifies every custom question: only for the trained
		// ones, not for the nearest-phrasing index of very many.
		l.linked = linkCustoms(lc.builtins, l.byDoc, l.byIntent)
	}
	// The built-in phrasings (six languages) of the intents the tenant
	// answers embed too, so the dense side knows more than one wording.
	for _, e := range lc.builtinExamples {
		if len(l.byIntent[e.Intent]) > 0 || len(l.linked[e.Intent]) > 0 {
			dense = append(dense, e)
		}
	}
	for _, def := range defs {
		l.tenantIntents[def.Name] = def
		for _, e := range def.Examples {
			own = append(own, intent.Example{Intent: def.Name, Text: e})
		}
	}
	// The tenant's own intents (a bounded handful) are trained into the
	// classifier, and so are up to trainedCustomMax custom questions; more
	// custom questions, as many as the merchant writes, go to the
	// nearest-phrasing index instead. An unchanged training set reuses the
	// previous lane's classifier.
	trained := own
	if len(l.byDoc) <= trainedCustomMax {
		trained = append(custom, own...)
	}
	l.ownKey = examplesKey(trained)
	switch {
	case len(trained) == 0:
		l.clf = lc.builtins
	case prev != nil && prev.ownClf && prev.ownKey == l.ownKey:
		l.clf, l.ownClf = prev.clf, true
	default:
		l.clf, l.ownClf = lc.builtins.With(trained), true
	}
	if len(l.byDoc) > trainedCustomMax {
		l.near = intent.NewNearest(l.clf, custom)
	}
	if lc.embedder != nil && len(dense) > 0 {
		texts := make([]string, len(dense))
		for i, e := range dense {
			texts[i] = e.Text
		}
		vecs, err := lc.vectors.Embed(ctx, lc.embedder.Name(), texts, lc.embedQueries)
		if err != nil {
			// The lexical lane still answers; the next request tries again.
			lc.log.Warn("answer: semantic lane unavailable, using the lexical one", "tenant_id", tenantID, "err", err)
			l.version = -1
			return l, nil
		}
		semOpts := lc.semOpts
		if semOpts.Centroids, err = lc.centroidsOf(ctx); err != nil {
			lc.log.Warn("answer: semantic lane unavailable, using the lexical one", "tenant_id", tenantID, "err", err)
			l.version = -1
			return l, nil
		}
		sem, err := intent.NewSemantic(l.clf, dense, vecs, semOpts)
		if err != nil {
			return nil, err
		}
		l.sem = sem.WithNear(l.near)
	}
	return l, nil
}

// linkMin is the confidence with which the built-ins must place a custom
// question for it to stand for a built-in intent.
const linkMin = 0.5

// linkCustoms links each linkable built-in intent without an approved
// questionnaire text to the custom questions the built-ins classify as it.
func linkCustoms(builtins *intent.Classifier, customs map[string]*ragkb.Document, byIntent map[string][]*ragkb.Document) map[string][]string {
	by := map[string][]string{}
	for id, d := range customs {
		p := builtins.Classify(d.Title)
		if p.OutOfScope || p.Confidence < linkMin || !intent.Linkable(p.Intent) || len(byIntent[p.Intent]) > 0 {
			continue
		}
		by[p.Intent] = append(by[p.Intent], id)
	}
	for _, ids := range by {
		slices.Sort(ids)
	}
	return by
}

// examplesKey identifies a set of examples (order included).
func examplesKey(es []intent.Example) string {
	if len(es) == 0 {
		return ""
	}
	h := sha256.New()
	for _, e := range es {
		h.Write([]byte(e.Intent))
		h.Write([]byte{0})
		h.Write([]byte(e.Text))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// centroidsOf returns the language centroids of the embedder, embedding
// them on first use (a failure is retried by the next build).
func (lc *laneCache) centroidsOf(ctx context.Context) (*intent.Centroids, error) {
	lc.centMu.Lock()
	defer lc.centMu.Unlock()
	if lc.centroids != nil {
		return lc.centroids, nil
	}
	c, err := intent.EmbedCentroids(ctx, lc.embedder.Name(), lc.embedQueries, lc.vectors)
	if err != nil {
		return nil, err
	}
	lc.centroids = c
	return c, nil
}

// embedQueries embeds approved questions and examples: they are compared
// with customers' questions, so both sides are queries.
func (lc *laneCache) embedQueries(ctx context.Context, texts []string) ([][]float32, error) {
	return ragkb.EmbedQueries(ctx, lc.embedder, texts)
}

// SetLaneBuildHook sets a function that runs at the start of every lane
// build (nil: none). It is for tests that need a build in progress.
func (s *Service) SetLaneBuildHook(fn func(tenantID string)) {
	s.lanes.mu.Lock()
	defer s.lanes.mu.Unlock()
	s.lanes.buildHook = fn
}
