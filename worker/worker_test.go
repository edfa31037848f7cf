package worker

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

// runnerFunc is a hand-written fake of the indexer.
type runnerFunc func(ctx context.Context, l ragkb.Lease, r *ragkb.Resource) (*ragkb.IndexResult, error)

func (f runnerFunc) Run(ctx context.Context, l ragkb.Lease, r *ragkb.Resource) (*ragkb.IndexResult, error) {
	return f(ctx, l, r)
}

type events struct {
	mu  sync.Mutex
	got []*ragkb.Event
}

func (e *events) Record(_ context.Context, ev *ragkb.Event) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, ev)
	return nil
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

type fixture struct {
	store  *sqlite.Store
	clock  *clock
	events *events
	tenant string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := &clock{now: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)}
	st, err := sqlite.New(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "db.sqlite"), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ten := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "Shop", CreatedAt: clk.Now()}
	if err := st.CreateTenant(context.Background(), ten); err != nil {
		t.Fatal(err)
	}
	return &fixture{store: st, clock: clk, events: &events{}, tenant: ten.ID}
}

func (f *fixture) worker(t *testing.T, r ragkb.Indexer, owner string) *Worker {
	t.Helper()
	w, err := New(Config{Store: f.store, Runner: r, Events: f.events, Owner: owner, Lease: 10 * time.Second, Schedule: "off", Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (f *fixture) resource(t *testing.T, typ ragkb.ResourceType) *ragkb.Resource {
	t.Helper()
	now := f.clock.Now()
	r := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: f.tenant, Name: "r", Type: typ, Status: ragkb.StatusProcessing, CreatedAt: now, UpdatedAt: now}
	switch typ {
	case ragkb.TypeOffers:
		r.Offers = &ragkb.OffersSpec{Source: "google_feed", URL: "https://shop.example/feed.xml"}
	case ragkb.TypePolicy:
		r.Policy = &ragkb.PolicySpec{Content: "Returns within 30 days.", Format: "text"}
	default:
		r.KnowledgeBase = &ragkb.KnowledgeBase{Invoice: "Yes."}
	}
	job := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: f.tenant, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: now}
	if err := f.store.CreateResource(context.Background(), r, job); err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *fixture) get(t *testing.T, id string) *ragkb.Resource {
	t.Helper()
	r, err := f.store.GetResource(context.Background(), f.tenant, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRunOnce(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		run        runnerFunc
		wantStatus ragkb.ResourceStatus
		wantError  string
		wantEvents int
	}{
		{"success", func(context.Context, ragkb.Lease, *ragkb.Resource) (*ragkb.IndexResult, error) {
			return &ragkb.IndexResult{Stats: ragkb.RunStats{Added: 2}, Warnings: []string{"1 offer unreadable"}}, nil
		}, ragkb.StatusSuccess, "", 0},
		{"merchant-readable failure", func(context.Context, ragkb.Lease, *ragkb.Resource) (*ragkb.IndexResult, error) {
			return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "The page https://shop.example/faq answered 404")
		}, ragkb.StatusFailed, "The page https://shop.example/faq answered 404", 1},
		{"internal failure is not leaked", func(context.Context, ragkb.Lease, *ragkb.Resource) (*ragkb.IndexResult, error) {
			return nil, errors.New("pq: connection reset at 10.0.0.3")
		}, ragkb.StatusFailed, "Indexing failed because of an internal error; retry it, and contact support if it fails again", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			r := f.resource(t, ragkb.TypeKnowledgeBase)
			w := f.worker(t, tt.run, "w1")
			did, err := w.RunOnce(ctx)
			if err != nil || !did {
				t.Fatalf("RunOnce: got did=%v err=%v, want a job done", did, err)
			}
			got := f.get(t, r.ID)
			if got.Status != tt.wantStatus || got.Error != tt.wantError {
				t.Fatalf("got status=%q error=%q, want %q %q", got.Status, got.Error, tt.wantStatus, tt.wantError)
			}
			if got.Attempts != 1 {
				t.Fatalf("attempts: got %d, want 1", got.Attempts)
			}
			if len(f.events.got) != tt.wantEvents {
				t.Fatalf("events: got %d, want %d", len(f.events.got), tt.wantEvents)
			}
			if tt.wantEvents > 0 && (f.events.got[0].Type != ragkb.EventResourceFailed || f.events.got[0].ResourceID != r.ID) {
				t.Fatalf("event: got %+v", f.events.got[0])
			}
			if did, _ := w.RunOnce(ctx); did {
				t.Fatal("the job ran twice")
			}
		})
	}
}

