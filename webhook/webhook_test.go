package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestSign(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		body   string
		want   string
	}{
		// RFC 4231, test case 2: an outside reference, not our own output.
		{name: "rfc4231 case 2", secret: "Jefe", body: "what do ya want for nothing?",
			want: "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		// RFC 4231, test case 1 uses a binary key; case 2 suffices for text keys.
		{name: "empty body", secret: "Jefe", body: "", want: "sha256=" + hmacHex("Jefe", "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sign(tt.secret, []byte(tt.body)); got != tt.want {
				t.Errorf("Sign() = %q, want %q", got, tt.want)
			}
		})
	}
}

// hmacHex computes the signature independently of Sign.
func hmacHex(secret, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	return hex.EncodeToString(m.Sum(nil))
}

func TestVerify(t *testing.T) {
	const secret = "0123456789abcdef-secret"
	body := []byte(`{"id":"evt_x","type":"agent_requested"}`)
	good := "sha256=" + hmacHex(secret, string(body))
	tests := []struct {
		name   string
		secret string
		body   []byte
		header string
		want   bool
	}{
		{name: "valid", secret: secret, body: body, header: good, want: true},
		{name: "valid with surrounding space", secret: secret, body: body, header: " " + good + " ", want: true},
		{name: "uppercase hex", secret: secret, body: body, header: "sha256=" + strings.ToUpper(hmacHex(secret, string(body))), want: true},
		{name: "tampered body", secret: secret, body: []byte(`{"id":"evt_y","type":"agent_requested"}`), header: good, want: false},
		{name: "wrong secret", secret: secret + "x", body: body, header: good, want: false},
		{name: "missing prefix", secret: secret, body: body, header: hmacHex(secret, string(body)), want: false},
		{name: "other algorithm", secret: secret, body: body, header: "sha1=" + hmacHex(secret, string(body)), want: false},
		{name: "not hex", secret: secret, body: body, header: "sha256=zz" + good[9:], want: false},
		{name: "truncated", secret: secret, body: body, header: good[:len(good)-2], want: false},
		{name: "empty", secret: secret, body: body, header: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.secret, tt.body, tt.header); got != tt.want {
				t.Errorf("Verify() = %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("secret", []byte(`{"a":1}`), "sha256=00")
	f.Add("", []byte{}, "")
	f.Fuzz(func(t *testing.T, secret string, body []byte, header string) {
		if !Verify(secret, body, Sign(secret, body)) {
			t.Fatalf("Verify rejects Sign's own signature")
		}
		if Verify(secret, body, header) && header != "" {
			// Only a header equal (modulo case and space) to the real signature may pass.
			want := Sign(secret, body)
			if !strings.EqualFold(strings.TrimSpace(header), want) {
				t.Fatalf("Verify accepted %q, real signature %q", header, want)
			}
		}
	})
}

func TestDefaultBackoff(t *testing.T) {
	tests := []struct {
		name     string
		attempt  int
		min, max time.Duration
	}{
		{name: "first failure", attempt: 1, min: 8 * time.Second, max: 12 * time.Second},
		{name: "second", attempt: 2, min: 16 * time.Second, max: 24 * time.Second},
		{name: "fourth", attempt: 4, min: 64 * time.Second, max: 96 * time.Second},
		{name: "ninth reaches the cap region", attempt: 9, min: 2048 * time.Second, max: time.Hour},
		{name: "huge attempt stays capped", attempt: 1000, min: 48 * time.Minute, max: time.Hour},
		{name: "zero treated as first", attempt: 0, min: 8 * time.Second, max: 12 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[time.Duration]bool{}
			for range 200 {
				got := DefaultBackoff(tt.attempt)
				if got < tt.min || got > tt.max {
					t.Fatalf("DefaultBackoff(%d) = %v, want within [%v, %v]", tt.attempt, got, tt.min, tt.max)
				}
				seen[got] = true
			}
			if len(seen) < 2 {
				t.Errorf("DefaultBackoff(%d) returned one value 200 times: no jitter", tt.attempt)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header string
		want   time.Duration
		wantOK bool
	}{
		{name: "seconds", header: "120", want: 2 * time.Minute, wantOK: true},
		{name: "zero", header: "0", want: 0, wantOK: true},
		{name: "spaces", header: " 30 ", want: 30 * time.Second, wantOK: true},
		{name: "http date", header: now.Add(5 * time.Minute).Format(http1123), want: 5 * time.Minute, wantOK: true},
		{name: "date in the past", header: now.Add(-time.Hour).Format(http1123), want: 0, wantOK: true},
		{name: "seconds capped", header: "999999999", want: MaxRetryAfter, wantOK: true},
		{name: "date capped", header: now.Add(72 * time.Hour).Format(http1123), want: MaxRetryAfter, wantOK: true},
		{name: "absent", header: "", wantOK: false},
		{name: "negative", header: "-5", wantOK: false},
		{name: "garbage", header: "soon", wantOK: false},
		{name: "fraction (some gateways send them)", header: "1.5", want: 1500 * time.Millisecond, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseRetryAfter(tt.header, now)
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.header, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// http1123 is the IMF-fixdate layout of RFC 9110 (http.TimeFormat).
const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

func FuzzParseRetryAfter(f *testing.F) {
	f.Add("120")
	f.Add("Sat, 21 Nov 2026 06:05:00 GMT")
	f.Add("-1")
	now := time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, h string) {
		d, ok := ParseRetryAfter(h, now)
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, false: want 0 when not ok", h, d)
		}
		if d < 0 || d > MaxRetryAfter {
			t.Fatalf("ParseRetryAfter(%q) = %v, outside [0, %v]", h, d, MaxRetryAfter)
		}
	})
}

func TestMarshalEvent(t *testing.T) {
	tests := []struct {
		name string
		e    *ragkb.Event
	}{
		{name: "agent_requested", e: &ragkb.Event{
			ID: "evt_aaaabbbbccccdddd", TenantID: "ten_1", Type: ragkb.EventAgentRequested, AssistantID: "asst_1",
			Question: "Czy mogę rozmawiać z [NAME]? <b>& \"quotes\"</b>", Detail: "intent talk_to_agent",
			CreatedAt: time.Date(2026, 11, 21, 6, 1, 2, 345678000, time.FixedZone("CET", 3600)),
		}},
		{name: "resource_failed", e: &ragkb.Event{
			ID: "evt_eeeeffffgggghhhh", TenantID: "ten_2", Type: ragkb.EventResourceFailed, ResourceID: "res_9",
			Detail: "the FAQ page answered 404", CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MarshalEvent(tt.e)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := MarshalEvent(tt.e)
			if !bytes.Equal(got, again) {
				t.Errorf("MarshalEvent is not stable:\n%s\n%s", got, again)
			}
			var keys map[string]any
			if err := json.Unmarshal(got, &keys); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			for _, k := range []string{"id", "type", "created_at", "tenant_id", "resource_id", "assistant_id", "question", "detail"} {
				if _, ok := keys[k]; !ok {
					t.Errorf("body lacks %q: %s", k, got)
				}
			}
			if got, want := len(keys), 8; got != want {
				t.Errorf("body has %d keys, want %d: %s", got, want, keys)
			}
			golden := filepath.Join("testdata", tt.name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run with -update to create): %v", err)
			}
			if string(got)+"\n" != string(want) {
				t.Errorf("MarshalEvent() =\n%s\nwant (%s)\n%s", got, golden, want)
			}
		})
	}
}

func BenchmarkSign(b *testing.B) {
	body, _ := MarshalEvent(&ragkb.Event{ID: "evt_x", TenantID: "ten_x", Type: ragkb.EventAssistantFailed,
		Question: strings.Repeat("question ", 50), CreatedAt: time.Now()})
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Sign("0123456789abcdef0123456789abcdef", body)
	}
}
