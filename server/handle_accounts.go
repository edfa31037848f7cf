package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

// AccountService connects and removes accounts (accounts.Service).
type AccountService interface {
	Connect(ctx context.Context, tenantID string, req ragkb.ConnectRequest) (*ragkb.Account, error)
	Delete(ctx context.Context, tenantID, id string, force bool) error
}

// accountView is an account as the API shows it: no secrets, plus the
// resources that read through it.
type accountView struct {
	*ragkb.Account
	ResourceIDs []string `json:"resource_ids"`
}

// accountUsers maps account ids to the ids of the tenant's resources using them.
func (s *Server) accountUsers(c *gin.Context, accountID string) (map[string][]string, error) {
	rs, err := s.d.Store.ListResources(c.Request.Context(), ragkb.ResourceFilter{TenantID: tenantOf(c), AccountID: accountID})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range rs {
		if id := r.AccountID(); id != "" {
			out[id] = append(out[id], r.ID)
		}
	}
	return out, nil
}

func presentAccount(a *ragkb.Account, users map[string][]string) accountView {
	ids := users[a.ID]
	if ids == nil {
		ids = []string{}
	}
	return accountView{Account: a.Public(), ResourceIDs: ids}
}

func (s *Server) accountsConfigured(c *gin.Context) bool {
	if s.d.Accounts == nil {
		writeError(c, s.log, ragkb.Errorf(ragkb.EUNAVAILABLE, "Connected accounts are not configured on this server"))
		return false
	}
	return true
}

func (s *Server) handleCreateAccount() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !s.accountsConfigured(c) {
			return
		}
		var req ragkb.ConnectRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		a, err := s.d.Accounts.Connect(c.Request.Context(), tenantOf(c), req)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		c.Header("Location", "/v1/accounts/"+a.ID)
		c.JSON(http.StatusCreated, presentAccount(a, nil))
	}
}

func (s *Server) handleListAccounts() gin.HandlerFunc {
	return func(c *gin.Context) {
		f := ragkb.AccountFilter{TenantID: tenantOf(c), Type: ragkb.AccountType(c.Query("type"))}
		switch st := ragkb.AccountStatus(c.Query("status")); st {
		case "", ragkb.AccountPending, ragkb.AccountConnected, ragkb.AccountExpired, ragkb.AccountFailed:
			f.Status = st
		default:
			writeError(c, s.log, ragkb.Invalid("status", "must be pending, connected, expired or failed"))
			return
		}
		switch f.Type {
		case "", ragkb.AccountAllegro, ragkb.AccountShopify, ragkb.AccountWooCommerce:
		default:
			writeError(c, s.log, ragkb.Invalid("type", "must be allegro, shopify or woocommerce"))
			return
		}
		as, err := s.d.Store.ListAccounts(c.Request.Context(), f)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		users, err := s.accountUsers(c, "")
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		out := make([]accountView, 0, len(as))
		for _, a := range as {
			out = append(out, presentAccount(a, users))
		}
		c.JSON(http.StatusOK, gin.H{"accounts": out})
	}
}

func (s *Server) handleGetAccount() gin.HandlerFunc {
	return func(c *gin.Context) {
		a, err := s.d.Store.GetAccount(c.Request.Context(), tenantOf(c), c.Param("id"))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		users, err := s.accountUsers(c, a.ID)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusOK, presentAccount(a, users))
	}
}

func (s *Server) handleDeleteAccount() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !s.accountsConfigured(c) {
			return
		}
		force := false
		if v := c.Query("force"); v != "" {
			var err error
			if force, err = strconv.ParseBool(v); err != nil {
				writeError(c, s.log, ragkb.Invalid("force", "must be true or false"))
				return
			}
		}
		if err := s.d.Accounts.Delete(c.Request.Context(), tenantOf(c), c.Param("id"), force); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

// checkAccount makes sure an offers resource naming an account_id names one
// of the caller's tenant of the offers' source. Another tenant's account is
// "not found", like any other object.
func (s *Server) checkAccount(c *gin.Context, r *ragkb.Resource) error {
	id := r.AccountID()
	if id == "" {
		return nil
	}
	a, err := s.d.Store.GetAccount(c.Request.Context(), r.TenantID, id)
	if ragkb.IsNotFound(err) {
		return ragkb.Invalid("offers.account_id", "no connected account %s: see GET /v1/accounts", id)
	}
	if err != nil {
		return err
	}
	if r.Offers != nil && string(a.Type) != r.Offers.Source {
		return ragkb.Invalid("offers.account_id", "account %s is a %s account, but offers.source is %q", id, a.Type, r.Offers.Source)
	}
	return nil
}
