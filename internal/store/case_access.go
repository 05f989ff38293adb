package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/errs"
)

// caseVisible is the rule of who sees a case, on alias c with the user's ID
// twice: someone on its team now, or a member of the organisation that
// manages it.
const caseVisible = `(c.id IN (SELECT case_id FROM case_members WHERE user_id = ? AND removed_at IS NULL)
	OR c.organisation_id IN (SELECT organisation_id FROM memberships WHERE user_id = ?))`

// CaseFor returns a case (without its details, unaudited) when the user may
// see it; for others it does not exist.
func (db *DB) CaseFor(ctx context.Context, id, userID string) (Case, error) {
	c, err := scanCase(db.reader().queryRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.id = ? AND `+caseVisible, id, userID, userID))
	if err == sql.ErrNoRows {
		return Case{}, errs.New(errs.NotFound, "case.not_found")
	}
	return c, classify(err)
}

// MayChangeStep is the rule of who may move a plan step: someone on the
// case's team, a member of the step's organisation, or whoever may change
// the case.
func (db *DB) MayChangeStep(ctx context.Context, c Case, stepOrg string, p *account.Principal) (bool, error) {
	if p.InOrganisation(stepOrg) {
		return true, nil
	}
	if ok, err := db.OnTeam(ctx, c.ID, p.User.ID); ok || err != nil {
		return ok, err
	}
	return db.MayChangeCase(ctx, c, p)
}

// CasePatch is a change of a case's status, risk or review dates; empty
// fields stay as they are.
type CasePatch struct {
	Status    cases.Status
	Reason    string
	Risk      cases.Risk
	PlanStart string
	ReviewOn  string
}

// PatchCase applies a patch in one transaction at the version the user saw:
// all of it or nothing.
func (db *DB) PatchCase(ctx context.Context, id string, version int, p CasePatch, actor audit.Event) (Case, error) {
	p.Reason = strings.TrimSpace(p.Reason)
	if p.Risk != "" && !slices.Contains(cases.Risks, p.Risk) {
		return Case{}, errs.Field("risk", "field.choice", nil)
	}
	action := ActionCaseMoved
	switch {
	case p.Status != "":
	case p.Risk != "":
		action = ActionCaseRisk
	case p.PlanStart != "" || p.ReviewOn != "":
		action = ActionCaseReview
	default:
		return Case{}, errs.Field("status", "field.required", nil)
	}
	return db.updateCase(ctx, id, version, actor, action, func(t *Tx, c *Case) error {
		if p.Risk != "" && p.Risk != c.Risk {
			if err := t.setCaseRisk(ctx, c, p.Risk, actor.ActorID); err != nil {
				return err
			}
		}
		if p.PlanStart != "" || p.ReviewOn != "" {
			reviewOn := p.ReviewOn
			if reviewOn == "" {
				reviewOn = c.ReviewOn
			}
			planStart := p.PlanStart
			if planStart == "" {
				planStart = c.PlanStart
			}
			if err := checkReview(planStart, reviewOn); err != nil {
				return err
			}
			if err := t.setCaseReview(ctx, c, p.PlanStart, reviewOn, actor.ActorID); err != nil {
				return err
			}
		}
		if p.Status != "" && p.Status != c.Status {
			return t.moveCase(ctx, c, p.Status, p.Reason, actor.ActorID)
		}
		return nil
	})
}
