package webhook

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

const secret = "whsec-0123456789abcdef"

func TestDispatcherSignedDelivery(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusNoContent))
	wh := e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAgentRequested)
	ev := e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested, AssistantID: "asst_1",
		Question: "Can I talk to a person?", Detail: "intent talk_to_agent"})
	dl := e.delivery(e.tenant.ID)

	e.clock.Advance(3 * time.Second)
	d := e.dispatcher(func(c *DispatcherConfig) { c.UserAgent = "ragkb-test/1" })
	e.runOnce(d, 1)

	reqs := rcv.requests()
	if len(reqs) != 1 {
		t.Fatalf("receiver got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	for _, h := range []struct{ name, want string }{
		{"X-Ragkb-Event", "agent_requested"},
		{"X-Ragkb-Delivery", dl.ID},
		{"X-Ragkb-Timestamp", strconv.FormatInt(e.clock.Now().Unix(), 10)},
		{"User-Agent", "ragkb-test/1"},
	} {
		if got := r.Header.Get(h.name); got != h.want {
			t.Errorf("%s = %q, want %q", h.name, got, h.want)
		}
	}
	if !Verify(secret, r.Body, r.Header.Get(HeaderSignature)) {
		t.Errorf("Verify rejects the received signature")
	}
	var got Payload
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	want := Payload{ID: ev.ID, Type: ev.Type, CreatedAt: ev.CreatedAt, TenantID: e.tenant.ID,
		AssistantID: "asst_1", Question: "Can I talk to a person?", Detail: "intent talk_to_agent"}
	if !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("created_at = %v, want %v", got.CreatedAt, want.CreatedAt)
	}
	got.CreatedAt, want.CreatedAt = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("payload = %+v, want %+v", got, want)
	}

	after := e.delivery(e.tenant.ID)
	if after.Status != StatusDelivered || after.Attempts != 1 || after.LastCode != 204 || after.LastError != "" || after.NextAttempt != nil {
		t.Errorf("delivery = %+v, want delivered after 1 attempt with code 204 and no next attempt", after)
	}
	if after.WebhookID != wh.ID || after.EventID != ev.ID {
		t.Errorf("delivery links webhook %s event %s, want %s %s", after.WebhookID, after.EventID, wh.ID, ev.ID)
	}

	e.clock.Advance(time.Hour)
	e.runOnce(d, 0)
	if n := len(rcv.requests()); n != 1 {
		t.Errorf("a delivered event was sent again: %d requests", n)
	}
}

func TestDispatcherRetriesAfterServerError(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusInternalServerError), status(http.StatusOK))
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAssistantFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed, Question: "Gdzie jest moja paczka?"})
	d := e.dispatcher(nil)

	e.runOnce(d, 0)
	failed := e.delivery(e.tenant.ID)
	wantNext := e.clock.Now().Add(time.Minute) // Backoff(1) in the test config
	if failed.Status != StatusPending || failed.Attempts != 1 || failed.LastCode != 500 {
		t.Fatalf("after a 500: delivery = %+v, want pending, 1 attempt, code 500", failed)
	}
	if !strings.Contains(failed.LastError, "500") {
		t.Errorf("LastError = %q, want it to mention 500", failed.LastError)
	}
	if failed.NextAttempt == nil || !failed.NextAttempt.Equal(wantNext) {
		t.Errorf("NextAttempt = %v, want %v", failed.NextAttempt, wantNext)
	}

	e.clock.Advance(59 * time.Second)
	e.runOnce(d, 0) // not due yet
	if n := len(rcv.requests()); n != 1 {
		t.Fatalf("retried before the backoff elapsed: %d requests", n)
	}
	e.clock.Advance(time.Second)
	e.runOnce(d, 1)

	reqs := rcv.requests()
	if len(reqs) != 2 {
		t.Fatalf("receiver got %d requests, want 2", len(reqs))
	}
	if string(reqs[0].Body) != string(reqs[1].Body) || reqs[0].Header.Get(HeaderSignature) != reqs[1].Header.Get(HeaderSignature) {
		t.Errorf("the retry sent different bytes or signature:\n%s\n%s", reqs[0].Body, reqs[1].Body)
	}
	if reqs[0].Header.Get(HeaderDelivery) != reqs[1].Header.Get(HeaderDelivery) {
		t.Errorf("the retry changed X-Ragkb-Delivery")
	}
	done := e.delivery(e.tenant.ID)
	if done.Status != StatusDelivered || done.Attempts != 2 || done.LastCode != 200 || done.LastError != "" {
		t.Errorf("delivery = %+v, want delivered after 2 attempts", done)
	}
}

