package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
)

// Data-subject rights (PDPA s.30–36): export of everything held about a
// person, requests to correct it, restriction, and erasure where no legal
// duty requires keeping the record.

// Audit actions of data-subject rights.
const (
	ActionPersonExported         = "person.exported"
	ActionRectificationRequested = "rectification.requested"
	ActionRectificationResolved  = "rectification.resolved"
	ActionRestrictionSet         = "person.restricted"
	ActionRestrictionCleared     = "person.unrestricted"
	ActionPersonErased           = "person.erased"
	ActionAccessSummaryRead      = "privacy.access_summary_read"
)

// requirePermission refuses a request whose principal lacks any of perms:
// the store checks the rights actions itself as well as the handler, since
// they reach data no other page shows (the export) or cannot be undone
// (erasure).
func (db *DB) requirePermission(ctx context.Context, objectType, objectID string, actor audit.Event, perms ...account.Permission) error {
	req := access.FromContext(ctx)
	if req == nil {
		return nil
	}
	for _, p := range perms {
		if !req.Principal.Can(p) {
			if err := db.auditDenied(ctx, objectType, objectID, actor); err != nil {
				return err
			}
			return errs.New(errs.Forbidden, "error.forbidden")
		}
	}
	return nil
}

// requireText trims s and checks it is there and not too long.
func requireText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return s, errs.Field(field, "field.required", nil)
	}
	if utf8.RuneCountInString(s) > max {
		return s, errs.Field(field, "field.too_long", map[string]any{"Max": max})
	}
	return s, nil
}

// PersonVisible says whether the request may open the person's record (a
// restriction can take a worker's own access away).
func (db *DB) PersonVisible(ctx context.Context, personID string) (bool, error) {
	lvl, err := db.personLevel(ctx, personID)
	return lvl == access.Full, err
}

// Restriction is a person's objection to processing beyond their care team.
type Restriction struct {
	Restricted bool   `json:"restricted"`
	Reason     string `json:"reason,omitempty"`
}

// PersonRestriction reads whether a person is restricted, and why.
func (db *DB) PersonRestriction(ctx context.Context, personID string, actor audit.Event) (Restriction, error) {
	var r Restriction
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		return r, err
	}
	err := db.reader().queryRow(ctx, `SELECT restricted, restriction_reason FROM people WHERE id = ?`, personID).Scan(&r.Restricted, &r.Reason)
	if err == sql.ErrNoRows {
		return r, errs.New(errs.NotFound, "person.not_found")
	}
	return r, classify(err)
}

