package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/consent"
	"termtem/internal/errs"
	"termtem/internal/people"
)

// Audit actions of referrals.
const (
	ActionReferralSent    = "referral.sent"
	ActionReferralMoved   = "referral.changed"
	ActionReferralRead    = "referral.read"
	ActionReferralsListed = "referrals.listed"
)

// ReferralInput is a referral as its sender writes it.
type ReferralInput struct {
	PersonID   string
	CaseID     string
	FromOrg    string
	FromUser   string
	ToOrg      string
	Service    cases.Service
	Urgency    cases.Urgency
	Reason     string
	SharedInfo string // the minimum the receiver needs, in the sender's words
	Basis      cases.LawfulBasis
	// ServiceID: the directory's service referred to (optional); it must
	// be one the receiving organisation offers.
	ServiceID string
}

// Referral is a stored referral.
type Referral struct {
	ID          string               `json:"id"`
	PersonID    string               `json:"person_id"`
	PersonName  string               `json:"person_name,omitempty"`
	CaseID      string               `json:"case_id,omitempty"`
	FromOrg     string               `json:"from_organisation_id"`
	FromOrgName string               `json:"from_organisation_name"`
	FromUser    string               `json:"from_user_id"`
	ToOrg       string               `json:"to_organisation_id"`
	ToOrgName   string               `json:"to_organisation_name"`
	Service     cases.Service        `json:"service"`
	Urgency     cases.Urgency        `json:"urgency"`
	Reason      string               `json:"reason"`
	SharedInfo  string               `json:"shared_info,omitempty"`
	Basis       cases.LawfulBasis    `json:"lawful_basis"`
	Status      cases.ReferralStatus `json:"status"`
	AcceptDue   time.Time            `json:"accept_due"`
	CompleteDue time.Time            `json:"complete_due"`
	AcceptedAt  *time.Time           `json:"accepted_at,omitempty"`
	StatusNote  string               `json:"status_note,omitempty"`
	Outcome     string               `json:"outcome,omitempty"`
	ClosedAt    *time.Time           `json:"closed_at,omitempty"`
	Version     int                  `json:"version"`
	CreatedAt   time.Time            `json:"created_at"`
	// Late: past the deadline of its current stage (set by the reader).
	Late bool `json:"late,omitempty"`
}

