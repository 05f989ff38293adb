package web

import (
	"net/http"

	"termtem/internal/errs"
	"termtem/internal/httpx"
)

// ProfilePassword changes the user's own password. Every other session of
// the user ends; this one stays.
func (h *Handler) ProfilePassword(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	current, next, again := r.PostFormValue("current_password"), r.PostFormValue("new_password"), r.PostFormValue("new_password_again")
	var err error
	if next != again {
		err = errs.Field("new_password_again", "password.mismatch", nil)
	} else {
		err = h.Auth.ChangePassword(r.Context(), p, current, next, httpx.RequestID(r.Context()))
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		if fe.Field == "password" {
			fe.Field = "new_password"
		}
		h.renderProfile(w, r, status, fe)
		return
	}
	h.redirectWithFlash(w, r, "/profile", "flash.password_changed")
}
