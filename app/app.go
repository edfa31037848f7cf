// Package app embeds ragkb in a Go program: New opens the stores and wires
// every part from a Config (the fields of the README's configuration table),
// Handler is the HTTP API, Run serves it and runs the background parts (the
// indexing worker, the webhook delivery runner, the account poller) until its
// context ends, then shuts down within Config.ShutdownTimeout, and Close
// releases the stores. The ragkb command only maps its environment and flags
// to a Config.
//
//	a, err := app.New(ctx, app.Config{DataDir: dir, AdminKey: adminKey})
//	if err != nil { ... }
//	defer a.Close()
//	go a.Run(ctx)                       // the worker (and the API on Config.Addr, if set)
//	srv := httptest.NewServer(a.Handler()) // or mount a.Handler() in your own server
//
// See Example for a knowledge base added and asked through package client.
package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/accounts"
	"github.com/ragkb/ragkb/answer"
	"github.com/ragkb/ragkb/answer/insights"
	"github.com/ragkb/ragkb/answer/intent"
	"github.com/ragkb/ragkb/answer/llm"
	"github.com/ragkb/ragkb/answer/triage"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/all"
	"github.com/ragkb/ragkb/connectors/allegro"
	"github.com/ragkb/ragkb/connectors/knowledgebase"
	"github.com/ragkb/ragkb/connectors/orders"
	"github.com/ragkb/ragkb/embed"
	"github.com/ragkb/ragkb/indexer"
	"github.com/ragkb/ragkb/internal/allegroauth"
	"github.com/ragkb/ragkb/internal/secretbox"
	"github.com/ragkb/ragkb/retriever"
	"github.com/ragkb/ragkb/server"
	"github.com/ragkb/ragkb/store/postgres"
	"github.com/ragkb/ragkb/store/qdrant"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/ragkb/ragkb/store/vectorindex"
	"github.com/ragkb/ragkb/webhook"
	"github.com/ragkb/ragkb/worker"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
)

// App is ragkb wired in one process: the stores, the indexer, the answer
// service, the worker, the webhook delivery runner and the HTTP API. Its exported
// fields are the wired parts, for tools and tests that need one directly;
// they must not be replaced.
type App struct {
	cfg       Config
	log       *slog.Logger
	closers   []func() error
	handler   *server.Server
	closeOnce sync.Once

	Relevance  Relevance
	Store      ragkb.Store
	Vectors    ragkb.VectorStore
	Embedder   ragkb.Embedder
	Fetcher    *connectors.Fetcher
	Orders     *orders.Client // live order lookups (orders resources)
	Connector  ragkb.Connector
	Indexer    *indexer.Indexer
	Retriever  *retriever.Retriever
	Answers    *answer.Service
	Questions  *insights.Writer
	Insights   *insights.Service
	Events     *webhook.Recorder
	Deliveries *webhook.Runner // works webhook delivery jobs (River)
	Worker     *worker.Worker
	Accounts   *accounts.Service
	Registry   *prometheus.Registry
}

