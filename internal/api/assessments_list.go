package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/flower"
	"termtem/internal/httpx"
)

// PersonAssessments answers GET /api/v1/people/{id}/assessments.
func (h *Handler) PersonAssessments(w http.ResponseWriter, r *http.Request) {
	h.listAssessments(w, r, flower.Child)
}

// HouseholdAssessments answers GET /api/v1/households/{id}/assessments.
func (h *Handler) HouseholdAssessments(w http.ResponseWriter, r *http.Request) {
	h.listAssessments(w, r, flower.Household)
}

// listAssessments answers a subject's assessments, staff and family alike,
// newest first; the read is audited.
func (h *Handler) listAssessments(w http.ResponseWriter, r *http.Request, subject flower.Subject) {
	p := h.require(w, r, account.AssessmentsRead)
	if p == nil {
		return
	}
	list, err := h.DB.ListAssessments(r.Context(), subject, r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	view := h.newAssessmentView(p, httpx.Lang(r.Context()))
	out := make([]AssessmentJSON, 0, len(list))
	for _, a := range list {
		js, err := view.render(r.Context(), a)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		out = append(out, js)
	}
	writeJSON(w, http.StatusOK, newList(out))
}
