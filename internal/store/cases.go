package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/consent"
	"termtem/internal/errs"
	"termtem/internal/flower"
)

// Audit actions of cases.
const (
	ActionCaseOpened     = "case.opened"
	ActionCaseRead       = "case.read"
	ActionCasesListed    = "cases.listed"
	ActionCaseMoved      = "case.status_changed"
	ActionCaseRisk       = "case.risk_changed"
	ActionCaseMember     = "case.member_changed"
	ActionCaseLegal      = "case.legal_added"
	ActionCaseConference = "case.conference_added"
	ActionCaseReview     = "case.review_set"
)

// CaseInput opens a case.
type CaseInput struct {
	Subject        flower.Subject
	SubjectID      string
	Risk           cases.Risk
	Origin         cases.Origin
	OriginID       string // the alert or referral it came from
	OrganisationID string // the case manager's organisation
	ManagerID      string
}

// Case is a case with its team and history.
type Case struct {
	ID             string       `json:"id"`
	Subject        string       `json:"subject"`
	PersonID       string       `json:"person_id,omitempty"`
	HouseholdID    string       `json:"household_id,omitempty"`
	SubjectName    string       `json:"subject_name,omitempty"`
	Status         cases.Status `json:"status"`
	Risk           cases.Risk   `json:"risk"`
	Origin         cases.Origin `json:"origin"`
	OriginID       string       `json:"origin_id,omitempty"`
	OrganisationID string       `json:"organisation_id"`
	ManagerID      string       `json:"manager_id"`
	ManagerName    string       `json:"manager_name,omitempty"`
	PlanStart      string       `json:"plan_start,omitempty"`
	ReviewOn       string       `json:"review_on,omitempty"`
	OpenedAt       time.Time    `json:"opened_at"`
	ClosedAt       *time.Time   `json:"closed_at,omitempty"`
	CloseReason    string       `json:"close_reason,omitempty"`
	Version        int          `json:"version"`

	Members     []CaseMember     `json:"members,omitempty"`
	Legal       []CaseLegal      `json:"legal,omitempty"`
	Conferences []CaseConference `json:"conferences,omitempty"`
	Goals       []PlanGoal       `json:"goals,omitempty"`
	Steps       []PlanStep       `json:"steps,omitempty"`
	Events      []CaseEvent      `json:"events,omitempty"`
}

// CaseMember is a stay on a case's team.
type CaseMember struct {
	ID               string           `json:"id"`
	UserID           string           `json:"user_id"`
	Name             string           `json:"name"`
	OrganisationID   string           `json:"organisation_id"`
	OrganisationName string           `json:"organisation_name"`
	Role             cases.MemberRole `json:"role"`
	AddedAt          time.Time        `json:"added_at"`
	RemovedAt        *time.Time       `json:"removed_at,omitempty"`
}

// CaseLegal is a classification or measure under the Act.
type CaseLegal struct {
	ID        string          `json:"id"`
	Kind      cases.LegalKind `json:"kind"`
	Code      string          `json:"code"`
	DecidedOn string          `json:"decided_on"`
	DecidedBy string          `json:"decided_by"`
	Note      string          `json:"note,omitempty"`
}

// CaseConference is a case conference (การประชุมรายกรณี).
type CaseConference struct {
	ID        string   `json:"id"`
	HeldOn    string   `json:"held_on"`
	Attendees []string `json:"attendees"`
	Notes     string   `json:"notes"`
	Decisions []string `json:"decisions"`
}

// CaseEvent is one entry of a case's history.
type CaseEvent struct {
	At      time.Time `json:"at"`
	ActorID string    `json:"actor_id,omitempty"`
	Kind    string    `json:"kind"`
	From    string    `json:"from,omitempty"`
	To      string    `json:"to,omitempty"`
	Note    string    `json:"note,omitempty"`
}

