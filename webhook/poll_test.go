package webhook

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ragkb/ragkb"
)

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestStartPollsEveryInterval runs the dispatcher's polling loop on
// synctest's fake clock (the receiver is an in-process transport, so no
// real time or network is involved): a delivery recorded while the
// dispatcher idles is sent at the next poll.
func TestStartPollsEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t)
		e.webhook(e.tenant.ID, "https://hooks.example/ragkb", secret, ragkb.EventAgentRequested)
		var sent atomic.Int32
		rt := roundTripper(func(r *http.Request) (*http.Response, error) {
			sent.Add(1)
			return &http.Response{StatusCode: http.StatusNoContent, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}, Request: r}, nil
		})
		d := e.dispatcher(func(c *DispatcherConfig) { c.Client = &http.Client{Transport: rt}; c.Interval = 2 * time.Second })
		d.Start(context.Background())
		defer d.Stop()
		synctest.Wait()
		e.record(&ragkb.Event{TenantID: e.tenant.ID, Type: ragkb.EventAgentRequested, Question: "A person, please"})
		time.Sleep(time.Second)
		synctest.Wait()
		if n := sent.Load(); n != 0 {
			t.Fatalf("sent %d requests before the next poll, want 0", n)
		}
		time.Sleep(1500 * time.Millisecond)
		synctest.Wait()
		if n := sent.Load(); n != 1 {
			t.Fatalf("sent %d requests after the next poll, want 1", n)
		}
		if dl := e.delivery(e.tenant.ID); dl.Status != StatusDelivered {
			t.Errorf("delivery status = %s, want delivered", dl.Status)
		}
	})
}
