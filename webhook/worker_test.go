package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/riverqueue/river/rivertype"
)

func wantCancel(t *testing.T, err error) {
	t.Helper()
	var ce *rivertype.JobCancelError
	if !errors.As(err, &ce) {
		t.Fatalf("Work = %v, want a JobCancel error", err)
	}
}

func TestWorkerSignedDelivery(t *testing.T) {
	e := newEnv(t)
	const secret = "0123456789abcdef-secret"
	r := newReceiver(t, secret, status(http.StatusOK))
	e.webhook(e.tenant.ID, r.URL(), secret, ragkb.EventAgentRequested)
	ev := e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested, Question: "Czy mogę zwrócić buty?"})
	d := e.delivery(e.tenant.ID)
	if d.Status != StatusPending {
		t.Fatalf("recorded delivery status = %q, want pending", d.Status)
	}
	if err := e.worker(nil).Work(e.ctx, job(d, 1)); err != nil {
		t.Fatalf("Work: %v", err)
	}
	reqs := r.requests()
	if len(reqs) != 1 {
		t.Fatalf("receiver got %d requests, want 1", len(reqs))
	}
	h := reqs[0].Header
	if h.Get(HeaderEvent) != string(ragkb.EventAgentRequested) || h.Get(HeaderDelivery) != d.ID ||
		h.Get(HeaderTimestamp) != strconv.FormatInt(e.clock.Now().Unix(), 10) {
		t.Errorf("headers = %v", h)
	}
	var p Payload
	if err := json.Unmarshal(reqs[0].Body, &p); err != nil || p.ID != ev.ID || p.Question != ev.Question {
		t.Errorf("body = %s (%v), want event %s", reqs[0].Body, err, ev.ID)
	}
	got := e.delivery(e.tenant.ID)
	if got.Status != StatusDelivered || got.Attempts != 1 || got.LastCode != 200 || got.NextAttempt != nil || got.LastError != "" {
		t.Errorf("delivery = %+v, want delivered after 1 attempt", got)
	}
}

func TestWorkerRetriesAfterServerError(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t, "0123456789abcdef", status(http.StatusInternalServerError), status(http.StatusNoContent))
	e.webhook(e.tenant.ID, r.URL(), "0123456789abcdef", ragkb.EventAssistantFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
	d := e.delivery(e.tenant.ID)
	w := e.worker(nil)
	j := job(d, 1)
	if err := w.Work(e.ctx, j); err == nil {
		t.Fatal("Work after a 500 = nil, want an error so River retries")
	}
	got := e.delivery(e.tenant.ID)
	want := e.clock.Now().Add(time.Minute)
	if got.Status != StatusPending || got.Attempts != 1 || got.LastCode != 500 || got.NextAttempt == nil ||
		!got.NextAttempt.Equal(want) || got.LastError != "the endpoint answered 500 Internal Server Error" {
		t.Fatalf("delivery after a 500 = %+v, want pending, next attempt %v", got, want)
	}
	if next := w.NextRetry(j); !next.Equal(want) {
		t.Errorf("NextRetry = %v, want the recorded next attempt %v", next, want)
	}
	e.clock.Advance(time.Minute)
	if err := w.Work(e.ctx, job(d, 2)); err != nil {
		t.Fatalf("second Work: %v", err)
	}
	if got := e.delivery(e.tenant.ID); got.Status != StatusDelivered || got.Attempts != 2 || got.LastCode != 204 {
		t.Errorf("delivery = %+v, want delivered after 2 attempts", got)
	}
	if n := len(r.requests()); n != 2 {
		t.Errorf("receiver got %d requests, want 2", n)
	}
}

func TestWorkerRetryAfter(t *testing.T) {
	for _, code := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		e := newEnv(t)
		r := newReceiver(t, "0123456789abcdef", status(code, "Retry-After", "120"))
		e.webhook(e.tenant.ID, r.URL(), "0123456789abcdef", ragkb.EventAssistantFailed)
		e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
		d := e.delivery(e.tenant.ID)
		w := e.worker(nil)
		j := job(d, 1)
		if err := w.Work(e.ctx, j); err == nil {
			t.Fatalf("%d: Work = nil, want an error", code)
		}
		want := e.clock.Now().Add(120 * time.Second)
		if got := e.delivery(e.tenant.ID); got.NextAttempt == nil || !got.NextAttempt.Equal(want) {
			t.Errorf("%d: next attempt = %v, want Retry-After's %v", code, got.NextAttempt, want)
		}
		if next := w.NextRetry(j); !next.Equal(want) {
			t.Errorf("%d: NextRetry = %v, want %v", code, next, want)
		}
	}
}

func TestWorkerMaxAttempts(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t, "0123456789abcdef", status(http.StatusBadGateway))
	e.webhook(e.tenant.ID, r.URL(), "0123456789abcdef", ragkb.EventAssistantFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
	d := e.delivery(e.tenant.ID)
	w := e.worker(func(c *WorkerConfig) { c.MaxAttempts = 3 })
	if err := w.Work(e.ctx, job(d, 2)); err == nil {
		t.Fatal("attempt 2 of 3: Work = nil, want a retryable error")
	}
	var ce *rivertype.JobCancelError
	if err := w.Work(e.ctx, job(d, 2)); errors.As(err, &ce) {
		t.Fatal("attempt 2 of 3 cancelled the job, want a retry")
	}
	wantCancel(t, w.Work(e.ctx, job(d, 3)))
	got := e.delivery(e.tenant.ID)
	if got.Status != StatusFailed || got.Attempts != 3 || got.NextAttempt != nil || got.LastCode != 502 {
		t.Errorf("delivery = %+v, want failed after 3 attempts", got)
	}
}