func (t *Tx) caseEvent(ctx context.Context, caseID, actorID, kind, from, to, note string) error {
	_, err := t.exec(ctx, `INSERT INTO case_events (id, case_id, at, actor_id, kind, from_value, to_value, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		NewID(), caseID, t.now(), actorID, kind, from, to, note)
	return classify(err)
}

// activeMember checks that a user works in an active organisation: only
// such people join teams and take referrals.
func (t *Tx) activeMember(ctx context.Context, userID, orgID, field string) error {
	o, err := t.getOrganisation(ctx, "id", orgID)
	if err != nil || !o.Active {
		return errs.Field(field, "case.organisation_inactive", nil)
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.user_id = ? AND m.organisation_id = ? AND NOT u.disabled`, userID, orgID).Scan(&n); err != nil {
		return classify(err)
	}
	if n == 0 {
		return errs.Field(field, "case.not_in_organisation", nil)
	}
	return nil
}

// OpenCase opens a case with its manager as the first team member. A case
// opened from an alert takes the alert: it no longer escalates.
func (db *DB) OpenCase(ctx context.Context, in CaseInput, actor audit.Event) (Case, error) {
	if in.Subject != flower.Child && in.Subject != flower.Household {
		return Case{}, errs.Field("subject", "field.choice", nil)
	}
	if !slices.Contains(cases.Risks, in.Risk) {
		return Case{}, errs.Field("risk", "field.choice", nil)
	}
	if !slices.Contains(cases.Origins, in.Origin) {
		return Case{}, errs.Field("origin", "field.choice", nil)
	}
	c := Case{ID: NewID(), Subject: string(in.Subject), Status: cases.Open, Risk: in.Risk, Origin: in.Origin, OriginID: in.OriginID,
		OrganisationID: in.OrganisationID, ManagerID: in.ManagerID, Version: 1}
	err := db.InTx(ctx, func(t *Tx) error {
		var err error
		if in.Subject == flower.Child {
			c.PersonID = in.SubjectID
			_, err = t.getPerson(ctx, in.SubjectID)
		} else {
			c.HouseholdID = in.SubjectID
			_, err = t.getHousehold(ctx, in.SubjectID)
		}
		if err != nil {
			return errs.Field("subject_id", "assessment.subject_not_found", nil)
		}
		if err := t.activeMember(ctx, in.ManagerID, in.OrganisationID, "organisation_id"); err != nil {
			return err
		}
		if err := t.dashTouchSubject(ctx, flower.Subject(c.Subject), c.PersonID+c.HouseholdID); err != nil {
			return err
		}
		t.made(c.ID)
		now := t.now()
		c.OpenedAt = parseTS(now)
		if _, err := t.exec(ctx, `INSERT INTO cases (id, subject, person_id, household_id, status, risk, origin, origin_id, organisation_id,
			manager_id, opened_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Subject, nullString(c.PersonID), nullString(c.HouseholdID), string(c.Status), string(c.Risk), string(c.Origin), c.OriginID,
			c.OrganisationID, c.ManagerID, now, now, now); err != nil {
			return classify(err)
		}
		if _, err := t.exec(ctx, `INSERT INTO case_members (id, case_id, user_id, organisation_id, role, added_at) VALUES (?, ?, ?, ?, ?, ?)`,
			NewID(), c.ID, in.ManagerID, in.OrganisationID, string(cases.RoleManager), now); err != nil {
			return classify(err)
		}
		if err := t.caseEvent(ctx, c.ID, actor.ActorID, "opened", "", string(cases.Open), string(in.Origin)); err != nil {
			return err
		}
		if in.Origin == cases.FromAlert && in.OriginID != "" {
			// The case takes the alert: acknowledged by the one who opened it.
			if _, err := t.exec(ctx, `UPDATE alerts SET status = ?, acknowledged_at = ?, acknowledged_by = ?, version = version + 1
				WHERE id = ? AND status = ? AND (person_id = ? OR household_id = ?)`,
				string(AlertAcknowledged), now, actor.ActorID, in.OriginID, string(AlertOpen), in.SubjectID, in.SubjectID); err != nil {
				return classify(err)
			}
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionCaseOpened, "case", c.ID
		return t.Audit(ctx, actor)
	})
	return c, err
}

const caseColumns = `c.id, c.subject, COALESCE(c.person_id, ''), COALESCE(c.household_id, ''), c.status, c.risk, c.origin, c.origin_id,
	c.organisation_id, c.manager_id, c.plan_start, c.review_on, c.opened_at, c.closed_at, c.close_reason, c.version,
	COALESCE(p.given_name || ' ' || p.family_name, h.address, ''), COALESCE(u.display_name, '')`

const caseFrom = ` FROM cases c LEFT JOIN people p ON p.id = c.person_id LEFT JOIN households h ON h.id = c.household_id
	LEFT JOIN users u ON u.id = c.manager_id`

func scanCase(row interface{ Scan(...any) error }) (Case, error) {
	var c Case
	var status, risk, origin, opened string
	var closed sql.NullString
	err := row.Scan(&c.ID, &c.Subject, &c.PersonID, &c.HouseholdID, &status, &risk, &origin, &c.OriginID, &c.OrganisationID, &c.ManagerID,
		&c.PlanStart, &c.ReviewOn, &opened, &closed, &c.CloseReason, &c.Version, &c.SubjectName, &c.ManagerName)
	c.Status, c.Risk, c.Origin = cases.Status(status), cases.Risk(risk), cases.Origin(origin)
	c.OpenedAt, c.ClosedAt = parseTS(opened), parseNullTS(closed)
	return c, err
}

func scanCaseRow(rows *sql.Rows) (Case, error) { return scanCase(rows) }

func (t *Tx) getCase(ctx context.Context, id string) (Case, error) {
	c, err := scanCase(t.queryRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.id = ?`, id))
	if err == sql.ErrNoRows {
		return c, errs.New(errs.NotFound, "case.not_found")
	}
	return c, classify(err)
}

// GetCase returns a case with its team, classification, conferences, plan
// and history, and audits the read.
func (db *DB) GetCase(ctx context.Context, id string, actor audit.Event) (Case, error) {
	r := db.reader()
	c, err := r.getCase(ctx, id)
	if err != nil {
		return c, err
	}
	if c.Members, err = r.caseMembers(ctx, id); err != nil {
		return c, err
	}
	if err := r.caseDetails(ctx, &c); err != nil {
		return c, err
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionCaseRead, "case", id
	return c, db.AuditRead(ctx, actor)
}

func (t *Tx) caseMembers(ctx context.Context, caseID string) ([]CaseMember, error) {
	rows, err := t.query(ctx, `SELECT m.id, m.user_id, u.display_name, m.organisation_id, o.name_th, m.role, m.added_at, m.removed_at
		FROM case_members m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id
		WHERE m.case_id = ? ORDER BY m.added_at, m.id`, caseID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []CaseMember
	for rows.Next() {
		var m CaseMember
		var role, added string
		var removed sql.NullString
		if err := rows.Scan(&m.ID, &m.UserID, &m.Name, &m.OrganisationID, &m.OrganisationName, &role, &added, &removed); err != nil {
			return nil, classify(err)
		}
		m.Role, m.AddedAt, m.RemovedAt = cases.MemberRole(role), parseTS(added), parseNullTS(removed)
		out = append(out, m)
	}
	return out, classify(rows.Err())
}

// caseDetails reads the classification, conferences, plan and events.
func (t *Tx) caseDetails(ctx context.Context, c *Case) error {
	rows, err := t.query(ctx, `SELECT id, kind, code, decided_on, decided_by, note FROM case_legal WHERE case_id = ? ORDER BY decided_on, id`, c.ID)
	if err != nil {
		return classify(err)
	}
	for rows.Next() {
		var l CaseLegal
		var kind string
		if err := rows.Scan(&l.ID, &kind, &l.Code, &l.DecidedOn, &l.DecidedBy, &l.Note); err != nil {
			rows.Close()
			return classify(err)
		}
		l.Kind = cases.LegalKind(kind)
		c.Legal = append(c.Legal, l)
	}
	rows.Close()
	rows, err = t.query(ctx, `SELECT id, held_on, attendees, notes, decisions FROM case_conferences WHERE case_id = ? ORDER BY held_on, id`, c.ID)
	if err != nil {
		return classify(err)
	}
	for rows.Next() {
		var cf CaseConference
		var att, dec string
		if err := rows.Scan(&cf.ID, &cf.HeldOn, &att, &cf.Notes, &dec); err != nil {
			rows.Close()
			return classify(err)
		}
		_ = json.Unmarshal([]byte(att), &cf.Attendees)
		_ = json.Unmarshal([]byte(dec), &cf.Decisions)
		c.Conferences = append(c.Conferences, cf)
	}
	rows.Close()
	if c.Goals, err = t.planGoals(ctx, c.ID); err != nil {
		return err
	}
	if c.Steps, err = t.planSteps(ctx, `s.case_id = ?`, c.ID); err != nil {
		return err
	}
	rows, err = t.query(ctx, `SELECT at, actor_id, kind, from_value, to_value, note FROM case_events WHERE case_id = ? ORDER BY at, id`, c.ID)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e CaseEvent
		var at string
		if err := rows.Scan(&at, &e.ActorID, &e.Kind, &e.From, &e.To, &e.Note); err != nil {
			return classify(err)
		}
		e.At = parseTS(at)
		c.Events = append(c.Events, e)
	}
	return classify(rows.Err())
}

// CaseFilter narrows a list of cases.
type CaseFilter struct {
	// UserID: cases where the user is on the team (now).
	UserID string
	// VisibleTo: only cases the user may see (see CaseFor).
	VisibleTo string
	PersonID  string
	Household string
	Status    cases.Status // empty: all but closed
	Limit     int
}

// ListCases lists cases, the riskiest and newest first, and audits the list.
func (db *DB) ListCases(ctx context.Context, f CaseFilter, actor audit.Event) ([]Case, error) {
	// The cases of a subject the viewer may not see are refused, not empty.
	if f.PersonID != "" {
		if err := db.requirePerson(ctx, f.PersonID, actor); err != nil {
			return nil, err
		}
	}
	if f.Household != "" {
		if err := db.requireHousehold(ctx, f.Household, actor); err != nil {
			return nil, err
		}
	}
	q := `SELECT ` + caseColumns + caseFrom + ` WHERE 1 = 1`
	var args []any
	if f.UserID != "" {
		q, args = q+` AND c.id IN (SELECT case_id FROM case_members WHERE user_id = ? AND removed_at IS NULL)`, append(args, f.UserID)
	}
	if f.VisibleTo != "" {
		q, args = q+` AND `+caseVisible, append(args, f.VisibleTo, f.VisibleTo)
	}
	if f.PersonID != "" {
		q, args = q+` AND c.person_id = ?`, append(args, f.PersonID)
	}
	if f.Household != "" {
		q, args = q+` AND c.household_id = ?`, append(args, f.Household)
	}
	if f.Status != "" {
		q, args = q+` AND c.status = ?`, append(args, string(f.Status))
	} else {
		q, args = q+` AND c.status <> ?`, append(args, string(cases.Closed))
	}

	q += ` ORDER BY CASE c.risk WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, c.opened_at DESC LIMIT ?`
	args = append(args, listLimit(f.Limit))
	out, err := queryAll(ctx, db.reader(), q, args, scanCaseRow)
	if err != nil {
		return nil, err
	}
	actor.Action, actor.ObjectType = ActionCasesListed, "case"
	return out, db.AuditRead(ctx, actor)
}

// updateCase runs fn on a case at the version the user saw, then bumps the
// version; a stale version changes nothing.
func (db *DB) updateCase(ctx context.Context, id string, version int, actor audit.Event, action string, fn func(t *Tx, c *Case) error) (Case, error) {
	var c Case
	err := db.InTx(ctx, func(t *Tx) error {
		var err error
		if c, err = t.getCase(ctx, id); err != nil {
			return err
		}
		if version != c.Version {
			return errs.New(errs.Stale, "error.stale")
		}
		if err := t.dashTouchCase(ctx, id); err != nil {
			return err
		}
		if err := fn(t, &c); err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, t.now(), id, version)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Stale, "error.stale")
		}
		c.Version++
		// What a change under an Idempotency-Key made (a member, a
		// conference, a goal …) is answered as the case it changed.
		t.made(id)
		actor.Action, actor.ObjectType, actor.ObjectID = action, "case", id
		return t.Audit(ctx, actor)
	})
	return c, err
}

