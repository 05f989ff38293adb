package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"termtem/internal/audit"
	"termtem/internal/consent"
	"termtem/internal/errs"
	"termtem/internal/people"
)

// Audit actions of the consent ledger.
const (
	ActionConsentRecorded  = "consent.recorded"
	ActionConsentWithdrawn = "consent.withdrawn"
	ActionConsentsRead     = "consents.read"
	ActionDisclosed        = "disclosure.recorded"
)

// Consent is a stored grant with who recorded it and whether it was withdrawn.
type Consent struct {
	ID string `json:"id"`
	consent.Grant
	ReceiverName    string     `json:"receiver_name,omitempty"`
	RecordedBy      string     `json:"recorded_by"`
	RecordedOrg     string     `json:"recorded_org"`
	CreatedAt       time.Time  `json:"created_at"`
	WithdrawnAt     *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawnReason string     `json:"withdrawn_reason,omitempty"`
}

// Active reports whether a consent is in force on a day.
func (c Consent) Active(on time.Time) bool {
	return c.Grant.Covers(consent.Disclosure{Purpose: c.Purposes[0], ReceiverOrgID: c.ReceiverOrgID, ReceiverKind: c.ReceiverKind,
		Dimensions: c.Dimensions, On: on}, c.WithdrawnAt != nil)
}

// RecordConsent adds a grant to a person's ledger.
func (db *DB) RecordConsent(ctx context.Context, g consent.Grant, recordedOrg string, actor audit.Event) (Consent, error) {
	g.GiverName, g.Reference = strings.TrimSpace(g.GiverName), strings.TrimSpace(g.Reference)
	if err := db.requirePerson(ctx, g.PersonID, actor); err != nil {
		return Consent{}, err
	}
	var out Consent
	err := db.InTx(ctx, func(t *Tx) error {
		p, err := t.getPerson(ctx, g.PersonID)
		if err != nil {
			return errs.Field("person_id", "assessment.subject_not_found", nil)
		}
		if err := consent.Check(g, p.BirthDate, t.db.today()); err != nil {
			return err
		}
		if g.ReceiverOrgID != "" {
			if _, err := t.getOrganisation(ctx, "id", g.ReceiverOrgID); err != nil {
				return errs.Field("receiver_org_id", "organisation.not_found", nil)
			}
		}
		if g.Dimensions == nil {
			g.Dimensions = []people.Dimension{}
		}
		purposes, _ := json.Marshal(g.Purposes)
		dims, _ := json.Marshal(g.Dimensions)
		id := NewID()
		t.made(id)
		if _, err := t.exec(ctx, `INSERT INTO consents (id, person_id, basis, purposes, receiver_org_id, receiver_kind, dimensions, given_by, giver_name,
			reference, given_on, expires_on, recorded_by, recorded_org, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, g.PersonID, string(g.Basis), string(purposes), nullString(g.ReceiverOrgID), g.ReceiverKind, string(dims), string(g.GivenBy),
			g.GiverName, g.Reference, g.GivenOn, g.ExpiresOn, actor.ActorID, recordedOrg, t.now()); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionConsentRecorded, "person", g.PersonID, string(g.Basis)
		if err := t.Audit(ctx, actor); err != nil {
			return err
		}
		cs, err := t.consents(ctx, `c.id = ?`, id)
		if err == nil && len(cs) == 1 {
			out = cs[0]
		}
		return err
	})
	return out, err
}

// WithdrawConsent ends a consent for every future disclosure, at once.
func (db *DB) WithdrawConsent(ctx context.Context, id, reason string, actor audit.Event) (Consent, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Consent{}, errs.Field("reason", "field.required", nil)
	}
	var out Consent
	err := db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE consents SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ? WHERE id = ? AND withdrawn_at IS NULL`,
			t.now(), actor.ActorID, reason, id)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Conflict, "consent.already_withdrawn")
		}
		cs, err := t.consents(ctx, `c.id = ?`, id)
		if err != nil || len(cs) != 1 {
			return errs.New(errs.NotFound, "consent.not_found")
		}
		out = cs[0]
		actor.Action, actor.ObjectType, actor.ObjectID = ActionConsentWithdrawn, "person", out.PersonID
		return t.Audit(ctx, actor)
	})
	return out, err
}

// Consents lists a person's ledger, newest first, and audits the read.
func (db *DB) Consents(ctx context.Context, personID string, actor audit.Event) ([]Consent, error) {
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		return nil, err
	}
	out, err := db.reader().consents(ctx, `c.person_id = ?`, personID)
	if err != nil {
		return nil, err
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionConsentsRead, "person", personID
	return out, db.AuditRead(ctx, actor)
}

