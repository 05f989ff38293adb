package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"termtem/internal/audit"
	"termtem/internal/committees"
	"termtem/internal/errs"
	"termtem/internal/organisations"
)

// System constraints (ข้อจำกัดเชิงระบบ): raised by a worker or a committee
// for a district, held first by the district's committee, escalated to
// Bangkok's child-protection committee and, where configured, a ministry
// contact. Who raised it always sees the answer.

// Audit actions of constraints.
const (
	ActionConstraintRaised    = "constraint.raised"
	ActionConstraintAnswered  = "constraint.answered"
	ActionConstraintEscalated = "constraint.escalated"
	ActionConstraintRead      = "constraint.read"
)

// ConstraintInput is a constraint as it is raised.
type ConstraintInput struct {
	Constraint     committees.Constraint
	OrganisationID string // the raiser's organisation (a unit or a committee)
}

// RaiseConstraint records a constraint for the district of the raiser's
// organisation, held by that district's quality-of-life or child-protection
// committee.
func (db *DB) RaiseConstraint(ctx context.Context, in ConstraintInput, actor audit.Event) (committees.Constraint, error) {
	c := in.Constraint
	if err := committees.ValidateConstraint(&c); err != nil {
		return c, err
	}
	err := db.InTx(ctx, func(t *Tx) error {
		if err := t.activeMember(ctx, actor.ActorID, in.OrganisationID, "organisation_id"); err != nil {
			return err
		}
		org, err := t.getOrganisation(ctx, "id", in.OrganisationID)
		if err != nil {
			return err
		}
		district, err := t.districtOf(ctx, org.PlaceID)
		if err != nil || district == "" {
			return errs.Field("organisation_id", "constraint.no_district", nil)
		}
		holder := ""
		if org.Kind == organisations.DistrictQualityOfLife || org.Kind == organisations.DistrictChildProtection {
			holder = org.ID // a committee raises to itself first
		} else if holder, err = t.organisationInDistrict(ctx, district, organisations.DistrictQualityOfLife, organisations.DistrictChildProtection); err != nil || holder == "" {
			return errs.Field("organisation_id", "constraint.no_committee", nil)
		}
		ev, _ := json.Marshal(c.Evidence)
		c.ID = NewID()
		t.made(c.ID)
		now := t.now()
		if _, err := t.exec(ctx, `INSERT INTO system_constraints (id, theme, title, description, evidence, district_id, raised_by, raised_org_id, holder_id,
			level, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, string(c.Theme), c.Title, c.Description, string(ev),
			district, actor.ActorID, org.ID, holder, committees.LevelDistrict, string(committees.Raised), now, now); err != nil {
			return classify(err)
		}
		if err := t.constraintEvent(ctx, c.ID, actor.ActorID, holder, committees.Raised, ""); err != nil {
			return err
		}
		if err := t.Enqueue(ctx, Notification{Kind: "notify.constraint_raised", OrganisationIDs: []string{holder}, Link: "/constraints/" + c.ID}); err != nil {
			return err
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionConstraintRaised, "constraint", c.ID
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return c, err
	}
	return db.GetConstraint(ctx, c.ID, actor)
}

func (t *Tx) constraintEvent(ctx context.Context, id, actorID, holder string, status committees.ConstraintStatus, note string) error {
	_, err := t.exec(ctx, `INSERT INTO constraint_events (id, constraint_id, at, actor_id, holder_id, status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		NewID(), id, t.now(), actorID, holder, string(status), note)
	return classify(err)
}

const constraintSelect = `SELECT c.id, c.theme, c.title, c.description, c.evidence, c.district_id, d.name_th, c.raised_by, u.display_name, c.raised_org_id,
	ro.name_th, c.holder_id, h.name_th, c.level, c.status, c.decision, c.who_acts, c.decline_reason, c.version, c.created_at, c.updated_at
	FROM system_constraints c JOIN places d ON d.id = c.district_id JOIN users u ON u.id = c.raised_by
	JOIN organisations ro ON ro.id = c.raised_org_id JOIN organisations h ON h.id = c.holder_id`

func scanConstraint(r interface{ Scan(...any) error }) (committees.Constraint, error) {
	var c committees.Constraint
	var theme, ev, status, created, updated string
	err := r.Scan(&c.ID, &theme, &c.Title, &c.Description, &ev, &c.DistrictID, &c.DistrictName, &c.RaisedBy, &c.RaisedByName, &c.RaisedOrgID,
		&c.RaisedOrgName, &c.HolderID, &c.HolderName, &c.Level, &status, &c.Decision, &c.WhoActs, &c.DeclineReason, &c.Version, &created, &updated)
	c.Theme, c.Status, c.CreatedAt, c.UpdatedAt = committees.Theme(theme), committees.ConstraintStatus(status), parseTS(created), parseTS(updated)
	if err == nil {
		err = json.Unmarshal([]byte(ev), &c.Evidence)
	}
	return c, err
}

// constraintVisible: the raiser, members of the raising organisation, and
// members of every committee that held it.
const constraintVisible = `(c.raised_by = ? OR c.raised_org_id IN (SELECT organisation_id FROM memberships WHERE user_id = ?)
	OR c.id IN (SELECT e.constraint_id FROM constraint_events e JOIN memberships m ON m.organisation_id = e.holder_id WHERE m.user_id = ?))`

// GetConstraint returns a constraint with its history to someone who may
// see it (others: not found), and audits the read.
func (db *DB) GetConstraint(ctx context.Context, id string, actor audit.Event) (committees.Constraint, error) {
	r := db.reader()
	c, err := scanConstraint(r.queryRow(ctx, constraintSelect+` WHERE c.id = ? AND `+constraintVisible, id, actor.ActorID, actor.ActorID, actor.ActorID))
	if err == sql.ErrNoRows {
		return c, errs.New(errs.NotFound, "constraint.not_found")
	}
	if err != nil {
		return c, classify(err)
	}
	c.Events, err = queryAll(ctx, r, `SELECT e.at, COALESCE(u.display_name, ''), o.name_th, e.status, e.note FROM constraint_events e
		LEFT JOIN users u ON u.id = e.actor_id JOIN organisations o ON o.id = e.holder_id WHERE e.constraint_id = ? ORDER BY e.at, e.id`, []any{id},
		func(rows *sql.Rows) (committees.ConstraintEvent, error) {
			var e committees.ConstraintEvent
			var at, status string
			err := rows.Scan(&at, &e.ActorName, &e.HolderName, &status, &e.Note)
			e.At, e.Status = parseTS(at), committees.ConstraintStatus(status)
			return e, err
		})
	if err != nil {
		return c, err
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionConstraintRead, "constraint", id
	return c, db.AuditRead(ctx, actor)
}

// ConstraintFilter narrows a list of constraints.
type ConstraintFilter struct {
	UserID string
	Held   bool // only those held now by the user's committees
	Open   bool
}

// ListConstraints lists the constraints the user may see, newest first.
func (db *DB) ListConstraints(ctx context.Context, f ConstraintFilter) ([]committees.Constraint, error) {
	q := constraintSelect + ` WHERE ` + constraintVisible
	args := []any{f.UserID, f.UserID, f.UserID}
	if f.Held {
		q, args = q+` AND c.holder_id IN (SELECT organisation_id FROM memberships WHERE user_id = ?)`, append(args, f.UserID)
	}
	if f.Open {
		q += ` AND c.status IN ('raised', 'under_review', 'decided')`
	}
	return queryAll(ctx, db.reader(), q+` ORDER BY c.updated_at DESC, c.id LIMIT 500`, args, func(r *sql.Rows) (committees.Constraint, error) { return scanConstraint(r) })
}

// AnswerConstraint moves a constraint the actor's committee holds: under
// review, decided (with the decision and who acts), declined (with the
// reason), resolved. The raisers are told.
func (db *DB) AnswerConstraint(ctx context.Context, id string, version int, to committees.ConstraintStatus, decision, whoActs, reason string, actor audit.Event) (committees.Constraint, error) {
	err := db.InTx(ctx, func(t *Tx) error {
		c, err := t.heldConstraint(ctx, id, actor.ActorID)
		if err != nil {
			return err
		}
		if c.Version != version {
			return errs.New(errs.Stale, "error.stale")
		}
		if err := committees.CheckAnswer(c.Status, to, decision, whoActs, reason); err != nil {
			return err
		}
		if to != committees.Decided {
			decision, whoActs = c.Decision, c.WhoActs
		}
		if to != committees.Declined {
			reason = c.DeclineReason
		}
		res, err := t.exec(ctx, `UPDATE system_constraints SET status = ?, decision = ?, who_acts = ?, decline_reason = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, string(to), decision, whoActs, reason, t.now(), id, version)
		if err != nil {
			return classify(err)
		}
		if err := oneRow(res); err != nil {
			return err
		}
		note := decision
		if to == committees.Declined {
			note = reason
		}
		if err := t.constraintEvent(ctx, id, actor.ActorID, c.HolderID, to, note); err != nil {
			return err
		}
		if err := t.Enqueue(ctx, Notification{Kind: "notify.constraint_answered", UserIDs: []string{c.RaisedBy}, Link: "/constraints/" + id}); err != nil {
			return err
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionConstraintAnswered, "constraint", id, string(to)
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return committees.Constraint{}, err
	}
	return db.GetConstraint(ctx, id, actor)
}

// heldConstraint returns a constraint the user's committee holds now.
func (t *Tx) heldConstraint(ctx context.Context, id, userID string) (committees.Constraint, error) {
	c, err := scanConstraint(t.queryRow(ctx, constraintSelect+` WHERE c.id = ?`, id))
	if err == sql.ErrNoRows {
		return c, errs.New(errs.NotFound, "constraint.not_found")
	}
	if err != nil {
		return c, classify(err)
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = ? AND organisation_id = ?`, userID, c.HolderID).Scan(&n); err != nil {
		return c, classify(err)
	}
	if n == 0 {
		return c, errs.New(errs.Forbidden, "constraint.not_holder")
	}
	return c, nil
}

// EscalateConstraint passes a constraint the actor's committee holds up a
// level: from the district to Bangkok's child-protection committee, from
// Bangkok to the ministry contact organisation where one is configured
// (db.MinistryContact). It is raised again there.
func (db *DB) EscalateConstraint(ctx context.Context, id string, version int, note string, actor audit.Event) (committees.Constraint, error) {
	err := db.InTx(ctx, func(t *Tx) error {
		c, err := t.heldConstraint(ctx, id, actor.ActorID)
		if err != nil {
			return err
		}
		if c.Version != version {
			return errs.New(errs.Stale, "error.stale")
		}
		if !c.Status.Open() || c.Status == committees.Decided {
			return errs.New(errs.Conflict, "constraint.move_not_allowed")
		}
		next := committees.NextLevel(c.Level)
		holder := ""
		switch next {
		case committees.LevelBangkok:
			holder, err = t.firstOfKind(ctx, organisations.BangkokChildProtection)
		case committees.LevelMinistry:
			var o organisations.Organisation
			if o, err = t.ministryContact(ctx); err == nil {
				holder = o.ID
			}
		}
		if err != nil {
			return err
		}
		if holder == "" {
			return errs.New(errs.Conflict, "constraint.no_higher")
		}
		res, err := t.exec(ctx, `UPDATE system_constraints SET holder_id = ?, level = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			holder, next, string(committees.Raised), t.now(), id, version)
		if err != nil {
			return classify(err)
		}
		if err := oneRow(res); err != nil {
			return err
		}
		if err := t.constraintEvent(ctx, id, actor.ActorID, holder, committees.Raised, note); err != nil {
			return err
		}
		if err := t.Enqueue(ctx, Notification{Kind: "notify.constraint_raised", OrganisationIDs: []string{holder}, Link: "/constraints/" + id}); err != nil {
			return err
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionConstraintEscalated, "constraint", id, next
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return committees.Constraint{}, err
	}
	return db.GetConstraint(ctx, id, actor)
}

// MinistryContact is the organisation configured to receive constraints
// passed on beyond Bangkok (TERMTEM_MINISTRY_CONTACT, by code or ID). It
// is refused with a message saying what to configure when none is, or
// when the one configured is not an active organisation of Termtem.
func (db *DB) MinistryContactOrganisation(ctx context.Context) (organisations.Organisation, error) {
	var o organisations.Organisation
	err := db.InTx(ctx, func(t *Tx) error {
		var err error
		o, err = t.ministryContact(ctx)
		return err
	})
	return o, err
}

func (t *Tx) ministryContact(ctx context.Context) (organisations.Organisation, error) {
	ref := strings.TrimSpace(t.db.MinistryContact)
	if ref == "" {
		return organisations.Organisation{}, errs.New(errs.Conflict, "constraint.no_ministry_contact")
	}
	o, err := t.getOrganisation(ctx, "code", ref)
	if errs.Is(err, errs.NotFound) {
		o, err = t.getOrganisation(ctx, "id", ref)
	}
	if errs.Is(err, errs.NotFound) || err == nil && !o.Active {
		return o, &errs.Error{Code: errs.Conflict, MessageID: "constraint.ministry_unknown", Data: map[string]any{"Code": ref}}
	}
	return o, err
}

func (t *Tx) firstOfKind(ctx context.Context, kind organisations.Kind) (string, error) {
	ids, err := t.strings(ctx, `SELECT id FROM organisations WHERE kind = ? AND active ORDER BY code LIMIT 1`, string(kind))
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// ConstraintTally counts open constraints by theme and district (for
// executives: no text, no names).
type ConstraintTally struct {
	Theme        committees.Theme `json:"theme"`
	DistrictID   string           `json:"district_id"`
	DistrictName string           `json:"district_name"`
	Open         int              `json:"open"`
}

// OpenConstraintsByTheme counts the open constraints by theme and
// district. Constraints carry no personal data (their evidence is
// suppressed), so the counts are shown as they are.
func (db *DB) OpenConstraintsByTheme(ctx context.Context) ([]ConstraintTally, error) {
	return queryAll(ctx, db.reader(), `SELECT c.theme, c.district_id, d.name_th, COUNT(*) FROM system_constraints c JOIN places d ON d.id = c.district_id
		WHERE c.status IN ('raised', 'under_review', 'decided') GROUP BY c.theme, c.district_id, d.name_th ORDER BY d.name_th, c.theme`, nil,
		func(r *sql.Rows) (ConstraintTally, error) {
			var x ConstraintTally
			var theme string
			err := r.Scan(&theme, &x.DistrictID, &x.DistrictName, &x.Open)
			x.Theme = committees.Theme(theme)
			return x, err
		})
}
