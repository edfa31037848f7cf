// Package retryafter reads HTTP Retry-After headers, shared by every client
// that talks to a rate-limited server (the connector fetcher, the embedding
// and LLM clients, the webhook dispatcher).
package retryafter

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxWait is the longest wait Parse reports (about 31 years); callers cap
// it far lower.
const (
	maxSeconds = 1e9
	maxWait    = time.Duration(maxSeconds) * time.Second
)

// Parse reads a Retry-After header: delay-seconds (fractions are accepted,
// some API gateways send them) or an HTTP date relative to now. A date in
// the past is a zero wait. ok is false when the header is absent, malformed
// or negative.
func Parse(h string, now time.Time) (d time.Duration, ok bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(h, 64); err == nil {
		if secs < 0 || secs != secs { // negative or NaN
			return 0, false
		}
		if secs >= maxSeconds { // beyond any sane wait (and Duration's range)
			return maxWait, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