// SetRestricted sets or clears a person's restriction (PDPA s.32, s.34)
// with the reason the person or guardian gave. The access policy honours
// the flag: only the care team then sees the person.
//
// version is the person's version the form was read at: a form sent again
// after the person changed is refused as stale, and one whose wish already
// holds (restricted twice, lifted twice) is answered with
// AlreadyRestricted or AlreadyLifted, changing nothing.
func (db *DB) SetRestricted(ctx context.Context, personID string, version int, on bool, reason string, actor audit.Event) error {
	reason, err := requireText("reason", reason, 1000)
	if err != nil {
		return err
	}
	if err := db.requirePermission(ctx, "person", personID, actor, account.PeopleWrite); err != nil {
		return err
	}
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		// Restricted by this very user a moment ago (a second tap), who
		// is no longer on the person's side of the restriction: told it
		// holds, not "not found". No one else learns of it.
		if on && errs.Is(err, errs.NotFound) && db.lastRestrictionBy(ctx, personID, actor.ActorID) {
			return errs.New(errs.Conflict, AlreadyRestricted)
		}
		return err
	}
	stored := reason
	actor.Action = ActionRestrictionSet
	if !on {
		// The reason for lifting it is in the audit's request; the flag's
		// reason goes, as the restriction does.
		stored, actor.Action = "", ActionRestrictionCleared
	}
	return db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE people SET restricted = ?, restriction_reason = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ? AND restricted <> ?`, on, stored, t.now(), personID, version, on)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			// Why nothing changed, on this failure path only.
			var now bool
			if err := t.queryRow(ctx, `SELECT restricted FROM people WHERE id = ?`, personID).Scan(&now); err != nil {
				return classify(err)
			}
			switch {
			case now == on && on:
				return errs.New(errs.Conflict, AlreadyRestricted)
			case now == on:
				return errs.New(errs.Conflict, AlreadyLifted)
			}
			return errs.New(errs.Stale, "error.stale")
		}
		actor.ObjectType, actor.ObjectID = "person", personID
		return t.Audit(ctx, actor)
	})
}

// lastRestrictionBy reports whether the person's restriction was last set
// (not lifted) by actorID. On the failure path only, on the audit's object
// index.
func (db *DB) lastRestrictionBy(ctx context.Context, personID, actorID string) bool {
	if actorID == "" {
		return false
	}
	var action, by string
	err := db.reader().queryRow(ctx, `SELECT action, actor_id FROM audit_events WHERE object_type = 'person' AND object_id = ? AND action IN (?, ?)
		ORDER BY at DESC LIMIT 1`, personID, ActionRestrictionSet, ActionRestrictionCleared).Scan(&action, &by)
	return err == nil && action == ActionRestrictionSet && by == actorID
}

// The messages of SetRestricted's Conflict when its wish already holds.
const (
	AlreadyRestricted = "resend2.already_restricted"
	AlreadyLifted     = "resend2.already_lifted"
)

// Rectification is a request to correct what is held about a person.
type Rectification struct {
	ID         string     `json:"id"`
	PersonID   string     `json:"person_id"`
	What       string     `json:"what"`
	AskedBy    string     `json:"asked_by"`
	RecordedBy string     `json:"recorded_by"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
	Resolution string     `json:"resolution,omitempty"`
}

