package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/consent"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// Audit actions of hand-offs.
const (
	ActionHandoffCreated      = "handoff.created"
	ActionHandoffAcknowledged = "handoff.acknowledged"
	ActionHandoffsListed      = "handoffs.listed"
)

// HandoffReason says why a child moves from one unit to another.
type HandoffReason string

const (
	HandoffEnrolment HandoffReason = "enrolment" // a new child-care or school enrolment elsewhere
	HandoffMoved     HandoffReason = "moved"     // the family moved (another district)
	HandoffStage     HandoffReason = "stage"     // the child grew into a stage another unit serves
)

// handoffBasis is the basis every hand-off is disclosed under.
const handoffBasis = "PDPA s.24(4): continuity of care and education"

// HandoffGapDays: a child handed off and not acknowledged within this many
// days is a continuity gap.
const HandoffGapDays = 30

// HandoffConcerns is what a hand-off carries: the open concerns of the
// child, so that the receiving unit does not start from nothing.
type HandoffConcerns struct {
	Indicators []HandoffIndicator `json:"indicators,omitempty"`
	OpenSteps  int                `json:"open_steps"`
	OpenCases  int                `json:"open_cases"`
}

// HandoffIndicator is a red or yellow indicator of the latest assessment.
type HandoffIndicator struct {
	Code      string           `json:"code"`
	Dimension people.Dimension `json:"dimension"`
	Level     flower.Level     `json:"level"`
}

// Handoff is a stored hand-off.
type Handoff struct {
	ID             string          `json:"id"`
	PersonID       string          `json:"person_id"`
	PersonName     string          `json:"person_name,omitempty"`
	FromOrg        string          `json:"from_organisation_id,omitempty"`
	FromOrgName    string          `json:"from_organisation_name,omitempty"`
	ToOrg          string          `json:"to_organisation_id"`
	ToOrgName      string          `json:"to_organisation_name"`
	Reason         HandoffReason   `json:"reason"`
	FromStage      string          `json:"from_stage,omitempty"`
	ToStage        string          `json:"to_stage,omitempty"`
	Concerns       HandoffConcerns `json:"concerns"`
	CreatedAt      time.Time       `json:"created_at"`
	AcknowledgedAt *time.Time      `json:"acknowledged_at,omitempty"`
	Version        int             `json:"version"`
	// Gap: unacknowledged for longer than HandoffGapDays (set by the reader).
	Gap bool `json:"gap,omitempty"`
}

// HandoffInput is a hand-off a unit makes, or the store makes on a new
// enrolment.
type HandoffInput struct {
	PersonID string
	FromOrg  string
	ToOrg    string
	Reason   HandoffReason
	RecordID string
}

// CreateHandoff hands a child over to another unit with the child's open
// concerns.
func (db *DB) CreateHandoff(ctx context.Context, in HandoffInput, actor audit.Event) (Handoff, error) {
	if in.Reason != HandoffEnrolment && in.Reason != HandoffMoved && in.Reason != HandoffStage {
		return Handoff{}, errs.Field("reason", "field.choice", nil)
	}
	if in.ToOrg == "" {
		return Handoff{}, errs.Field("to_organisation_id", "field.required", nil)
	}
	if in.ToOrg == in.FromOrg {
		return Handoff{}, errs.Field("to_organisation_id", "referral.own_organisation", nil)
	}
	var id string
	err := db.InTx(ctx, func(t *Tx) error {
		o, err := t.getOrganisation(ctx, "id", in.ToOrg)
		if err != nil || !o.Active {
			return errs.Field("to_organisation_id", "case.organisation_inactive", nil)
		}
		if id, err = t.insertHandoff(ctx, in, actor); err == nil {
			// Here, not in insertHandoff: a record's write that hands off
			// too names the record as what it made.
			t.made(id)
		}
		return err
	})
	if err != nil {
		return Handoff{}, err
	}
	return db.reader().getHandoff(ctx, id)
}

