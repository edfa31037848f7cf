package app

import (
	"cmp"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/ragkb/ragkb/answer/insights"
	"github.com/ragkb/ragkb/answer/llm"
	"github.com/ragkb/ragkb/internal/secretbox"
)

// Config configures an App. Each field is the environment variable of the
// same name in the README's configuration table (Addr is RAGKB_ADDR, and so
// on); zero fields take that table's defaults, except where a zero means
// "off" there too (RateLimit 0 is unlimited, LogRetentionDays 0 keeps the
// question log forever, Addr "" serves no HTTP from Run).
type Config struct {
	Addr              string
	DataDir           string
	DatabaseURL       string
	VectorStore       string
	QdrantURL         string
	QdrantAPIKey      string
	Embedder          string
	EmbeddingURL      string
	EmbeddingModel    string
	EmbeddingAPIKey   string
	EmbeddingModality string
	// EmbeddingQueryTimeout bounds embedding a question while answering.
	EmbeddingQueryTimeout time.Duration
	LLMURL                string
	LLMModel              string
	LLMAPIKey             string
	LLMParams             llm.Params
	LLMMaxTokens          int
	LLMMaxCompletion      int
	LLMEffort             string
	LLMTimeout            time.Duration
	AdminKey              string
	RefreshSchedule       string
	AllowPrivateURLs      bool
	JobLease              time.Duration
	Workers               int
	ShutdownTimeout       time.Duration
	Relevance             float64
	RateLimit             float64
	RateBurst             int
	// LaneCacheMB is the memory budget of the tenants' cached intent lanes
	// in MiB (0: answer.DefaultLaneCacheBytes).
	LaneCacheMB      int
	MetricsToken     string
	MetricsAddr      string
	EmbeddingTimeout time.Duration
	// Question log and insights.
	LogRetentionDays int
	LogQueue         int
	LLMPrices        insights.Prices
	AllegroAPIURL    string
	AllegroAuthURL   string
	AllegroClientID  string
	AllegroSecret    string
	SecretKey        string

	// Logger receives the service's logs (nil: discarded).
	Logger *slog.Logger
	// Stdout receives the admin key generated on first start when AdminKey
	// is empty (nil: no key is generated, so set AdminKey when embedding).
	Stdout io.Writer
	// Version is reported by /healthz and in User-Agent headers.
	Version string
}

// withDefaults fills zero fields with the defaults of the configuration table.
func (c Config) withDefaults() Config {
	if c.VectorStore == "" {
		c.VectorStore = "embedded"
		if c.DatabaseURL != "" {
			c.VectorStore = "pgvector"
		}
	}
	c.Embedder = cmp.Or(c.Embedder, "local")
	c.EmbeddingModality = cmp.Or(c.EmbeddingModality, "none")
	c.EmbeddingTimeout = cmp.Or(c.EmbeddingTimeout, 10*time.Second)
	c.EmbeddingQueryTimeout = cmp.Or(c.EmbeddingQueryTimeout, 2*time.Second)
	c.LLMParams = cmp.Or(c.LLMParams, llm.ParamsAuto)
	c.LLMMaxTokens = cmp.Or(c.LLMMaxTokens, 512)
	c.LLMMaxCompletion = cmp.Or(c.LLMMaxCompletion, 4096)
	c.LLMTimeout = cmp.Or(c.LLMTimeout, 45*time.Second)
	c.RefreshSchedule = cmp.Or(c.RefreshSchedule, "@monthly")
	c.JobLease = cmp.Or(c.JobLease, 30*time.Second)
	c.Workers = cmp.Or(c.Workers, 2)
	c.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, 20*time.Second)
	c.LogQueue = cmp.Or(c.LogQueue, 10000)
	c.AllegroAPIURL = cmp.Or(c.AllegroAPIURL, "https://api.allegro.pl")
	c.AllegroAuthURL = cmp.Or(c.AllegroAuthURL, "https://allegro.pl")
	c.Version = cmp.Or(c.Version, "dev")
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate checks the configuration; errors name the environment variable
// of the field (the README's configuration table).
func (c Config) Validate() error {
	if c.DataDir == "" && (c.DatabaseURL == "" || c.VectorStore == "embedded") {
		return fmt.Errorf("RAGKB_DATA_DIR: is required for the embedded stores")
	}
	switch c.VectorStore {
	case "embedded":
	case "pgvector":
		if c.DatabaseURL == "" {
			return fmt.Errorf("RAGKB_VECTOR_STORE: pgvector needs RAGKB_DATABASE_URL")
		}
	case "qdrant":
		if c.QdrantURL == "" {
			return fmt.Errorf("RAGKB_QDRANT_URL: is required when RAGKB_VECTOR_STORE=qdrant")
		}
	default:
		return fmt.Errorf("RAGKB_VECTOR_STORE: must be embedded, pgvector or qdrant, not %q", c.VectorStore)
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return fmt.Errorf("RAGKB_DATABASE_URL: must start with postgres://")
	}
	switch c.Embedder {
	case "local":
	case "openai":
		if c.EmbeddingURL == "" {
			return fmt.Errorf("RAGKB_EMBEDDING_URL: is required when RAGKB_EMBEDDER=openai")
		}
		if c.EmbeddingModel == "" {
			return fmt.Errorf("RAGKB_EMBEDDING_MODEL: is required when RAGKB_EMBEDDER=openai")
		}
		switch c.EmbeddingModality {
		case "none", "input_type", "prefix":
		default:
			return fmt.Errorf("RAGKB_EMBEDDING_MODALITY: must be none, input_type or prefix, not %q", c.EmbeddingModality)
		}
	default:
		return fmt.Errorf("RAGKB_EMBEDDER: must be local or openai, not %q", c.Embedder)
	}
	if c.LLMURL != "" && c.LLMModel == "" {
		return fmt.Errorf("RAGKB_LLM_MODEL: is required when RAGKB_LLM_URL is set")
	}
	for _, u := range []struct{ name, val string }{{"RAGKB_ALLEGRO_API_URL", c.AllegroAPIURL}, {"RAGKB_ALLEGRO_AUTH_URL", c.AllegroAuthURL}} {
		if pu, err := url.Parse(u.val); err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
			return fmt.Errorf("%s: must be an http(s) base URL, not %q", u.name, u.val)
		}
	}
	if (c.AllegroClientID == "") != (c.AllegroSecret == "") {
		return fmt.Errorf("RAGKB_ALLEGRO_CLIENT_ID and RAGKB_ALLEGRO_CLIENT_SECRET: set both (the Allegro application) or neither")
	}
	if c.SecretKey != "" {
		if _, err := secretbox.Parse(c.SecretKey); err != nil {
			return fmt.Errorf("RAGKB_SECRET_KEY: %v", strings.TrimPrefix(err.Error(), "secretbox: "))
		}
	}
	if c.AdminKey != "" && len(c.AdminKey) < 16 {
		return fmt.Errorf("RAGKB_ADMIN_KEY: must be at least 16 characters")
	}
	return nil
}
