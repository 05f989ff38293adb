package web

import (
	"net/http"
	"time"

	"termtem/internal/account"
	"termtem/internal/store"
)

type serviceAccountRow struct {
	Account      store.ServiceAccount
	Organisation string
	Role         string
	Permissions  []account.Permission
	LastUsed     time.Time
	ActiveTokens int
}

// ServiceAccountsList shows the service accounts of the organisations the
// administrator administers (GET /service-accounts): names, role and what
// it allows, created, last used, state. Never a secret.
func (h *Handler) ServiceAccountsList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.UsersManage)
	if p == nil {
		return
	}
	sas, adm, err := h.DB.ServiceAccountsAdministeredBy(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	roles, err := h.DB.ListRoles(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "sa.title", nil)
	now := h.DB.Now()
	rows := make([]serviceAccountRow, 0, len(sas))
	for _, sa := range sas {
		m := sa.Organisation()
		row := serviceAccountRow{Account: sa, Organisation: m.OrgName(v.Lang), LastUsed: accountLastUsed(sa)}
		row.Role, row.Permissions = serviceRole(roles, m.RoleCode, v.Lang)
		for _, tk := range sa.Tokens {
			if tk.Usable(now) {
				row.ActiveTokens++
			}
		}
		rows = append(rows, row)
	}
	v.Data = map[string]any{"Rows": rows, "CanCreate": adm.Any()}
	h.render(w, r, http.StatusOK, "service_accounts", v)
}
