package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
)

// GetSelfReport answers GET /api/v1/cases/{id}/self-report: the family's
// periodic report schedule (404 when none is set).
func (h *Handler) GetSelfReport(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.CasesRead)
	if p == nil {
		return
	}
	c, err := h.DB.CaseFor(r.Context(), r.PathValue("id"), p.User.ID)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	s, err := h.DB.SelfReportScheduleOf(r.Context(), c.ID)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(s.Version))
	writeJSON(w, http.StatusOK, s)
}

// SelfReportInput sets a schedule.
type SelfReportInput struct {
	FamilyUserID string `json:"family_user_id"`
	IntervalDays int    `json:"interval_days"`
}

// PutSelfReport answers PUT /api/v1/cases/{id}/self-report: set the
// schedule (no If-Match: a first one; with it: a change of that version).
func (h *Handler) PutSelfReport(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.CasesManage) == nil {
		return
	}
	c, err := h.changeableCase(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	version := 0
	if r.Header.Get("If-Match") != "" {
		if version, err = ifMatch(r); err != nil {
			h.Fail(w, r, err)
			return
		}
	}
	var in SelfReportInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	s, err := h.DB.SetSelfReportSchedule(r.Context(), c.ID, in.FamilyUserID, in.IntervalDays, version, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(s.Version))
	writeJSON(w, http.StatusOK, s)
}
