package store_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"termtem/internal/cases"
	"termtem/internal/directory"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// networkWorld is a case world with a school-age child whose education is
// red (out of school) and a directory of services around the district.
type networkWorld struct {
	*caseWorld
	pupil people.Person
}

func newNetworkWorld(t *testing.T) *networkWorld {
	t.Helper()
	w := &networkWorld{caseWorld: newCaseWorld(t)}
	var err error
	w.pupil, err = w.db.CreatePerson(ctx, people.Person{GivenName: "ด.ช.ต้นกล้า", FamilyName: "ดีใจ", Sex: people.Male, BirthDate: "2017-01-10",
		Nationality: people.Stateless, HouseholdID: w.household.ID, Relation: people.RelChild}, actor())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.pupil.ID, Answers: map[string]flower.Answer{
		"EDU02": {Option: "out_of_school", OverrideReason: "ครูแจ้งว่าไม่มาเรียนตั้งแต่เปิดเทอม"}}, Source: store.ByStaff,
		OrganisationID: w.dsw.ID, AuthorID: w.worker.ID}, by(w.worker)); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *networkWorld) service(t *testing.T, orgID, name string, wait int, elig string, area string, codes ...string) directory.Service {
	t.Helper()
	s, err := w.db.SaveService(ctx, directory.Service{OrganisationID: orgID, NameTH: name, Dimension: people.Education, Indicators: codes,
		ReferralKind: "school_reentry", Eligibility: elig, WaitingDays: wait, Capacity: 10, AreaPlaceID: mustPlaceByCode(t, w.db, area).ID,
		Free: true, Active: true}, by(w.supervisor))
	if err != nil {
		t.Fatalf("save %s: %v", name, err)
	}
	return s
}

func TestServiceDirectory(t *testing.T) {
	w := newNetworkWorld(t)
	db := w.db
	s := w.service(t, w.school.ID, "สอนเสริมคืนห้องเรียน", 14, "age >= 6\nage <= 15", "1011", "EDU02", "EDU03")
	if s.Version != 1 || s.Stale || s.AreaCode != "1011" || s.Outcomes.AcceptancePercent != -1 {
		t.Fatalf("saved %+v", s)
	}
	if n := auditCount(t, db, store.ActionServiceSaved, s.ID); n != 1 {
		t.Errorf("%d audit rows", n)
	}
	// Bad input: capacity below zero, a rule that cannot be evaluated; a
	// stale version.
	bad := s
	bad.Capacity = -3
	wantErr(t, func() error { _, err := db.SaveService(ctx, bad, by(w.supervisor)); return err }(), errs.Invalid, "capacity", "directory.capacity_negative")
	bad = s
	bad.Eligibility = "age >= 6\nplace in 9999"
	e := wantErr(t, func() error { _, err := db.SaveService(ctx, bad, by(w.supervisor)); return err }(), errs.Invalid, "eligibility", "directory.rule_place")
	if e.Line != 2 {
		t.Errorf("line %d", e.Line)
	}
	upd := s
	upd.WaitingDays = 21
	if s2, err := db.SaveService(ctx, upd, by(w.supervisor)); err != nil || s2.Version != 2 || s2.WaitingDays != 21 {
		t.Fatalf("update %+v %v", s2, err)
	}
	wantErr(t, func() error { _, err := db.SaveService(ctx, upd, by(w.supervisor)); return err }(), errs.Stale, "", "error.stale")

	// Six months and more without a confirmation: stale, until confirmed.
	w.clock.Advance(200 * 24 * time.Hour)
	stale, err := db.ListServices(ctx, store.ServiceFilter{StaleOnly: true})
	if err != nil || len(stale) != 1 || !stale[0].Stale {
		t.Fatalf("stale %+v %v", stale, err)
	}
	if c, err := db.ConfirmService(ctx, s.ID, 2, by(w.supervisor)); err != nil || c.Stale || c.Version != 3 {
		t.Fatalf("confirm %+v %v", c, err)
	}
	if byInd, _ := db.ListServices(ctx, store.ServiceFilter{Indicator: "edu03"}); len(byInd) != 1 {
		t.Errorf("by indicator %d", len(byInd))
	}
	if byInd, _ := db.ListServices(ctx, store.ServiceFilter{Indicator: "EDU0"}); len(byInd) != 0 {
		t.Errorf("part of a code matched %d", len(byInd))
	}
}

