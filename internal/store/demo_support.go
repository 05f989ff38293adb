package store

import (
	"context"
	"database/sql"
	"strings"

	"termtem/internal/people"
)

// Reads for the demo loader and the benchmark set-up: whole communities at
// once, without auditing each person (they are synthetic, and the loader
// audits what it adds).

// PeopleInCommunities lists the people living in the given communities,
// household by household, eldest first, with their national IDs (not their
// other identifiers).
func (db *DB) PeopleInCommunities(ctx context.Context, communityIDs []string) ([]people.Person, error) {
	if len(communityIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(communityIDs))
	for i, id := range communityIDs {
		args[i] = id
	}
	rows, err := db.reader().query(ctx, `SELECT `+personColumns+`, COALESCE(i.value, '') FROM people p
		LEFT JOIN person_identifiers i ON i.person_id = p.id AND i.kind = 'national_id'
		WHERE p.community_id IN (?`+strings.Repeat(", ?", len(args)-1)+`) ORDER BY p.household_id, p.birth_date, p.id`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []people.Person
	for rows.Next() {
		var nationalID string
		p, err := scanPerson(scanWith{rows, &nationalID})
		if err != nil {
			return nil, classify(err)
		}
		p.NationalID = nationalID
		out = append(out, p)
	}
	return out, classify(rows.Err())
}

// PregnanciesInCommunities lists the pregnancies of mothers living in the
// given communities, oldest expected date first.
func (db *DB) PregnanciesInCommunities(ctx context.Context, communityIDs []string) ([]people.Pregnancy, error) {
	if len(communityIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(communityIDs))
	for i, id := range communityIDs {
		args[i] = id
	}
	rows, err := db.reader().query(ctx, `SELECT g.id, g.mother_id, g.expected_date, g.status, COALESCE(g.child_id, ''), g.version, g.created_at
		FROM pregnancies g JOIN people p ON p.id = g.mother_id WHERE p.community_id IN (?`+strings.Repeat(", ?", len(args)-1)+`)
		ORDER BY g.expected_date, g.id`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []people.Pregnancy
	for rows.Next() {
		var pr people.Pregnancy
		var status, created string
		if err := rows.Scan(&pr.ID, &pr.MotherID, &pr.ExpectedDate, &status, &pr.ChildID, &pr.Version, &created); err != nil {
			return nil, classify(err)
		}
		pr.Status, pr.CreatedAt = people.PregnancyStatus(status), parseTS(created)
		out = append(out, pr)
	}
	return out, classify(rows.Err())
}

// CountRecordsByOrganisation returns how many service records each
// organisation has made, by organisation ID.
func (db *DB) CountRecordsByOrganisation(ctx context.Context) (map[string]int, error) {
	rows, err := db.reader().query(ctx, `SELECT organisation_id, COUNT(*) FROM service_records GROUP BY organisation_id`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, classify(err)
		}
		out[id] = n
	}
	return out, classify(rows.Err())
}

// SampleIdentifiers returns up to n document numbers of one kind, spread
// over the table (benchmarks look them up).
func (db *DB) SampleIdentifiers(ctx context.Context, kind people.IdentifierKind, n int) ([]string, error) {
	var total int
	if err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM person_identifiers WHERE kind = ?`, string(kind)).Scan(&total); err != nil {
		return nil, classify(err)
	}
	step := max(total/max(n, 1), 1)
	// Every step-th row in key order: deterministic, and spread over the index.
	rows, err := db.reader().query(ctx, `SELECT value FROM (SELECT value, ROW_NUMBER() OVER (ORDER BY value) AS rn
		FROM person_identifiers WHERE kind = ?) s WHERE rn % ? = 0 LIMIT ?`, string(kind), step, n)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, classify(err)
		}
		out = append(out, v)
	}
	return out, classify(rows.Err())
}

// scanWith scans a row into the destinations asked for and then extra.
type scanWith struct {
	rows  *sql.Rows
	extra any
}

func (s scanWith) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra)...) }

// CountAssessmentsBy counts the assessments an organisation has made (the
// demo loader's mark of an earlier run).
func (db *DB) CountAssessmentsBy(ctx context.Context, organisationID string) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM assessments WHERE organisation_id = ?`, organisationID).Scan(&n)
	return n, classify(err)
}
