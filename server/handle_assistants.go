package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

type assistantRequest struct {
	Name            string   `json:"name"`
	ResourceIDs     []string `json:"resource_ids"`
	FallbackMessage string   `json:"fallback_message"`
	AgentMessage    string   `json:"agent_message"`
	AutoClose       *bool    `json:"auto_close"`
	PremiumIntents  []string `json:"premium_intents"`
	Language        string   `json:"language"`
	Translate       bool     `json:"translate"`
	// Triage is the assistant's triage rules and topic map (see answer/triage).
	Triage *ragkb.TriageConfig `json:"triage"`
	// Per-language messages and agent opt-outs (issue 9).
	FallbackMessages map[string]string `json:"fallback_messages"`
	AgentMessages    map[string]string `json:"agent_messages"`
	AgentOptOut      []string          `json:"agent_opt_out"`
}

// agentOptOuts are the topics an assistant may answer itself instead of
// passing them to an agent.
var agentOptOuts = []string{"complaint", "order_status"}

// validMessages checks per-language messages: ISO 639-1 keys, bounded texts.
func validMessages(field string, m map[string]string) error {
	if len(m) > 50 {
		return ragkb.Invalid(field, "must hold at most 50 languages")
	}
	for k, v := range m {
		switch {
		case !ragkb.ValidLanguage(k):
			return ragkb.Invalid(field, "%q is not an ISO 639-1 code such as \"pl\"", k)
		case strings.TrimSpace(v) == "":
			return ragkb.Invalid(field+"."+k, "must not be empty")
		case utf8.RuneCountInString(v) > 2000:
			return ragkb.Invalid(field+"."+k, "must be at most 2000 characters")
		}
	}
	return nil
}

func (s *Server) validateAssistant(c *gin.Context, req *assistantRequest, a *ragkb.Assistant) error {
	name := strings.TrimSpace(req.Name)
	switch {
	case name == "":
		return ragkb.Invalid("name", "is required")
	case utf8.RuneCountInString(name) > 200:
		return ragkb.Invalid("name", "must be at most 200 characters")
	case utf8.RuneCountInString(req.FallbackMessage) > 2000:
		return ragkb.Invalid("fallback_message", "must be at most 2000 characters")
	case utf8.RuneCountInString(req.AgentMessage) > 2000:
		return ragkb.Invalid("agent_message", "must be at most 2000 characters")
	case req.Language != "" && !ragkb.ValidLanguage(req.Language):
		return ragkb.Invalid("language", "must be an ISO 639-1 code such as \"it\"")
	case len(req.PremiumIntents) > 100:
		return ragkb.Invalid("premium_intents", "must list at most 100 intents")
	}
	if len(req.ResourceIDs) > 0 {
		rs, err := s.d.Store.ListResources(c.Request.Context(), ragkb.ResourceFilter{TenantID: tenantOf(c)})
		if err != nil {
			return err
		}
		known := map[string]bool{}
		for _, r := range rs {
			known[r.ID] = true
		}
		for i, id := range req.ResourceIDs {
			if !known[id] {
				return ragkb.Invalid(fmt.Sprintf("resource_ids[%d]", i), "no resource %q in this account", id)
			}
		}
	}
	if err := validMessages("fallback_messages", req.FallbackMessages); err != nil {
		return err
	}
	if err := validMessages("agent_messages", req.AgentMessages); err != nil {
		return err
	}
	for i, o := range req.AgentOptOut {
		if !slices.Contains(agentOptOuts, o) {
			return ragkb.Invalid(fmt.Sprintf("agent_opt_out[%d]", i), "must be one of %s", strings.Join(agentOptOuts, ", "))
		}
	}
	a.FallbackMessages, a.AgentMessages, a.AgentOptOut = req.FallbackMessages, req.AgentMessages, req.AgentOptOut
	for i, in := range req.PremiumIntents {
		if !intentName.MatchString(in) {
			return ragkb.Invalid(fmt.Sprintf("premium_intents[%d]", i), "%q is not an intent name", in)
		}
	}
	if req.Triage != nil {
		if s.d.ValidateTriage == nil {
			return ragkb.Invalid("triage", "triage rules are not supported by this server")
		}
		if err := s.d.ValidateTriage(req.Triage, "triage"); err != nil {
			return err
		}
	}
	a.Triage = req.Triage
	a.Name, a.FallbackMessage, a.AgentMessage, a.Language = name, req.FallbackMessage, req.AgentMessage, req.Language
	a.ResourceIDs = nonNil(req.ResourceIDs)
	a.PremiumIntents = nonNil(req.PremiumIntents)
	a.AutoClose = req.AutoClose == nil || *req.AutoClose
	a.Translate = req.Translate
	return nil
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func (s *Server) handleCreateAssistant() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req assistantRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		now := s.d.Now().UTC()
		a := &ragkb.Assistant{ID: ragkb.NewID("asst"), TenantID: tenantOf(c), CreatedAt: now, UpdatedAt: now}
		if err := s.validateAssistant(c, &req, a); err != nil {
			writeError(c, s.log, err)
			return
		}
		if err := s.d.Store.CreateAssistant(c.Request.Context(), a); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusCreated, a)
	}
}

func (s *Server) handleListAssistants() gin.HandlerFunc {
	return func(c *gin.Context) {
		as, err := s.d.Store.ListAssistants(c.Request.Context(), tenantOf(c))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		if as == nil {
			as = []*ragkb.Assistant{}
		}
		c.JSON(http.StatusOK, gin.H{"assistants": as})
	}
}

func (s *Server) handleGetAssistant() gin.HandlerFunc {
	return func(c *gin.Context) {
		a, err := s.d.Store.GetAssistant(c.Request.Context(), tenantOf(c), c.Param("id"))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusOK, a)
	}
}

func (s *Server) handleUpdateAssistant() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		a, err := s.d.Store.GetAssistant(ctx, tenantOf(c), c.Param("id"))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		var req assistantRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		if err := s.validateAssistant(c, &req, a); err != nil {
			writeError(c, s.log, err)
			return
		}
		a.UpdatedAt = s.d.Now().UTC()
		if err := s.d.Store.UpdateAssistant(ctx, a); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusOK, a)
	}
}

func (s *Server) handleDeleteAssistant() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := s.d.Store.DeleteAssistant(c.Request.Context(), tenantOf(c), c.Param("id")); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}
