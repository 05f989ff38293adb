package store_test

import (
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// Two workers prepare the same household and change it offline. The first
// change applies; the second applies what nobody else touched and holds
// the field both changed for the worker's choice; choosing keeps both
// values in the history. A change sent twice is applied once; a household
// not on the device, a revoked or expired kit, and a worker outside the
// area are refused.
func TestOfflineKitsAndConflicts(t *testing.T) {
	db := storetest.Open(t)
	clock := newClock(db)
	org := newOrg(t, db, "HC-OF")
	a := newUser(t, db, "worker.a", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleCaseManager})
	b := newUser(t, db, "worker.b", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleCaseManager})
	child := childIn(t, db, "1011", "OF", "ลูกบ้านออฟไลน์")
	far := childIn(t, db, "1001", "OX", "ไกลบ้านออฟไลน์")
	asA, asB := as(t, db, a), as(t, db, b)

	_, err := db.PrepareOfflineKit(asA, a.ID, "session-a", "Android · Chrome", []string{far.HouseholdID}, 24*time.Hour, actor())
	wantErr(t, err, errs.NotFound, "", "household.not_found")
	_, err = db.PrepareOfflineKit(asA, a.ID, "session-a", "Android · Chrome", nil, 24*time.Hour, actor())
	wantErr(t, err, errs.Invalid, "household_id", "visits.choose_one")

	kitA, err := db.PrepareOfflineKit(asA, a.ID, "session-a", "Android · Chrome", []string{child.HouseholdID}, 24*time.Hour, actor())
	if err != nil {
		t.Fatal(err)
	}
	kitB, err := db.PrepareOfflineKit(asB, b.ID, "session-b", "iPhone · Safari", []string{child.HouseholdID, child.HouseholdID}, 24*time.Hour, actor())
	if err != nil || len(kitB.HouseholdIDs) != 1 || len(kitB.Key) != 32 {
		t.Fatalf("kit b: %+v %v", kitB, err)
	}
	if n := auditCount(t, db, store.ActionOfflinePrepared, child.HouseholdID); n != 2 {
		t.Fatalf("%d preparations audited", n)
	}
	got, err := db.OfflineKitOf(ctx, a.ID, kitA.ID)
	if err != nil || string(got.Key) != string(kitA.Key) || len(got.HouseholdIDs) != 1 {
		t.Fatalf("kit a read back: %v", err)
	}
	_, err = db.OfflineKitOf(ctx, b.ID, kitA.ID)
	wantErr(t, err, errs.NotFound, "", "visits.kit_unknown")

	h, err := db.GetHousehold(asA, child.HouseholdID, actor())
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]string{"address": h.Household.Address, "situation": h.Household.Situation}
	change := func(kit store.OfflineKit, id string, next map[string]string) store.OfflineChange {
		return store.OfflineChange{ID: id, Kind: store.ChangeHousehold, HouseholdID: child.HouseholdID, BaseVersion: h.Household.Version,
			Base: base, New: next, OrganisationID: org.ID, AuthorID: kit.UserID}
	}
	res, err := db.ApplyOfflineChange(asA, kitA, change(kitA, "change-a-000001", map[string]string{"address": h.Household.Address,
		"situation": "บ้านเช่า หลังคารั่ว"}), actor())
	if err != nil || res.Status != store.ChangeApplied {
		t.Fatalf("first change: %+v %v", res, err)
	}
	res, err = db.ApplyOfflineChange(asB, kitB, change(kitB, "change-b-000001", map[string]string{"address": "12/3 ซอยลาดกระบัง 5",
		"situation": "ย้ายไปอยู่บ้านญาติ"}), actor())
	if err != nil || res.Status != store.ChangeConflict || len(res.Conflicts) != 1 {
		t.Fatalf("second change: %+v %v", res, err)
	}
	now, _ := db.GetHousehold(ctx, child.HouseholdID, actor())
	if now.Household.Address != "12/3 ซอยลาดกระบัง 5" || now.Household.Situation != "บ้านเช่า หลังคารั่ว" {
		t.Fatalf("after the second change: %q %q", now.Household.Address, now.Household.Situation)
	}
	// Sent again: the same answer, nothing applied twice.
	again, err := db.ApplyOfflineChange(asB, kitB, change(kitB, "change-b-000001", map[string]string{"situation": "อื่น"}), actor())
	if err != nil || again.Status != store.ChangeConflict || len(again.Conflicts) != 1 || again.Conflicts[0] != res.Conflicts[0] {
		t.Fatalf("resent: %+v %v", again, err)
	}
	open, err := db.OpenConflicts(ctx, b.ID)
	if err != nil || len(open) != 1 || open[0].Theirs != "บ้านเช่า หลังคารั่ว" || open[0].Mine != "ย้ายไปอยู่บ้านญาติ" || open[0].Field != "situation" {
		t.Fatalf("open conflicts %+v %v", open, err)
	}
	_, err = db.ResolveConflict(asA, a.ID, open[0].ID, "mine", actor())
	wantErr(t, err, errs.NotFound, "", "visits.conflict_unknown")
	if _, err := db.ResolveConflict(asB, b.ID, open[0].ID, "mine", actor()); err != nil {
		t.Fatal(err)
	}
	now, _ = db.GetHousehold(ctx, child.HouseholdID, actor())
	if now.Household.Situation != "ย้ายไปอยู่บ้านญาติ" {
		t.Fatalf("chosen value not applied: %q", now.Household.Situation)
	}
	history, err := db.HouseholdConflicts(ctx, child.HouseholdID)
	if err != nil || len(history) != 1 || history[0].Chosen != "mine" || history[0].Theirs != "บ้านเช่า หลังคารั่ว" || history[0].ResolvedAt == nil {
		t.Fatalf("history %+v %v", history, err)
	}
	_, err = db.ResolveConflict(asB, b.ID, open[0].ID, "theirs", actor())
	wantErr(t, err, errs.Conflict, "", "visits.conflict_done")

	// A visit: applied once; a household not on the device is refused.
	visit := store.OfflineChange{ID: "visit-a-000001", Kind: store.ChangeVisit, HouseholdID: child.HouseholdID, VisitedOn: "2026-03-01",
		Note: "ครอบครัวอยู่บ้านครบ", OrganisationID: org.ID, AuthorID: a.ID}
	for range 2 {
		if res, err := db.ApplyOfflineChange(asA, kitA, visit, actor()); err != nil || res.Status != store.ChangeApplied {
			t.Fatalf("visit: %+v %v", res, err)
		}
	}
	if vs, err := db.HomeVisits(ctx, child.HouseholdID); err != nil || len(vs) != 1 || vs[0].Note != "ครอบครัวอยู่บ้านครบ" {
		t.Fatalf("visits %+v %v", vs, err)
	}
	stray := visit
	stray.ID, stray.HouseholdID = "visit-a-000002", far.HouseholdID
	if res, err := db.ApplyOfflineChange(asA, kitA, stray, actor()); err != nil || res.Status != store.ChangeRefused || res.MessageID != "visits.not_in_kit" {
		t.Fatalf("household not on the device: %+v %v", res, err)
	}
	empty := visit
	empty.ID, empty.Note = "visit-a-000003", " "
	if res, err := db.ApplyOfflineChange(asA, kitA, empty, actor()); err != nil || res.Status != store.ChangeRefused || res.MessageID != "field.required" {
		t.Fatalf("empty note: %+v %v", res, err)
	}

	// Revoked, and expired: the key is refused.
	if err := db.RevokeOfflineKit(ctx, a.ID, kitA.ID, actor()); err != nil {
		t.Fatal(err)
	}
	_, err = db.OfflineKitOf(ctx, a.ID, kitA.ID)
	wantErr(t, err, errs.Forbidden, "", "visits.kit_revoked")
	clock.Advance(25 * time.Hour)
	_, err = db.OfflineKitOf(ctx, b.ID, kitB.ID)
	wantErr(t, err, errs.Forbidden, "", "visits.kit_expired")
	if kits, err := db.OfflineKits(ctx, b.ID); err != nil || len(kits) != 0 {
		t.Fatalf("expired kits listed: %+v %v", kits, err)
	}
}
