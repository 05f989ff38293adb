package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
)

// GetBulkJob answers GET /api/v1/bulk/jobs/{id}: an import job of one of
// the caller's organisations with its counts and rejected lines; any other
// job is not found.
func (h *Handler) GetBulkJob(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.ImportsRun)
	if p == nil {
		return
	}
	j, err := h.DB.ImportJob(r.Context(), r.PathValue("id"))
	if err == nil && !p.InOrganisation(j.OrganisationID) {
		err = errs.New(errs.NotFound, "import.job_not_found")
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	res, err := h.bulkResult(r, j)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
