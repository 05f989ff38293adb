package web

import (
	"net/http"

	"termtem/internal/httpx"
)

type loginForm struct{ Username string }

// LoginShow shows the login form, or sends a signed-in user home.
func (h *Handler) LoginShow(w http.ResponseWriter, r *http.Request) {
	if httpx.Principal(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "login", h.view(r, "login.title", loginForm{}))
}
