package web

import (
	"net/http"

	"termtem/internal/httpx"
)

// Logout ends the session in the database, not only in the browser.
func (h *Handler) Logout(w http.ResponseWriter, r *http.Request) {
	if p := httpx.Principal(r.Context()); p != nil && p.SessionID != "" {
		if err := h.Auth.Logout(r.Context(), p, httpx.RequestID(r.Context())); err != nil {
			h.fail(w, r, err)
			return
		}
		// Visits this login prepared end with it (mobile.go's wipe below).
		if err := h.DB.EndSessionKits(r.Context(), p.SessionID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.clearSessionCookie(w)
	wipeDevice(w)
	h.redirectWithFlash(w, r, "/login", "flash.logged_out")
}
