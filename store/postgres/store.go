// Package postgres is the PostgreSQL backend: Store implements ragkb.Store
// (metadata, jobs and lexical search) over a pgx/v5 connection pool, and
// Store.Vectors returns a VectorStore on the same pool that implements
// ragkb.VectorStore with pgvector. (A separate type: the Store's
// DeleteResource is ENOTFOUND for an unknown resource, the VectorStore's
// removes vectors whose resource rows are already gone.)
//
// Lexical search: chunks carry a generated tsvector column (configuration
// "simple" over text folded by unaccent, title weighted A) with a GIN index.
// Queries are built from store.LexicalTerms, each term quoted, so no input
// can produce a tsquery syntax error, and ranked by BM25 (see
// Store.SearchLexical for how boilerplate terms are kept from scoring the
// whole catalogue).
//
// Vectors live in table vectors with an HNSW index (vector_cosine_ops) and a
// btree index on (tenant_id, resource_id). The vector column's dimensions
// are fixed when the table is created, from Config.Dimensions; New refuses
// to start when they differ. Searches over fewer than 10,000 candidate rows
// are exact; larger ones use HNSW with pgvector 0.8 iterative scans, so a
// tenant filter does not starve the result list.
//
// Jobs are claimed with FOR UPDATE SKIP LOCKED, so any number of workers in
// any number of processes can share one database; ApplyIndex and FinishJob
// check the lease on the locked job row inside their transaction.
//
// Schema migrations are embedded (migrations/*.sql) and applied by New or
// Migrate under an advisory lock, into the first schema of the connection's
// search_path. The unaccent extension (and vector, when Dimensions > 0)
// must be installable by the connecting role or already installed, in
// schema public.
package postgres

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
	"github.com/ragkb/ragkb"
	"github.com/riverqueue/river"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Config configures a Store.
type Config struct {
	// URL is a PostgreSQL connection string
	// ("postgres://user:pass@host:5432/db?sslmode=disable"); pool settings
	// such as pool_max_conns and runtime parameters such as search_path may
	// be given as query parameters.
	URL string
	// Dimensions is the length of the embedding vectors. 0 disables the
	// vector store (the Store is then a ragkb.Store only and needs no
	// pgvector); its VectorStore methods fail.
	Dimensions int
	// Logger receives migration messages (default: discarded).
	Logger *slog.Logger
	// Now is the clock for leases and default timestamps (default time.Now).
	Now func() time.Time
	// Secrets, when set, seals resource tokens, account credentials and
	// webhook secrets at rest; values written before are sealed by New.
	Secrets ragkb.SecretBox
	// EfSearch is hnsw.ef_search, the size of the candidate list of a vector
	// search (default 100; raised to the query's K when smaller).
	EfSearch int
}

// Validate reports the first invalid field.
func (c Config) Validate() error {
	switch {
	case c.URL == "":
		return ragkb.Invalid("URL", "the PostgreSQL connection URL is required")
	case c.Dimensions < 0 || c.Dimensions > 16000:
		return ragkb.Invalid("Dimensions", "must be between 0 and 16000, got %d", c.Dimensions)
	case c.EfSearch < 0 || c.EfSearch > 1000:
		return ragkb.Invalid("EfSearch", "must be between 0 and 1000, got %d", c.EfSearch)
	}
	return nil
}

// Store is the PostgreSQL implementation of ragkb.Store and ragkb.VectorStore.
type Store struct {
	pool     *pgxpool.Pool
	dims     int
	efSearch int
	log      *slog.Logger
	now      func() time.Time
	terms    termStats
	box      ragkb.SecretBox
	jobs     *river.Client[pgx.Tx] // inserts webhook delivery jobs in our transactions
}

