package answer

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/ragkb/ragkb"
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
}

// laneCache keeps one lane per tenant and rebuilds it when the tenant version
// changes (documents or intents edited).
type laneCache struct {
	builtins *intent.Classifier
	opts     intent.Options
	mu       sync.Mutex
	lanes    map[string]*lane
	building map[string]*sync.WaitGroup
}

func newLaneCache(opts intent.Options) *laneCache {
	return &laneCache{
		builtins: intent.Train(intent.Builtins(), opts),
		opts:     opts,
		lanes:    map[string]*lane{},
		building: map[string]*sync.WaitGroup{},
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
	l := &lane{version: v, byIntent: map[string][]*ragkb.Document{}, byDoc: map[string]*ragkb.Document{}, tenantIntents: map[string]*ragkb.IntentDef{}}
	var extra []intent.Example
	for _, d := range docs {
		switch {
		case d.Intent != "":
			l.byIntent[d.Intent] = append(l.byIntent[d.Intent], d)
		case strings.HasPrefix(d.SourceID, "kb:custom:"):
			// Custom questions (not FAQ pairs scraped from pages) are approved
			// texts the merchant wrote for the fast lane.
			name := CustomPrefix + d.ID
			l.byDoc[d.ID] = d
			extra = append(extra, intent.Example{Intent: name, Text: d.Title})
			for _, e := range d.Examples {
				extra = append(extra, intent.Example{Intent: name, Text: e})
			}
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
	return l, nil
}
