package worker

import (
	"context"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ragkb/ragkb"
)

// fullDiskStore is the real SQLite store whose FinishJob fails as on a full
// disk while full is set (a fault injected at the store boundary; the
// real-filesystem version is cmd/ragkb TestFaultDiskFull).
type fullDiskStore struct {
	ragkb.Store
	full atomic.Bool
}

func (s *fullDiskStore) FinishJob(ctx context.Context, l ragkb.Lease, r *ragkb.Resource) error {
	if s.full.Load() {
		return ragkb.StorageFault("the database cannot grow", syscall.ENOSPC)
	}
	return s.Store.FinishJob(ctx, l, r)
}

// A run that fails on a full disk whose failure cannot be saved either is
// not run again: the failure is saved, in plain words, at the next claim
// once the disk has room, and counted by reason.
func TestFailureSavedOnceTheDiskHasRoom(t *testing.T) {
	f := newFixture(t)
	st := &fullDiskStore{Store: f.store}
	st.full.Store(true)
	var runs atomic.Int32
	runner := runnerFunc(func(ctx context.Context, _ ragkb.Lease, _ *ragkb.Resource) (*ragkb.IndexResult, error) {
		runs.Add(1)
		return nil, ragkb.StorageFault("the vectors could not be saved", syscall.ENOSPC)
	})
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	w, err := New(Config{Store: st, Runner: runner, Events: f.events, Owner: "w1", Lease: 10 * time.Second, Schedule: "off", Now: f.clock.Now, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	r := f.resource(t, ragkb.TypeKnowledgeBase)
	ctx := context.Background()
	if _, err := w.RunOnce(ctx); err == nil || !strings.Contains(err.Error(), "disk is full") {
		t.Fatalf("first run: got %v, want an error naming the full disk", err)
	}
	if got := testutil.ToFloat64(m.unrecorded); got != 1 {
		t.Fatalf("unrecorded failures: got %v, want 1", got)
	}
	for i := 0; i < 8; i++ { // the disk stays full: re-claims only try to save
		f.clock.Add(11 * time.Second)
		if _, err := w.RunOnce(ctx); err == nil {
			t.Fatalf("claim %d: saving on a full disk succeeded", i)
		}
	}
	if got := f.get(t, r.ID); got.Status != ragkb.StatusProcessing {
		t.Fatalf("while the disk is full: %s", got.Status)
	}
	st.full.Store(false)
	f.clock.Add(11 * time.Second)
	if did, err := w.RunOnce(ctx); !did || err != nil {
		t.Fatalf("claim after space was freed: %v %v", did, err)
	}
	got := f.get(t, r.ID)
	if got.Status != ragkb.StatusFailed || !strings.Contains(got.Error, "the server's disk is full") || !strings.Contains(got.Error, "retry") {
		t.Fatalf("after space was freed: %s %q, want failed saying the disk is full and to retry", got.Status, got.Error)
	}
	if n := runs.Load(); n != 1 {
		t.Errorf("the job ran %d times, want once (later claims only save the failure)", n)
	}
	if got := testutil.ToFloat64(m.failures.WithLabelValues("disk_full")); got != 1 {
		t.Errorf("ragkb_index_failures_total{reason=disk_full}: got %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.unrecorded); got != 0 {
		t.Errorf("unrecorded failures after saving: got %v, want 0", got)
	}
	if did, _ := w.RunOnce(ctx); did {
		t.Error("a job is still queued after the failure was saved")
	}
}
