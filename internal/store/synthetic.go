package store

import (
	"context"
	"time"

	"termtem/internal/people"
)

// Casework of benchmark populations (demo.PopulateActivity): cases with
// their plans, referrals between organisations, alerts and hand-offs, made
// up by the generator with their whole history (a referral already
// accepted and completed, an alert already resolved), stored through the
// bulk path in the same transaction as the page's records and assessments.
// Nothing here is checked the way the screens check a change: the
// generator makes only what those checks allow.

// SyntheticCase is a generated case with its team's manager, legal
// category and plan.
type SyntheticCase struct {
	ID                    string // set by the generator (store.NewID), so referrals can name it
	PersonID, HouseholdID string // one of the two
	Status, Risk, Origin  string
	OrganisationID        string
	ManagerID             string
	OpenedAt              time.Time
	ClosedAt              time.Time // zero while not closed
	LegalKind, LegalCode  string    // empty: not classified
	Goals                 []SyntheticGoal
	Steps                 []SyntheticStep
}

// SyntheticGoal is a goal of a case's plan.
type SyntheticGoal struct {
	Dimension, From, Target, TargetDate string
}

// SyntheticStep is a step of a case's plan.
type SyntheticStep struct {
	What, OrganisationID, DueOn, Status string
	DoneAt                              time.Time // zero unless done
}

// SyntheticReferral is a referral with where it got to and when.
type SyntheticReferral struct {
	PersonID, CaseID                string
	FromOrg, FromUser, ToOrg        string
	Service, Urgency, Reason        string
	BasisKind, BasisReference       string
	Status, Outcome, StatusNote     string
	CreatedAt, AcceptedAt, ClosedAt time.Time // zero when not reached
	AcceptDue, CompleteDue          time.Time
	AcceptedBy                      string
}

// SyntheticAlert is an alert raised by an assessment and where it got to.
type SyntheticAlert struct {
	Key, Severity, Subject, Dimension  string
	PersonID, HouseholdID              string
	OrganisationID, Status, Resolution string
	OpenedAt, DueAt                    time.Time
	AcknowledgedAt, ResolvedAt         time.Time // zero when not reached
	By                                 string    // who acknowledged and resolved it
}

// SyntheticHandoff is a child handed from one unit to the next.
type SyntheticHandoff struct {
	PersonID, FromOrg, ToOrg   string
	Reason, FromStage, ToStage string
	CreatedAt, AcknowledgedAt  time.Time // AcknowledgedAt zero while waiting
	AcknowledgedBy             string
}

// SyntheticActivity is one page of a benchmark population's activity.
type SyntheticActivity struct {
	Records     []people.Record
	Assessments []SyntheticAssessment
	// AssessedBy is the organisation of the assessments.
	AssessedBy string
	Cases      []SyntheticCase
	Referrals  []SyntheticReferral
	Alerts     []SyntheticAlert
	Handoffs   []SyntheticHandoff
}