func (t *Tx) insertHandoff(ctx context.Context, in HandoffInput, actor audit.Event) (string, error) {
	p, err := t.getPerson(ctx, in.PersonID)
	if err != nil {
		return "", errs.Field("person_id", "assessment.subject_not_found", nil)
	}
	concerns, err := t.childConcerns(ctx, in.PersonID)
	if err != nil {
		return "", err
	}
	body, _ := json.Marshal(concerns)
	stage := string(people.StageAt(p.BirthDate, false, people.NoSchooling, t.db.Now()))
	if err := t.dashTouchPerson(ctx, in.PersonID); err != nil {
		return "", err
	}
	id := NewID()
	if _, err := t.exec(ctx, `INSERT INTO handoffs (id, person_id, from_org, to_org, reason, from_stage, to_stage, concerns, record_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, in.PersonID, nullString(in.FromOrg), in.ToOrg, string(in.Reason), stage, stage,
		string(body), nullString(in.RecordID), t.now()); err != nil {
		return "", classify(err)
	}
	// Handing a child's concerns to the next unit is part of the public
	// task of child care and education (PDPA s.24(4)); it is recorded as a
	// disclosure like any other.
	if err := t.disclose(ctx, DisclosureRequest{PersonID: in.PersonID, Purpose: consent.ForHandoff, ObjectType: "handoff", ObjectID: id,
		FromOrg: in.FromOrg, ToOrg: in.ToOrg, Declared: consent.PublicTask, Reference: handoffBasis}, actor.ActorID); err != nil {
		return "", err
	}
	if err := t.Enqueue(ctx, Notification{Kind: "notify.handoff_received", OrganisationIDs: []string{in.ToOrg},
		Permission: account.ReferralsManage, Link: "/handoffs"}); err != nil {
		return "", err
	}
	actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionHandoffCreated, "handoff", id, string(in.Reason)
	return id, t.Audit(ctx, actor)
}

// childConcerns gathers a child's open concerns: the red and yellow
// indicators of the latest staff assessment, open plan steps and cases.
func (t *Tx) childConcerns(ctx context.Context, personID string) (HandoffConcerns, error) {
	var c HandoffConcerns
	var result string
	err := t.queryRow(ctx, `SELECT result FROM assessments WHERE person_id = ? AND source = 'staff' ORDER BY assessed_on DESC, id DESC LIMIT 1`,
		personID).Scan(&result)
	if err != nil && err != sql.ErrNoRows {
		return c, classify(err)
	}
	if err == nil {
		var res flower.Result
		if err := json.Unmarshal([]byte(result), &res); err == nil {
			for _, r := range res.Concerns {
				c.Indicators = append(c.Indicators, HandoffIndicator{Code: r.Code, Dimension: r.Dimension, Level: r.Level})
			}
		}
	}
	if err := t.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM plan_steps s JOIN cases k ON k.id = s.case_id WHERE k.person_id = ? AND k.status <> 'closed' AND s.status <> 'done'),
		(SELECT COUNT(*) FROM cases WHERE person_id = ? AND status <> 'closed')`, personID, personID).Scan(&c.OpenSteps, &c.OpenCases); err != nil {
		return c, classify(err)
	}
	return c, nil
}

// enrolmentHandoff hands a child over when a new child-care or school
// enrolment is made by another unit than the last one: from the unit the
// child leaves to the one it joins.
func (t *Tx) enrolmentHandoff(ctx context.Context, rec people.Record, actor audit.Event) error {
	if rec.Kind != people.ChildcareEnrolment && rec.Kind != people.SchoolEnrolment {
		return nil
	}
	var prev string
	err := t.queryRow(ctx, `SELECT organisation_id FROM service_records WHERE person_id = ? AND id <> ?
		AND kind IN ('childcare_enrolment', 'school_enrolment') ORDER BY occurred_on DESC, created_at DESC LIMIT 1`,
		rec.PersonID, rec.ID).Scan(&prev)
	if err == sql.ErrNoRows || (err == nil && prev == rec.OrganisationID) {
		return nil
	}
	if err != nil {
		return classify(err)
	}
	_, err = t.insertHandoff(ctx, HandoffInput{PersonID: rec.PersonID, FromOrg: prev, ToOrg: rec.OrganisationID, Reason: HandoffEnrolment,
		RecordID: rec.ID}, actor)
	return err
}

const handoffSelect = `SELECT h.id, h.person_id, COALESCE(p.given_name || ' ' || p.family_name, ''), COALESCE(h.from_org, ''), COALESCE(fo.name_th, ''),
	h.to_org, tt.name_th, h.reason, h.from_stage, h.to_stage, h.concerns, h.created_at, h.acknowledged_at, h.version
	FROM handoffs h JOIN people p ON p.id = h.person_id LEFT JOIN organisations fo ON fo.id = h.from_org JOIN organisations tt ON tt.id = h.to_org`

