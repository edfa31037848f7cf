package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

var _ WorkerStore = ragkb.Store(nil)
var _ RecorderStore = ragkb.Store(nil)

// clock is a manual clock shared by the store, the recorder and the dispatcher.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a real SQLite store with two tenants.
type env struct {
	t      testing.TB
	ctx    context.Context
	path   string
	store  *sqlite.Store
	clock  *clock
	tenant *ragkb.Tenant
	other  *ragkb.Tenant
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{t: t, ctx: t.Context(), path: filepath.Join(t.TempDir(), "db.sqlite"), clock: newClock()}
	e.open()
	e.tenant = &ragkb.Tenant{Name: "Shop A"}
	e.other = &ragkb.Tenant{Name: "Shop B"}
	for _, ten := range []*ragkb.Tenant{e.tenant, e.other} {
		if err := e.store.CreateTenant(e.ctx, ten); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// open (re)opens the store on the same file, as a restarted process would.
func (e *env) open() {
	e.t.Helper()
	s, err := sqlite.New(e.ctx, sqlite.Config{Path: e.path, Now: e.clock.Now})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { s.Close() })
	e.store = s
}

func (e *env) webhook(tenantID, url, secret string, events ...ragkb.EventType) *ragkb.Webhook {
	e.t.Helper()
	w := &ragkb.Webhook{TenantID: tenantID, URL: url, Events: events, Secret: secret}
	if err := w.Validate(); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.CreateWebhook(e.ctx, w); err != nil {
		e.t.Fatal(err)
	}
	return w
}

func (e *env) recorder() *Recorder {
	return NewRecorder(RecorderConfig{Store: e.store, Now: e.clock.Now})
}

func (e *env) record(ev *ragkb.Event) *ragkb.Event {
	e.t.Helper()
	if err := e.recorder().Record(e.ctx, ev); err != nil {
		e.t.Fatalf("Record: %v", err)
	}
	return ev
}

// worker returns a worker with a deterministic backoff of attempt minutes.
func (e *env) worker(mod func(*WorkerConfig)) *Worker {
	cfg := WorkerConfig{
		Store:   e.store,
		Client:  &http.Client{},
		Now:     e.clock.Now,
		Backoff: func(attempt int) time.Duration { return time.Duration(attempt) * time.Minute },
		Timeout: 5 * time.Second,
	}
	if mod != nil {
		mod(&cfg)
	}
	return NewWorker(cfg)
}

func (e *env) deliveries(tenantID string) []*ragkb.Delivery {
	e.t.Helper()
	ds, err := e.store.ListDeliveries(e.ctx, tenantID, "", 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return ds
}

func (e *env) delivery(tenantID string) *ragkb.Delivery {
	e.t.Helper()
	ds := e.deliveries(tenantID)
	if len(ds) != 1 {
		e.t.Fatalf("tenant %s has %d deliveries, want 1", tenantID, len(ds))
	}
	return ds[0]
}

// job is the River job of delivery d at its attempt-th run, as River hands it to the worker.
func job(d *ragkb.Delivery, attempt int) *river.Job[ragkb.DeliveryJob] {
	return &river.Job[ragkb.DeliveryJob]{
		JobRow: &rivertype.JobRow{ID: 1, Attempt: attempt, MaxAttempts: DefaultMaxAttempts, Kind: ragkb.DeliveryJob{}.Kind()},
		Args:   ragkb.DeliveryJob{DeliveryID: d.ID, TenantID: d.TenantID, WebhookID: d.WebhookID, EventID: d.EventID},
	}
}

// received is one request that reached a receiver.
type received struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

// receiver is a merchant's endpoint: it checks the request shape and
// signature and answers with the scripted responses in order (the last one
// repeats).
type receiver struct {
	t      testing.TB
	secret string
	srv    *httptest.Server

	mu        sync.Mutex
	responses []func(w http.ResponseWriter)
	got       []received
	arrived   chan struct{} // one send per request, when non-nil
	release   chan struct{} // requests wait for it, when non-nil
	closing   chan struct{} // closed at cleanup, so no request hangs the test
}

func status(code int, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, http.StatusText(code))
	}
}

func newReceiver(t testing.TB, secret string, responses ...func(w http.ResponseWriter)) *receiver {
	r := &receiver{t: t, secret: secret, responses: responses, closing: make(chan struct{})}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() {
		close(r.closing)
		r.srv.Close()
	})
	return r
}

func (r *receiver) URL() string { return r.srv.URL + "/hooks/ragkb" }

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		r.t.Errorf("receiver: read body: %v", err)
	}
	if req.Method != http.MethodPost {
		r.t.Errorf("receiver: method = %s, want POST", req.Method)
	}
	if req.URL.Path != "/hooks/ragkb" {
		r.t.Errorf("receiver: path = %s, want /hooks/ragkb", req.URL.Path)
	}
	if got, want := req.Header.Get("Content-Type"), "application/json"; got != want {
		r.t.Errorf("receiver: Content-Type = %q, want %q", got, want)
	}
	// Recompute the HMAC over the bytes received, as a merchant would.
	m := hmac.New(sha256.New, []byte(r.secret))
	m.Write(body)
	if got, want := req.Header.Get("X-Ragkb-Signature"), "sha256="+hex.EncodeToString(m.Sum(nil)); got != want {
		r.t.Errorf("receiver: X-Ragkb-Signature = %q, want %q", got, want)
	}
	r.mu.Lock()
	r.got = append(r.got, received{Method: req.Method, Path: req.URL.Path, Header: req.Header.Clone(), Body: body})
	respond := r.responses[min(len(r.got)-1, len(r.responses)-1)]
	arrived, release := r.arrived, r.release
	r.mu.Unlock()
	if arrived != nil {
		arrived <- struct{}{}
	}
	if release != nil {
		select {
		case <-release:
		case <-req.Context().Done():
			return
		case <-r.closing:
			return
		}
	}
	respond(w)
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// waitFor fails the test if ch yields nothing within a generous bound, so a
// regression fails instead of hanging the package's tests.
func waitFor[T any](t *testing.T, ch <-chan T, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}
