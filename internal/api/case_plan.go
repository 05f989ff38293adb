package api

import (
	"context"
	"net/http"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// PlanJSON is a case's joint care plan.
type PlanJSON struct {
	CaseID    string           `json:"case_id"`
	PlanStart string           `json:"plan_start,omitempty"`
	ReviewOn  string           `json:"review_on,omitempty"`
	Goals     []store.PlanGoal `json:"goals"`
	Steps     []store.PlanStep `json:"steps"`
	Version   int              `json:"version"` // the case's
}

func planOf(c store.Case) PlanJSON {
	p := PlanJSON{CaseID: c.ID, PlanStart: c.PlanStart, ReviewOn: c.ReviewOn, Goals: c.Goals, Steps: c.Steps, Version: c.Version}
	if p.Goals == nil {
		p.Goals = []store.PlanGoal{}
	}
	if p.Steps == nil {
		p.Steps = []store.PlanStep{}
	}
	return p
}

// CasePlan answers GET /api/v1/cases/{id}/plan: goals and steps, overdue
// steps marked.
func (h *Handler) CasePlan(w http.ResponseWriter, r *http.Request) {
	h.readCase(w, r, answerPlan)
}

// AddGoal answers POST /api/v1/cases/{id}/plan/goals (body: cases.Goal)
// with the plan.
func (h *Handler) AddGoal(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, caseChange{status: http.StatusCreated, answer: answerPlan}, func(ctx context.Context, c store.Case, version int) error {
		var in cases.Goal
		if err := decode(w, r, &in); err != nil {
			return err
		}
		_, err := h.DB.AddGoal(ctx, c.ID, version, in, httpx.Actor(r))
		return err
	})
}

// StepInput is the body of POST /api/v1/cases/{id}/plan/steps.
type StepInput struct {
	cases.Step
	GoalID string `json:"goal_id"`
}

// AddStep answers POST /api/v1/cases/{id}/plan/steps with the plan.
func (h *Handler) AddStep(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, caseChange{status: http.StatusCreated, answer: answerPlan}, func(ctx context.Context, c store.Case, version int) error {
		var in StepInput
		if err := decode(w, r, &in); err != nil {
			return err
		}
		_, err := h.DB.AddStep(ctx, c.ID, version, in.Step, in.GoalID, httpx.Actor(r))
		return err
	})
}

// StepMoveInput is the body of POST /api/v1/plan-steps/{id}/status: the
// note is why a step is blocked, or the evidence that it is done.
type StepMoveInput struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

// MoveStep answers POST /api/v1/plan-steps/{id}/status with If-Match naming
// the step's version. The case's team, members of the step's organisation
// and whoever may change the case may move it; others who see the case get
// 403, the rest 404.
func (h *Handler) MoveStep(w http.ResponseWriter, r *http.Request) {
	p := h.requireAny(w, r, account.CasesRead, account.CasesManage)
	if p == nil {
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var in StepMoveInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := h.mayMoveStep(r, p, id); err != nil {
		h.Fail(w, r, err)
		return
	}
	s, err := h.DB.MoveStep(r.Context(), id, version, cases.StepStatus(in.Status), in.Note, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, s.Version, s)
}

func (h *Handler) mayMoveStep(r *http.Request, p *account.Principal, stepID string) error {
	caseID, org, err := h.DB.StepCase(r.Context(), stepID)
	if err != nil {
		return err
	}
	c, err := h.DB.CaseFor(r.Context(), caseID, p.User.ID)
	if err != nil && !p.InOrganisation(org) {
		return errs.New(errs.NotFound, "plan.step_not_found")
	}
	if err != nil {
		return nil // a member of the step's organisation
	}
	ok, err := h.DB.MayChangeStep(r.Context(), c, org, p)
	if err == nil && !ok {
		err = errs.New(errs.Forbidden, "error.forbidden")
	}
	return err
}
