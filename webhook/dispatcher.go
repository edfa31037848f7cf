package webhook

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/retryafter"
	"golang.org/x/sync/errgroup"
)

// DispatcherStore is the part of ragkb.Store the Dispatcher reads and updates.
type DispatcherStore interface {
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]*ragkb.Delivery, error)
	GetEvent(ctx context.Context, tenantID, id string) (*ragkb.Event, error)
	GetWebhook(ctx context.Context, tenantID, id string) (*ragkb.Webhook, error)
	UpdateDelivery(ctx context.Context, d *ragkb.Delivery) error
	ClaimDelivery(ctx context.Context, tenantID, id string, now, until time.Time) error
}

// Defaults of DispatcherConfig.
const (
	DefaultInterval        = 2 * time.Second
	DefaultMaxAttempts     = 8
	DefaultTimeout         = 10 * time.Second
	DefaultBatchSize       = 100
	DefaultConcurrency     = 4
	DefaultShutdownTimeout = 15 * time.Second
	DefaultUserAgent       = "ragkb-webhooks/1"
)

// Backoff bounds.
const (
	// BackoffBase is the delay after the first failed attempt; it doubles with each attempt.
	BackoffBase = 10 * time.Second
	// BackoffMax caps the delay between attempts.
	BackoffMax = time.Hour
	// MaxRetryAfter caps how long a receiver's Retry-After may postpone a delivery.
	MaxRetryAfter = 24 * time.Hour
	// minRetryAfter keeps "Retry-After: 0" from making the dispatcher spin.
	minRetryAfter = time.Second
	// recordTimeout bounds saving an outcome once it is known, even while stopping.
	recordTimeout = 5 * time.Second
	// maxErrorLen bounds Delivery.LastError.
	maxErrorLen = 300
	// maxDrain bounds how much of a response body is read (to reuse the connection).
	maxDrain = 64 << 10
	// claimMargin is added to Timeout for how long a claimed delivery is
	// hidden from other dispatchers.
	claimMargin = 30 * time.Second
)

// DispatcherConfig configures a Dispatcher.
type DispatcherConfig struct {
	// Store holds the deliveries (required).
	Store DispatcherStore
	// Client sends the requests (required). Pass a client whose dialer refuses
	// private and loopback addresses (the connectors package's safe client):
	// webhook URLs are chosen by merchants. Redirects are never followed.
	Client *http.Client
	// Interval between polls of the store (default 2s).
	Interval time.Duration
	// MaxAttempts after which a delivery is marked failed (default 8).
	MaxAttempts int
	// Backoff is the delay before the next attempt after attempt failures
	// (default DefaultBackoff). A Retry-After header on 429 and 503 overrides it.
	Backoff func(attempt int) time.Duration
	// Timeout bounds each request (default 10s).
	Timeout time.Duration
	// BatchSize is how many due deliveries one poll handles (default 100).
	BatchSize int
	// Concurrency is how many requests are in flight at once (default 4).
	Concurrency int
	// ShutdownTimeout bounds how long Stop waits for in-flight deliveries
	// before cancelling them (default 15s). A cancelled attempt is not
	// counted; the delivery stays pending and is sent again later.
	ShutdownTimeout time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger (default: discarded).
	Logger *slog.Logger
	// UserAgent of the requests (default "ragkb-webhooks/1").
	UserAgent string
}

