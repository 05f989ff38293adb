package store

import (
	"context"
	"time"

	"termtem/internal/audit"
	"termtem/internal/cases"
)

// Inbox is what waits for a user: alerts, referrals to accept, overdue
// plan steps, hand-offs to acknowledge, and reviews of their cases.
type Inbox struct {
	Alerts       []Alert    `json:"alerts"`
	Referrals    []Referral `json:"referrals"`
	OverdueSteps []PlanStep `json:"overdue_steps"`
	Handoffs     []Handoff  `json:"handoffs"`
	Reviews      []Case     `json:"reviews"`
	// MissedReports: families of the user's cases whose periodic report
	// is overdue.
	MissedReports []MissedReport `json:"missed_reports"`
}

// Count is the number of items waiting.
func (i Inbox) Count() int {
	return len(i.Alerts) + len(i.Referrals) + len(i.OverdueSteps) + len(i.Handoffs) + len(i.Reviews) + len(i.MissedReports)
}

// ActionInboxRead is the audit action of reading an inbox.
const ActionInboxRead = "inbox.read"

// UserInbox gathers a user's inbox. Each part applies its own rule of who
// sees what and audits its own list; the inbox read is audited too.
func (db *DB) UserInbox(ctx context.Context, userID string, actor audit.Event) (Inbox, error) {
	var in Inbox
	var err error
	if in.Alerts, err = db.ListAlerts(ctx, userID, AlertFilter{}, actor); err != nil {
		return in, err
	}
	refs, err := db.ListReferrals(ctx, ReferralFilter{UserID: userID, Incoming: true, Open: true}, actor)
	if err != nil {
		return in, err
	}
	for _, r := range refs {
		if r.Status == cases.Sent {
			in.Referrals = append(in.Referrals, r)
		}
	}
	if in.Handoffs, err = db.ListHandoffs(ctx, HandoffFilter{UserID: userID, Incoming: true, Open: true}, actor); err != nil {
		return in, err
	}
	today := db.today().Format(time.DateOnly)
	r := db.reader()
	// Steps the user answers for: theirs by name, their organisations'
	// without a named person, and every step of the cases they manage.
	if in.OverdueSteps, err = r.planSteps(ctx, `s.status <> 'done' AND s.due_on < ? AND s.case_id IN (SELECT id FROM cases WHERE status <> 'closed')
		AND (s.responsible_id = ? OR (s.responsible_id IS NULL AND s.organisation_id IN (SELECT organisation_id FROM memberships WHERE user_id = ?))
		OR s.case_id IN (SELECT id FROM cases WHERE manager_id = ?))`, today, userID, userID, userID); err != nil {
		return in, err
	}
	if in.Reviews, err = queryAll(ctx, r, `SELECT `+caseColumns+caseFrom+` WHERE c.manager_id = ? AND c.status <> 'closed'
		AND c.review_on <> '' AND c.review_on <= ? ORDER BY c.review_on`, []any{userID, today}, scanCaseRow); err != nil {
		return in, err
	}
	if in.MissedReports, err = r.missedReports(ctx, userID); err != nil {
		return in, err
	}
	actor.Action, actor.ObjectType = ActionInboxRead, "inbox"
	return in, db.AuditRead(ctx, actor)
}
