// Package httpx holds what the HTML and JSON sides of Termtem share: the one
// mapping from error codes to HTTP statuses, request IDs, the request's
// language and principal, security headers and access logs.
package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
)

// Status maps an error code to an HTTP status. This is the only place.
func Status(code errs.Code) int {
	switch code {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Stale:
		return http.StatusPreconditionFailed
	case errs.VersionRequired:
		return http.StatusPreconditionRequired
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.TooManyRequests:
		return http.StatusTooManyRequests
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	case errs.BadRequest:
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

type ctxKey int

const (
	requestIDKey ctxKey = iota
	principalKey
	langKey
)

// RequestID returns the request's ID ("" outside a request).
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

// Principal returns who is acting, or nil for an anonymous request.
func Principal(ctx context.Context) *account.Principal {
	p, _ := ctx.Value(principalKey).(*account.Principal)
	return p
}

// WithPrincipal attaches the acting principal.
func WithPrincipal(ctx context.Context, p *account.Principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}

// Lang returns the request's UI language.
func Lang(ctx context.Context) string {
	if s, ok := ctx.Value(langKey).(string); ok {
		return s
	}
	return "th"
}

// WithLang attaches the request's UI language.
func WithLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey, lang)
}

// statusRecorder remembers the status for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Observer receives each finished request, for metrics.
type Observer func(pattern string, status int, elapsed time.Duration)

// Logging gives each request an ID and logs one line when it ends. The line
// holds the route pattern, not the URL, so that no identifier typed into a
// query string reaches the log.
func Logging(log *slog.Logger, observe Observer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-ID", id)
		rec := &statusRecorder{ResponseWriter: w}
		start := time.Now()
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		elapsed := time.Since(start)
		pattern := r.Pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		attrs := []slog.Attr{slog.String("request_id", id), slog.String("route", pattern),
			slog.Int("status", rec.status), slog.Duration("elapsed", elapsed)}
		if p := Principal(r.Context()); p != nil {
			attrs = append(attrs, slog.String("user_id", p.User.ID))
		}
		log.LogAttrs(r.Context(), level, "request", attrs...)
		if observe != nil {
			observe(pattern, rec.status, elapsed)
		}
	})
}

// SecurityHeaders sets the headers every response carries. Pages and API
// answers may hold personal data, so nothing is cached unless a handler for
// a static asset says otherwise.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// LogError logs an error's internal cause with the request ID; 4xx errors
// are expected and logged at debug level.
func LogError(log *slog.Logger, r *http.Request, e *errs.Error) {
	level := slog.LevelDebug
	if Status(e.Code) >= 500 {
		level = slog.LevelError
	}
	attrs := []slog.Attr{slog.String("request_id", RequestID(r.Context())), slog.String("code", string(e.Code)),
		slog.String("message_id", e.MessageID)}
	if e.Err != nil {
		attrs = append(attrs, slog.String("cause", e.Err.Error()))
	}
	log.LogAttrs(r.Context(), level, "request failed", attrs...)
}

// Actor is the audit stamp of the current request: who, and which request.
func Actor(r *http.Request) audit.Event {
	ev := audit.Event{RequestID: RequestID(r.Context())}
	if p := Principal(r.Context()); p != nil {
		ev.ActorID = p.User.ID
	}
	return ev
}
