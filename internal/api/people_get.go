package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
)

// GetPerson answers GET /api/v1/people/{id}; the read is audited.
func (h *Handler) GetPerson(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleRead) == nil {
		return
	}
	p, err := h.DB.GetPerson(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.writePerson(w, r, http.StatusOK, p)
}

// PatchPerson answers PATCH /api/v1/people/{id}: the fields sent change, if
// If-Match still names the stored version (else 412; without it, 428).
func (h *Handler) PatchPerson(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var in PersonInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	p, err := h.DB.GetPerson(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if err := in.apply(r.Context(), h.DB, &p); err != nil {
		h.Fail(w, r, err)
		return
	}
	p.Version = version
	saved, err := h.DB.UpdatePerson(r.Context(), p, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.writePerson(w, r, http.StatusOK, saved)
}
