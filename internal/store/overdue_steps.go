package store

import (
	"context"
	"database/sql"
	"time"

	"termtem/internal/account"
)

// JobOverdueSteps reminds people of overdue care-plan steps: a job that one
// node runs at a time (job_runs), like the alerts' escalation.
const JobOverdueSteps = "plans.overdue_steps"

// RemindOverdueSteps tells the owner of each overdue step of an open case —
// the person named for it, or else its unit's members who work on cases —
// and the case's manager, through the outbox (push included), once per
// step and due date: a step is marked with the due date it was reminded
// for in the same transaction as the notice, so a second run, or a second
// node, sends nothing more until the due date changes and passes again.
// It handles at most limit steps and reports how many it reminded of; the
// caller runs it again while that is limit.
func (db *DB) RemindOverdueSteps(ctx context.Context, limit int) (int, error) {
	type step struct{ id, caseID, responsible, organisation, due, manager string }
	steps, err := queryAll(ctx, db.reader(), `SELECT s.id, s.case_id, COALESCE(s.responsible_id, ''), s.organisation_id, s.due_on, c.manager_id
		FROM plan_steps s JOIN cases c ON c.id = s.case_id
		WHERE s.status <> 'done' AND s.due_on < ? AND s.overdue_notified_for <> s.due_on AND c.status <> 'closed'
		ORDER BY s.due_on, s.id LIMIT ?`, []any{db.today().Format(time.DateOnly), limit}, func(rs *sql.Rows) (step, error) {
		var s step
		return s, rs.Scan(&s.id, &s.caseID, &s.responsible, &s.organisation, &s.due, &s.manager)
	})
	if err != nil {
		return 0, err
	}
	reminded := 0
	for _, s := range steps {
		err := db.InTx(ctx, func(t *Tx) error {
			// Guarded by what was read: a step done, moved or reminded by
			// another node since is left alone.
			res, err := t.exec(ctx, `UPDATE plan_steps SET overdue_notified_for = due_on
				WHERE id = ? AND due_on = ? AND status <> 'done' AND overdue_notified_for <> due_on`, s.id, s.due)
			if err != nil {
				return classify(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return nil
			}
			reminded++
			n := Notification{Kind: "notify.step_overdue", UserIDs: []string{s.manager}, Link: "/cases/" + s.caseID}
			if s.responsible != "" {
				n.UserIDs = append(n.UserIDs, s.responsible)
			} else {
				n.OrganisationIDs, n.Permission = []string{s.organisation}, account.CasesRead
			}
			return t.Enqueue(ctx, n)
		})
		if err != nil {
			return reminded, err
		}
	}
	return reminded, nil
}
