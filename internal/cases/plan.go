package cases

import (
	"slices"
	"strings"

	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// Goal is one goal of a joint care plan: a dimension to move from its
// level to a better one by a date, in the family's own words too.
type Goal struct {
	Dimension  people.Dimension `json:"dimension"`
	From       flower.Level     `json:"from_level"`
	Target     flower.Level     `json:"target_level"`
	TargetDate string           `json:"target_date"`
	// Commitment is what the family says it will do, in its words.
	Commitment string `json:"family_commitment"`
}

// CheckGoal validates a goal: a real dimension, a target better than where
// it starts (or green kept green), a date not before the plan starts.
func CheckGoal(g Goal, planStart string) error {
	if !slices.Contains(people.Dimensions, g.Dimension) {
		return errs.Field("dimension", "field.choice", nil)
	}
	if !g.Target.Valid() {
		return errs.Field("target_level", "field.choice", nil)
	}
	if g.From != "" && g.From != flower.Unknown && !g.From.Valid() {
		return errs.Field("from_level", "field.choice", nil)
	}
	if g.From.Valid() && g.Target.Worse(g.From) {
		return errs.Field("target_level", "plan.target_worse", nil)
	}
	if err := CheckDate("target_date", g.TargetDate, true); err != nil {
		return err
	}
	if planStart != "" && g.TargetDate < planStart {
		return errs.Field("target_date", "plan.before_start", nil)
	}
	return CheckText("family_commitment", g.Commitment, MaxReasonLen, false)
}

// StepStatus is where a plan step is.
type StepStatus string

const (
	Planned        StepStatus = "planned"
	StepInProgress StepStatus = "in_progress"
	Done           StepStatus = "done"
	Blocked        StepStatus = "blocked"
)

// StepStatuses in order.
var StepStatuses = []StepStatus{Planned, StepInProgress, Done, Blocked}

// Step is one step of the plan: what, by which organisation and person,
// by when.
type Step struct {
	What           string `json:"what"`
	OrganisationID string `json:"organisation_id"`
	ResponsibleID  string `json:"responsible_id,omitempty"`
	DueOn          string `json:"due_on"`
}

// CheckStep validates a new step: its text and a due date not before the
// plan starts.
func CheckStep(s Step, planStart string) error {
	if err := CheckText("what", s.What, MaxTitleLen, true); err != nil {
		return err
	}
	if s.OrganisationID == "" {
		return errs.Field("organisation_id", "field.required", nil)
	}
	if err := CheckDate("due_on", s.DueOn, true); err != nil {
		return err
	}
	if planStart != "" && s.DueOn < planStart {
		return errs.Field("due_on", "plan.before_start", nil)
	}
	return nil
}

// CheckStepMove validates a status change of a step: blocked needs a
// reason, done needs evidence of completion; a done step is final.
func CheckStepMove(from, to StepStatus, text string) error {
	if !slices.Contains(StepStatuses, to) {
		return errs.Field("status", "field.choice", nil)
	}
	if from == Done || from == to {
		return errs.New(errs.Conflict, "plan.step_transition")
	}
	switch to {
	case Blocked:
		if strings.TrimSpace(text) == "" {
			return errs.Field("reason", "field.required", nil)
		}
	case Done:
		if strings.TrimSpace(text) == "" {
			return errs.Field("evidence", "field.required", nil)
		}
	}
	return CheckText("evidence", text, MaxReasonLen, false)
}
