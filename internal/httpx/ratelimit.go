package httpx

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RateLimiter gives each client (a session, an API or service-account
// token, or an address without either) a token bucket: rate requests a
// second on average, bursts of up to burst. It keeps one client from
// taking the slots that the concurrency limit (Limit) shares among all:
// a script looping on the API gets 429 with Retry-After while a nurse at a
// counter is served. Buckets live in memory, per node, which is enough for
// fairness; they are not a security boundary (accounts lock on their own).
type RateLimiter struct {
	rate, burst float64
	now         func() time.Time
	maxClients  int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewRateLimiter makes a limiter of rate requests a second per client with
// bursts of burst (at least 1).
func NewRateLimiter(rate float64, burst int) *RateLimiter {
	return &RateLimiter{rate: rate, burst: float64(max(burst, 1)), now: time.Now, maxClients: 100000, buckets: map[string]*bucket{}}
}

// Allow takes a token from the client's bucket. When none is left it
// reports how long until one is.
func (l *RateLimiter) Allow(client string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[client]
	if b == nil {
		if len(l.buckets) >= l.maxClients {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[client] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep forgets the clients whose buckets have filled up again (they are
// as good as new), and everyone if that is not enough, so that a flood of
// made-up tokens cannot grow the map without bound.
func (l *RateLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.maxClients {
		clear(l.buckets)
	}
}

// Clients is how many clients have a bucket now.
func (l *RateLimiter) Clients() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// RateLimit answers a request whose client has no token left with refuse,
// after setting Retry-After to the whole seconds until the next token.
// Requests for which exempt reports true, or whose client is "", pass.
func RateLimit(l *RateLimiter, client func(*http.Request) string, exempt func(*http.Request) bool, refuse, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exempt != nil && exempt(r) {
			next.ServeHTTP(w, r)
			return
		}
		if ok, wait := l.Allow(client(r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			refuse.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
