package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"termtem/internal/cases"
	"termtem/internal/directory"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
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
	_, err = db.ImportServices(ctx, []directory.HSDSService{other.Contents[0], broken}, all, by(w.supervisor))
	wantErr(t, err, errs.Invalid, "contents[1].eligibility", "directory.rule_field")
	if n, _ := db.ListServices(ctx, store.ServiceFilter{}); len(n) != 1 {
		t.Fatalf("half an import stored: %d services", len(n))
	}
	// Not the importer's organisation: refused.
	_, err = db.ImportServices(ctx, other.Contents, func(string) bool { return false }, by(w.supervisor))
	wantErr(t, err, errs.Invalid, "contents[0].organization_id", "directory.not_yours")
	n, err := db.ImportServices(ctx, other.Contents, all, by(w.supervisor))
	if err != nil || n != 1 {
		t.Fatalf("import %d %v", n, err)
	}
	// Re-importing our own export updates the entry in place.
	page.Contents[0].AlternateName = "Tutoring"
	if _, err := db.ImportServices(ctx, page.Contents, all, by(w.supervisor)); err != nil {
		t.Fatal(err)
	}
	got, _ := db.GetService(ctx, s.ID)
	if got.NameEN != "Tutoring" || got.Version != 2 || got.Eligibility != s.Eligibility {
		t.Errorf("re-imported %+v", got)
	}
	if all, _ := db.ListServices(ctx, store.ServiceFilter{}); len(all) != 2 {
		t.Errorf("%d services", len(all))
	}
}
