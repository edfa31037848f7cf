package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

// handleTriage is POST /v1/triage: the helpdesk classification of a
// message (language, intent, topic, sentiment, priority, needs_agent,
// reasons, tags) without answering it and without a model call.
func (s *Server) handleTriage() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req ragkb.TriageRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		if s.d.Triage == nil {
			writeError(c, s.log, &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "triage is not configured"})
			return
		}
		tr, err := s.d.Triage.Triage(c.Request.Context(), tenantOf(c), &req)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusOK, tr)
	}
}
