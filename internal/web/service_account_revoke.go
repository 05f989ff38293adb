package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// ServiceTokenRevokeConfirm asks before a token is revoked (GET
// /service-accounts/{id}/tokens/{token_id}/revoke): the agency's system
// using it stops at once.
func (h *Handler) ServiceTokenRevokeConfirm(w http.ResponseWriter, r *http.Request) {
	h.confirmServiceChange(w, r, "sa.revoke_title", "revoke", func(sa store.ServiceAccount) (account.APIToken, error) {
		for _, tk := range sa.Tokens {
			if tk.ID == r.PathValue("token_id") && tk.RevokedAt == nil {
				return tk, nil
			}
		}
		return account.APIToken{}, errs.New(errs.NotFound, "token.not_found")
	})
}

// ServiceTokenRevoke revokes the token (POST, with the account's version
// seen on the confirmation page) and returns to the account.
func (h *Handler) ServiceTokenRevoke(w http.ResponseWriter, r *http.Request) {
	h.confirmedServiceChange(w, r, "flash.sa_token_revoked", func(sa store.ServiceAccount) error {
		return h.DB.RevokeServiceToken(r.Context(), sa.ID, formVersion(r), r.PathValue("token_id"), httpx.Actor(r))
	})
}