func TestWorkerNetworkErrorAndRedirect(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t, "0123456789abcdef", status(http.StatusFound, "Location", "http://example.com/"))
	e.webhook(e.tenant.ID, r.URL(), "0123456789abcdef", ragkb.EventAssistantFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
	d := e.delivery(e.tenant.ID)
	if err := e.worker(nil).Work(e.ctx, job(d, 1)); err == nil {
		t.Fatal("a redirect counted as delivered")
	}
	if got := e.delivery(e.tenant.ID); got.Status != StatusPending || got.LastCode != 302 {
		t.Errorf("after a redirect delivery = %+v, want pending with code 302", got)
	}
	r.srv.Close()
	if err := e.worker(nil).Work(e.ctx, job(d, 2)); err == nil {
		t.Fatal("a refused connection counted as delivered")
	}
	if got := e.delivery(e.tenant.ID); got.Status != StatusPending || got.LastCode != 0 || got.Attempts != 2 || got.LastError == "" {
		t.Errorf("after a network error delivery = %+v, want pending, code 0, an error", got)
	}
}

func TestWorkerWebhookDeleted(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t, "0123456789abcdef", status(http.StatusOK))
	wh := e.webhook(e.tenant.ID, r.URL(), "0123456789abcdef", ragkb.EventAssistantFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
	d := e.delivery(e.tenant.ID)
	if err := e.store.DeleteWebhook(e.ctx, e.tenant.ID, wh.ID); err != nil {
		t.Fatal(err)
	}
	wantCancel(t, e.worker(nil).Work(e.ctx, job(d, 1)))
	if n := len(r.requests()); n != 0 {
		t.Errorf("a deleted webhook got %d requests", n)
	}
}

func TestWorkerTenantIsolation(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t, "0123456789abcdef", status(http.StatusOK))
	e.webhook(e.tenant.ID, r.URL(), "0123456789abcdef", ragkb.EventAssistantFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
	d := e.delivery(e.tenant.ID)
	forged := *d
	forged.TenantID = e.other.ID // a job naming another tenant finds no webhook
	wantCancel(t, e.worker(nil).Work(e.ctx, job(&forged, 1)))
	if n := len(r.requests()); n != 0 {
		t.Errorf("receiver got %d requests for another tenant's job", n)
	}
	if got := e.delivery(e.tenant.ID); got.Status != StatusPending {
		t.Errorf("the owner's delivery = %q, want untouched (pending)", got.Status)
	}
}

func TestWorkerShutdownDoesNotCountAttempt(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t, "0123456789abcdef", status(http.StatusOK))
	r.arrived, r.release = make(chan struct{}, 1), make(chan struct{})
	e.webhook(e.tenant.ID, r.URL(), "0123456789abcdef", ragkb.EventAssistantFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
	d := e.delivery(e.tenant.ID)
	ctx, cancel := context.WithCancel(e.ctx)
	errc := make(chan error, 1)
	go func() { errc <- e.worker(nil).Work(ctx, job(d, 1)) }()
	waitFor(t, r.arrived, "the request")
	cancel()
	var se *rivertype.JobSnoozeError
	if err := <-errc; !errors.As(err, &se) {
		t.Fatalf("Work cancelled mid-request = %v, want a snooze (not an attempt)", err)
	}
	if got := e.delivery(e.tenant.ID); got.Status != StatusPending || got.Attempts != 0 {
		t.Errorf("delivery = %+v, want pending with no attempt counted", got)
	}
}

func TestWorkerConfigValidate(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		cfg   WorkerConfig
		field string
	}{
		{WorkerConfig{Client: &http.Client{}}, "Store"},
		{WorkerConfig{Store: e.store}, "Client"},
		{WorkerConfig{Store: e.store, Client: &http.Client{}, MaxAttempts: -1}, "MaxAttempts"},
		{WorkerConfig{Store: e.store, Client: &http.Client{}, Timeout: -1}, "Timeout"},
	} {
		err := tc.cfg.Validate()
		var re *ragkb.Error
		if !errors.As(err, &re) || re.Field != tc.field {
			t.Errorf("Validate(%+v) = %v, want an error naming %s", tc.cfg, err, tc.field)
		}
	}
	if err := (WorkerConfig{Store: e.store, Client: &http.Client{}}).Validate(); err != nil {
		t.Errorf("Validate(minimal) = %v", err)
	}
}

func TestWorkerTimeout(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t, "0123456789abcdef", status(http.StatusOK))
	r.release = make(chan struct{}) // never answers
	e.webhook(e.tenant.ID, r.URL(), "0123456789abcdef", ragkb.EventAssistantFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
	d := e.delivery(e.tenant.ID)
	w := e.worker(func(c *WorkerConfig) { c.Timeout = 100 * time.Millisecond })
	if err := w.Work(e.ctx, job(d, 1)); err == nil {
		t.Fatal("a receiver that never answers counted as delivered")
	}
	got := e.delivery(e.tenant.ID)
	if got.Status != StatusPending || got.Attempts != 1 || got.LastCode != 0 || got.LastError != "request failed: no response within 100ms" {
		t.Errorf("delivery = %+v, want pending after a timed-out attempt", got)
	}
}
