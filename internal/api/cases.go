package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// badQuery is the error of a query parameter with a wrong value.
func badQuery(name string) error {
	return &errs.Error{Code: errs.Invalid, MessageID: "error.query", Field: name, Data: map[string]any{"Name": name}}
}

// decodeOptional is decode for a body that may be empty.
func decodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	err := decode(w, r, v)
	if err != nil && errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// ListCases answers GET /api/v1/cases: the cases whose team the caller is
// on, or with ?person_id= or ?household_id= the cases of that subject the
// caller may see; ?status= narrows (default: all but closed).
func (h *Handler) ListCases(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.CasesRead)
	if p == nil {
		return
	}
	q := r.URL.Query()
	f := store.CaseFilter{Status: cases.Status(q.Get("status")), PersonID: q.Get("person_id"), Household: q.Get("household_id")}
	if f.Status != "" && !slices.Contains(cases.Statuses, f.Status) {
		h.Fail(w, r, badQuery("status"))
		return
	}
	if f.PersonID == "" && f.Household == "" {
		f.UserID = p.User.ID
	} else {
		f.VisibleTo = p.User.ID
	}
	list, err := h.DB.ListCases(r.Context(), f, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// CaseInput is the body of POST /api/v1/cases.
type CaseInput struct {
	Subject        string `json:"subject"` // child or household
	SubjectID      string `json:"subject_id"`
	Risk           string `json:"risk"`
	Origin         string `json:"origin"`
	OriginID       string `json:"origin_id"`
	OrganisationID string `json:"organisation_id"`
}

// CreateCase answers POST /api/v1/cases: the caller opens a case and is its
// case manager, for one of their organisations. A case opened from an alert
// the caller sees takes that alert.
func (h *Handler) CreateCase(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.CasesManage)
	if p == nil {
		return
	}
	var in CaseInput
	if err := decode(w, r, &in); err != nil {
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
	if cases.Origin(in.Origin) == cases.FromAlert {
		if in.OriginID == "" {
			h.Fail(w, r, errs.Field("origin_id", "field.required", nil))
			return
		}
		if _, err := h.DB.GetAlert(r.Context(), in.OriginID, p.User.ID); err != nil {
			h.Fail(w, r, errs.Field("origin_id", "field.choice", nil))
			return
		}
	}
	ctx, err := idempotent(r)
	var c store.Case
	if err == nil {
		c, err = h.DB.OpenCase(ctx, store.CaseInput{Subject: flower.Subject(in.Subject), SubjectID: in.SubjectID, Risk: cases.Risk(in.Risk),
			Origin: cases.Origin(in.Origin), OriginID: in.OriginID, OrganisationID: orgID, ManagerID: p.User.ID}, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) { h.answerCase(w, r, http.StatusOK, answerCase, id) }) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.answerCase(w, r, http.StatusCreated, answerCase, c.ID)
}

// GetCase answers GET /api/v1/cases/{id}: the case with its team, legal
// classification, conferences, plan and history, to its team and its
// managing organisation; others get 404.
func (h *Handler) GetCase(w http.ResponseWriter, r *http.Request) {
	h.readCase(w, r, answerCase)
}

// readCase answers a case the caller may see, or its plan or team.
func (h *Handler) readCase(w http.ResponseWriter, r *http.Request, answer caseAnswer) {
	p := h.require(w, r, account.CasesRead)
	if p == nil {
		return
	}
	if _, err := h.DB.CaseFor(r.Context(), r.PathValue("id"), p.User.ID); err != nil {
		h.Fail(w, r, err)
		return
	}
	h.answerCase(w, r, http.StatusOK, answer, r.PathValue("id"))
}

// caseAnswer is what a case's address answers: the full case, its plan or
// its team.
type caseAnswer int

const (
	answerCase caseAnswer = iota
	answerPlan
	answerTeam
)

// answerCase reads the case (audited) and answers it, its plan or its
// team, with the case's version as ETag.
func (h *Handler) answerCase(w http.ResponseWriter, r *http.Request, status int, answer caseAnswer, id string) {
	c, err := h.DB.GetCase(r.Context(), id, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var v any = c
	location := "/api/v1/cases/" + id
	switch answer {
	case answerPlan:
		v, location = planOf(c), location+"/plan"
	case answerTeam:
		v, location = newList(c.Members), location+"/team"
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", location)
	}
	writeVersioned(w, status, c.Version, v)
}

// writeVersioned answers an object with its version as ETag.
func writeVersioned(w http.ResponseWriter, status, version int, v any) {
	w.Header().Set("ETag", etag(version))
	writeJSON(w, status, v)
}

// changeableCase is the case {id} when the caller may change it: not found
// when they may not see it, forbidden when they see it but may not change
// it (store.MayChangeCase).
func (h *Handler) changeableCase(r *http.Request) (store.Case, error) {
	p := httpx.Principal(r.Context())
	c, err := h.DB.CaseFor(r.Context(), r.PathValue("id"), p.User.ID)
	if err != nil {
		return c, err
	}
	ok, err := h.DB.MayChangeCase(r.Context(), c, p)
	if err != nil {
		return c, err
	}
	if !ok {
		return c, errs.New(errs.Forbidden, "error.forbidden")
	}
	return c, nil
}

// caseChange says how a change of a case is made and answered.
type caseChange struct {
	status int        // 200 for an update, 201 for an addition
	strict bool       // If-Match required (an update or a removal)
	answer caseAnswer // what to answer
}

// changeCase makes a change of the case {id} for a caller with
// cases:manage whom store.MayChangeCase allows. The change is based on the
// version in If-Match: required when strict (428 without it); for an
// addition, which overwrites nothing, the version just read serves.
func (h *Handler) changeCase(w http.ResponseWriter, r *http.Request, ch caseChange, change func(ctx context.Context, c store.Case, version int) error) {
	if h.require(w, r, account.CasesManage) == nil {
		return
	}
	c, err := h.changeableCase(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	version := c.Version
	if ch.strict || r.Header.Get("If-Match") != "" {
		if version, err = ifMatch(r); err != nil {
			h.Fail(w, r, err)
			return
		}
	}
	// A change that makes something (a member, a goal …) takes an
	// Idempotency-Key: without If-Match a retry would make it again.
	ctx := r.Context()
	if ch.status == http.StatusCreated {
		if ctx, err = idempotent(r); err != nil {
			h.Fail(w, r, err)
			return
		}
	}
	err = change(ctx, c, version)
	if replayed(w, err, func(string) { h.answerCase(w, r, http.StatusOK, ch.answer, c.ID) }) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.answerCase(w, r, ch.status, ch.answer, c.ID)
}

// CasePatchInput is the body of PATCH /api/v1/cases/{id}.
type CasePatchInput struct {
	Status    string `json:"status"`
	Reason    string `json:"reason"`
	Risk      string `json:"risk"`
	PlanStart string `json:"plan_start"`
	ReviewOn  string `json:"review_on"`
}

// PatchCase answers PATCH /api/v1/cases/{id}: a change of status (closing
// and reopening with a reason), risk or review dates, all or nothing, if
// If-Match still names the case's version (else 412; without it, 428).
func (h *Handler) PatchCase(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, caseChange{status: http.StatusOK, strict: true}, func(ctx context.Context, c store.Case, version int) error {
		var in CasePatchInput
		if err := decode(w, r, &in); err != nil {
			return err
		}
		_, err := h.DB.PatchCase(ctx, c.ID, version, store.CasePatch{Status: cases.Status(in.Status), Reason: in.Reason,
			Risk: cases.Risk(in.Risk), PlanStart: in.PlanStart, ReviewOn: in.ReviewOn}, httpx.Actor(r))
		return err
	})
}
