package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
)

// privacyWorld is a Lat Krabang child with a home visit (kept by law), an
// aunt with nothing kept (erasable), and a Nong Chok child a nurse opens
// by breaking the glass, on a demo server.
type privacyWorld struct {
	ts                *testServer
	child, aunt, near people.Person
}

func newPrivacyWorld(t *testing.T, ts *testServer) privacyWorld {
	t.Helper()
	ctx := context.Background()
	db := ts.openDB(t)
	person := func(district, code, given, family, birth string, rel people.Relationship) people.Person {
		return personIn(t, db, district, code, given, family, birth, rel)
	}
	w := privacyWorld{ts: ts,
		child: person("1011", "PV1", "ใบบัว", "สิทธิทดสอบ", "2020-01-01", people.RelChild),
		aunt:  person("1011", "PV2", "สายสมร", "ลบได้ทดสอบ", "1985-01-01", people.RelOther),
		near:  person("1003", "PV3", "น้ำค้าง", "ข้ามเขตทดสอบ", "2021-01-01", people.RelChild)}
	dsw, err := db.GetOrganisationByCode(ctx, "LKB-DSW")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddRecord(ctx, people.Record{PersonID: w.child.ID, Kind: people.HomeVisit, OccurredOn: "2025-02-02", OrganisationID: dsw.ID,
		Data: people.RecordData{Note: "เยี่ยมบ้าน แม่ทำงานกะดึก"}}, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	return w
}

// A social worker serves a mother's requests: a correction shown on the
// child's page until resolved, a copy of everything, an erasure refused
// while records must be kept and done for an aunt entered by mistake, and
// a restriction that takes the record out of the worker's own sight. The
// data-protection officer then sees the glass broken on another child,
// who opened that record, and the audit chain verified.
func TestBrowserDataSubjectRightsAndDPO(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	w := newPrivacyWorld(t, ts)
	b := newBrowser(t, ts)

	// A nurse breaks the glass on the Nong Chok child.
	if status := b.login("demo.nurse", demoPassword(t, ts, "demo.nurse")); status != http.StatusOK {
		b.fatalf("nurse login: %d", status)
	}
	b.open("/people/" + w.near.ID)
	b.fill("#reason", "เด็กมารับบริการฉุกเฉิน ต้องดูประวัติการแพ้ยา")
	if status := b.clickAndWait("#glass-submit"); status != http.StatusOK {
		b.fatalf("break the glass: %d", status)
	}
	b.clickAndWait("#logout")

	if status := b.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		b.fatalf("social worker login: %d", status)
	}
	b.open("/people/" + w.child.ID)
	if b.has("#open-rectifications") {
		b.fatalf("an open request before any was made")
	}
	b.clickAndWait("#rights-link")
	if b.path() != "/people/"+w.child.ID+"/rights" {
		b.fatalf("rights page at %s", b.path())
	}
	b.fill("#what", "ชื่อเล่นผิด ที่ถูกคือ บัวบาน")
	b.fill("#asked_by", "มารดา")
	if status := b.clickAndWait("#rectify-submit"); status != http.StatusOK || !strings.Contains(b.text("#rectifications"), "บัวบาน") {
		b.fatalf("request: %d", status)
	}
	b.open("/people/" + w.child.ID)
	if !strings.Contains(b.text("#open-rectifications"), "บัวบาน") {
		b.fatalf("the open request is not on the person page")
	}
	b.open("/people/" + w.child.ID + "/rights")
	b.fill("#rectifications textarea", "แก้ชื่อเล่นตามที่มารดาแจ้งแล้ว")
	if status := b.clickAndWait(".resolve-rectification"); status != http.StatusOK || !strings.Contains(b.text("#rectifications"), "แก้ชื่อเล่นตามที่มารดาแจ้งแล้ว") {
		b.fatalf("resolve: %d", status)
	}
	b.open("/people/" + w.child.ID)
	if b.has("#open-rectifications") {
		b.fatalf("a resolved request still shows as open")
	}
	// The copy: everything, as a readable page.
	b.open("/people/" + w.child.ID + "/rights")
	if status := b.clickAndWait("#export-page"); status != http.StatusOK || !strings.Contains(b.text("#export"), "แม่ทำงานกะดึก") ||
		!strings.Contains(b.text("#export"), "ใบบัว") {
		b.fatalf("export page: %d %q", status, b.text("#export"))
	}
	// The home visit must be kept: no erasure, and the page says why.
	b.open("/people/" + w.child.ID + "/rights")
	if b.has("#erase-form") || !b.has(`#holds [data-hold="service_records"]`) {
		b.fatalf("erasure offered for a child with records")
	}
	// The aunt has nothing kept: erasure after confirmation.
	b.open("/people/" + w.aunt.ID + "/rights")
	if status := b.clickAndWait("#erase-submit"); status != http.StatusUnprocessableEntity || !b.has("#confirm-error") {
		b.fatalf("erasure without confirmation: %d", status)
	}
	b.check("#confirm")
	if status := b.clickAndWait("#erase-submit"); status != http.StatusOK || b.path() != "/people" {
		b.fatalf("erasure: %d at %s", status, b.path())
	}
	if status := b.open("/people/" + w.aunt.ID); status != http.StatusNotFound {
		b.fatalf("the erased aunt: %d", status)
	}
	// Restriction: the worker is not on the child's care team, so the
	// record leaves their sight at once.
	b.open("/people/" + w.child.ID + "/rights")
	b.fill("#restriction-reason", "มารดาคัดค้านการเปิดเผยข้อมูลนอกทีมดูแล")
	if status := b.clickAndWait("#restrict-submit"); status != http.StatusOK || b.path() != "/people" {
		b.fatalf("restriction: %d at %s", status, b.path())
	}
	if status := b.open("/people/" + w.child.ID); status != http.StatusNotFound {
		b.fatalf("a restricted record outside the care team: %d", status)
	}
	b.clickAndWait("#logout")

	// The data-protection officer.
	if status := b.login("demo.dpo", demoPassword(t, ts, "demo.dpo")); status != http.StatusOK {
		b.fatalf("dpo login: %d", status)
	}
	b.clickAndWait("#nav-privacy")
	b.clickAndWait("#privacy-glass-link")
	grants := b.text("#glass-grants")
	if !strings.Contains(grants, "น้ำค้าง") || !strings.Contains(grants, "การแพ้ยา") {
		b.fatalf("glass grants %q", grants)
	}
	b.clickAndWait("#glass-grants .glass-person")
	if b.path() != "/privacy/people/"+w.near.ID+"/access" || !strings.Contains(b.text("#access-subject"), "น้ำค้าง") {
		b.fatalf("access log at %s", b.path())
	}
	log := b.text("#access-log")
	if !strings.Contains(log, "เปิดดูข้อมูลนอกพื้นที่") || !strings.Contains(log, "เปิดดูข้อมูลบุคคล") || !strings.Contains(log, "ถูกปฏิเสธ") {
		b.fatalf("access log %q", log)
	}
	b.open("/privacy/people/" + w.aunt.ID + "/access")
	if !strings.Contains(b.text("#access-subject"), "ลบแล้ว") || !strings.Contains(b.text("#access-log"), "ลบข้อมูล") {
		b.fatalf("the erased aunt's log %q", b.text("#access-log"))
	}
	b.open("/privacy/people/" + w.child.ID + "/access")
	if !strings.Contains(b.text("#access-log"), "จำกัดการเข้าถึง") || !strings.Contains(b.text("#access-log"), "ส่งออกข้อมูลทั้งหมด") {
		b.fatalf("the child's log %q", b.text("#access-log"))
	}
	b.open("/privacy")
	b.clickAndWait("#privacy-chain-link")
	if !b.has("#chain-report") || !b.has("#chain-head") {
		b.fatalf("chain page")
	}
}

