package store

import (
	"context"
	"database/sql"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/errs"
)

// Periodic self-reporting (รายงานตนเอง): a family with a plan reports its
// progress and assesses itself again at the interval its case manager
// sets. A reminder reaches the family's account through the outbox a few
// days before each due date; a report not made a few days after it raises
// an item in the case manager's inbox until the family reports.

// Audit actions and the job of self-reporting.
const (
	ActionSelfReportScheduled = "selfreport.scheduled"
	JobSelfReports            = "selfreports.remind"
)

// Limits of the interval, and the days around a due date.
const (
	MinReportInterval = 7
	MaxReportInterval = 180
	RemindBefore      = 3 // days before the due date the family is reminded
	MissedAfter       = 3 // days after it a missing report is raised
)

// SelfReportSchedule is when a case's family reports.
type SelfReportSchedule struct {
	CaseID       string `json:"case_id"`
	FamilyUserID string `json:"family_user_id"`
	FamilyName   string `json:"family_name,omitempty"`
	IntervalDays int    `json:"interval_days"`
	NextDue      string `json:"next_due"`
	Missed       bool   `json:"missed"`
	Version      int    `json:"version"`
}

// MissedReport is an inbox item: a family's report is overdue.
type MissedReport struct {
	CaseID      string `json:"case_id"`
	SubjectName string `json:"subject_name"`
	DueOn       string `json:"due_on"`
}

