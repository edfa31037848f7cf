// Package allegro reads a seller's active Allegro offers through the Allegro
// REST API (https://developer.allegro.pl) into ragkb.DocOffer documents:
// the offer list (paged by offset), each offer's details, and its return
// policy, warranties and shipping rates resolved to words.
package allegro

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// API hosts.
const (
	ProductionAPI = "https://api.allegro.pl"
	SandboxAPI    = "https://api.allegro.pl.allegrosandbox.pl"
	// MediaType is the Accept value every call needs (another one gets 406).
	MediaType = "application/vnd.allegro.public.v1+json"
)

// Config configures the Allegro connector.
type Config struct {
	// Fetcher performs the API calls (its address guard, retries and
	// User-Agent apply); required.
	Fetcher *connectors.Fetcher
	// PageSize is the listing limit, 1..1000 (default 1000).
	PageSize int
	// Workers is how many offer details are read at once (default 4).
	Workers int
	// APIURL is the operator's base of the Allegro API (RAGKB_ALLEGRO_API_URL:
	// the sandbox, a proxy, a test server); default ProductionAPI. It replaces
	// the production API for every resource; a resource naming SandboxAPI
	// keeps the sandbox. Merchants can never set it.
	APIURL string
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// Validate names the first bad field.
func (c Config) Validate() error {
	if c.APIURL != "" {
		if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return ragkb.Invalid("APIURL", "must be an http(s) URL such as %s", ProductionAPI)
		}
	}
	if c.PageSize < 0 || c.PageSize > 1000 {
		return ragkb.Invalid("PageSize", "must be between 1 and 1000")
	}
	if c.Workers < 0 {
		return ragkb.Invalid("Workers", "must not be negative")
	}
	return nil
}

// Connector implements ragkb.Connector for offers with source allegro.
type Connector struct {
	f        *connectors.Fetcher
	api      string
	pageSize int
	workers  int
	log      *slog.Logger
}

// New returns an Allegro connector.
func New(cfg Config) *Connector {
	return &Connector{f: cfg.Fetcher, api: strings.TrimRight(cmp.Or(cfg.APIURL, ProductionAPI), "/"), pageSize: min(cmp.Or(cfg.PageSize, 1000), 1000),
		workers: cmp.Or(cfg.Workers, 4), log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))}
}

