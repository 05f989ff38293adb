package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"termtem/internal/imports"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// TestImportCorrectionsInBulk: more rows than a batch and than a bulk
// statement (1,000 and 500), so that the batched look-ups, the multi-row
// evidence upserts and deletes and the key re-hashing run across several
// statements and batches. A corrected file updates every person, replaces
// or removes their evidence and leaves the keys so that it imports
// unchanged a second time; another source's file with the same national
// IDs links every row to the same people and fills only what was empty.
func TestImportCorrectionsInBulk(t *testing.T) {
	db := storetest.Open(t)
	db.LinkageAutoTrain = -1
	org := newOrg(t, db, "BULK-1")
	const n = 1200
	m := imports.Mapping{Header: true, DateEra: imports.EraCE, Columns: map[imports.Target]string{
		imports.LocalID: "id", imports.NationalIDCol: "cid", imports.GivenName: "given", imports.FamilyName: "family",
		imports.Nickname: "nick", imports.BirthDate: "birth", imports.MotherName: "mother", imports.Community: "community",
	}}
	roster := func(family, mother func(i int) string, nick func(i int) string) string {
		var b strings.Builder
		b.WriteString("id,cid,given,family,nick,birth,mother,community\n")
		for i := range n {
			community := "ชุมชนบุญมา"
			if mother(i) == "" {
				community = ""
			}
			fmt.Fprintf(&b, "B%05d,%s,%s,%s,%s,2018-%02d-%02d,%s,%s\n", i, testCID(i), givenNames[i%len(givenNames)], family(i), nick(i),
				1+i%12, 1+i%28, mother(i), community)
		}
		return b.String()
	}
	none := func(int) string { return "" }
	first := roster(func(i int) string { return fmt.Sprintf("ใจดี %d", i) }, func(i int) string { return fmt.Sprintf("มาลี ใจดี %d", i) }, none)
	j := mustImport(t, db, org.ID, "roster", imports.CSV, writeFile(t, "r1.csv", first), m)
	if j.Counts.Created != n || auditCount(t, db, store.ActionLinkageEvidenceWritten, j.ID) != 2 {
		t.Fatalf("first import: %+v", j.Counts)
	}
	p7 := personByCID(t, db, testCID(7))
	if c, mother, _, place := evidenceRows(t, db, p7.ID); c != 1 || mother != "มาลี ใจดี 7" || place != "ชุมชนบุญมา " {
		t.Fatalf("evidence of row 7: %d %q %q", c, mother, place)
	}
	// The name keys prepared while reading are those CreatePerson writes.
	typed, err := db.CreatePerson(ctx, people.Person{GivenName: p7.GivenName, FamilyName: p7.FamilyName, Sex: p7.Sex, BirthDate: p7.BirthDate}, actor())
	if err != nil {
		t.Fatal(err)
	}
	if keys, differ := sameNameKeys(t, db, p7.ID, typed.ID); keys < 2 || differ != 0 {
		t.Errorf("name keys: the imported person has %d, %d differ from those typed in", keys, differ)
	}
	if again := mustImport(t, db, org.ID, "roster", imports.CSV, writeFile(t, "r1b.csv", first), m); again.Counts.Unchanged != n {
		t.Fatalf("the same file again: %+v", again.Counts)
	}

	// Every family name corrected; every third row drops its mother and
	// community, the others name another mother.
	mother2 := func(i int) string {
		if i%3 == 0 {
			return ""
		}
		return fmt.Sprintf("สมศรี ใจงาม %d", i)
	}
	fixed := roster(func(i int) string { return fmt.Sprintf("ใจงาม %d", i) }, mother2, none)
	if f := mustImport(t, db, org.ID, "roster", imports.CSV, writeFile(t, "r2.csv", fixed), m); f.Counts.Updated != n {
		t.Fatalf("corrected file: %+v", f.Counts)
	}
	if c, mother, _, _ := evidenceRows(t, db, p7.ID); c != 1 || mother != "สมศรี ใจงาม 7" {
		t.Errorf("row 7's evidence after the correction: %d %q", c, mother)
	}
	if c, _, _, _ := evidenceRows(t, db, personByCID(t, db, testCID(9)).ID); c != 0 {
		t.Errorf("row 9 dropped its mother, %d evidence rows kept", c)
	}
	var kept int
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowForTest(ctx, `SELECT COUNT(*) FROM linkage_evidence WHERE source = 'roster'`).Scan(&kept)
	}); err != nil || kept != n-n/3 {
		t.Errorf("evidence rows after the correction: %d (%v), want %d", kept, err, n-n/3)
	}
	if p := personByCID(t, db, testCID(7)); p.FamilyName != "ใจงาม 7" || p.Version != p7.Version+1 || p.ID != p7.ID {
		t.Errorf("row 7 corrected: %+v", p)
	}
	if again := mustImport(t, db, org.ID, "roster", imports.CSV, writeFile(t, "r2b.csv", fixed), m); again.Counts.Unchanged != n {
		t.Errorf("the corrected file again: %+v", again.Counts)
	}

	// Another agency's file: the same national IDs, other family names and
	// a nickname. Every row links to the same person; the family name
	// stays (it was given), the nickname (empty) is filled.
	other := roster(func(i int) string { return fmt.Sprintf("ทองดี %d", i) }, none, func(i int) string { return fmt.Sprintf("เล็ก%d", i) })
	o := mustImport(t, db, org.ID, "clinic", imports.CSV, writeFile(t, "o.csv", other), m)
	if o.Counts.Linked != n || o.Counts.Created != 0 {
		t.Fatalf("another source: %+v", o.Counts)
	}
	if count, _ := db.CountPeople(ctx); count != n+1 {
		t.Errorf("people = %d, want %d", count, n+1)
	}
	if p := personByCID(t, db, testCID(7)); p.ID != p7.ID || p.FamilyName != "ใจงาม 7" || p.Nickname != "เล็ก7" || p.Version != p7.Version+2 {
		t.Errorf("row 7 linked from another source: %+v", p)
	}
}

