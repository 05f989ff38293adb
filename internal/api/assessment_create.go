package api

import (
	"net/http"
	"slices"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// maxAssessmentBody bounds POST /api/v1/assessments: notes and override
// reasons of every indicator fit well within it.
const maxAssessmentBody = 1 << 20

// AssessmentInput is the body of POST /api/v1/assessments.
type AssessmentInput struct {
	Subject        string                   `json:"subject"` // child or household
	SubjectID      string                   `json:"subject_id"`
	AssessedOn     string                   `json:"assessed_on"` // YYYY-MM-DD; empty: today
	OrganisationID string                   `json:"organisation_id"`
	Answers        map[string]flower.Answer `json:"answers"`
}

// CreateAssessment answers POST /api/v1/assessments: a staff assessment of
// a child or household with the current instrument, made in the name of one
// of the caller's organisations. It answers the assessment with the alerts
// it opened.
func (h *Handler) CreateAssessment(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.AssessmentsWrite)
	if p == nil {
		return
	}
	var in AssessmentInput
	if err := decodeMax(w, r, &in, maxAssessmentBody); err != nil {
		h.Fail(w, r, err)
		return
	}
	orgID, err := ownOrganisation(p, in.OrganisationID)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if in.SubjectID == "" {
		h.Fail(w, r, errs.Field("subject_id", "field.required", nil))
		return
	}
	ctx, err := idempotent(r)
	var a store.Assessment
	if err == nil {
		a, err = h.DB.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Subject(in.Subject), SubjectID: in.SubjectID,
			On: in.AssessedOn, Answers: in.Answers, Source: store.ByStaff, OrganisationID: orgID, AuthorID: p.User.ID}, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) {
		// Among the subject's assessments, as the caller sees them.
		list, err := h.DB.ListAssessments(r.Context(), flower.Subject(in.Subject), in.SubjectID, httpx.Actor(r))
		i := slices.IndexFunc(list, func(a store.Assessment) bool { return a.ID == id })
		if err != nil || i < 0 {
			h.Fail(w, r, errs.Internalf("assessment %s made before: %v", id, err))
			return
		}
		js, err := h.newAssessmentView(p, httpx.Lang(r.Context())).render(r.Context(), list[i])
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, js)
	}) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	js, err := h.newAssessmentView(p, httpx.Lang(r.Context())).render(r.Context(), a)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, js)
}

// ownOrganisation picks the organisation the caller acts for: the one
// named by ID (which must be the caller's), or the caller's only one.
func ownOrganisation(p *account.Principal, id string) (string, error) {
	if id == "" {
		if len(p.User.Memberships) == 1 {
			return p.User.Memberships[0].OrganisationID, nil
		}
		return "", errs.Field("organisation_id", "assessment.organisation_required", nil)
	}
	if !p.InOrganisation(id) {
		return "", errs.Field("organisation_id", "assessment.organisation_not_yours", nil)
	}
	return id, nil
}
