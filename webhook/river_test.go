package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/postgres"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
)

// riverStore is a real store with the River runner over its driver.
type riverStore struct {
	ragkb.Store
	runner func(*Worker) (*Runner, error)
	jobs   func(ctx context.Context) (int, error) // rows in river_job
}

func sqliteRiverStore(t *testing.T) riverStore {
	s, err := sqlite.New(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "db.sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return riverStore{Store: s,
		runner: func(w *Worker) (*Runner, error) {
			return NewRunner(riversqlite.New(s.RiverDB()), w, RunnerConfig{PollInterval: 200 * time.Millisecond})
		},
		jobs: func(ctx context.Context) (n int, err error) {
			err = s.RiverDB().QueryRowContext(ctx, `SELECT count(*) FROM river_job`).Scan(&n)
			return n, err
		}}
}

// postgresRiverStore opens a PostgreSQL store in a fresh schema of
// RAGKB_TEST_DATABASE_URL (skipped without it, except in CI).
func postgresRiverStore(t *testing.T) riverStore {
	base := os.Getenv("RAGKB_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("RAGKB_TEST_DATABASE_URL is not set; in CI the PostgreSQL tests must run")
		}
		t.Skip("RAGKB_TEST_DATABASE_URL not set (bash scripts/test-services.sh prints one)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "wh_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), base); err == nil {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	s, err := postgres.New(ctx, postgres.Config{URL: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return riverStore{Store: s,
		runner: func(w *Worker) (*Runner, error) {
			return NewRunner(riverpgxv5.New(s.Pool()), w, RunnerConfig{})
		},
		jobs: func(ctx context.Context) (n int, err error) {
			err = s.Pool().QueryRow(ctx, `SELECT count(*) FROM river_job`).Scan(&n)
			return n, err
		}}
}

func forEachBackend(t *testing.T, f func(t *testing.T, s riverStore)) {
	t.Run("sqlite", func(t *testing.T) { f(t, sqliteRiverStore(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, postgresRiverStore(t)) })
}

// TestWebhookRiverDeliversWithRetry runs the whole path on each backend: the
// recorder stores the event with its delivery job, River runs the worker,
// the first attempt fails (500), River retries it, the second is delivered.
func TestWebhookRiverDeliversWithRetry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s riverStore) {
		ctx := t.Context()
		ten := &ragkb.Tenant{Name: "Shop"}
		if err := s.CreateTenant(ctx, ten); err != nil {
			t.Fatal(err)
		}
		const secret = "0123456789abcdef"
		r := newReceiver(t, secret, status(http.StatusInternalServerError), status(http.StatusOK))
		if err := s.CreateWebhook(ctx, &ragkb.Webhook{TenantID: ten.ID, URL: r.URL(), Secret: secret,
			Events: []ragkb.EventType{ragkb.EventAgentRequested}}); err != nil {
			t.Fatal(err)
		}
		if err := NewRecorder(RecorderConfig{Store: s}).Record(ctx, &ragkb.Event{TenantID: ten.ID, Type: ragkb.EventAgentRequested}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.jobs(ctx); err != nil || n != 1 {
			t.Fatalf("river_job rows = %d, %v; want 1 (inserted with the event)", n, err)
		}
		w := NewWorker(WorkerConfig{Store: s, Client: &http.Client{},
			Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
		run, err := s.runner(w)
		if err != nil {
			t.Fatal(err)
		}
		if err := run.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer run.Stop()
		deadline := time.Now().Add(60 * time.Second)
		for {
			ds, err := s.ListDeliveries(ctx, ten.ID, "", 0)
			if err != nil || len(ds) != 1 {
				t.Fatalf("ListDeliveries = %d, %v; want 1", len(ds), err)
			}
			if d := ds[0]; d.Status == StatusDelivered {
				if d.Attempts != 2 || d.LastCode != 200 {
					t.Errorf("delivery = %+v, want delivered on the 2nd attempt", d)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("not delivered within 60s: %+v", ds[0])
			}
			time.Sleep(50 * time.Millisecond)
		}
		if n := len(r.requests()); n != 2 {
			t.Errorf("receiver got %d requests, want 2", n)
		}
	})
}

// TestWebhookRecordEventAtomic: when the event cannot be stored, no
// delivery and no job are left behind.
func TestWebhookRecordEventAtomic(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s riverStore) {
		ctx := t.Context()
		ten := &ragkb.Tenant{Name: "Shop"}
		if err := s.CreateTenant(ctx, ten); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateWebhook(ctx, &ragkb.Webhook{TenantID: ten.ID, URL: "https://example.com/h", Secret: "0123456789abcdef",
			Events: []ragkb.EventType{ragkb.EventAgentRequested}}); err != nil {
			t.Fatal(err)
		}
		rec := NewRecorder(RecorderConfig{Store: s})
		ev := &ragkb.Event{TenantID: ten.ID, Type: ragkb.EventAgentRequested}
		if err := rec.Record(ctx, ev); err != nil {
			t.Fatal(err)
		}
		dup := &ragkb.Event{ID: ev.ID, TenantID: ten.ID, Type: ragkb.EventAgentRequested}
		if err := rec.Record(ctx, dup); ragkb.ErrorCodeOf(err) != ragkb.ECONFLICT {
			t.Fatalf("Record(duplicate id) = %v, want a conflict", err)
		}
		ds, err := s.ListDeliveries(ctx, ten.ID, "", 0)
		if err != nil || len(ds) != 1 {
			t.Errorf("deliveries = %d, %v; want 1 (the rolled-back event's none)", len(ds), err)
		}
		if n, err := s.jobs(ctx); err != nil || n != 1 {
			t.Errorf("river_job rows = %d, %v; want 1", n, err)
		}
	})
}

// TestWebhookLegacyPendingDeliveriesQueued: a delivery left pending by a
// version before River gets its job, once, when the store is opened.
func TestWebhookLegacyPendingDeliveriesQueued(t *testing.T) {
	e := newEnv(t)
	wh := e.webhook(e.tenant.ID, "https://example.com/h", "0123456789abcdef", ragkb.EventAgentRequested)
	ev := &ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested}
	if err := e.store.CreateEvent(e.ctx, ev); err != nil {
		t.Fatal(err)
	}
	// What an older version left behind: a pending delivery with no job.
	for _, d := range []*ragkb.Delivery{
		{TenantID: e.tenant.ID, WebhookID: wh.ID, EventID: ev.ID, Status: StatusPending},
		{TenantID: e.tenant.ID, WebhookID: wh.ID, EventID: ev.ID, Status: StatusDelivered},
	} {
		if err := e.store.CreateDelivery(e.ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.store.RiverDB().ExecContext(e.ctx, `DELETE FROM schema_migrations WHERE version = 'river_legacy_deliveries'`); err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		t.Helper()
		if err := e.store.RiverDB().QueryRowContext(e.ctx, `SELECT count(*) FROM river_job`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("river_job rows before reopening = %d, want 0", n)
	}
	for range 2 {
		e.store.Close()
		e.open()
		if n := count(); n != 1 {
			t.Fatalf("river_job rows after reopening = %d, want 1 (the pending delivery, once)", n)
		}
	}
}

// TestWebhookRunnerStopIsBounded: Stop waits at most ShutdownTimeout for an
// in-flight delivery, then cancels it; the cancelled attempt is not counted.
func TestWebhookRunnerStopIsBounded(t *testing.T) {
	s := sqliteRiverStore(t)
	ctx := t.Context()
	ten := &ragkb.Tenant{Name: "Shop"}
	if err := s.CreateTenant(ctx, ten); err != nil {
		t.Fatal(err)
	}
	r := newReceiver(t, "0123456789abcdef", status(http.StatusOK))
	r.arrived, r.release = make(chan struct{}, 1), make(chan struct{}) // holds the request
	if err := s.CreateWebhook(ctx, &ragkb.Webhook{TenantID: ten.ID, URL: r.URL(), Secret: "0123456789abcdef",
		Events: []ragkb.EventType{ragkb.EventAgentRequested}}); err != nil {
		t.Fatal(err)
	}
	if err := NewRecorder(RecorderConfig{Store: s}).Record(ctx, &ragkb.Event{TenantID: ten.ID, Type: ragkb.EventAgentRequested}); err != nil {
		t.Fatal(err)
	}
	w := NewWorker(WorkerConfig{Store: s, Client: &http.Client{}, Timeout: time.Minute})
	run, err := NewRunner(riversqlite.New(s.Store.(*sqlite.Store).RiverDB()), w,
		RunnerConfig{ShutdownTimeout: 200 * time.Millisecond, PollInterval: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, r.arrived, "the request")
	stopped := make(chan struct{})
	go func() { run.Stop(); close(stopped) }()
	waitFor(t, stopped, "Stop to return after cancelling the in-flight delivery")
	ds, err := s.ListDeliveries(ctx, ten.ID, "", 0)
	if err != nil || len(ds) != 1 {
		t.Fatalf("ListDeliveries = %d, %v", len(ds), err)
	}
	if d := ds[0]; d.Status != StatusPending || d.Attempts != 0 {
		t.Errorf("delivery after a cancelled attempt = %+v, want pending, 0 attempts", d)
	}
}

// TestWebhookDeliverySurvivesRestart records with one process and delivers
// with River in another that opens the same database file later.
func TestWebhookDeliverySurvivesRestart(t *testing.T) {
	e := newEnv(t)
	const secret = "0123456789abcdef"
	rcv := newReceiver(t, secret, status(http.StatusOK))
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventResourceFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventResourceFailed, ResourceID: "res_1", Detail: "404"})
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	e.open()
	run, err := NewRunner(riversqlite.New(e.store.RiverDB()), e.worker(nil), RunnerConfig{PollInterval: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(e.ctx); err != nil {
		t.Fatal(err)
	}
	defer run.Stop()
	deadline := time.Now().Add(60 * time.Second)
	for e.delivery(e.tenant.ID).Status != StatusDelivered {
		if time.Now().After(deadline) {
			t.Fatalf("not delivered within 60s after the restart: %+v", e.delivery(e.tenant.ID))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := len(rcv.requests()); n != 1 {
		t.Errorf("receiver got %d requests, want 1", n)
	}
}

// BenchmarkRecord measures recording an event for a tenant with two
// subscribed webhooks (one event row, two delivery rows, two River jobs, one
// transaction).
func BenchmarkRecord(b *testing.B) {
	e := newEnv(b)
	e.webhook(e.tenant.ID, "https://a.example/1", "", ragkb.EventAgentRequested)
	e.webhook(e.tenant.ID, "https://a.example/2", "", ragkb.EventAgentRequested, ragkb.EventAssistantFailed)
	rec := e.recorder()
	for b.Loop() {
		if err := rec.Record(e.ctx, &ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested}); err != nil {
			b.Fatal(err)
		}
	}
}
