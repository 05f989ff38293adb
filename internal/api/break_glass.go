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
	ctx, err := idempotent(r)
	var until time.Time
	if err == nil {
		until, err = h.DB.BreakGlass(ctx, r.PathValue("id"), in.Reason, httpx.Actor(r))
	}
	if replayed(w, err, func(grant string) {
		first, err := h.DB.GlassUntil(r.Context(), grant)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"person_id": r.PathValue("id"), "until": first.Format(time.RFC3339)})
	}) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"person_id": r.PathValue("id"), "until": until.Format(time.RFC3339)})
}
