package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/insights"
	"github.com/ragkb/ragkb/answer/llm"
	"github.com/ragkb/ragkb/app"
)

// config is the environment of API.md plus a few operational knobs.
type config struct {
	app.Config
	LogLevel  string
	LogFormat string
}

// envVar documents one variable for the README and `ragkb help`.
type envVar struct {
	name, def, help string
}

var envVars = []envVar{
	{"RAGKB_ADDR", ":8080", "listen address"},
	{"RAGKB_DATA_DIR", "./data", "embedded mode: SQLite file and vector index"},
	{"RAGKB_DATABASE_URL", "", "postgres://... : metadata (and by default vectors) in PostgreSQL"},
	{"RAGKB_VECTOR_STORE", "embedded | pgvector", "embedded, pgvector or qdrant"},
	{"RAGKB_QDRANT_URL", "", "Qdrant gRPC address, e.g. localhost:6334"},
	{"RAGKB_QDRANT_API_KEY", "", "Qdrant API key, if the server needs one"},
	{"RAGKB_EMBEDDER", "local", "local (pure Go) or openai (any OpenAI-compatible /v1/embeddings)"},
	{"RAGKB_EMBEDDING_URL", "", "openai embedder: base URL"},
	{"RAGKB_EMBEDDING_MODEL", "", "openai embedder: model"},
	{"RAGKB_EMBEDDING_API_KEY", "", "openai embedder: API key"},
	{"RAGKB_EMBEDDING_MODALITY", "none", "openai embedder: how queries are told from passages: none, input_type or prefix (query: / passage:)"},
	{"RAGKB_LLM_URL", "", "premium tier: OpenAI-compatible base URL; empty = no premium tier"},
	{"RAGKB_LLM_MODEL", "", "premium tier: model"},
	{"RAGKB_LLM_API_KEY", "", "premium tier: API key"},
	{"RAGKB_LLM_PARAMS", "auto", "premium tier: parameter set: auto (from the model name, learned from the provider's 400), chat (max_tokens, temperature) or reasoning (max_completion_tokens)"},
	{"RAGKB_LLM_MAX_TOKENS", "512", "premium tier: max_tokens of the chat set"},
	{"RAGKB_LLM_MAX_COMPLETION_TOKENS", "4096", "premium tier: max_completion_tokens of the reasoning set (reasoning tokens count against it)"},
	{"RAGKB_LLM_REASONING_EFFORT", "", "premium tier: reasoning_effort sent with the reasoning set: minimal, low, medium, high; empty = the model's default"},
	{"RAGKB_LLM_TIMEOUT", "45s", "premium tier: deadline of one model call, retries included"},
	{"RAGKB_ADMIN_KEY", "generated", "bootstrap admin key; generated and printed once when unset"},
	{"RAGKB_REFRESH_SCHEDULE", "@monthly", "cron spec of the automatic refresh; off disables it"},
	{"RAGKB_ALLOW_PRIVATE_URLS", "false", "let connectors fetch loopback/private addresses"},
	{"RAGKB_LOG_LEVEL", "info", "debug, info, warn, error"},
	{"RAGKB_LOG_FORMAT", "text", "text or json"},
	{"RAGKB_JOB_LEASE", "30s", "how long a job is held without a heartbeat before another worker takes it"},
	{"RAGKB_WORKERS", "2", "indexing jobs run at once per process"},
	{"RAGKB_SHUTDOWN_TIMEOUT", "20s", "how long SIGTERM waits for requests and jobs"},
	{"RAGKB_RELEVANCE", "0 (built-in)", "override the grounded-answer relevance threshold"},
	{"RAGKB_LOG_RETENTION_DAYS", "90", "question log (insights): days kept before deletion; 0 keeps it forever"},
	{"RAGKB_LOG_QUEUE", "10000", "question log: answers waiting to be written; beyond it rows are dropped and counted"},
	{"RAGKB_LLM_PRICES", "", "premium model prices for insights costs: model=prompt:completion USD per million tokens, comma-separated (* = any model)"},
	{"RAGKB_ALLEGRO_API_URL", "https://api.allegro.pl", "operator-only base of the Allegro API (sandbox, proxy, tests)"},
	{"RAGKB_ALLEGRO_AUTH_URL", "https://allegro.pl", "operator-only base of Allegro's OAuth endpoints (/auth/oauth/device, /auth/oauth/token)"},
	{"RAGKB_ALLEGRO_CLIENT_ID", "", "the operator's registered Allegro application (device flow); empty = no Allegro accounts"},
	{"RAGKB_ALLEGRO_CLIENT_SECRET", "", "its client secret"},
	{"RAGKB_SECRET_KEY", "embedded: generated in RAGKB_DATA_DIR/secret.key", "encrypts stored secrets (AES-256-GCM): 32 bytes in base64 (openssl rand -base64 32); new,old (comma-separated) to rotate"},
	{"RAGKB_RATE_LIMIT", "20", "requests per second per API key on /v1/answer and /v1/search (429 + Retry-After beyond); 0 = unlimited"},
	{"RAGKB_RATE_BURST", "40", "burst size of the per-key rate limit"},
	{"RAGKB_LANE_CACHE_MB", "1024", "memory budget of the tenants' cached intent lanes; past it the least recently used are dropped and rebuilt on their next question"},
	{"RAGKB_METRICS_TOKEN", "", "bearer token that /metrics accepts (an admin key always works)"},
	{"RAGKB_METRICS_ADDR", "", "serve /metrics without a token on this separate address (e.g. 127.0.0.1:9090) instead of the API address"},
	{"RAGKB_EMBEDDING_TIMEOUT", "10s", "openai embedder: deadline of one embedding call"},
	{"RAGKB_EMBEDDING_QUERY_TIMEOUT", "2s", "openai embedder: how long an answer waits for the question's embedding before it goes on with lexical retrieval and the intent lane (degraded)"},
}