func (c DispatcherConfig) withDefaults() DispatcherConfig {
	c.Interval = cmp.Or(c.Interval, DefaultInterval)
	c.MaxAttempts = cmp.Or(c.MaxAttempts, DefaultMaxAttempts)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.BatchSize = cmp.Or(c.BatchSize, DefaultBatchSize)
	c.Concurrency = cmp.Or(c.Concurrency, DefaultConcurrency)
	c.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, DefaultShutdownTimeout)
	c.UserAgent = cmp.Or(c.UserAgent, DefaultUserAgent)
	if c.Backoff == nil {
		c.Backoff = DefaultBackoff
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports the first invalid field. Zero values mean the defaults.
func (c DispatcherConfig) Validate() error {
	switch {
	case c.Store == nil:
		return ragkb.Invalid("Store", "a store is required")
	case c.Client == nil:
		return ragkb.Invalid("Client", "an HTTP client is required (use the SSRF-safe client)")
	case c.Interval < 0:
		return ragkb.Invalid("Interval", "must not be negative")
	case c.MaxAttempts < 0:
		return ragkb.Invalid("MaxAttempts", "must not be negative")
	case c.Timeout < 0:
		return ragkb.Invalid("Timeout", "must not be negative")
	case c.BatchSize < 0:
		return ragkb.Invalid("BatchSize", "must not be negative")
	case c.Concurrency < 0:
		return ragkb.Invalid("Concurrency", "must not be negative")
	case c.ShutdownTimeout < 0:
		return ragkb.Invalid("ShutdownTimeout", "must not be negative")
	}
	return nil
}

// DefaultBackoff waits 10s after the first failure and doubles the delay with
// each further failure, with ±20% jitter (so receivers coming back up are not
// hit by every retry at once), capped at one hour.
func DefaultBackoff(attempt int) time.Duration {
	d := BackoffBase
	for i := 1; i < attempt && d < BackoffMax; i++ {
		d *= 2
	}
	d = min(d, BackoffMax)
	jitter := time.Duration(rand.Int64N(int64(d)*2/5+1)) - d/5
	return min(d+jitter, BackoffMax)
}

// Dispatcher delivers due webhook deliveries. Several dispatchers (one per
// worker process) may poll the same store: each claims a delivery before
// sending it with the store's atomic ClaimDelivery, which moves its
// NextAttempt past the request timeout only if it is still due, so of two
// dispatchers that listed the same delivery one sends it and the other
// skips it. Delivery stays at least once (a dispatcher that dies after
// sending and before recording sends again once its claim lapses):
// receivers deduplicate by X-Ragkb-Delivery.
type Dispatcher struct {
	cfg    DispatcherConfig
	client *http.Client

	mu    sync.Mutex
	stop  context.CancelFunc // stops polling
	abort context.CancelFunc // cancels in-flight requests
	done  chan struct{}
}

// NewDispatcher returns a Dispatcher. It panics if cfg fails Validate (a
// wiring mistake); call cfg.Validate first to get an error instead.
func NewDispatcher(cfg DispatcherConfig) *Dispatcher {
	if err := cfg.Validate(); err != nil {
		panic("webhook: NewDispatcher: " + err.Error())
	}
	cfg = cfg.withDefaults()
	client := *cfg.Client
	// A redirect is answered as a failure: following it would let a receiver
	// bounce the signed request to a URL the merchant never registered.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Dispatcher{cfg: cfg, client: &client}
}

// Start polls the store every Interval in a goroutine until ctx ends or Stop
// is called. Calling Start on a running Dispatcher does nothing.
func (d *Dispatcher) Start(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done != nil {
		return
	}
	pollCtx, stop := context.WithCancel(ctx)
	// In-flight requests outlive ctx until Stop's grace period ends.
	sendCtx, abort := context.WithCancel(context.WithoutCancel(ctx))
	d.stop, d.abort, d.done = stop, abort, make(chan struct{})
	go d.loop(pollCtx, sendCtx, d.done)
}

// Stop stops polling and waits for in-flight deliveries, at most
// ShutdownTimeout; then it cancels them and returns once they have unwound.
func (d *Dispatcher) Stop() {
	d.mu.Lock()
	stop, abort, done := d.stop, d.abort, d.done
	d.stop, d.abort, d.done = nil, nil, nil
	d.mu.Unlock()
	if done == nil {
		return
	}
	stop()
	t := time.NewTimer(d.cfg.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		d.cfg.Logger.Warn("webhook: stop: cancelling in-flight deliveries")
		abort()
		<-done
	}
	abort()
}

func (d *Dispatcher) loop(pollCtx, sendCtx context.Context, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(d.cfg.Interval)
	defer t.Stop()
	for {
		_, full, err := d.run(pollCtx, sendCtx)
		if err != nil && pollCtx.Err() == nil {
			d.cfg.Logger.Error("webhook: dispatch", "err", err)
		}
		if full && err == nil && pollCtx.Err() == nil {
			continue // more are due: do not wait for the tick
		}
		select {
		case <-pollCtx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce sends the deliveries due now (at most BatchSize) and records each
// outcome. It returns how many were delivered; err reports store failures,
// not receivers' failures (those are recorded on the delivery).
func (d *Dispatcher) RunOnce(ctx context.Context) (delivered int, err error) {
	delivered, _, err = d.run(ctx, ctx)
	return delivered, err
}

// run lists due deliveries with pollCtx and sends them with sendCtx; full
// reports that the batch was full, so more may be due.
func (d *Dispatcher) run(pollCtx, sendCtx context.Context) (delivered int, full bool, err error) {
	due, err := d.cfg.Store.DueDeliveries(pollCtx, d.cfg.Now(), d.cfg.BatchSize)
	if err != nil {
		return 0, false, fmt.Errorf("webhook: list due deliveries: %w", err)
	}
	var (
		mu   sync.Mutex
		errs []error
		g    errgroup.Group // bounded fan-out; every delivery's error is kept
	)
	g.SetLimit(d.cfg.Concurrency)
	for _, dl := range due {
		if pollCtx.Err() != nil {
			break // stopping: leave the rest pending
		}
		g.Go(func() error {
			ok, err := d.deliver(sendCtx, dl)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				delivered++
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("delivery %s: %w", dl.ID, err))
			}
			return nil
		})
	}
	_ = g.Wait()
	if err := errors.Join(errs...); err != nil {
		return delivered, false, fmt.Errorf("webhook: dispatch: %w", err)
	}
	return delivered, len(due) >= d.cfg.BatchSize, nil
}

// deliver makes one attempt at dl and records its outcome. ok reports a 2xx
// answer; err a failure to read or save the delivery's state.
func (d *Dispatcher) deliver(ctx context.Context, dl *ragkb.Delivery) (ok bool, err error) {
	log := d.cfg.Logger.With("delivery_id", dl.ID, "tenant_id", dl.TenantID, "webhook_id", dl.WebhookID)
	wh, err := d.cfg.Store.GetWebhook(ctx, dl.TenantID, dl.WebhookID)
	if ragkb.IsNotFound(err) || (err == nil && wh.TenantID != "" && wh.TenantID != dl.TenantID) {
		return false, d.giveUp(ctx, dl, "the webhook was deleted")
	}
	if err != nil {
		return false, fmt.Errorf("get webhook: %w", err)
	}
	ev, err := d.cfg.Store.GetEvent(ctx, dl.TenantID, dl.EventID)
	if ragkb.IsNotFound(err) {
		return false, d.giveUp(ctx, dl, "the event no longer exists")
	}
	if err != nil {
		return false, fmt.Errorf("get event: %w", err)
	}
	body, err := MarshalEvent(ev)
	if err != nil {
		return false, d.giveUp(ctx, dl, "the event could not be encoded")
	}

	// Claim the delivery: push its next attempt past this request's timeout
	// before sending, so another dispatcher polling the same store skips it,
	// and a crash mid-request leaves it due again once the claim lapses.
	claimed := d.cfg.Now().UTC()
	until := claimed.Add(d.cfg.Timeout + claimMargin)
	switch err := d.cfg.Store.ClaimDelivery(ctx, dl.TenantID, dl.ID, claimed, until); {
	case ragkb.IsNotFound(err):
		return false, nil // deleted with its webhook meanwhile
	case ragkb.ErrorCodeOf(err) == ragkb.ECONFLICT:
		log.Debug("webhook: another dispatcher claimed the delivery")
		return false, nil
	case err != nil:
		return false, fmt.Errorf("claim delivery: %w", err)
	}
	dl.NextAttempt, dl.UpdatedAt = &until, claimed

	code, retryAfter, sendErr := d.send(ctx, wh, dl, ev, body)
	if sendErr != nil && ctx.Err() != nil {
		// We cancelled (shutdown), the receiver did not fail: this attempt
		// does not count, and the delivery is due again when the claim lapses.
		return false, nil
	}
	now := d.cfg.Now().UTC()
	dl.Attempts++
	dl.LastCode = code
	dl.UpdatedAt = now
	switch {
	case sendErr == nil && code >= 200 && code < 300:
		dl.Status, dl.LastError, dl.NextAttempt = StatusDelivered, "", nil
		log.Debug("webhook: delivered", "attempts", dl.Attempts, "status_code", code)
	case dl.Attempts >= d.cfg.MaxAttempts:
		dl.Status, dl.LastError, dl.NextAttempt = StatusFailed, failureText(code, sendErr), nil
		log.Warn("webhook: delivery failed for good", "attempts", dl.Attempts, "status_code", code, "err", sendErr)
	default:
		delay := d.cfg.Backoff(dl.Attempts)
		if retryAfter > 0 {
			delay = retryAfter
		}
		next := now.Add(delay)
		dl.Status, dl.LastError, dl.NextAttempt = StatusPending, failureText(code, sendErr), &next
		log.Info("webhook: attempt failed, will retry", "attempts", dl.Attempts, "status_code", code,
			"next_attempt", next, "err", sendErr)
	}
	return dl.Status == StatusDelivered, d.save(ctx, dl)
}

// send POSTs body to the webhook. code is 0 when no response arrived;
// retryAfter is set from a 429 or 503 answer's Retry-After.
func (d *Dispatcher) send(ctx context.Context, wh *ragkb.Webhook, dl *ragkb.Delivery, ev *ragkb.Event, body []byte) (code int, retryAfter time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.URL, bytes.NewReader(body))
	if err != nil {
		return 0, 0, fmt.Errorf("the webhook URL is not valid: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", d.cfg.UserAgent)
	req.Header.Set(HeaderSignature, Sign(wh.Secret, body))
	req.Header.Set(HeaderEvent, string(ev.Type))
	req.Header.Set(HeaderDelivery, dl.ID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(d.cfg.Now().Unix(), 10))
	resp, err := d.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return 0, 0, fmt.Errorf("no response within %s", d.cfg.Timeout)
		}
		return 0, 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if ra, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), d.cfg.Now()); ok {
			retryAfter = max(ra, minRetryAfter)
		}
	}
	return resp.StatusCode, retryAfter, nil
}

