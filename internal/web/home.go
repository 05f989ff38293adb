package web

import (
	"net/http"

	"termtem/internal/account"
)

type homeTile struct {
	Href, TitleID, TextID string
	Perm                  account.Permission
}

// The home page offers what the user's roles allow, nothing more.
var homeTiles = []homeTile{
	{"/people", "nav.people", "home.tile.people", account.PeopleRead},
	{"/cases", "cases.title", "home.tile.cases", account.CasesRead},
	{"/visits", "visits.title", "home.tile.visits", account.AssessmentsWrite},
	{"/referrals", "referrals.title", "home.tile.referrals", account.ReferralsManage},
	{"/places", "nav.places", "home.tile.places", account.PlacesRead},
	{"/organisations", "nav.organisations", "home.tile.organisations", account.OrganisationsRead},
	{"/users", "nav.users", "home.tile.users", account.UsersRead},
	{"/instruments", "instruments.title", "home.tile.instruments", account.InstrumentsPublish},
	{"/my-plan", "myplan.title", "home.tile.myplan", account.SelfRead},
	{"/profile", "nav.profile", "home.tile.profile", ""},
}

// The capabilities coming in later releases, shown so that users know
// what the platform is for.
var homeComing = []struct {
	MessageID string
	Perm      account.Permission
}{
	{"home.coming.imports", account.ImportsRun},
	{"home.coming.reports", account.ReportsAggregate},
	{"home.coming.self", account.SelfRead},
}

type homeMembership struct{ Organisation, Role string }

// Home shows what the signed-in user can do.
func (h *Handler) Home(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	v := h.view(r, "nav.home", nil)
	roles, err := h.DB.ListRoles(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	roleName := map[string]string{}
	for _, role := range roles {
		roleName[role.Code] = role.Name(v.Lang)
	}
	var data struct {
		Memberships []homeMembership
		Tiles       []homeTile
		Coming      []string
		Inbox       *inboxCounts // what waits for the user, by part
	}
	for _, m := range p.User.Memberships {
		data.Memberships = append(data.Memberships, homeMembership{m.OrgName(v.Lang), roleName[m.RoleCode]})
	}
	for _, t := range homeTiles {
		if t.Perm == "" || p.Can(t.Perm) {
			data.Tiles = append(data.Tiles, t)
		}
	}
	for _, c := range homeComing {
		if p.Can(c.Perm) {
			data.Coming = append(data.Coming, c.MessageID)
		}
	}
	if data.Inbox, err = h.inboxCounts(r, p); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Data = data
	h.render(w, r, http.StatusOK, "home", v)
}