func loadConfig(getenv func(string) string) (config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := config{Config: app.Config{
		Addr:              get("RAGKB_ADDR", ":8080"),
		DataDir:           get("RAGKB_DATA_DIR", "./data"),
		DatabaseURL:       get("RAGKB_DATABASE_URL", ""),
		QdrantURL:         get("RAGKB_QDRANT_URL", ""),
		QdrantAPIKey:      get("RAGKB_QDRANT_API_KEY", ""),
		Embedder:          get("RAGKB_EMBEDDER", "local"),
		EmbeddingURL:      get("RAGKB_EMBEDDING_URL", ""),
		EmbeddingModel:    get("RAGKB_EMBEDDING_MODEL", ""),
		EmbeddingAPIKey:   get("RAGKB_EMBEDDING_API_KEY", ""),
		EmbeddingModality: get("RAGKB_EMBEDDING_MODALITY", "none"),
		LLMURL:            get("RAGKB_LLM_URL", ""),
		LLMModel:          get("RAGKB_LLM_MODEL", ""),
		LLMAPIKey:         get("RAGKB_LLM_API_KEY", ""),
		AdminKey:          get("RAGKB_ADMIN_KEY", ""),
		RefreshSchedule:   get("RAGKB_REFRESH_SCHEDULE", "@monthly"),
		AllegroAPIURL:     get("RAGKB_ALLEGRO_API_URL", "https://api.allegro.pl"),
		AllegroAuthURL:    get("RAGKB_ALLEGRO_AUTH_URL", "https://allegro.pl"),
		AllegroClientID:   get("RAGKB_ALLEGRO_CLIENT_ID", ""),
		AllegroSecret:     get("RAGKB_ALLEGRO_CLIENT_SECRET", ""),
		SecretKey:         get("RAGKB_SECRET_KEY", ""),
	}, LogLevel: get("RAGKB_LOG_LEVEL", "info"), LogFormat: get("RAGKB_LOG_FORMAT", "text")}
	def := "embedded"
	if c.DatabaseURL != "" {
		def = "pgvector"
	}
	c.VectorStore = get("RAGKB_VECTOR_STORE", def)
	var err error
	if c.AllowPrivateURLs, err = strconv.ParseBool(get("RAGKB_ALLOW_PRIVATE_URLS", "false")); err != nil {
		return c, fmt.Errorf("RAGKB_ALLOW_PRIVATE_URLS: must be true or false")
	}
	if c.JobLease, err = time.ParseDuration(get("RAGKB_JOB_LEASE", "30s")); err != nil || c.JobLease < time.Second {
		return c, fmt.Errorf("RAGKB_JOB_LEASE: must be a duration of at least 1s, such as 30s")
	}
	if c.ShutdownTimeout, err = time.ParseDuration(get("RAGKB_SHUTDOWN_TIMEOUT", "20s")); err != nil || c.ShutdownTimeout <= 0 {
		return c, fmt.Errorf("RAGKB_SHUTDOWN_TIMEOUT: must be a positive duration, such as 20s")
	}
	if c.Workers, err = strconv.Atoi(get("RAGKB_WORKERS", "2")); err != nil || c.Workers < 1 || c.Workers > 64 {
		return c, fmt.Errorf("RAGKB_WORKERS: must be a number from 1 to 64")
	}
	var ok bool
	if c.LLMParams, ok = llm.ParseParams(get("RAGKB_LLM_PARAMS", "auto")); !ok {
		return c, fmt.Errorf("RAGKB_LLM_PARAMS: must be auto, chat or reasoning")
	}
	if c.LLMMaxTokens, err = strconv.Atoi(get("RAGKB_LLM_MAX_TOKENS", "512")); err != nil || c.LLMMaxTokens < 16 || c.LLMMaxTokens > 1<<20 {
		return c, fmt.Errorf("RAGKB_LLM_MAX_TOKENS: must be a number from 16 to 1048576")
	}
	if c.LLMMaxCompletion, err = strconv.Atoi(get("RAGKB_LLM_MAX_COMPLETION_TOKENS", "4096")); err != nil || c.LLMMaxCompletion < 16 || c.LLMMaxCompletion > 1<<20 {
		return c, fmt.Errorf("RAGKB_LLM_MAX_COMPLETION_TOKENS: must be a number from 16 to 1048576")
	}
	switch c.LLMEffort = strings.ToLower(get("RAGKB_LLM_REASONING_EFFORT", "")); c.LLMEffort {
	case "", "minimal", "low", "medium", "high":
	default:
		return c, fmt.Errorf("RAGKB_LLM_REASONING_EFFORT: must be minimal, low, medium or high")
	}
	if c.LLMTimeout, err = time.ParseDuration(get("RAGKB_LLM_TIMEOUT", "45s")); err != nil || c.LLMTimeout < time.Second {
		return c, fmt.Errorf("RAGKB_LLM_TIMEOUT: must be a duration of at least 1s, such as 45s")
	}
	if c.Relevance, err = strconv.ParseFloat(get("RAGKB_RELEVANCE", "0"), 64); err != nil || c.Relevance < 0 || c.Relevance > 1 {
		return c, fmt.Errorf("RAGKB_RELEVANCE: must be a number from 0 to 1")
	}
	if c.LogRetentionDays, err = strconv.Atoi(get("RAGKB_LOG_RETENTION_DAYS", "90")); err != nil || c.LogRetentionDays < 0 || c.LogRetentionDays > 36500 {
		return c, fmt.Errorf("RAGKB_LOG_RETENTION_DAYS: must be a number of days from 0 (keep forever) to 36500")
	}
	if c.LogQueue, err = strconv.Atoi(get("RAGKB_LOG_QUEUE", "10000")); err != nil || c.LogQueue < 1 || c.LogQueue > 10_000_000 {
		return c, fmt.Errorf("RAGKB_LOG_QUEUE: must be a number from 1 to 10000000")
	}
	if c.LLMPrices, err = insights.ParsePrices(get("RAGKB_LLM_PRICES", "")); err != nil {
		return c, fmt.Errorf("RAGKB_LLM_PRICES: %s", ragkb.ErrorMessage(err))
	}
	if c.RateLimit, err = strconv.ParseFloat(get("RAGKB_RATE_LIMIT", "20"), 64); err != nil || c.RateLimit < 0 {
		return c, fmt.Errorf("RAGKB_RATE_LIMIT: must be a number of requests per second, 0 or more")
	}
	if c.RateBurst, err = strconv.Atoi(get("RAGKB_RATE_BURST", "40")); err != nil || c.RateBurst < 1 {
		return c, fmt.Errorf("RAGKB_RATE_BURST: must be a whole number, 1 or more")
	}
	if c.LaneCacheMB, err = strconv.Atoi(get("RAGKB_LANE_CACHE_MB", "1024")); err != nil || c.LaneCacheMB < 1 || c.LaneCacheMB > 1<<20 {
		return c, fmt.Errorf("RAGKB_LANE_CACHE_MB: must be a number of MiB from 1 to 1048576")
	}
	c.MetricsToken = get("RAGKB_METRICS_TOKEN", "")
	c.MetricsAddr = get("RAGKB_METRICS_ADDR", "")
	if c.EmbeddingTimeout, err = time.ParseDuration(get("RAGKB_EMBEDDING_TIMEOUT", "10s")); err != nil || c.EmbeddingTimeout < 100*time.Millisecond {
		return c, fmt.Errorf("RAGKB_EMBEDDING_TIMEOUT: must be a duration of at least 100ms, such as 10s")
	}
	if c.EmbeddingQueryTimeout, err = time.ParseDuration(get("RAGKB_EMBEDDING_QUERY_TIMEOUT", "2s")); err != nil || c.EmbeddingQueryTimeout < 10*time.Millisecond {
		return c, fmt.Errorf("RAGKB_EMBEDDING_QUERY_TIMEOUT: must be a duration of at least 10ms, such as 2s")
	}
	return c, c.validate()
}

func (c config) validate() error {
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("RAGKB_LOG_LEVEL: must be debug, info, warn or error")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("RAGKB_LOG_FORMAT: must be text or json")
	}
	return c.Config.Validate()
}
