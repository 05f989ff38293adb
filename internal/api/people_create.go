package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
)

// CreatePerson answers POST /api/v1/people. When someone with the same
// phonetic name and birth date exists, it answers 409 with their IDs unless
// the client confirms with "confirm_new": true.
func (h *Handler) CreatePerson(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	var in PersonInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	var p people.Person
	if err := in.apply(r.Context(), h.DB, &p); err != nil {
		h.Fail(w, r, err)
		return
	}
	if !in.ConfirmNew {
		check := p
		if err := people.ValidatePerson(&check, h.DB.Now()); err != nil {
			h.Fail(w, r, err)
			return
		}
		dups, err := h.DB.PossibleDuplicates(r.Context(), check)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		if len(dups) > 0 {
			ids := make([]string, len(dups))
			for i, d := range dups {
				ids[i] = d.ID
			}
			h.Fail(w, r, &errs.Error{Code: errs.Conflict, MessageID: "person.possible_duplicate", Field: "confirm_new",
				Data: map[string]any{"Count": len(dups), "IDs": ids}})
			return
		}
	}
	ctx, err := idempotent(r)
	var saved people.Person
	if err == nil {
		saved, err = h.DB.CreatePerson(ctx, p, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) {
		first, err := h.DB.GetPerson(r.Context(), id, httpx.Actor(r))
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		h.writePerson(w, r, http.StatusOK, first)
	}) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.writePerson(w, r, http.StatusCreated, saved)
}
