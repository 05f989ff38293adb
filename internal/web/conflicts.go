package web

import (
	"net/http"

	"termtem/internal/httpx"
	"termtem/internal/store"
)

type conflictPage struct {
	Conflict  store.HouseholdConflict
	Community string
	Address   string
}

// ConflictsList lists the changes of the worker's that wait for a choice
// (GET /visits/conflicts).
func (h *Handler) ConflictsList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	cs, err := h.DB.OpenConflicts(r.Context(), p.User.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "conflicts", h.view(r, "conflicts.title", cs))
}

// ConflictShow puts the two values of a field side by side
// (GET /visits/conflicts/{id}).
func (h *Handler) ConflictShow(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	c, err := h.DB.Conflict(r.Context(), p.User.ID, r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderConflict(w, r, http.StatusOK, c, nil)
}

func (h *Handler) renderConflict(w http.ResponseWriter, r *http.Request, status int, c store.HouseholdConflict, fe *FormError) {
	v := h.view(r, "conflicts.one", nil)
	hv, err := h.DB.GetHousehold(r.Context(), c.HouseholdID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Data, v.Error = conflictPage{Conflict: c, Community: h.communityName(r.Context(), v.Lang, hv.Household.CommunityID), Address: hv.Household.Address}, fe
	h.render(w, r, status, "conflict", v)
}

// ConflictResolve applies the worker's choice (POST /visits/conflicts/{id}).
func (h *Handler) ConflictResolve(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	c, err := h.DB.ResolveConflict(r.Context(), p.User.ID, r.PathValue("id"), r.PostFormValue("choice"), httpx.Actor(r))
	// Resolved before (a second tap): the household's page says so.
	if c.HouseholdID != "" && h.settled(w, r, err, "/households/"+c.HouseholdID, map[string]string{"visits.conflict_done": "flash.resend2_conflict_done"}) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok || c.ID == "" {
			h.fail(w, r, err)
			return
		}
		h.renderConflict(w, r, status, c, fe)
		return
	}
	h.redirectWithFlash(w, r, "/households/"+c.HouseholdID, "flash.conflict_resolved")
}