// New connects to cfg.URL, applies pending migrations, creates the vectors
// table when cfg.Dimensions > 0 (or checks its dimensions) and returns a
// Store over a connection pool.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Logger = cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.EfSearch = cmp.Or(cfg.EfSearch, 100)

	pcfg, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, ragkb.Invalid("URL", "the PostgreSQL connection URL is not valid")
	}
	if err := migrate(ctx, pcfg.ConnConfig.Copy(), cfg.Dimensions, cfg.Logger); err != nil {
		return nil, err
	}
	if cfg.Dimensions > 0 {
		pcfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
			return pgxvec.RegisterTypes(ctx, conn)
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, translate("connect", "database", err)
	}
	jobs, err := jobClient(cfg.Logger)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s := &Store{jobs: jobs, pool: pool, dims: cfg.Dimensions, efSearch: cfg.EfSearch, log: cfg.Logger, now: cfg.Now, box: cfg.Secrets}
	if err := s.resealSecrets(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := s.reanalyze(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Migrate applies the pending schema migrations to the database at url (for
// "ragkb migrate"). The vectors table is created by New, which knows the
// embedding dimensions.
func Migrate(ctx context.Context, url string) error {
	ccfg, err := pgx.ParseConfig(url)
	if err != nil {
		return ragkb.Invalid("URL", "the PostgreSQL connection URL is not valid")
	}
	return migrate(ctx, ccfg, 0, slog.New(slog.DiscardHandler))
}

// Close closes the pool. It is safe to call more than once (the Store is
// often both the ragkb.Store and the ragkb.VectorStore).
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

// migrationLockKey is the advisory lock held while migrating; it is combined
// with the schema so that separate schemas migrate independently.
const migrationLockKey = "ragkb_migrate:"

// migrate applies the embedded migrations not yet recorded in
// schema_migrations and, when dims > 0, makes sure the vectors table exists
// with those dimensions, all under a session advisory lock so that several
// processes starting at once do not race.
func migrate(ctx context.Context, ccfg *pgx.ConnConfig, dims int, log *slog.Logger) (err error) {
	conn, err := pgx.ConnectConfig(ctx, ccfg)
	if err != nil {
		return translate("connect", "database", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext($1 || current_schema()))`, migrationLockKey); err != nil {
		return translate("lock migrations", "database", err)
	}
	defer func() {
		_, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1 || current_schema()))`, migrationLockKey)
		if err == nil && uerr != nil {
			err = translate("unlock migrations", "database", uerr)
		}
	}()

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return translate("create schema_migrations", "database", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("postgres: list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		version := strings.TrimSuffix(path.Base(name), ".sql")
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("postgres: read migration %s: %w", version, err)
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			var done bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, version).Scan(&done); err != nil {
				return err
			}
			if done {
				return nil
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, version)
			if err == nil {
				log.Info("postgres: applied migration", "version", version)
			}
			return err
		})
		if err != nil {
			return translate("migrate "+version, "database", err)
		}
	}
	if err := migrateRiver(ctx, ccfg, conn); err != nil {
		return err
	}
	if dims > 0 {
		return ensureVectors(ctx, conn, dims, log)
	}
	return nil
}

// inTx runs fn in a transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// translate turns a driver error into a *ragkb.Error where the cause is
// known, by SQLSTATE (never by message text); kind names the object involved.
func translate(op, kind string, err error) error {
	if err == nil {
		return nil
	}
	var re *ragkb.Error
	if errors.As(err, &re) {
		return err
	}
	wrapped := fmt.Errorf("postgres: %s: %w", op, err)
	if errors.Is(err, pgx.ErrNoRows) {
		return &ragkb.Error{Code: ragkb.ENOTFOUND, Message: kind + " not found", Err: wrapped}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return wrapped
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505": // unique_violation
			return &ragkb.Error{Code: ragkb.ECONFLICT, Message: kind + " already exists", Err: wrapped}
		case pe.Code == "23503": // foreign_key_violation
			return &ragkb.Error{Code: ragkb.ENOTFOUND, Message: "the " + kind + "'s tenant or parent object was not found", Err: wrapped}
		case pe.Code == "40001" || pe.Code == "40P01" || pe.Code == "55P03": // serialization, deadlock, lock not available
			return &ragkb.Error{Code: ragkb.ECONFLICT, Message: "the " + kind + " was changed concurrently; try again", Err: wrapped}
		case pe.Code == "22021" || pe.Code == "22P05" || pe.Code == "54000": // bad encoding, untranslatable char, too long
			return &ragkb.Error{Code: ragkb.EINVALID, Message: "the " + kind + " contains text the database cannot store", Err: wrapped}
		case pe.Code == "53100": // disk_full
			return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: ragkb.MsgDiskFull + ": the PostgreSQL database cannot grow", Err: wrapped}
		case strings.HasPrefix(pe.Code, "08"), // connection exception
			strings.HasPrefix(pe.Code, "53"), // insufficient resources
			strings.HasPrefix(pe.Code, "57"), // operator intervention (shutdown, cancel)
			pe.Code == "25006":               // read_only_sql_transaction (failover in progress)
			return unavailable(op, err)
		}
		return wrapped
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || pgconn.Timeout(err) {
		return unavailable(op, err)
	}
	return wrapped
}

func unavailable(op string, err error) error {
	return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: ragkb.MsgDatabaseUnavailable, Err: fmt.Errorf("postgres: %s: %w", op, err)}
}

// utc returns t in UTC (pgx returns local times).
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// utcp returns *t in UTC, or nil.
func utcp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// clock returns the store's time in UTC, truncated to the microsecond
// precision of timestamptz, so that a default timestamp set on an object
// equals the one read back.
func (s *Store) clock() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}
