package store_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"termtem/internal/account"
	"termtem/internal/exports"
	"termtem/internal/fhir"
	"termtem/internal/organisations"

	"termtem/internal/imports"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func fhirRelated(id, patient, code, cid, given, gender string) string {
	ident, sex := "", ""
	if cid != "" {
		ident = fmt.Sprintf(`"identifier":[{"system":"https://terms.sil-th.org/id/th-cid","value":%q}],`, cid)
	}
	if gender != "" {
		sex = fmt.Sprintf(`"gender":%q,`, gender)
	}
	return fmt.Sprintf(`{"resourceType":"RelatedPerson","id":%q,"patient":{"reference":%q},%s%s
		"relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":%q}]}],
		"name":[{"use":"official","family":"ใจดี","given":[%q]}],"birthDate":"1990-04-01"}`, id, patient, ident, sex, code, given)
}

// householdOf reads who lives in a household now, as what.
func householdOf(t *testing.T, db *store.DB, id string) map[string]people.Relationship {
	t.Helper()
	hv, err := db.GetHousehold(ctx, id, actor())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]people.Relationship{}
	for _, m := range hv.Current {
		out[m.Person.ID] = m.Membership.Relationship
		if m.Person.Relation != m.Membership.Relationship || m.Person.HouseholdID != id || m.Person.CommunityID != hv.Household.CommunityID {
			t.Errorf("member %s: relation %s / membership %s, household %s, community %s", m.Person.ID, m.Person.Relation,
				m.Membership.Relationship, m.Person.HouseholdID, m.Person.CommunityID)
		}
	}
	return out
}

// TestFHIRRelatedPersonHousehold: a RelatedPerson joins the patient's
// household with the relation to its head its code gives (a child living
// with the grandmother who heads the household: the mother is the head's
// child, the brother a grandchild); the grandmother, found by her national
// ID, is already there; a child not yet in any household joins the
// household its mother heads. The same bundle again changes nothing; a
// contradictory, unknown or self-referring relation is refused by its
// path, and the rest of the bundle goes in.
// familyWorld is a grandmother heading household H with her
// granddaughter, and a mother heading household H2, in Lat Krabang.
type familyWorld struct {
	db                     *store.DB
	hc                     organisations.Organisation
	h, h2                  people.Household
	grandma, girl, mother2 people.Person
}

func newFamilyWorld(t *testing.T) familyWorld {
	t.Helper()
	db := storetest.Open(t)
	hc := newOrg(t, db, "FHIR-H1")
	community := newCommunity(t, db, "FH1")
	// Grandmother heads household H; her granddaughter lives with her.
	h := newHousehold(t, db, community)
	grandma, err := db.CreatePerson(ctx, people.Person{GivenName: "บุญมี", FamilyName: "ใจดี", Sex: people.Female, BirthDate: "1960-02-02",
		NationalID: testCID(101), HouseholdID: h.ID, Relation: people.RelHead}, actor())
	if err != nil {
		t.Fatal(err)
	}
	girl, err := db.CreatePerson(ctx, people.Person{GivenName: "มะลิ", FamilyName: "ใจดี", Sex: people.Female, BirthDate: "2022-01-10",
		NationalID: testCID(102), HouseholdID: h.ID, Relation: people.RelGrandchild}, actor())
	if err != nil {
		t.Fatal(err)
	}
	h.HeadID = grandma.ID
	if h, err = db.SaveHousehold(ctx, h, actor()); err != nil {
		t.Fatal(err)
	}
	// A mother heading household H2; her son is in no household yet.
	h2 := newHousehold(t, db, community)
	mother2, err := db.CreatePerson(ctx, people.Person{GivenName: "สมใจ", FamilyName: "รักดี", Sex: people.Female, BirthDate: "1992-05-05",
		NationalID: testCID(103), HouseholdID: h2.ID, Relation: people.RelHead}, actor())
	if err != nil {
		t.Fatal(err)
	}
	h2.HeadID = mother2.ID
	if h2, err = db.SaveHousehold(ctx, h2, actor()); err != nil {
		t.Fatal(err)
	}
	return familyWorld{db: db, hc: hc, h: h, h2: h2, grandma: grandma, girl: girl, mother2: mother2}
}