// RequestRectification records a request to correct a person's record:
// what is wrong, and who asked (the person, a parent, a guardian).
func (db *DB) RequestRectification(ctx context.Context, personID, what, askedBy string, actor audit.Event) (Rectification, error) {
	what, err := requireText("what", what, 2000)
	if err != nil {
		return Rectification{}, err
	}
	if askedBy, err = requireText("asked_by", askedBy, 200); err != nil {
		return Rectification{}, err
	}
	if err := db.requirePermission(ctx, "person", personID, actor, account.PeopleWrite); err != nil {
		return Rectification{}, err
	}
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		return Rectification{}, err
	}
	var out Rectification
	err = db.InTx(ctx, func(t *Tx) error {
		id := NewID()
		t.made(id)
		if _, err := t.exec(ctx, `INSERT INTO rectification_requests (id, person_id, what, asked_by, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, personID, what, askedBy, actor.ActorID, t.now()); err != nil {
			return classify(err)
		}
		actor.Action = ActionRectificationRequested
		out, err = t.auditRectification(ctx, personID, id, actor)
		return err
	})
	return out, err
}

// Rectifications lists a person's correction requests, open ones first.
func (db *DB) Rectifications(ctx context.Context, personID string, openOnly bool, actor audit.Event) ([]Rectification, error) {
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		return nil, err
	}
	where := `r.person_id = ?`
	if openOnly {
		where += ` AND r.resolved_at IS NULL`
	}
	return db.reader().rectifications(ctx, where, personID)
}

func (t *Tx) rectifications(ctx context.Context, where string, args ...any) ([]Rectification, error) {
	rows, err := t.query(ctx, `SELECT r.id, r.person_id, r.what, r.asked_by, COALESCE(u.display_name, ''), r.created_at, COALESCE(r.resolved_at, ''),
		COALESCE(v.display_name, ''), r.resolution FROM rectification_requests r LEFT JOIN users u ON u.id = r.recorded_by
		LEFT JOIN users v ON v.id = r.resolved_by WHERE `+where+` ORDER BY (r.resolved_at IS NULL) DESC, r.created_at DESC`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []Rectification
	for rows.Next() {
		var r Rectification
		var created, resolved string
		if err := rows.Scan(&r.ID, &r.PersonID, &r.What, &r.AskedBy, &r.RecordedBy, &created, &resolved, &r.ResolvedBy, &r.Resolution); err != nil {
			return nil, classify(err)
		}
		r.CreatedAt = parseTS(created)
		if resolved != "" {
			at := parseTS(resolved)
			r.ResolvedAt = &at
		}
		out = append(out, r)
	}
	return out, classify(rows.Err())
}

// auditRectification audits a change to request id and reads it back.
func (t *Tx) auditRectification(ctx context.Context, personID, id string, actor audit.Event) (Rectification, error) {
	actor.ObjectType, actor.ObjectID, actor.Detail = "person", personID, id
	if err := t.Audit(ctx, actor); err != nil {
		return Rectification{}, err
	}
	rs, err := t.rectifications(ctx, `r.id = ?`, id)
	if err == nil && len(rs) != 1 {
		err = errs.New(errs.NotFound, "rights.rectification_not_found")
	}
	if err != nil {
		return Rectification{}, err
	}
	return rs[0], nil
}

// ResolveRectification closes a correction request with a note of what was
// done (corrected, or why the record stands).
func (db *DB) ResolveRectification(ctx context.Context, id, note string, actor audit.Event) (Rectification, error) {
	note, err := requireText("resolution", note, 2000)
	if err != nil {
		return Rectification{}, err
	}
	var personID string
	err = db.reader().queryRow(ctx, `SELECT person_id FROM rectification_requests WHERE id = ?`, id).Scan(&personID)
	if err == sql.ErrNoRows {
		return Rectification{}, errs.New(errs.NotFound, "rights.rectification_not_found")
	}
	if err != nil {
		return Rectification{}, classify(err)
	}
	if err := db.requirePermission(ctx, "person", personID, actor, account.PeopleWrite); err != nil {
		return Rectification{}, err
	}
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		if errs.Is(err, errs.NotFound) {
			return Rectification{}, errs.New(errs.NotFound, "rights.rectification_not_found")
		}
		return Rectification{}, err
	}
	var out Rectification
	err = db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE rectification_requests SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL`,
			t.now(), actor.ActorID, note, id)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "rights.already_resolved")
		}
		actor.Action = ActionRectificationResolved
		out, err = t.auditRectification(ctx, personID, id, actor)
		return err
	})
	return out, err
}

// PersonExport is everything held about a person: the rows of every table
// that names them, as stored, for the data subject (PDPA s.30, s.31).
type PersonExport struct {
	ExportedAt time.Time `json:"exported_at"`
	PersonID   string    `json:"person_id"`
	// Data holds each table's rows by table name.
	Data map[string][]map[string]any `json:"data"`
	// AccessSummary: how often each organisation opened the record.
	AccessSummary []OrgAccess `json:"access_summary"`
	// Records are the person's service records, decoded (sensitive notes
	// are sealed at rest); Person is for the readable page.
	Records []people.Record `json:"records"`
	Person  people.Person   `json:"-"`
}

