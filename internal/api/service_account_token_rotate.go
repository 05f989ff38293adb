package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
)

// RotateServiceToken answers POST /api/v1/service-accounts/{id}/tokens/{token_id}/rotate:
// the token is revoked and a new one of the same name issued, in one
// transaction; the new secret is in this answer only.
func (h *Handler) RotateServiceToken(w http.ResponseWriter, r *http.Request) {
	_, sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	version, err := optionalIfMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var in TokenInput
	if r.ContentLength != 0 {
		if err := decode(w, r, &in); err != nil {
			h.Fail(w, r, err)
			return
		}
	}
	lifetime, err := in.lifetime()
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	ctx, err := idempotent(r)
	var secret string
	var tk account.APIToken
	if err == nil {
		secret, tk, err = h.DB.RotateServiceToken(ctx, sa.ID, version, r.PathValue("token_id"), lifetime, httpx.Actor(r))
	}
	if replayed(w, err, func(string) { h.secretOnce(w, r) }) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	out := tokenJSON(tk)
	out.Token = secret
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, out)
}
