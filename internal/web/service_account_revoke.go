package web

import (
	"net/http"

	"termtem/internal/errs"
	"termtem/internal/httpx"
)

// ServiceTokenRevokeConfirm asks before a token is revoked (GET
// /service-accounts/{id}/tokens/{token_id}/revoke): the agency's system
// using it stops at once.
func (h *Handler) ServiceTokenRevokeConfirm(w http.ResponseWriter, r *http.Request) {
	sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	for _, tk := range sa.Tokens {
		if tk.ID == r.PathValue("token_id") && tk.RevokedAt == nil {
			v := h.view(r, "sa.revoke_title", map[string]any{"Account": sa, "Token": tk, "Action": "revoke"})
			h.render(w, r, http.StatusOK, "service_account_confirm", v)
			return
		}
	}
	h.fail(w, r, errs.New(errs.NotFound, "token.not_found"))
}

// ServiceTokenRevoke revokes the token (POST, with the account's version
// seen on the confirmation page) and returns to the account.
func (h *Handler) ServiceTokenRevoke(w http.ResponseWriter, r *http.Request) {
	sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	if err := parseServiceForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.DB.RevokeServiceToken(r.Context(), sa.ID, formVersion(r), r.PathValue("token_id"), httpx.Actor(r)); err != nil {
		h.serviceAccountFormError(w, r, sa.ID, err)
		return
	}
	h.redirectWithFlash(w, r, "/service-accounts/"+sa.ID, "flash.sa_token_revoked")
}