// personIn makes a person in a new community of the first sub-district
// of the district with code.
func personIn(t *testing.T, db *store.DB, district, code, given, family, birth string, rel people.Relationship) people.Person {
	t.Helper()
	ctx := context.Background()
	d, err := db.GetPlaceByCode(ctx, district)
	if err != nil {
		t.Fatal(err)
	}
	subs, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: d.ID})
	if err != nil || len(subs) == 0 {
		t.Fatalf("sub-districts: %v", err)
	}
	c, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: subs[0].Code + "-" + code, NameTH: "ชุมชน" + code, ParentID: subs[0].ID}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := db.SaveHousehold(ctx, people.Household{CommunityID: c.ID}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.CreatePerson(ctx, people.Person{GivenName: given, FamilyName: family, BirthDate: birth, HouseholdID: h.ID, Relation: rel}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// breakGlass opens a person's record outside username's area, through the
// store as the HTTP layer would (the browser test does it through the page).
func (w privacyWorld) breakGlass(t *testing.T, username, personID string) {
	t.Helper()
	ctx := context.Background()
	db := w.ts.openDB(t)
	u, err := db.GetUserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	perms, err := db.Permissions(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	rctx := access.ForRequest(ctx, &account.Principal{User: u, Permissions: perms})
	if _, err := db.BreakGlass(rctx, personID, "เด็กมารับบริการฉุกเฉิน ต้องดูประวัติการแพ้ยา", audit.Event{ActorID: u.ID}); err != nil {
		t.Fatal(err)
	}
}