func TestMatchingServicesAndOutcomes(t *testing.T) {
	w := newNetworkWorld(t)
	db := w.db
	near := w.service(t, w.school.ID, "ใกล้ รอนาน", 30, "", "1011", "EDU02")
	quick := w.service(t, w.hc.ID, "ใกล้ รอสั้น", 3, "nationality in thai,stateless", "1011", "EDU02")
	young := w.service(t, w.hc.ID, "ปฐมวัย", 0, "age <= 5", "1011", "EDU02")
	w.service(t, w.hc.ID, "เขตอื่น", 0, "", "1001", "EDU02")
	w.service(t, w.hc.ID, "ไม่เกี่ยว", 0, "", "1011", "EDU07")
	m, err := db.MatchServicesFor(ctx, w.pupil.ID, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Concerns) == 0 || m.Concerns[0].Code != "EDU02" || m.Concerns[0].Level != flower.Red {
		t.Fatalf("concerns %+v", m.Concerns)
	}
	var names []string
	for _, x := range m.Matches {
		names = append(names, x.Service.NameTH+":"+string(x.Verdict))
	}
	want := []string{"ใกล้ รอสั้น:eligible", "ใกล้ รอนาน:eligible", "ปฐมวัย:ineligible"}
	if len(names) != len(want) || names[0] != want[0] || names[1] != want[1] || names[2] != want[2] {
		t.Fatalf("matches %v, want %v", names, want)
	}
	if n := auditCount(t, db, store.ActionServicesMatched, w.pupil.ID); n != 1 {
		t.Errorf("match audited %d", n)
	}

	// Referrals to the services: one completed after 10 days, one declined.
	send := func(s directory.Service) store.Referral {
		r, err := db.SendReferral(ctx, store.ReferralInput{PersonID: w.pupil.ID, FromOrg: w.dsw.ID, FromUser: w.worker.ID, ToOrg: s.OrganisationID,
			ServiceID: s.ID, Service: "school_reentry", Urgency: cases.High, Reason: "ไม่ได้เรียน",
			Basis: cases.LawfulBasis{Kind: cases.LegalDuty, Reference: "พ.ร.บ.คุ้มครองเด็ก ม.23"}}, by(w.worker))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// A service of another organisation than the receiver is refused.
	_, err = db.SendReferral(ctx, store.ReferralInput{PersonID: w.pupil.ID, FromOrg: w.dsw.ID, FromUser: w.worker.ID, ToOrg: w.school.ID,
		ServiceID: quick.ID, Service: "school_reentry", Urgency: cases.High, Reason: "x",
		Basis: cases.LawfulBasis{Kind: cases.LegalDuty, Reference: "ม.23"}}, by(w.worker))
	wantErr(t, err, errs.Invalid, "service_id", "directory.not_offered")
	r1 := send(near)
	r2 := send(near)
	r1, err = db.MoveReferral(ctx, r1.ID, r1.Version, cases.Accepted, "", by(w.teacher))
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(10 * 24 * time.Hour)
	if _, err = db.MoveReferral(ctx, r1.ID, r1.Version, cases.Completed, "กลับเข้าเรียนแล้ว", by(w.teacher)); err != nil {
		t.Fatal(err)
	}
	if _, err = db.MoveReferral(ctx, r2.ID, r2.Version, cases.Declined, "เต็ม", by(w.teacher)); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetService(ctx, near.ID)
	if err != nil {
		t.Fatal(err)
	}
	if o := got.Outcomes; o.Sent != 2 || o.Accepted != 1 || o.Declined != 1 || o.AcceptancePercent != 50 || o.DaysToComplete != 10 {
		t.Errorf("outcomes %+v", o)
	}
	_ = young
}

func TestHSDSImportExport(t *testing.T) {
	w := newNetworkWorld(t)
	db := w.db
	s := w.service(t, w.school.ID, "สอนเสริม", 14, "age >= 6\nnationality in thai,stateless", "1011", "EDU02")
	list, err := db.ListServices(ctx, store.ServiceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	page := directory.HSDSPage{TotalItems: 1, Contents: []directory.HSDSService{directory.ToHSDS(list[0])}}
	body, _ := json.Marshal(page)
	// Another installation's copy: a new ID, the same organisation.
	var other directory.HSDSPage
	_ = json.Unmarshal(body, &other)
	other.Contents[0].ID = ""
	other.Contents[0].Name = "สอนเสริม (นำเข้า)"
	// A second entry with a rule that cannot be evaluated: nothing is stored.
	broken := other.Contents[0]
	broken.Attributes = append([]directory.HSDSAttribute{}, broken.Attributes...)
	broken.Attributes = append(broken.Attributes, directory.HSDSAttribute{ID: "x", LinkType: "eligibility_rule", Value: "height > 100",
		TaxonomyTerm: directory.HSDSTaxonomyTerm{ID: "x", Name: "rule", Vocabulary: directory.Vocabulary}})
	all := func(string) bool { return true }
	_, err = db.ImportServices(ctx, jsonImports(t, other.Contents[0], broken), all, by(w.supervisor))
	wantErr(t, err, errs.Invalid, "contents[1].eligibility", "directory.rule_field")
	if n, _ := db.ListServices(ctx, store.ServiceFilter{}); len(n) != 1 {
		t.Fatalf("half an import stored: %d services", len(n))
	}
	// Not the importer's organisation: refused.
	_, err = db.ImportServices(ctx, jsonImports(t, other.Contents...), func(string) bool { return false }, by(w.supervisor))
	wantErr(t, err, errs.Invalid, "contents[0].organisation_id", "directory.not_yours")
	n, err := db.ImportServices(ctx, jsonImports(t, other.Contents...), all, by(w.supervisor))
	if err != nil || n.Created != 1 {
		t.Fatalf("import %+v %v", n, err)
	}
	// Our own export, imported again, changes nothing; corrected, it
	// updates the entry in place.
	if n, err := db.ImportServices(ctx, jsonImports(t, page.Contents...), all, by(w.supervisor)); err != nil || n.Unchanged != 1 || n.Updated != 0 {
		t.Fatalf("same file again %+v %v", n, err)
	}
	page.Contents[0].AlternateName = "Tutoring"
	if n, err := db.ImportServices(ctx, jsonImports(t, page.Contents...), all, by(w.supervisor)); err != nil || n.Updated != 1 {
		t.Fatalf("corrected %+v %v", n, err)
	}
	got, _ := db.GetService(ctx, s.ID)
	if got.NameEN != "Tutoring" || got.Version != 2 || got.Eligibility != s.Eligibility {
		t.Errorf("re-imported %+v", got)
	}
	if all, _ := db.ListServices(ctx, store.ServiceFilter{}); len(all) != 2 {
		t.Errorf("%d services", len(all))
	}
}

// jsonImports reads HSDS JSON services as an upload would.
func jsonImports(t *testing.T, list ...directory.HSDSService) []directory.Imported {
	t.Helper()
	body, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	out, err := directory.ReadHSDS(body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The tabular package: a directory exported and imported into another
// database that has the same organisations and places but no services
// gives the same directory; the same file twice changes nothing; a
// corrected row updates its entry in place; a package with bad rows
// stores nothing and names every bad row by file, line and column.
func TestHSDSTabularImportExport(t *testing.T) {
	w := newNetworkWorld(t)
	db := w.db
	w.service(t, w.school.ID, "สอนเสริม", 14, "age >= 6\nnationality in thai,stateless", "1011", "EDU02")
	grant, err := db.SaveService(ctx, directory.Service{OrganisationID: w.dsw.ID, NameTH: "ทุนเรียนดี", NameEN: "Grant", DescriptionTH: "ช่วยค่าเดินทาง",
		DescriptionEN: "Travel costs", Dimension: people.Economy, ReferralKind: "other", Eligibility: "income <= 3000\n# ตามระเบียบ\nplace in 1011",
		HowToRefer: "ยื่นที่เขต", Capacity: 0, WaitingDays: 45, OpeningHours: "จ.–ศ.", ContactPhone: "02-111-2222", ContactEmail: "grant@example.org",
		AreaPlaceID: mustPlaceByCode(t, db, "10").ID, FeeNote: "ค่าธรรมเนียม 20 บาท", Active: false}, by(w.supervisor))
	if err != nil {
		t.Fatal(err)
	}
	before, err := db.ListServices(ctx, store.ServiceFilter{})
	if err != nil || len(before) != 2 {
		t.Fatalf("directory %d %v", len(before), err)
	}
	var pkg bytes.Buffer
	if err := directory.WriteTabular(&pkg, before); err != nil {
		t.Fatal(err)
	}

	// Another database: the same organisations (by code) and places, new IDs.
	w2 := newNetworkWorld(t)
	if w2.school.ID == w.school.ID {
		t.Fatal("the second database shares organisation IDs; the test would prove nothing")
	}
	all := func(string) bool { return true }
	list, err := directory.ReadTabular(pkg.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	res, err := w2.db.ImportServices(ctx, list, all, by(w2.supervisor))
	if err != nil || res != (store.ImportResult{Created: 2}) {
		t.Fatalf("import %+v %v", res, err)
	}
	after, err := w2.db.ListServices(ctx, store.ServiceFilter{})
	if err != nil || len(after) != len(before) {
		t.Fatalf("imported directory %d %v", len(after), err)
	}
	for i := range before {
		a, b := before[i], after[i]
		if a.ID != b.ID || a.OrgCode != b.OrgCode || a.NameTH != b.NameTH || a.NameEN != b.NameEN || a.DescriptionTH != b.DescriptionTH ||
			a.DescriptionEN != b.DescriptionEN || a.Dimension != b.Dimension || !slices.Equal(a.Indicators, b.Indicators) || a.ReferralKind != b.ReferralKind ||
			directory.CanonicalRules(a.Eligibility) != directory.CanonicalRules(b.Eligibility) || a.HowToRefer != b.HowToRefer || a.Capacity != b.Capacity ||
			a.WaitingDays != b.WaitingDays || a.OpeningHours != b.OpeningHours || a.ContactPhone != b.ContactPhone || a.ContactEmail != b.ContactEmail ||
			a.AreaCode != b.AreaCode || a.Free != b.Free || a.FeeNote != b.FeeNote || a.Active != b.Active ||
			a.ConfirmedAt.UTC().Format(time.DateOnly) != b.ConfirmedAt.UTC().Format(time.DateOnly) || a.Stale != b.Stale {
			t.Errorf("service %d differs after the round trip\n was %+v\n now %+v", i, a, b)
		}
	}
	if a := auditCount(t, w2.db, store.ActionServicesImported, ""); a != 1 {
		t.Errorf("%d import audit rows", a)
	}

	// The same file again changes nothing: no new version.
	if res, err := w2.db.ImportServices(ctx, list, all, by(w2.supervisor)); err != nil || res != (store.ImportResult{Unchanged: 2}) {
		t.Fatalf("same file twice %+v %v", res, err)
	}
	if g, _ := w2.db.GetService(ctx, grant.ID); g.Version != 1 {
		t.Errorf("an unchanged import made version %d", g.Version)
	}

	// A corrected row: the waiting time of the grant, in attribute.csv.
	files := storetest.Unzip(t, pkg.Bytes())
	files["attribute.csv"] = strings.Replace(files["attribute.csv"], "waiting_days,service,termtem:waiting_days:days,45", "waiting_days,service,termtem:waiting_days:days,60", 1)
	list, err = directory.ReadTabular(storetest.Zip(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := w2.db.ImportServices(ctx, list, all, by(w2.supervisor)); err != nil || res != (store.ImportResult{Updated: 1, Unchanged: 1}) {
		t.Fatalf("corrected %+v %v", res, err)
	}
	if g, _ := w2.db.GetService(ctx, grant.ID); g.WaitingDays != 60 || g.Version != 2 {
		t.Errorf("corrected in place: %d days, version %d", g.WaitingDays, g.Version)
	}

	// Bad rows found only against the database (the grant's negative
	// capacity, the class's area that is no place): both named, nothing
	// stored.
	files["service_capacity.csv"] = strings.Replace(files["service_capacity.csv"], ",0,0,", ",-3,-3,", 1)
	files["service_area.csv"] = strings.Replace(files["service_area.csv"], "1011,text", "8888,text", 1)
	list, err = directory.ReadTabular(storetest.Zip(t, files))
	if err != nil {
		t.Fatal(err)
	}
	_, err = w2.db.ImportServices(ctx, list, all, by(w2.supervisor))
	var got []string
	for _, p := range flower.Problems(err) {
		got = append(got, p.File+":"+p.Field+":"+p.MessageID)
		if p.Line < 2 {
			t.Errorf("no line for %+v", p)
		}
	}
	if len(got) != 2 || !slices.Contains(got, "service_capacity.csv:maximum:directory.capacity_negative") ||
		!slices.Contains(got, "service_area.csv:extent:directory.area_unknown") {
		t.Errorf("problems %q", got)
	}
	if g, _ := w2.db.GetService(ctx, grant.ID); g.WaitingDays != 60 {
		t.Errorf("half a refused import stored: %d days", g.WaitingDays)
	}
	// Another organisation's entries are not the importer's to change.
	_, err = w2.db.ImportServices(ctx, list[:1], func(string) bool { return false }, by(w2.supervisor))
	if e := errs.As(err); e.MessageID != "directory.not_yours" || e.File != "service.csv" || e.Field != "organization_id" {
		t.Errorf("not yours: %v", err)
	}
}
