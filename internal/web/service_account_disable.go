package web

import (
	"net/http"

	"termtem/internal/httpx"
	"termtem/internal/store"
)

// ServiceAccountDisableConfirm asks before an account is switched off
// (GET /service-accounts/{id}/disable).
func (h *Handler) ServiceAccountDisableConfirm(w http.ResponseWriter, r *http.Request) {
	h.confirmServiceChange(w, r, "sa.disable_title", "disable", nil)
}

// ServiceAccountDisable switches the account off and revokes all its
// tokens (POST, with the version seen on the confirmation page).
func (h *Handler) ServiceAccountDisable(w http.ResponseWriter, r *http.Request) {
	h.confirmedServiceChange(w, r, "flash.sa_disabled", func(sa store.ServiceAccount) error {
		return h.DB.DisableServiceAccount(r.Context(), sa.ID, formVersion(r), httpx.Actor(r))
	})
}
