// Package server is the HTTP API (gin): authentication and roles, tenants and
// keys, resources and their indexing status, answers and search, assistants,
// intents, events, webhooks, stats, health, metrics, the OpenAPI document and
// the admin page. The whole API is listed in routes.go. Errors are RFC 9457
// problem documents; bad input is a 4xx naming the field, never a 500.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ragkb/ragkb"
)

// Answerer answers questions (answer.Service).
type Answerer interface {
	Answer(ctx context.Context, tenantID string, req *ragkb.AnswerRequest) (*ragkb.AnswerResponse, error)
}

// Triager triages messages for helpdesks (answer.Service).
type Triager interface {
	Triage(ctx context.Context, tenantID string, req *ragkb.TriageRequest) (*ragkb.Triage, error)
}

// Deps are the server's dependencies.
type Deps struct {
	Store   ragkb.Store
	Vectors ragkb.VectorStore
	// Embedder, when it is a ragkb.Pinger, is checked by /readyz.
	Embedder ragkb.Embedder
	Answers  Answerer
	Triage   Triager
	Searcher ragkb.Searcher
	Events   ragkb.EventRecorder
	// Insights serves the question log, feedback and /v1/insights (nil: 503).
	Insights Insights
	// Accounts connects and removes accounts; nil answers 503 on those routes.
	Accounts AccountService
	// ValidateTriage checks an assistant's triage configuration
	// (answer/triage.Validate); errors name the field under prefix. Nil
	// refuses every triage configuration.
	ValidateTriage func(c *ragkb.TriageConfig, prefix string) error
	// ValidateSpec checks a resource's type-specific fields (connectors).
	ValidateSpec func(r *ragkb.Resource) error
	// BuiltinIntents lists the built-in intent names (shown by GET /v1/intents).
	BuiltinIntents []string
	// DescribeIntent says what a built-in intent covers ("" if unknown).
	DescribeIntent func(name string) string
	// Gatherer serves /metrics; Registerer receives the HTTP metrics.
	Gatherer   prometheus.Gatherer
	Registerer prometheus.Registerer
	// ManualRefreshEvery is how often offers may be refreshed by hand (default one month).
	ManualRefreshEvery func(last time.Time) time.Time
	// NextRefresh says when the automatic refresh will next run (for next_refresh_at).
	NextRefresh func(now time.Time) time.Time
	Now         func() time.Time
	Logger      *slog.Logger
	Version     string

	// RateLimit is the per-key rate of /v1/answer and /v1/search in requests
	// per second (0 = unlimited); RateBurst the bucket size (default 2×rate).
	RateLimit float64
	RateBurst int
	// MetricsToken, when set, is a bearer token that /metrics accepts besides
	// an admin key. MetricsSeparate removes /metrics from this handler
	// (it is then served on its own listen address, see MetricsHandler).
	MetricsToken    string
	MetricsSeparate bool
	// CheckURL vets a URL the service will call (webhooks): the SSRF guard
	// of connectors.Fetcher. Nil accepts every URL.
	CheckURL func(ctx context.Context, raw string) error
	// Ready reports dependencies beyond the stores and the embedder for
	// /readyz (the data directory): each check returns nil when healthy.
	Ready map[string]func(ctx context.Context) error
}

// Server is the HTTP handler.
type Server struct {
	d      Deps
	log    *slog.Logger
	engine *gin.Engine
	reqs   *prometheus.CounterVec
	dur    *prometheus.HistogramVec

	limiters *keyLimiters
	limited  prometheus.Counter
	touched  sync.Map // key id -> time.Time of the last TouchAPIKey
}

// New returns the API handler.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if t, ok := d.Answers.(Triager); ok && d.Triage == nil {
		d.Triage = t
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.ManualRefreshEvery == nil {
		d.ManualRefreshEvery = func(last time.Time) time.Time { return last.AddDate(0, 1, 0) }
	}
	if d.Gatherer == nil {
		d.Gatherer = prometheus.NewRegistry()
	}
	s := &Server{d: d, log: d.Logger}
	s.reqs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ragkb_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "method", "status"})
	s.dur = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ragkb_http_request_duration_seconds", Help: "HTTP request latency by route.", Buckets: prometheus.DefBuckets}, []string{"route", "method"})
	s.limited = prometheus.NewCounter(prometheus.CounterOpts{Name: "ragkb_rate_limited_total", Help: "Requests refused with 429 by the per-key rate limit."})
	if d.Registerer != nil {
		d.Registerer.MustRegister(s.reqs, s.dur, s.limited)
	}
	s.limiters = newKeyLimiters(d.RateLimit, d.RateBurst, d.Now)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	e.Use(s.requestID(), s.logRequests(), s.recover())
	e.NoRoute(func(c *gin.Context) {
		writeError(c, s.log, ragkb.Errorf(ragkb.ENOTFOUND, "no such endpoint: %s %s", c.Request.Method, c.Request.URL.Path))
	})
	e.NoMethod(func(c *gin.Context) {
		writeProblem(c, Problem{Type: "about:blank", Title: "Method not allowed", Status: http.StatusMethodNotAllowed,
			Detail: c.Request.Method + " is not allowed on " + c.Request.URL.Path, RequestID: c.GetString(ctxRequestID)})
	})
	s.engine = e
	s.routes(e)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes a sane X-Request-ID from the caller or makes one.
func (s *Server) requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if !requestIDPattern.MatchString(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(ctxRequestID, id)
		c.Header("X-Request-ID", id)
		c.Next()
	}
}

func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		status := c.Writer.Status()
		statusText := http.StatusText(status)
		if status == statusClientClosed {
			statusText = "Client Closed Request"
		}
		s.reqs.WithLabelValues(route, c.Request.Method, statusText).Inc()
		s.dur.WithLabelValues(route, c.Request.Method).Observe(d.Seconds())
		if route == "/healthz" || route == "/metrics" {
			return
		}
		level := slog.LevelInfo
		if status >= 500 && status != statusClientClosed {
			level = slog.LevelError
		}
		attrs := []any{"request_id", c.GetString(ctxRequestID), "method", c.Request.Method, "route", route,
			"status", status, "duration_ms", float64(d.Microseconds()) / 1000}
		if k := key(c); k.ID != "" {
			attrs = append(attrs, "tenant_id", k.TenantID, "role", k.Role)
		}
		s.log.Log(c.Request.Context(), level, "http request", attrs...)
	}
}

// recover turns a panic into a logged 500 problem instead of a dropped connection.
func (s *Server) recover() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "request_id", c.GetString(ctxRequestID), "panic", v)
				writeError(c, s.log, ragkb.Errorf(ragkb.EINTERNAL, "panic"))
			}
		}()
		c.Next()
	}
}
