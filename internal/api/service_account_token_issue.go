package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
)

// IssueServiceToken answers POST /api/v1/service-accounts/{id}/tokens: a
// new bearer token, its secret in this answer only (the store keeps its
// hash). The issue is audited.
func (h *Handler) IssueServiceToken(w http.ResponseWriter, r *http.Request) {
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
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
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
		secret, tk, err = h.DB.IssueServiceToken(ctx, sa.ID, version, in.Name, lifetime, httpx.Actor(r))
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