// MoveCase changes a case's status. Closing with an urgent alert still open
// for the subject is refused: someone must take the alert first.
func (db *DB) MoveCase(ctx context.Context, id string, version int, to cases.Status, reason string, actor audit.Event) (Case, error) {
	reason = strings.TrimSpace(reason)
	return db.updateCase(ctx, id, version, actor, ActionCaseMoved, func(t *Tx, c *Case) error {
		return t.moveCase(ctx, c, to, reason, actor.ActorID)
	})
}

func (t *Tx) moveCase(ctx context.Context, c *Case, to cases.Status, reason, actorID string) error {
	if err := cases.CheckTransition(c.Status, to, reason); err != nil {
		return err
	}
	if to == cases.Closed {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM alerts WHERE (person_id = ? OR household_id = ?) AND severity = 'urgent' AND status = ?`,
			c.PersonID+c.HouseholdID, c.PersonID+c.HouseholdID, string(AlertOpen)).Scan(&n); err != nil {
			return classify(err)
		}
		if n > 0 {
			return errs.Field("status", "case.open_urgent_alerts", map[string]any{"Count": n})
		}
	}
	now := t.now()
	var closedAt any
	if to == cases.Closed {
		closedAt = now
	}
	if _, err := t.exec(ctx, `UPDATE cases SET status = ?, closed_at = ?, close_reason = ? WHERE id = ?`,
		string(to), closedAt, reasonIf(to == cases.Closed, reason), c.ID); err != nil {
		return classify(err)
	}
	if err := t.caseEvent(ctx, c.ID, actorID, "status", string(c.Status), string(to), reason); err != nil {
		return err
	}
	c.Status = to
	return nil
}

func reasonIf(keep bool, reason string) string {
	if keep {
		return reason
	}
	return ""
}

// SetCaseRisk changes a case's risk level.
func (db *DB) SetCaseRisk(ctx context.Context, id string, version int, risk cases.Risk, actor audit.Event) (Case, error) {
	if !slices.Contains(cases.Risks, risk) {
		return Case{}, errs.Field("risk", "field.choice", nil)
	}
	return db.updateCase(ctx, id, version, actor, ActionCaseRisk, func(t *Tx, c *Case) error {
		return t.setCaseRisk(ctx, c, risk, actor.ActorID)
	})
}

func (t *Tx) setCaseRisk(ctx context.Context, c *Case, risk cases.Risk, actorID string) error {
	if _, err := t.exec(ctx, `UPDATE cases SET risk = ? WHERE id = ?`, string(risk), c.ID); err != nil {
		return classify(err)
	}
	if err := t.caseEvent(ctx, c.ID, actorID, "risk", string(c.Risk), string(risk), ""); err != nil {
		return err
	}
	c.Risk = risk
	return nil
}

// checkReview validates the plan's start and next review dates.
func checkReview(planStart, reviewOn string) error {
	if err := cases.CheckDate("plan_start", planStart, false); err != nil {
		return err
	}
	if err := cases.CheckDate("review_on", reviewOn, true); err != nil {
		return err
	}
	if planStart != "" && reviewOn < planStart {
		return errs.Field("review_on", "plan.before_start", nil)
	}
	return nil
}

// SetCaseReview sets the plan's start and next review dates.
func (db *DB) SetCaseReview(ctx context.Context, id string, version int, planStart, reviewOn string, actor audit.Event) (Case, error) {
	if err := checkReview(planStart, reviewOn); err != nil {
		return Case{}, err
	}
	return db.updateCase(ctx, id, version, actor, ActionCaseReview, func(t *Tx, c *Case) error {
		return t.setCaseReview(ctx, c, planStart, reviewOn, actor.ActorID)
	})
}

func (t *Tx) setCaseReview(ctx context.Context, c *Case, planStart, reviewOn, actorID string) error {
	if planStart == "" {
		planStart = c.PlanStart
	}
	if _, err := t.exec(ctx, `UPDATE cases SET plan_start = ?, review_on = ? WHERE id = ?`, planStart, reviewOn, c.ID); err != nil {
		return classify(err)
	}
	c.PlanStart, c.ReviewOn = planStart, reviewOn
	return t.caseEvent(ctx, c.ID, actorID, "review", "", reviewOn, "")
}

// AddCaseMember adds a worker to the team in a role. A new case manager
// replaces the current one, whose stay ends.
func (db *DB) AddCaseMember(ctx context.Context, caseID string, version int, userID, orgID string, role cases.MemberRole, actor audit.Event) (Case, error) {
	if !slices.Contains(cases.MemberRoles, role) {
		return Case{}, errs.Field("role", "field.choice", nil)
	}
	return db.updateCase(ctx, caseID, version, actor, ActionCaseMember, func(t *Tx, c *Case) error {
		managing := c.OrganisationID
		if c.Status == cases.Closed {
			return errs.New(errs.Conflict, "case.closed")
		}
		if err := t.activeMember(ctx, userID, orgID, "user_id"); err != nil {
			return err
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM case_members WHERE case_id = ? AND user_id = ? AND role = ? AND removed_at IS NULL`,
			caseID, userID, string(role)).Scan(&n); err != nil {
			return classify(err)
		}
		if n > 0 {
			return errs.Field("user_id", "case.already_member", nil)
		}
		now := t.now()
		if role == cases.RoleManager {
			if _, err := t.exec(ctx, `UPDATE case_members SET removed_at = ? WHERE case_id = ? AND role = ? AND removed_at IS NULL`,
				now, caseID, string(cases.RoleManager)); err != nil {
				return classify(err)
			}
			if _, err := t.exec(ctx, `UPDATE cases SET manager_id = ?, organisation_id = ? WHERE id = ?`, userID, orgID, caseID); err != nil {
				return classify(err)
			}
			c.ManagerID, c.OrganisationID = userID, orgID
		}
		if _, err := t.exec(ctx, `INSERT INTO case_members (id, case_id, user_id, organisation_id, role, added_at) VALUES (?, ?, ?, ?, ?, ?)`,
			NewID(), caseID, userID, orgID, string(role), now); err != nil {
			return classify(err)
		}
		// A member from another organisation is a disclosure of the child's
		// record to it: recorded, on the basis of the care team's public
		// task, like a referral or a hand-off.
		if c.PersonID != "" && orgID != managing {
			if err := t.disclose(ctx, DisclosureRequest{PersonID: c.PersonID, Purpose: consent.ForCasework, ObjectType: "case", ObjectID: caseID,
				FromOrg: managing, ToOrg: orgID, Declared: consent.PublicTask, Reference: caseworkBasis}, actor.ActorID); err != nil {
				return err
			}
		}
		return t.caseEvent(ctx, caseID, actor.ActorID, "member_added", "", userID, string(role))
	})
}