func TestDispatcherRetryAfter(t *testing.T) {
	now := newClock().Now()
	tests := []struct {
		name     string
		response func(http.ResponseWriter)
		want     time.Duration // delay until the next attempt
	}{
		{name: "429 seconds", response: status(http.StatusTooManyRequests, "Retry-After", "120"), want: 120 * time.Second},
		{name: "503 http date", response: status(http.StatusServiceUnavailable, "Retry-After", now.Add(7*time.Minute).Format(http.TimeFormat)), want: 7 * time.Minute},
		{name: "429 zero is floored", response: status(http.StatusTooManyRequests, "Retry-After", "0"), want: time.Second},
		{name: "429 without header uses backoff", response: status(http.StatusTooManyRequests), want: time.Minute},
		{name: "429 malformed header uses backoff", response: status(http.StatusTooManyRequests, "Retry-After", "later"), want: time.Minute},
		{name: "500 ignores Retry-After", response: status(http.StatusInternalServerError, "Retry-After", "120"), want: time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			rcv := newReceiver(t, secret, tt.response, status(http.StatusOK))
			e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventResourceFailed)
			e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventResourceFailed, ResourceID: "res_1"})
			d := e.dispatcher(nil)

			e.runOnce(d, 0)
			dl := e.delivery(e.tenant.ID)
			if dl.NextAttempt == nil {
				t.Fatalf("delivery = %+v: no next attempt", dl)
			}
			if got := dl.NextAttempt.Sub(e.clock.Now()); got != tt.want {
				t.Errorf("next attempt in %v, want %v", got, tt.want)
			}
			e.clock.Advance(tt.want - time.Nanosecond)
			e.runOnce(d, 0)
			e.clock.Advance(time.Nanosecond)
			e.runOnce(d, 1)
			if n := len(rcv.requests()); n != 2 {
				t.Errorf("receiver got %d requests, want 2", n)
			}
		})
	}
}

func TestDispatcherMaxAttempts(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusBadGateway))
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAssistantFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
	d := e.dispatcher(func(c *DispatcherConfig) { c.MaxAttempts = 3 })

	for attempt := 1; attempt <= 3; attempt++ {
		e.runOnce(d, 0)
		dl := e.delivery(e.tenant.ID)
		if got, want := dl.Attempts, attempt; got != want {
			t.Fatalf("attempts = %d, want %d", got, want)
		}
		wantStatus := StatusPending
		if attempt == 3 {
			wantStatus = StatusFailed
		}
		if dl.Status != wantStatus {
			t.Fatalf("after attempt %d: status = %q, want %q", attempt, dl.Status, wantStatus)
		}
		e.clock.Advance(time.Duration(attempt) * time.Minute)
	}
	dl := e.delivery(e.tenant.ID)
	if dl.NextAttempt != nil || dl.LastCode != 502 || !strings.Contains(dl.LastError, "502") {
		t.Errorf("failed delivery = %+v, want no next attempt and the last 502", dl)
	}
	e.clock.Advance(24 * time.Hour)
	e.runOnce(d, 0)
	if n := len(rcv.requests()); n != 3 {
		t.Errorf("receiver got %d requests, want 3 (no attempt after failing)", n)
	}
}

func TestDispatcherNetworkErrorAndRedirect(t *testing.T) {
	tests := []struct {
		name      string
		url       func(t *testing.T, other *receiver) string
		wantCode  int
		wantError string
	}{
		{name: "connection refused", url: func(t *testing.T, _ *receiver) string {
			gone := newReceiver(t, secret, status(http.StatusOK))
			gone.srv.Close()
			return gone.URL()
		}, wantCode: 0, wantError: "request failed"},
		{name: "redirect is not followed", url: func(t *testing.T, other *receiver) string {
			redirector := newReceiver(t, secret, status(http.StatusTemporaryRedirect, "Location", other.URL()))
			return redirector.URL()
		}, wantCode: 307, wantError: "307"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			other := newReceiver(t, secret, status(http.StatusOK))
			e.webhook(e.tenant.ID, tt.url(t, other), secret, ragkb.EventAssistantFailed)
			e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
			e.runOnce(e.dispatcher(nil), 0)
			dl := e.delivery(e.tenant.ID)
			if dl.Status != StatusPending || dl.Attempts != 1 || dl.LastCode != tt.wantCode || !strings.Contains(dl.LastError, tt.wantError) {
				t.Errorf("delivery = %+v, want pending, 1 attempt, code %d, error containing %q", dl, tt.wantCode, tt.wantError)
			}
			if n := len(other.requests()); n != 0 {
				t.Errorf("redirect target got %d requests, want 0", n)
			}
		})
	}
}

