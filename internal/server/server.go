// Package server assembles Termtem's HTTP side: it lists every route in one
// place (routes.go) and wraps them in the middleware every request passes:
// request ID and access log, security headers, cross-origin protection,
// language, and who is asking.
package server

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/api"
	"termtem/internal/auth"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/locale"
	"termtem/internal/reports"
	"termtem/internal/store"
	"termtem/internal/web"
)

// Deps are what the server needs.
type Deps struct {
	DB            *store.DB
	Auth          *auth.Service
	Cat           *locale.Catalogue
	Log           *slog.Logger
	SecureCookies bool
	// SeparateMetrics: /metrics is served on its own address, not here.
	SeparateMetrics bool
	// ImportDir is where uploaded import files wait for their job.
	ImportDir string
	// MaxConcurrent > 0 turns on load shedding (httpx.Limit): that many
	// requests at once, each waiting up to QueueTimeout for a slot and
	// cancelled after RequestTimeout.
	MaxConcurrent  int
	QueueTimeout   time.Duration
	RequestTimeout time.Duration
	// ClientRate > 0 turns on the per-client rate limit (httpx.RateLimit):
	// each session or token ClientRate requests a second, bursts of
	// ClientBurst, then 429 with Retry-After.
	ClientRate  float64
	ClientBurst int
	// Chromium prints reports as PDF (its path; see config.Chromium).
	Chromium string
	// PushKey is the VAPID public key browsers subscribe to push with.
	PushKey string
	// OfflineKeyLife is how long a device may keep prepared home visits.
	OfflineKeyLife time.Duration
}

// Server is the assembled HTTP handler plus its metrics registry.
type Server struct {
	Deps
	web      *web.Handler
	api      *api.Handler
	Registry *prometheus.Registry
	requests *prometheus.HistogramVec
	mux      *http.ServeMux
	handler  http.Handler
}

// New builds the server.
func New(d Deps) (*Server, error) {
	wh, err := web.New(d.DB, d.Auth, d.Cat, d.Log, d.SecureCookies)
	if err != nil {
		return nil, err
	}
	wh.ImportDir = d.ImportDir
	wh.Printer = reports.NewPrinter(d.Chromium)
	wh.PushKey, wh.OfflineKeyLife = d.PushKey, d.OfflineKeyLife
	s := &Server{Deps: d, web: wh, api: &api.Handler{DB: d.DB, Cat: d.Cat, Log: d.Log}, mux: http.NewServeMux()}
	s.api.ImportDir = d.ImportDir
	s.Registry = prometheus.NewRegistry()
	s.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "termtem_http_request_duration_seconds", Help: "HTTP requests by route and status.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route", "status"})
	s.Registry.MustRegister(s.requests)
	for _, rt := range s.routes() {
		s.mux.Handle(rt.Method+" "+rt.Pattern, rt.Handler)
	}
	observe := func(pattern string, status int, elapsed time.Duration) {
		s.requests.WithLabelValues(pattern, strconv.Itoa(status)).Observe(elapsed.Seconds())
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	var inner http.Handler = cop.Handler(s.requireOrigin(s.identify(s.mux)))
	if d.MaxConcurrent > 0 {
		// Before identify: refusing must not cost a session lookup.
		inner = httpx.Limit(d.MaxConcurrent, d.QueueTimeout, d.RequestTimeout, unlimited, http.HandlerFunc(s.overloaded), inner)
	}
	if d.ClientRate > 0 {
		// Before the concurrency limit: one client's excess must not take
		// a slot that others wait for.
		inner = httpx.RateLimit(httpx.NewRateLimiter(d.ClientRate, d.ClientBurst), s.clientOf, unlimited, http.HandlerFunc(s.throttled), inner)
	}
	s.handler = httpx.Logging(d.Log, observe, httpx.Recover(d.Log, httpx.SecurityHeaders(inner)))
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// MetricsHandler serves Prometheus metrics (for a separate address).
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{})
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// fail answers an error in the style of the part of the site asked.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		s.api.Fail(w, r, err)
		return
	}
	s.web.Fail(w, r, err)
}

func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(httpx.WithLang(r.Context(), s.langOf(r, nil)))
	s.fail(w, r, errs.New(errs.Forbidden, "error.cross_origin"))
}

