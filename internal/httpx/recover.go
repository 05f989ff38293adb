package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
)

// Recover turns a handler's panic into a plain 500 answer. Go's own
// recovery would log the panic's value and stack, and a value may hold
// personal data (a name in a formatted message, a record in an error):
// here only its type and the place it came from are logged, with the
// request's ID, and the client gets the ID and nothing else.
func Recover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v) // the server's own way to abort a response
			}
			id := RequestID(r.Context())
			log.LogAttrs(r.Context(), slog.LevelError, "handler panicked", slog.String("request_id", id),
				slog.String("type", fmt.Sprintf("%T", v)), slog.String("at", panicSite()))
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = fmt.Fprintf(w, "Internal error. Reference: %s\n", id)
		}()
		next.ServeHTTP(w, r)
	})
}

// panicSite is the first frame of our own code below the panic: where to
// look, without the values.
func panicSite() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "termtem/") && !strings.Contains(f.Function, "httpx.Recover") {
			return fmt.Sprintf("%s:%d", f.Function, f.Line)
		}
		if !more {
			return "unknown"
		}
	}
}
