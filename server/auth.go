package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

const (
	ctxKey              = "ragkb.key"
	ctxRequestID        = "ragkb.request_id"
	ctxRefreshAvailable = "ragkb.refresh_available_at"
)

// HashKey returns the stored form of an API key secret.
func HashKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewKeySecret returns a new API key secret: "rk_<role>_" + 32 random bytes hex.
func NewKeySecret(role ragkb.Role) string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("server: crypto/rand failed: " + err.Error())
	}
	return "rk_" + string(role)[:1] + "_" + hex.EncodeToString(b[:])
}

// authenticate resolves the bearer key; without a valid key the request ends with 401.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		scheme, secret, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			writeError(c, s.log, &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Field: "Authorization", Message: "send an API key as \"Authorization: Bearer <key>\""})
			return
		}
		k, err := s.d.Store.GetAPIKeyByHash(c.Request.Context(), HashKey(strings.TrimSpace(secret)))
		if err != nil {
			if ragkb.IsNotFound(err) {
				writeError(c, s.log, &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Field: "Authorization", Message: "the API key is not valid"})
				return
			}
			writeError(c, s.log, err)
			return
		}
		s.touch(c, k)
		c.Set(ctxKey, k)
		c.Next()
	}
}

// allow lets the request through only for the given roles (403 otherwise).
func (s *Server) allow(roles ...ragkb.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		k := key(c)
		for _, r := range roles {
			if k.Role == r {
				c.Next()
				return
			}
		}
		names := make([]string, len(roles))
		for i, r := range roles {
			names[i] = string(r)
		}
		writeError(c, s.log, ragkb.Errorf(ragkb.EFORBIDDEN, "this endpoint needs a %s key; the key you sent is a %s key", strings.Join(names, " or "), k.Role))
	}
}

func key(c *gin.Context) *ragkb.APIKey {
	v, _ := c.Get(ctxKey)
	k, _ := v.(*ragkb.APIKey)
	if k == nil {
		return &ragkb.APIKey{}
	}
	return k
}

// tenantOf is the tenant the request acts for: the key's own tenant.
func tenantOf(c *gin.Context) string { return key(c).TenantID }

// touchEvery is how stale a key's recorded last use may get: writing it on
// every request would turn each answer into a store write.
const touchEvery = time.Minute

// touch records the key's last use, at most once per touchEvery per process.
// A failure is logged and does not fail the request.
func (s *Server) touch(c *gin.Context, k *ragkb.APIKey) {
	now := s.d.Now().UTC()
	if k.LastUsedAt != nil && now.Sub(*k.LastUsedAt) < touchEvery {
		return
	}
	if v, ok := s.touched.Load(k.ID); ok && now.Sub(v.(time.Time)) < touchEvery {
		return
	}
	s.touched.Store(k.ID, now)
	if err := s.d.Store.TouchAPIKey(c.Request.Context(), k.ID, now); err != nil {
		s.log.WarnContext(c.Request.Context(), "record key use", "key_id", k.ID, "err", err)
		return
	}
	k.LastUsedAt = &now
}