// TestImportKeepsDashboardCounters: imported people without a place are
// not read back at the commit (they count nowhere), yet the counters kept
// incrementally stay exactly what a rebuild computes when one of them is
// later given a household, has records imported from another source, and
// when new people come with records in the batch that creates them.
func TestImportKeepsDashboardCounters(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	db.LinkageAutoTrain = -1
	org := newOrg(t, db, "DASH-I")
	if j := mustImport(t, db, org.ID, "school-d", imports.CSV, writeFile(t, "r.csv", rosterCSV(30, nil)), rosterMapping()); j.Counts.Created != 30 ||
		j.Counts.Records != 30 {
		t.Fatalf("roster: %+v", j.Counts)
	}
	before, err := db.DashboardRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := personByCID(t, db, testCID(4))
	p.HouseholdID = w.household.ID
	if _, err := db.UpdatePerson(ctx, p, actor()); err != nil {
		t.Fatal(err)
	}
	// Another school's roster names the same children: linked, with an
	// enrolment each (the placed child's counts move).
	if j := mustImport(t, db, org.ID, "school-e", imports.CSV, writeFile(t, "r2.csv", rosterCSV(30, nil)), rosterMapping()); j.Counts.Linked != 30 {
		t.Fatalf("second roster: %+v", j.Counts)
	}
	if slices.Equal(before, requireCountersMatchRebuild(t, db)) {
		t.Fatal("placing an imported child moved no counter")
	}
}

// sameNameKeys reports how many name keys person a has, and how many of
// a's and b's keys (with their birth years) the other lacks.
func sameNameKeys(t *testing.T, db *store.DB, a, b string) (n, differ int) {
	t.Helper()
	const lacks = `SELECT COUNT(*) FROM person_name_keys x WHERE x.person_id = ? AND NOT EXISTS (SELECT 1 FROM person_name_keys y
		WHERE y.person_id = ? AND y.key = x.key AND COALESCE(y.birth_year, 0) = COALESCE(x.birth_year, 0))`
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var ab, ba int
		if err := tx.QueryRowForTest(ctx, `SELECT COUNT(*) FROM person_name_keys WHERE person_id = ?`, a).Scan(&n); err != nil {
			return err
		}
		if err := tx.QueryRowForTest(ctx, lacks, a, b).Scan(&ab); err != nil {
			return err
		}
		err := tx.QueryRowForTest(ctx, lacks, b, a).Scan(&ba)
		differ = ab + ba
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n, differ
}

// TestImportQueuesPairsInBulk: a second agency's file of brothers and
// sisters of known children (the same family name and birth date, another
// given name) sends more uncertain pairs than one statement holds to the
// review queue, each audited once with its pair's ID.
func TestImportQueuesPairsInBulk(t *testing.T) {
	db := storetest.Open(t)
	db.LinkageAutoTrain = -1
	org := newOrg(t, db, "PAIR-1")
	m := imports.Mapping{Header: true, DateEra: imports.EraCE, Columns: map[imports.Target]string{
		imports.LocalID: "id", imports.GivenName: "given", imports.FamilyName: "family", imports.BirthDate: "birth"}}
	file := func(prefix string, given []string) string {
		var b strings.Builder
		b.WriteString("id,given,family,birth\n")
		for i := range 300 {
			fmt.Fprintf(&b, "%s%d,%s,ศรีสุข%d,2016-%02d-%02d\n", prefix, i, given[i%len(given)], i, 1+i%12, 1+i%28)
		}
		return b.String()
	}
	mustImport(t, db, org.ID, "school", imports.CSV, writeFile(t, "s.csv", file("S", []string{"ธนกฤต", "ศิริพร"})), m)
	j := mustImport(t, db, org.ID, "welfare", imports.CSV, writeFile(t, "w.csv", file("W", []string{"ธนภัทร", "ศิริรัตน์"})), m)
	pairs, total, err := db.ListPairs(ctx, nil, store.PairPending, 1000, 0, actor())
	if err != nil || total <= 100 || len(pairs) != total {
		t.Fatalf("pending pairs %d of %d (%v), job %+v", len(pairs), total, err, j.Counts)
	}
	t.Logf("%d pairs queued (%+v)", total, j.Counts)
	for _, p := range pairs {
		if n := auditCount(t, db, store.ActionLinkageQueued, p.ID); n != 1 {
			t.Fatalf("pair %s audited %d times", p.ID, n)
		}
	}
}
