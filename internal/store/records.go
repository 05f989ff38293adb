package store

import (
	"context"
	"database/sql"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
)

// AddRecord validates and stores a service record on a person or a
// pregnancy, audited in the same transaction.
func (db *DB) AddRecord(ctx context.Context, r people.Record, actor audit.Event) (people.Record, error) {
	if err := db.requireRecordSubject(ctx, r, actor); err != nil {
		return r, err
	}
	err := db.InTx(ctx, func(t *Tx) error { return t.addRecord(ctx, &r, actor) })
	return r, err
}

// addRecord is AddRecord's write, in the caller's transaction (the access
// check done): an offline change records itself in the same one.
func (t *Tx) addRecord(ctx context.Context, r *people.Record, actor audit.Event) error {
	// An antenatal visit recorded on the mother belongs to her ongoing
	// pregnancy, so that it follows the child after birth.
	if info, ok := people.Kinds[r.Kind]; ok && info.Pregnancy && r.PregnancyID == "" && r.PersonID != "" {
		err := t.queryRow(ctx, `SELECT id FROM pregnancies WHERE mother_id = ? AND status = ? ORDER BY expected_date DESC LIMIT 1`,
			r.PersonID, string(people.Ongoing)).Scan(&r.PregnancyID)
		if err == sql.ErrNoRows {
			return errs.Field("kind", "record.pregnancy_missing", nil)
		}
		if err != nil {
			return classify(err)
		}
		r.PersonID = ""
	}
	birth := ""
	switch {
	case r.PersonID != "":
		p, err := t.getPerson(ctx, r.PersonID)
		if err != nil {
			return err
		}
		birth = p.BirthDate
	case r.PregnancyID != "":
		if _, err := t.getPregnancy(ctx, r.PregnancyID); err != nil {
			return err
		}
	default:
		return errs.Field("person_id", "field.required", nil)
	}
	if err := people.ValidateRecord(r, birth, t.db.Now()); err != nil {
		return err
	}
	if _, err := t.getOrganisation(ctx, "id", r.OrganisationID); err != nil {
		return errs.Field("organisation_id", "organisation.not_found", nil)
	}
	r.ID = NewID()
	t.made(r.ID)
	now := t.now()
	data, err := t.db.recordData(*r)
	if err != nil {
		return err
	}
	if err := t.dashTouchPerson(ctx, r.PersonID); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO service_records (id, person_id, pregnancy_id, kind, occurred_on, organisation_id, author_id,
		dimension, sensitivity, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, nullString(r.PersonID), nullString(r.PregnancyID), string(r.Kind), r.OccurredOn, r.OrganisationID, r.AuthorID,
		string(r.Dimension), string(r.Sensitivity), data, now); err != nil {
		return classify(err)
	}
	r.CreatedAt = parseTS(now)
	subject, id := "person", r.PersonID
	if id == "" {
		subject, id = "pregnancy", r.PregnancyID
	}
	// A new enrolment elsewhere hands the child over, with its concerns.
	if err := t.enrolmentHandoff(ctx, *r, actor); err != nil {
		return err
	}
	actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionRecordAdded, subject, id, string(r.Kind)
	return t.Audit(ctx, actor)
}

// TimelineFilter narrows a timeline. Empty fields do not filter.
type TimelineFilter struct {
	OrganisationID string
	Dimension      people.Dimension
}