// SetSelfReportSchedule sets (or changes, with the version) the interval
// of a case's family reports. The case must be open and have a plan (a
// goal or a step); the account must be a family's. The first report is
// due one interval from today.
func (db *DB) SetSelfReportSchedule(ctx context.Context, caseID, familyUserID string, intervalDays, version int, actor audit.Event) (SelfReportSchedule, error) {
	if intervalDays < MinReportInterval || intervalDays > MaxReportInterval {
		return SelfReportSchedule{}, errs.Field("interval_days", "selfreport.interval", map[string]any{"Min": MinReportInterval, "Max": MaxReportInterval})
	}
	err := db.InTx(ctx, func(t *Tx) error {
		c, err := t.getCase(ctx, caseID)
		if err != nil {
			return err
		}
		if c.Status == cases.Closed {
			return errs.Field("case_id", "selfreport.case_closed", nil)
		}
		var plan int
		if err := t.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM plan_goals WHERE case_id = ?) + (SELECT COUNT(*) FROM plan_steps WHERE case_id = ?)`,
			caseID, caseID).Scan(&plan); err != nil {
			return classify(err)
		}
		if plan == 0 {
			return errs.Field("case_id", "selfreport.no_plan", nil)
		}
		u, err := t.getUser(ctx, "id", familyUserID)
		if err != nil || u.Kind != account.FamilyAccount || u.Disabled {
			return errs.Field("family_user_id", "selfreport.not_family", nil)
		}
		next := t.db.today().AddDate(0, 0, intervalDays).Format(time.DateOnly)
		now := t.now()
		if version == 0 {
			if _, err := t.exec(ctx, `INSERT INTO self_report_schedules (case_id, family_user_id, interval_days, next_due, set_by, updated_at)
				VALUES (?, ?, ?, ?, ?, ?)`, caseID, familyUserID, intervalDays, next, actor.ActorID, now); err != nil {
				if errs.Is(classify(err), errs.Conflict) {
					return errs.New(errs.Stale, "error.stale")
				}
				return classify(err)
			}
		} else {
			res, err := t.exec(ctx, `UPDATE self_report_schedules SET family_user_id = ?, interval_days = ?, next_due = ?, reminded_for = '', missed_for = '',
				set_by = ?, version = version + 1, updated_at = ? WHERE case_id = ? AND version = ?`, familyUserID, intervalDays, next, actor.ActorID, now, caseID, version)
			if err != nil {
				return classify(err)
			}
			if err := oneRow(res); err != nil {
				return err
			}
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionSelfReportScheduled, "case", caseID
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return SelfReportSchedule{}, err
	}
	return db.SelfReportScheduleOf(ctx, caseID)
}

// SelfReportScheduleOf returns a case's schedule (not found: none set).
func (db *DB) SelfReportScheduleOf(ctx context.Context, caseID string) (SelfReportSchedule, error) {
	var s SelfReportSchedule
	var missed string
	err := db.reader().queryRow(ctx, `SELECT s.case_id, s.family_user_id, u.display_name, s.interval_days, s.next_due, s.missed_for, s.version
		FROM self_report_schedules s JOIN users u ON u.id = s.family_user_id WHERE s.case_id = ?`, caseID).
		Scan(&s.CaseID, &s.FamilyUserID, &s.FamilyName, &s.IntervalDays, &s.NextDue, &missed, &s.Version)
	if err == sql.ErrNoRows {
		return s, errs.New(errs.NotFound, "selfreport.none")
	}
	s.Missed = missed != "" && missed == s.NextDue
	return s, classify(err)
}

// SelfReportRun says what one run of the reminders did.
type SelfReportRun struct {
	Reported, Reminded, Missed int
}

// RunSelfReports goes through the schedules of open cases once: a family
// that reported since its period began moves on to the next due date; one
// whose due date is near is reminded (once per due date); one whose
// report is overdue is raised to the case manager (once per due date).
// A report is a self-assessment the family made of its household (for a
// child's case, the child's household) on or after the period's start,
// together with the family's progress on each of its commitments
// (commitments.go) for the period.
func (db *DB) RunSelfReports(ctx context.Context) (SelfReportRun, error) {
	var run SelfReportRun
	type row struct {
		caseID, family, manager, next, reminded, missed, household string
		interval, version                                          int
	}
	r := db.reader()
	rows, err := queryAll(ctx, r, `SELECT s.case_id, s.family_user_id, c.manager_id, s.next_due, s.reminded_for, s.missed_for, s.interval_days, s.version,
		COALESCE(c.household_id, p.household_id, '') FROM self_report_schedules s JOIN cases c ON c.id = s.case_id LEFT JOIN people p ON p.id = c.person_id
		WHERE c.status <> 'closed'`, nil, func(rs *sql.Rows) (row, error) {
		var x row
		return x, rs.Scan(&x.caseID, &x.family, &x.manager, &x.next, &x.reminded, &x.missed, &x.interval, &x.version, &x.household)
	})
	if err != nil {
		return run, err
	}
	today := db.today()
	for _, x := range rows {
		due, err := time.Parse(time.DateOnly, x.next)
		if err != nil {
			continue
		}
		start := due.AddDate(0, 0, -x.interval).Format(time.DateOnly)
		var reports int
		if err := r.queryRow(ctx, `SELECT COUNT(*) FROM assessments WHERE household_id = ? AND source = 'family' AND assessed_on >= ?`,
			x.household, start).Scan(&reports); err != nil {
			return run, classify(err)
		}
		// The period's report is in when the family has assessed itself
		// again and reported on each of its commitments.
		commitments, err := r.commitments(ctx, x.caseID, x.family, x.next)
		if err != nil {
			return run, err
		}
		reported := reports > 0 && x.household != ""
		for _, c := range commitments {
			reported = reported && c.ThisPeriod
		}
		err = db.InTx(ctx, func(t *Tx) error {
			switch {
			case reported:
				next := due
				for !next.After(today) {
					next = next.AddDate(0, 0, x.interval)
				}
				run.Reported++
				_, err := t.exec(ctx, `UPDATE self_report_schedules SET next_due = ?, reminded_for = '', missed_for = '', version = version + 1
					WHERE case_id = ? AND version = ?`, next.Format(time.DateOnly), x.caseID, x.version)
				return classify(err)
			case today.After(due.AddDate(0, 0, MissedAfter)) && x.missed != x.next:
				run.Missed++
				if err := t.Enqueue(ctx, Notification{Kind: "notify.selfreport_missed", UserIDs: []string{x.manager}, Link: "/cases/" + x.caseID}); err != nil {
					return err
				}
				_, err := t.exec(ctx, `UPDATE self_report_schedules SET missed_for = ?, version = version + 1 WHERE case_id = ? AND version = ?`,
					x.next, x.caseID, x.version)
				return classify(err)
			case !today.Before(due.AddDate(0, 0, -RemindBefore)) && x.reminded != x.next && x.missed != x.next:
				run.Reminded++
				if err := t.Enqueue(ctx, Notification{Kind: "notify.selfreport_due", UserIDs: []string{x.family}, Link: "/my-plan"}); err != nil {
					return err
				}
				_, err := t.exec(ctx, `UPDATE self_report_schedules SET reminded_for = ?, version = version + 1 WHERE case_id = ? AND version = ?`,
					x.next, x.caseID, x.version)
				return classify(err)
			}
			return nil
		})
		if err != nil {
			return run, err
		}
	}
	return run, nil
}

// missedReports are the overdue family reports of the cases a user
// manages (inbox items).
func (t *Tx) missedReports(ctx context.Context, userID string) ([]MissedReport, error) {
	return queryAll(ctx, t, `SELECT s.case_id, COALESCE(p.given_name || ' ' || p.family_name, ''), s.next_due FROM self_report_schedules s
		JOIN cases c ON c.id = s.case_id LEFT JOIN people p ON p.id = c.person_id
		WHERE c.manager_id = ? AND c.status <> 'closed' AND s.missed_for = s.next_due ORDER BY s.next_due`, []any{userID},
		func(rs *sql.Rows) (MissedReport, error) {
			var m MissedReport
			return m, rs.Scan(&m.CaseID, &m.SubjectName, &m.DueOn)
		})
}