func scanHandoff(row interface{ Scan(...any) error }, now time.Time) (Handoff, error) {
	var h Handoff
	var reason, concerns, created string
	var acked sql.NullString
	err := row.Scan(&h.ID, &h.PersonID, &h.PersonName, &h.FromOrg, &h.FromOrgName, &h.ToOrg, &h.ToOrgName, &reason, &h.FromStage, &h.ToStage,
		&concerns, &created, &acked, &h.Version)
	h.Reason, h.CreatedAt, h.AcknowledgedAt = HandoffReason(reason), parseTS(created), parseNullTS(acked)
	_ = json.Unmarshal([]byte(concerns), &h.Concerns)
	h.Gap = h.AcknowledgedAt == nil && now.Sub(h.CreatedAt) > HandoffGapDays*24*time.Hour
	return h, err
}

func (t *Tx) getHandoff(ctx context.Context, id string) (Handoff, error) {
	h, err := scanHandoff(t.queryRow(ctx, handoffSelect+` WHERE h.id = ?`, id), t.db.Now())
	if err == sql.ErrNoRows {
		return h, errs.New(errs.NotFound, "handoff.not_found")
	}
	return h, classify(err)
}

// AcknowledgeHandoff records that the receiving unit has taken the child
// on. Only its members may; others get not found.
func (db *DB) AcknowledgeHandoff(ctx context.Context, id string, version int, actor audit.Event) (Handoff, error) {
	var out Handoff
	err := db.InTx(ctx, func(t *Tx) error {
		h, err := t.getHandoff(ctx, id)
		if err != nil {
			return err
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = ? AND organisation_id = ?`, actor.ActorID, h.ToOrg).Scan(&n); err != nil {
			return classify(err)
		}
		if n == 0 {
			return errs.New(errs.NotFound, "handoff.not_found")
		}
		if h.Version != version {
			return errs.New(errs.Stale, "error.stale")
		}
		if h.AcknowledgedAt != nil {
			return errs.New(errs.Conflict, "handoff.already_acknowledged")
		}
		if err := t.dashTouchPerson(ctx, h.PersonID); err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE handoffs SET acknowledged_at = ?, acknowledged_by = ?, version = version + 1 WHERE id = ? AND version = ?`,
			t.now(), actor.ActorID, id, version)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Stale, "error.stale")
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionHandoffAcknowledged, "handoff", id
		if err := t.Audit(ctx, actor); err != nil {
			return err
		}
		out, err = t.getHandoff(ctx, id)
		return err
	})
	return out, err
}

// HandoffFilter narrows the hand-offs a user sees.
type HandoffFilter struct {
	UserID   string
	Incoming bool // to the user's organisations; else from them
	Open     bool // only unacknowledged
	Limit    int
}

// ListHandoffs lists hand-offs to or from the user's organisations, oldest
// first, and audits the list.
func (db *DB) ListHandoffs(ctx context.Context, f HandoffFilter, actor audit.Event) ([]Handoff, error) {
	col := "h.from_org"
	if f.Incoming {
		col = "h.to_org"
	}
	q := handoffSelect + ` WHERE ` + col + ` IN (SELECT organisation_id FROM memberships WHERE user_id = ?)`
	if f.Open {
		q += ` AND h.acknowledged_at IS NULL`
	}
	now := db.Now()
	out, err := queryAll(ctx, db.reader(), q+` ORDER BY h.created_at, h.id LIMIT ?`, []any{f.UserID, listLimit(f.Limit)},
		func(rows *sql.Rows) (Handoff, error) { return scanHandoff(rows, now) })
	if err != nil {
		return nil, err
	}
	actor.Action, actor.ObjectType = ActionHandoffsListed, "handoff"
	return out, db.AuditRead(ctx, actor)
}

// MadeHandoff returns a handoff its caller made, for the answer to a retry
// of the request that made it (an Idempotency-Key's replay): the caller was
// allowed to make it, and sees what it made.
func (db *DB) MadeHandoff(ctx context.Context, id string) (Handoff, error) {
	return db.reader().getHandoff(ctx, id)
}
