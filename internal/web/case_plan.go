package web

import (
	"net/http"
	"strings"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// The joint care plan: goals per dimension in the family's own words,
// steps with who does what by when, and the family's printable view.

// PlanGoalAdd adds a goal (POST /cases/{id}/goals). Without a starting
// level the goal starts where the latest flower puts the dimension.
func (h *Handler) PlanGoalAdd(w http.ResponseWriter, r *http.Request) {
	fields := []string{"dimension", "from_level", "target_level", "target_date", "family_commitment"}
	h.changeCase(w, r, "goal", "plan", "flash.goal_added", fields, func(c store.Case, f map[string]string) error {
		target, err := formDate("target_date", f["target_date"], true)
		if err != nil {
			return err
		}
		g := cases.Goal{Dimension: people.Dimension(f["dimension"]), From: flower.Level(f["from_level"]), Target: flower.Level(f["target_level"]),
			TargetDate: target, Commitment: f["family_commitment"]}
		if g.From == "" {
			g.From = h.latestLevel(r, c, g.Dimension)
		}
		_, err = h.DB.AddGoal(r.Context(), c.ID, postVersion(r), g, httpx.Actor(r))
		return err
	})
}

// latestLevel is a dimension's level in the subject's latest flower.
func (h *Handler) latestLevel(r *http.Request, c store.Case, d people.Dimension) flower.Level {
	subject, id := caseSubject(c)
	levels, err := h.DB.Flowers(r.Context(), subject, []string{id})
	if err != nil {
		return flower.Unknown
	}
	if l, ok := levels[id][d]; ok && l.Valid() {
		return l
	}
	return flower.Unknown
}

// PlanStepAdd adds a step (POST /cases/{id}/steps). A step given to a team
// member belongs to that member's organisation unless another is chosen.
func (h *Handler) PlanStepAdd(w http.ResponseWriter, r *http.Request) {
	fields := []string{"what", "goal_id", "organisation_id", "responsible_id", "due_on"}
	h.changeCase(w, r, "step", "plan", "flash.step_added", fields, func(c store.Case, f map[string]string) error {
		due, err := formDate("due_on", f["due_on"], true)
		if err != nil {
			return err
		}
		s := cases.Step{What: f["what"], OrganisationID: f["organisation_id"], ResponsibleID: f["responsible_id"], DueOn: due}
		if s.OrganisationID == "" && s.ResponsibleID != "" {
			for _, m := range c.Members {
				if m.UserID == s.ResponsibleID && m.RemovedAt == nil {
					s.OrganisationID = m.OrganisationID
				}
			}
		}
		_, err = h.DB.AddStep(r.Context(), c.ID, postVersion(r), s, f["goal_id"], httpx.Actor(r))
		return err
	})
}

// PlanStepMove changes a step's status (POST /cases/{id}/steps/{step}/move):
// in progress, blocked with a reason, done with the evidence. The team and
// the step's organisation move it, as does whoever may change the case.
func (h *Handler) PlanStepMove(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.CasesRead)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ctx := r.Context()
	id, stepID := r.PathValue("id"), r.PathValue("step")
	c, may, err := h.caseAccess(r, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var step *store.PlanStep
	for i := range c.Steps {
		if c.Steps[i].ID == stepID {
			step = &c.Steps[i]
		}
	}
	if step == nil {
		h.fail(w, r, errs.New(errs.NotFound, "plan.step_not_found"))
		return
	}
	onTeam, err := h.DB.OnTeam(ctx, id, p.User.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !may && !onTeam && !p.InOrganisation(step.OrganisationID) {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	to := cases.StepStatus(r.PostFormValue("to"))
	note := strings.TrimSpace(r.PostFormValue("note"))
	if _, err := h.DB.MoveStep(ctx, stepID, postVersion(r), to, note, httpx.Actor(r)); err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		// The reason and the evidence share one field on the page.
		fe.Field = "note"
		h.renderCase(w, r, status, id, "step-"+stepID, map[string]string{"to": string(to), "note": note}, fe)
		return
	}
	h.redirectWithFlash(w, r, "/cases/"+id+"#step-"+stepID, "flash.step_changed")
}

// familyPlan is the plan as the family reads it: plain words, large type,
// printable.
type familyPlan struct {
	Name    string
	Goals   []goalRow
	Steps   []stepRow
	Review  string
	Printed string
}

// FamilyPlan shows the plan for the family (GET /cases/{id}/family-plan),
// to print or show on the phone at a home visit.
func (h *Handler) FamilyPlan(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.CasesRead) == nil {
		return
	}
	c, _, err := h.caseAccess(r, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "family_plan.title", nil)
	lang := v.Lang
	fp := familyPlan{Name: c.SubjectName, Review: dayText(lang, c.ReviewOn),
		Printed: thai.FormatDate(h.DB.Now().In(thai.Bangkok()), lang)}
	for _, g := range c.Goals {
		fp.Goals = append(fp.Goals, goalRow{PlanGoal: g, DimensionName: flower.DimensionName(g.Dimension, lang), FromLabel: levelLabel(g.From, lang),
			TargetLabel: levelLabel(g.Target, lang), TargetDate: dayText(lang, g.TargetDate)})
	}
	for _, s := range c.Steps {
		if s.Status != cases.Done {
			fp.Steps = append(fp.Steps, stepRow{PlanStep: s, Due: dayText(lang, s.DueOn)})
		}
	}
	v.Data = fp
	v.Return = "/cases/" + c.ID + "/family-plan"
	h.render(w, r, http.StatusOK, "family_plan", v)
}
