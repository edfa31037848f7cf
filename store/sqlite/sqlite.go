// Package sqlite is the embedded ragkb.Store: one SQLite file (WAL mode)
// through the pure-Go modernc.org/sqlite driver, migrations embedded from
// migrations/*.sql.
//
// Writes go through a single connection (BEGIN IMMEDIATE), so concurrent
// writers (the API and the worker) queue in the pool instead of failing with
// SQLITE_BUSY; reads use a pool of read-only connections that never wait
// for the writer.
//
// Lexical search: an FTS5 index (unicode61, diacritics removed) finds a
// bounded set of candidate chunks, chosen with per-term document counts
// kept next to it, and BM25 is computed in Go over the candidates. See
// SearchLexical.
package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/riverqueue/river"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Config configures a Store.
type Config struct {
	// Path is the database file; its directory is created if missing.
	Path string
	// Logger receives migration and maintenance messages (default: discarded).
	Logger *slog.Logger
	// Now is the clock used for lease checks and default timestamps (default time.Now).
	Now func() time.Time
	// Readers is the size of the read-only connection pool (default 4).
	Readers int
	// Secrets, when set, seals resource tokens, account credentials and
	// webhook secrets at rest; values written before are sealed on open.
	Secrets ragkb.SecretBox
	// BusyTimeout bounds how long a connection waits for a lock held by
	// another process (default 10s).
	BusyTimeout time.Duration
}

// Validate reports the first invalid field.
func (c Config) Validate() error {
	switch {
	case c.Path == "":
		return ragkb.Invalid("Path", "the SQLite database path is required")
	case strings.ContainsAny(c.Path, "?#"):
		return ragkb.Invalid("Path", "the SQLite database path must not contain '?' or '#'")
	case c.Readers < 0:
		return ragkb.Invalid("Readers", "must not be negative")
	case c.BusyTimeout < 0:
		return ragkb.Invalid("BusyTimeout", "must not be negative")
	}
	return nil
}

// Store is the SQLite implementation of ragkb.Store.
type Store struct {
	w   *sql.DB // one connection: every write transaction
	r   *sql.DB // read-only connections
	log *slog.Logger
	now func() time.Time
	box ragkb.SecretBox
	// jobs inserts River jobs (webhook deliveries) in our transactions.
	jobs *river.Client[*sql.Tx]

	stmts readStmts
	// lex holds chunks' analysed terms for BM25 (lexical.go).
	lex lexCache
	// hot holds reader statements prepared on first use by readStmt
	// (resource listing, API keys, tenant versions: every answer runs them).
	hot hotStmts
}

// hotStmts caches prepared reader statements by their text. The texts come
// from code (a filter's clauses, not its values), so they are few; past
// maxHotStmts a statement is prepared per query as database/sql does.
type hotStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxHotStmts = 128

// readStmt returns q prepared on the readers, from the cache when it is
// there; nil when the cache is full (the caller runs q unprepared).
func (s *Store) readStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	s.hot.mu.Lock()
	st, full := s.hot.m[q], len(s.hot.m) >= maxHotStmts
	s.hot.mu.Unlock()
	if st != nil || full {
		return st, nil
	}
	st, err := s.r.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	s.hot.mu.Lock()
	defer s.hot.mu.Unlock()
	if prev := s.hot.m[q]; prev != nil {
		st.Close()
		return prev, nil
	}
	if s.hot.m == nil {
		s.hot.m = map[string]*sql.Stmt{}
	}
	s.hot.m[q] = st
	return st, nil
}

