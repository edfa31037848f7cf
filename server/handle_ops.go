package server

import (
	"context"
	_ "embed"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"
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

// handleReadyz checks that the stores answer within two seconds.
func (s *Server) handleReadyz() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := s.d.Store.Ping(ctx); err != nil {
			s.log.Warn("readiness: store unreachable", "err", err)
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "store": "unreachable"})
			return
		}
		if p, ok := s.d.Vectors.(interface{ Ping(context.Context) error }); ok {
			if err := p.Ping(ctx); err != nil {
				s.log.Warn("readiness: vector store unreachable", "err", err)
				c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "vectors": "unreachable"})
				return
			}
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	}
}

func (s *Server) handleMetrics() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.d.Gatherer, promhttp.HandlerOpts{})
	return gin.WrapH(h)
}

func (s *Server) handleOpenAPI() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Data(http.StatusOK, "application/json", openapiJSON)
	}
}

func (s *Server) handleAdminPage() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
		c.Data(http.StatusOK, "text/html; charset=utf-8", adminHTML)
	}
}