func (t *Tx) consents(ctx context.Context, where string, args ...any) ([]Consent, error) {
	rows, err := t.query(ctx, `SELECT c.id, c.person_id, c.basis, c.purposes, COALESCE(c.receiver_org_id, ''), c.receiver_kind, c.dimensions,
		c.given_by, c.giver_name, c.reference, c.given_on, c.expires_on, c.recorded_by, c.recorded_org, c.created_at, c.withdrawn_at,
		c.withdrawn_reason, COALESCE(o.name_th, '')
		FROM consents c LEFT JOIN organisations o ON o.id = c.receiver_org_id WHERE `+where+` ORDER BY c.created_at DESC, c.id DESC`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []Consent
	for rows.Next() {
		var c Consent
		var basis, purposes, dims, givenBy, created string
		var withdrawn sql.NullString
		if err := rows.Scan(&c.ID, &c.PersonID, &basis, &purposes, &c.ReceiverOrgID, &c.ReceiverKind, &dims, &givenBy, &c.GiverName,
			&c.Reference, &c.GivenOn, &c.ExpiresOn, &c.RecordedBy, &c.RecordedOrg, &created, &withdrawn, &c.WithdrawnReason, &c.ReceiverName); err != nil {
			return nil, classify(err)
		}
		c.Basis, c.GivenBy, c.CreatedAt, c.WithdrawnAt = consent.Basis(basis), consent.Giver(givenBy), parseTS(created), parseNullTS(withdrawn)
		_ = json.Unmarshal([]byte(purposes), &c.Purposes)
		_ = json.Unmarshal([]byte(dims), &c.Dimensions)
		out = append(out, c)
	}
	return out, classify(rows.Err())
}

// DisclosureRequest is a disclosure about to be made, with the basis the
// discloser declares.
type DisclosureRequest struct {
	PersonID   string
	Purpose    consent.Purpose
	ObjectType string // "referral", "handoff", …
	ObjectID   string
	FromOrg    string
	ToOrg      string
	Dimensions []people.Dimension
	// Declared is the basis claimed: consent (which must be in the ledger
	// and cover this disclosure), or a legal duty, public task or vital
	// interest with its reference.
	Declared  consent.Basis
	Reference string
}

// disclose is the one check every disclosure across organisations goes
// through: it finds the basis, refuses without one, and records the
// disclosure in the same transaction as the act.
func (t *Tx) disclose(ctx context.Context, d DisclosureRequest, actorID string) error {
	to, err := t.getOrganisation(ctx, "id", d.ToOrg)
	if err != nil {
		return errs.Field("to_organisation_id", "organisation.not_found", nil)
	}
	consentID := ""
	switch d.Declared {
	case consent.Consent:
		cs, err := t.consents(ctx, `c.person_id = ? AND c.basis = 'consent'`, d.PersonID)
		if err != nil {
			return err
		}
		want := consent.Disclosure{Purpose: d.Purpose, ReceiverOrgID: d.ToOrg, ReceiverKind: string(to.Kind), Dimensions: d.Dimensions, On: t.db.Now()}
		for _, c := range cs {
			if c.Covers(want, c.WithdrawnAt != nil) {
				consentID = c.ID
				break
			}
		}
		if consentID == "" {
			return errs.Field("lawful_basis.kind", "consent.none_covers", nil)
		}
	case consent.LegalDuty, consent.PublicTask, consent.VitalInterest:
		if strings.TrimSpace(d.Reference) == "" {
			return errs.Field("lawful_basis.reference", "field.required", nil)
		}
	default:
		return errs.Field("lawful_basis.kind", "referral.basis_required", nil)
	}
	_, err = t.exec(ctx, `INSERT INTO disclosures (id, person_id, purpose, object_type, object_id, from_org, to_org, basis, consent_id, reference, actor_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), d.PersonID, string(d.Purpose), d.ObjectType, d.ObjectID, nullString(d.FromOrg), d.ToOrg,
		string(d.Declared), nullString(consentID), strings.TrimSpace(d.Reference), actorID, t.now())
	return classify(err)
}

// Disclosure is a recorded disclosure.
type Disclosure struct {
	Purpose    consent.Purpose `json:"purpose"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	ToOrg      string          `json:"to_organisation_id"`
	ToOrgName  string          `json:"to_organisation_name"`
	Basis      consent.Basis   `json:"basis"`
	ConsentID  string          `json:"consent_id,omitempty"`
	Reference  string          `json:"reference,omitempty"`
	At         time.Time       `json:"at"`
}

// Disclosures lists what was disclosed about a person, newest first.
func (db *DB) Disclosures(ctx context.Context, personID string, actor audit.Event) ([]Disclosure, error) {
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		return nil, err
	}
	rows, err := db.reader().query(ctx, `SELECT d.purpose, d.object_type, d.object_id, d.to_org, o.name_th, d.basis, COALESCE(d.consent_id, ''),
		d.reference, d.at FROM disclosures d JOIN organisations o ON o.id = d.to_org WHERE d.person_id = ? ORDER BY d.at DESC, d.id DESC`, personID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []Disclosure
	for rows.Next() {
		var d Disclosure
		var purpose, basis, at string
		if err := rows.Scan(&purpose, &d.ObjectType, &d.ObjectID, &d.ToOrg, &d.ToOrgName, &basis, &d.ConsentID, &d.Reference, &at); err != nil {
			return nil, classify(err)
		}
		d.Purpose, d.Basis, d.At = consent.Purpose(purpose), consent.Basis(basis), parseTS(at)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionConsentsRead, "person", personID
	return out, db.AuditRead(ctx, actor)
}

// GetConsent returns one consent with its person, and audits the read.
func (db *DB) GetConsent(ctx context.Context, id string, actor audit.Event) (Consent, error) {
	cs, err := db.reader().consents(ctx, `c.id = ?`, id)
	if err != nil {
		return Consent{}, err
	}
	if len(cs) == 0 {
		return Consent{}, errs.New(errs.NotFound, "consent.not_found")
	}
	if err := db.requirePerson(ctx, cs[0].PersonID, actor); err != nil {
		return Consent{}, errs.New(errs.NotFound, "consent.not_found")
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionConsentsRead, "person", cs[0].PersonID
	return cs[0], db.AuditRead(ctx, actor)
}
