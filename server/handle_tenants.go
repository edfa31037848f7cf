package server

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

type createTenantRequest struct {
	Name string `json:"name"`
}

func (s *Server) handleCreateTenant() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createTenantRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		name := strings.TrimSpace(req.Name)
		if name == "" || utf8.RuneCountInString(name) > 200 {
			writeError(c, s.log, ragkb.Invalid("name", "is required (1 to 200 characters)"))
			return
		}
		t := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: name, CreatedAt: s.d.Now().UTC()}
		if err := s.d.Store.CreateTenant(c.Request.Context(), t); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusCreated, t)
	}
}

func (s *Server) handleListTenants() gin.HandlerFunc {
	return func(c *gin.Context) {
		ts, err := s.d.Store.ListTenants(c.Request.Context())
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		if ts == nil {
			ts = []*ragkb.Tenant{}
		}
		c.JSON(http.StatusOK, gin.H{"tenants": ts})
	}
}

type createKeyRequest struct {
	Role ragkb.Role `json:"role"`
}

type createKeyResponse struct {
	ID       string     `json:"id"`
	Key      string     `json:"key"`
	Role     ragkb.Role `json:"role"`
	TenantID string     `json:"tenant_id"`
}

func (s *Server) handleCreateKey() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createKeyRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		if req.Role != ragkb.RoleMerchant && req.Role != ragkb.RoleChatbot {
			writeError(c, s.log, ragkb.Invalid("role", "must be \"merchant\" or \"chatbot\""))
			return
		}
		ctx := c.Request.Context()
		t, err := s.d.Store.GetTenant(ctx, c.Param("tenant_id"))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		secret := NewKeySecret(req.Role)
		k := &ragkb.APIKey{ID: ragkb.NewID("key"), TenantID: t.ID, Role: req.Role, Hash: HashKey(secret), Prefix: secret[:8], CreatedAt: s.d.Now().UTC()}
		if err := s.d.Store.CreateAPIKey(ctx, k); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusCreated, createKeyResponse{ID: k.ID, Key: secret, Role: k.Role, TenantID: t.ID})
	}
}