// Timeline returns every service record of a person, newest first, with the
// antenatal records of the pregnancy they were born of. The read is audited.
// Access to sensitive content is decided by the caller (people.Visible).
func (db *DB) Timeline(ctx context.Context, personID string, f TimelineFilter, actor audit.Event) ([]people.Record, error) {
	r := db.reader()
	p, err := r.getPerson(ctx, personID)
	if err != nil {
		return nil, err
	}
	if err := db.requirePerson(ctx, personID, actor); err != nil {
		return nil, err
	}
	q := recordSelect + ` WHERE (s.person_id = ? OR (s.pregnancy_id = ? AND s.person_id IS NULL))`
	args := []any{personID, p.FromPregnancyID}
	if p.FromPregnancyID == "" {
		args[1] = "-" // no pregnancy: match nothing
	}
	if f.OrganisationID != "" {
		q, args = q+` AND s.organisation_id = ?`, append(args, f.OrganisationID)
	}
	if f.Dimension != "" {
		q, args = q+` AND s.dimension = ?`, append(args, string(f.Dimension))
	}
	q += ` ORDER BY s.occurred_on DESC, s.created_at DESC`
	actor.Action, actor.ObjectType, actor.ObjectID = ActionTimelineRead, "person", personID
	return db.auditedRecords(ctx, q, args, actor)
}

// recordSelect reads records with the names of their organisation and author.
const recordSelect = `SELECT s.id, COALESCE(s.person_id, ''), COALESCE(s.pregnancy_id, ''), s.kind, s.occurred_on, s.organisation_id, s.author_id,
	s.dimension, s.sensitivity, s.data, s.created_at, o.name_th, o.name_en, COALESCE(u.display_name, '')
	FROM service_records s JOIN organisations o ON o.id = s.organisation_id LEFT JOIN users u ON u.id = s.author_id`

// auditedRecords runs a record query and audits the read before the
// records are returned.
func (db *DB) auditedRecords(ctx context.Context, query string, args []any, actor audit.Event) ([]people.Record, error) {
	rows, err := db.reader().query(ctx, query, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []people.Record
	for rows.Next() {
		rec, err := db.scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	if err := db.AuditRead(ctx, actor); err != nil {
		return nil, err
	}
	return out, nil
}

func (db *DB) scanRecord(rows *sql.Rows) (people.Record, error) {
	var rec people.Record
	var kind, dim, sens, data, created string
	if err := rows.Scan(&rec.ID, &rec.PersonID, &rec.PregnancyID, &kind, &rec.OccurredOn, &rec.OrganisationID, &rec.AuthorID,
		&dim, &sens, &data, &created, &rec.OrganisationName, &rec.OrganisationNameEN, &rec.AuthorName); err != nil {
		return rec, classify(err)
	}
	rec.Kind, rec.Dimension, rec.Sensitivity = people.RecordKind(kind), people.Dimension(dim), people.Sensitivity(sens)
	rec.CreatedAt = parseTS(created)
	data, err := db.openData(rec.ID, data)
	if err != nil {
		return rec, err
	}
	d, err := people.DecodeData(data)
	if err != nil {
		return rec, errs.Internalf("record %s data: %w", rec.ID, err)
	}
	rec.Data = d
	return rec, nil
}

// schoolingQuery finds a child's newest enrolment. Its condition on the
// kind is written exactly as the partial index service_records_schooling's
// (migration 00031): SQLite uses that index only then, so keep the two equal
// (TestLookupQueriesUseTheirIndexes).
const schoolingQuery = `SELECT kind, data FROM service_records WHERE person_id = ? AND kind IN ('school_enrolment', 'childcare_enrolment')
	ORDER BY occurred_on DESC, created_at DESC LIMIT 1`

// Schooling returns what the newest school or child-care enrolment says
// about a person, to refine their life stage.
func (db *DB) Schooling(ctx context.Context, personID string) (people.Schooling, error) {
	var kind, data string
	err := db.reader().queryRow(ctx, schoolingQuery, personID).Scan(&kind, &data)
	if err == sql.ErrNoRows {
		return people.NoSchooling, nil
	}
	if err != nil {
		return people.NoSchooling, classify(err)
	}
	if people.RecordKind(kind) == people.ChildcareEnrolment {
		return people.InChildcare, nil
	}
	d, err := people.DecodeData(data) // enrolments are not sensitive, never sealed
	if err != nil {
		return people.NoSchooling, nil
	}
	return people.GradeSchooling(d.Grade), nil
}