// familyBundle relates a mother (no gender given), the grandmother (by
// her national ID) and a brother to the girl, and the head of H2 as the
// mother of a boy in no household.
func familyBundle(extra ...string) string {
	return fhirBundle(append([]string{
		fhirPatient("p1", testCID(102), "มะลิ", "2022-01-10"),
		fhirRelated("r-mother", "Patient/p1", "MTH", testCID(104), "สมศรี", ""),
		fhirRelated("r-grandma", "Patient/p1", "GRMTH", testCID(101), "บุญมี", "female"),
		fhirRelated("r-brother", "Patient/p1", "BRO", "", "ต้น", "male"),
		fhirPatient("p2", testCID(105), "ปลา", "2023-03-03"),
		fhirRelated("r-mother2", "Patient/p2", "MTH", testCID(103), "สมใจ", "female"),
	}, extra...)...)
}

func TestFHIRRelatedPersonHousehold(t *testing.T) {
	w := newFamilyWorld(t)
	db, hc, h, h2, grandma, girl, mother2 := w.db, w.hc, w.h, w.h2, w.grandma, w.girl, w.mother2
	b := familyBundle(
		fhirRelated("r-male-mother", "Patient/p1", "MTH", "", "ชาย", "male"),      // entry[6]
		fhirRelated("r-unknown", "Patient/p1", "XYZ", "", "ไม่รู้", "female"),     // entry[7]
		fhirRelated("r-self", "Patient/p2", "SIS", testCID(105), "ปลา", "female"), // entry[8]
	)
	path := writeFile(t, "family.json", b)
	j, err := runImport(t, db, hc.ID, "fhir-fam", imports.FHIR, path, imports.Mapping{}, true)
	if err != nil || j.Status != imports.Done {
		t.Fatalf("import: %v %+v", err, j)
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
		"entry[6].resource.relationship[0]": "fhir.relationship_sex",
		"entry[7].resource.relationship[0]": "fhir.code",
		"entry[8].resource.relationship[0]": "fhir.relationship_self",
	}
	if len(got) != len(want) {
		t.Errorf("rejects %v, want %v", got, want)
	}
	for f, id := range want {
		if got[f] != id {
			t.Errorf("%s: got %q, want %q (all: %v)", f, got[f], id, got)
		}
	}

	mother := personByCID(t, db, testCID(104))
	if mother.Sex != people.Female {
		t.Errorf("mother's sex %q", mother.Sex)
	}
	brother := personRelatedAs(t, db, h.ID, "ต้น")
	members := householdOf(t, db, h.ID)
	wantH := map[string]people.Relationship{grandma.ID: people.RelHead, girl.ID: people.RelGrandchild, mother.ID: people.RelChild,
		brother.ID: people.RelGrandchild}
	if fmt.Sprint(members) != fmt.Sprint(wantH) {
		t.Errorf("household H: %v, want %v", members, wantH)
	}
	boy := personByCID(t, db, testCID(105))
	members2 := householdOf(t, db, h2.ID)
	wantH2 := map[string]people.Relationship{mother2.ID: people.RelHead, boy.ID: people.RelChild}
	if fmt.Sprint(members2) != fmt.Sprint(wantH2) {
		t.Errorf("household H2: %v, want %v", members2, wantH2)
	}
	if hist, err := db.MembershipHistory(ctx, mother.ID); err != nil || len(hist) != 1 || hist[0].HouseholdID != h.ID || hist[0].EndedOn != "" {
		t.Errorf("mother's memberships %+v %v", hist, err)
	}
	for _, id := range []string{mother.ID, brother.ID, boy.ID} {
		if n := auditCount(t, db, store.ActionPersonUpdated, id); n < 1 {
			t.Errorf("placing %s in a household was not audited", id)
		}
	}

	// The same bundle again: nothing moves.
	before := map[string]int{}
	for _, id := range []string{mother.ID, brother.ID, boy.ID, girl.ID, grandma.ID} {
		p, err := db.GetPerson(ctx, id, actor())
		if err != nil {
			t.Fatal(err)
		}
		before[id] = p.Version
	}
	count, _ := db.CountPeople(ctx)
	j2, err := runImport(t, db, hc.ID, "fhir-fam", imports.FHIR, path, imports.Mapping{}, true)
	if err != nil || j2.Counts.Created != 0 || j2.Counts.Updated != 0 {
		t.Fatalf("second import: %v %+v", err, j2.Counts)
	}
	if n, _ := db.CountPeople(ctx); n != count {
		t.Errorf("people %d → %d", count, n)
	}
	for id, v := range before {
		if p, _ := db.GetPerson(ctx, id, actor()); p.Version != v {
			t.Errorf("%s changed on the same bundle: version %d → %d", id, v, p.Version)
		}
	}
	if hist, _ := db.MembershipHistory(ctx, mother.ID); len(hist) != 1 {
		t.Errorf("mother's memberships after the second import: %+v", hist)
	}
	if fmt.Sprint(householdOf(t, db, h.ID)) != fmt.Sprint(wantH) || fmt.Sprint(householdOf(t, db, h2.ID)) != fmt.Sprint(wantH2) {
		t.Error("households changed on the same bundle")
	}
}

