package answer

// Orders: "where is my order?" answered from the shop's live order data.
//
// A question about one order (it names an order number, the request carries
// order_id, or it says "my order/parcel" in one of the supported languages)
// is handled here when the assistant can use an orders resource. Nothing is
// revealed before the customer is verified: the e-mail, phone or postcode
// they give (request "customer", or typed in the question or conversation)
// must match the order, unless customer.verified is set by a helpdesk. A
// wrong e-mail and a missing order get the same answer. Lookups are limited
// per conversation and per API key, and failed verifications per key, so
// order numbers cannot be enumerated. Late, lost or damaged parcels and
// failed lookups go to a person.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ragkb/ragkb"
)

// OrderLookup reads one order live from the shop (the shared
// ragkb.OrderLookup; connectors/orders.Client, wired in app).
type OrderLookup = ragkb.OrderLookup

// Order lookup limits: per conversation, per key, and failed verifications
// per key (each a token bucket: burst, then one more per interval).
const (
	convLookupBurst    = 5
	convLookupEvery    = time.Minute
	keyLookupBurst     = 60
	keyLookupEvery     = time.Second
	keyFailureBurst    = 10
	keyFailureEvery    = 30 * time.Second
	orderCacheTTL      = 30 * time.Second
	orderCacheMax      = 10000
	orderLookupTimeout = 8 * time.Second
	maxLimiterEntries  = 100000
)

// orderGuard holds the lookup limiters and the short-lived order cache.
type orderGuard struct {
	mu       sync.Mutex
	conv     map[string]*rate.Limiter
	key      map[string]*rate.Limiter
	failures map[string]*rate.Limiter
	cache    map[string]cachedOrder
}

type cachedOrder struct {
	o       *ragkb.Order
	expires time.Time
}

func newOrderGuard() *orderGuard {
	return &orderGuard{conv: map[string]*rate.Limiter{}, key: map[string]*rate.Limiter{},
		failures: map[string]*rate.Limiter{}, cache: map[string]cachedOrder{}}
}

func limiterOf(m map[string]*rate.Limiter, id string, every time.Duration, burst int) *rate.Limiter {
	l := m[id]
	if l == nil {
		if len(m) >= maxLimiterEntries {
			clear(m) // bounded memory; an attacker filling it only resets buckets
		}
		l = rate.NewLimiter(rate.Every(every), burst)
		m[id] = l
	}
	return l
}

// blocked says how long a key with too many failed verifications waits.
func (g *orderGuard) blocked(now time.Time, key string) (time.Duration, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if fl := limiterOf(g.failures, key, keyFailureEvery, keyFailureBurst); fl.TokensAt(now) < 1 {
		return wait(fl, now), true
	}
	return 0, false
}

// admit takes one lookup token for the conversation and the key, or says
// how long to wait.
func (g *orderGuard) admit(now time.Time, key, conv string) (time.Duration, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	cl := limiterOf(g.conv, conv, convLookupEvery, convLookupBurst)
	kl := limiterOf(g.key, key, keyLookupEvery, keyLookupBurst)
	if cl.TokensAt(now) < 1 {
		return wait(cl, now), false
	}
	if kl.TokensAt(now) < 1 {
		return wait(kl, now), false
	}
	cl.AllowN(now, 1)
	kl.AllowN(now, 1)
	return 0, true
}

func wait(l *rate.Limiter, now time.Time) time.Duration {
	r := l.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	return max(d, time.Second)
}

// failed counts a failed verification (wrong details or no such order).
func (g *orderGuard) failed(now time.Time, key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	limiterOf(g.failures, key, keyFailureEvery, keyFailureBurst).AllowN(now, 1)
}

func (g *orderGuard) cached(now time.Time, id string) *ragkb.Order {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.cache[id]; ok && now.Before(c.expires) {
		return c.o
	}
	delete(g.cache, id)
	return nil
}

