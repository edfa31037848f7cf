package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/ragkb/ragkb/store/storetest"
)

var _ ragkb.Store = (*sqlite.Store)(nil)

func newStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.New(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "data", "ragkb.db")})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func TestStore(t *testing.T) {
	storetest.RunStore(t, func(t *testing.T, now func() time.Time) ragkb.Store {
		s, err := sqlite.New(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "data", "ragkb.db"), Now: now})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		return s
	})
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   sqlite.Config
		field string
	}{
		{"ok", sqlite.Config{Path: "data/ragkb.db"}, ""},
		{"no path", sqlite.Config{}, "Path"},
		{"query in path", sqlite.Config{Path: "x.db?mode=ro"}, "Path"},
		{"negative readers", sqlite.Config{Path: "x.db", Readers: -1}, "Readers"},
		{"negative busy timeout", sqlite.Config{Path: "x.db", BusyTimeout: -time.Second}, "BusyTimeout"},
	} {
		err := tc.cfg.Validate()
		if got := ragkb.ErrorField(err); got != tc.field || (tc.field == "") != (err == nil) {
			t.Errorf("%s: Validate() = %v (field %q), want field %q", tc.name, err, got, tc.field)
		}
	}
}

// TestReopen checks that migrations run once and data survives a restart.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "dir", "ragkb.db")
	s, err := sqlite.New(ctx, sqlite.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	ten := &ragkb.Tenant{Name: "Shop"}
	if err := s.CreateTenant(ctx, ten); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.New(ctx, sqlite.Config{Path: path})
	if err != nil {
		t.Fatalf("New on an existing database: %v", err)
	}
	defer s.Close()
	got, err := s.GetTenant(ctx, ten.ID)
	if err != nil || got.Name != "Shop" {
		t.Errorf("GetTenant after reopen = %+v, %v; want Shop", got, err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var versions, applied int
	if err := db.QueryRow(`SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&applied, &versions); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("migrations/*.sql")
	if applied != len(files) || versions != len(files) {
		t.Errorf("schema_migrations has %d rows (%d versions), want one per migration file (%d)", applied, versions, len(files))
	}
}

// TestConcurrentUse runs API-like writes and reads next to a worker's
// indexing on one store: nothing may fail with a busy or locked database.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	defer s.Close()
	ten := &ragkb.Tenant{Name: "Shop"}
	if err := s.CreateTenant(ctx, ten); err != nil {
		t.Fatal(err)
	}
	const rounds = 30
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	// Worker: index a resource repeatedly.
	wg.Go(func() {
		for i := range rounds {
			r := &ragkb.Resource{TenantID: ten.ID, Name: fmt.Sprint("r", i), Type: ragkb.TypePolicy, Status: ragkb.StatusProcessing}
			job := &ragkb.Job{}
			if err := s.CreateResource(ctx, r, job); err != nil {
				errs <- err
				return
			}
			for {
				j, err := s.ClaimJob(ctx, "worker", time.Minute)
				if err != nil {
					errs <- err
					return
				}
				if j.ID == job.ID {
					break
				}
			}
			c := ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: ragkb.Lease{JobID: job.ID, Owner: "worker"}}
			for k := range 20 {
				d := &ragkb.Document{ID: ragkb.NewID("doc"), SourceID: fmt.Sprint(k), Kind: ragkb.DocPage, Title: "Delivery", Text: "Parcels ship daily"}
				c.Upsert = append(c.Upsert, d)
				c.Chunks = append(c.Chunks, &ragkb.Chunk{ID: ragkb.NewID("chk"), DocumentID: d.ID, Kind: d.Kind, Title: d.Title, Text: d.Text})
			}
			if _, err := s.ApplyIndex(ctx, c); err != nil {
				errs <- err
				return
			}
			r.Status = ragkb.StatusSuccess
			if err := s.FinishJob(ctx, c.Lease, r); err != nil {
				errs <- err
				return
			}
		}
	})
	// API: events, answer logs and searches at the same time.
	for w := range 3 {
		wg.Go(func() {
			for i := range rounds * 3 {
				if err := s.CreateEvent(ctx, &ragkb.Event{TenantID: ten.ID, Type: ragkb.EventAssistantFailed, Detail: fmt.Sprint(w, i)}); err != nil {
					errs <- err
					return
				}
				if err := s.RecordAnswer(ctx, &ragkb.AnswerLog{TenantID: ten.ID, Status: ragkb.AnswerAnswered, Tier: ragkb.TierFast}); err != nil {
					errs <- err
					return
				}
				if _, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: "when do parcels ship?"}); err != nil {
					errs <- err
					return
				}
				if _, err := s.ListResources(ctx, ragkb.ResourceFilter{TenantID: ten.ID}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent use: %v", err)
	}
	hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: "parcels", Limit: 1000})
	if err != nil || len(hits) != rounds*20 {
		t.Errorf("SearchLexical after concurrent indexing = %d hits, %v; want %d", len(hits), err, rounds*20)
	}
}

// TestSecretsAtRest reads the database file (and its WAL) byte by byte.
func TestSecretsAtRest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ragkb.db")
	storetest.RunSecretsAtRest(t, func(box ragkb.SecretBox) (ragkb.Store, error) {
		return sqlite.New(context.Background(), sqlite.Config{Path: path, Secrets: box})
	}, func(t *testing.T) string {
		var all []byte
		for _, p := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(p)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return string(all)
	})
}
