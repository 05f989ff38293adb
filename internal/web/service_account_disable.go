package web

import (
	"net/http"

	"termtem/internal/httpx"
)

// ServiceAccountDisableConfirm asks before an account is switched off
// (GET /service-accounts/{id}/disable).
func (h *Handler) ServiceAccountDisableConfirm(w http.ResponseWriter, r *http.Request) {
	sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	v := h.view(r, "sa.disable_title", map[string]any{"Account": sa, "Action": "disable"})
	h.render(w, r, http.StatusOK, "service_account_confirm", v)
}

// ServiceAccountDisable switches the account off and revokes all its
// tokens (POST, with the version seen on the confirmation page).
func (h *Handler) ServiceAccountDisable(w http.ResponseWriter, r *http.Request) {
	sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	if err := parseServiceForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.DB.DisableServiceAccount(r.Context(), sa.ID, formVersion(r), httpx.Actor(r)); err != nil {
		h.serviceAccountFormError(w, r, sa.ID, err)
		return
	}
	h.redirectWithFlash(w, r, "/service-accounts/"+sa.ID, "flash.sa_disabled")
}
