package web

import (
	"net/http"

	"termtem/internal/errs"
	"termtem/internal/httpx"
)

// challengeCookieName holds the token between a right password and the
// second factor; like the session cookie it is __Host- when secure.
func challengeCookieName(secure bool) string {
	if secure {
		return "__Host-termtem_mfa"
	}
	return "termtem_mfa"
}

func (h *Handler) setChallengeCookie(w http.ResponseWriter, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: challengeCookieName(h.SecureCookies), Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// LoginMFAShow asks for the authenticator code after a right password.
func (h *Handler) LoginMFAShow(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(challengeCookieName(h.SecureCookies)); err != nil || c.Value == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "login_mfa", h.view(r, "mfa.login_title", nil))
}

// LoginMFASubmit checks the code (or a recovery code) and starts the
// session with a new token.
func (h *Handler) LoginMFASubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	c, err := r.Cookie(challengeCookieName(h.SecureCookies))
	if err != nil || c.Value == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	token, err := h.Auth.CompleteLogin(r.Context(), c.Value, r.PostFormValue("code"), clientAddress(r), httpx.RequestID(r.Context()))
	if err != nil {
		e := errs.As(err)
		switch {
		case e.MessageID == "mfa.code_wrong" || e.Code == errs.TooManyRequests:
			httpx.LogError(h.Log, r, e)
			v := h.view(r, "mfa.login_title", nil)
			v.Error = &FormError{Field: "code", Message: h.Cat.T(v.Lang, e.MessageID, e.Data)}
			h.render(w, r, httpx.Status(e.Code), "login_mfa", v)
		case e.Code == errs.Unauthenticated:
			// The challenge ran out: start again from the password.
			h.setChallengeCookie(w, "", -1)
			h.redirectWithFlash(w, r, "/login", "flash.mfa_expired")
		default:
			h.fail(w, r, err)
		}
		return
	}
	h.setChallengeCookie(w, "", -1)
	h.setSessionCookie(w, token)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
