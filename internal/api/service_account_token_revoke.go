package api

import (
	"net/http"

	"termtem/internal/httpx"
)

// RevokeServiceToken answers DELETE /api/v1/service-accounts/{id}/tokens/{token_id}:
// the token stops working at once (audited).
func (h *Handler) RevokeServiceToken(w http.ResponseWriter, r *http.Request) {
	_, sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	version, err := optionalIfMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if err := h.DB.RevokeServiceToken(r.Context(), sa.ID, version, r.PathValue("token_id"), httpx.Actor(r)); err != nil {
		h.Fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
