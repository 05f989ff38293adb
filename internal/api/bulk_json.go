package api

import (
	"net/http"
	"regexp"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/imports"
)

// BulkResult is the answer to a bulk upload and to a look at its job: the
// job, its counts and its rejected lines (line, field, why). A job that
// stopped at a bad line also carries the usual error.
type BulkResult struct {
	Error        *ErrorDetail   `json:"error,omitempty"`
	JobID        string         `json:"job_id"`
	Status       string         `json:"status"`
	Counts       imports.Counts `json:"counts"`
	Rejected     []RejectedLine `json:"rejected"`
	RejectedMore bool           `json:"rejected_more"`
}

// RejectedLine is one line not imported.
type RejectedLine struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// shownRejected bounds the rejected lines one answer lists.
const shownRejected = 1000

// sourcePattern bounds a bulk source's name: it is part of a key, not text.
var sourcePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,59}$`)

// bulkResult describes a job with up to shownRejected of its rejected
// lines (reading them is audited).
func (h *Handler) bulkResult(r *http.Request, j imports.Job) (BulkResult, error) {
	res := BulkResult{JobID: j.ID, Status: string(j.Status), Counts: j.Counts, Rejected: []RejectedLine{}}
	rejects, err := h.DB.ImportRejects(r.Context(), j.ID, shownRejected+1, httpx.Actor(r))
	if err != nil {
		return res, err
	}
	if len(rejects) > shownRejected {
		rejects, res.RejectedMore = rejects[:shownRejected], true
	}
	lang := httpx.Lang(r.Context())
	for _, re := range rejects {
		res.Rejected = append(res.Rejected, RejectedLine{Line: re.Line, Field: re.Field, Code: re.MessageID, Message: h.Cat.T(lang, re.MessageID, re.Data)})
	}
	if j.Status == imports.Failed && j.Error != nil {
		res.Error = &ErrorDetail{Code: string(errs.Invalid), Message: h.Cat.T(lang, j.Error.MessageID, j.Error.Data),
			Field: j.Error.Field, Line: j.Error.Line, RequestID: httpx.RequestID(r.Context())}
	}
	return res, nil
}

// bulkOrganisation is the organisation a bulk upload is for: the one the
// caller belongs to (a service account has one), or the one named by
// ?organisation_id= among the caller's.
func bulkOrganisation(r *http.Request, p *account.Principal) (string, error) {
	orgs := p.OrganisationIDs()
	if id := r.URL.Query().Get("organisation_id"); id != "" {
		if !p.InOrganisation(id) {
			return "", errs.New(errs.Forbidden, "error.forbidden")
		}
		return id, nil
	}
	if len(orgs) != 1 {
		return "", errs.Field("organisation_id", "bulk.organisation_required", nil)
	}
	return orgs[0], nil
}
