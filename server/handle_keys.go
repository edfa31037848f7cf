package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

// keyView is what the API shows of a key: never the secret or its hash.
type keyView struct {
	ID         string     `json:"id"`
	Prefix     string     `json:"prefix"`
	Role       ragkb.Role `json:"role"`
	CreatedAt  string     `json:"created_at"`
	LastUsedAt string     `json:"last_used_at,omitempty"`
}

func viewKey(k *ragkb.APIKey) keyView {
	v := keyView{ID: k.ID, Prefix: k.Prefix, Role: k.Role, CreatedAt: k.CreatedAt.UTC().Format(timeFormat)}
	if k.LastUsedAt != nil {
		v.LastUsedAt = k.LastUsedAt.UTC().Format(timeFormat)
	}
	return v
}

const timeFormat = "2006-01-02T15:04:05.999999999Z07:00"

// pathTenant loads the tenant named in the path (404 if none).
func (s *Server) pathTenant(c *gin.Context) (*ragkb.Tenant, bool) {
	t, err := s.d.Store.GetTenant(c.Request.Context(), c.Param("tenant_id"))
	if err != nil {
		writeError(c, s.log, err)
		return nil, false
	}
	return t, true
}

// handleListKeys lists a tenant's keys (admin).
func (s *Server) handleListKeys() gin.HandlerFunc {
	return func(c *gin.Context) {
		t, ok := s.pathTenant(c)
		if !ok {
			return
		}
		ks, err := s.d.Store.ListAPIKeys(c.Request.Context(), t.ID)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		out := make([]keyView, 0, len(ks))
		for _, k := range ks {
			out = append(out, viewKey(k))
		}
		c.JSON(http.StatusOK, gin.H{"keys": out})
	}
}

// handleDeleteKey revokes a tenant's key (admin); it is refused at once,
// since every request looks its key up in the store.
func (s *Server) handleDeleteKey() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		t, ok := s.pathTenant(c)
		if !ok {
			return
		}
		if err := s.d.Store.DeleteAPIKey(ctx, t.ID, c.Param("key_id")); err != nil {
			writeError(c, s.log, err)
			return
		}
		s.limiters.forget(c.Param("key_id"))
		s.log.InfoContext(ctx, "api key revoked", "tenant_id", t.ID, "key_id", c.Param("key_id"))
		c.Status(http.StatusNoContent)
	}
}
