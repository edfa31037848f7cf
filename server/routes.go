package server

import (
	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

// routes is the whole API in one place.
func (s *Server) routes(e *gin.Engine) {
	admin, merchant, chatbot := ragkb.RoleAdmin, ragkb.RoleMerchant, ragkb.RoleChatbot

	e.GET("/healthz", s.handleHealthz())
	e.GET("/readyz", s.handleReadyz())
	if !s.d.MetricsSeparate {
		e.GET("/metrics", s.handleMetrics())
	}
	e.GET("/openapi.json", s.handleOpenAPI())
	e.GET("/admin", s.handleAdminPage())
	e.GET("/", func(c *gin.Context) { c.Redirect(302, "/admin") })

	v1 := e.Group("/v1", s.authenticate())

	v1.POST("/tenants", s.allow(admin), s.handleCreateTenant())
	v1.GET("/tenants", s.allow(admin), s.handleListTenants())
	v1.POST("/tenants/:tenant_id/keys", s.allow(admin), s.handleCreateKey())
	v1.GET("/tenants/:tenant_id/keys", s.allow(admin), s.handleListKeys())
	v1.DELETE("/tenants/:tenant_id/keys/:key_id", s.allow(admin), s.handleDeleteKey())
	v1.GET("/admin/resources", s.allow(admin), s.handleAdminResources())

	v1.POST("/resources", s.allow(merchant), s.handleCreateResource())
	v1.GET("/resources", s.allow(merchant), s.handleListResources())
	v1.GET("/resources/:id", s.allow(merchant, admin), s.handleGetResource())
	v1.PUT("/resources/:id", s.allow(merchant), s.handleUpdateResource())
	v1.DELETE("/resources/:id", s.allow(merchant), s.handleDeleteResource())
	v1.POST("/resources/:id/retry", s.allow(merchant, admin), s.handleRetryResource())
	v1.POST("/resources/:id/refresh", s.allow(merchant), s.handleRefreshResource())

	v1.POST("/accounts", s.allow(merchant), s.handleCreateAccount())
	v1.GET("/accounts", s.allow(merchant), s.handleListAccounts())
	v1.GET("/accounts/:id", s.allow(merchant), s.handleGetAccount())
	v1.DELETE("/accounts/:id", s.allow(merchant), s.handleDeleteAccount())

	v1.POST("/answer", s.allow(chatbot, merchant), s.rateLimited(), s.handleAnswer())
	v1.POST("/search", s.allow(chatbot, merchant), s.rateLimited(), s.handleSearch())
	v1.POST("/triage", s.allow(chatbot, merchant), s.rateLimited(), s.handleTriage())

	v1.POST("/assistants", s.allow(merchant), s.handleCreateAssistant())
	v1.GET("/assistants", s.allow(merchant), s.handleListAssistants())
	v1.GET("/assistants/:id", s.allow(merchant), s.handleGetAssistant())
	v1.PUT("/assistants/:id", s.allow(merchant), s.handleUpdateAssistant())
	v1.DELETE("/assistants/:id", s.allow(merchant), s.handleDeleteAssistant())

	v1.GET("/intents", s.allow(merchant), s.handleListIntents())
	v1.POST("/intents", s.allow(merchant), s.handleCreateIntent())
	v1.DELETE("/intents/:name", s.allow(merchant), s.handleDeleteIntent())

	v1.GET("/events", s.allow(merchant), s.handleListEvents())
	v1.POST("/webhooks", s.allow(merchant), s.handleCreateWebhook())
	v1.GET("/webhooks", s.allow(merchant), s.handleListWebhooks())
	v1.DELETE("/webhooks/:id", s.allow(merchant), s.handleDeleteWebhook())
	v1.GET("/webhooks/:id/deliveries", s.allow(merchant), s.handleListDeliveries())

	v1.GET("/stats", s.allow(merchant), s.handleStats())

	v1.POST("/answers/:id/feedback", s.allow(chatbot, merchant), s.handleAnswerFeedback())
	v1.GET("/answers/:id", s.allow(merchant), s.handleGetAnswer())
	v1.DELETE("/answers/:id", s.allow(merchant), s.handleDeleteAnswer())
	v1.GET("/insights", s.allow(merchant), s.handleInsights())
	v1.DELETE("/insights/log", s.allow(merchant), s.handleDeleteInsightsLog())
	v1.POST("/insights/topics/:id/apply", s.allow(merchant), s.handleApplyTopic())
}
