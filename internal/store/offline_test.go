package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
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

// An offline change is applied exactly once. A server that dies between
// applying a change and answering (here: fails before the commit) applied
// nothing, and the change sent again applies once; an answer lost and the
// change sent again, or the same change sent by several requests at once,
// leaves one change and gives every request the first outcome. A child's
// service record and flower assessment go through the same rules: a child
// of a household not on the device, or a kind of record a device does not
// offer, is refused.
func TestOfflineChangesExactlyOnce(t *testing.T) {
	db := storetest.Open(t)
	newClock(db)
	org := newOrg(t, db, "HC-EO")
	w := newUser(t, db, "worker.eo", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff})
	child := childIn(t, db, "1011", "EO", "ลูกบ้านครั้งเดียว")
	other := childIn(t, db, "1011", "EP", "บ้านอื่นครั้งเดียว")
	asW := as(t, db, w)
	kit, err := db.PrepareOfflineKit(asW, w.ID, "session-eo", "Android · Chrome", []string{child.HouseholdID}, 24*time.Hour, actor())
	if err != nil {
		t.Fatal(err)
	}
	visits := func() int {
		t.Helper()
		vs, err := db.HomeVisits(ctx, child.HouseholdID)
		if err != nil {
			t.Fatal(err)
		}
		return len(vs)
	}
	records := func(kind people.RecordKind) int {
		t.Helper()
		rs, err := db.Timeline(asW, child.ID, store.TimelineFilter{}, actor())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rs {
			if r.Kind == kind {
				n++
			}
		}
		return n
	}

	// The server dies after applying, before committing: nothing stays,
	// not even the change's ID, so the change sent again applies once.
	visit := store.OfflineChange{ID: "crash-visit-0001", Kind: store.ChangeVisit, HouseholdID: child.HouseholdID, VisitedOn: "2026-03-01",
		Note: "น้องไม่สบาย แม่พาไปศูนย์แล้ว", OrganisationID: org.ID, AuthorID: w.ID}
	db.OnChangeApplied(func(id string) error {
		if id == visit.ID {
			return errors.New("server stopped")
		}
		return nil
	})
	if _, err := db.ApplyOfflineChange(asW, kit, visit, actor()); err == nil {
		t.Fatal("the dying server answered")
	}
	if n := visits(); n != 0 {
		t.Fatalf("%d visits after the server died before committing", n)
	}
	db.OnChangeApplied(nil)
	for i := range 3 {
		res, err := db.ApplyOfflineChange(asW, kit, visit, actor())
		if err != nil || res.Status != store.ChangeApplied {
			t.Fatalf("send %d: %+v %v", i, res, err)
		}
	}
	if n := visits(); n != 1 {
		t.Fatalf("%d visits after three sends", n)
	}

	// The same change sent by several requests at once: one applies, the
	// others wait for it and answer as it did.
	same := visit
	same.ID, same.Note = "burst-visit-0001", "ยายดูแลหลานสองคน"
	var wg sync.WaitGroup
	results := make([]store.ChangeResult, 6)
	failures := make([]error, len(results))
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], failures[i] = db.ApplyOfflineChange(asW, kit, same, actor())
		}()
	}
	wg.Wait()
	for i := range results {
		if failures[i] != nil || results[i].Status != store.ChangeApplied {
			t.Fatalf("request %d of the burst: %+v %v", i, results[i], failures[i])
		}
	}
	if n := visits(); n != 2 {
		t.Fatalf("%d visits after a burst of one change", n)
	}

	// A child's growth measured on the visit: the answer lost, sent again.
	growth := store.OfflineChange{ID: "growth-eo-0001", Kind: store.ChangeRecord, PersonID: child.ID, RecordKind: people.Growth,
		OccurredOn: "2026-03-01", Data: people.RecordData{WeightKg: 19.5, HeightCm: 114}, OrganisationID: org.ID, AuthorID: w.ID}
	for range 2 {
		if res, err := db.ApplyOfflineChange(asW, kit, growth, actor()); err != nil || res.Status != store.ChangeApplied {
			t.Fatalf("growth: %+v %v", res, err)
		}
	}
	if n := records(people.Growth); n != 1 {
		t.Fatalf("%d growth records after two sends", n)
	}
	if n := auditCount(t, db, store.ActionRecordAdded, child.ID); n != 1 {
		t.Fatalf("%d record writes audited", n)
	}
	// A DSPM screening with a value out of range is refused with the
	// field, and the refusal is the answer to the same change sent again.
	bad := growth
	bad.ID, bad.RecordKind, bad.Data = "dspm-eo-0001", people.DevelopmentScreening, people.RecordData{ScreeningAge: 10, Domains: &people.Domains{}}
	for range 2 {
		res, err := db.ApplyOfflineChange(asW, kit, bad, actor())
		if err != nil || res.Status != store.ChangeRefused || res.MessageID != "field.choice" {
			t.Fatalf("bad screening: %+v %v", res, err)
		}
	}
	if n := auditCount(t, db, store.ActionSyncRefused, kit.ID); n != 1 {
		t.Fatalf("%d refusals audited for one refused change", n)
	}
	school := growth
	school.ID, school.RecordKind = "school-eo-0001", people.SchoolEnrolment
	if res, err := db.ApplyOfflineChange(asW, kit, school, actor()); err != nil || res.Status != store.ChangeRefused || res.MessageID != "field.choice" {
		t.Fatalf("a kind not offered offline: %+v %v", res, err)
	}
	stray := growth
	stray.ID, stray.PersonID = "growth-eo-0002", other.ID
	if res, err := db.ApplyOfflineChange(asW, kit, stray, actor()); err != nil || res.Status != store.ChangeRefused || res.MessageID != "visits.not_in_kit" {
		t.Fatalf("a child not on the device: %+v %v", res, err)
	}

	// The child's own flower, assessed offline.
	assess := store.OfflineChange{ID: "child-flower-0001", Kind: store.ChangeAssessment, PersonID: child.ID, Source: store.ByStaff,
		Answers: map[string]flower.Answer{}, OrganisationID: org.ID, AuthorID: w.ID}
	for range 2 {
		if res, err := db.ApplyOfflineChange(asW, kit, assess, actor()); err != nil || res.Status != store.ChangeApplied {
			t.Fatalf("child assessment: %+v %v", res, err)
		}
	}
	if as, err := db.ListAssessments(asW, flower.Child, child.ID, actor()); err != nil || len(as) != 1 || as[0].PersonID != child.ID {
		t.Fatalf("child assessments: %d %v", len(as), err)
	}

	// A household change that conflicts, the server dying before the
	// commit: no conflict is left behind, and the change sent again makes
	// exactly one.
	h, err := db.GetHousehold(asW, child.HouseholdID, actor())
	if err != nil {
		t.Fatal(err)
	}
	theirs := h.Household
	theirs.Situation = "ห้องเช่าชั้นสอง"
	if _, err := db.SaveHousehold(asW, theirs, actor()); err != nil {
		t.Fatal(err)
	}
	edit := store.OfflineChange{ID: "crash-edit-0001", Kind: store.ChangeHousehold, HouseholdID: child.HouseholdID, BaseVersion: h.Household.Version,
		Base: map[string]string{"situation": h.Household.Situation}, New: map[string]string{"situation": "บ้านยาย"}, OrganisationID: org.ID, AuthorID: w.ID}
	db.OnChangeApplied(func(string) error { return errors.New("server stopped") })
	if _, err := db.ApplyOfflineChange(asW, kit, edit, actor()); err == nil {
		t.Fatal("the dying server answered")
	}
	db.OnChangeApplied(nil)
	if cs, err := db.HouseholdConflicts(ctx, child.HouseholdID); err != nil || len(cs) != 0 {
		t.Fatalf("conflicts left by a change that did not commit: %+v %v", cs, err)
	}
	var first store.ChangeResult
	for i := range 2 {
		res, err := db.ApplyOfflineChange(asW, kit, edit, actor())
		if err != nil || res.Status != store.ChangeConflict || len(res.Conflicts) != 1 || (i == 1 && res.Conflicts[0] != first.Conflicts[0]) {
			t.Fatalf("household change, send %d: %+v %v", i, res, err)
		}
		first = res
	}
	if cs, err := db.HouseholdConflicts(ctx, child.HouseholdID); err != nil || len(cs) != 1 || cs[0].Theirs != "ห้องเช่าชั้นสอง" || cs[0].Mine != "บ้านยาย" {
		t.Fatalf("conflicts: %+v %v", cs, err)
	}
}