func TestExpiredLeaseIsTakenOver(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	r := f.resource(t, ragkb.TypeKnowledgeBase)
	// w1 claims the job and "dies": it never finishes nor heartbeats.
	if _, err := f.store.ClaimJob(ctx, "dead", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	ok := runnerFunc(func(context.Context, ragkb.Lease, *ragkb.Resource) (*ragkb.IndexResult, error) {
		return &ragkb.IndexResult{}, nil
	})
	w2 := f.worker(t, ok, "w2")
	if did, _ := w2.RunOnce(ctx); did {
		t.Fatal("w2 claimed a job whose lease is still valid")
	}
	f.clock.Add(11 * time.Second)
	if did, err := w2.RunOnce(ctx); !did || err != nil {
		t.Fatalf("after expiry: got did=%v err=%v, want takeover", did, err)
	}
	if got := f.get(t, r.ID); got.Status != ragkb.StatusSuccess || got.Attempts != 2 {
		t.Fatalf("got status=%s attempts=%d, want success after 2 attempts", got.Status, got.Attempts)
	}
}

func TestTooManyInterruptionsFail(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	r := f.resource(t, ragkb.TypeKnowledgeBase)
	for i := 0; i < 5; i++ { // five workers die in a row
		if _, err := f.store.ClaimJob(ctx, "dead", time.Second); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(2 * time.Second)
	}
	never := runnerFunc(func(context.Context, ragkb.Lease, *ragkb.Resource) (*ragkb.IndexResult, error) {
		t.Fatal("the runner must not run a job past its attempts")
		return nil, nil
	})
	if did, err := f.worker(t, never, "w").RunOnce(ctx); !did || err != nil {
		t.Fatalf("got did=%v err=%v", did, err)
	}
	got := f.get(t, r.ID)
	if got.Status != ragkb.StatusFailed || got.Error == "" {
		t.Fatalf("got %s %q, want failed with a reason", got.Status, got.Error)
	}
}

func TestStopReleasesRunningJob(t *testing.T) {
	f := newFixture(t)
	r := f.resource(t, ragkb.TypeKnowledgeBase)
	started := make(chan struct{})
	blocking := runnerFunc(func(ctx context.Context, _ ragkb.Lease, _ *ragkb.Resource) (*ragkb.IndexResult, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	w := f.worker(t, blocking, "w1")
	w.Start(context.Background())
	<-started
	w.Stop()
	if got := f.get(t, r.ID); got.Status != ragkb.StatusProcessing {
		t.Fatalf("after stop: got %s, want processing (job handed back)", got.Status)
	}
	// Released: another worker claims it at once, without waiting for the lease.
	job, err := f.store.ClaimJob(context.Background(), "w2", time.Minute)
	if err != nil || job.ResourceID != r.ID {
		t.Fatalf("claim after release: got %+v, %v", job, err)
	}
}

func TestRefreshAllQueuesURLResourcesOnly(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ok := runnerFunc(func(context.Context, ragkb.Lease, *ragkb.Resource) (*ragkb.IndexResult, error) {
		return &ragkb.IndexResult{}, nil
	})
	w := f.worker(t, ok, "w")
	offers := f.resource(t, ragkb.TypeOffers)
	kb := f.resource(t, ragkb.TypeKnowledgeBase)
	inline := f.resource(t, ragkb.TypePolicy)
	for {
		if did, _ := w.RunOnce(ctx); !did {
			break
		}
	}
	f.clock.Add(2 * time.Hour)
	n, err := w.RefreshAll(ctx)
	if err != nil || n != 1 {
		t.Fatalf("RefreshAll: got %d, %v, want 1", n, err)
	}
	if got := f.get(t, offers.ID); got.Status != ragkb.StatusProcessing {
		t.Fatalf("offers: got %s, want processing", got.Status)
	}
	for _, id := range []string{kb.ID, inline.ID} {
		if got := f.get(t, id); got.Status != ragkb.StatusSuccess {
			t.Fatalf("%s: got %s, want untouched success", id, got.Status)
		}
	}
	if n, _ := w.RefreshAll(ctx); n != 0 {
		t.Fatalf("second RefreshAll: got %d, want 0 (already queued)", n)
	}
}

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		name    string
		spec    string
		wantErr bool
	}{
		{"monthly", "@monthly", false},
		{"cron", "0 3 1 * *", false},
		{"garbage", "every month", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSchedule(tt.spec)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got err=%v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestMetricsCountOutcomes(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	m := NewMetrics(prometheus.NewRegistry())
	calls := 0
	run := runnerFunc(func(context.Context, ragkb.Lease, *ragkb.Resource) (*ragkb.IndexResult, error) {
		calls++
		if calls == 1 {
			return &ragkb.IndexResult{Stats: ragkb.RunStats{Added: 3, Embedded: 4, Duration: 20}}, nil
		}
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "The page answered 404")
	})
	w, err := New(Config{Store: f.store, Runner: run, Events: f.events, Owner: "w", Schedule: "off", Now: f.clock.Now, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	f.resource(t, ragkb.TypeKnowledgeBase)
	f.resource(t, ragkb.TypeKnowledgeBase)
	for i := 0; i < 2; i++ {
		if did, err := w.RunOnce(ctx); !did || err != nil {
			t.Fatalf("run %d: did=%v err=%v", i, did, err)
		}
	}
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"success", testutil.ToFloat64(m.jobs.WithLabelValues("success")), 1},
		{"failed", testutil.ToFloat64(m.jobs.WithLabelValues("failed")), 1},
		{"embedded", testutil.ToFloat64(m.embedded), 4},
		{"added", testutil.ToFloat64(m.docs.WithLabelValues("added")), 3},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
