package server

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

var intentName = regexp.MustCompile(`^[a-z0-9][a-z0-9_:.-]{0,63}$`)

// MaxIntentsPerTenant bounds a tenant's own intents (each is a class of its
// intent classifier).
const MaxIntentsPerTenant = 200

var intentTiers = []string{"fast", "grounded", "premium", "agent"}

func (s *Server) handleListIntents() gin.HandlerFunc {
	return func(c *gin.Context) {
		defs, err := s.d.Store.ListIntents(c.Request.Context(), tenantOf(c))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		out := make([]*ragkb.IntentDef, 0, len(s.d.BuiltinIntents)+len(defs))
		for _, n := range s.d.BuiltinIntents {
			if hasIntent(defs, n) {
				// The account's own intent of that name, created before the
				// built-in existed, is the one that applies: list it once.
				continue
			}
			tier := "grounded"
			if n == "human_agent" {
				tier = "agent"
			}
			d := &ragkb.IntentDef{Name: n, Builtin: true, Tier: tier, Examples: []string{}}
			if s.d.DescribeIntent != nil {
				d.Description = s.d.DescribeIntent(n)
			}
			out = append(out, d)
		}
		for _, d := range defs {
			d.TenantID = ""
			out = append(out, d)
		}
		c.JSON(http.StatusOK, gin.H{"intents": out})
	}
}

type intentRequest struct {
	Name     string   `json:"name"`
	Examples []string `json:"examples"`
	Tier     string   `json:"tier"`
}

func (s *Server) handleCreateIntent() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req intentRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		req.Name = strings.TrimSpace(req.Name)
		if req.Tier == "" {
			req.Tier = "grounded"
		}
		switch {
		case req.Name == "":
			writeError(c, s.log, ragkb.Invalid("name", "is required"))
			return
		case !intentName.MatchString(req.Name) || strings.HasPrefix(req.Name, "custom:"):
			writeError(c, s.log, ragkb.Invalid("name", "must be lower-case letters, digits and _ (at most 64), e.g. \"gift_wrapping\""))
			return
		case !slices.Contains(intentTiers, req.Tier):
			writeError(c, s.log, ragkb.Invalid("tier", "must be fast, grounded, premium or agent"))
			return
		case len(req.Examples) == 0:
			writeError(c, s.log, ragkb.Invalid("examples", "needs at least one example question"))
			return
		case len(req.Examples) > 500:
			writeError(c, s.log, ragkb.Invalid("examples", "must have at most 500 examples"))
			return
		}
		var ex []string
		for i, e := range req.Examples {
			e = strings.TrimSpace(e)
			if e == "" || utf8.RuneCountInString(e) > 500 {
				writeError(c, s.log, ragkb.Invalid(fmt.Sprintf("examples[%d]", i), "must be 1 to 500 characters"))
				return
			}
			ex = append(ex, e)
		}
		defs, err := s.d.Store.ListIntents(c.Request.Context(), tenantOf(c))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		if (slices.Contains(s.d.BuiltinIntents, req.Name) || req.Name == "out_of_scope") && !hasIntent(defs, req.Name) {
			// An account that created an intent of this name before it
			// became a built-in can still update it.
			writeError(c, s.log, ragkb.Invalid("name", "%q is a built-in intent; choose another name", req.Name))
			return
		}
		if len(defs) >= MaxIntentsPerTenant && !hasIntent(defs, req.Name) {
			writeError(c, s.log, ragkb.Errorf(ragkb.ECONFLICT, "an account can have at most %d intents of its own; delete one first (custom questions in a knowledge base are not limited)", MaxIntentsPerTenant))
			return
		}
		d := &ragkb.IntentDef{ID: ragkb.NewID("int"), TenantID: tenantOf(c), Name: req.Name, Examples: ex, Tier: req.Tier, CreatedAt: s.d.Now().UTC()}
		if err := s.d.Store.CreateIntent(c.Request.Context(), d); err != nil {
			writeError(c, s.log, err)
			return
		}
		d.TenantID = ""
		c.JSON(http.StatusCreated, d)
	}
}

// hasIntent reports whether defs hold an intent named name.
func hasIntent(defs []*ragkb.IntentDef, name string) bool {
	return slices.ContainsFunc(defs, func(d *ragkb.IntentDef) bool { return d.Name == name })
}

func (s *Server) handleDeleteIntent() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := s.d.Store.DeleteIntent(c.Request.Context(), tenantOf(c), c.Param("name")); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}