// ExportSections are the tables an export reads, in the order the
// readable page shows them, with the query for one person (every ? is the
// person's ID).
var ExportSections = []struct{ Name, Query string }{
	{"people", `SELECT * FROM people WHERE id = ?`},
	{"person_identifiers", `SELECT kind, value, created_at FROM person_identifiers WHERE person_id = ?`},
	{"household_members", `SELECT household_id, relationship, started_on, ended_on FROM household_members WHERE person_id = ? ORDER BY started_on`},
	{"households", `SELECT id, community_id, address, created_at FROM households WHERE id IN (SELECT household_id FROM household_members WHERE person_id = ?)`},
	{"pregnancies", `SELECT id, expected_date, status, child_id, mother_id, created_at FROM pregnancies WHERE mother_id = ? OR child_id = ?`},
	{"assessments", `SELECT id, assessed_on, source, economy, safety, education, health, answers, created_at FROM assessments WHERE person_id = ? ORDER BY assessed_on`},
	{"alerts", `SELECT id, severity, dimension, indicators, status, opened_at, resolved_at, resolution FROM alerts WHERE person_id = ? ORDER BY opened_at`},
	{"cases", `SELECT id, status, risk, origin, opened_at, closed_at, close_reason FROM cases WHERE person_id = ? ORDER BY opened_at`},
	{"referrals", `SELECT r.id, r.service, r.urgency, r.reason, r.shared_info, r.basis_kind, r.basis_reference, r.status, o.name_th AS to_organisation,
		r.outcome, r.created_at FROM referrals r JOIN organisations o ON o.id = r.to_org WHERE r.person_id = ? ORDER BY r.created_at`},
	{"handoffs", `SELECT h.id, h.reason, h.from_stage, h.to_stage, h.concerns, o.name_th AS to_organisation, h.created_at, h.acknowledged_at
		FROM handoffs h JOIN organisations o ON o.id = h.to_org WHERE h.person_id = ? ORDER BY h.created_at`},
	{"consents", `SELECT id, basis, purposes, receiver_kind, dimensions, given_by, giver_name, reference, given_on, expires_on, withdrawn_at, withdrawn_reason
		FROM consents WHERE person_id = ? ORDER BY given_on`},
	{"disclosures", `SELECT d.purpose, d.basis, d.reference, o.name_th AS to_organisation, d.at FROM disclosures d JOIN organisations o ON o.id = d.to_org
		WHERE d.person_id = ? ORDER BY d.at`},
	{"rectification_requests", `SELECT what, asked_by, created_at, resolved_at, resolution FROM rectification_requests WHERE person_id = ? ORDER BY created_at`},
	{"glass_grants", `SELECT reason, granted_at, until FROM glass_grants WHERE person_id = ? ORDER BY granted_at`},
}

// ExportPerson gathers everything held about a person, sensitive records
// included: the export is for the data subject, so only staff whose role
// holds both sensitive categories may make it. The export is audited.
func (db *DB) ExportPerson(ctx context.Context, personID string, actor audit.Event) (PersonExport, error) {
	out := PersonExport{PersonID: personID, Data: map[string][]map[string]any{}}
	if err := db.requirePermission(ctx, "person", personID, actor, account.PeopleWrite, account.SensitiveHealth, account.SensitiveSafety); err != nil {
		return out, err
	}
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		return out, err
	}
	r := db.reader()
	p, err := r.getPerson(ctx, personID)
	if err != nil {
		return out, err
	}
	out.Person, out.ExportedAt = p, db.Now().UTC()
	for _, s := range ExportSections {
		args := make([]any, strings.Count(s.Query, "?"))
		for i := range args {
			args[i] = personID
		}
		rows, err := r.rowMaps(ctx, s.Query, args...)
		if err != nil {
			return out, err
		}
		out.Data[s.Name] = rows
	}
	if out.AccessSummary, err = r.accessSummary(ctx, personID); err != nil {
		return out, err
	}
	// The records last: reading them audits the export, as any read of
	// records is audited before the data leaves.
	actor.Action, actor.ObjectType, actor.ObjectID = ActionPersonExported, "person", personID
	out.Records, err = db.auditedRecords(ctx, recordSelect+` WHERE s.person_id = ?
		OR (s.person_id IS NULL AND s.pregnancy_id IN (SELECT id FROM pregnancies WHERE mother_id = ? OR child_id = ?))
		ORDER BY s.occurred_on DESC, s.created_at DESC`, []any{personID, personID, personID}, actor)
	return out, err
}

// rowMaps reads rows as column → value; JSON held in text columns is
// decoded so that the export reads as one document.
func (t *Tx) rowMaps(ctx context.Context, q string, args ...any) ([]map[string]any, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, classify(err)
	}
	out := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, classify(err)
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			v := vals[i]
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			if s, ok := v.(string); ok && (strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")) && json.Valid([]byte(s)) {
				v = json.RawMessage(s)
			}
			m[c] = v
		}
		out = append(out, m)
	}
	return out, classify(rows.Err())
}

