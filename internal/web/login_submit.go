package web

import (
	"net/http"

	"termtem/internal/auth"
	"termtem/internal/errs"
	"termtem/internal/httpx"
)

// LoginSubmit checks the credentials and starts a session with a new token
// (never reusing one the browser brought: no session fixation).
func (h *Handler) LoginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	out, err := h.Auth.Authenticate(r.Context(), auth.Attempt{Username: username, Password: password,
		ClientIP: clientAddress(r), RequestID: httpx.RequestID(r.Context())})
	if err != nil {
		e := errs.As(err)
		if e.Code != errs.Unauthenticated && e.Code != errs.TooManyRequests {
			h.fail(w, r, err)
			return
		}
		httpx.LogError(h.Log, r, e)
		v := h.view(r, "login.title", loginForm{Username: username})
		v.Error = &FormError{Message: h.Cat.T(v.Lang, e.MessageID, e.Data)}
		h.render(w, r, httpx.Status(e.Code), "login", v)
		return
	}
	if out.Challenge != "" {
		// The password was right; the second factor comes next, on a page
		// of its own, and only then does a session begin.
		h.setChallengeCookie(w, out.Challenge, int(auth.ChallengeTTL.Seconds()))
		http.Redirect(w, r, "/login/mfa", http.StatusSeeOther)
		return
	}
	h.setSessionCookie(w, out.Session)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// SessionCookieName is the cookie's name: the __Host- prefix makes browsers
// refuse it unless it is Secure, host-only and for the whole site.
func SessionCookieName(secure bool) string {
	if secure {
		return "__Host-termtem"
	}
	return "termtem"
}

func (h *Handler) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookieName(h.SecureCookies), Value: token, Path: "/",
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (h *Handler) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookieName(h.SecureCookies), Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
}