// New opens the stores and wires every part: cfg's zero fields take the
// defaults of the README's configuration table. It makes sure an admin key
// exists (Config.AdminKey, or one generated and printed to Config.Stdout
// when that is set).
// The caller must call Close.
func New(ctx context.Context, cfg Config) (_ *App, err error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if os.Getenv(gin.EnvGinMode) == "" {
		gin.SetMode(gin.ReleaseMode) // no route listing on the host program's stdout
	}
	log := cfg.Logger
	version := cfg.Version
	a := &App{cfg: cfg, log: log, Registry: prometheus.NewRegistry()}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	a.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	a.Fetcher = connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: cfg.AllowPrivateURLs, Logger: log})

	switch cfg.Embedder {
	case "openai":
		o, err := embed.NewOpenAI(embed.OpenAIConfig{URL: cfg.EmbeddingURL, Model: cfg.EmbeddingModel, APIKey: cfg.EmbeddingAPIKey, Modality: cfg.EmbeddingModality, Timeout: cfg.EmbeddingTimeout, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("embedder: %w", err)
		}
		pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := o.Probe(pctx); err != nil {
			return nil, fmt.Errorf("embedder: probe %s: %w", cfg.EmbeddingURL, err)
		}
		a.Embedder = o
	default:
		a.Embedder = embed.NewLocal(embed.LocalConfig{})
	}
	dims := a.Embedder.Dimensions()

	if cfg.DatabaseURL == "" || cfg.VectorStore == "embedded" {
		// A full or read-only data directory is named at start, not as a
		// database error later.
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			if f := ragkb.StorageFault("", err); f != nil {
				return nil, fmt.Errorf("RAGKB_DATA_DIR %s: %s", cfg.DataDir, f.Message)
			}
			return nil, fmt.Errorf("RAGKB_DATA_DIR %s: %w", cfg.DataDir, err)
		}
		if err := writable(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("RAGKB_DATA_DIR %s: %s", cfg.DataDir, ragkb.ErrorMessage(err))
		}
	}

	box, err := openSecretBox(cfg, log)
	if err != nil {
		return nil, err
	}

	var pg *postgres.Store
	if cfg.DatabaseURL != "" {
		pgDims := 0 // metadata only, unless vectors live in pgvector too
		if cfg.VectorStore == "pgvector" {
			pgDims = dims
		}
		pg, err = postgres.New(ctx, postgres.Config{URL: cfg.DatabaseURL, Dimensions: pgDims, Secrets: box, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
		a.closers = append(a.closers, func() error { pg.Close(); return nil })
		a.Store = pg
	} else {
		sq, err := sqlite.New(ctx, sqlite.Config{Path: filepath.Join(cfg.DataDir, "ragkb.db"), Secrets: box, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		a.closers = append(a.closers, sq.Close)
		a.Store = sq
	}

	switch cfg.VectorStore {
	case "pgvector":
		a.Vectors = pg.Vectors()
	case "qdrant":
		q, err := qdrant.New(ctx, qdrant.Config{Addr: cfg.QdrantURL, APIKey: cfg.QdrantAPIKey, Dimensions: dims, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("qdrant: %w", err)
		}
		a.closers = append(a.closers, q.Close)
		a.Vectors = q
	default:
		vi, err := vectorindex.New(vectorindex.Config{Dir: filepath.Join(cfg.DataDir, "vectors"), Dimensions: dims, Embedder: a.Embedder.Name(), Logger: log})
		if err != nil {
			return nil, fmt.Errorf("vector index: %w", err)
		}
		a.closers = append(a.closers, vi.Close)
		a.Vectors = vi
	}

	a.Events = webhook.NewRecorder(webhook.RecorderConfig{Store: a.Store, Logger: log})
	var router *all.Router // the accounts' test calls go through its shop connectors
	accCfg := accounts.Config{Store: a.Store, Events: a.Events, AllegroAPIURL: cfg.AllegroAPIURL, Logger: log.With("part", "accounts"),
		Metrics: accounts.NewMetrics(a.Registry),
		Checkers: map[ragkb.AccountType]accounts.Checker{
			ragkb.AccountShopify: func(ctx context.Context, u, tok string) error {
				return router.Check(ctx, ragkb.AccountShopify, u, tok)
			},
			ragkb.AccountWooCommerce: func(ctx context.Context, u, tok string) error {
				return router.Check(ctx, ragkb.AccountWooCommerce, u, tok)
			},
		}}
	if cfg.AllegroClientID != "" {
		o, err := allegroauth.NewOAuth(allegroauth.OAuthConfig{AuthURL: cfg.AllegroAuthURL, ClientID: cfg.AllegroClientID,
			ClientSecret: cfg.AllegroSecret, UserAgent: "ragkb/" + version})
		if err != nil {
			return nil, fmt.Errorf("allegro: %w", err)
		}
		accCfg.Allegro = o
	}
	if a.Accounts, err = accounts.New(accCfg); err != nil {
		return nil, err
	}
	a.Orders = orders.New(orders.Config{Fetcher: a.Fetcher, AllegroAPI: cfg.AllegroAPIURL})
	router = all.New(all.Config{Fetcher: a.Fetcher, KnowledgeBase: knowledgebase.New(), Accounts: a.Accounts,
		Allegro: allegro.Config{APIURL: cfg.AllegroAPIURL}, Orders: a.Orders, Logger: log})
	a.Connector = router
	if a.Indexer, err = indexer.New(indexer.Config{Store: a.Store, Vectors: a.Vectors, Embedder: a.Embedder, Connector: a.Connector, Logger: log}); err != nil {
		return nil, err
	}
	a.Relevance = relevanceFor(cfg)
	if a.Retriever, err = retriever.New(retriever.Config{Store: a.Store, Vectors: a.Vectors, Embedder: a.Embedder, EmbedTimeout: cfg.EmbeddingQueryTimeout, Relevance: a.Relevance.Score}); err != nil {
		return nil, err
	}
	var model answer.Completer
	if cfg.LLMURL != "" {
		c, err := llm.New(llm.Config{
			URL: cfg.LLMURL, Model: cfg.LLMModel, APIKey: cfg.LLMAPIKey, Params: cfg.LLMParams, MaxTokens: cfg.LLMMaxTokens,
			MaxCompletionTokens: cfg.LLMMaxCompletion, ReasoningEffort: cfg.LLMEffort, Deadline: cfg.LLMTimeout,
		})
		if err != nil {
			return nil, fmt.Errorf("llm: %w", err)
		}
		model = c
	}
	// The question log is written in the background: answers never wait for it.
	if a.Questions, err = insights.NewWriter(insights.WriterConfig{
		Store: a.Store, Queue: cfg.LogQueue, Retention: time.Duration(cfg.LogRetentionDays) * 24 * time.Hour,
		Prices: cfg.LLMPrices, Model: cfg.LLMModel, Registerer: a.Registry, Logger: log,
	}); err != nil {
		return nil, err
	}
	a.Questions.Start(ctx)
	a.closers = append(a.closers, func() error { a.Questions.Stop(); return nil })
	if a.Insights, err = insights.New(insights.Config{
		Store: a.Store, Writer: a.Questions, Embedder: a.Embedder, Searcher: a.Retriever,
		MaxExamples: knowledgebase.MaxExamples, Registerer: a.Registry, Logger: log,
	}); err != nil {
		return nil, err
	}
	// Semantic mode: the intent lane compares questions with approved
	// questions by embedding too. The local embedder is lexical, which the
	// lane already is, so it is not used there.
	var laneEmbedder ragkb.Embedder
	if cfg.Embedder == "openai" {
		laneEmbedder = a.Embedder
	}
	if a.Answers, err = answer.New(answer.Config{
		Store: insights.WithWriter(a.Store, a.Questions), Searcher: a.Retriever, Events: a.Events, LLM: model, Relevance: a.Relevance.Threshold, Embedder: laneEmbedder, EmbedTimeout: cfg.EmbeddingQueryTimeout,
		Orders: a.Orders, Metrics: answer.NewMetrics(a.Registry), Logger: log, LaneCacheBytes: int64(cfg.LaneCacheMB) << 20,
	}); err != nil {
		return nil, err
	}
	if a.Worker, err = worker.New(worker.Config{
		Store: a.Store, Runner: a.Indexer, Events: a.Events, Lease: cfg.JobLease, Concurrency: cfg.Workers,
		Schedule: cfg.RefreshSchedule, Metrics: worker.NewMetrics(a.Registry), Logger: log,
	}); err != nil {
		return nil, err
	}
	dw := webhook.NewWorker(webhook.WorkerConfig{Store: a.Store, Client: a.Fetcher.Client(), Logger: log, UserAgent: "ragkb/" + version})
	rcfg := webhook.RunnerConfig{ShutdownTimeout: cfg.ShutdownTimeout, Logger: log}
	if pg != nil {
		a.Deliveries, err = webhook.NewRunner(riverpgxv5.New(pg.Pool()), dw, rcfg)
	} else {
		a.Deliveries, err = webhook.NewRunner(riversqlite.New(a.Store.(*sqlite.Store).RiverDB()), dw, rcfg)
	}
	if err != nil {
		return nil, fmt.Errorf("webhook deliveries: %w", err)
	}
	a.handler = a.newServer()
	// An admin key is generated only where it can be shown (a worker
	// process has no Stdout and leaves it to the API process).
	if cfg.AdminKey != "" || cfg.Stdout != nil {
		if err := a.ensureAdminKey(ctx, cfg.Stdout); err != nil {
			return nil, fmt.Errorf("admin key: %w", err)
		}
	}
	return a, nil
}

// openSecretBox returns the key that seals stored secrets: RAGKB_SECRET_KEY,
// or in embedded mode a key generated once into RAGKB_DATA_DIR/secret.key
// (readable by the service's user only), so that the database file alone
// reveals no secret. PostgreSQL deployments share the key between processes
// through the environment; without it secrets stay unencrypted, with a
// warning at every start.
func openSecretBox(cfg Config, log *slog.Logger) (ragkb.SecretBox, error) {
	if cfg.SecretKey != "" {
		b, err := secretbox.Parse(cfg.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("RAGKB_SECRET_KEY: %w", err)
		}
		return b, nil
	}
	if cfg.DatabaseURL != "" {
		log.Warn("RAGKB_SECRET_KEY is not set: resource tokens and account credentials are stored in PostgreSQL unencrypted; set the same key (openssl rand -base64 32) on every process")
		return nil, nil
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	if err := createKeyFile(path, log); err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret key: read %s: %w", path, err)
	}
	b, err := secretbox.Parse(strings.TrimSpace(string(raw)))
	if err != nil {
		return nil, fmt.Errorf("secret key %s: %w", path, err)
	}
	return b, nil
}

// createKeyFile writes a new random key to path unless the file exists
// (O_EXCL: two processes starting at once keep one key).
func createKeyFile(path string, log *slog.Logger) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("secret key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("secret key: create %s: %w", path, err)
	}
	_, err = f.WriteString(secretbox.NewKey() + "\n")
	if err = errors.Join(err, f.Close()); err != nil {
		return fmt.Errorf("secret key: write %s: %w", path, err)
	}
	log.Info("generated the key that encrypts stored secrets; back it up with the data directory, or set RAGKB_SECRET_KEY", "path", path)
	return nil
}

// validateSpec checks a resource's type-specific fields.
func validateSpec(r *ragkb.Resource) error {
	if r.Type == ragkb.TypeKnowledgeBase {
		return knowledgebase.Validate(r.KnowledgeBase)
	}
	return all.ValidateSpec(r)
}

// Relevance is how retrieval hits are scored and the score a grounded
// answer needs: both depend on the embedder and are measured per embedder
// (BENCHMARKS.md, "Relevance threshold").
type Relevance struct {
	Score     func(dense, coverage float64) float64
	Threshold float64
}

func relevanceFor(cfg Config) Relevance {
	r := Relevance{Score: retriever.Relevance, Threshold: answer.DefaultRelevance}
	if cfg.Embedder == "openai" {
		r = Relevance{Score: retriever.SemanticRelevance, Threshold: answer.DefaultSemanticRelevance}
	}
	if cfg.Relevance > 0 {
		r.Threshold = cfg.Relevance
	}
	return r
}

// ready lists the dependencies /readyz checks besides the stores.
func (a *App) ready() map[string]func(context.Context) error {
	checks := map[string]func(context.Context) error{}
	if a.cfg.DatabaseURL == "" || a.cfg.VectorStore == "embedded" {
		checks["data_dir"] = func(context.Context) error { return writable(a.cfg.DataDir) }
	}
	return checks
}

// writable checks that dir accepts a small write (a full or read-only disk
// fails here before indexing runs into it).
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".ready-*")
	if err != nil {
		if f := ragkb.StorageFault("the data directory cannot be written", err); f != nil {
			return f
		}
		return ragkb.Errorf(ragkb.EUNAVAILABLE, "the data directory cannot be written: %v", err)
	}
	name := f.Name()
	_, werr := f.Write(make([]byte, 4096))
	cerr := f.Close()
	_ = os.Remove(name)
	if err := cmp.Or(werr, cerr); err != nil {
		if f := ragkb.StorageFault("the data directory cannot be written", err); f != nil {
			return f
		}
		return ragkb.Errorf(ragkb.EUNAVAILABLE, "the data directory cannot be written: %v", err)
	}
	return nil
}

// removeOrphanVectors deletes, at start, the vectors of resources deleted
// while they were being indexed by a process that was then killed. A
// failure is logged, not fatal: such vectors are never returned anyway.
func (a *App) removeOrphanVectors(ctx context.Context) {
	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	n, err := indexer.RemoveOrphanVectors(rctx, a.Store, a.Vectors, a.log)
	if err != nil {
		a.log.Warn("remove orphan vectors", "removed_resources", n, "err", err)
		return
	}
	a.log.Info("orphan vectors checked", "removed_resources", n)
}

// Handler is the HTTP API (routes in server/routes.go).
func (a *App) Handler() http.Handler { return a.handler }

func (a *App) newServer() *server.Server {
	return server.New(server.Deps{
		Store: a.Store, Vectors: a.Vectors, Embedder: a.Embedder, Answers: a.Answers, Triage: a.Answers, Searcher: a.Retriever, Events: a.Events, Accounts: a.Accounts,
		Insights: a.Insights, ValidateSpec: validateSpec, ValidateTriage: triage.Validate, BuiltinIntents: intent.BuiltinNames(), DescribeIntent: intent.BuiltinDescription,
		Gatherer: a.Registry, Registerer: a.Registry,
		NextRefresh: func(now time.Time) time.Time { return a.Worker.NextRefresh(now) },
		Logger:      a.log, Version: a.cfg.Version,
		RateLimit: a.cfg.RateLimit, RateBurst: a.cfg.RateBurst,
		MetricsToken: a.cfg.MetricsToken, MetricsSeparate: a.cfg.MetricsAddr != "",
		CheckURL: a.Fetcher.CheckURL, Ready: a.ready(),
	})
}

// Close stops the question log writer and closes the stores. Call it after
// Run has returned; calling it again does nothing.
func (a *App) Close() error {
	var errs []error
	a.closeOnce.Do(func() {
		for i := len(a.closers) - 1; i >= 0; i-- {
			if err := a.closers[i](); err != nil {
				a.log.Warn("close", "err", err)
				errs = append(errs, err)
			}
		}
		a.closers = nil
	})
	return errors.Join(errs...)
}

// ensureAdminKey makes sure an admin key exists: RAGKB_ADMIN_KEY when set,
// otherwise one is generated on first start and printed once. Setting
// RAGKB_ADMIN_KEY (or changing it) retires every other admin key, so a
// rotated or leaked bootstrap key stops working at the next start.
func (a *App) ensureAdminKey(ctx context.Context, stdout io.Writer) error {
	if stdout == nil {
		stdout = io.Discard
	}
	if a.cfg.AdminKey != "" {
		hash := server.HashKey(a.cfg.AdminKey)
		if _, err := a.Store.GetAPIKeyByHash(ctx, hash); ragkb.IsNotFound(err) {
			if err := a.Store.CreateAPIKey(ctx, &ragkb.APIKey{ID: ragkb.NewID("key"), Role: ragkb.RoleAdmin, Hash: hash, Prefix: a.cfg.AdminKey[:min(6, len(a.cfg.AdminKey))], CreatedAt: time.Now().UTC()}); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		keys, err := a.Store.ListAPIKeys(ctx, "")
		if err != nil {
			return err
		}
		for _, k := range keys {
			if k.Role == ragkb.RoleAdmin && k.Hash != hash {
				if err := a.Store.DeleteAPIKey(ctx, "", k.ID); err != nil && !ragkb.IsNotFound(err) {
					return err
				}
				a.log.Info("retired an old admin key (RAGKB_ADMIN_KEY was set or changed)", "key_id", k.ID, "prefix", k.Prefix)
			}
		}
		return nil
	}
	n, err := a.Store.CountAPIKeys(ctx, ragkb.RoleAdmin)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	secret := server.NewKeySecret(ragkb.RoleAdmin)
	if err := a.Store.CreateAPIKey(ctx, &ragkb.APIKey{ID: ragkb.NewID("key"), Role: ragkb.RoleAdmin, Hash: server.HashKey(secret), Prefix: secret[:8], CreatedAt: time.Now().UTC()}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nragkb admin key (shown once, keep it safe):\n\n    %s\n\n", secret)
	return nil
}
