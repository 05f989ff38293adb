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
	return db.InsertSyntheticActivity(ctx, SyntheticActivity{Records: rs, Assessments: as, AssessedBy: orgID})
}

// ActivitySubject is a person of a benchmark population, as
// demo.PopulateActivity needs them.
type ActivitySubject struct {
	ID, HouseholdID, BirthDate string
	CommunityID                string
}

// ActivitySubjects pages through the people in ID order.
func (db *DB) ActivitySubjects(ctx context.Context, after string, limit int) ([]ActivitySubject, error) {
	rows, err := db.reader().query(ctx, `SELECT id, COALESCE(household_id, ''), birth_date, COALESCE(community_id, '') FROM people WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, classify(err)
	}
	var out []ActivitySubject
	err = eachRow(rows, func(s scanner) error {
		var a ActivitySubject
		if err := s.Scan(&a.ID, &a.HouseholdID, &a.BirthDate, &a.CommunityID); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}
