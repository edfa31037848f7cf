package ragkb_test

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/ragkb/ragkb"
)

func TestNewWebhookSecret(t *testing.T) {
	a, b := ragkb.NewWebhookSecret(), ragkb.NewWebhookSecret()
	if len(a) != 64 {
		t.Errorf("len(ragkb.NewWebhookSecret()) = %d, want 64", len(a))
	}
	if _, err := hex.DecodeString(a); err != nil {
		t.Errorf("ragkb.NewWebhookSecret() = %q, not hex: %v", a, err)
	}
	if a == b {
		t.Errorf("two ragkb.NewWebhookSecret() calls returned the same %q", a)
	}
	if err := (&ragkb.Webhook{URL: "https://x.example/h", Events: []ragkb.EventType{ragkb.EventAgentRequested}, Secret: a}).Validate(); err != nil {
		t.Errorf("ValidateWebhook rejects a ragkb.NewWebhookSecret(): %v", err)
	}
}

func TestWebhookValidate(t *testing.T) {
	ok := func(mod func(w *ragkb.Webhook)) *ragkb.Webhook {
		w := &ragkb.Webhook{URL: "https://shop.example/hooks/ragkb", Events: []ragkb.EventType{ragkb.EventAssistantFailed}}
		mod(w)
		return w
	}
	tests := []struct {
		name      string
		w         *ragkb.Webhook
		wantField string // "" = valid
	}{
		{name: "minimal https", w: ok(func(*ragkb.Webhook) {})},
		{name: "http with port and all events", w: ok(func(w *ragkb.Webhook) {
			w.URL = "http://shop.example:8080/h?x=1"
			w.Events = []ragkb.EventType{ragkb.EventAssistantFailed, ragkb.EventAgentRequested, ragkb.EventResourceFailed}
		})},
		{name: "secret 16 chars", w: ok(func(w *ragkb.Webhook) { w.Secret = strings.Repeat("s", 16) })},
		{name: "secret 256 chars", w: ok(func(w *ragkb.Webhook) { w.Secret = strings.Repeat("s", 256) })},
		{name: "url 2048 chars", w: ok(func(w *ragkb.Webhook) {
			w.URL = "https://shop.example/" + strings.Repeat("a", 2048-len("https://shop.example/"))
		})},
		{name: "nil", w: nil, wantField: ""},
		{name: "url missing", w: ok(func(w *ragkb.Webhook) { w.URL = "" }), wantField: "url"},
		{name: "url too long", w: ok(func(w *ragkb.Webhook) {
			w.URL = "https://shop.example/" + strings.Repeat("a", 2049-len("https://shop.example/"))
		}), wantField: "url"},
		{name: "ftp scheme", w: ok(func(w *ragkb.Webhook) { w.URL = "ftp://shop.example/h" }), wantField: "url"},
		{name: "no scheme", w: ok(func(w *ragkb.Webhook) { w.URL = "shop.example/h" }), wantField: "url"},
		{name: "no host", w: ok(func(w *ragkb.Webhook) { w.URL = "https:///h" }), wantField: "url"},
		{name: "unparsable", w: ok(func(w *ragkb.Webhook) { w.URL = "https://shop.example/%zz" }), wantField: "url"},
		{name: "events empty", w: ok(func(w *ragkb.Webhook) { w.Events = nil }), wantField: "events"},
		{name: "second event unknown", w: ok(func(w *ragkb.Webhook) {
			w.Events = []ragkb.EventType{ragkb.EventAgentRequested, "order_created"}
		}), wantField: "events[1]"},
		{name: "first event empty", w: ok(func(w *ragkb.Webhook) { w.Events = []ragkb.EventType{""} }), wantField: "events[0]"},
		{name: "secret too short", w: ok(func(w *ragkb.Webhook) { w.Secret = strings.Repeat("s", 15) }), wantField: "secret"},
		{name: "secret too long", w: ok(func(w *ragkb.Webhook) { w.Secret = strings.Repeat("s", 257) }), wantField: "secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.w.Validate()
			wantErr := tt.wantField != "" || tt.w == nil
			if !wantErr {
				if err != nil {
					t.Fatalf("ValidateWebhook() = %v, want nil", err)
				}
				return
			}
			var e *ragkb.Error
			if !errors.As(err, &e) {
				t.Fatalf("ValidateWebhook() = %v, want a *ragkb.Error", err)
			}
			if got, want := e.Code, ragkb.EINVALID; got != want {
				t.Errorf("code = %q, want %q", got, want)
			}
			if got, want := e.Field, tt.wantField; got != want {
				t.Errorf("field = %q, want %q (message %q)", got, want, e.Message)
			}
			if e.Message == "" {
				t.Errorf("empty message")
			}
		})
	}
}
