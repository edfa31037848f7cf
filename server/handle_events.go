package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

func limitParam(c *gin.Context, def, maxN int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxN {
		return 0, ragkb.Invalid("limit", "must be a number from 1 to %d", maxN)
	}
	return n, nil
}

func (s *Server) handleListEvents() gin.HandlerFunc {
	return func(c *gin.Context) {
		f := ragkb.EventFilter{TenantID: tenantOf(c)}
		switch t := ragkb.EventType(c.Query("type")); t {
		case "", ragkb.EventAssistantFailed, ragkb.EventAgentRequested, ragkb.EventResourceFailed, ragkb.EventTicketUrgent, ragkb.EventAccountFailed, ragkb.EventClarifyAsked:
			f.Type = t
		default:
			writeError(c, s.log, ragkb.Invalid("type", "must be assistant_failed, agent_requested, resource_failed, ticket_urgent, account_failed or clarify_asked"))
			return
		}
		n, err := limitParam(c, 100, 1000)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		f.Limit = n
		evs, err := s.d.Store.ListEvents(c.Request.Context(), f)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		for _, e := range evs {
			e.TenantID = ""
		}
		if evs == nil {
			evs = []*ragkb.Event{}
		}
		c.JSON(http.StatusOK, gin.H{"events": evs})
	}
}

type webhookRequest struct {
	URL    string            `json:"url"`
	Events []ragkb.EventType `json:"events"`
	Secret string            `json:"secret"`
}

type webhookResponse struct {
	*ragkb.Webhook
	// Secret is shown once, when the webhook is created.
	Secret string `json:"secret"`
}

// MaxWebhooksPerTenant bounds a tenant's webhooks (each event fans out to all).
const MaxWebhooksPerTenant = 20

func (s *Server) handleCreateWebhook() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req webhookRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		w := &ragkb.Webhook{ID: ragkb.NewID("whk"), TenantID: tenantOf(c), URL: req.URL, Events: req.Events, Secret: req.Secret, CreatedAt: s.d.Now().UTC()}
		if w.Secret == "" {
			w.Secret = ragkb.NewWebhookSecret()
		}
		if err := w.Validate(); err != nil {
			writeError(c, s.log, err)
			return
		}
		// Deliveries go through the SSRF guard too; refusing a private or
		// metadata address here tells the merchant now, not at the first event.
		if s.d.CheckURL != nil {
			if err := s.d.CheckURL(c.Request.Context(), w.URL); err != nil {
				writeError(c, s.log, &ragkb.Error{Code: ragkb.EINVALID, Field: "url", Message: ragkb.ErrorMessage(err), Err: err})
				return
			}
		}
		existing, err := s.d.Store.ListWebhooks(c.Request.Context(), w.TenantID)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		if len(existing) >= MaxWebhooksPerTenant {
			writeError(c, s.log, ragkb.Errorf(ragkb.ECONFLICT, "an account can have at most %d webhooks; delete one first", MaxWebhooksPerTenant))
			return
		}
		if err := s.d.Store.CreateWebhook(c.Request.Context(), w); err != nil {
			writeError(c, s.log, err)
			return
		}
		secret := w.Secret
		w.TenantID = ""
		c.JSON(http.StatusCreated, webhookResponse{Webhook: w, Secret: secret})
	}
}

func (s *Server) handleListWebhooks() gin.HandlerFunc {
	return func(c *gin.Context) {
		ws, err := s.d.Store.ListWebhooks(c.Request.Context(), tenantOf(c))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		for _, w := range ws {
			w.TenantID = ""
		}
		if ws == nil {
			ws = []*ragkb.Webhook{}
		}
		c.JSON(http.StatusOK, gin.H{"webhooks": ws})
	}
}

func (s *Server) handleDeleteWebhook() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := s.d.Store.DeleteWebhook(c.Request.Context(), tenantOf(c), c.Param("id")); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

func (s *Server) handleListDeliveries() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if _, err := s.d.Store.GetWebhook(ctx, tenantOf(c), c.Param("id")); err != nil {
			writeError(c, s.log, err)
			return
		}
		n, err := limitParam(c, 100, 1000)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		ds, err := s.d.Store.ListDeliveries(ctx, tenantOf(c), c.Param("id"), n)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		for _, d := range ds {
			d.TenantID = ""
		}
		if ds == nil {
			ds = []*ragkb.Delivery{}
		}
		c.JSON(http.StatusOK, gin.H{"deliveries": ds})
	}
}

func (s *Server) handleStats() gin.HandlerFunc {
	return func(c *gin.Context) {
		since := s.d.Now().UTC().AddDate(0, 0, -30)
		if v := c.Query("since"); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeError(c, s.log, ragkb.Invalid("since", "must be an RFC 3339 time such as 2026-01-31T00:00:00Z"))
				return
			}
			since = t
		}
		if s.d.Insights != nil {
			// Answers are logged in the background: include the latest.
			if err := s.d.Insights.Flush(c.Request.Context()); err != nil {
				writeError(c, s.log, err)
				return
			}
		}
		logs, err := s.d.Store.ListAnswerLogs(c.Request.Context(), tenantOf(c), since)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		ts := ragkb.TriageStats(logs)
		c.JSON(http.StatusOK, gin.H{"since": since, "by_intent": ragkb.AnswerStats(logs),
			"by_topic": ts.ByTopic, "by_priority": ts.ByPriority, "by_sentiment": ts.BySentiment})
	}
}