// giveUp marks dl failed without sending it.
func (d *Dispatcher) giveUp(ctx context.Context, dl *ragkb.Delivery, reason string) error {
	d.cfg.Logger.Info("webhook: delivery abandoned", "delivery_id", dl.ID, "reason", reason)
	dl.Status, dl.LastError, dl.NextAttempt = StatusFailed, reason, nil
	dl.UpdatedAt = d.cfg.Now().UTC()
	return d.save(ctx, dl)
}

// save records dl even if ctx was cancelled meanwhile: an outcome once known
// must not be lost, or the receiver would get the event again.
func (d *Dispatcher) save(ctx context.Context, dl *ragkb.Delivery) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	err := d.cfg.Store.UpdateDelivery(ctx, dl)
	if ragkb.IsNotFound(err) {
		// Deleted along with its webhook meanwhile: nothing left to record.
		return nil
	}
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	return nil
}

// failureText is the merchant-readable reason an attempt failed.
func failureText(code int, err error) string {
	var s string
	if err != nil {
		s = "request failed: " + err.Error()
	} else {
		s = fmt.Sprintf("the endpoint answered %d %s", code, http.StatusText(code))
	}
	if len(s) > maxErrorLen {
		s = strings.ToValidUTF8(s[:maxErrorLen], "") + "…"
	}
	return s
}

// ParseRetryAfter reads a Retry-After header, either delay-seconds or an
// HTTP date (relative to now), capped at MaxRetryAfter. ok is false when the
// header is absent or malformed.
func ParseRetryAfter(h string, now time.Time) (d time.Duration, ok bool) {
	d, ok = retryafter.Parse(h, now)
	return min(d, MaxRetryAfter), ok
}