func TestDispatcherTimeout(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusOK))
	rcv.release = make(chan struct{}) // never released: the receiver hangs
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAssistantFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
	e.runOnce(e.dispatcher(func(c *DispatcherConfig) { c.Timeout = 50 * time.Millisecond }), 0)
	dl := e.delivery(e.tenant.ID)
	if dl.Status != StatusPending || dl.Attempts != 1 || !strings.Contains(dl.LastError, "no response within 50ms") {
		t.Errorf("delivery = %+v, want pending after 1 timed-out attempt", dl)
	}
}

// deletingStore is the real store, with the webhook deleted right after the
// due deliveries were listed: the race between a merchant deleting a webhook
// and the dispatcher. It records the updates the dispatcher makes.
type deletingStore struct {
	DispatcherStore
	deleteWebhook func()
	updates       []ragkb.Delivery
}

func (s *deletingStore) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]*ragkb.Delivery, error) {
	due, err := s.DispatcherStore.DueDeliveries(ctx, now, limit)
	s.deleteWebhook()
	return due, err
}

func (s *deletingStore) UpdateDelivery(ctx context.Context, d *ragkb.Delivery) error {
	s.updates = append(s.updates, *d)
	return s.DispatcherStore.UpdateDelivery(ctx, d)
}

func TestDispatcherWebhookDeleted(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusOK))
	wh := e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAgentRequested)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested})
	store := &deletingStore{DispatcherStore: e.store, deleteWebhook: func() {
		if err := e.store.DeleteWebhook(e.ctx, e.tenant.ID, wh.ID); err != nil && !ragkb.IsNotFound(err) {
			t.Errorf("DeleteWebhook: %v", err)
		}
	}}
	d := e.dispatcher(func(c *DispatcherConfig) { c.Store = store })

	e.runOnce(d, 0)
	if n := len(rcv.requests()); n != 0 {
		t.Errorf("a deleted webhook got %d requests", n)
	}
	if len(store.updates) != 1 || store.updates[0].Status != StatusFailed || store.updates[0].LastError != "the webhook was deleted" ||
		store.updates[0].NextAttempt != nil {
		t.Errorf("updates = %+v, want one marking the delivery failed because the webhook was deleted", store.updates)
	}
	// The store removes a webhook's deliveries with it; nothing is left due.
	e.clock.Advance(time.Hour)
	e.runOnce(d, 0)
	if len(store.updates) != 1 {
		t.Errorf("the abandoned delivery was handled again: %+v", store.updates)
	}
}

func TestDispatcherTenantIsolation(t *testing.T) {
	e := newEnv(t)
	const otherSecret = "other-shop-secret-0123"
	mine := newReceiver(t, secret, status(http.StatusOK))
	theirs := newReceiver(t, otherSecret, status(http.StatusOK))
	e.webhook(e.tenant.ID, mine.URL(), secret, ragkb.EventAgentRequested)
	e.webhook(e.other.ID, theirs.URL(), otherSecret, ragkb.EventAgentRequested, ragkb.EventAssistantFailed, ragkb.EventResourceFailed)

	ev := e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested, Question: "private question"})
	e.runOnce(e.dispatcher(nil), 1)

	if n := len(mine.requests()); n != 1 {
		t.Errorf("the event's tenant got %d requests, want 1", n)
	}
	if n := len(theirs.requests()); n != 0 {
		t.Errorf("another tenant's webhook got %d requests, want 0", n)
	}
	if ds := e.deliveries(e.other.ID); len(ds) != 0 {
		t.Errorf("another tenant has deliveries %+v", ds)
	}
	if _, err := e.store.GetEvent(e.ctx, e.other.ID, ev.ID); !ragkb.IsNotFound(err) {
		t.Errorf("GetEvent from another tenant: err = %v, want not found", err)
	}
}

