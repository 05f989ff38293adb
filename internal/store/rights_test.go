package store_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"termtem/internal/audit"
	"termtem/internal/consent"
	"termtem/internal/errs"
	"termtem/internal/people"
	"termtem/internal/store"
)

// nationalID makes a valid 13-digit national ID from a 12-digit stem.
func nationalID(stem string) string {
	sum := 0
	for i := range 12 {
		sum += int(stem[i]-'0') * (13 - i)
	}
	return stem + strconv.Itoa((11-sum%11)%10)
}

func TestRectificationRequests(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	worker := as(t, db, w.worker)
	_, err := db.RequestRectification(worker, w.child.ID, " ", "มารดา", by(w.worker))
	wantErr(t, err, errs.Invalid, "what", "field.required")
	r, err := db.RequestRectification(worker, w.child.ID, "วันเกิดผิด ที่ถูกคือ 2 มิ.ย. 2567", "มารดา", by(w.worker))
	if err != nil || r.What == "" || r.RecordedBy != "User worker" || r.ResolvedAt != nil {
		t.Fatalf("request %+v %v", r, err)
	}
	// A committee member sees no one: the request does not exist for them.
	if _, err := db.ResolveRectification(as(t, db, w.secret), r.ID, "แก้แล้ว", by(w.secret)); err == nil {
		t.Fatal("resolved by someone without people:write")
	}
	if open, err := db.Rectifications(worker, w.child.ID, true, by(w.worker)); err != nil || len(open) != 1 {
		t.Fatalf("open requests %+v %v", open, err)
	}
	_, err = db.ResolveRectification(worker, r.ID, "", by(w.worker))
	wantErr(t, err, errs.Invalid, "resolution", "field.required")
	done, err := db.ResolveRectification(worker, r.ID, "แก้วันเกิดตามสูติบัตรแล้ว", by(w.worker))
	if err != nil || done.ResolvedAt == nil || done.Resolution == "" || done.ResolvedBy != "User worker" {
		t.Fatalf("resolved %+v %v", done, err)
	}
	_, err = db.ResolveRectification(worker, r.ID, "อีกครั้ง", by(w.worker))
	wantErr(t, err, errs.Conflict, "", "rights.already_resolved")
	if open, _ := db.Rectifications(worker, w.child.ID, true, by(w.worker)); len(open) != 0 {
		t.Fatalf("still open: %+v", open)
	}
	if all, _ := db.Rectifications(worker, w.child.ID, false, by(w.worker)); len(all) != 1 {
		t.Fatalf("all requests: %+v", all)
	}
	if n := auditCount(t, db, store.ActionRectificationResolved, w.child.ID); n != 1 {
		t.Fatalf("resolution audited %d times", n)
	}
}

