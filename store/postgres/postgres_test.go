package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/postgres"
)

var (
	_ ragkb.Store       = (*postgres.Store)(nil)
	_ ragkb.VectorStore = (*postgres.VectorStore)(nil)
)

// defaultAdminURL is used when RAGKB_TEST_DATABASE_URL is unset: the tests
// then create (once) and use the database ragkb_gotest on it.
const defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

var base struct {
	once sync.Once
	url  string
	err  error
}

// baseURL returns the URL of the test database: RAGKB_TEST_DATABASE_URL
// (set by "make test" from scripts/test-services.sh), or ragkb_gotest on a
// local server. An unreachable server skips the test, except in CI.
func baseURL(t testing.TB) string {
	t.Helper()
	base.once.Do(func() {
		if u := os.Getenv("RAGKB_TEST_DATABASE_URL"); u != "" {
			base.url = u
			return
		}
		base.url, base.err = createTestDatabase()
	})
	if base.err != nil {
		unreachable(t, base.err)
	}
	return base.url
}

func unreachable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL is required in CI (set RAGKB_TEST_DATABASE_URL, see scripts/test-services.sh): %v", err)
	}
	t.Skipf("PostgreSQL not available (run scripts/test-services.sh and set RAGKB_TEST_DATABASE_URL): %v", err)
}

func createTestDatabase() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, defaultAdminURL)
	if err != nil {
		return "", err
	}
	defer admin.Close(ctx)
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'ragkb_gotest')`).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		var pe *pgconn.PgError
		if _, err := admin.Exec(ctx, `CREATE DATABASE ragkb_gotest`); err != nil && !(errors.As(err, &pe) && pe.Code == "42P04") {
			return "", err
		}
	}
	u, _ := url.Parse(defaultAdminURL)
	u.Path = "/ragkb_gotest"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	for _, ext := range []string{"vector", "unaccent"} {
		if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS `+ext); err != nil {
			return "", err
		}
	}
	return u.String(), nil
}

// schemaURL creates an empty schema, dropped when the test ends, and returns
// a URL whose search_path puts it first (extensions stay in public).
func schemaURL(t testing.TB) string {
	t.Helper()
	raw := baseURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, raw)
	if err != nil {
		unreachable(t, err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), raw)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse RAGKB_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

// testNow is the store clock of the tests: an hour after t0.
var testNow = t0.Add(time.Hour)

// newStore opens a Store on a fresh schema.
func newStore(t testing.TB, dims int) *postgres.Store {
	t.Helper()
	return openStore(t, schemaURL(t), dims)
}

func openStore(t testing.TB, u string, dims int) *postgres.Store {
	t.Helper()
	// The store's clock (used for leases) stands still at testNow.
	return openStoreClock(t, u, dims, func() time.Time { return testNow })
}

func openStoreClock(t testing.TB, u string, dims int, now func() time.Time) *postgres.Store {
	t.Helper()
	s, err := postgres.New(context.Background(), postgres.Config{URL: u, Dimensions: dims, Now: now})
	if err != nil {
		t.Fatalf("postgres.New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// execSQL runs one statement on the database (and search path) of url.
func execSQL(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
