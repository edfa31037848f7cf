package server

import (
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/ragkb/ragkb"
)

// keyLimiters holds one token bucket per API key (golang.org/x/time/rate).
// Buckets idle for longer than it takes to refill are dropped, so memory is
// bounded by the keys active in the last few seconds.
type keyLimiters struct {
	limit rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newKeyLimiters(perSecond float64, burst int, now func() time.Time) *keyLimiters {
	if burst <= 0 {
		burst = max(1, int(2*perSecond))
	}
	return &keyLimiters{limit: rate.Limit(perSecond), burst: burst, now: now, buckets: map[string]*bucket{}}
}

// reserve takes one token of the key's bucket; when none is left it returns
// how long until one is.
func (l *keyLimiters) reserve(keyID string) (ok bool, retryAfter time.Duration) {
	if l == nil || l.limit <= 0 {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	b := l.buckets[keyID]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[keyID] = b
	}
	b.seen = now
	idle := time.Duration(float64(l.burst)/float64(l.limit)*float64(time.Second)) + time.Minute
	if now.Sub(l.swept) > idle {
		for id, o := range l.buckets {
			if now.Sub(o.seen) > idle {
				delete(l.buckets, id)
			}
		}
		l.swept = now
	}
	l.mu.Unlock()
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

func (l *keyLimiters) forget(keyID string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	delete(l.buckets, keyID)
	l.mu.Unlock()
}

// rateLimited answers 429 with Retry-After once the key has used its share
// of the configured rate (RAGKB_RATE_LIMIT requests per second, burst
// RAGKB_RATE_BURST).
func (s *Server) rateLimited() gin.HandlerFunc {
	return func(c *gin.Context) {
		if ok, wait := s.limiters.reserve(key(c).ID); !ok {
			s.limited.Inc()
			writeError(c, s.log, &ragkb.Error{Code: ragkb.ERATELIMITED, RetryAfter: wait,
				Message: "this key sends more requests than its limit allows; retry after the number of seconds in Retry-After"})
			return
		}
		c.Next()
	}
}
