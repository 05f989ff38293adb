package httpx

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Limit is the load-shedding middleware. At most max requests are served
// at once; a request that finds every slot taken waits up to queue for
// one, then is refused at once with refuse (503 and Retry-After), which
// costs almost nothing. Shedding early keeps the admitted requests fast
// and the process's memory bounded: queueing without bound would make
// every request slow and every waiting request hold its buffers.
//
// Every admitted request's context ends after timeout, so that no query
// (or request stuck behind an unreachable database) runs forever. Paths
// for which exempt reports true (health checks, static files) bypass the
// limit: a load balancer must still see the node alive while it sheds.
func Limit(max int, queue, timeout time.Duration, exempt func(*http.Request) bool, refuse, next http.Handler) http.Handler {
	slots := make(chan struct{}, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exempt != nil && exempt(r) {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case slots <- struct{}{}:
		default:
			if !wait(r.Context(), slots, queue) {
				w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
				refuse.ServeHTTP(w, r)
				return
			}
		}
		defer func() { <-slots }()
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		next.ServeHTTP(&retryWriter{ResponseWriter: w}, r.WithContext(ctx))
	})
}

// retryAfter is the seconds a refused client is asked to wait: a couple
// of seconds is long enough for a burst to pass, short enough for a nurse
// at a counter.
const retryAfter = 2

func wait(ctx context.Context, slots chan struct{}, queue time.Duration) bool {
	if queue <= 0 {
		return false
	}
	t := time.NewTimer(queue)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// retryWriter adds Retry-After to every 503 and 429 an admitted request
// answers (the database unreachable, a timeout), unless the handler set
// its own: clients and proxies then know when to come back.
type retryWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *retryWriter) WriteHeader(code int) {
	if !w.wrote && (code == http.StatusServiceUnavailable || code == http.StatusTooManyRequests) && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *retryWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *retryWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
