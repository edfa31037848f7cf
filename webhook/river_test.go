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
	reopen func() riverStore                      // the same database, opened again as a restarted process would
}

func sqliteRiverStore(t *testing.T) riverStore {
	return sqliteRiverStoreAt(t, filepath.Join(t.TempDir(), "db.sqlite"))
}

func sqliteRiverStoreAt(t *testing.T, path string) riverStore {
	s, err := sqlite.New(t.Context(), sqlite.Config{Path: path})
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
		},
		reopen: func() riverStore { return sqliteRiverStoreAt(t, path) }}
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
	return postgresRiverStoreAt(t, u.String())
}

func postgresRiverStoreAt(t *testing.T, dbURL string) riverStore {
	ctx := context.Background()
	s, err := postgres.New(ctx, postgres.Config{URL: dbURL})
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
		},
		reopen: func() riverStore { return postgresRiverStoreAt(t, dbURL) }}
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
// version before River (written without a job) gets its job, once, when the
// store is opened again.
func TestWebhookLegacyPendingDeliveriesQueued(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s riverStore) {
		ctx := t.Context()
		ten := &ragkb.Tenant{Name: "Shop"}
		if err := s.CreateTenant(ctx, ten); err != nil {
			t.Fatal(err)
		}
		wh := &ragkb.Webhook{TenantID: ten.ID, URL: "https://example.com/h", Secret: "0123456789abcdef",
			Events: []ragkb.EventType{ragkb.EventAgentRequested}}
		if err := s.CreateWebhook(ctx, wh); err != nil {
			t.Fatal(err)
		}
		ev := &ragkb.Event{TenantID: ten.ID, Type: ragkb.EventAgentRequested}
		if err := s.CreateEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
		// What an older version left behind: deliveries with no job.
		for _, st := range []string{StatusPending, StatusDelivered} {
			if err := s.CreateDelivery(ctx, &ragkb.Delivery{TenantID: ten.ID, WebhookID: wh.ID, EventID: ev.ID, Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.jobs(ctx); err != nil || n != 0 {
			t.Fatalf("river_job rows before reopening = %d, %v; want 0", n, err)
		}
		for range 2 {
			s = s.reopen()
			if n, err := s.jobs(ctx); err != nil || n != 1 {
				t.Fatalf("river_job rows after reopening = %d, %v; want 1 (the pending delivery, once)", n, err)
			}
		}
	})
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