// Payload shapes (only the fields ragkb uses).
type (
	price struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	}
	listing struct {
		Offers []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"offers"`
		Count      int `json:"count"`
		TotalCount int `json:"totalCount"`
	}
	idRef struct {
		ID string `json:"id"`
	}
	productOffer struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description struct {
			Sections []struct {
				Items []struct {
					Type    string `json:"type"`
					Content string `json:"content"`
				} `json:"items"`
			} `json:"sections"`
		} `json:"description"`
		SellingMode struct {
			Price price `json:"price"`
		} `json:"sellingMode"`
		Stock struct {
			Available int `json:"available"`
		} `json:"stock"`
		Images     []json.RawMessage `json:"images"`
		Parameters []struct {
			ID        string   `json:"id"`
			Name      string   `json:"name"`
			Values    []string `json:"values"`
			ValuesIDs []string `json:"valuesIds"`
		} `json:"parameters"`
		AfterSalesServices struct {
			ImpliedWarranty *idRef `json:"impliedWarranty"`
			ReturnPolicy    *idRef `json:"returnPolicy"`
			Warranty        *idRef `json:"warranty"`
		} `json:"afterSalesServices"`
		Delivery struct {
			HandlingTime  string `json:"handlingTime"`
			ShippingRates *idRef `json:"shippingRates"`
		} `json:"delivery"`
		Publication struct {
			Status string `json:"status"`
		} `json:"publication"`
		External *idRef `json:"external"`
		Category *idRef `json:"category"`
	}
	returnPolicy struct {
		Name    string `json:"name"`
		Options *struct {
			FreeAccessoriesReturnRequired bool `json:"freeAccessoriesReturnRequired"`
		} `json:"options"`
		WithdrawalPeriod string `json:"withdrawalPeriod"`
		ReturnCost       *struct {
			CoveredBy string `json:"coveredBy"`
		} `json:"returnCost"`
		Availability *struct {
			Range string `json:"range"`
		} `json:"availability"`
	}
	warrantyPeriod struct {
		Period   string `json:"period"`
		Lifetime bool   `json:"lifetime"`
	}
	warranty struct {
		Name       string          `json:"name"`
		Type       string          `json:"type"`
		Individual *warrantyPeriod `json:"individual"`
		Corporate  *warrantyPeriod `json:"corporate"`
	}
	shippingRates struct {
		Name  string `json:"name"`
		Rates []struct {
			FirstItemRate price `json:"firstItemRate"`
			ShippingTime  *struct {
				From string `json:"from"`
				To   string `json:"to"`
			} `json:"shippingTime"`
		} `json:"rates"`
	}
)

// run is the state of one Fetch: the API base, token and lookups cached by id.
type run struct {
	c     *Connector
	base  string
	web   string
	token string
	words *connectors.Words // phrases in the resource's language
	mu    sync.Mutex
	cache map[string]*lookup // "kind/id" -> words
}

// Fetch lists the seller's active offers and reads each one's details.
// An offer whose details cannot be read is skipped with a warning.
func (c *Connector) Fetch(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	if r.Offers == nil {
		return nil, ragkb.Invalid("offers", "is required")
	}
	if strings.TrimSpace(r.Offers.Token) == "" {
		return nil, ragkb.Invalid("offers.token", "is required for Allegro: connect the Allegro account")
	}
	if c.f == nil {
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Fetching offers is not configured on this server")
	}
	base := c.api
	if u := strings.TrimRight(strings.TrimSpace(r.Offers.URL), "/"); u != "" && u != ProductionAPI {
		base = u // the sandbox (the API accepts no other host from a merchant)
	}
	web := "https://allegro.pl"
	if strings.Contains(base, "allegrosandbox") {
		web = "https://allegro.pl.allegrosandbox.pl"
	}
	rn := &run{c: c, base: base, web: web, token: strings.TrimSpace(r.Offers.Token), words: connectors.WordsFor(r.Language), cache: map[string]*lookup{}}
	ids, incomplete, err := rn.list(ctx)
	if err != nil {
		return nil, err
	}
	type result struct {
		doc  *ragkb.Document
		warn string
		gone bool // the offer ended: its document may leave the index
	}
	results := make([]result, len(ids))
	sem := make(chan struct{}, c.workers)
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var stopOnce sync.Once
	var stopErr error // the first fatal error; later ones are its cancellations
	for i, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			doc, err := rn.offer(ctx, id, r.Language)
			switch {
			case err == nil:
				results[i].doc = doc
			case fatal(err):
				stopOnce.Do(func() {
					stopErr = err
					cancel()
				})
			default:
				results[i].warn = fmt.Sprintf("Allegro offer %s was skipped: %s", id, ragkb.ErrorMessage(err))
				results[i].gone = ragkb.ErrorCodeOf(err) == ragkb.ENOTFOUND
			}
		}()
	}
	wg.Wait()
	if stopErr != nil {
		return nil, stopErr
	}
	res := &ragkb.FetchResult{}
	if incomplete != "" {
		res.Incomplete = append(res.Incomplete, incomplete)
	}
	for i, x := range results {
		if x.warn != "" {
			res.Warnings = append(res.Warnings, x.warn)
			res.Skipped++
			if !x.gone {
				res.Unread = append(res.Unread, ids[i])
			}
		}
		if x.doc != nil {
			res.Documents = append(res.Documents, x.doc)
		}
	}
	if err := ctx.Err(); err != nil && len(res.Documents) == 0 && len(ids) > 0 {
		return nil, fmt.Errorf("allegro: %w", err)
	}
	return res, nil
}

// fatal errors stop the run: the token or the request format is wrong, or
// Allegro keeps rate limiting.
func fatal(err error) bool {
	switch ragkb.ErrorCodeOf(err) {
	case ragkb.EUNAUTHORIZED, ragkb.EFORBIDDEN, ragkb.ERATELIMITED:
		return true
	}
	return errors.Is(err, context.Canceled) || connectors.StatusOf(err) == http.StatusNotAcceptable
}

// get calls the API and decodes the JSON answer into v.
func (rn *run) get(ctx context.Context, path string, v any) error {
	resp, err := rn.c.f.Fetch(ctx, connectors.Request{
		URL:     rn.base + path,
		Accept:  MediaType,
		Headers: http.Header{"Authorization": {"Bearer " + rn.token}},
		API:     true,
	})
	if err != nil {
		return translate(err)
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: err, Message: "Allegro sent an answer ragkb could not read"}
	}
	return nil
}

// translate turns the fetcher's HTTP errors into what the merchant must do.
func translate(err error) error {
	var re *ragkb.Error
	switch connectors.StatusOf(err) {
	case http.StatusUnauthorized:
		return &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Err: err, Message: "Allegro rejected the token (401): reconnect the account"}
	case http.StatusForbidden:
		return &ragkb.Error{Code: ragkb.EFORBIDDEN, Err: err, Message: "Allegro denied access (403): reconnect the account and allow reading offers"}
	case http.StatusNotAcceptable:
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: err, Message: "Allegro refused the request format (406 Not Acceptable); this ragkb version must be updated"}
	case http.StatusTooManyRequests:
		e := &ragkb.Error{Code: ragkb.ERATELIMITED, Err: err, Message: "Allegro is limiting requests (429); the refresh will be retried later"}
		if errors.As(err, &re) {
			e.RetryAfter = re.RetryAfter
		}
		return e
	}
	return err
}

// list returns the ids of all active offers, paging by offset.
func (rn *run) list(ctx context.Context) (ids []string, incomplete string, err error) {
	seen := map[string]bool{}
	for offset := 0; ; {
		q := url.Values{"limit": {strconv.Itoa(rn.c.pageSize)}, "offset": {strconv.Itoa(offset)},
			"publication.status": {"ACTIVE"}}
		var page listing
		if err := rn.get(ctx, "/sale/offers?"+q.Encode(), &page); err != nil {
			return nil, "", fmt.Errorf("allegro: list offers: %w", err)
		}
		for _, o := range page.Offers {
			if o.ID != "" && !seen[o.ID] {
				seen[o.ID] = true
				ids = append(ids, o.ID)
			}
		}
		offset += len(page.Offers)
		if len(page.Offers) == 0 || offset >= page.TotalCount || len(page.Offers) < rn.c.pageSize {
			if offset < page.TotalCount {
				incomplete = fmt.Sprintf("The Allegro offer list ended early: %d of the %d active offers it announced were listed", offset, page.TotalCount)
			}
			return ids, incomplete, nil
		}
	}
}

// offer reads one offer's details and resolves its after-sales services.
func (rn *run) offer(ctx context.Context, id, lang string) (*ragkb.Document, error) {
	var o productOffer
	if err := rn.get(ctx, "/sale/product-offers/"+url.PathEscape(id), &o); err != nil {
		return nil, fmt.Errorf("allegro: read offer %s: %w", id, err)
	}
	if st := o.Publication.Status; st != "" && !strings.EqualFold(st, "ACTIVE") {
		return nil, ragkb.Errorf(ragkb.ENOTFOUND, "the offer is no longer active (%s)", strings.ToLower(st))
	}
	var desc []string
	for _, s := range o.Description.Sections {
		for _, it := range s.Items {
			if strings.EqualFold(it.Type, "TEXT") {
				if t := connectors.HTMLText(it.Content); t != "" {
					desc = append(desc, t)
				}
			}
		}
	}
	off := ragkb.Offer{
		ID:       o.ID,
		Currency: o.SellingMode.Price.Currency,
		SKU:      refID(o.External),
		ImageURL: firstImage(o.Images),
	}
	off.Price, _ = connectors.NormalizePrice(o.SellingMode.Price.Amount)
	if o.Stock.Available > 0 {
		off.Availability = "in_stock"
	} else {
		off.Availability = "out_of_stock"
	}
	var details []string
	for _, p := range o.Parameters {
		if p.ID == "11323" {
			off.Condition = condition(p.ValuesIDs, p.Values)
			continue
		}
		if strings.EqualFold(p.Name, "Marka") || strings.EqualFold(p.Name, "Brand") {
			off.Brand = strings.Join(p.Values, ", ")
			continue
		}
		if p.Name != "" && len(p.Values) > 0 && len(details) < 12 {
			details = append(details, p.Name+": "+strings.Join(p.Values, ", "))
		}
	}
	var warnings []string
	resolve := func(kind, rid string, fn func(context.Context, string) (string, error)) string {
		if rid == "" {
			return ""
		}
		s, err := rn.cached(ctx, kind, rid, fn)
		if err != nil {
			warnings = append(warnings, err.Error())
		}
		return s
	}
	off.Returns = resolve("return-policy", refID(o.AfterSalesServices.ReturnPolicy), rn.returnPolicy)
	w := resolve("warranty", refID(o.AfterSalesServices.Warranty), rn.warranty)
	iw := resolve("implied-warranty", refID(o.AfterSalesServices.ImpliedWarranty), rn.impliedWarranty)
	off.Warranty = joinSentences(w, iw)
	rates := resolve("shipping-rates", refID(o.Delivery.ShippingRates), rn.shippingRates)
	off.Delivery = delivery(rn.words, rates, o.Delivery.HandlingTime)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(warnings) > 0 {
		rn.c.log.DebugContext(ctx, "allegro: after-sales lookups failed", "offer", id, "errors", warnings)
	}
	p := connectors.Product{
		SourceID:    o.ID,
		Name:        o.Name,
		URL:         rn.web + "/oferta/" + url.PathEscape(o.ID),
		Description: strings.Join(desc, "\n"),
		Language:    lang,
		Offer:       off,
		Details:     details,
	}
	return p.Document(), nil
}

// cached resolves each after-sales id once per run, even when several
// workers ask for it at the same time.
func (rn *run) cached(ctx context.Context, kind, id string, fn func(context.Context, string) (string, error)) (string, error) {
	key := kind + "/" + id
	rn.mu.Lock()
	l, ok := rn.cache[key]
	if !ok {
		l = &lookup{}
		rn.cache[key] = l
	}
	rn.mu.Unlock()
	l.once.Do(func() { l.val, l.err = fn(ctx, id) })
	return l.val, l.err
}

type lookup struct {
	once sync.Once
	val  string
	err  error
}

func (rn *run) returnPolicy(ctx context.Context, id string) (string, error) {
	var p returnPolicy
	if err := rn.get(ctx, "/after-sales-service-conditions/return-policies/"+url.PathEscape(id), &p); err != nil {
		return "", err
	}
	w := rn.words
	if p.Availability != nil && strings.EqualFold(p.Availability.Range, "DISABLED") {
		return w.NoReturns, nil
	}
	s := ""
	if d := w.DurationWithin(p.WithdrawalPeriod); d != "" {
		s = fmt.Sprintf(w.ReturnsWithin, d)
	}
	if p.ReturnCost != nil && strings.EqualFold(p.ReturnCost.CoveredBy, "SELLER") {
		s = joinWords(s, w.SellerPays)
	} else if p.ReturnCost != nil && strings.EqualFold(p.ReturnCost.CoveredBy, "BUYER") {
		s = joinWords(s, w.BuyerPays)
	}
	return s, nil
}

func periodWords(w *connectors.Words, p *warrantyPeriod) string {
	switch {
	case p == nil:
		return ""
	case p.Lifetime:
		return w.Lifetime
	}
	return w.Duration(p.Period)
}

func (rn *run) warranty(ctx context.Context, id string) (string, error) {
	var wr warranty
	if err := rn.get(ctx, "/after-sales-service-conditions/warranties/"+url.PathEscape(id), &wr); err != nil {
		return "", err
	}
	w := rn.words
	d := cmp.Or(periodWords(w, wr.Individual), periodWords(w, wr.Corporate))
	if d == "" {
		return "", nil
	}
	s := fmt.Sprintf(w.Warranty, d)
	switch strings.ToUpper(wr.Type) {
	case "MANUFACTURER":
		s += w.ManufacturerWarranty
	case "SELLER":
		s += w.SellerWarranty
	}
	return s, nil
}

func (rn *run) impliedWarranty(ctx context.Context, id string) (string, error) {
	var wr warranty
	if err := rn.get(ctx, "/after-sales-service-conditions/implied-warranties/"+url.PathEscape(id), &wr); err != nil {
		return "", err
	}
	if d := cmp.Or(periodWords(rn.words, wr.Individual), periodWords(rn.words, wr.Corporate)); d != "" {
		return fmt.Sprintf(rn.words.ImpliedWarranty, d), nil
	}
	return "", nil
}

// shippingRates returns "from 9.99 PLN" (in the resource's language).
func (rn *run) shippingRates(ctx context.Context, id string) (string, error) {
	var s shippingRates
	if err := rn.get(ctx, "/sale/shipping-rates/"+url.PathEscape(id), &s); err != nil {
		return "", err
	}
	best, cur := "", ""
	var bestVal float64
	for _, r := range s.Rates {
		p, ok := connectors.NormalizePrice(r.FirstItemRate.Amount)
		if !ok {
			continue
		}
		v, _ := strconv.ParseFloat(p, 64)
		if best == "" || v < bestVal {
			best, bestVal, cur = p, v, r.FirstItemRate.Currency
		}
	}
	if best == "" {
		return "", nil
	}
	if bestVal == 0 {
		return rn.words.FreeDelivery, nil
	}
	return fmt.Sprintf(rn.words.From, strings.TrimSpace(best+" "+cur)), nil
}

func delivery(w *connectors.Words, rates, handling string) string {
	var parts []string
	if rates != "" {
		parts = append(parts, rates)
	}
	if h := w.DurationWithin(handling); h != "" {
		parts = append(parts, fmt.Sprintf(w.ShipsWithin, h))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf(w.Delivery, strings.Join(parts, ", "))
}

// condition maps Allegro's condition parameter (11323) values.
func condition(ids, values []string) string {
	for _, id := range ids {
		switch id {
		case "11323_1":
			return "new"
		case "11323_2":
			return "used"
		}
	}
	for _, v := range values {
		if c := connectors.NormalizeCondition(v); c != "" {
			return c
		}
	}
	if len(values) > 0 {
		return strings.ToLower(values[0])
	}
	return ""
}

func refID(r *idRef) string {
	if r == nil {
		return ""
	}
	return strings.TrimSpace(r.ID)
}

// firstImage reads images given as URLs or as {"url": ...} objects.
func firstImage(imgs []json.RawMessage) string {
	for _, raw := range imgs {
		var s string
		if json.Unmarshal(raw, &s) == nil && s != "" {
			return s
		}
		var o struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(raw, &o) == nil && o.URL != "" {
			return o.URL
		}
	}
	return ""
}

func joinSentences(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ". " + b
}

func joinWords(a, b string) string {
	if a == "" {
		return strings.ToUpper(b[:1]) + b[1:]
	}
	return a + ", " + b
}
