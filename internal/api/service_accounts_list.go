package api

import (
	"net/http"

	"termtem/internal/account"
)

// ListServiceAccounts answers GET /api/v1/service-accounts: the service
// accounts of the organisations the caller administers (all of them for a
// system administrator).
func (h *Handler) ListServiceAccounts(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.UsersManage)
	if p == nil {
		return
	}
	sas, _, err := h.DB.ServiceAccountsAdministeredBy(r.Context(), p)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	out := make([]ServiceAccountJSON, 0, len(sas))
	for _, sa := range sas {
		out = append(out, serviceAccountJSON(sa))
	}
	writeJSON(w, http.StatusOK, newList(out))
}