// queryRead runs a reader query through readStmt.
func (s *Store) queryRead(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.readStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return s.r.QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

// queryRowRead is queryRead for one row.
func (s *Store) queryRowRead(ctx context.Context, q string, args ...any) scanner {
	st, err := s.readStmt(ctx, q)
	if err != nil {
		return errRow{err}
	}
	if st == nil {
		return s.r.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// errRow is the row of a statement that could not be prepared.
type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

// readStmts are the statements of the search path, prepared once on the
// readers (database/sql prepares them again on a new connection): a search
// runs four of them, and preparing costs about as much as running them.
// Lists of values are passed as one JSON array (json_each), so the text of
// each statement is fixed.
type readStmts struct {
	stats, terms, cands, candsIn, chunks, analyzed *sql.Stmt
}

func (r *readStmts) all() []*sql.Stmt {
	return []*sql.Stmt{r.stats, r.terms, r.cands, r.candsIn, r.chunks, r.analyzed}
}

func (s *Store) prepare(ctx context.Context) error {
	const cands = `SELECT c.id, c.analyzed
		FROM chunks_fts CROSS JOIN chunks AS c ON c.seq = chunks_fts.rowid
		WHERE chunks_fts MATCH ? AND c.tenant_id = ?`
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{
		{&s.stmts.stats, `SELECT s.chunks, s.tokens, t.version FROM lexical_stats AS s JOIN tenants AS t ON t.id = s.tenant_id WHERE s.tenant_id = ?`},
		{&s.stmts.terms, `SELECT term, docs FROM lexical_terms WHERE tenant_id = ? AND term IN (SELECT value FROM json_each(?))`},
		// Only the rowids: lexCache has the chunks' terms.
		{&s.stmts.cands, `SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?`},
		{&s.stmts.analyzed, `SELECT seq, id, analyzed FROM chunks WHERE tenant_id = ? AND seq IN (SELECT value FROM json_each(?))`},
		// CROSS JOIN keeps FTS5 as the outer loop, so LIMIT stops the scan.
		{&s.stmts.candsIn, cands + ` AND c.resource_id IN (SELECT value FROM json_each(?)) LIMIT ?`},
		{&s.stmts.chunks, `SELECT id, tenant_id, resource_id, document_id, ordinal, kind, title, url, text, language
			FROM chunks WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))`},
	} {
		st, err := s.r.PrepareContext(ctx, p.q)
		if err != nil {
			return fmt.Errorf("sqlite: prepare: %w", err)
		}
		*p.dst = st
	}
	return nil
}

// jsonArray is v as a JSON array for json_each.
func jsonArray(v []string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// New opens (creating if needed) the database at cfg.Path and applies the
// pending migrations.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Logger = cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Readers = cmp.Or(cfg.Readers, 4)
	cfg.BusyTimeout = cmp.Or(cfg.BusyTimeout, 10*time.Second)
	if dir := filepath.Dir(cfg.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create directory: %w", err)
		}
	}
	// secure_delete(FAST) zeroes deleted cells, so a secret sealed in place
	// of its plain-text value leaves no readable copy in the page.
	// mmap reads pages without a system call each; the full-text index is
	// read page by page on every search.
	common := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=mmap_size(%d)",
		cfg.BusyTimeout.Milliseconds(), 256<<20)
	w, err := sql.Open("sqlite", cfg.Path+"?"+common+"&_pragma=journal_mode(WAL)&_pragma=secure_delete(FAST)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w, log: cfg.Logger, now: cfg.Now, box: cfg.Secrets}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.migrateRiver(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.resealSecrets(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.reanalyze(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", cfg.Path+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open readers: %w", err)
	}
	r.SetMaxOpenConns(cfg.Readers)
	r.SetMaxIdleConns(cfg.Readers)
	r.SetConnMaxIdleTime(0)
	s.r = r
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	errs := []error{}
	for _, st := range s.stmts.all() {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	s.hot.mu.Lock()
	for _, st := range s.hot.m {
		errs = append(errs, st.Close())
	}
	s.hot.m = nil
	s.hot.mu.Unlock()
	return errors.Join(append(errs, s.r.Close(), s.w.Close())...)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

// migrate applies the embedded migrations not yet recorded in schema_migrations.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("sqlite: list migrations: %w", err)
	}
	sort.Strings(names)
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
	for _, name := range names {
		version := strings.TrimSuffix(filepath.Base(name), ".sql")
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("sqlite: read migration %s: %w", version, err)
		}
		err = s.write(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
				version, s.now().UnixNano())
			if err == nil {
				s.log.Info("sqlite: applied migration", "version", version)
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlite: migrate %s: %w", version, err)
		}
	}
	return nil
}

// write runs fn in a write transaction (BEGIN IMMEDIATE on the writer).
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// translate turns a driver error into a *ragkb.Error where the cause is
// known, by SQLite result code; kind names the object written.
func translate(op, kind string, err error) error {
	if err == nil {
		return nil
	}
	var re *ragkb.Error
	if errors.As(err, &re) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("sqlite: %s: %w", op, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &ragkb.Error{Code: ragkb.ECONFLICT, Message: kind + " already exists", Err: fmt.Errorf("sqlite: %s: %w", op, err)}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &ragkb.Error{Code: ragkb.ENOTFOUND, Message: "the " + kind + "'s tenant or parent object was not found", Err: fmt.Errorf("sqlite: %s: %w", op, err)}
		case sqlite3.SQLITE_FULL:
			return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: ragkb.MsgDiskFull + ": the database cannot grow", Err: fmt.Errorf("sqlite: %s: %w", op, err)}
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_READONLY_DBMOVED, sqlite3.SQLITE_READONLY_DIRECTORY,
			sqlite3.SQLITE_READONLY_CANTINIT, sqlite3.SQLITE_READONLY_CANTLOCK, sqlite3.SQLITE_READONLY_RECOVERY, sqlite3.SQLITE_READONLY_ROLLBACK:
			return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: ragkb.MsgReadOnly + ": the database cannot be written", Err: fmt.Errorf("sqlite: %s: %w", op, err)}
		case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_FSYNC, sqlite3.SQLITE_IOERR_SHMSIZE:
			if f := ragkb.StorageFault("the database cannot be written", err); f != nil {
				return f
			}
			return unavailable(op, err)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED,
			sqlite3.SQLITE_BUSY_SNAPSHOT, sqlite3.SQLITE_BUSY_TIMEOUT:
			return unavailable(op, err)
		}
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}

func unavailable(op string, err error) error {
	return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: ragkb.MsgDatabaseUnavailable, Err: fmt.Errorf("sqlite: %s: %w", op, err)}
}

// ts stores t as unix nanoseconds; the zero time is NULL.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// tsp stores *t as unix nanoseconds; nil and the zero time are NULL.
func tsp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// nullTime scans a nullable unix-nanosecond column.
type nullTime struct{ sql.NullInt64 }

// Time returns the stored time, or the zero time for NULL.
func (n nullTime) Time() time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// Ptr returns the stored time, or nil for NULL.
func (n nullTime) Ptr() *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time()
	return &t
}

// placeholders returns "?, ?, ..." for n arguments.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func anySlice[T any](v []T) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// bumpVersion increments the tenant's version counter inside tx.
func bumpVersion(ctx context.Context, tx *sql.Tx, tenantID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE tenants SET version = version + 1 WHERE id = ?`, tenantID)
	return err
}
