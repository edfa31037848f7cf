package webhook_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/ragkb/ragkb/webhook"
)

// A merchant's endpoint checks the signature over the raw body before
// trusting it, and deduplicates by the delivery id (delivery is at least once).
func ExampleVerify() {
	const secret = "the secret shown when the webhook was created"
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil || !webhook.Verify(secret, body, r.Header.Get("X-Ragkb-Signature")) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		fmt.Println("accepted", r.Header.Get("X-Ragkb-Event"), r.Header.Get("X-Ragkb-Delivery"))
		w.WriteHeader(http.StatusNoContent)
	})

	body := `{"id":"evt_1","type":"agent_requested"}`
	for _, sig := range []string{webhook.Sign(secret, []byte(body)), webhook.Sign("wrong", []byte(body))} {
		req := httptest.NewRequest(http.MethodPost, "/hooks/ragkb", strings.NewReader(body))
		req.Header.Set("X-Ragkb-Signature", sig)
		req.Header.Set("X-Ragkb-Event", "agent_requested")
		req.Header.Set("X-Ragkb-Delivery", "dlv_1")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	// Output:
	// accepted agent_requested dlv_1
	// 204
	// 401
}