// personRelatedAs finds a household member by given name.
func personRelatedAs(t *testing.T, db *store.DB, household, given string) people.Person {
	t.Helper()
	hv, err := db.GetHousehold(ctx, household, actor())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range hv.Current {
		if m.Person.GivenName == given {
			return m.Person
		}
	}
	t.Fatalf("nobody called %s in the household", given)
	return people.Person{}
}

// TestFHIRRelatedPersonRoundTrip: after the family bundle, a FHIR export
// of the district writes every household member as a RelatedPerson of the
// others with the RoleCode of what they are to each other — the girl's
// mother MTH, grandmother GRPRN, brother SIB, and her the grandmother's
// GRNDCHILD — and importing that export again changes nothing.
func TestFHIRRelatedPersonRoundTrip(t *testing.T) {
	w := newFamilyWorld(t)
	db := w.db
	if _, err := runImport(t, db, w.hc.ID, "fhir-fam", imports.FHIR, writeFile(t, "family.json", familyBundle()), imports.Mapping{}, false); err != nil {
		t.Fatal(err)
	}
	mother, boy := personByCID(t, db, testCID(104)), personByCID(t, db, testCID(105))
	brother := personRelatedAs(t, db, w.h.ID, "ต้น")
	supervisor := newUser(t, db, "boss.fam", account.Membership{OrganisationID: w.hc.ID, RoleCode: account.RoleSupervisor})
	var buf bytes.Buffer
	bw := fhir.NewBundleWriter(&buf, "family", "")
	if _, err := db.Export(as(t, db, supervisor), exports.Request{AreaID: mustPlaceByCode(t, db, "1011").ID, Format: exports.FHIR}, "", by(supervisor),
		func(r *exports.Row) error { return exports.WriteFHIR(bw, r) }); err != nil {
		t.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Entry []struct {
			FullURL  string `json:"fullUrl"`
			Resource struct {
				ResourceType string `json:"resourceType"`
				ID           string `json:"id"`
				Patient      struct {
					Reference string `json:"reference"`
				} `json:"patient"`
				Identifier []struct {
					Value string `json:"value"`
				} `json:"identifier"`
				Name []struct {
					Given []string `json:"given"`
				} `json:"name"`
				Relationship []struct {
					Coding []struct {
						System, Code string
					} `json:"coding"`
				} `json:"relationship"`
			} `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(buf.Bytes(), &bundle); err != nil {
		t.Fatal(err)
	}
	// (patient, relative) → code; the relative by given name.
	codes := map[[2]string]string{}
	ids := map[string]bool{}
	for _, e := range bundle.Entry {
		r := e.Resource
		if r.ResourceType != fhir.TypeRelatedPerson {
			continue
		}
		if ids[r.ID] {
			t.Errorf("RelatedPerson id %s twice", r.ID)
		}
		ids[r.ID] = true
		if len(r.Relationship) != 1 || len(r.Relationship[0].Coding) != 1 || r.Relationship[0].Coding[0].System != fhir.SystemRoleCode || len(r.Name) == 0 {
			t.Fatalf("RelatedPerson %+v", r)
		}
		codes[[2]string{r.Patient.Reference, r.Name[0].Given[0]}] = r.Relationship[0].Coding[0].Code
	}
	girl, grandma := "urn:uuid:"+w.girl.ID, "urn:uuid:"+w.grandma.ID
	want := map[[2]string]string{
		{girl, "สมศรี"}: "MTH", {girl, "บุญมี"}: "GRPRN", {girl, "ต้น"}: "SIB",
		{grandma, "มะลิ"}: "GRNDCHILD", {grandma, "สมศรี"}: "CHILD", {grandma, "ต้น"}: "GRNDCHILD",
		{"urn:uuid:" + mother.ID, "มะลิ"}: "CHILD", {"urn:uuid:" + mother.ID, "ต้น"}: "CHILD", {"urn:uuid:" + mother.ID, "บุญมี"}: "MTH",
		{"urn:uuid:" + brother.ID, "มะลิ"}: "SIB", {"urn:uuid:" + brother.ID, "สมศรี"}: "MTH", {"urn:uuid:" + brother.ID, "บุญมี"}: "GRPRN",
		{"urn:uuid:" + boy.ID, "สมใจ"}: "MTH", {"urn:uuid:" + w.mother2.ID, "ปลา"}: "CHILD",
	}
	if fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Errorf("RelatedPersons\n got %v\nwant %v", codes, want)
	}

	// The girl's own bundle names her household too, each read audited.
	var one bytes.Buffer
	obw := fhir.NewBundleWriter(&one, "girl", "")
	if n, err := db.Export(as(t, db, supervisor), exports.Request{Format: exports.FHIR}, w.girl.ID, by(supervisor),
		func(r *exports.Row) error { return exports.WriteFHIR(obw, r) }); err != nil || n != 1 {
		t.Fatalf("one person: %d %v", n, err)
	}
	obw.Close()
	for _, code := range []string{`"code":"MTH"`, `"code":"GRPRN"`, `"code":"SIB"`} {
		if !bytes.Contains(one.Bytes(), []byte(code)) {
			t.Errorf("the girl's bundle lacks %s", code)
		}
	}
	if bytes.Contains(one.Bytes(), []byte(w.mother2.ID)) {
		t.Error("the girl's bundle names someone of another household")
	}
	for _, id := range []string{mother.ID, brother.ID, w.grandma.ID} {
		if n := auditCount(t, db, store.ActionPersonRead, id); n < 2 { // the district's export and the girl's
			t.Errorf("%s named in exports, read audited %d times", id, n)
		}
	}

	// The export imported again: the same people, the same households.
	count, _ := db.CountPeople(ctx)
	before := fmt.Sprint(householdOf(t, db, w.h.ID), householdOf(t, db, w.h2.ID))
	j, err := runImport(t, db, w.hc.ID, "termtem-export", imports.FHIR, writeFile(t, "export.json", buf.String()), imports.Mapping{}, false)
	if err != nil || j.Counts.Rejected != 0 || j.Counts.Created != 0 {
		t.Fatalf("re-import: %v %+v", err, j.Counts)
	}
	if n, _ := db.CountPeople(ctx); n != count {
		t.Errorf("people %d → %d", count, n)
	}
	if after := fmt.Sprint(householdOf(t, db, w.h.ID), householdOf(t, db, w.h2.ID)); after != before {
		t.Errorf("households after the re-import %s, before %s", after, before)
	}
}
