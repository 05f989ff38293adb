package store_test

import (
	"context"
	"testing"
	"time"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
)

// childIn makes a child in a new community of the district with code.
func childIn(t *testing.T, db *store.DB, district, code, name string) people.Person {
	t.Helper()
	d := mustPlaceByCode(t, db, district)
	subs, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: d.ID})
	if err != nil || len(subs) == 0 {
		t.Fatalf("sub-districts of %s: %v", district, err)
	}
	c, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: subs[0].Code + "-" + code, NameTH: "ชุมชน " + code, ParentID: subs[0].ID}, actor())
	if err != nil {
		t.Fatal(err)
	}
	h, err := db.SaveHousehold(ctx, people.Household{CommunityID: c.ID}, actor())
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.CreatePerson(ctx, people.Person{GivenName: name, FamilyName: "ขอบเขต", BirthDate: "2020-02-02", HouseholdID: h.ID, Relation: people.RelChild}, actor())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// as is a request made by a user, as the HTTP layer marks it.
func as(t *testing.T, db *store.DB, u account.User) context.Context {
	t.Helper()
	full, err := db.GetUserByUsername(ctx, u.Username)
	if err != nil {
		t.Fatal(err)
	}
	perms := map[account.Permission]bool{}
	for _, m := range full.Memberships {
		r, _ := account.BuiltinRole(m.RoleCode)
		for _, p := range r.Permissions {
			perms[p] = true
		}
	}
	return access.ForRequest(ctx, &account.Principal{User: full, Permissions: perms})
}

func TestScopedAccess(t *testing.T) {
	w := newCaseWorld(t)
	db := w.db
	home := childIn(t, db, "1011", "S1", "ใกล้บ้าน")      // Lat Krabang: the worker's district
	zone := childIn(t, db, "1003", "S2", "ในเขตตะวันออก") // Nong Chok: same zone group
	far := childIn(t, db, "1001", "S3", "ไกลบ้าน")        // Phra Nakhon: another zone
	worker := as(t, db, w.worker)

	if _, err := db.GetPerson(worker, home.ID, by(w.worker)); err != nil {
		t.Fatalf("in area: %v", err)
	}
	_, err := db.GetPerson(worker, zone.ID, by(w.worker))
	wantErr(t, err, errs.Forbidden, "", "access.restricted")
	_, err = db.GetPerson(worker, far.ID, by(w.worker))
	wantErr(t, err, errs.NotFound, "", "person.not_found")
	if _, err := db.Timeline(worker, far.ID, store.TimelineFilter{}, by(w.worker)); !errs.Is(err, errs.NotFound) {
		t.Fatalf("far timeline: %v", err)
	}
	if _, err := db.GetHousehold(worker, far.HouseholdID, by(w.worker)); !errs.Is(err, errs.NotFound) {
		t.Fatalf("far household: %v", err)
	}
	if n := auditCount(t, db, audit.AccessDenied, far.ID); n < 2 {
		t.Fatalf("%d denials audited", n)
	}
	// The platform's own work is not limited.
	if _, err := db.GetPerson(ctx, far.ID, actor()); err != nil {
		t.Fatalf("unmarked: %v", err)
	}

	// Search: the zone's child is found as restricted, the far one not at all.
	hits, total, err := db.SearchPeople(worker, store.PersonQuery{Text: "ขอบเขต"}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, h := range hits {
		found[h.Person.ID] = h.Restricted
		if h.Restricted && (h.Person.HouseholdID != "" || h.Person.Phone != "") {
			t.Fatalf("a restricted hit carries %+v", h.Person)
		}
	}
	if total != 2 || found[home.ID] || !found[zone.ID] {
		t.Fatalf("search: total %d, restricted %v", total, found)
	}
	if _, seen := found[far.ID]; seen {
		t.Fatal("search found a child outside the search area")
	}

	// Breaking the glass: a reason, within the search area, three hours.
	_, err = db.BreakGlass(worker, zone.ID, "ดู", by(w.worker))
	wantErr(t, err, errs.Invalid, "reason", "access.glass_reason")
	_, err = db.BreakGlass(worker, far.ID, "เด็กถูกนำส่งโรงพยาบาลกลางดึก", by(w.worker))
	wantErr(t, err, errs.Forbidden, "", "access.glass_out_of_area")
	until, err := db.BreakGlass(worker, zone.ID, "เด็กถูกนำส่งโรงพยาบาลกลางดึก", by(w.worker))
	if err != nil || !until.Equal(w.clock.Now().Add(3*time.Hour)) {
		t.Fatalf("glass: %v %v", until, err)
	}
	if _, err := db.GetPerson(as(t, db, w.worker), zone.ID, by(w.worker)); err != nil {
		t.Fatalf("with the glass broken: %v", err)
	}
	if n := auditCount(t, db, store.ActionGlassBroken, zone.ID); n != 1 {
		t.Fatalf("%d glass audits", n)
	}
	w.clock.Advance(3*time.Hour + time.Minute)
	if _, err := db.GetPerson(as(t, db, w.worker), zone.ID, by(w.worker)); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("after three hours: %v", err)
	}

	// A referral to the worker's unit opens a far child while it is open.
	nurse := as(t, db, w.nurse)
	if _, err := db.GetPerson(nurse, far.ID, by(w.nurse)); !errs.Is(err, errs.NotFound) {
		t.Fatalf("nurse before the referral: %v", err)
	}
	farOrg := newOrg(t, db, "HC-FAR")
	sender := newUser(t, db, "farworker", account.Membership{OrganisationID: farOrg.ID, RoleCode: account.RoleCaseManager})
	if _, err := db.SendReferral(ctx, store.ReferralInput{PersonID: far.ID, FromOrg: farOrg.ID, FromUser: sender.ID, ToOrg: w.hc.ID,
		Service: "health_check", Urgency: cases.Routine, Reason: "ตรวจสุขภาพ",
		Basis: cases.LawfulBasis{Kind: cases.LegalDuty, Reference: "พ.ร.บ.คุ้มครองเด็ก ม.41"}}, by(sender)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetPerson(as(t, db, w.nurse), far.ID, by(w.nurse)); err != nil {
		t.Fatalf("nurse with the referral: %v", err)
	}

	// Committee members see aggregates only; nobody outside the area writes.
	member := newUser(t, db, "member", account.Membership{OrganisationID: w.cpc.ID, RoleCode: account.RoleCommitteeMember})
	if _, err := db.GetPerson(as(t, db, member), home.ID, by(member)); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a committee member opened a record: %v", err)
	}
	_, err = db.AddRecord(as(t, db, w.worker), people.Record{PersonID: far.ID, Kind: people.HomeVisit, OccurredOn: "2026-03-01",
		OrganisationID: w.dsw.ID, Data: people.RecordData{Note: "x"}}, by(w.worker))
	if !errs.Is(err, errs.NotFound) {
		t.Fatalf("a record on a far child: %v", err)
	}
	_, err = db.SaveHousehold(as(t, db, w.worker), people.Household{CommunityID: far.CommunityID}, by(w.worker))
	wantErr(t, err, errs.Invalid, "community_id", "access.community_out_of_area")
}