var (
	syntheticCaseTable = bulkTable{`INSERT INTO cases (id, subject, person_id, household_id, status, risk, origin, organisation_id, manager_id,
		plan_start, review_on, opened_at, closed_at, close_reason, created_at, updated_at) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, 50}
	syntheticCaseEventTable = bulkTable{`INSERT INTO case_events (id, case_id, at, actor_id, kind, from_value, to_value, note) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?)`, 100}
	syntheticCaseMemberTable = bulkTable{`INSERT INTO case_members (id, case_id, user_id, organisation_id, role, added_at) VALUES `,
		`(?, ?, ?, ?, ?, ?)`, 100}
	syntheticLegalTable = bulkTable{`INSERT INTO case_legal (id, case_id, kind, code, decided_on, decided_by, note, created_at) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?)`, 100}
	syntheticGoalTable = bulkTable{`INSERT INTO plan_goals (id, case_id, dimension, from_level, target_level, target_date, created_by, created_at) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?)`, 100}
	syntheticStepTable = bulkTable{`INSERT INTO plan_steps (id, case_id, what, organisation_id, responsible_id, due_on, status, done_at, created_by,
		created_at, updated_at) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, 80}
	syntheticReferralTable = bulkTable{`INSERT INTO referrals (id, person_id, case_id, from_org, from_user, to_org, service, urgency, reason,
		basis_kind, basis_reference, status, accept_due, complete_due, accepted_by, accepted_at, status_note, outcome, closed_at,
		created_at, updated_at) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, 40}
	syntheticReferralEventTable = bulkTable{`INSERT INTO referral_events (id, referral_id, at, actor_id, from_status, to_status, note) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?)`, 100}
	syntheticAlertTable = bulkTable{`INSERT INTO alerts (id, alert_key, severity, subject, person_id, household_id, dimension, indicators,
		organisation_id, status, escalation, opened_at, due_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, resolution) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, 50}
	syntheticHandoffTable = bulkTable{`INSERT INTO handoffs (id, person_id, from_org, to_org, reason, from_stage, to_stage, concerns, created_at,
		acknowledged_at, acknowledged_by) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, 80}
)

// InsertSyntheticActivity stores a page of generated activity in one
// transaction through the bulk path, moving the dashboard counters of every
// person and household it touches as any change does (they are touched
// before anything is written, so the counters take the whole difference).
func (db *DB) InsertSyntheticActivity(ctx context.Context, a SyntheticActivity) error {
	return db.InTx(ctx, func(t *Tx) error {
		var ps, hs []string
		for _, r := range a.Records {
			ps = append(ps, r.PersonID)
		}
		for _, x := range a.Assessments {
			ps, hs = append(ps, x.PersonID), append(hs, x.HouseholdID)
		}
		for _, c := range a.Cases {
			ps, hs = append(ps, c.PersonID), append(hs, c.HouseholdID)
		}
		for _, r := range a.Referrals {
			ps = append(ps, r.PersonID)
		}
		for _, x := range a.Alerts {
			ps, hs = append(ps, x.PersonID), append(hs, x.HouseholdID)
		}
		for _, h := range a.Handoffs {
			ps = append(ps, h.PersonID)
		}
		if err := t.dashTouchPerson(ctx, ps...); err != nil {
			return err
		}
		if err := t.dashTouchHousehold(ctx, hs...); err != nil {
			return err
		}
		now := t.now()
		steps := []func() error{
			func() error { return t.insertSyntheticRecords(ctx, a.Records, now) },
			func() error { return t.insertSyntheticAssessments(ctx, a.Assessments, a.AssessedBy, now) },
			func() error { return t.insertSyntheticCases(ctx, a.Cases) },
			func() error { return t.insertSyntheticReferrals(ctx, a.Referrals) },
			func() error { return t.insertSyntheticAlerts(ctx, a.Alerts) },
			func() error { return t.insertSyntheticHandoffs(ctx, a.Handoffs) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
}

// bulkRows writes rows to one table: each call of row adds one.
func (t *Tx) bulkRows(ctx context.Context, tab bulkTable, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	w := newBulkWriter(t, tab)
	for i := range n {
		if err := w.add(ctx, row(i)...); err != nil {
			return err
		}
	}
	return w.flush(ctx)
}

func (t *Tx) insertSyntheticRecords(ctx context.Context, rs []people.Record, now string) error {
	return t.bulkRows(ctx, recordTable, len(rs), func(i int) []any {
		r := &rs[i]
		r.ID = NewID()
		return []any{r.ID, nullString(r.PersonID), nil, string(r.Kind), r.OccurredOn, r.OrganisationID, "",
			string(r.Dimension), string(r.Sensitivity), r.Data.Encode(), now}
	})
}

func (t *Tx) insertSyntheticAssessments(ctx context.Context, as []SyntheticAssessment, orgID, now string) error {
	return t.bulkRows(ctx, assessmentTable, len(as), func(i int) []any {
		a := as[i]
		subject := "child"
		if a.HouseholdID != "" {
			subject = "household"
		}
		return []any{NewID(), subject, nullString(a.PersonID), nullString(a.HouseholdID), "termtem-default", 1, a.On, "staff",
			orgID, "", a.Levels[0], a.Levels[1], a.Levels[2], a.Levels[3], "{}", `{"synthetic":true}`, now}
	})
}

// tsOrNil is a timestamp, or NULL for the zero time.
func tsOrNil(at time.Time) any {
	if at.IsZero() {
		return nil
	}
	return ts(at)
}

// latest is the last of some times.
func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

func (t *Tx) insertSyntheticCases(ctx context.Context, cs []SyntheticCase) error {
	err := t.bulkRows(ctx, syntheticCaseTable, len(cs), func(i int) []any {
		c := cs[i]
		subject, planStart, review, reason := "child", "", "", ""
		if c.HouseholdID != "" {
			subject = "household"
		}
		if len(c.Steps) > 0 {
			planStart, review = c.OpenedAt.Format(time.DateOnly), c.OpenedAt.AddDate(0, 3, 0).Format(time.DateOnly)
		}
		if !c.ClosedAt.IsZero() {
			reason = "ข้อมูลสังเคราะห์: บรรลุเป้าหมายตามแผน"
		}
		return []any{c.ID, subject, nullString(c.PersonID), nullString(c.HouseholdID), c.Status, c.Risk, c.Origin, c.OrganisationID,
			c.ManagerID, planStart, review, ts(c.OpenedAt), tsOrNil(c.ClosedAt), reason, ts(c.OpenedAt), ts(latest(c.OpenedAt, c.ClosedAt))}
	})
	if err != nil {
		return err
	}
	// Each case's history: opened, then its present status if it moved on.
	type event struct {
		c        *SyntheticCase
		kind, to string
		at       time.Time
	}
	var evs []event
	var legal, goals, steps []int
	for i := range cs {
		c := &cs[i]
		evs = append(evs, event{c, "opened", "open", c.OpenedAt})
		if c.Status != "open" {
			at := c.OpenedAt.Add(72 * time.Hour)
			if !c.ClosedAt.IsZero() {
				at = c.ClosedAt
			}
			evs = append(evs, event{c, "status", c.Status, at})
		}
		if c.LegalCode != "" {
			legal = append(legal, i)
		}
		for range c.Goals {
			goals = append(goals, i)
		}
		for range c.Steps {
			steps = append(steps, i)
		}
	}
	if err := t.bulkRows(ctx, syntheticCaseEventTable, len(evs), func(i int) []any {
		e := evs[i]
		from := ""
		if e.kind == "status" {
			from = "open"
		}
		return []any{NewID(), e.c.ID, ts(e.at), e.c.ManagerID, e.kind, from, e.to, ""}
	}); err != nil {
		return err
	}
	if err := t.bulkRows(ctx, syntheticCaseMemberTable, len(cs), func(i int) []any {
		c := cs[i]
		return []any{NewID(), c.ID, c.ManagerID, c.OrganisationID, "case_manager", ts(c.OpenedAt)}
	}); err != nil {
		return err
	}
	if err := t.bulkRows(ctx, syntheticLegalTable, len(legal), func(i int) []any {
		c := cs[legal[i]]
		on := c.OpenedAt.AddDate(0, 0, 7)
		return []any{NewID(), c.ID, c.LegalKind, c.LegalCode, on.Format(time.DateOnly), c.ManagerID, "", ts(on)}
	}); err != nil {
		return err
	}
	// The i-th goal (step) of the list is the k-th of its case.
	nth := func(owners []int) []int {
		out := make([]int, len(owners))
		for i := range owners {
			if i > 0 && owners[i] == owners[i-1] {
				out[i] = out[i-1] + 1
			}
		}
		return out
	}
	gk, sk := nth(goals), nth(steps)
	if err := t.bulkRows(ctx, syntheticGoalTable, len(goals), func(i int) []any {
		c := cs[goals[i]]
		g := c.Goals[gk[i]]
		return []any{NewID(), c.ID, g.Dimension, g.From, g.Target, g.TargetDate, c.ManagerID, ts(c.OpenedAt)}
	}); err != nil {
		return err
	}
	return t.bulkRows(ctx, syntheticStepTable, len(steps), func(i int) []any {
		c := cs[steps[i]]
		s := c.Steps[sk[i]]
		updated := c.OpenedAt
		if !s.DoneAt.IsZero() {
			updated = s.DoneAt
		}
		return []any{NewID(), c.ID, s.What, s.OrganisationID, nil, s.DueOn, s.Status, tsOrNil(s.DoneAt), c.ManagerID, ts(c.OpenedAt), ts(updated)}
	})
}

func (t *Tx) insertSyntheticReferrals(ctx context.Context, rs []SyntheticReferral) error {
	ids := make([]string, len(rs))
	err := t.bulkRows(ctx, syntheticReferralTable, len(rs), func(i int) []any {
		r := rs[i]
		ids[i] = NewID()
		var acceptedBy any
		if !r.AcceptedAt.IsZero() {
			acceptedBy = r.AcceptedBy
		}
		return []any{ids[i], r.PersonID, nullString(r.CaseID), r.FromOrg, r.FromUser, r.ToOrg, r.Service, r.Urgency, r.Reason,
			r.BasisKind, r.BasisReference, r.Status, ts(r.AcceptDue), ts(r.CompleteDue), acceptedBy, tsOrNil(r.AcceptedAt), r.StatusNote,
			r.Outcome, tsOrNil(r.ClosedAt), ts(r.CreatedAt), ts(latest(r.CreatedAt, r.AcceptedAt, r.ClosedAt))}
	})
	if err != nil {
		return err
	}
	// The closed loop as events: sent, then accepted, then the end.
	type event struct {
		i        int
		from, to string
		at       time.Time
		actor    string
	}
	var evs []event
	for i, r := range rs {
		evs = append(evs, event{i, "", "sent", r.CreatedAt, r.FromUser})
		last := "sent"
		if !r.AcceptedAt.IsZero() {
			evs = append(evs, event{i, "sent", "accepted", r.AcceptedAt, r.AcceptedBy})
			last = "accepted"
		}
		if r.Status != last && r.Status != "accepted" {
			at := r.ClosedAt
			if at.IsZero() {
				at = latest(r.AcceptedAt, r.CreatedAt).Add(24 * time.Hour)
			}
			actor := r.AcceptedBy
			if r.Status == "revoked" || actor == "" {
				actor = r.FromUser
			}
			evs = append(evs, event{i, last, r.Status, at, actor})
		}
	}
	return t.bulkRows(ctx, syntheticReferralEventTable, len(evs), func(k int) []any {
		e := evs[k]
		return []any{NewID(), ids[e.i], ts(e.at), e.actor, e.from, e.to, ""}
	})
}

func (t *Tx) insertSyntheticAlerts(ctx context.Context, as []SyntheticAlert) error {
	return t.bulkRows(ctx, syntheticAlertTable, len(as), func(i int) []any {
		a := as[i]
		var ackBy, resBy any
		if !a.AcknowledgedAt.IsZero() {
			ackBy = a.By
		}
		if !a.ResolvedAt.IsZero() {
			resBy = a.By
		}
		return []any{NewID(), a.Key, a.Severity, a.Subject, nullString(a.PersonID), nullString(a.HouseholdID), a.Dimension, "[]",
			a.OrganisationID, a.Status, 0, ts(a.OpenedAt), ts(a.DueAt), tsOrNil(a.AcknowledgedAt), ackBy, tsOrNil(a.ResolvedAt), resBy, a.Resolution}
	})
}

func (t *Tx) insertSyntheticHandoffs(ctx context.Context, hs []SyntheticHandoff) error {
	return t.bulkRows(ctx, syntheticHandoffTable, len(hs), func(i int) []any {
		h := hs[i]
		var by any
		if !h.AcknowledgedAt.IsZero() {
			by = h.AcknowledgedBy
		}
		return []any{NewID(), h.PersonID, nullString(h.FromOrg), h.ToOrg, h.Reason, h.FromStage, h.ToStage, "[]", ts(h.CreatedAt),
			tsOrNil(h.AcknowledgedAt), by}
	})
}

// ActivitySpread counts the casework by table and status ("cases/active",
// "referrals/completed", "alerts/open", "handoffs/waiting", …), and rows
// whose times are out of order or in the future ("implausible/…"): what
// `termtem demo --people` reports and its test checks.
func (db *DB) ActivitySpread(ctx context.Context) (map[string]int, error) {
	now := ts(db.Now().Add(time.Minute))
	queries := []struct {
		name, sql string
		args      []any
	}{
		{"cases", `SELECT status, COUNT(*) FROM cases GROUP BY status`, nil},
		{"case_legal", `SELECT kind, COUNT(*) FROM case_legal GROUP BY kind`, nil},
		{"plan_steps", `SELECT status, COUNT(*) FROM plan_steps GROUP BY status`, nil},
		{"referrals", `SELECT status, COUNT(*) FROM referrals GROUP BY status`, nil},
		{"alerts", `SELECT status, COUNT(*) FROM alerts GROUP BY status`, nil},
		{"handoffs", `SELECT CASE WHEN acknowledged_at IS NULL THEN 'waiting' ELSE 'acknowledged' END AS s, COUNT(*) FROM handoffs GROUP BY s`, nil},
		{"implausible", `SELECT 'referral', COUNT(*) FROM referrals WHERE accepted_at < created_at OR closed_at < created_at
			OR created_at > ? OR accepted_at > ? OR closed_at > ? OR to_org = from_org`, []any{now, now, now}},
		{"implausible", `SELECT 'alert', COUNT(*) FROM alerts WHERE acknowledged_at < opened_at OR resolved_at < acknowledged_at
			OR opened_at > ? OR resolved_at > ?`, []any{now, now}},
		{"implausible", `SELECT 'case', COUNT(*) FROM cases WHERE closed_at < opened_at OR opened_at > ? OR closed_at > ?
			OR (status = 'closed') <> (closed_at IS NOT NULL)`, []any{now, now}},
		{"implausible", `SELECT 'handoff', COUNT(*) FROM handoffs WHERE acknowledged_at < created_at OR acknowledged_at > ?`, []any{now}},
	}
	out := map[string]int{}
	for _, q := range queries {
		rows, err := db.reader().query(ctx, q.sql, q.args...)
		if err != nil {
			return nil, classify(err)
		}
		err = eachRow(rows, func(s scanner) error {
			var k string
			var n int
			if err := s.Scan(&k, &n); err != nil {
				return err
			}
			out[q.name+"/"+k] += n
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
