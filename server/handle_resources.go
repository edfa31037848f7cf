package server

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

// resourceRequest is the body of POST and PUT /v1/resources.
type resourceRequest struct {
	Name          string               `json:"name"`
	Type          ragkb.ResourceType   `json:"type"`
	Language      string               `json:"language"`
	KnowledgeBase *ragkb.KnowledgeBase `json:"knowledge_base"`
	FAQPage       *ragkb.FAQPageSpec   `json:"faq_page"`
	Policy        *ragkb.PolicySpec    `json:"policy"`
	Offers        *ragkb.OffersSpec    `json:"offers"`
	Orders        *ragkb.OrdersSpec    `json:"orders"`
}

var resourceTypes = []ragkb.ResourceType{ragkb.TypeKnowledgeBase, ragkb.TypeFAQPage, ragkb.TypePolicy, ragkb.TypeOffers, ragkb.TypeOrders}

// validate checks the common fields and that exactly the type's own spec is given.
func (s *Server) validateResource(req *resourceRequest, r *ragkb.Resource) error {
	name := strings.TrimSpace(req.Name)
	switch {
	case name == "":
		return ragkb.Invalid("name", "is required")
	case utf8.RuneCountInString(name) > 200:
		return ragkb.Invalid("name", "must be at most 200 characters")
	case req.Type == "":
		return ragkb.Invalid("type", "is required: one of knowledge_base, faq_page, policy, offers, orders")
	}
	known := false
	for _, t := range resourceTypes {
		known = known || req.Type == t
	}
	if !known {
		return ragkb.Invalid("type", "%q is not a resource type: use knowledge_base, faq_page, policy, offers or orders", req.Type)
	}
	if req.Language != "" && !ragkb.ValidLanguage(req.Language) {
		return ragkb.Invalid("language", "must be an ISO 639-1 code such as \"it\"")
	}
	specs := map[ragkb.ResourceType]bool{
		ragkb.TypeKnowledgeBase: req.KnowledgeBase != nil, ragkb.TypeFAQPage: req.FAQPage != nil,
		ragkb.TypePolicy: req.Policy != nil, ragkb.TypeOffers: req.Offers != nil, ragkb.TypeOrders: req.Orders != nil,
	}
	if !specs[req.Type] {
		return ragkb.Invalid(string(req.Type), "is required for a %s resource", req.Type)
	}
	for t, given := range specs {
		if given && t != req.Type {
			return ragkb.Invalid(string(t), "is only allowed for a %s resource, not %s", t, req.Type)
		}
	}
	r.Name, r.Type, r.Language = name, req.Type, req.Language
	r.KnowledgeBase, r.FAQPage, r.Policy, r.Offers = req.KnowledgeBase, req.FAQPage, req.Policy, req.Offers
	r.Orders = req.Orders
	if s.d.ValidateSpec != nil {
		if err := s.d.ValidateSpec(r); err != nil {
			return err
		}
	}
	return nil
}

// hasSource reports whether a resource is fetched from a URL (and so can be refreshed).
func hasSource(r *ragkb.Resource) bool {
	switch r.Type {
	case ragkb.TypeFAQPage, ragkb.TypeOffers:
		return true
	case ragkb.TypePolicy:
		return r.Policy != nil && r.Policy.URL != ""
	}
	return false
}

// jobKind is kind, or ragkb.JobConfirmed when the merchant sent
// ?confirm=true: a source that ended early or lost more than half of its
// documents is then indexed as it was read (otherwise such a run fails and
// deletes nothing).
func jobKind(c *gin.Context, kind ragkb.JobKind) (ragkb.JobKind, error) {
	switch strings.ToLower(c.Query("confirm")) {
	case "", "false", "0":
		return kind, nil
	case "true", "1":
		return ragkb.JobConfirmed, nil
	}
	return "", ragkb.Invalid("confirm", "must be true or false")
}

func (s *Server) newJob(r *ragkb.Resource, kind ragkb.JobKind) *ragkb.Job {
	return &ragkb.Job{ID: ragkb.NewID("job"), TenantID: r.TenantID, ResourceID: r.ID, Kind: kind, CreatedAt: s.d.Now().UTC()}
}

// present is what the API shows of a resource: no secrets, and no tenant id
// (callers other than admins only ever see their own tenant's).
func (s *Server) present(r *ragkb.Resource) *ragkb.Resource {
	p := r.Public()
	p.TenantID = ""
	if hasSource(r) && s.d.NextRefresh != nil {
		t := s.d.NextRefresh(s.d.Now()).UTC()
		p.NextRefreshAt = &t
	}
	return p
}

func (s *Server) handleCreateResource() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req resourceRequest
		if err := decodeResource(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		now := s.d.Now().UTC()
		r := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: tenantOf(c), Status: ragkb.StatusProcessing, CreatedAt: now, UpdatedAt: now}
		if err := s.validateResource(&req, r); err != nil {
			writeError(c, s.log, err)
			return
		}
		if err := s.checkAccount(c, r); err != nil {
			writeError(c, s.log, err)
			return
		}
		if err := s.d.Store.CreateResource(c.Request.Context(), r, s.newJob(r, ragkb.JobIndex)); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.Header("Location", "/v1/resources/"+r.ID)
		c.JSON(http.StatusAccepted, s.present(r))
	}
}

