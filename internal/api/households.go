package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// HouseholdInput is the body of POST /api/v1/households.
type HouseholdInput struct {
	CommunityCode string `json:"community_code"`
	Address       string `json:"address"`
}

// HouseholdJSON is a household with its members.
type HouseholdJSON struct {
	ID            string       `json:"id"`
	Version       int          `json:"version"`
	CommunityCode string       `json:"community_code"`
	Address       string       `json:"address"`
	HeadID        string       `json:"head_id,omitempty"`
	CaregiverID   string       `json:"caregiver_id,omitempty"`
	Members       []MemberJSON `json:"members"`
	Former        []MemberJSON `json:"former_members"`
}

// MemberJSON is one member's stay.
type MemberJSON struct {
	PersonID     string `json:"person_id"`
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
	LifeStage    string `json:"life_stage"`
	StartedOn    string `json:"started_on"`
	EndedOn      string `json:"ended_on,omitempty"`
}

// CreateHousehold answers POST /api/v1/households.
func (h *Handler) CreateHousehold(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	var in HouseholdInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	c, err := h.DB.GetPlaceByCode(r.Context(), in.CommunityCode)
	if err != nil {
		h.Fail(w, r, errs.Field("community_code", "person.community_unknown", nil))
		return
	}
	ctx, err := idempotent(r)
	var saved people.Household
	if err == nil {
		saved, err = h.DB.SaveHousehold(ctx, people.Household{CommunityID: c.ID, Address: in.Address}, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) { replayGet(w, r, h.GetHousehold, "id", id) }) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	v, err := h.DB.GetHousehold(r.Context(), saved.ID, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	created(w, "/api/v1/households/"+saved.ID, saved.Version, h.householdJSON(v, c.Code))
}

// GetHousehold answers GET /api/v1/households/{id}; the read is audited.
func (h *Handler) GetHousehold(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleRead) == nil {
		return
	}
	v, err := h.DB.GetHousehold(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	c, err := h.DB.GetPlace(r.Context(), v.Household.CommunityID)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(v.Household.Version))
	writeJSON(w, http.StatusOK, h.householdJSON(v, c.Code))
}

func (h *Handler) householdJSON(v store.HouseholdView, communityCode string) HouseholdJSON {
	now := h.DB.Now()
	member := func(m store.HouseholdMember) MemberJSON {
		return MemberJSON{PersonID: m.Person.ID, Name: m.Person.FullName(), Relationship: string(m.Membership.Relationship),
			LifeStage: string(people.StageAt(m.Person.BirthDate, false, people.NoSchooling, now)),
			StartedOn: m.Membership.StartedOn, EndedOn: m.Membership.EndedOn}
	}
	out := HouseholdJSON{ID: v.Household.ID, Version: v.Household.Version, CommunityCode: communityCode, Address: v.Household.Address,
		HeadID: v.Household.HeadID, CaregiverID: v.Household.CaregiverID, Members: []MemberJSON{}, Former: []MemberJSON{}}
	for _, m := range v.Current {
		out.Members = append(out.Members, member(m))
	}
	for _, m := range v.Former {
		out.Former = append(out.Former, member(m))
	}
	return out
}
