package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
)

// A family with a plan reports, each period, its progress on each of its
// commitments: the goals of the care plan it put in its own words, and
// the plan steps its account is responsible for. The period's report is
// in when every commitment has a report for it and the family has assessed
// itself again (RunSelfReports).

// Audit actions of commitment reports.
const (
	ActionCommitmentsRead     = "commitments.read"
	ActionCommitmentsReported = "commitments.reported"
)

// Progress is what a family says of one commitment.
type Progress string

const (
	ProgressDone       Progress = "done"
	ProgressOnTrack    Progress = "on_track"
	ProgressStruggling Progress = "struggling"
	ProgressNotStarted Progress = "not_started"
)

// Progresses are the answers offered, best first.
var Progresses = []Progress{ProgressDone, ProgressOnTrack, ProgressStruggling, ProgressNotStarted}

// MaxProgressNote bounds the family's words on one commitment.
const MaxProgressNote = 1000

// Commitment is one thing the family said it would do.
type Commitment struct {
	ID        string           `json:"id"`
	Kind      string           `json:"kind"` // goal or step
	Text      string           `json:"text"`
	Dimension people.Dimension `json:"dimension,omitempty"`
	DueOn     string           `json:"due_on"`
	// Latest is the family's newest report on it; ThisPeriod says whether
	// that report answers the current period.
	Latest     *CommitmentReport `json:"latest,omitempty"`
	ThisPeriod bool              `json:"reported_this_period"`
}

// CommitmentReport is a family's report on one commitment for a period.
type CommitmentReport struct {
	PeriodDue  string    `json:"period_due"`
	Progress   Progress  `json:"progress"`
	Note       string    `json:"note,omitempty"`
	ReportedAt time.Time `json:"reported_at"`
}

// FamilyPlan is what a family reports on for one case.
type FamilyPlan struct {
	CaseID       string       `json:"case_id"`
	NextDue      string       `json:"next_due"`
	IntervalDays int          `json:"interval_days"`
	Commitments  []Commitment `json:"commitments"`
}

// ProgressInput is a family's answer on one commitment.
type ProgressInput struct {
	CommitmentID string   `json:"commitment_id"`
	Progress     Progress `json:"progress"`
	Note         string   `json:"note"`
}

