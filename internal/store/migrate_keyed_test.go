package store_test

import (
	"strings"
	"testing"

	"termtem/internal/imports"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// TestKeyedTablesMigration: migration 35 copies the name keys, identifiers
// and import keys into tables stored by their keys (SQLite) and narrows the
// place indexes to placed people (both engines). Undone and applied again
// over imported people, every row is still there and still found: the
// same file imports as unchanged (import keys), every child is found by
// national ID (identifiers) and by name (name keys), and the counters
// still equal a rebuild.
func TestKeyedTablesMigration(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "SCH-M")
	const n = 120
	path := writeFile(t, "roster.csv", rosterCSV(n, nil))
	if j := mustImport(t, db, org.ID, "school-m", imports.CSV, path, rosterMapping()); j.Counts.Created != n {
		t.Fatalf("import: %+v", j.Counts)
	}
	count := func(table string) (c int) {
		t.Helper()
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRowForTest(ctx, `SELECT COUNT(*) FROM `+table).Scan(&c)
		}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	tables := []string{"person_name_keys", "person_identifiers", "import_keys"}
	before := map[string]int{}
	for _, tab := range tables {
		if before[tab] = count(tab); before[tab] < n {
			t.Fatalf("%s: %d rows before, want at least %d", tab, before[tab], n)
		}
	}
	if err := db.RedoMigrationForTest(ctx, 35); err != nil {
		t.Fatal(err)
	}
	for _, tab := range tables {
		if got := count(tab); got != before[tab] {
			t.Errorf("%s: %d rows after the migration, %d before", tab, got, before[tab])
		}
	}
	// The schema is the one the migration makes.
	var want map[string]string
	var schema string
	if storetest.Postgres() {
		schema = `SELECT indexdef FROM pg_indexes WHERE indexname = ? AND schemaname = current_schema()`
		want = map[string]string{"people_household": "WHERE (household_id IS NOT NULL)", "people_community_id": "WHERE (community_id IS NOT NULL)",
			"person_name_keys_district": "WHERE (district_code IS NOT NULL)"}
	} else {
		schema = `SELECT sql FROM sqlite_master WHERE name = ?`
		want = map[string]string{"people_household": "WHERE household_id IS NOT NULL", "people_community_id": "WHERE community_id IS NOT NULL",
			"person_name_keys_district": "WHERE district_code IS NOT NULL", "person_name_keys": "WITHOUT ROWID",
			"person_identifiers": "WITHOUT ROWID", "import_keys": "WITHOUT ROWID"}
	}
	for name, part := range want {
		var def string
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.QueryRowForTest(ctx, schema, name).Scan(&def) }); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(def, part) {
			t.Errorf("%s is %q, want %q in it", name, def, part)
		}
	}
	if j := mustImport(t, db, org.ID, "school-m", imports.CSV, path, rosterMapping()); j.Counts.Unchanged != n {
		t.Fatalf("the same file after the migration: %+v", j.Counts)
	}
	for i := range n {
		p := personByCID(t, db, testCID(i))
		hits, _, err := db.SearchPeople(ctx, store.PersonQuery{Text: p.GivenName + " " + p.FamilyName, Limit: 200}, actor())
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range hits {
			found = found || h.Person.ID == p.ID
		}
		if !found {
			t.Fatalf("child %d (%s %s) not found by name after the migration", i, p.GivenName, p.FamilyName)
		}
	}
	requireCountersMatchRebuild(t, db)
}
