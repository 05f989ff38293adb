package web

import (
	"net/http"

	"termtem/internal/account"
)

type rolesView struct {
	Roles       []account.Role
	Permissions []account.Permission
	Grants      map[string]map[account.Permission]bool
}

// RolesList shows what each role may do: the permission catalogue as a
// matrix, so that administrators choose roles knowingly.
func (h *Handler) RolesList(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.UsersRead) == nil {
		return
	}
	roles, err := h.DB.ListRoles(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rv := rolesView{Roles: roles, Permissions: account.Catalogue, Grants: map[string]map[account.Permission]bool{}}
	for _, role := range roles {
		rv.Grants[role.Code] = map[account.Permission]bool{}
		for _, p := range role.Permissions {
			rv.Grants[role.Code][p] = true
		}
	}
	h.render(w, r, http.StatusOK, "roles", h.view(r, "roles.title", rv))
}
