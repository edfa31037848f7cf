package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/webhook"
)

// TestWebhooksThroughAPI registers a webhook over the API, causes an
// assistant_failed event by asking an unanswerable question, and checks the
// signed delivery arrives and is listed in the delivery log.
func TestWebhooksThroughAPI(t *testing.T) {
	type got struct {
		body []byte
		sig  string
		typ  string
	}
	var mu sync.Mutex
	var received []got
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		received = append(received, got{b, r.Header.Get("X-Ragkb-Signature"), r.Header.Get("X-Ragkb-Event")})
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recv.Close()

	s := startService(t, t.TempDir(), nil)
	if err := s.app.Deliveries.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.app.Deliveries.Stop)
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	_, merchantB, chatbotB := s.tenantWithKeys("Other shop")

	var wh struct {
		ID     string
		Secret string
	}
	if code := s.call("POST", "/v1/webhooks", merchant, map[string]any{"url": recv.URL + "/hook", "events": []string{"assistant_failed"}}, &wh); code != 201 {
		t.Fatalf("create webhook: got %d", code)
	}
	if len(wh.Secret) < 16 {
		t.Fatalf("generated secret: got %q", wh.Secret)
	}
	if code := s.call("POST", "/v1/webhooks", merchant, map[string]any{"url": "ftp://x", "events": []string{"assistant_failed"}}, nil); code != 400 {
		t.Fatalf("bad webhook url: got %d, want 400", code)
	}
	// Another tenant's unanswerable question must not reach this webhook.
	s.call("POST", "/v1/answer", chatbotB, map[string]string{"question": "What is the capital of Peru?"}, nil)
	s.call("POST", "/v1/answer", chatbot, map[string]string{"question": "What is the capital of Peru?"}, nil)

	deadline := time.Now().Add(15 * time.Second)
	for {
		mu.Lock()
		n := len(received)
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // let a wrongly routed second delivery show up
	mu.Lock()
	defer mu.Unlock()
	if len(received) != 1 {
		t.Fatalf("deliveries received: got %d, want exactly 1 (this tenant's event only)", len(received))
	}
	d := received[0]
	if !webhook.Verify(wh.Secret, d.body, d.sig) || d.typ != "assistant_failed" {
		t.Fatalf("delivery: signature %q type %q do not verify", d.sig, d.typ)
	}
	var ev ragkb.Event
	if err := json.Unmarshal(d.body, &ev); err != nil || ev.Type != ragkb.EventAssistantFailed || ev.Question != "What is the capital of Peru?" {
		t.Fatalf("delivered event: got %+v (%v)", ev, err)
	}
	var log struct{ Deliveries []ragkb.Delivery }
	s.call("GET", "/v1/webhooks/"+wh.ID+"/deliveries", merchant, nil, &log)
	if len(log.Deliveries) != 1 || log.Deliveries[0].Status != "delivered" {
		t.Fatalf("delivery log: got %+v", log.Deliveries)
	}
	if code := s.call("GET", "/v1/webhooks/"+wh.ID+"/deliveries", merchantB, nil, nil); code != 404 {
		t.Fatalf("other tenant reads the delivery log: got %d, want 404", code)
	}
}
