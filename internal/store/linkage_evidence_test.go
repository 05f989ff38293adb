package store_test

import (
	"testing"

	"termtem/internal/access"
	"termtem/internal/imports"
	"termtem/internal/linkage"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// evidenceRows reads the linkage evidence kept about a person.
func evidenceRows(t *testing.T, db *store.DB, personID string) (n int, mother, cid, place string) {
	t.Helper()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowForTest(ctx, `SELECT COUNT(*), COALESCE(MAX(mother_name), ''), COALESCE(MAX(mother_cid), ''),
			COALESCE(MAX(community || ' ' || address), '') FROM linkage_evidence WHERE person_id = ?`, personID).Scan(&n, &mother, &cid, &place)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n, mother, cid, place
}

// TestLinkageEvidenceFromImports: a roster's mother's name and community
// are kept as linkage evidence in the import's transaction (audited once a
// batch), the same file again changes nothing, later rows are compared
// with them, and a corrected row without them removes them. A FHIR
// Patient's mother (contact) and address, and a RelatedPerson who is the
// patient's mother, are kept as the child's evidence too.
func TestLinkageEvidenceFromImports(t *testing.T) {
	db := storetest.Open(t)
	db.LinkageAutoTrain = -1
	org := newOrg(t, db, "EVI-1")
	m := imports.Mapping{Header: true, DateEra: imports.EraCE, Columns: map[imports.Target]string{
		imports.LocalID: "id", imports.GivenName: "given", imports.FamilyName: "family", imports.BirthDate: "birth",
		imports.MotherName: "mother", imports.Community: "community", imports.Address: "address",
	}}
	csv := "id,given,family,birth,mother,community,address\n" +
		"S1,ศิริพร,ศรีสุข,2015-03-07,นางมาลี ศรีสุข,ชุมชนบุญมา,12 ซอย 4\n" +
		"S2,ธนกฤต,ใจดี,2016-05-12,,,\n"
	j := mustImport(t, db, org.ID, "roster", imports.CSV, writeFile(t, "roster.csv", csv), m)
	if j.Counts.Created != 2 {
		t.Fatalf("counts %+v", j.Counts)
	}
	siri := personNamed(t, db, "ศิริพร")
	if n, mother, _, place := evidenceRows(t, db, siri.ID); n != 1 || mother != "นางมาลี ศรีสุข" || place != "ชุมชนบุญมา 12 ซอย 4" {
		t.Fatalf("evidence: %d %q %q", n, mother, place)
	}
	if n, _, _, _ := evidenceRows(t, db, personNamed(t, db, "ธนกฤต").ID); n != 0 {
		t.Errorf("a row without evidence kept %d rows", n)
	}
	if n := auditCount(t, db, store.ActionLinkageEvidenceWritten, j.ID); n != 1 {
		t.Errorf("evidence writes audited %d times", n)
	}
	again := mustImport(t, db, org.ID, "roster", imports.CSV, writeFile(t, "roster2.csv", csv), m)
	if again.Counts.Unchanged != 2 || auditCount(t, db, store.ActionLinkageEvidenceWritten, again.ID) != 0 {
		t.Errorf("the same file again: %+v", again.Counts)
	}

	// Another agency's row without a birth date: the mother's name (her
	// title dropped, her family name changed) and the community are compared.
	row := &imports.Row{Key: "X1", Person: &people.Person{GivenName: "ศิริพร", FamilyName: "ศรีสุข"},
		Evidence: imports.Evidence{MotherName: "มาลี ทองดี", Community: "ชุมชนบุญมา"}}
	pr, err := db.LinkageProbeForTest(ctx, []*imports.Row{row})
	if err != nil {
		t.Fatal(err)
	}
	if v := pr.Vectors[0]; linkage.Mother.LevelName(v[linkage.Mother]) != "given" || linkage.Address.LevelName(v[linkage.Address]) != "overlap" {
		t.Errorf("compared mother %s, address %s", linkage.Mother.LevelName(v[linkage.Mother]), linkage.Address.LevelName(v[linkage.Address]))
	}

	// A brother's row (the same family and birth date, another given
	// name) waits in the queue: its page shows both mothers' names and
	// places to a reader who may open both people, and to nobody else.
	w := mustImport(t, db, org.ID, "welfare", imports.CSV, writeFile(t, "welfare.csv",
		"id,given,family,birth,mother,community,address\nW1,ธนภัทร,ใจดี,2016-05-12,สมศรี ใจดี,ชุมชนบุญมา,\n"), m)
	pairs, _, err := db.ListPairs(ctx, nil, store.PairPending, 10, 0, actor())
	if err != nil || len(pairs) != 1 || w.Counts.Created != 1 {
		t.Fatalf("pending pairs %d %v (%+v)", len(pairs), err, w.Counts)
	}
	pair, err := db.GetPair(ctx, nil, pairs[0].ID, actor())
	if err != nil || !pair.ShowsFamily || pair.Mothers != [2]string{"สมศรี ใจดี", ""} || pair.Places != [2]string{"ชุมชนบุญมา", ""} {
		t.Errorf("pair for the platform: %v %q %q %v", pair.ShowsFamily, pair.Mothers, pair.Places, err)
	}
	hidden, err := db.GetPair(access.ForRequest(ctx, nil), nil, pairs[0].ID, actor())
	if err != nil || hidden.ShowsFamily || hidden.Mothers != [2]string{} || hidden.Places != [2]string{} {
		t.Errorf("pair for a reader who may not open the people: %v %q %q %v", hidden.ShowsFamily, hidden.Mothers, hidden.Places, err)
	}

	// The corrected roster gives no mother or community: the evidence goes.
	fixed := "id,given,family,birth,mother,community,address\nS1,ศิริพร,ศรีสุข,2015-03-07,,,\n"
	if j := mustImport(t, db, org.ID, "roster", imports.CSV, writeFile(t, "roster3.csv", fixed), m); j.Counts.Updated != 1 {
		t.Fatalf("corrected: %+v", j.Counts)
	}
	if n, _, _, _ := evidenceRows(t, db, siri.ID); n != 0 {
		t.Errorf("evidence kept after the row dropped it: %d", n)
	}

	// FHIR: the Patient's contact who is the mother and the home address;
	// a RelatedPerson who is the mother names her (and her ID) too.
	patient := `{"resourceType":"Patient","id":"c1","name":[{"family":"ทองคำ","given":["มานี"]}],"gender":"female","birthDate":"2020-02-02",
		"address":[{"use":"old","text":"ที่อยู่เก่า"},{"use":"home","line":["5 ซอย 9"],"district":"ลาดกระบัง"}],
		"contact":[{"relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"MTH"}]}],
		"name":{"family":"ทองคำ","given":["สมศรี"]}}]}`
	patient2 := `{"resourceType":"Patient","id":"c2","name":[{"family":"ใจดี","given":["มะลิ"]}],"gender":"female","birthDate":"2022-01-10"}`
	b := fhirBundle(patient, patient2, fhirRelated("m2", "Patient/c2", "MTH", testCID(104), "สมศรี", "female"))
	if j, err := runImport(t, db, org.ID, "fhir-evi", imports.FHIR, writeFile(t, "b.json", b), imports.Mapping{}, false); err != nil || j.Counts.Rejected != 0 {
		t.Fatalf("bundle: %v %+v", err, j)
	}
	if n, mother, _, place := evidenceRows(t, db, personNamed(t, db, "มานี").ID); n != 1 || mother != "สมศรี ทองคำ" || place != " 5 ซอย 9 ลาดกระบัง" {
		t.Errorf("patient's evidence: %d %q %q", n, mother, place)
	}
	if n, mother, cid, _ := evidenceRows(t, db, personNamed(t, db, "มะลิ").ID); n != 1 || mother != "สมศรี ใจดี" || cid != testCID(104) {
		t.Errorf("related mother's evidence: %d %q %q", n, mother, cid)
	}
}

// personNamed finds the one person of a given name.
func personNamed(t *testing.T, db *store.DB, given string) people.Person {
	t.Helper()
	var p people.Person
	err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowForTest(ctx, `SELECT id FROM people WHERE given_name = ? AND merged_into IS NULL`, given).Scan(&p.ID)
	})
	if err != nil {
		t.Fatalf("person %s: %v", given, err)
	}
	return p
}
