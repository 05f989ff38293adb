package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// Audit actions of care plans.
const (
	ActionPlanGoal = "plan.goal_added"
	ActionPlanStep = "plan.step_added"
	ActionStepMove = "plan.step_changed"
)

// PlanGoal is a stored goal.
type PlanGoal struct {
	ID string `json:"id"`
	cases.Goal
}

// PlanStep is a stored step of a joint care plan.
type PlanStep struct {
	ID               string           `json:"id"`
	CaseID           string           `json:"case_id"`
	GoalID           string           `json:"goal_id,omitempty"`
	What             string           `json:"what"`
	OrganisationID   string           `json:"organisation_id"`
	OrganisationName string           `json:"organisation_name"`
	ResponsibleID    string           `json:"responsible_id,omitempty"`
	ResponsibleName  string           `json:"responsible_name,omitempty"`
	DueOn            string           `json:"due_on"`
	Status           cases.StepStatus `json:"status"`
	// StatusNote is why a step is blocked, or the evidence it was done.
	StatusNote string     `json:"status_note,omitempty"`
	DoneAt     *time.Time `json:"done_at,omitempty"`
	Version    int        `json:"version"`
	// Overdue: not done and past its due date (set by the reader).
	Overdue bool `json:"overdue,omitempty"`
}

// AddGoal adds a goal to a case's plan. The plan starts with its first
// goal or step when no start was set.
func (db *DB) AddGoal(ctx context.Context, caseID string, version int, g cases.Goal, actor audit.Event) (Case, error) {
	g.Commitment = strings.TrimSpace(g.Commitment)
	return db.updateCase(ctx, caseID, version, actor, ActionPlanGoal, func(t *Tx, c *Case) error {
		if c.Status == cases.Closed {
			return errs.New(errs.Conflict, "case.closed")
		}
		start := t.ensurePlanStart(ctx, c)
		if err := cases.CheckGoal(g, start); err != nil {
			return err
		}
		if g.From == "" {
			g.From = flower.Unknown
		}
		_, err := t.exec(ctx, `INSERT INTO plan_goals (id, case_id, dimension, from_level, target_level, target_date, family_commitment, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), caseID, string(g.Dimension), string(g.From), string(g.Target), g.TargetDate, g.Commitment,
			actor.ActorID, t.now())
		return classify(err)
	})
}

// ensurePlanStart sets the plan's start to today when it has none.
func (t *Tx) ensurePlanStart(ctx context.Context, c *Case) string {
	if c.PlanStart != "" {
		return c.PlanStart
	}
	c.PlanStart = t.db.today().Format(time.DateOnly)
	_, _ = t.exec(ctx, `UPDATE cases SET plan_start = ? WHERE id = ?`, c.PlanStart, c.ID)
	return c.PlanStart
}

// AddStep adds a step to a case's plan, optionally under a goal.
func (db *DB) AddStep(ctx context.Context, caseID string, version int, s cases.Step, goalID string, actor audit.Event) (Case, error) {
	return db.updateCase(ctx, caseID, version, actor, ActionPlanStep, func(t *Tx, c *Case) error {
		if c.Status == cases.Closed {
			return errs.New(errs.Conflict, "case.closed")
		}
		_, err := t.insertStep(ctx, c, s, goalID, "", actor.ActorID)
		return err
	})
}

func (t *Tx) insertStep(ctx context.Context, c *Case, s cases.Step, goalID, conferenceID, by string) (string, error) {
	s.What = strings.TrimSpace(s.What)
	if err := cases.CheckStep(s, t.ensurePlanStart(ctx, c)); err != nil {
		return "", err
	}
	o, err := t.getOrganisation(ctx, "id", s.OrganisationID)
	if err != nil || !o.Active {
		return "", errs.Field("organisation_id", "case.organisation_inactive", nil)
	}
	if s.ResponsibleID != "" {
		if err := t.activeMember(ctx, s.ResponsibleID, s.OrganisationID, "responsible_id"); err != nil {
			return "", err
		}
	}
	if goalID != "" {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM plan_goals WHERE id = ? AND case_id = ?`, goalID, c.ID).Scan(&n); err != nil {
			return "", classify(err)
		}
		if n == 0 {
			return "", errs.Field("goal_id", "field.choice", nil)
		}
	}
	id, now := NewID(), t.now()
	// The person named for a step hears of it; a step for a whole unit
	// waits in its members' inboxes.
	if s.ResponsibleID != "" {
		if err := t.Enqueue(ctx, Notification{Kind: "notify.step_assigned", UserIDs: []string{s.ResponsibleID}, Link: "/cases/" + c.ID}); err != nil {
			return "", err
		}
	}
	_, err = t.exec(ctx, `INSERT INTO plan_steps (id, case_id, goal_id, conference_id, what, organisation_id, responsible_id, due_on, status,
		created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, c.ID, nullString(goalID), nullString(conferenceID), s.What, s.OrganisationID, nullString(s.ResponsibleID), s.DueOn,
		string(cases.Planned), by, now, now)
	return id, classify(err)
}

// MoveStep changes a step's status: in progress, blocked with a reason,
// or done with the evidence. version is the step's.
func (db *DB) MoveStep(ctx context.Context, stepID string, version int, to cases.StepStatus, note string, actor audit.Event) (PlanStep, error) {
	note = strings.TrimSpace(note)
	var out PlanStep
	err := db.InTx(ctx, func(t *Tx) error {
		steps, err := t.planSteps(ctx, `s.id = ?`, stepID)
		if err != nil {
			return err
		}
		if len(steps) == 0 {
			return errs.New(errs.NotFound, "plan.step_not_found")
		}
		s := steps[0]
		if s.Version != version {
			return errs.New(errs.Stale, "error.stale")
		}
		if err := cases.CheckStepMove(s.Status, to, note); err != nil {
			return err
		}
		if err := t.dashTouchCase(ctx, s.CaseID); err != nil {
			return err
		}
		now := t.now()
		var doneAt any
		if to == cases.Done {
			doneAt = now
		}
		res, err := t.exec(ctx, `UPDATE plan_steps SET status = ?, status_note = ?, done_at = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, string(to), note, doneAt, now, stepID, version)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Stale, "error.stale")
		}
		if err := t.caseEvent(ctx, s.CaseID, actor.ActorID, "step", string(s.Status), string(to), s.What); err != nil {
			return err
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionStepMove, "plan_step", stepID
		if err := t.Audit(ctx, actor); err != nil {
			return err
		}
		steps, err = t.planSteps(ctx, `s.id = ?`, stepID)
		if err == nil {
			out = steps[0]
		}
		return err
	})
	return out, err
}

