package store_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"termtem/internal/demo"
	"termtem/internal/imports"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// fhirBundle wraps resources (JSON objects) as a collection bundle.
func fhirBundle(resources ...string) string {
	var b strings.Builder
	b.WriteString(`{"resourceType":"Bundle","type":"collection","entry":[`)
	for i, r := range resources {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"resource":` + r + `}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

func fhirPatient(id, cid, given, birth string) string {
	return fmt.Sprintf(`{"resourceType":"Patient","id":%q,"identifier":[{"system":"https://terms.sil-th.org/id/th-cid","value":%q}],
		"name":[{"use":"official","family":"ใจดี","given":[%q],"prefix":["เด็กหญิง"]}],"gender":"female","birthDate":%q}`, id, cid, given, birth)
}

func fhirImmunization(id, patient, vaccine, on string, dose int) string {
	return fmt.Sprintf(`{"resourceType":"Immunization","id":%q,"status":"completed","patient":{"reference":%q},
		"vaccineCode":{"coding":[{"system":"urn:termtem:fhir:CodeSystem:epi-vaccine","code":%q}]},"occurrenceDateTime":%q,
		"protocolApplied":[{"doseNumberPositiveInt":%d}]}`, id, patient, vaccine, on, dose)
}

func fhirWeight(id, patient, on string, kg float64) string {
	return fmt.Sprintf(`{"resourceType":"Observation","id":%q,"status":"final","subject":{"reference":%q},"effectiveDateTime":%q,
		"code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"valueQuantity":{"value":%g,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}`,
		id, patient, on, kg)
}

func TestFHIRImportDemoBundleIsIdempotent(t *testing.T) {
	db := storetest.Open(t)
	hc := newOrg(t, db, "FHIR-1")
	var buf bytes.Buffer
	children, err := demo.FHIRBundle(&buf, db.Now(), 6)
	if err != nil || children != 6 {
		t.Fatalf("demo bundle: %d children, %v", children, err)
	}
	path := writeFile(t, "demo.json", buf.String())
	if f, err := imports.DetectFormat(path); err != nil || f != imports.FHIR {
		t.Fatalf("format = %q, %v", f, err)
	}
	j := mustImport(t, db, hc.ID, "fhir", imports.FHIR, path, imports.Mapping{})
	if j.Status != imports.Done || j.Counts.Rejected != 0 || j.Counts.Created < 6 || j.Counts.Records == 0 {
		t.Fatalf("first import: %+v", j.Counts)
	}
	// The demo's patients carry their home and mother (linkage evidence).
	var withEvidence int
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowForTest(ctx, `SELECT COUNT(*) FROM linkage_evidence WHERE address <> '' AND mother_name <> ''`).Scan(&withEvidence)
	}); err != nil || withEvidence == 0 {
		t.Fatalf("children with a home and a mother: %d %v", withEvidence, err)
	}
	people1, _ := db.CountPeople(ctx)
	// The same bundle again changes nothing.
	j2 := mustImport(t, db, hc.ID, "fhir", imports.FHIR, path, imports.Mapping{})
	if j2.Counts.Created+j2.Counts.Records+j2.Counts.Updated != 0 || j2.Counts.Unchanged != j.Counts.Read {
		t.Fatalf("second import: %+v (first read %d)", j2.Counts, j.Counts.Read)
	}
	if n, _ := db.CountPeople(ctx); n != people1 {
		t.Fatalf("people %d → %d on the same bundle", people1, n)
	}
}

func TestFHIRImportRecordsAndCorrection(t *testing.T) {
	db := storetest.Open(t)
	hc := newOrg(t, db, "FHIR-2")
	cid := testCID(7)
	// The immunization comes before its patient: the people are read first.
	b := fhirBundle(
		fhirImmunization("imm-1", "Patient/p1", "BCG", "2024-01-11", 1),
		fhirPatient("p1", cid, "มะลิ", "2024-01-10"),
		fhirWeight("w-1", "Patient/p1", "2024-03-10T09:30:00+07:00", 4.6),
		`{"resourceType":"Observation","id":"dspm-9","status":"final","subject":{"reference":"Patient/p1"},"effectiveDateTime":"2024-10-15",
		  "code":{"coding":[{"system":"urn:termtem:fhir:CodeSystem:dspm-age","code":"9"}]},
		  "component":[`+dspmComponent("gm", "1")+`,`+dspmComponent("fm", "1")+`,`+dspmComponent("rl", "1")+`,`+dspmComponent("el", "2")+`,`+dspmComponent("ps", "1")+`]}`,
	)
	j := mustImport(t, db, hc.ID, "hc-fhir", imports.FHIR, writeFile(t, "b.json", b), imports.Mapping{})
	if j.Counts.Created != 1 || j.Counts.Records != 3 || j.Counts.Rejected != 0 {
		t.Fatalf("import: %+v", j.Counts)
	}
	p := personByCID(t, db, cid)
	if p.GivenName != "มะลิ" || p.Title != "เด็กหญิง" || p.BirthDate != "2024-01-10" || p.Sex != people.Female {
		t.Fatalf("person: %+v", p)
	}
	tl, err := db.Timeline(ctx, p.ID, store.TimelineFilter{}, actor())
	if err != nil || len(tl) != 3 {
		t.Fatalf("timeline %v: %+v", err, tl)
	}
	kinds := map[people.RecordKind]people.Record{}
	for _, r := range tl {
		kinds[r.Kind] = r
	}
	if v := kinds[people.Vaccination]; v.Data.Vaccine != "BCG" || v.Data.Dose != 1 || v.OccurredOn != "2024-01-11" || v.OrganisationID != hc.ID {
		t.Fatalf("vaccination: %+v", v)
	}
	if g := kinds[people.Growth]; g.Data.WeightKg != 4.6 || g.OccurredOn != "2024-03-10" {
		t.Fatalf("growth: %+v", g)
	}
	if d := kinds[people.DevelopmentScreening]; d.Data.ScreeningAge != 9 || d.Data.Domains == nil || d.Data.Domains.EL != people.DSPMSuspected || d.Data.RescreenBy == "" {
		t.Fatalf("screening: %+v", d.Data)
	}
	// A corrected weight updates the record in place.
	b2 := strings.Replace(b, `"value":4.6`, `"value":4.8`, 1)
	j2 := mustImport(t, db, hc.ID, "hc-fhir", imports.FHIR, writeFile(t, "b2.json", b2), imports.Mapping{})
	if j2.Counts.Updated != 1 || j2.Counts.Records != 1 || j2.Counts.Created != 0 {
		t.Fatalf("corrected: %+v", j2.Counts)
	}
	tl, _ = db.Timeline(ctx, p.ID, store.TimelineFilter{}, actor())
	for _, r := range tl {
		if r.Kind == people.Growth && r.Data.WeightKg != 4.8 {
			t.Fatalf("weight after correction: %v", r.Data.WeightKg)
		}
	}
	if len(tl) != 3 {
		t.Fatalf("records after correction: %d", len(tl))
	}
}

