package main

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
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/accounts"
	"github.com/ragkb/ragkb/answer"
	"github.com/ragkb/ragkb/answer/insights"
	"github.com/ragkb/ragkb/answer/intent"
	"github.com/ragkb/ragkb/answer/llm"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/all"
	"github.com/ragkb/ragkb/connectors/allegro"
	"github.com/ragkb/ragkb/connectors/knowledgebase"
	"github.com/ragkb/ragkb/connectors/orders"
	"github.com/ragkb/ragkb/embed"
	"github.com/ragkb/ragkb/indexer"
	"github.com/ragkb/ragkb/internal/secretbox"
	"github.com/ragkb/ragkb/retriever"
	"github.com/ragkb/ragkb/server"
	"github.com/ragkb/ragkb/store/postgres"
	"github.com/ragkb/ragkb/store/qdrant"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/ragkb/ragkb/store/vectorindex"
	"github.com/ragkb/ragkb/webhook"
	"github.com/ragkb/ragkb/worker"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// app is the wired service.
type app struct {
	cfg        config
	relevance  relevance
	log        *slog.Logger
	store      ragkb.Store
	vectors    ragkb.VectorStore
	embedder   ragkb.Embedder
	fetcher    *connectors.Fetcher
	orders     *orders.Client // live order lookups (orders resources)
	connector  ragkb.Connector
	indexer    *indexer.Indexer
	retriever  *retriever.Retriever
	answers    *answer.Service
	questions  *insights.Writer
	insights   *insights.Service
	events     *webhook.Recorder
	dispatcher *webhook.Dispatcher
	worker     *worker.Worker
	accounts   *accounts.Service
	registry   *prometheus.Registry
	closers    []func() error
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// buildApp opens the stores and wires every part. The caller must call close.
func buildApp(ctx context.Context, cfg config, log *slog.Logger) (_ *app, err error) {
	a := &app{cfg: cfg, log: log, registry: prometheus.NewRegistry()}
	defer func() {
		if err != nil {
			a.close()
		}
	}()
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	a.fetcher = connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: cfg.AllowPrivateURLs, Logger: log})

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
		a.embedder = o
	default:
		a.embedder = embed.NewLocal(embed.LocalConfig{})
	}
	dims := a.embedder.Dimensions()

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
		a.store = pg
	} else {
		sq, err := sqlite.New(ctx, sqlite.Config{Path: filepath.Join(cfg.DataDir, "ragkb.db"), Secrets: box, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		a.closers = append(a.closers, sq.Close)
		a.store = sq
	}

	switch cfg.VectorStore {
	case "pgvector":
		a.vectors = pg.Vectors()
	case "qdrant":
		q, err := qdrant.New(ctx, qdrant.Config{Addr: cfg.QdrantURL, APIKey: cfg.QdrantAPIKey, Dimensions: dims, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("qdrant: %w", err)
		}
		a.closers = append(a.closers, q.Close)
		a.vectors = q
	default:
		vi, err := vectorindex.New(vectorindex.Config{Dir: filepath.Join(cfg.DataDir, "vectors"), Dimensions: dims, Embedder: a.embedder.Name(), Logger: log})
		if err != nil {
			return nil, fmt.Errorf("vector index: %w", err)
		}
		a.closers = append(a.closers, vi.Close)
		a.vectors = vi
	}

	a.events = webhook.NewRecorder(webhook.RecorderConfig{Store: a.store, Logger: log})
	var router *all.Router // the accounts' test calls go through its shop connectors
	accCfg := accounts.Config{Store: a.store, Events: a.events, AllegroAPIURL: cfg.AllegroAPIURL, Logger: log.With("part", "accounts"),
		Metrics: accounts.NewMetrics(a.registry),
		Checkers: map[ragkb.AccountType]accounts.Checker{
			ragkb.AccountShopify: func(ctx context.Context, u, tok string) error {
				return router.Check(ctx, ragkb.AccountShopify, u, tok)
			},
			ragkb.AccountWooCommerce: func(ctx context.Context, u, tok string) error {
				return router.Check(ctx, ragkb.AccountWooCommerce, u, tok)
			},
		}}
	if cfg.AllegroClientID != "" {
		o, err := allegro.NewOAuth(allegro.OAuthConfig{AuthURL: cfg.AllegroAuthURL, ClientID: cfg.AllegroClientID,
			ClientSecret: cfg.AllegroSecret, UserAgent: "ragkb/" + version})
		if err != nil {
			return nil, fmt.Errorf("allegro: %w", err)
		}
		accCfg.Allegro = o
	}
	if a.accounts, err = accounts.New(accCfg); err != nil {
		return nil, err
	}
	a.orders = orders.New(orders.Config{Fetcher: a.fetcher, AllegroAPI: cfg.AllegroAPIURL})
	router = all.New(all.Config{Fetcher: a.fetcher, KnowledgeBase: knowledgebase.New(), Accounts: a.accounts,
		Allegro: allegro.Config{APIURL: cfg.AllegroAPIURL}, Orders: a.orders, Logger: log})
	a.connector = router
	if a.indexer, err = indexer.New(indexer.Config{Store: a.store, Vectors: a.vectors, Embedder: a.embedder, Connector: a.connector, Logger: log}); err != nil {
		return nil, err
	}
	a.relevance = relevanceFor(cfg)
	if a.retriever, err = retriever.New(retriever.Config{Store: a.store, Vectors: a.vectors, Embedder: a.embedder, EmbedTimeout: cfg.EmbeddingQueryTimeout, Relevance: a.relevance.score}); err != nil {
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
	if a.questions, err = insights.NewWriter(insights.WriterConfig{
		Store: a.store, Queue: cfg.LogQueue, Retention: time.Duration(cfg.LogRetentionDays) * 24 * time.Hour,
		Prices: cfg.LLMPrices, Model: cfg.LLMModel, Registerer: a.registry, Logger: log,
	}); err != nil {
		return nil, err
	}
	a.questions.Start(ctx)
	a.closers = append(a.closers, func() error { a.questions.Stop(); return nil })
	if a.insights, err = insights.New(insights.Config{
		Store: a.store, Writer: a.questions, Embedder: a.embedder, Searcher: a.retriever,
		MaxExamples: knowledgebase.MaxExamples, Registerer: a.registry, Logger: log,
	}); err != nil {
		return nil, err
	}
	// Semantic mode: the intent lane compares questions with approved
	// questions by embedding too. The local embedder is lexical, which the
	// lane already is, so it is not used there.
	var laneEmbedder ragkb.Embedder
	if cfg.Embedder == "openai" {
		laneEmbedder = a.embedder
	}
	if a.answers, err = answer.New(answer.Config{
		Store: insights.WithWriter(a.store, a.questions), Searcher: a.retriever, Events: a.events, LLM: model, Relevance: a.relevance.threshold, Embedder: laneEmbedder, EmbedTimeout: cfg.EmbeddingQueryTimeout,
		Orders: a.orders, Metrics: answer.NewMetrics(a.registry), Logger: log, LaneCacheBytes: int64(cfg.LaneCacheMB) << 20,
	}); err != nil {
		return nil, err
	}
	if a.worker, err = worker.New(worker.Config{
		Store: a.store, Runner: a.indexer, Events: a.events, Lease: cfg.JobLease, Concurrency: cfg.Workers,
		Schedule: cfg.RefreshSchedule, Metrics: worker.NewMetrics(a.registry), Logger: log,
	}); err != nil {
		return nil, err
	}
	a.dispatcher = webhook.NewDispatcher(webhook.DispatcherConfig{Store: a.store, Client: a.fetcher.Client(), Logger: log, UserAgent: "ragkb/" + version})
	return a, nil
}

// openSecretBox returns the key that seals stored secrets: RAGKB_SECRET_KEY,
// or in embedded mode a key generated once into RAGKB_DATA_DIR/secret.key
// (readable by the service's user only), so that the database file alone
// reveals no secret. PostgreSQL deployments share the key between processes
// through the environment; without it secrets stay unencrypted, with a
// warning at every start.
func openSecretBox(cfg config, log *slog.Logger) (ragkb.SecretBox, error) {
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

// relevance is how retrieval hits are scored and the score a grounded
// answer needs: both depend on the embedder and are measured per embedder
// (BENCHMARKS.md, "Relevance threshold").
type relevance struct {
	score     func(dense, coverage float64) float64
	threshold float64
}

func relevanceFor(cfg config) relevance {
	r := relevance{score: retriever.Relevance, threshold: answer.DefaultRelevance}
	if cfg.Embedder == "openai" {
		r = relevance{score: retriever.SemanticRelevance, threshold: answer.DefaultSemanticRelevance}
	}
	if cfg.Relevance > 0 {
		r.threshold = cfg.Relevance
	}
	return r
}

// ready lists the dependencies /readyz checks besides the stores.
func (a *app) ready() map[string]func(context.Context) error {
	checks := map[string]func(context.Context) error{}
	if o, ok := a.embedder.(*embed.OpenAI); ok {
		checks["embedding"] = o.Probe
	}
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
func (a *app) removeOrphanVectors(ctx context.Context) {
	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	n, err := indexer.RemoveOrphanVectors(rctx, a.store, a.vectors, a.log)
	if err != nil {
		a.log.Warn("remove orphan vectors", "removed_resources", n, "err", err)
		return
	}
	a.log.Info("orphan vectors checked", "removed_resources", n)
}

func (a *app) handler() http.Handler {
	return a.server()
}

func (a *app) server() *server.Server {
	return server.New(server.Deps{
		Store: a.store, Vectors: a.vectors, Answers: a.answers, Triage: a.answers, Searcher: a.retriever, Events: a.events, Accounts: a.accounts,
		Insights: a.insights, ValidateSpec: validateSpec, BuiltinIntents: intent.BuiltinNames(), DescribeIntent: intent.BuiltinDescription,
		Gatherer: a.registry, Registerer: a.registry,
		NextRefresh: func(now time.Time) time.Time { return a.worker.NextRefresh(now) },
		Logger:      a.log, Version: version,
		RateLimit: a.cfg.RateLimit, RateBurst: a.cfg.RateBurst,
		MetricsToken: a.cfg.MetricsToken, MetricsSeparate: a.cfg.MetricsAddr != "",
		CheckURL: a.fetcher.CheckURL, Ready: a.ready(),
	})
}

func (a *app) close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i](); err != nil {
			a.log.Warn("close", "err", err)
		}
	}
	a.closers = nil
}

// ensureAdminKey makes sure an admin key exists: RAGKB_ADMIN_KEY when set,
// otherwise one is generated on first start and printed once. Setting
// RAGKB_ADMIN_KEY (or changing it) retires every other admin key, so a
// rotated or leaked bootstrap key stops working at the next start.
func (a *app) ensureAdminKey(ctx context.Context, stdout io.Writer) error {
	if a.cfg.AdminKey != "" {
		hash := server.HashKey(a.cfg.AdminKey)
		if _, err := a.store.GetAPIKeyByHash(ctx, hash); ragkb.IsNotFound(err) {
			if err := a.store.CreateAPIKey(ctx, &ragkb.APIKey{ID: ragkb.NewID("key"), Role: ragkb.RoleAdmin, Hash: hash, Prefix: a.cfg.AdminKey[:min(6, len(a.cfg.AdminKey))], CreatedAt: time.Now().UTC()}); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		keys, err := a.store.ListAPIKeys(ctx, "")
		if err != nil {
			return err
		}
		for _, k := range keys {
			if k.Role == ragkb.RoleAdmin && k.Hash != hash {
				if err := a.store.DeleteAPIKey(ctx, "", k.ID); err != nil && !ragkb.IsNotFound(err) {
					return err
				}
				a.log.Info("retired an old admin key (RAGKB_ADMIN_KEY was set or changed)", "key_id", k.ID, "prefix", k.Prefix)
			}
		}
		return nil
	}
	n, err := a.store.CountAPIKeys(ctx, ragkb.RoleAdmin)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	secret := server.NewKeySecret(ragkb.RoleAdmin)
	if err := a.store.CreateAPIKey(ctx, &ragkb.APIKey{ID: ragkb.NewID("key"), Role: ragkb.RoleAdmin, Hash: server.HashKey(secret), Prefix: secret[:8], CreatedAt: time.Now().UTC()}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nragkb admin key (shown once, keep it safe):\n\n    %s\n\n", secret)
	return nil
}

var errUsage = errors.New("usage")
