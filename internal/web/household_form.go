package web

import (
	"net/http"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/people"
)

type householdForm struct {
	Household people.Household
	Members   []personRow // current members, for head and caregiver
	Places    placeChoices
	New       bool
}

// HouseholdNew shows the form for a new household (GET /households/new).
func (h *Handler) HouseholdNew(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	h.renderHouseholdForm(w, r, http.StatusOK, people.Household{}, nil)
}

// HouseholdEdit shows the form for a household's address, head and main
// caregiver (GET /households/{id}/edit).
func (h *Handler) HouseholdEdit(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	hv, err := h.DB.GetHousehold(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderHouseholdForm(w, r, http.StatusOK, hv.Household, nil)
}

func (h *Handler) renderHouseholdForm(w http.ResponseWriter, r *http.Request, status int, hh people.Household, fe *FormError) {
	title := "household.new"
	if hh.ID != "" {
		title = "household.edit"
	}
	v := h.view(r, title, nil)
	f := householdForm{Household: hh, New: hh.ID == ""}
	var err error
	if f.Places, err = h.placeChoices(r.Context(), v.Lang); err != nil {
		h.fail(w, r, err)
		return
	}
	if !f.New {
		hv, err := h.DB.GetHousehold(r.Context(), hh.ID, httpx.Actor(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, m := range hv.Current {
			f.Members = append(f.Members, h.personRow(v.Lang, m.Person, people.NoSchooling, ""))
		}
		v.Return = "/households/" + hh.ID + "/edit"
	} else {
		v.Return = "/households/new"
	}
	v.Data, v.Error = f, fe
	h.render(w, r, status, "household_form", v)
}

// HouseholdSave creates (POST /households) or updates (POST /households/{id})
// a household; an update carries the version it was read at.
func (h *Handler) HouseholdSave(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	hh := people.Household{
		ID:          r.PathValue("id"),
		CommunityID: r.PostFormValue("community_id"),
		Address:     r.PostFormValue("address"),
		Situation:   r.PostFormValue("situation"),
		HeadID:      r.PostFormValue("head_id"),
		CaregiverID: r.PostFormValue("caregiver_id"),
	}
	hh.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	// An edit carries the household's version; a new household the form's nonce.
	ctx, err := r.Context(), error(nil)
	if hh.ID == "" {
		ctx, err = h.formSending(r, "household:new")
	}
	var saved people.Household
	if err == nil {
		saved, err = h.DB.SaveHousehold(ctx, hh, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend_saved", func(id string) string { return "/households/" + id }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderHouseholdForm(w, r, status, hh, fe)
		return
	}
	h.redirectWithFlash(w, r, "/households/"+saved.ID, "flash.saved")
}
