package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// SelfCodeInput is the (optional) body of POST
// /api/v1/households/{id}/self-assessment-codes.
type SelfCodeInput struct {
	OrganisationID string `json:"organisation_id"`
}

// CreateSelfAssessmentCode answers POST
// /api/v1/households/{id}/self-assessment-codes: a single-use code the
// social worker gives the family for its self-assessment. The code is shown
// once, in this answer only: only its hash is stored, and it never goes
// into a URL or a log.
func (h *Handler) CreateSelfAssessmentCode(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.AssessmentsWrite)
	if p == nil {
		return
	}
	var in SelfCodeInput
	if r.ContentLength != 0 {
		if err := decode(w, r, &in); err != nil {
			h.Fail(w, r, err)
			return
		}
	}
	orgID, err := ownOrganisation(p, in.OrganisationID)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	ctx, err := idempotent(r)
	var sc store.SelfCode
	if err == nil {
		sc, err = h.DB.CreateSelfCode(ctx, r.PathValue("id"), orgID, 0, httpx.Actor(r))
	}
	if replayed(w, err, func(string) { h.secretOnce(w, r) }) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	sc.Code = store.FormatSelfCode(sc.Code)
	writeJSON(w, http.StatusCreated, sc)
}