// StepCase returns the case a step belongs to.
func (db *DB) StepCase(ctx context.Context, stepID string) (string, string, error) {
	var caseID, org string
	err := db.reader().queryRow(ctx, `SELECT case_id, organisation_id FROM plan_steps WHERE id = ?`, stepID).Scan(&caseID, &org)
	if err == sql.ErrNoRows {
		return "", "", errs.New(errs.NotFound, "plan.step_not_found")
	}
	return caseID, org, classify(err)
}

func (t *Tx) planGoals(ctx context.Context, caseID string) ([]PlanGoal, error) {
	rows, err := t.query(ctx, `SELECT id, dimension, from_level, target_level, target_date, family_commitment FROM plan_goals
		WHERE case_id = ? ORDER BY created_at, id`, caseID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []PlanGoal
	for rows.Next() {
		var g PlanGoal
		var dim, from, target string
		if err := rows.Scan(&g.ID, &dim, &from, &target, &g.TargetDate, &g.Commitment); err != nil {
			return nil, classify(err)
		}
		g.Dimension, g.From, g.Target = people.Dimension(dim), flower.Level(from), flower.Level(target)
		out = append(out, g)
	}
	return out, classify(rows.Err())
}

// planSteps reads steps matching a condition on alias s, by due date.
func (t *Tx) planSteps(ctx context.Context, where string, args ...any) ([]PlanStep, error) {
	rows, err := t.query(ctx, `SELECT s.id, s.case_id, COALESCE(s.goal_id, ''), s.what, s.organisation_id, o.name_th, COALESCE(s.responsible_id, ''),
		COALESCE(u.display_name, ''), s.due_on, s.status, s.status_note, s.done_at, s.version
		FROM plan_steps s JOIN organisations o ON o.id = s.organisation_id LEFT JOIN users u ON u.id = s.responsible_id
		WHERE `+where+` ORDER BY s.due_on, s.id`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	today := t.db.today().Format(time.DateOnly)
	var out []PlanStep
	for rows.Next() {
		var s PlanStep
		var status string
		var done sql.NullString
		if err := rows.Scan(&s.ID, &s.CaseID, &s.GoalID, &s.What, &s.OrganisationID, &s.OrganisationName, &s.ResponsibleID, &s.ResponsibleName,
			&s.DueOn, &status, &s.StatusNote, &done, &s.Version); err != nil {
			return nil, classify(err)
		}
		s.Status, s.DoneAt = cases.StepStatus(status), parseNullTS(done)
		s.Overdue = s.Status != cases.Done && s.DueOn < today
		out = append(out, s)
	}
	return out, classify(rows.Err())
}