// OrgAccess counts one organisation's accesses to a record: the family's
// summary of "who saw this record", without staff names.
type OrgAccess struct {
	Organisation string `json:"organisation"`
	Count        int    `json:"count"`
}

// AccessSummary counts, by organisation, the successful accesses to a
// person's record, for the family; the read is audited.
func (db *DB) AccessSummary(ctx context.Context, personID string, actor audit.Event) ([]OrgAccess, error) {
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		return nil, err
	}
	out, err := db.reader().accessSummary(ctx, personID)
	if err != nil {
		return nil, err
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionAccessSummaryRead, "person", personID
	return out, db.AuditRead(ctx, actor)
}

func (t *Tx) accessSummary(ctx context.Context, personID string) ([]OrgAccess, error) {
	rows, err := t.query(ctx, `SELECT org, COUNT(*) FROM (SELECT COALESCE((SELECT o.name_th FROM memberships m JOIN organisations o ON o.id = m.organisation_id
		WHERE m.user_id = e.actor_id ORDER BY o.code LIMIT 1), '') AS org FROM audit_events e
		WHERE e.object_type = 'person' AND e.object_id = ? AND e.outcome = ? AND e.actor_id <> '') x
		WHERE org <> '' GROUP BY org ORDER BY COUNT(*) DESC, org`, personID, audit.Success)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []OrgAccess
	for rows.Next() {
		var a OrgAccess
		if err := rows.Scan(&a.Organisation, &a.Count); err != nil {
			return nil, classify(err)
		}
		out = append(out, a)
	}
	return out, classify(rows.Err())
}

// Hold is a kind of record the law requires keeping, which stops an
// erasure: its message names it, Count says how many.
type Hold struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// holdQueries are what keeps a person: records of services given
// (public-health and education duties), assessments, child-protection
// cases, referrals and hand-offs (disclosures made under a lawful basis
// must stay provable), and consents recorded under a legal duty or a
// public task.
var holdQueries = []struct{ Kind, Query string }{
	{"service_records", `SELECT COUNT(*) FROM service_records WHERE person_id = ?
		OR (person_id IS NULL AND pregnancy_id IN (SELECT id FROM pregnancies WHERE mother_id = ?))`},
	{"assessments", `SELECT COUNT(*) FROM assessments WHERE person_id = ?`},
	{"cases", `SELECT COUNT(*) FROM cases WHERE person_id = ?`},
	{"referrals", `SELECT COUNT(*) FROM referrals WHERE person_id = ?`},
	{"handoffs", `SELECT COUNT(*) FROM handoffs WHERE person_id = ?`},
	{"legal_consents", `SELECT COUNT(*) FROM consents WHERE person_id = ? AND basis IN ('legal_duty', 'public_task')`},
}

func (t *Tx) holds(ctx context.Context, personID string) ([]Hold, error) {
	var out []Hold
	for _, h := range holdQueries {
		args := make([]any, strings.Count(h.Query, "?"))
		for i := range args {
			args[i] = personID
		}
		var n int
		if err := t.queryRow(ctx, h.Query, args...).Scan(&n); err != nil {
			return nil, classify(err)
		}
		if n > 0 {
			out = append(out, Hold{Kind: h.Kind, Count: n})
		}
	}
	return out, nil
}

// ErasureHolds lists what stops a person's erasure (none: it may go ahead).
func (db *DB) ErasureHolds(ctx context.Context, personID string, actor audit.Event) ([]Hold, error) {
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		return nil, err
	}
	return db.reader().holds(ctx, personID)
}

