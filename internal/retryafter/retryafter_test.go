package retryafter

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header string
		want   time.Duration
		wantOK bool
	}{
		{"absent", "", 0, false},
		{"seconds", "120", 2 * time.Minute, true},
		{"spaces", " 7 ", 7 * time.Second, true},
		{"fraction", "1.5", 1500 * time.Millisecond, true},
		{"zero", "0", 0, true},
		{"negative", "-5", 0, false},
		{"date", "Sat, 21 Nov 2026 12:01:00 GMT", time.Minute, true},
		{"past date", "Sat, 21 Nov 2026 11:00:00 GMT", 0, true},
		{"garbage", "soon", 0, false},
		{"huge", "1e30", maxWait, true},
		{"infinite", "Inf", maxWait, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Parse(tt.header, now)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("Parse(%q): got %v, %v; want %v, %v", tt.header, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "1", "-1", "1.5", "NaN", "Inf", "Sat, 21 Nov 2026 12:01:00 GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		d, ok := Parse(h, time.Unix(0, 0))
		if d < 0 || !ok && d != 0 {
			t.Fatalf("Parse(%q) = %v, %v", h, d, ok)
		}
	})
}
