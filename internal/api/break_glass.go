package api

import (
	"net/http"
	"time"

	"termtem/internal/account"
	"termtem/internal/httpx"
)

// BreakGlassRequest is the body of POST /api/v1/people/{id}/break-glass.
type BreakGlassRequest struct {
	Reason string `json:"reason"`
}

// BreakGlass opens a record outside the caller's area for three hours, for
// the reason given; the grant is audited and the data-protection officers
// and case managers are told (POST /api/v1/people/{id}/break-glass).
func (h *Handler) BreakGlass(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleRead) == nil {
		return
	}
	var in BreakGlassRequest
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	until, err := h.DB.BreakGlass(r.Context(), r.PathValue("id"), in.Reason, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"person_id": r.PathValue("id"), "until": until.Format(time.RFC3339)})
}