// caseworkBasis is the basis a multidisciplinary team shares a child's
// record on.
const caseworkBasis = "PDPA s.24(4), s.26(5)(a): multidisciplinary child-protection team"

// RemoveCaseMember ends a stay on the team. The case manager cannot be
// removed, only replaced: a case always has one.
func (db *DB) RemoveCaseMember(ctx context.Context, caseID string, version int, memberID string, actor audit.Event) (Case, error) {
	return db.updateCase(ctx, caseID, version, actor, ActionCaseMember, func(t *Tx, c *Case) error {
		var role, user string
		err := t.queryRow(ctx, `SELECT role, user_id FROM case_members WHERE id = ? AND case_id = ? AND removed_at IS NULL`, memberID, caseID).Scan(&role, &user)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "case.member_not_found")
		}
		if err != nil {
			return classify(err)
		}
		if cases.MemberRole(role) == cases.RoleManager {
			return errs.Field("member_id", "case.manager_required", nil)
		}
		if _, err := t.exec(ctx, `UPDATE case_members SET removed_at = ? WHERE id = ?`, t.now(), memberID); err != nil {
			return classify(err)
		}
		return t.caseEvent(ctx, caseID, actor.ActorID, "member_removed", user, "", role)
	})
}

// AddCaseLegal records a classification or measure under the Act.
func (db *DB) AddCaseLegal(ctx context.Context, caseID string, version int, kind cases.LegalKind, code, decidedOn, decidedBy, note string, actor audit.Event) (Case, error) {
	if err := cases.CheckLegal(kind, code, decidedOn); err != nil {
		return Case{}, err
	}
	if err := cases.CheckText("decided_by", decidedBy, cases.MaxTitleLen, true); err != nil {
		return Case{}, err
	}
	if err := cases.CheckText("note", note, cases.MaxReasonLen, false); err != nil {
		return Case{}, err
	}
	return db.updateCase(ctx, caseID, version, actor, ActionCaseLegal, func(t *Tx, c *Case) error {
		if _, err := t.exec(ctx, `INSERT INTO case_legal (id, case_id, kind, code, decided_on, decided_by, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			NewID(), caseID, string(kind), code, decidedOn, strings.TrimSpace(decidedBy), note, t.now()); err != nil {
			return classify(err)
		}
		return t.caseEvent(ctx, caseID, actor.ActorID, "legal", string(kind), code, "")
	})
}

// ConferenceInput is a case conference with its decisions; each decision
// with a step makes that plan step.
type ConferenceInput struct {
	HeldOn    string
	Attendees []string
	Notes     string
	Decisions []Decision
}

// Decision is one decision of a conference, possibly a plan step.
type Decision struct {
	Text string
	Step *cases.Step
}

// AddConference records a case conference; decisions that name a step add
// it to the plan, all in one transaction.
func (db *DB) AddConference(ctx context.Context, caseID string, version int, in ConferenceInput, actor audit.Event) (Case, error) {
	if err := cases.CheckDate("held_on", in.HeldOn, true); err != nil {
		return Case{}, err
	}
	if len(in.Attendees) == 0 {
		return Case{}, errs.Field("attendees", "field.required", nil)
	}
	for _, a := range in.Attendees {
		if err := cases.CheckText("attendees", a, cases.MaxTitleLen, true); err != nil {
			return Case{}, err
		}
	}
	if err := cases.CheckText("notes", in.Notes, cases.MaxNoteLen, false); err != nil {
		return Case{}, err
	}
	var texts []string
	for _, d := range in.Decisions {
		if err := cases.CheckText("decisions", d.Text, cases.MaxReasonLen, true); err != nil {
			return Case{}, err
		}
		texts = append(texts, d.Text)
	}
	return db.updateCase(ctx, caseID, version, actor, ActionCaseConference, func(t *Tx, c *Case) error {
		id := NewID()
		att, _ := json.Marshal(in.Attendees)
		dec, _ := json.Marshal(texts)
		if _, err := t.exec(ctx, `INSERT INTO case_conferences (id, case_id, held_on, attendees, notes, decisions, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, caseID, in.HeldOn, string(att), in.Notes, string(dec), actor.ActorID, t.now()); err != nil {
			return classify(err)
		}
		for _, d := range in.Decisions {
			if d.Step == nil {
				continue
			}
			if _, err := t.insertStep(ctx, c, *d.Step, "", id, actor.ActorID); err != nil {
				return err
			}
		}
		return t.caseEvent(ctx, caseID, actor.ActorID, "conference", "", in.HeldOn, "")
	})
}

// OnTeam reports whether a user is on a case's team now.
func (db *DB) OnTeam(ctx context.Context, caseID, userID string) (bool, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM case_members WHERE case_id = ? AND user_id = ? AND removed_at IS NULL`, caseID, userID).Scan(&n)
	return n > 0, classify(err)
}

// MayChangeCase is the rule of who may change a case (its status, team,
// classification, plan): a member of its team whose role may manage cases,
// or a supervisor of the case's organisation.
func (db *DB) MayChangeCase(ctx context.Context, c Case, p *account.Principal) (bool, error) {
	if !p.Can(account.CasesManage) {
		return false, nil
	}
	if p.Can(account.AlertsSupervise) && p.InOrganisation(c.OrganisationID) {
		return true, nil
	}
	return db.OnTeam(ctx, c.ID, p.User.ID)
}