func TestDispatcherBatches(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusOK))
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAssistantFailed)
	for range 7 {
		e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed})
	}
	d := e.dispatcher(func(c *DispatcherConfig) { c.BatchSize = 3; c.Concurrency = 2 })
	for _, want := range []int{3, 3, 1, 0} {
		e.runOnce(d, want)
	}
	seen := map[string]bool{}
	for _, r := range rcv.requests() {
		seen[r.Header.Get(HeaderDelivery)] = true
	}
	if got, want := len(seen), 7; got != want || len(rcv.requests()) != want {
		t.Errorf("receiver got %d requests for %d deliveries, want %d each", len(rcv.requests()), got, want)
	}
	for _, dl := range e.deliveries(e.tenant.ID) {
		if dl.Status != StatusDelivered {
			t.Errorf("delivery %s is %s, want delivered", dl.ID, dl.Status)
		}
	}
}

// TestDeliverySurvivesRestart records with one process and delivers with
// another that opens the same database file later.
func TestDeliverySurvivesRestart(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusOK))
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventResourceFailed)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventResourceFailed, ResourceID: "res_1", Detail: "404"})
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	e.open()
	e.runOnce(e.dispatcher(nil), 1)
	if n := len(rcv.requests()); n != 1 {
		t.Errorf("receiver got %d requests, want 1", n)
	}
}

func TestDispatcherStopWaitsForInFlight(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusOK))
	rcv.arrived, rcv.release = make(chan struct{}, 1), make(chan struct{})
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAgentRequested)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested})
	d := e.dispatcher(func(c *DispatcherConfig) { c.Interval = time.Hour })

	d.Start(e.ctx) // polls at once
	waitFor(t, rcv.arrived, "the request to arrive")
	stopped := make(chan struct{})
	go func() { d.Stop(); close(stopped) }()
	close(rcv.release)
	waitFor(t, stopped, "Stop to return")
	if dl := e.delivery(e.tenant.ID); dl.Status != StatusDelivered {
		t.Errorf("after Stop: delivery = %+v, want delivered (Stop must wait for in-flight deliveries)", dl)
	}
	d.Stop() // a second Stop is harmless
}

func TestDispatcherStopIsBounded(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusOK))
	rcv.arrived, rcv.release = make(chan struct{}, 1), make(chan struct{}) // never released
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAgentRequested)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested})
	d := e.dispatcher(func(c *DispatcherConfig) {
		c.Interval, c.Timeout, c.ShutdownTimeout = time.Hour, time.Hour, 20*time.Millisecond
	})

	d.Start(e.ctx)
	waitFor(t, rcv.arrived, "the request to arrive")
	d.Stop()
	dl := e.delivery(e.tenant.ID)
	if dl.Status != StatusPending || dl.Attempts != 0 {
		t.Errorf("after a cancelled attempt: delivery = %+v, want pending with 0 attempts (not counted)", dl)
	}
	// Due again once the claim (Timeout + 30s) lapses.
	if want := e.clock.Now().Add(time.Hour + 30*time.Second); dl.NextAttempt == nil || !dl.NextAttempt.Equal(want) {
		t.Errorf("NextAttempt = %v, want the claim's end %v", dl.NextAttempt, want)
	}
}

// TestDispatcherClaim runs two dispatchers on one store, as two worker
// processes would: the second skips the delivery the first is sending.
func TestDispatcherClaim(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusOK))
	rcv.arrived, rcv.release = make(chan struct{}, 1), make(chan struct{})
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAgentRequested)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested})
	first := e.dispatcher(nil)
	// Should the second send anyway, its request times out rather than hang.
	second := e.dispatcher(func(c *DispatcherConfig) { c.Timeout = 100 * time.Millisecond })

	type result struct {
		n   int
		err error
	}
	firstDone := make(chan result, 1)
	go func() {
		n, err := first.RunOnce(e.ctx)
		firstDone <- result{n, err}
	}()
	waitFor(t, rcv.arrived, "the first dispatcher's request")
	e.clock.Advance(5 * time.Second) // still within the claim (Timeout 5s + 30s)
	e.runOnce(second, 0)
	close(rcv.release)
	var r result
	select {
	case r = <-firstDone:
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for the first dispatcher")
	}
	if r.err != nil || r.n != 1 {
		t.Errorf("first RunOnce = %d, %v; want 1, nil", r.n, r.err)
	}
	if n := len(rcv.requests()); n != 1 {
		t.Errorf("receiver got %d requests, want 1", n)
	}
	if dl := e.delivery(e.tenant.ID); dl.Status != StatusDelivered || dl.Attempts != 1 {
		t.Errorf("delivery = %+v, want delivered after 1 attempt", dl)
	}
}

