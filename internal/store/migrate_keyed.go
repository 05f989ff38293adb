package store

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

// Migration 35 is written in Go, not SQL, because most of it is SQLite's
// alone (goose runs one SQL file on both engines).
//
// An import, or the bulk insert, writes every new person into people, its
// identifiers, a row per name sound and (an import) its import key — and
// each row into every index of its table: 26 B-tree insertions a person,
// which were most of the import writer's time (docs/benchmarks.md,
// "Imports"). Two kinds of them stored nothing any query reads:
//
//   - On SQLite, a table with a TEXT primary key is two B-trees: the table
//     by its hidden rowid, and the key's index pointing at it. Name keys,
//     identifiers and import keys are only ever found by their key or
//     their person, so they become WITHOUT ROWID tables, stored in the
//     key's order: one B-tree less each, and a look-up by key reads one
//     tree instead of two. (PostgreSQL has no rowid: nothing changes.)
//   - A person with no household or community (a school roster's child)
//     was entered, under NULL, in the household, community and district
//     indexes, which are only searched for a given place. Those indexes now
//     hold people with a place only (both engines), and every query that
//     uses them asks for a place (x = ? implies x IS NOT NULL, which both
//     planners know).
const keyedTablesVersion = 35

var keyedTablesUpSQLite = []string{
	`CREATE TABLE person_name_keys_new (
    key            TEXT NOT NULL,
    person_id      TEXT NOT NULL REFERENCES people(id),
    birth_year     INTEGER,
    district_code  TEXT,
    PRIMARY KEY (key, person_id)
) WITHOUT ROWID`,
	`INSERT INTO person_name_keys_new (key, person_id, birth_year, district_code)
    SELECT key, person_id, birth_year, district_code FROM person_name_keys ORDER BY key, person_id`,
	`DROP TABLE person_name_keys`,
	`ALTER TABLE person_name_keys_new RENAME TO person_name_keys`,
	`CREATE INDEX person_name_keys_person ON person_name_keys(person_id)`,
	`CREATE INDEX person_name_keys_year ON person_name_keys(key, birth_year, person_id)`,
	`CREATE INDEX person_name_keys_district ON person_name_keys(key, district_code, person_id) WHERE district_code IS NOT NULL`,

	`CREATE TABLE person_identifiers_new (
    person_id   TEXT NOT NULL REFERENCES people(id),
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID`,
	`INSERT INTO person_identifiers_new (person_id, kind, value, created_at)
    SELECT person_id, kind, value, created_at FROM person_identifiers ORDER BY kind, value`,
	`DROP TABLE person_identifiers`,
	`ALTER TABLE person_identifiers_new RENAME TO person_identifiers`,
	`CREATE INDEX person_identifiers_person_kind ON person_identifiers(person_id, kind, value)`,

	`CREATE TABLE import_keys_new (
    source       TEXT NOT NULL,
    source_key   TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    row_hash     TEXT NOT NULL,
    job_id       TEXT NOT NULL REFERENCES import_jobs(id),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (source_key, source, object_type)
) WITHOUT ROWID`,
	`INSERT INTO import_keys_new (source, source_key, object_type, object_id, row_hash, job_id, updated_at)
    SELECT source, source_key, object_type, object_id, row_hash, job_id, updated_at FROM import_keys ORDER BY source_key, source, object_type`,
	`DROP TABLE import_keys`,
	`ALTER TABLE import_keys_new RENAME TO import_keys`,
	`CREATE INDEX import_keys_object ON import_keys(object_id)`,
}

// keyedTablesPartial makes the place indexes hold placed people only
// (both engines; on SQLite the district index was made so above).
var keyedTablesPartial = []string{
	`DROP INDEX people_household`,
	`CREATE INDEX people_household ON people(household_id) WHERE household_id IS NOT NULL`,
	`DROP INDEX people_community_id`,
	`CREATE INDEX people_community_id ON people(community_id, id) WHERE community_id IS NOT NULL`,
}

var keyedTablesPartialPostgres = []string{
	`DROP INDEX person_name_keys_district`,
	`CREATE INDEX person_name_keys_district ON person_name_keys(key, district_code, person_id) WHERE district_code IS NOT NULL`,
}

// keyedTablesDown puts back the indexes of migrations 2, 20 and 31 (on
// SQLite the tables stay WITHOUT ROWID: the same rows, found the same way).
var keyedTablesDown = []string{
	`DROP INDEX people_household`,
	`CREATE INDEX people_household ON people(household_id)`,
	`DROP INDEX people_community_id`,
	`CREATE INDEX people_community_id ON people(community_id, id)`,
	`DROP INDEX person_name_keys_district`,
	`CREATE INDEX person_name_keys_district ON person_name_keys(key, district_code, person_id)`,
}

// keyedTablesMigration is migration 35 for the engine in use.
func keyedTablesMigration(postgres bool) *goose.Migration {
	up := append(append([]string(nil), keyedTablesUpSQLite...), keyedTablesPartial...)
	if postgres {
		up = append(append([]string(nil), keyedTablesPartial...), keyedTablesPartialPostgres...)
	}
	run := func(stmts []string) *goose.GoFunc {
		return &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			for _, s := range stmts {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return err
				}
			}
			return nil
		}}
	}
	return goose.NewGoMigration(keyedTablesVersion, run(up), run(keyedTablesDown))
}

// GoMigrationVersions are the numbers of the migrations written in Go;
// the others are the SQL files in migrations/.
func GoMigrationVersions() []int64 { return []int64{keyedTablesVersion} }

// goMigrations are the migrations written in Go, for the engine in use.
func goMigrations(postgres bool) goose.ProviderOption {
	return goose.WithGoMigrations(keyedTablesMigration(postgres))
}