// SendReferral sends a referral to another organisation. It needs a
// recorded lawful basis; a referral to one's own organisation is refused.
func (db *DB) SendReferral(ctx context.Context, in ReferralInput, actor audit.Event) (Referral, error) {
	in.Reason, in.SharedInfo = strings.TrimSpace(in.Reason), strings.TrimSpace(in.SharedInfo)
	switch {
	case in.ToOrg == "":
		return Referral{}, errs.Field("to_organisation_id", "field.required", nil)
	case in.ToOrg == in.FromOrg:
		return Referral{}, errs.Field("to_organisation_id", "referral.own_organisation", nil)
	case !slices.Contains(cases.Services, in.Service):
		return Referral{}, errs.Field("service", "field.choice", nil)
	case !slices.Contains(cases.Urgencies, in.Urgency):
		return Referral{}, errs.Field("urgency", "field.choice", nil)
	}
	if err := cases.CheckText("reason", in.Reason, cases.MaxReasonLen, true); err != nil {
		return Referral{}, err
	}
	if err := cases.CheckText("shared_info", in.SharedInfo, cases.MaxNoteLen, false); err != nil {
		return Referral{}, err
	}
	if err := cases.CheckLawfulBasis(in.Basis); err != nil {
		return Referral{}, err
	}
	var out Referral
	err := db.InTx(ctx, func(t *Tx) error {
		if _, err := t.getPerson(ctx, in.PersonID); err != nil {
			return errs.Field("person_id", "assessment.subject_not_found", nil)
		}
		if err := t.activeMember(ctx, in.FromUser, in.FromOrg, "from_organisation_id"); err != nil {
			return err
		}
		to, err := t.getOrganisation(ctx, "id", in.ToOrg)
		if err != nil || !to.Active {
			return errs.Field("to_organisation_id", "case.organisation_inactive", nil)
		}
		if in.ServiceID != "" {
			if s, err := t.getService(ctx, in.ServiceID); err != nil || s.OrganisationID != in.ToOrg || !s.Active {
				return errs.Field("service_id", "directory.not_offered", nil)
			}
		}
		if in.CaseID != "" {
			c, err := t.getCase(ctx, in.CaseID)
			if err != nil || (c.PersonID != in.PersonID && c.HouseholdID == "") {
				return errs.Field("case_id", "field.choice", nil)
			}
		}
		accept, complete := cases.Deadlines(in.Urgency)
		if err := t.dashTouchPerson(ctx, in.PersonID); err != nil {
			return err
		}
		now := t.db.Now()
		id := NewID()
		t.made(id)
		if _, err := t.exec(ctx, `INSERT INTO referrals (id, person_id, case_id, from_org, from_user, to_org, service, urgency, reason, shared_info,
			basis_kind, basis_reference, status, accept_due, complete_due, created_at, updated_at, service_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, in.PersonID, nullString(in.CaseID), in.FromOrg, in.FromUser, in.ToOrg, string(in.Service), string(in.Urgency), in.Reason,
			in.SharedInfo, string(in.Basis.Kind), strings.TrimSpace(in.Basis.Reference), string(cases.Sent),
			ts(now.Add(accept)), ts(now.Add(complete)), ts(now), ts(now), nullString(in.ServiceID)); err != nil {
			return classify(err)
		}
		// The disclosure needs its basis: a consent in the ledger that
		// covers this receiver and what the service concerns, or a duty.
		var dims []people.Dimension
		if d := cases.ServiceDimension(in.Service); d != "" {
			dims = []people.Dimension{d}
		}
		if err := t.disclose(ctx, DisclosureRequest{PersonID: in.PersonID, Purpose: consent.ForReferral, ObjectType: "referral", ObjectID: id,
			FromOrg: in.FromOrg, ToOrg: in.ToOrg, Dimensions: dims, Declared: in.Basis.Kind, Reference: in.Basis.Reference}, actor.ActorID); err != nil {
			return err
		}
		if err := t.referralEvent(ctx, id, actor.ActorID, "", cases.Sent, in.Reason); err != nil {
			return err
		}
		// The receiving unit hears of it at once (no name in the notice).
		if err := t.Enqueue(ctx, Notification{Kind: "notify.referral_received", OrganisationIDs: []string{in.ToOrg},
			Permission: account.ReferralsManage, Link: "/referrals/" + id}); err != nil {
			return err
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionReferralSent, "referral", id, string(in.Service)
		if err := t.Audit(ctx, actor); err != nil {
			return err
		}
		out, err = t.getReferral(ctx, id)
		return err
	})
	return out, err
}

func (t *Tx) referralEvent(ctx context.Context, id, actorID string, from, to cases.ReferralStatus, note string) error {
	_, err := t.exec(ctx, `INSERT INTO referral_events (id, referral_id, at, actor_id, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		NewID(), id, t.now(), actorID, string(from), string(to), note)
	return classify(err)
}

const referralSelect = `SELECT r.id, r.person_id, COALESCE(p.given_name || ' ' || p.family_name, ''), COALESCE(r.case_id, ''), r.from_org, fo.name_th,
	r.from_user, r.to_org, tt.name_th, r.service, r.urgency, r.reason, r.shared_info, r.basis_kind, r.basis_reference, r.status,
	r.accept_due, r.complete_due, r.accepted_at, r.status_note, r.outcome, r.closed_at, r.version, r.created_at
	FROM referrals r JOIN people p ON p.id = r.person_id JOIN organisations fo ON fo.id = r.from_org JOIN organisations tt ON tt.id = r.to_org`

func scanReferral(row interface{ Scan(...any) error }, now time.Time) (Referral, error) {
	var r Referral
	var service, urgency, basis, status, acceptDue, completeDue, created string
	var accepted, closed sql.NullString
	err := row.Scan(&r.ID, &r.PersonID, &r.PersonName, &r.CaseID, &r.FromOrg, &r.FromOrgName, &r.FromUser, &r.ToOrg, &r.ToOrgName,
		&service, &urgency, &r.Reason, &r.SharedInfo, &basis, &r.Basis.Reference, &status, &acceptDue, &completeDue, &accepted,
		&r.StatusNote, &r.Outcome, &closed, &r.Version, &created)
	r.Service, r.Urgency, r.Basis.Kind, r.Status = cases.Service(service), cases.Urgency(urgency), cases.BasisKind(basis), cases.ReferralStatus(status)
	r.AcceptDue, r.CompleteDue, r.CreatedAt = parseTS(acceptDue), parseTS(completeDue), parseTS(created)
	r.AcceptedAt, r.ClosedAt = parseNullTS(accepted), parseNullTS(closed)
	r.Late = (r.Status == cases.Sent && now.After(r.AcceptDue)) || ((r.Status == cases.Accepted || r.Status == cases.InProgress) && now.After(r.CompleteDue))
	return r, err
}

func (t *Tx) getReferral(ctx context.Context, id string) (Referral, error) {
	r, err := scanReferral(t.queryRow(ctx, referralSelect+` WHERE r.id = ?`, id), t.db.Now())
	if err == sql.ErrNoRows {
		return r, errs.New(errs.NotFound, "referral.not_found")
	}
	return r, classify(err)
}

// referralSide says which side of a referral a user is on: sender if they
// work in the sending organisation, receiver in the receiving one.
func (t *Tx) referralSide(ctx context.Context, r Referral, userID string) (cases.Side, bool, error) {
	var from, to int
	if err := t.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM memberships WHERE user_id = ? AND organisation_id = ?),
		(SELECT COUNT(*) FROM memberships WHERE user_id = ? AND organisation_id = ?)`, userID, r.FromOrg, userID, r.ToOrg).Scan(&from, &to); err != nil {
		return "", false, classify(err)
	}
	switch {
	case to > 0:
		return cases.Receiver, true, nil
	case from > 0:
		return cases.Sender, true, nil
	}
	return "", false, nil
}

// GetReferral returns a referral to a user of either side (others get not
// found), and audits the read.
func (db *DB) GetReferral(ctx context.Context, id, userID string, actor audit.Event) (Referral, cases.Side, error) {
	r := db.reader()
	ref, err := r.getReferral(ctx, id)
	if err != nil {
		return ref, "", err
	}
	side, ok, err := r.referralSide(ctx, ref, userID)
	if err != nil {
		return ref, "", err
	}
	if !ok {
		return Referral{}, "", errs.New(errs.NotFound, "referral.not_found")
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionReferralRead, "referral", id
	return ref, side, db.AuditRead(ctx, actor)
}

// MoveReferral moves a referral along its loop as the user's side may.
// Two receivers accepting at once: the version makes exactly one win.
func (db *DB) MoveReferral(ctx context.Context, id string, version int, to cases.ReferralStatus, text string, actor audit.Event) (Referral, error) {
	text = strings.TrimSpace(text)
	var out Referral
	err := db.InTx(ctx, func(t *Tx) error {
		r, err := t.getReferral(ctx, id)
		if err != nil {
			return err
		}
		side, ok, err := t.referralSide(ctx, r, actor.ActorID)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.NotFound, "referral.not_found")
		}
		if r.Version != version {
			return errs.New(errs.Stale, "error.stale")
		}
		if err := cases.CheckReferralMove(r.Status, to, side, text); err != nil {
			return err
		}
		if err := t.dashTouchPerson(ctx, r.PersonID); err != nil {
			return err
		}
		now := t.now()
		q := `UPDATE referrals SET status = ?, version = version + 1, updated_at = ?`
		args := []any{string(to), now}
		switch to {
		case cases.Accepted:
			q, args = q+`, accepted_by = ?, accepted_at = ?`, append(args, actor.ActorID, now)
		case cases.Completed:
			q, args = q+`, outcome = ?, closed_at = ?`, append(args, text, now)
		case cases.Declined, cases.Revoked:
			q, args = q+`, status_note = ?, closed_at = ?`, append(args, text, now)
		}
		res, err := t.exec(ctx, q+` WHERE id = ? AND version = ? AND status = ?`, append(args, id, version, string(r.Status))...)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Stale, "error.stale")
		}
		if err := t.referralEvent(ctx, id, actor.ActorID, r.Status, to, text); err != nil {
			return err
		}
		// Each change reaches the other side: the sender always learns the
		// outcome (the closed loop), the receiver a revocation.
		notice := Notification{Kind: "notify.referral_changed", Permission: account.ReferralsManage, Link: "/referrals/" + id}
		if side == cases.Receiver {
			notice.UserIDs, notice.OrganisationIDs = []string{r.FromUser}, []string{r.FromOrg}
		} else {
			notice.OrganisationIDs = []string{r.ToOrg}
		}
		if err := t.Enqueue(ctx, notice); err != nil {
			return err
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionReferralMoved, "referral", id, string(to)
		if err := t.Audit(ctx, actor); err != nil {
			return err
		}
		out, err = t.getReferral(ctx, id)
		return err
	})
	return out, err
}

// ReferralFilter narrows the referrals a user sees.
type ReferralFilter struct {
	UserID   string
	Incoming bool // to the user's organisations; else from them
	Open     bool // only those whose loop is not closed
	PersonID string
	Limit    int
}

// ListReferrals lists the referrals to or from the user's organisations,
// the earliest deadline first, and audits the list.
func (db *DB) ListReferrals(ctx context.Context, f ReferralFilter, actor audit.Event) ([]Referral, error) {
	col := "r.from_org"
	if f.Incoming {
		col = "r.to_org"
	}
	q := referralSelect + ` WHERE ` + col + ` IN (SELECT organisation_id FROM memberships WHERE user_id = ?)`
	args := []any{f.UserID}
	if f.Open {
		q += ` AND r.status IN ('sent', 'accepted', 'in_progress')`
	}
	if f.PersonID != "" {
		q, args = q+` AND r.person_id = ?`, append(args, f.PersonID)
	}
	q, args = q+` ORDER BY r.accept_due, r.id LIMIT ?`, append(args, listLimit(f.Limit))
	now := db.Now()
	out, err := queryAll(ctx, db.reader(), q, args, func(rows *sql.Rows) (Referral, error) { return scanReferral(rows, now) })
	if err != nil {
		return nil, err
	}
	actor.Action, actor.ObjectType = ActionReferralsListed, "referral"
	return out, db.AuditRead(ctx, actor)
}