func TestDispatcherConfigValidate(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name      string
		cfg       DispatcherConfig
		wantField string
	}{
		{name: "defaults", cfg: DispatcherConfig{Store: e.store, Client: http.DefaultClient}},
		{name: "no store", cfg: DispatcherConfig{Client: http.DefaultClient}, wantField: "Store"},
		{name: "no client", cfg: DispatcherConfig{Store: e.store}, wantField: "Client"},
		{name: "negative interval", cfg: DispatcherConfig{Store: e.store, Client: http.DefaultClient, Interval: -1}, wantField: "Interval"},
		{name: "negative attempts", cfg: DispatcherConfig{Store: e.store, Client: http.DefaultClient, MaxAttempts: -1}, wantField: "MaxAttempts"},
		{name: "negative timeout", cfg: DispatcherConfig{Store: e.store, Client: http.DefaultClient, Timeout: -1}, wantField: "Timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if got := ragkb.ErrorField(err); got != tt.wantField || (tt.wantField != "") != (err != nil) {
				t.Errorf("Validate() = %v (field %q), want field %q", err, got, tt.wantField)
			}
			if err != nil && ragkb.ErrorCodeOf(err) != ragkb.EINVALID {
				t.Errorf("code = %q, want invalid", ragkb.ErrorCodeOf(err))
			}
		})
	}
	defer func() {
		if recover() == nil {
			t.Errorf("NewDispatcher without a client did not panic")
		}
	}()
	NewDispatcher(DispatcherConfig{Store: e.store})
}

// BenchmarkRunOnce measures dispatching a batch of 50 due deliveries to a
// local receiver (SQLite store, loopback HTTP, 4 requests in flight).
func BenchmarkRunOnce(b *testing.B) {
	e := newEnv(b)
	rcv := newReceiver(b, secret, status(http.StatusNoContent))
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAssistantFailed)
	rec := e.recorder()
	d := e.dispatcher(func(c *DispatcherConfig) { c.BatchSize = 50 })
	total := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for range 50 {
			if err := rec.Record(e.ctx, &ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAssistantFailed, Question: "q"}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		n, err := d.RunOnce(e.ctx)
		if err != nil || n != 50 {
			b.Fatalf("RunOnce = %d, %v; want 50", n, err)
		}
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "deliveries/s")
}

// BenchmarkRecord measures recording an event for a tenant with two
// subscribed webhooks (one event row, two delivery rows).
func BenchmarkRecord(b *testing.B) {
	e := newEnv(b)
	e.webhook(e.tenant.ID, "https://a.example/1", "", ragkb.EventAgentRequested)
	e.webhook(e.tenant.ID, "https://a.example/2", "", ragkb.EventAgentRequested, ragkb.EventAssistantFailed)
	rec := e.recorder()
	for b.Loop() {
		if err := rec.Record(e.ctx, &ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested}); err != nil {
			b.Fatal(err)
		}
	}
}

// staleStore lists the deliveries it was given, as a dispatcher that
// polled just before another claimed them would see them.
type staleStore struct {
	DispatcherStore
	due []*ragkb.Delivery
}

func (s *staleStore) DueDeliveries(context.Context, time.Time, int) ([]*ragkb.Delivery, error) {
	out := make([]*ragkb.Delivery, len(s.due))
	for i, d := range s.due {
		c := *d
		out[i] = &c
	}
	return out, nil
}

// TestDispatcherStaleListSendsNothing: two dispatchers list the same due
// delivery; the claim is atomic, so only the first sends it.
func TestDispatcherStaleListSendsNothing(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, secret, status(http.StatusOK))
	e.webhook(e.tenant.ID, rcv.URL(), secret, ragkb.EventAgentRequested)
	e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested})
	listed, err := e.store.DueDeliveries(e.ctx, e.clock.Now(), 10)
	if err != nil || len(listed) != 1 {
		t.Fatalf("DueDeliveries = %d, %v; want 1", len(listed), err)
	}
	first := e.dispatcher(nil)
	second := e.dispatcher(func(c *DispatcherConfig) { c.Store = &staleStore{DispatcherStore: e.store, due: listed} })
	if n, err := first.RunOnce(e.ctx); n != 1 || err != nil {
		t.Fatalf("first RunOnce = %d, %v; want 1 delivered", n, err)
	}
	if n, err := second.RunOnce(e.ctx); n != 0 || err != nil {
		t.Fatalf("second RunOnce with the stale list = %d, %v; want 0", n, err)
	}
	if got := len(rcv.requests()); got != 1 {
		t.Errorf("receiver got %d requests, want 1 (the stale dispatcher must not send)", got)
	}
}