// commitments lists a case's commitments of the family account, with the
// newest report on each; period is the due date being reported for.
func (t *Tx) commitments(ctx context.Context, caseID, familyUserID, period string) ([]Commitment, error) {
	goals, err := queryAll(ctx, t, `SELECT id, dimension, family_commitment, target_date FROM plan_goals
		WHERE case_id = ? AND family_commitment <> '' ORDER BY created_at, id`, []any{caseID}, func(rs *sql.Rows) (Commitment, error) {
		c := Commitment{Kind: "goal"}
		var dim string
		err := rs.Scan(&c.ID, &dim, &c.Text, &c.DueOn)
		c.Dimension = people.Dimension(dim)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	steps, err := queryAll(ctx, t, `SELECT id, what, due_on FROM plan_steps
		WHERE case_id = ? AND responsible_id = ? AND status <> 'done' ORDER BY due_on, id`, []any{caseID, familyUserID}, func(rs *sql.Rows) (Commitment, error) {
		c := Commitment{Kind: "step"}
		return c, rs.Scan(&c.ID, &c.Text, &c.DueOn)
	})
	if err != nil {
		return nil, err
	}
	list := append(goals, steps...)
	reports, err := queryAll(ctx, t, `SELECT commitment_id, period_due, progress, note, reported_at FROM commitment_reports
		WHERE case_id = ? ORDER BY reported_at, id`, []any{caseID}, func(rs *sql.Rows) (struct {
		id string
		r  CommitmentReport
	}, error) {
		var x struct {
			id string
			r  CommitmentReport
		}
		var progress, at string
		err := rs.Scan(&x.id, &x.r.PeriodDue, &progress, &x.r.Note, &at)
		x.r.Progress, x.r.ReportedAt = Progress(progress), parseTS(at)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	for i := range list {
		for _, x := range reports {
			if x.id == list[i].ID {
				r := x.r
				list[i].Latest = &r
			}
		}
		list[i].ThisPeriod = list[i].Latest != nil && list[i].Latest.PeriodDue == period
	}
	return list, nil
}

// FamilyPlans are the plans a family account reports on: the open cases
// whose schedule names it. The read is audited (it is a child's plan).
func (db *DB) FamilyPlans(ctx context.Context, familyUserID string, actor audit.Event) ([]FamilyPlan, error) {
	var out []FamilyPlan
	err := db.InTx(ctx, func(t *Tx) error {
		var err error
		out, err = queryAll(ctx, t, `SELECT s.case_id, s.next_due, s.interval_days FROM self_report_schedules s JOIN cases c ON c.id = s.case_id
			WHERE s.family_user_id = ? AND c.status <> 'closed' ORDER BY s.next_due, s.case_id`, []any{familyUserID}, func(rs *sql.Rows) (FamilyPlan, error) {
			var p FamilyPlan
			return p, rs.Scan(&p.CaseID, &p.NextDue, &p.IntervalDays)
		})
		if err != nil {
			return err
		}
		for i := range out {
			if out[i].Commitments, err = t.commitments(ctx, out[i].CaseID, familyUserID, out[i].NextDue); err != nil {
				return err
			}
			actor.Action, actor.ObjectType, actor.ObjectID = ActionCommitmentsRead, "case", out[i].CaseID
			if err := t.Audit(ctx, actor); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// ReportProgress records a family's progress on its commitments of one
// case for the current period. Only the family account the case's
// schedule names may report, and only on its own commitments; a second
// report in the same period replaces the first. Every answer is checked
// before anything is written.
func (db *DB) ReportProgress(ctx context.Context, caseID, familyUserID string, answers []ProgressInput, actor audit.Event) error {
	if len(answers) == 0 {
		return errs.Field("progress", "field.required", nil)
	}
	return db.InTx(ctx, func(t *Tx) error {
		var period string
		err := t.queryRow(ctx, `SELECT s.next_due FROM self_report_schedules s JOIN cases c ON c.id = s.case_id
			WHERE s.case_id = ? AND s.family_user_id = ? AND c.status <> 'closed'`, caseID, familyUserID).Scan(&period)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "selfreport.none")
		}
		if err != nil {
			return classify(err)
		}
		list, err := t.commitments(ctx, caseID, familyUserID, period)
		if err != nil {
			return err
		}
		kinds := map[string]string{}
		for _, c := range list {
			kinds[c.ID] = c.Kind
		}
		seen := map[string]bool{}
		for i := range answers {
			a := &answers[i]
			a.Note = strings.TrimSpace(a.Note)
			field := "progress." + a.CommitmentID
			switch {
			case kinds[a.CommitmentID] == "":
				return errs.Field(field, "commitment.unknown", nil)
			case seen[a.CommitmentID]:
				return errs.Field(field, "commitment.twice", nil)
			case !slices.Contains(Progresses, a.Progress):
				return errs.Field(field, "commitment.progress", nil)
			case utf8.RuneCountInString(a.Note) > MaxProgressNote:
				return errs.Field("note."+a.CommitmentID, "field.too_long", map[string]any{"Max": MaxProgressNote})
			}
			seen[a.CommitmentID] = true
		}
		now := t.now()
		for _, a := range answers {
			if _, err := t.exec(ctx, `DELETE FROM commitment_reports WHERE commitment_id = ? AND period_due = ?`, a.CommitmentID, period); err != nil {
				return classify(err)
			}
			if _, err := t.exec(ctx, `INSERT INTO commitment_reports (id, case_id, commitment_id, kind, period_due, progress, note, reported_by, reported_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), caseID, a.CommitmentID, kinds[a.CommitmentID], period, string(a.Progress), a.Note,
				familyUserID, now); err != nil {
				return classify(err)
			}
		}
		// A report names no object of its own: the case it is about.
		t.made(caseID)
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionCommitmentsReported, "case", caseID, itoa(len(answers))
		return t.Audit(ctx, actor)
	})
}

// CaseCommitments are a case's family commitments with what the family
// last reported on each, for the case's page (the caller has checked and
// audited access to the case). None without a schedule.
func (db *DB) CaseCommitments(ctx context.Context, caseID string) ([]Commitment, error) {
	s, err := db.SelfReportScheduleOf(ctx, caseID)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return db.reader().commitments(ctx, caseID, s.FamilyUserID, s.NextDue)
}
