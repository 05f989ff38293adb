package web

import (
	"net/http"
	"time"

	"termtem/internal/account"
	"termtem/internal/store"
)

type serviceTokenRow struct {
	Token account.APIToken
	State string // active, expired, revoked
}

type serviceAccountPage struct {
	Account      store.ServiceAccount
	Organisation string
	Role         string
	Permissions  []account.Permission
	LastUsed     time.Time
	Tokens       []serviceTokenRow
	Nonce        string // the one-time nonce of the page's token forms
}

// ServiceAccountShow shows one service account with its tokens and what
// may be done with them (GET /service-accounts/{id}).
func (h *Handler) ServiceAccountShow(w http.ResponseWriter, r *http.Request) {
	sa, ok := h.managedServiceAccount(w, r)
	if !ok {
		return
	}
	h.renderServiceAccount(w, r, http.StatusOK, sa, nil)
}

func (h *Handler) renderServiceAccount(w http.ResponseWriter, r *http.Request, status int, sa store.ServiceAccount, fe *FormError) {
	v := h.view(r, "", nil)
	v.Title = sa.DisplayName
	m := sa.Organisation()
	pg := serviceAccountPage{Account: sa, Organisation: m.OrgName(v.Lang), LastUsed: accountLastUsed(sa)}
	roles, err := h.DB.ListRoles(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg.Role, pg.Permissions = serviceRole(roles, m.RoleCode, v.Lang)
	now := h.DB.Now()
	for _, tk := range sa.Tokens {
		row := serviceTokenRow{Token: tk, State: "active"}
		switch {
		case tk.RevokedAt != nil:
			row.State = "revoked"
		case !tk.Usable(now):
			row.State = "expired"
		}
		pg.Tokens = append(pg.Tokens, row)
	}
	if !sa.Disabled {
		pg.Nonce = h.formNonce(r)
	}
	v.Data = pg
	v.Error = fe
	h.render(w, r, status, "service_account", v)
}
