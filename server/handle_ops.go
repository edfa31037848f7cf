package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ragkb/ragkb"
)

//go:embed openapi.json
var openapiJSON []byte

//go:embed admin.html
var adminHTML []byte

func (s *Server) handleHealthz() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.d.Version})
	}
}

// handleReadyz checks that the stores, the embedder and the other
// dependencies (Deps.Ready: the data directory) answer within two seconds. The
// answer names each dependency: "ok" or what is wrong. The service is ready
// (200) only when the stores answer; a failing extra dependency makes it 503
// too, so a load balancer stops sending traffic that could only degrade.
func (s *Server) handleReadyz() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		deps := gin.H{}
		ready := true
		check := func(name string, err error) {
			if err != nil {
				s.log.Warn("readiness: dependency failing", "dependency", name, "err", err)
				deps[name] = ragkb.ErrorMessage(err)
				if ragkb.ErrorCodeOf(err) == ragkb.EINTERNAL {
					deps[name] = "unreachable"
				}
				ready = false
				return
			}
			deps[name] = "ok"
		}
		check("store", s.d.Store.Ping(ctx))
		// Every backend that can tell whether it is reachable does
		// (ragkb.Pinger): a stopped vector store or embedding service makes
		// the service unready.
		if _, ok := s.d.Vectors.(ragkb.Pinger); ok {
			check("vectors", ragkb.Ping(ctx, s.d.Vectors))
		}
		if _, ok := s.d.Embedder.(ragkb.Pinger); ok && s.d.Embedder != nil {
			check("embedding", ragkb.Ping(ctx, s.d.Embedder))
		}
		for _, name := range slices.Sorted(maps.Keys(s.d.Ready)) {
			check(name, s.d.Ready[name](ctx))
		}
		if !ready {
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "dependencies": deps})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready", "dependencies": deps})
	}
}

// MetricsHandler serves the Prometheus metrics without authentication, for
// a separate listen address (RAGKB_METRICS_ADDR) that only the monitoring
// network reaches.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.d.Gatherer, promhttp.HandlerOpts{})
}

// handleMetrics serves /metrics on the API address only to a caller with
// the metrics token (RAGKB_METRICS_TOKEN) or an admin key: metric values
// describe every tenant's traffic.
func (s *Server) handleMetrics() gin.HandlerFunc {
	h := s.MetricsHandler()
	return func(c *gin.Context) {
		scheme, secret, _ := strings.Cut(c.GetHeader("Authorization"), " ")
		secret = strings.TrimSpace(secret)
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			writeError(c, s.log, &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Field: "Authorization",
				Message: "/metrics needs \"Authorization: Bearer <metrics token or admin key>\" (or serve it on RAGKB_METRICS_ADDR)"})
			return
		}
		if s.d.MetricsToken == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(s.d.MetricsToken)) != 1 {
			k, err := s.d.Store.GetAPIKeyByHash(c.Request.Context(), HashKey(secret))
			if err != nil && !ragkb.IsNotFound(err) {
				writeError(c, s.log, err)
				return
			}
			if err != nil || k.Role != ragkb.RoleAdmin {
				writeError(c, s.log, &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Field: "Authorization", Message: "the metrics token or admin key is not valid"})
				return
			}
		}
		h.ServeHTTP(c.Writer, c.Request)
	}
}

func (s *Server) handleOpenAPI() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Data(http.StatusOK, "application/json", openapiJSON)
	}
}

// handleAdminPage serves the one self-contained admin page. Its policy lets
// only the page's own inline script run (by hash: no injected script, no
// CDN), fetch only this origin, and never be framed.
func (s *Server) handleAdminPage() gin.HandlerFunc {
	csp := adminCSP(adminHTML)
	return func(c *gin.Context) {
		c.Header("Content-Security-Policy", csp)
		c.Header("X-Content-Type-Options", "nosniff")
		c.Header("Referrer-Policy", "no-referrer")
		c.Data(http.StatusOK, "text/html; charset=utf-8", adminHTML)
	}
}

// adminCSP returns the page's Content-Security-Policy, allowing its inline
// <script> elements by their SHA-256.
func adminCSP(page []byte) string {
	var hashes []string
	rest := page
	for {
		i := bytes.Index(rest, []byte("<script>"))
		if i < 0 {
			break
		}
		rest = rest[i+len("<script>"):]
		j := bytes.Index(rest, []byte("</script>"))
		if j < 0 {
			break
		}
		sum := sha256.Sum256(rest[:j])
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
		rest = rest[j:]
	}
	return "default-src 'none'; script-src " + strings.Join(hashes, " ") +
		"; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}