// requireOrigin closes the gap CrossOriginProtection leaves for requests
// that carry neither Sec-Fetch-Site nor Origin: a state-changing request to
// the HTML side must come from a browser page, which always sends one of
// them. The API is exempt: it is authenticated by bearer tokens, which a
// forged cross-site request cannot carry.
func (s *Server) requireOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if !isAPI(r) && r.Header.Get("Sec-Fetch-Site") == "" && r.Header.Get("Origin") == "" {
				s.crossOriginDenied(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// identify works out who is asking (session cookie for pages, bearer token
// for the API) and in which language to answer.
func (s *Server) identify(next http.Handler) http.Handler {
	cookieName := web.SessionCookieName(s.SecureCookies)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var p *account.Principal
		if isAPI(r) {
			if h := r.Header.Get("Authorization"); h != "" {
				var err error
				if p, err = s.Auth.Bearer(ctx, h, httpx.RequestID(ctx)); err != nil {
					r = r.WithContext(httpx.WithLang(ctx, s.langOf(r, nil)))
					s.fail(w, r, err)
					return
				}
			}
		} else if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
			p, err = s.Auth.Session(ctx, c.Value)
			if err != nil && !errs.Is(err, errs.Unauthenticated) {
				r = r.WithContext(httpx.WithLang(ctx, s.langOf(r, nil)))
				s.fail(w, r, err)
				return
			}
		}
		if p != nil && p.SessionID != "" && !mfaExempt(r.URL.Path) {
			// A login that must add a second factor reaches its enrolment
			// and nothing else (bearer tokens are not affected).
			must, err := s.Auth.MustEnrolMFA(ctx, p)
			if err != nil {
				r = r.WithContext(httpx.WithLang(ctx, s.langOf(r, p)))
				s.fail(w, r, err)
				return
			}
			if must {
				http.Redirect(w, r, "/profile/mfa", http.StatusSeeOther)
				return
			}
		}
		if p != nil {
			ctx = httpx.WithPrincipal(ctx, p)
		}
		// Every request, anonymous or not, is marked: the store applies the
		// access policy to whatever it reads or writes for it.
		ctx = access.ForRequest(ctx, p)
		ctx = httpx.WithLang(ctx, s.langOf(r, p))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// unlimited are the requests load shedding lets through: the health
// checks a load balancer asks and the static files.
func unlimited(r *http.Request) bool {
	switch r.URL.Path {
	case "/healthz", "/readyz":
		return true
	}
	return strings.HasPrefix(r.URL.Path, "/static/")
}

// overloaded answers a request shed for lack of a free slot, in the
// error shape of the part of the site asked.
func (s *Server) overloaded(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(httpx.WithLang(r.Context(), s.langOf(r, nil)))
	s.fail(w, r, errs.New(errs.Unavailable, "faults_overloaded"))
}

// throttled answers a client over its rate limit, in the error shape of
// the part of the site asked.
func (s *Server) throttled(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(httpx.WithLang(r.Context(), s.langOf(r, nil)))
	s.fail(w, r, errs.New(errs.TooManyRequests, "scale_rate_limited"))
}

// clientOf names the client a request's rate limit is kept for: its bearer
// token or session cookie (hashed: the limiter's memory holds no
// credential), or else its address. Nothing is looked up, so refusing
// costs no database work.
func (s *Server) clientOf(r *http.Request) string {
	cred := r.Header.Get("Authorization")
	if cred == "" {
		if c, err := r.Cookie(web.SessionCookieName(s.SecureCookies)); err == nil {
			cred = c.Value
		}
	}
	if cred != "" {
		sum := sha256.Sum256([]byte(cred))
		return hex.EncodeToString(sum[:16])
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr " + host
}

// mfaExempt are the paths a login still without its required second factor
// may reach: the enrolment itself, logging out, the language switch, assets.
func mfaExempt(path string) bool {
	switch path {
	case "/logout", "/lang", "/healthz", "/readyz":
		return true
	}
	return path == "/profile/mfa" || strings.HasPrefix(path, "/profile/mfa/") || strings.HasPrefix(path, "/static/")
}

// langOf chooses the UI language: Thai unless the user chose English — by
// the switch (cookie), in their profile, or, for API clients, by
// Accept-Language.
func (s *Server) langOf(r *http.Request, p *account.Principal) string {
	if isAPI(r) {
		if l := r.Header.Get("Accept-Language"); l != "" {
			return locale.FromAcceptLanguage(l)
		}
		if p != nil && locale.Supported(p.User.Lang) != "" {
			return p.User.Lang
		}
		return locale.Default
	}
	if c, err := r.Cookie(web.LangCookie); err == nil {
		if l := locale.Supported(c.Value); l != "" {
			return l
		}
	}
	if p != nil && locale.Supported(p.User.Lang) != "" {
		return p.User.Lang
	}
	return locale.Default
}