func (g *orderGuard) store(now time.Time, id string, o *ragkb.Order) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.cache) >= orderCacheMax {
		for k, c := range g.cache {
			if !now.Before(c.expires) {
				delete(g.cache, k)
			}
		}
		if len(g.cache) >= orderCacheMax {
			clear(g.cache)
		}
	}
	g.cache[id] = cachedOrder{o: o, expires: now.Add(orderCacheTTL)}
}

var (
	uuidRe = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	hashRe = regexp.MustCompile(`#\s?([A-Za-z]{0,4}-?\d{3,20})\b`)
	// orderNumberRe: an order word, a few non-digits ("number is"), the number.
	orderNumberRe = regexp.MustCompile(`(?i)\b(?:order|orders|zam[oó]wieni[a-z]*|bestellung|bestellnummer|auftrag|ordine|commande|pedido|n[ru]mer[a-z]*|nr|no)\b[^\d#\n@]{0,14}#?\s?([A-Za-z]{0,4}-?\d{3,20})\b`)
	bareNumberRe  = regexp.MustCompile(`^\s*#?\s?([A-Za-z]{0,4}-?\d{3,20})\s*[.!]?\s*$`)
	// myOrderRe: the customer asks where their order is, or its status.
	myOrderRe = regexp.MustCompile(`(?i)where(?:'s|\s+is|\s+are)\s+my\s+(?:order|parcel|package|shipment|delivery)|(?:status|track(?:ing)?)\s+(?:of\s+)?(?:my\s+)?(?:order|parcel|package|shipment)|\bmy\s+(?:order|parcel|package)(?:'s)?\s+status|when\s+will\s+my\s+(?:order|parcel|package)\s+(?:arrive|come|be\s+delivered|ship)` +
		`|\bgdzie\s+(?:jest\s+)?(?:moja|moje|mój|moj)\s+(?:zam[oó]wieni|paczk|przesyłk|przesylk)|\bgdzie\s+jest\s+(?:zam[oó]wieni|paczk|przesyłk)|status\s+(?:mojego\s+)?zam[oó]wienia|kiedy\s+(?:dotrze|przyjdzie)\s+(?:moja|moje|mój)` +
		`|\bwo\s+ist\s+mein(?:e)?\s+(?:bestellung|paket|sendung|lieferung)|status\s+meiner\s+bestellung|bestellstatus|wann\s+kommt\s+mein` +
		`|\bdov['’]?\s?è\s+(?:il\s+mio|la\s+mia)\s+(?:ordine|pacco|spedizione)|stato\s+del(?:l['’]|\s+mio\s+)ordine|quando\s+arriva\s+(?:il\s+mio|la\s+mia)` +
		`|\boù\s+(?:est|en\s+est)\s+(?:ma\s+commande|mon\s+colis)|suivi\s+de\s+(?:ma\s+)?commande|quand\s+(?:arrivera|vais-je\s+recevoir)\s+ma\s+commande` +
		`|d[oó]nde\s+est[aá]\s+mi\s+(?:pedido|paquete|env[ií]o)|estado\s+de\s+mi\s+pedido|cu[aá]ndo\s+llega\s+mi`)
	// orderWordRe: an order, parcel or delivery is spoken of.
	orderWordRe = regexp.MustCompile(`(?i)\b(?:order|parcel|package|shipment|delivery|zam[oó]wieni|paczk|przesyłk|przesylk|dostaw|bestellung|paket|sendung|lieferung|ordine|pacco|spedizion|consegna|commande|colis|livraison|pedido|paquete|env[ií]o|entrega)`)
	// problemRe: late, lost or damaged parcels (a person must handle them).
	problemRe = regexp.MustCompile(`(?i)\blate\b|\bdelay|\blost\b|\bmissing\b|never\s+(?:arrived|came|received)|(?:not|n't)\s+(?:yet\s+)?(?:arrived|received|come|delivered)|\bdamaged|\bbroken|\bwrong\s+(?:item|product|size)|\bstolen` +
		`|spó[źz]ni|sp[oó][źz]nia|opó[źz]n|op[oó][źz]ni|zagin|zgubi|nie\s+(?:dotar|dosz|otrzyma|przysz)|uszkodz|zniszcz|zepsu|\bpo[tt]łuczon|stłuczon` +
		`|versp[äa]t|verloren|nicht\s+(?:angekommen|erhalten|geliefert)|besch[äa]digt|kaputt` +
		`|ritard|smarrit|\bpers[oa]\b|non\s+(?:è|e)\s+(?:ancora\s+)?arrivat|non\s+(?:ho\s+)?ricevut|danneggiat|\brott[oaie]\b` +
		`|\bretard|\bperdu|pas\s+(?:encore\s+)?(?:arriv|re[çc]u|livr)|endommag|cass[ée]|ab[îi]m[ée]` +
		`|retras|perdid|extraviad|no\s+(?:ha\s+)?lleg|no\s+(?:he\s+)?recib|dañad|danad|\broto\b|\brota\b`)
	emailRe    = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}`)
	phoneRe    = regexp.MustCompile(`\+?\d[\d\s\-()]{5,}\d`)
	postcodeRe = regexp.MustCompile(`(?i)\b\d{2}[-\s]\d{3}\b|\b\d{4,5}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\b\d{3}\s\d{2}\b`)
)

// orderNumber finds an order number in text.
func orderNumber(text string) string {
	if m := uuidRe.FindString(text); m != "" {
		return m
	}
	if m := hashRe.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	if m := orderNumberRe.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// facts are what the customer gave to prove the order is theirs.
type facts struct{ emails, phones, postcodes []string }

func (f *facts) empty() bool { return len(f.emails)+len(f.phones)+len(f.postcodes) == 0 }

func (f *facts) add(text, number string) {
	if number != "" {
		text = strings.ReplaceAll(text, number, " ")
	}
	for _, e := range emailRe.FindAllString(text, -1) {
		f.emails = append(f.emails, normEmail(e))
		text = strings.ReplaceAll(text, e, " ")
	}
	for _, p := range phoneRe.FindAllString(text, -1) {
		if d := digits(p); len(d) >= 7 {
			f.phones = append(f.phones, d)
		}
	}
	for _, p := range postcodeRe.FindAllString(text, -1) {
		f.postcodes = append(f.postcodes, normPostcode(p))
	}
}

func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func normPostcode(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(s)))
}

// samePhone compares the last nine digits (country prefixes differ).
func samePhone(a, b string) bool {
	if len(a) < 7 || len(b) < 7 {
		return false
	}
	n := min(9, len(a), len(b))
	return a[len(a)-n:] == b[len(b)-n:]
}

// matches reports whether any fact the customer gave matches the order.
func (f *facts) matches(o *ragkb.Order) bool {
	for _, e := range o.Emails {
		if e != "" && slices.Contains(f.emails, normEmail(e)) {
			return true
		}
	}
	for _, p := range o.Phones {
		for _, q := range f.phones {
			if samePhone(digits(p), q) {
				return true
			}
		}
	}
	for _, p := range o.Postcodes {
		if p := normPostcode(p); len(p) >= 3 && slices.Contains(f.postcodes, p) {
			return true
		}
	}
	return false
}

// orderResources are the orders resources the question may use.
func (t *turn) orderResources() []*ragkb.Resource {
	rs, err := t.s.cfg.Store.ListResources(t.ctx, ragkb.ResourceFilter{TenantID: t.tenantID, Types: []ragkb.ResourceType{ragkb.TypeOrders}})
	if err != nil {
		t.s.log.Error("answer: list orders resources", "tenant_id", t.tenantID, "err", err)
		return nil
	}
	return slices.DeleteFunc(rs, func(r *ragkb.Resource) bool { return r.Orders == nil || !t.sc.inScope(r.ID) })
}

// order answers a question about one order; nil when it is not one (or no
// orders resource is in scope). Its error is a rate limit (429).
func (t *turn) order() (*ragkb.AnswerResponse, error) {
	if t.s.cfg.Orders == nil || !t.sc.orders {
		return nil, nil
	}
	raw := strings.TrimSpace(t.req.Question)
	number := strings.TrimPrefix(strings.TrimSpace(t.req.OrderID), "#")
	if number == "" {
		number = orderNumber(raw)
	}
	// Only questions about where an order is (or a parcel problem, or a
	// short message that is little more than the number) are handled here:
	// "can I return order 1001?" goes to the other tiers.
	inQuestion := orderNumber(raw)
	about := myOrderRe.MatchString(raw) ||
		problemRe.MatchString(raw) && (orderWordRe.MatchString(raw) || inQuestion != "") ||
		inQuestion != "" && len(strings.Fields(emailRe.ReplaceAllString(raw, ""))) <= 4
	var users []string
	for _, m := range t.req.Conversation {
		if m.Role == "user" {
			users = append(users, m.Content)
		}
	}
	// A follow-up of an order conversation: "1001", "jan@example.com".
	earlier := false
	for i := len(users) - 1; i >= 0 && !about; i-- {
		earlier = earlier || myOrderRe.MatchString(users[i]) || orderNumber(users[i]) != ""
	}
	if !about && earlier {
		var f facts
		f.add(raw, "")
		if m := bareNumberRe.FindStringSubmatch(raw); m != nil || !f.empty() {
			about = true
		}
	}
	if !about {
		return nil, nil
	}
	rs := t.orderResources()
	if len(rs) == 0 {
		return nil, nil
	}
	t.intent = &ragkb.IntentMatch{Name: "order_status", Confidence: 1}
	if m := problemRe.FindString(raw); m != "" {
		t.reason = "order problem (late, lost or damaged parcel): a person must handle it"
		return t.agent(), nil
	}
	if number == "" {
		if m := bareNumberRe.FindStringSubmatch(raw); m != nil {
			number = m[1]
		}
	}
	for i := len(users) - 1; i >= 0 && number == ""; i-- {
		number = orderNumber(users[i])
	}
	var f facts
	verified := false
	if c := t.req.Customer; c != nil {
		verified = c.Verified
		if c.Email != "" {
			f.emails = append(f.emails, normEmail(c.Email))
		}
		if d := digits(c.Phone); len(d) >= 7 {
			f.phones = append(f.phones, d)
		}
		if c.Postcode != "" {
			f.postcodes = append(f.postcodes, normPostcode(c.Postcode))
		}
	}
	f.add(raw, number)
	for _, u := range users {
		f.add(u, number)
	}
	switch {
	case number == "" && f.empty() && !verified:
		return t.needInfo(msgNeedBoth, "order_number", "email"), nil
	case number == "":
		return t.needInfo(msgNeedNumber, "order_number"), nil
	case !ragkb.ValidOrderNumber(number):
		return t.needInfo(msgNotFound, "order_number", "email"), nil
	case f.empty() && !verified:
		return t.needInfo(msgNeedEmail, "email"), nil
	}
	now := t.s.cfg.Now()
	key := "tenant:" + t.tenantID
	if k := ragkb.APIKeyID(t.ctx); k != "" {
		key = "key:" + k
	}
	first := raw
	if len(users) > 0 {
		first = users[0]
	}
	conv := sha256.Sum256([]byte(key + "\x00" + first))
	limited := func(d time.Duration) error {
		t.s.cfg.Metrics.observeDegraded("order_lookup_limited")
		return &ragkb.Error{Code: ragkb.ERATELIMITED, RetryAfter: d,
			Message: "too many order lookups from this conversation or key; retry after the number of seconds in Retry-After"}
	}
	if d, blocked := t.s.orders.blocked(now, key); blocked {
		return nil, limited(d)
	}
	var (
		found    *ragkb.Order
		res      *ragkb.Resource
		admitted bool
	)
	for _, r := range rs {
		cacheID := t.tenantID + "\x00" + r.ID + "\x00" + strings.ToLower(number)
		o := t.s.orders.cached(now, cacheID)
		var err error
		if o == nil {
			// Only lookups that reach the shop count against the limits: a
			// customer asking again about the same order is served from the
			// short-lived cache (after verification, like any answer).
			if !admitted {
				d, ok := t.s.orders.admit(now, key, hex.EncodeToString(conv[:12]))
				if !ok {
					return nil, limited(d)
				}
				admitted = true
			}
			o, err = t.lookup(r, number)
			if err == nil {
				t.s.orders.store(now, cacheID, o)
			}
		}
		if errors.Is(err, ragkb.ErrOrderNotFound) {
			continue
		}
		if err != nil {
			t.s.log.Warn("answer: order lookup failed", "tenant_id", t.tenantID, "resource_id", r.ID, "err", err)
			t.reason = "order lookup failed: " + ragkb.ErrorMessage(err)
			return t.agent(), nil
		}
		found, res = o, r
		break
	}
	if found == nil || !verified && !f.matches(found) {
		t.s.orders.failed(now, key)
		t.reason = "order not found or not verified"
		return t.needInfo(msgNotFound, "order_number", "email"), nil
	}
	if found.Status == "" {
		t.reason = "the order's status needs a person"
		return t.agent(), nil
	}
	text := renderOrder(res.Orders.Templates, found, t.language)
	if text == "" {
		t.reason = "no order template fits"
		return t.agent(), nil
	}
	cite := ragkb.Citation{ID: 1, ResourceID: res.ID, ResourceName: t.sc.names[res.ID], Title: "Order " + number, Snippet: snippet(text, 240), Score: 1}
	resp := t.answered(text, ragkb.TierFast, []ragkb.Citation{cite})
	resp.Order = &ragkb.OrderInfo{ID: number, Status: found.Status, Carrier: found.Carrier, TrackingNumber: found.TrackingNumber, TrackingURL: found.TrackingURL}
	return resp, nil
}

// lookup reads the order from the shop, bounded in time.
func (t *turn) lookup(r *ragkb.Resource, number string) (*ragkb.Order, error) {
	ctx, cancel := context.WithTimeout(t.ctx, orderLookupTimeout)
	defer cancel()
	return t.s.cfg.Orders.Lookup(ctx, r, number)
}

func (t *turn) needInfo(msgs map[string]string, needed ...string) *ragkb.AnswerResponse {
	return &ragkb.AnswerResponse{Status: ragkb.AnswerClarify, Answer: localized(msgs, t.language, ""), Tier: ragkb.TierFast,
		Intent: t.intent, Needed: needed, Usage: t.usage, Reason: t.reason}
}

// renderOrder fills the merchant's (or the default) template of the order's
// status; sentences whose placeholder is empty are left out.
func renderOrder(custom map[string]map[string]string, o *ragkb.Order, lang string) string {
	tmpl := custom[o.Status][lang]
	if tmpl == "" {
		tmpl = orderTemplates[o.Status][lang]
	}
	if tmpl == "" {
		tmpl = cmpFirst(custom[o.Status]["en"], orderTemplates[o.Status]["en"])
	}
	vals := map[string]string{"{order}": o.Number, "{carrier}": o.Carrier, "{tracking_number}": o.TrackingNumber,
		"{tracking_url}": o.TrackingURL, "{estimated_delivery}": o.EstimatedDelivery}
	var out []string
	for _, line := range strings.Split(tmpl, "\n") {
		var kept []string
		for _, sentence := range strings.SplitAfter(line, ". ") {
			empty := false
			for k, v := range vals {
				if strings.Contains(sentence, k) {
					empty = empty || v == ""
					sentence = strings.ReplaceAll(sentence, k, v)
				}
			}
			if !empty {
				kept = append(kept, sentence)
			}
		}
		if line := strings.TrimSpace(strings.Join(kept, "")); line != "" {
			out = append(out, line)
		}
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

func cmpFirst(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
