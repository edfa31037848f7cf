package insights

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/sqlite"
)

// failingStore fails every write while fail is set, and blocks writes while
// hold is locked (to fill the queue).
type failingStore struct {
	LogStore
	mu   sync.Mutex
	fail bool
}

func (f *failingStore) RecordAnswers(ctx context.Context, logs []*ragkb.AnswerLog) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return errors.New("disk full")
	}
	return f.LogStore.RecordAnswers(ctx, logs)
}

func newSQLite(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.New(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "t.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestWriter(t *testing.T) {
	ctx := context.Background()
	st := newSQLite(t)
	ten := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "A", CreatedAt: time.Now().UTC()}
	if err := st.CreateTenant(ctx, ten); err != nil {
		t.Fatal(err)
	}
	fs := &failingStore{LogStore: st}
	reg := prometheus.NewRegistry()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	w, err := NewWriter(WriterConfig{Store: fs, Queue: 3, Retries: 1, Retention: 24 * time.Hour, Registerer: reg,
		Prices: Prices{"m": {Prompt: 1, Completion: 2}}, Model: "m", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	rec := func(id string, at time.Time) {
		_ = w.RecordAnswer(ctx, &ragkb.AnswerLog{ID: id, TenantID: ten.ID, Status: ragkb.AnswerAnswered, LLMCalls: 1, PromptTokens: 1000, CompletionTokens: 500, CreatedAt: at})
	}
	// Not started: the queue holds 3, the 4th and 5th are dropped and counted.
	for i, id := range []string{"ans_1", "ans_2", "ans_old", "ans_4", "ans_5"} {
		at := now
		if i == 2 {
			at = now.Add(-48 * time.Hour)
		}
		rec(id, at)
	}
	if got := testutil.ToFloat64(w.m.dropQueue); got != 2 {
		t.Errorf("dropped (queue full) = %v, want 2", got)
	}
	w.Start(ctx) // purges once at start: nothing is written yet
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	logs, _ := st.FindAnswerLogs(ctx, ragkb.AnswerLogFilter{TenantID: ten.ID})
	if len(logs) != 3 || logs[0].Model != "m" || logs[0].Cost != 0.002 {
		t.Fatalf("after flush: %d logs, first %+v; want 3, model m, cost 0.002", len(logs), logs[0])
	}
	w.Purge(ctx)
	logs, _ = st.FindAnswerLogs(ctx, ragkb.AnswerLogFilter{TenantID: ten.ID})
	if len(logs) != 2 {
		t.Errorf("after the retention purge: %d logs, want 2", len(logs))
	}
	if got := testutil.ToFloat64(w.m.deleted.WithLabelValues("retention")); got != 1 {
		t.Errorf("deleted (retention) = %v, want 1", got)
	}
	// A failing store: rows are dropped after the retries, and counted.
	fs.mu.Lock()
	fs.fail = true
	fs.mu.Unlock()
	rec("ans_6", now)
	_ = w.Flush(ctx)
	if got := testutil.ToFloat64(w.m.dropWrite); got != 1 {
		t.Errorf("dropped (write failed) = %v, want 1", got)
	}
	fs.mu.Lock()
	fs.fail = false
	fs.mu.Unlock()
	// Stop writes what is still queued.
	rec("ans_7", now)
	w.Stop()
	w.Stop()
	if _, err := st.GetAnswerLog(ctx, ten.ID, "ans_7"); err != nil {
		t.Errorf("queued row after Stop: %v", err)
	}
	if got := testutil.ToFloat64(w.m.written); got != 4 {
		t.Errorf("written = %v, want 4", got)
	}
}

func TestParsePrices(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
		cost     float64
	}{
		{"empty", "", true, 0},
		{"one model", "gpt-4o-mini=0.15:0.60", true, 0.00045},
		{"wildcard", "other=9:9, *=1:1", true, 0.0015},
		{"missing colon", "m=0.15", false, 0},
		{"negative", "m=-1:1", false, 0},
		{"no model", "=1:1", false, 0},
	} {
		p, err := ParsePrices(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
			continue
		}
		if got := p.Cost("gpt-4o-mini", 1000, 500); err == nil && got != tc.cost {
			t.Errorf("%s: cost = %v, want %v", tc.name, got, tc.cost)
		}
	}
}
