package store

import (
	"context"

	"termtem/internal/people"
)

// SyntheticAssessment is a generated assessment for benchmark populations:
// the four dimension levels only, no answers.
type SyntheticAssessment struct {
	PersonID, HouseholdID string
	On                    string // C.E. day
	Levels                [4]string
}

var assessmentTable = bulkTable{`INSERT INTO assessments (id, subject, person_id, household_id, instrument_code, instrument_version,
	assessed_on, source, organisation_id, author_id, economy, safety, education, health, answers, result, created_at) VALUES `,
	`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, 50}

// InsertActivity stores generated service records and assessments of a
// batch of people in one transaction through the bulk path, moving the
// dashboard counters of everyone touched as any change does. It is for
// benchmark populations (demo.PopulateActivity): records are checked as
// InsertRecords checks them; assessments carry levels but no answers.
func (db *DB) InsertActivity(ctx context.Context, rs []people.Record, as []SyntheticAssessment, orgID string) error {
	return db.InTx(ctx, func(t *Tx) error {
		var ps, hs []string
		for _, r := range rs {
			ps = append(ps, r.PersonID)
		}
		for _, a := range as {
			ps = append(ps, a.PersonID)
			hs = append(hs, a.HouseholdID)
		}
		if err := t.dashTouchPerson(ctx, ps...); err != nil {
			return err
		}
		if err := t.dashTouchHousehold(ctx, hs...); err != nil {
			return err
		}
		now := t.now()
		rw := newBulkWriter(t, recordTable)
		defer rw.close()
		for i := range rs {
			r := &rs[i]
			r.ID = NewID()
			if err := rw.add(ctx, r.ID, nullString(r.PersonID), nil, string(r.Kind), r.OccurredOn, r.OrganisationID, "",
				string(r.Dimension), string(r.Sensitivity), r.Data.Encode(), now); err != nil {
				return err
			}
		}
		if err := rw.flush(ctx); err != nil {
			return err
		}
		aw := newBulkWriter(t, assessmentTable)
		defer aw.close()
		for _, a := range as {
			subject := "child"
			if a.HouseholdID != "" {
				subject = "household"
			}
			if err := aw.add(ctx, NewID(), subject, nullString(a.PersonID), nullString(a.HouseholdID), "termtem-default", 1, a.On, "staff",
				orgID, "", a.Levels[0], a.Levels[1], a.Levels[2], a.Levels[3], "{}", `{"synthetic":true}`, now); err != nil {
				return err
			}
		}
		return aw.flush(ctx)
	})
}

// ActivitySubject is a person of a benchmark population, as
// demo.PopulateActivity needs them.
type ActivitySubject struct {
	ID, HouseholdID, BirthDate string
}

// ActivitySubjects pages through the people in ID order.
func (db *DB) ActivitySubjects(ctx context.Context, after string, limit int) ([]ActivitySubject, error) {
	rows, err := db.reader().query(ctx, `SELECT id, COALESCE(household_id, ''), birth_date FROM people WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, classify(err)
	}
	var out []ActivitySubject
	err = eachRow(rows, func(s scanner) error {
		var a ActivitySubject
		if err := s.Scan(&a.ID, &a.HouseholdID, &a.BirthDate); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}