func (s *Server) handleListResources() gin.HandlerFunc {
	return func(c *gin.Context) {
		f := ragkb.ResourceFilter{TenantID: tenantOf(c)}
		if err := statusFilter(c, &f); err != nil {
			writeError(c, s.log, err)
			return
		}
		s.listResources(c, f)
	}
}

func (s *Server) handleAdminResources() gin.HandlerFunc {
	return func(c *gin.Context) {
		f := ragkb.ResourceFilter{TenantID: c.Query("tenant_id")}
		if err := statusFilter(c, &f); err != nil {
			writeError(c, s.log, err)
			return
		}
		s.listResources(c, f)
	}
}

func statusFilter(c *gin.Context, f *ragkb.ResourceFilter) error {
	switch st := ragkb.ResourceStatus(c.Query("status")); st {
	case "", ragkb.StatusProcessing, ragkb.StatusSuccess, ragkb.StatusFailed:
		f.Status = st
	default:
		return ragkb.Invalid("status", "must be processing, success or failed")
	}
	if t := ragkb.ResourceType(c.Query("type")); t != "" {
		if !slices.Contains(resourceTypes, t) {
			return ragkb.Invalid("type", "must be knowledge_base, faq_page, policy or offers")
		}
		f.Types = []ragkb.ResourceType{t}
	}
	return nil
}

func (s *Server) listResources(c *gin.Context, f ragkb.ResourceFilter) {
	rs, err := s.d.Store.ListResources(c.Request.Context(), f)
	if err != nil {
		writeError(c, s.log, err)
		return
	}
	out := make([]*ragkb.Resource, 0, len(rs))
	for _, r := range rs {
		p := s.present(r)
		if key(c).Role == ragkb.RoleAdmin {
			p.TenantID = r.TenantID
		}
		out = append(out, p)
	}
	c.JSON(http.StatusOK, gin.H{"resources": out})
}

// resource loads the resource named in the path, scoped to the caller's
// tenant (admins see every tenant's).
func (s *Server) resource(c *gin.Context) (*ragkb.Resource, bool) {
	tenant := tenantOf(c)
	if key(c).Role == ragkb.RoleAdmin {
		tenant = ""
	}
	r, err := s.d.Store.GetResource(c.Request.Context(), tenant, c.Param("id"))
	if err != nil {
		writeError(c, s.log, err)
		return nil, false
	}
	return r, true
}

func (s *Server) handleGetResource() gin.HandlerFunc {
	return func(c *gin.Context) {
		if r, ok := s.resource(c); ok {
			p := s.present(r)
			if key(c).Role == ragkb.RoleAdmin {
				p.TenantID = r.TenantID
			}
			c.JSON(http.StatusOK, p)
		}
	}
}

func (s *Server) handleUpdateResource() gin.HandlerFunc {
	return func(c *gin.Context) {
		r, ok := s.resource(c)
		if !ok {
			return
		}
		kind, err := jobKind(c, ragkb.JobIndex)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		var req resourceRequest
		if err := decodeResource(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		if req.Type == "" {
			req.Type = r.Type
		}
		if req.Type != r.Type {
			writeError(c, s.log, ragkb.Invalid("type", "cannot change from %s to %s: create a new resource", r.Type, req.Type))
			return
		}
		// A secret left out of an update keeps its stored value, but only
		// while it goes to the same place: a token is never sent to a host
		// (or source) other than the one the merchant gave it for.
		if req.Offers != nil && r.Offers != nil && req.Offers.AccountID == "" && (req.Offers.Token == "" || req.Offers.Token == "********") {
			req.Offers.Token = ""
			if sameDestination(req.Offers, r.Offers) {
				req.Offers.Token = r.Offers.Token
			}
		}
		if req.Orders != nil && r.Orders != nil && (req.Orders.Token == "" || req.Orders.Token == "********") {
			req.Orders.Token = ""
			if sameDestination(&ragkb.OffersSpec{Source: req.Orders.Source, URL: req.Orders.URL}, &ragkb.OffersSpec{Source: r.Orders.Source, URL: r.Orders.URL}) {
				req.Orders.Token = r.Orders.Token
			}
		}
		next := *r
		if err := s.validateResource(&req, &next); err != nil {
			writeError(c, s.log, err)
			return
		}
		if err := s.checkAccount(c, &next); err != nil {
			writeError(c, s.log, err)
			return
		}
		now := s.d.Now().UTC()
		// An offers update that changes nothing is a refresh in disguise:
		// it obeys (and counts against) the once-a-month manual refresh.
		if r.Type == ragkb.TypeOffers && sameContent(r, &next) {
			if !s.manualRefreshAllowed(c, r, now) {
				return
			}
			avail := s.d.ManualRefreshEvery(now).UTC()
			next.LastManualRefreshAt, next.RefreshAvailableAt = &now, &avail
		}
		next.Status, next.Error, next.Warnings, next.Attempts = ragkb.StatusProcessing, "", nil, 0
		next.UpdatedAt = now
		if err := s.d.Store.UpdateResource(c.Request.Context(), &next, s.newJob(&next, kind)); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusAccepted, s.present(&next))
	}
}

