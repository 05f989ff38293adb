package api

import (
	"net/http"
	"slices"

	"termtem/internal/account"
)

// Me is the caller's own account.
type Me struct {
	ID          string         `json:"id"`
	Username    string         `json:"username"`
	DisplayName string         `json:"display_name"`
	Kind        string         `json:"kind"`
	Lang        string         `json:"lang"`
	Memberships []MeMembership `json:"memberships"`
	Permissions []string       `json:"permissions"`
}

// MeMembership is one organisation and role of the caller.
type MeMembership struct {
	OrganisationID   string `json:"organisation_id"`
	OrganisationCode string `json:"organisation_code"`
	Role             string `json:"role"`
}

// GetMe answers GET /api/v1/me.
func (h *Handler) GetMe(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	me := Me{ID: p.User.ID, Username: p.User.Username, DisplayName: p.User.DisplayName, Kind: string(p.User.Kind),
		Lang: p.User.Lang, Memberships: []MeMembership{}, Permissions: []string{}}
	for _, m := range p.User.Memberships {
		me.Memberships = append(me.Memberships, MeMembership{m.OrganisationID, m.OrganisationCode, m.RoleCode})
	}
	for _, perm := range account.Catalogue {
		if p.Can(perm) {
			me.Permissions = append(me.Permissions, string(perm))
		}
	}
	slices.Sort(me.Permissions)
	writeJSON(w, http.StatusOK, me)
}
