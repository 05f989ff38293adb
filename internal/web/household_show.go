package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// householdPage is a household with its members, current and former.
type householdPage struct {
	Household people.Household
	Community string
	Current   []memberRow
	Former    []memberRow
	CanWrite  bool
	Flower    *flowerBlock
	// CanAssess: the user may assess, open the deprivation chart with the
	// family and give it a self-assessment code.
	CanAssess bool
	Casework  *caseworkBlock
	Visits    []store.HomeVisit
	Conflicts []store.HouseholdConflict // changes two people made at once, both kept
}

type memberRow struct {
	Row          personRow
	Relationship people.Relationship
	Head         bool
	Caregiver    bool
	Started      string
	Ended        string
}

// HouseholdShow shows one household (GET /households/{id}).
func (h *Handler) HouseholdShow(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.PeopleRead)
	if p == nil {
		return
	}
	ctx := r.Context()
	hv, err := h.DB.GetHousehold(ctx, r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "household.title", nil)
	hp := householdPage{Household: hv.Household, Community: h.communityName(ctx, v.Lang, hv.Household.CommunityID),
		CanWrite: p.Can(account.PeopleWrite)}
	hp.Current = h.memberRows(v.Lang, hv.Household, hv.Current)
	hp.Former = h.memberRows(v.Lang, hv.Household, hv.Former)
	rows := make([]personRow, len(hp.Current))
	for i, m := range hp.Current {
		rows[i] = m.Row
	}
	if err := h.listFlowers(ctx, v.Lang, p, rows); err != nil {
		h.fail(w, r, err)
		return
	}
	for i := range rows {
		hp.Current[i].Row.Flower = rows[i].Flower
	}
	if hp.Flower, err = h.flowerSection(ctx, v.Lang, p, flower.Household, hv.Household.ID, httpx.Actor(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	hp.CanAssess = p.Can(account.AssessmentsWrite)
	if hp.Casework, err = h.caseworkSection(r, v.Lang, flower.Household, hv.Household.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if hp.Visits, err = h.DB.HomeVisits(ctx, hv.Household.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if hp.Conflicts, err = h.DB.HouseholdConflicts(ctx, hv.Household.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Data = hp
	h.render(w, r, http.StatusOK, "household", v)
}

func (h *Handler) memberRows(lang string, hh people.Household, ms []store.HouseholdMember) []memberRow {
	out := make([]memberRow, 0, len(ms))
	for _, m := range ms {
		out = append(out, memberRow{Row: h.personRow(lang, m.Person, people.NoSchooling, ""), Relationship: m.Membership.Relationship,
			Head: m.Membership.EndedOn == "" && m.Person.ID == hh.HeadID, Caregiver: m.Membership.EndedOn == "" && m.Person.ID == hh.CaregiverID,
			Started: dayText(lang, m.Membership.StartedOn), Ended: dayText(lang, m.Membership.EndedOn)})
	}
	return out
}
