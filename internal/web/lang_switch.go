package web

import (
	"net/http"
	"strings"

	"termtem/internal/httpx"
	"termtem/internal/locale"
)

// LangCookie remembers the chosen language, before and after login.
const LangCookie = "termtem_lang"

// LangSwitch changes the UI language and returns to the page the user was on.
func (h *Handler) LangSwitch(w http.ResponseWriter, r *http.Request) {
	lang := locale.Supported(r.PostFormValue("lang"))
	if lang == "" {
		lang = locale.Default
	}
	http.SetCookie(w, &http.Cookie{Name: LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
	if p := httpx.Principal(r.Context()); p != nil {
		if err := h.DB.SetUserLang(r.Context(), p.User.ID, lang); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	http.Redirect(w, r, localPath(r.PostFormValue("return")), http.StatusSeeOther)
}

// localPath keeps redirects on this site: only a plain absolute path is
// followed, anything else (//evil.example, https://…) goes home.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return "/"
	}
	return p
}