func dspmComponent(domain, result string) string {
	return fmt.Sprintf(`{"code":{"coding":[{"system":"urn:termtem:fhir:CodeSystem:dspm-domain","code":%q}]},
		"valueCodeableConcept":{"coding":[{"system":"urn:termtem:fhir:CodeSystem:dspm-result","code":%q}]}}`, domain, result)
}

// A bundle with bad entries: each is reported with its entry and element;
// without "skip bad rows" nothing at all is written.
func TestFHIRImportBadEntries(t *testing.T) {
	db := storetest.Open(t)
	hc := newOrg(t, db, "FHIR-3")
	future := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	b := fhirBundle(
		fhirPatient("p1", testCID(1), "ดาว", "2023-05-01"),
		`{"resourceType":"Medication","id":"m1"}`,                           // entry 1: unknown type
		fhirImmunization("imm-1", "Patient/nobody", "BCG", "2023-05-02", 1), // entry 2: missing reference
		fhirImmunization("imm-2", "Patient/p1", "XYZ", "2023-05-02", 1),     // entry 3: wrong code
		fhirImmunization("imm-3", "Patient/p1", "BCG", future, 1),           // entry 4: future date
		fhirPatient("p2", testCID(2), "ฝน", future),                         // entry 5: born in the future
		fhirImmunization("imm-4", "Patient/p1", "OPV", "2023-07-01", 1),     // entry 6: good
	)
	path := writeFile(t, "bad.json", b)
	j, err := runImport(t, db, hc.ID, "bad-fhir", imports.FHIR, path, imports.Mapping{}, false)
	if err == nil || j.Status != imports.Failed {
		t.Fatalf("without skip: %v %+v", err, j)
	}
	if n, _ := db.CountPeople(ctx); n != 0 {
		t.Fatalf("a failed batch wrote %d people", n)
	}
	j, err = runImport(t, db, hc.ID, "bad-fhir", imports.FHIR, path, imports.Mapping{}, true)
	if err != nil || j.Status != imports.Done {
		t.Fatalf("with skip: %v %+v", err, j)
	}
	if j.Counts.Created != 1 || j.Counts.Rejected != 5 || j.Counts.Records != 1 {
		t.Fatalf("counts: %+v", j.Counts)
	}
	rejects, err := db.ImportRejects(ctx, j.ID, 0, actor())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rejects {
		got[r.Field] = r.MessageID
	}
	want := map[string]string{
		"entry[1].resource.resourceType":       "fhir.resource_unknown",
		"entry[2].resource.patient":            "fhir.reference_missing",
		"entry[3].resource.vaccineCode":        "fhir.code",
		"entry[4].resource.occurrenceDateTime": "date.future",
		"entry[5].resource.birthDate":          "date.future",
	}
	for f, id := range want {
		if got[f] != id {
			t.Errorf("%s: got %q, want %q (all: %v)", f, got[f], id, got)
		}
	}
}

func TestFHIRImportNotABundle(t *testing.T) {
	db := storetest.Open(t)
	hc := newOrg(t, db, "FHIR-4")
	for name, content := range map[string]string{
		"patient.json": `{"resourceType":"Patient","id":"x"}`,
		"broken.json":  `{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"`,
	} {
		j, err := runImport(t, db, hc.ID, "x", imports.FHIR, writeFile(t, name, content), imports.Mapping{}, true)
		if err == nil || j.Error == nil || !strings.HasPrefix(j.Error.MessageID, "fhir.") {
			t.Errorf("%s: %v %+v", name, err, j.Error)
		}
	}
}
