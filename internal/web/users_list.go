package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/store"
)

type userRow struct {
	User        account.User
	Memberships []homeMembership
	CanEdit     bool
}

type usersView struct {
	Rows      []userRow
	Search    string
	CanCreate bool
}

// UsersList lists the users an administrator looks after: everyone for a
// system administrator, the members of their organisations otherwise.
func (h *Handler) UsersList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.UsersRead)
	if p == nil {
		return
	}
	f := store.UserFilter{Search: r.URL.Query().Get("q")}
	if !p.Global() {
		f.OrganisationIDs = p.OrganisationIDs()
	}
	users, err := h.DB.ListUsers(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "nav.users", nil)
	roleNames, err := h.roleNames(r, v.Lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	uv := usersView{Search: f.Search, CanCreate: p.Can(account.UsersManage)}
	for _, u := range users {
		row := userRow{User: u, CanEdit: h.managesUser(p, u)}
		for _, m := range u.Memberships {
			row.Memberships = append(row.Memberships, homeMembership{m.OrgName(v.Lang), roleNames[m.RoleCode]})
		}
		uv.Rows = append(uv.Rows, row)
	}
	v.Data = uv
	h.render(w, r, http.StatusOK, "users", v)
}

func (h *Handler) roleNames(r *http.Request, lang string) (map[string]string, error) {
	roles, err := h.DB.ListRoles(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, role := range roles {
		names[role.Code] = role.Name(lang)
	}
	return names, nil
}

// managesUser: system administrators manage everyone; organisation
// administrators manage users whose every membership is in their own
// organisations, so they cannot take over another unit's staff.
func (h *Handler) managesUser(p *account.Principal, u account.User) bool {
	if !p.Can(account.UsersManage) {
		return false
	}
	if p.Global() {
		return true
	}
	for _, m := range u.Memberships {
		if !p.InOrganisation(m.OrganisationID) || m.RoleCode == account.RoleSystemAdmin {
			return false
		}
	}
	return len(u.Memberships) > 0
}
