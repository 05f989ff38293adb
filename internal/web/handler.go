// Package web is Termtem's server-rendered HTML interface: one file per
// action, templates and static assets embedded, Thai by default. Pages work
// without JavaScript; htmx only makes them quicker.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/auth"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/locale"
	"termtem/internal/reports"
	"termtem/internal/store"
	"termtem/internal/thai"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Handler serves the HTML pages.
type Handler struct {
	DB            *store.DB
	Auth          *auth.Service
	Cat           *locale.Catalogue
	Log           *slog.Logger
	SecureCookies bool
	// ImportDir keeps uploaded files until their import is done (empty: a
	// directory under the system's temporary directory).
	ImportDir string
	// Printer prints the committee report as PDF.
	Printer *reports.Printer
	// PushKey is the VAPID public key (base64url) the profile page
	// subscribes with; OfflineKeyLife how long prepared visits last.
	PushKey        string
	OfflineKeyLife time.Duration
	pages          map[string]*template.Template
}

// New parses the templates once at start-up.
func New(db *store.DB, a *auth.Service, cat *locale.Catalogue, log *slog.Logger, secureCookies bool) (*Handler, error) {
	h := &Handler{DB: db, Auth: a, Cat: cat, Log: log, SecureCookies: secureCookies, pages: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		// Dates in the Buddhist Era in Thai, C.E. in English, Bangkok time.
		"datetime": func(lang string, t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return thai.FormatDateTime(t, lang, thai.Bangkok())
		},
		"date": func(lang string, t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return thai.FormatDate(t.In(thai.Bangkok()), lang)
		},
		// A stored C.E. day ("2026-11-23", or partial) in lang.
		"day":   dayText,
		"today": func() time.Time { return time.Now() },
		"has":   func(p *account.Principal, perm string) bool { return p.Can(account.Permission(perm)) },
		"inc":   func(i int) int { return i + 1 },
	}
	// Files named _*.html are blocks that several pages share (the flower).
	var shared []string
	for _, name := range names {
		if strings.HasPrefix(name, "templates/_") {
			shared = append(shared, name)
		}
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		files := append([]string{"templates/layout.html", name}, shared...)
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		h.pages[base] = t
	}
	return h, nil
}

// Static serves the embedded assets. They hold no personal data, so they
// may be cached.
func (h *Handler) Static() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}

// View is what every template receives.
type View struct {
	Lang      string
	Title     string
	Principal *account.Principal
	Path      string // the current path, for the menu to mark the current page
	Return    string // the current path and query, for the language switch to return to
	Partial   bool   // a fragment for htmx rather than a whole page
	Flash     string
	Error     *FormError
	Data      any
	cat       *locale.Catalogue
	unread    func() int // the user's unread notices, counted when the menu asks
	nonce     string     // the page's form nonce, once a form asked (form_once.go)
}

// FormError is an error shown on a form, next to its field.
type FormError struct {
	Field   string
	Message string
}

// T translates a message ID for the page's language; args are key, value pairs.
func (v *View) T(id string, args ...any) string {
	var data map[string]any
	if len(args) > 1 {
		data = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	return v.cat.T(v.Lang, id, data)
}

// Current reports whether the page is the menu section at prefix.
func (v *View) Current(prefix string) bool {
	return v.Path == prefix || strings.HasPrefix(v.Path, prefix+"/")
}

// FieldError returns the error message for one field, if the error is about it.
func (v *View) FieldError(field string) string {
	if v.Error != nil && v.Error.Field == field {
		return v.Error.Message
	}
	return ""
}

func (h *Handler) view(r *http.Request, titleID string, data any) *View {
	lang := httpx.Lang(r.Context())
	v := &View{Lang: lang, Principal: httpx.Principal(r.Context()), Path: r.URL.Path, Return: r.URL.RequestURI(), Data: data, cat: h.Cat}
	v.unread = h.unreadCounter(r, v.Principal)
	if titleID != "" {
		v.Title = h.Cat.T(lang, titleID, nil)
	}
	if c, err := r.Cookie(flashCookie); err == nil {
		if msg, err := url.QueryUnescape(c.Value); err == nil && strings.HasPrefix(msg, "flash.") {
			v.Flash = h.Cat.T(lang, msg, nil)
		}
	}
	return v
}

// render executes a page into a buffer first, so that a template failure
// becomes a clean error page rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, v *View) {
	h.renderBlock(w, r, status, page, "layout.html", v)
}

// renderBlock executes one named block of a page: the whole page through
// "layout.html", or a fragment that htmx swaps in.
func (h *Handler) renderBlock(w http.ResponseWriter, r *http.Request, status int, page, block string, v *View) {
	t, ok := h.pages[page]
	if !ok {
		h.fail(w, r, errs.Internalf("no template %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, v); err != nil {
		h.fail(w, r, errs.Internalf("template %s: %w", page, err))
		return
	}
	if v.Flash != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail renders an error page; the internal cause goes to the log only.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	httpx.LogError(h.Log, r, e)
	status := httpx.Status(e.Code)
	if e.Code == errs.Unauthenticated {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	// A record outside the user's area, which they may open by breaking
	// the glass: the page that asks why (the ID is opaque, never a name).
	if e.MessageID == "access.restricted" {
		if id, ok := e.Data["ID"].(string); ok && r.Method == http.MethodGet {
			http.Redirect(w, r, "/people/"+id+"/break-glass", http.StatusSeeOther)
			return
		}
	}
	lang := httpx.Lang(r.Context())
	v := &View{Lang: lang, Principal: httpx.Principal(r.Context()), Path: r.URL.Path, Return: r.URL.RequestURI(), cat: h.Cat,
		Title: h.Cat.T(lang, "error.title", nil),
		Data:  map[string]any{"Message": h.Cat.T(lang, e.MessageID, e.Data), "Status": status, "RequestID": httpx.RequestID(r.Context())}}
	var buf bytes.Buffer
	if t, ok := h.pages["error"]; ok && t.ExecuteTemplate(&buf, "layout.html", v) == nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(buf.Bytes())
		return
	}
	http.Error(w, http.StatusText(status), status)
}

// formError turns an input error into a message shown on the form, or
// returns false when the error is not about input (then call fail).
func (h *Handler) formError(r *http.Request, err error) (*FormError, int, bool) {
	e := errs.As(err)
	switch e.Code {
	case errs.Invalid, errs.Conflict, errs.Stale:
		httpx.LogError(h.Log, r, e)
		return &FormError{Field: e.Field, Message: h.Cat.T(httpx.Lang(r.Context()), e.MessageID, e.Data)}, httpx.Status(e.Code), true
	}
	return nil, 0, false
}

const flashCookie = "termtem_flash"

// redirectWithFlash sends the browser on after a successful form, with a
// short message for the next page (a message ID, never personal data).
func (h *Handler) redirectWithFlash(w http.ResponseWriter, r *http.Request, to, flashID string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(flashID), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// require returns the principal when it holds perm; otherwise it answers
// (login page or 403) and returns nil.
func (h *Handler) require(w http.ResponseWriter, r *http.Request, perm account.Permission) *account.Principal {
	p := httpx.Principal(r.Context())
	if p == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if perm != "" && !p.Can(perm) {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return nil
	}
	return p
}

// Fail renders an error page (for middleware outside this package).
func (h *Handler) Fail(w http.ResponseWriter, r *http.Request, err error) { h.fail(w, r, err) }