func (s *Server) handleDeleteResource() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if err := s.d.Store.DeleteResource(ctx, tenantOf(c), c.Param("id")); err != nil {
			writeError(c, s.log, err)
			return
		}
		if err := s.d.Vectors.DeleteResource(ctx, tenantOf(c), c.Param("id")); err != nil {
			// The chunks are gone from the store, so these vectors can no
			// longer be returned; log and carry on.
			s.log.Warn("delete resource vectors", "resource_id", c.Param("id"), "err", err)
		}
		c.Status(http.StatusNoContent)
	}
}

func (s *Server) handleRetryResource() gin.HandlerFunc {
	return func(c *gin.Context) {
		r, ok := s.resource(c)
		if !ok {
			return
		}
		kind, err := jobKind(c, ragkb.JobIndex)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		if r.Status != ragkb.StatusFailed {
			writeError(c, s.log, ragkb.Errorf(ragkb.ECONFLICT, "only a failed resource can be retried; this one is %s", r.Status))
			return
		}
		r.Status, r.Error, r.Attempts, r.UpdatedAt = ragkb.StatusProcessing, "", 0, s.d.Now().UTC()
		if err := s.d.Store.UpdateResource(c.Request.Context(), r, s.newJob(r, kind)); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusAccepted, s.present(r))
	}
}

func (s *Server) handleRefreshResource() gin.HandlerFunc {
	return func(c *gin.Context) {
		r, ok := s.resource(c)
		if !ok {
			return
		}
		kind, err := jobKind(c, ragkb.JobRefresh)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		if !hasSource(r) {
			writeError(c, s.log, ragkb.Errorf(ragkb.ECONFLICT, "this %s resource has no source URL to fetch again; update it with PUT instead", r.Type))
			return
		}
		now := s.d.Now().UTC()
		// The monthly limit comes first: a second refresh right after the
		// first is "too many requests", whether or not the first still runs.
		if r.Type == ragkb.TypeOffers && !s.manualRefreshAllowed(c, r, now) {
			return
		}
		if r.Status == ragkb.StatusProcessing {
			writeError(c, s.log, ragkb.Errorf(ragkb.ECONFLICT, "this resource is already being indexed"))
			return
		}
		if r.Type == ragkb.TypeOffers {
			avail := s.d.ManualRefreshEvery(now).UTC()
			r.LastManualRefreshAt, r.RefreshAvailableAt = &now, &avail
		}
		r.Status, r.Error, r.Attempts, r.UpdatedAt = ragkb.StatusProcessing, "", 0, now
		if err := s.d.Store.UpdateResource(c.Request.Context(), r, s.newJob(r, kind)); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusAccepted, s.present(r))
	}
}

// manualRefreshAllowed answers 429 (and returns false) when the offers
// resource was refreshed by hand less than a month ago.
func (s *Server) manualRefreshAllowed(c *gin.Context, r *ragkb.Resource, now time.Time) bool {
	if r.LastManualRefreshAt == nil {
		return true
	}
	avail := s.d.ManualRefreshEvery(*r.LastManualRefreshAt).UTC()
	if !now.Before(avail) {
		return true
	}
	c.Set(ctxRefreshAvailable, avail)
	writeError(c, s.log, &ragkb.Error{Code: ragkb.ERATELIMITED, RetryAfter: avail.Sub(now),
		Message: fmt.Sprintf("offers can be refreshed by hand once a month; the next refresh is available at %s (an update that changes nothing counts as a refresh)", avail.Format(time.RFC3339))})
	return false
}

// sameDestination reports whether an offers spec still points where the
// stored one did: same source, scheme and host.
func sameDestination(a, b *ragkb.OffersSpec) bool {
	if a.Source != b.Source {
		return false
	}
	ua, errA := url.Parse(strings.TrimSpace(a.URL))
	ub, errB := url.Parse(strings.TrimSpace(b.URL))
	if errA != nil || errB != nil {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}

// sameContent reports whether an update leaves what is indexed unchanged.
func sameContent(a, b *ragkb.Resource) bool {
	return a.Name == b.Name && a.Language == b.Language && reflect.DeepEqual(a.Offers, b.Offers) &&
		reflect.DeepEqual(a.KnowledgeBase, b.KnowledgeBase) && reflect.DeepEqual(a.FAQPage, b.FAQPage) &&
		reflect.DeepEqual(a.Policy, b.Policy) && reflect.DeepEqual(a.Orders, b.Orders)
}