// ErasePerson deletes a person whom no legal duty requires keeping: their
// row, identifiers, name keys, household stays, pregnancies without
// records, consents, correction requests and glass grants. The audit keeps
// one event with the person's opaque ID and nothing else; earlier audit
// events stay (they hold IDs only). Otherwise it refuses, naming what
// must be kept.
func (db *DB) ErasePerson(ctx context.Context, personID string, actor audit.Event) error {
	if err := db.requirePermission(ctx, "person", personID, actor, account.PeopleWrite); err != nil {
		return err
	}
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		if errs.Is(err, errs.NotFound) && db.erasedBy(ctx, personID, actor.ActorID) {
			return errs.New(errs.Conflict, AlreadyErased)
		}
		return err
	}
	return db.InTx(ctx, func(t *Tx) error {
		holds, err := t.holds(ctx, personID)
		if err != nil {
			return err
		}
		if len(holds) > 0 {
			// The page lists the holds in words (ErasureHolds); the error
			// carries their kinds for the API and the log.
			kinds := make([]string, len(holds))
			for i, h := range holds {
				kinds[i] = h.Kind
			}
			return &errs.Error{Code: errs.Conflict, MessageID: "rights.erasure_refused", Data: map[string]any{"Kinds": strings.Join(kinds, ",")}}
		}
		steps := []string{
			`DELETE FROM person_name_keys WHERE person_id = ?`,
			`DELETE FROM linkage_evidence WHERE person_id = ?`,
			// Her national ID named as a child's mother in linkage evidence.
			`UPDATE linkage_evidence SET mother_cid = '' WHERE mother_cid IN (SELECT value FROM person_identifiers WHERE person_id = ? AND kind = 'national_id')`,
			`DELETE FROM person_identifiers WHERE person_id = ?`,
			`DELETE FROM household_members WHERE person_id = ?`,
			`DELETE FROM glass_grants WHERE person_id = ?`,
			`DELETE FROM rectification_requests WHERE person_id = ?`,
			`DELETE FROM disclosures WHERE person_id = ?`,
			`DELETE FROM consents WHERE person_id = ?`,
			`DELETE FROM alerts WHERE person_id = ?`,
			`DELETE FROM import_keys WHERE object_id = ?`,
			`UPDATE pregnancies SET child_id = NULL WHERE child_id = ?`,
			`UPDATE people SET from_pregnancy_id = NULL WHERE from_pregnancy_id IN (SELECT id FROM pregnancies WHERE mother_id = ?)`,
			`DELETE FROM pregnancies WHERE mother_id = ?`,
			`UPDATE households SET head_id = NULL WHERE head_id = ?`,
			`UPDATE households SET caregiver_id = NULL WHERE caregiver_id = ?`,
			`DELETE FROM people WHERE id = ?`,
		}
		if err := t.dashTouchPerson(ctx, personID); err != nil {
			return err
		}
		for _, q := range steps {
			if _, err := t.exec(ctx, q, personID); err != nil {
				return classify(err)
			}
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionPersonErased, "person", personID, ""
		return t.Audit(ctx, actor)
	})
}

// AlreadyErased is the message of ErasePerson's Conflict for a person the
// same user erased before (a second tap, or back and send again): what they
// asked for is done, and they are told so instead of "not found".
const AlreadyErased = "resend2.already_erased"

// erasedBy reports whether actorID erased personID: the erasure's audit
// event is all that is left of the person. Only the eraser is told, so
// that no one learns of an erasure by trying IDs. Read on the failure path
// only, on the audit's object index.
func (db *DB) erasedBy(ctx context.Context, personID, actorID string) bool {
	if actorID == "" {
		return false
	}
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM audit_events WHERE object_type = 'person' AND object_id = ? AND action = ? AND actor_id = ?`,
		personID, ActionPersonErased, actorID).Scan(&n)
	return err == nil && n > 0
}

// OverseenPersonName is the name of a person whose access log the
// data-protection officer reads, so that they can answer the family; the
// officer is outside the care scope, so the store checks the oversight
// permission instead. Erased people answer "" (their log stays).
func (db *DB) OverseenPersonName(ctx context.Context, personID string, actor audit.Event) (string, error) {
	if err := db.requirePermission(ctx, "person", personID, actor, account.PrivacyOversee); err != nil {
		return "", err
	}
	var name string
	err := db.reader().queryRow(ctx, `SELECT given_name || ' ' || family_name FROM people WHERE id = ?`, personID).Scan(&name)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return strings.TrimSpace(name), classify(err)
}
