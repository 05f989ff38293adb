package api

import (
	"net/http"

	"termtem/internal/httpx"
)

// DisableServiceAccount answers POST /api/v1/service-accounts/{id}/disable:
// the account is switched off and all its tokens revoked (audited).
func (h *Handler) DisableServiceAccount(w http.ResponseWriter, r *http.Request) {
	_, sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	version, err := optionalIfMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if err := h.DB.DisableServiceAccount(r.Context(), sa.ID, version, httpx.Actor(r)); err != nil {
		h.Fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
