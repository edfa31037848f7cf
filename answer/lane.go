package answer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

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
	clf     *intent.Classifier
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

// laneCache keeps one lane per tenant and rebuilds it when the tenant version
// changes (documents or intents edited).
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
	log      *slog.Logger
	mu       sync.Mutex
	lanes    map[string]*lane
	building map[string]*sync.WaitGroup
}

func newLaneCache(opts intent.Options, e ragkb.Embedder, semOpts intent.SemanticOptions, log *slog.Logger) *laneCache {
	vc, _ := intent.NewVectorCache("")
	// Five candidates: the specific-words check may veto the first ones.
	opts.TopN = cmp.Or(opts.TopN, 5)
	return &laneCache{
		builtins:        intent.Train(intent.Builtins(), opts),
		builtinExamples: intent.Builtins(),
		opts:            opts,
		embedder:        e,
		vectors:         vc,
		semOpts:         semOpts.WithDefaults(),
		log:             log,
		lanes:           map[string]*lane{},
		building:        map[string]*sync.WaitGroup{},
	}
}

// get returns the tenant's lane, training it if the version moved. Concurrent
// callers for the same tenant wait for one build.
func (lc *laneCache) get(ctx context.Context, st Store, tenantID string) (*lane, error) {
	v, err := st.TenantVersion(ctx, tenantID)
	if err != nil {
		return nil, fmt.Errorf("answer: tenant version: %w", err)
	}
	for {
		lc.mu.Lock()
		if l, ok := lc.lanes[tenantID]; ok && l.version == v {
			lc.mu.Unlock()
			return l, nil
		}
		if wg, ok := lc.building[tenantID]; ok {
			lc.mu.Unlock()
			wg.Wait()
			continue
		}
		wg := &sync.WaitGroup{}
		wg.Add(1)
		lc.building[tenantID] = wg
		lc.mu.Unlock()

		l, err := lc.build(ctx, st, tenantID, v)
		lc.mu.Lock()
		delete(lc.building, tenantID)
		if err == nil {
			lc.lanes[tenantID] = l
		}
		lc.mu.Unlock()
		wg.Done()
		return l, err
	}
}

func (lc *laneCache) build(ctx context.Context, st Store, tenantID string, v int64) (*lane, error) {
	docs, err := st.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: tenantID, Kind: ragkb.DocQA})
	if err != nil {
		return nil, fmt.Errorf("answer: list approved texts: %w", err)
	}
	defs, err := st.ListIntents(ctx, tenantID)
	if err != nil {
		return nil, fmt.Errorf("answer: list intents: %w", err)
	}
	l := &lane{version: v, byIntent: map[string][]*ragkb.Document{}, byDoc: map[string]*ragkb.Document{}, tenantIntents: map[string]*ragkb.IntentDef{},
		options: map[string]*ragkb.Document{}, phrasings: map[string]string{}, specifics: map[string][]guard.Specific{}}
	var extra, dense []intent.Example
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
			extra = append(extra, intent.Example{Intent: name, Text: d.Title})
			l.phrasings[phrasingKey(d.Title)] = name
			for _, e := range d.Examples {
				extra = append(extra, intent.Example{Intent: name, Text: e})
				l.phrasings[phrasingKey(e)] = name
			}
		}
	}
	dense = append(dense, extra...)
	for _, d := range docs {
		name := d.Intent
		if name == "" {
			if _, ok := l.byDoc[d.ID]; !ok {
				continue
			}
			name = CustomPrefix + d.ID
		}
		if sp := guard.Specifics(content(d)); len(sp) > 0 {
			l.specifics[name] = append(l.specifics[name], sp...)
		}
	}
	l.linked = linkCustoms(lc.builtins, l.byDoc, l.byIntent)
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
			extra = append(extra, intent.Example{Intent: def.Name, Text: e})
		}
	}
	if len(extra) == 0 {
		l.clf = lc.builtins
	} else {
		l.clf = lc.builtins.With(extra)
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
		if l.sem, err = intent.NewSemantic(l.clf, dense, vecs, lc.semOpts); err != nil {
			return nil, err
		}
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

// embedQueries embeds approved questions and examples: they are compared
// with customers' questions, so both sides are queries.
func (lc *laneCache) embedQueries(ctx context.Context, texts []string) ([][]float32, error) {
	return ragkb.EmbedQueries(ctx, lc.embedder, texts)
}
