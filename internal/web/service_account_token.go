package web

import (
	"net/http"

	"termtem/internal/httpx"
)

// ServiceTokenIssue gives the account another token (POST
// /service-accounts/{id}/tokens with the account's version seen) and
// shows it once.
func (h *Handler) ServiceTokenIssue(w http.ResponseWriter, r *http.Request) {
	sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	if err := parseServiceForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	lifetime, err := tokenLifetime(r)
	var secret string
	if err == nil {
		secret, _, err = h.DB.IssueServiceToken(r.Context(), sa.ID, formVersion(r), r.PostFormValue("name"), lifetime, httpx.Actor(r))
	}
	h.showNewToken(w, r, sa.ID, secret, false, err)
}

// ServiceTokenRotate replaces a token by a new one of the same name (POST
// /service-accounts/{id}/tokens/{token_id}/rotate with the account's
// version seen): the old one stops working in the same transaction.
func (h *Handler) ServiceTokenRotate(w http.ResponseWriter, r *http.Request) {
	sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	if err := parseServiceForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	lifetime, err := tokenLifetime(r)
	var secret string
	if err == nil {
		secret, _, err = h.DB.RotateServiceToken(r.Context(), sa.ID, formVersion(r), r.PathValue("token_id"), lifetime, httpx.Actor(r))
	}
	h.showNewToken(w, r, sa.ID, secret, true, err)
}

// showNewToken answers an issue or rotation: the new secret once, or the
// account's page with the error.
func (h *Handler) showNewToken(w http.ResponseWriter, r *http.Request, id, secret string, rotated bool, err error) {
	if err != nil {
		h.serviceAccountFormError(w, r, id, err)
		return
	}
	sa, err := h.DB.GetServiceAccount(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderTokenShown(w, r, sa, secret, rotated)
}