func TestExportHasEverythingForRightsStaffOnly(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	const secret = "บันทึกลับ HIV ทดสอบการส่งออก"
	if _, err := db.AddRecord(ctx, people.Record{PersonID: w.child.ID, Kind: people.Condition, OccurredOn: "2025-01-02", OrganisationID: w.hc.ID,
		Sensitivity: people.SensitiveHealth, Data: people.RecordData{Condition: "hiv", Note: secret}}, by(w.nurse)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetPerson(as(t, db, w.nurse), w.child.ID, by(w.nurse)); err != nil {
		t.Fatal(err)
	}
	// A nurse may write but does not hold the safety category.
	_, err := db.ExportPerson(as(t, db, w.nurse), w.child.ID, by(w.nurse))
	wantErr(t, err, errs.Forbidden, "", "")
	x, err := db.ExportPerson(as(t, db, w.worker), w.child.ID, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Data["people"]) != 1 || x.Person.GivenName != w.child.GivenName || len(x.Records) != 1 || x.Records[0].Data.Note != secret {
		t.Fatalf("export %+v", x)
	}
	if len(x.AccessSummary) == 0 || x.AccessSummary[0].Organisation == "" {
		t.Fatalf("access summary %+v", x.AccessSummary)
	}
	b, err := json.Marshal(x)
	if err != nil || !strings.Contains(string(b), secret) || !strings.Contains(string(b), `"household_members"`) {
		t.Fatalf("json %s %v", b, err)
	}
	if n := auditCount(t, db, store.ActionPersonExported, w.child.ID); n != 1 {
		t.Fatalf("export audited %d times", n)
	}
	sum, err := db.AccessSummary(as(t, db, w.worker), w.child.ID, by(w.worker))
	if err != nil || len(sum) == 0 {
		t.Fatalf("summary %+v %v", sum, err)
	}
	for _, s := range sum {
		if strings.Contains(s.Organisation, "User ") {
			t.Fatalf("a staff name in the family's summary: %+v", s)
		}
	}
}

func TestRestrictionHonoured(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	nurse := as(t, db, w.nurse)
	err := db.SetRestricted(nurse, w.child.ID, personVersion(t, db, w.child.ID), true, "", by(w.nurse))
	wantErr(t, err, errs.Invalid, "reason", "field.required")
	read := personVersion(t, db, w.child.ID)
	if err := db.SetRestricted(nurse, w.child.ID, read, true, "มารดาคัดค้านการเปิดเผยนอกทีมดูแล", by(w.nurse)); err != nil {
		t.Fatal(err)
	}
	// The same form sent again: the wish holds; nothing changes, and the
	// answer says so (not "changed by someone else").
	err = db.SetRestricted(ctx, w.child.ID, read, true, "มารดาคัดค้านการเปิดเผยนอกทีมดูแล", by(w.nurse))
	wantErr(t, err, errs.Conflict, "", store.AlreadyRestricted)
	// A form to lift it read before the restriction: stale, nothing lifted.
	err = db.SetRestricted(ctx, w.child.ID, read, false, "ถอน", by(w.worker))
	wantErr(t, err, errs.Stale, "", "error.stale")
	// Only the care team sees the child now; the nurse is not on it.
	if ok, err := db.PersonVisible(nurse, w.child.ID); err != nil || ok {
		t.Fatalf("visible after restriction: %v %v", ok, err)
	}
	_, err = db.GetPerson(nurse, w.child.ID, by(w.nurse))
	wantErr(t, err, errs.NotFound, "", "")
	r, err := db.PersonRestriction(ctx, w.child.ID, by(w.nurse))
	if err != nil || !r.Restricted || r.Reason == "" {
		t.Fatalf("restriction %+v %v", r, err)
	}
	if err := db.SetRestricted(ctx, w.child.ID, personVersion(t, db, w.child.ID), false, "มารดาถอนคำคัดค้าน", by(w.worker)); err != nil {
		t.Fatal(err)
	}
	err = db.SetRestricted(ctx, w.child.ID, personVersion(t, db, w.child.ID)-1, false, "มารดาถอนคำคัดค้าน", by(w.worker))
	wantErr(t, err, errs.Conflict, "", store.AlreadyLifted)
	if ok, _ := db.PersonVisible(nurse, w.child.ID); !ok {
		t.Fatal("not visible after the restriction was lifted")
	}
	if r, _ := db.PersonRestriction(ctx, w.child.ID, by(w.nurse)); r.Restricted || r.Reason != "" {
		t.Fatalf("after lifting %+v", r)
	}
	if auditCount(t, db, store.ActionRestrictionSet, w.child.ID) != 1 || auditCount(t, db, store.ActionRestrictionCleared, w.child.ID) != 1 {
		t.Fatal("restriction not audited")
	}
}

func TestErasureOnlyWithoutLegalDuty(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	worker := as(t, db, w.worker)
	if _, err := db.AddRecord(ctx, people.Record{PersonID: w.child.ID, Kind: people.HomeVisit, OccurredOn: "2026-01-02", OrganisationID: w.dsw.ID,
		Data: people.RecordData{Note: "เยี่ยมบ้าน"}}, by(w.worker)); err != nil {
		t.Fatal(err)
	}
	err := db.ErasePerson(worker, w.child.ID, by(w.worker))
	wantErr(t, err, errs.Conflict, "", "rights.erasure_refused")
	holds, err := db.ErasureHolds(worker, w.child.ID, by(w.worker))
	if err != nil || len(holds) != 1 || holds[0].Kind != "service_records" || holds[0].Count != 1 {
		t.Fatalf("holds %+v %v", holds, err)
	}
	// An aunt entered by mistake, with an ID and a consent she gave.
	nid := nationalID("310040012345")
	aunt, err := db.CreatePerson(ctx, people.Person{GivenName: "สมศรี", FamilyName: "ลบได้", BirthDate: "1990-01-01", NationalID: nid,
		HouseholdID: w.household.ID, Relation: people.RelOther}, actor())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordConsent(worker, consent.Grant{PersonID: aunt.ID, Basis: consent.Consent, Purposes: []consent.Purpose{consent.ForReferral},
		GivenBy: consent.GivenBySelf, GiverName: "สมศรี ลบได้", GivenOn: "2026-02-01"}, w.dsw.ID, by(w.worker)); err != nil {
		t.Fatal(err)
	}
	if holds, _ := db.ErasureHolds(worker, aunt.ID, by(w.worker)); len(holds) != 0 {
		t.Fatalf("holds on the aunt %+v", holds)
	}
	// Without people:write, no erasure.
	err = db.ErasePerson(as(t, db, w.secret), aunt.ID, by(w.secret))
	wantErr(t, err, errs.Forbidden, "", "")
	if err := db.ErasePerson(worker, aunt.ID, by(w.worker)); err != nil {
		t.Fatal(err)
	}
	_, err = db.GetPerson(ctx, aunt.ID, actor())
	wantErr(t, err, errs.NotFound, "", "")
	_, err = db.LookupIdentifier(ctx, people.NationalID, nid, actor())
	wantErr(t, err, errs.NotFound, "", "")
	evs, err := db.RecentAudit(ctx, store.ActionPersonErased, 10)
	if err != nil || len(evs) != 1 || evs[0].ObjectID != aunt.ID || evs[0].Detail != "" {
		t.Fatalf("erasure audit %+v %v", evs, err)
	}
}

func TestRetention(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db // the clock says 2026-03-01
	rules, err := db.RetentionRules(ctx)
	if err != nil || len(rules) != len(people.RecordKinds) {
		t.Fatalf("rules %+v %v", rules, err)
	}
	for _, r := range rules {
		if r.Kind == string(people.HomeVisit) && (r.Years != 10 || r.Anchor != store.AnchorAdulthood || !r.Proposed) {
			t.Fatalf("home visits %+v", r)
		}
	}
	adult, err := db.CreatePerson(ctx, people.Person{GivenName: "ผู้ใหญ่", FamilyName: "เก็บนาน", BirthDate: "1990-05-05",
		HouseholdID: w.household.ID, Relation: people.RelOther}, actor())
	if err != nil {
		t.Fatal(err)
	}
	add := func(p people.Person, kind people.RecordKind, on string, d people.RecordData) {
		t.Helper()
		if _, err := db.AddRecord(ctx, people.Record{PersonID: p.ID, Kind: kind, OccurredOn: on, OrganisationID: w.dsw.ID, Data: d}, by(w.worker)); err != nil {
			t.Fatal(err)
		}
	}
	pct := 90
	// Home visits: 10 years after the end of the year of the 18th
	// birthday. Born 1990: 18 in 2008, kept to the end of 2018; born 2024:
	// kept.
	add(adult, people.HomeVisit, "2005-01-01", people.RecordData{Note: "เยี่ยม"})
	add(w.child, people.HomeVisit, "2025-01-01", people.RecordData{Note: "เยี่ยม"})
	// Attendance: 3 years from the record.
	add(adult, people.Attendance, "2022-01-01", people.RecordData{AttendancePct: &pct})
	add(w.child, people.Attendance, "2025-06-01", people.RecordData{AttendancePct: &pct})
	counts := func(dry bool) map[string]int {
		t.Helper()
		cs, err := db.RunRetention(ctx, dry)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int{}
		for _, c := range cs {
			if c.Count > 0 {
				m[c.Kind] = c.Count
			}
		}
		return m
	}
	want := map[string]int{"home_visit": 1, "attendance": 1}
	if got := counts(true); len(got) != 2 || got["home_visit"] != 1 || got["attendance"] != 1 {
		t.Fatalf("dry run %v, want %v", got, want)
	}
	if got := counts(true); len(got) != 2 {
		t.Fatalf("a dry run deleted: %v", got)
	}
	if got := counts(false); len(got) != 2 {
		t.Fatalf("run %v, want %v", got, want)
	}
	if got := counts(true); len(got) != 0 {
		t.Fatalf("left after the run: %v", got)
	}
	recs, err := db.Timeline(ctx, w.child.ID, store.TimelineFilter{}, actor())
	if err != nil || len(recs) != 2 {
		t.Fatalf("child's records kept %d %v", len(recs), err)
	}
	if n := auditCount(t, db, store.ActionRetentionDeleted, ""); n != 2 {
		t.Fatalf("retention audited %d times", n)
	}
}

// personVersion is a person's version now, as a form would carry it.
func personVersion(t *testing.T, db *store.DB, id string) int {
	t.Helper()
	p, err := db.GetPerson(ctx, id, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Version
}
