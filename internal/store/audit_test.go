package store_test

import (
	"errors"
	"fmt"
	"testing"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/organisations"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func TestAuditWrittenWithTheAct(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	o := newOrg(t, db, "HC-1")
	evs, err := db.RecentAudit(ctx, audit.OrganisationSaved, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Fatalf("%d organisation.saved rows, want 1", len(evs))
	}
	e := evs[0]
	if e.ObjectType != "organisation" || e.ObjectID != o.ID || e.ActorID != "test-admin" || e.RequestID != "req-test" ||
		e.Outcome != audit.Success || e.At != clk.Now().UTC().Format("2006-01-02T15:04:05.000Z") || e.ID == "" {
		t.Errorf("audit row %+v", e)
	}
}

func TestFailedTransactionLeavesNoTrace(t *testing.T) {
	db := storetest.Open(t)
	lk := mustPlaceByCode(t, db, "1011")
	boom := errors.New("boom")
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.ExecForTest(ctx, `INSERT INTO organisations (id, code, kind, name_th, place_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, "org-ghost", "GHOST", "school", "ผี", lk.ID, "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"); err != nil {
			return err
		}
		if err := tx.Audit(ctx, audit.Event{Action: audit.OrganisationSaved, ObjectType: "organisation", ObjectID: "org-ghost"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want the function's error", err)
	}
	if _, err := db.GetOrganisation(ctx, "org-ghost"); !errs.Is(err, errs.NotFound) {
		t.Errorf("row of a rolled-back transaction: %v", err)
	}
	if n := auditCount(t, db, audit.OrganisationSaved, "org-ghost"); n != 0 {
		t.Errorf("%d audit rows of a rolled-back transaction", n)
	}
}

// If the audit row cannot be written, the act it records must fail too.
func TestFailedAuditFailsTheAct(t *testing.T) {
	db := storetest.Open(t)
	rename := func(from, to string) {
		t.Helper()
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.ExecForTest(ctx, `ALTER TABLE `+from+` RENAME TO `+to)
		}); err != nil {
			t.Fatal(err)
		}
	}
	rename("audit_events", "audit_events_away")
	_, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "HC-1", Kind: organisations.HealthCentre,
		NameTH: "ศูนย์", PlaceID: mustPlaceByCode(t, db, "1011").ID, Active: true}, actor())
	rename("audit_events_away", "audit_events")
	if err == nil {
		t.Fatal("SaveOrganisation succeeded without its audit row")
	}
	if _, err := db.GetOrganisationByCode(ctx, "HC-1"); !errs.Is(err, errs.NotFound) {
		t.Errorf("organisation stored although its audit failed: %v", err)
	}
	if n := auditCount(t, db, "", ""); n != 0 {
		t.Errorf("%d audit rows", n)
	}
}

func TestRecentAuditFilterAndOrder(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	for _, a := range []string{"a.one", "a.two", "a.one"} {
		if err := db.AuditAlone(ctx, audit.Event{Action: a, ObjectID: clk.Now().Format("15:04")}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(60e9)
	}
	all, err := db.RecentAudit(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ObjectID != "09:02" || all[2].ObjectID != "09:00" {
		t.Errorf("RecentAudit = %+v, want 3 rows newest first", all)
	}
	ones, _ := db.RecentAudit(ctx, "a.one", 10)
	if len(ones) != 2 || ones[0].Outcome != audit.Success {
		t.Errorf("filtered: %+v", ones)
	}
	limited, _ := db.RecentAudit(ctx, "", 1)
	if len(limited) != 1 || limited[0].ObjectID != "09:02" {
		t.Errorf("limit 1: %+v", limited)
	}
}

// Concurrent read audits are committed in groups, several rows to one
// INSERT: every one must land once, with its own fields, before its caller
// goes on; after Close a read can no longer be audited, so it fails.
func TestAuditReadGroupCommit(t *testing.T) {
	db := storetest.Open(t)
	const n = 300 // several groups and several INSERTs per group
	errc := make(chan error, n)
	for i := range n {
		go func() {
			e := audit.Event{ActorID: "reader", Action: "test.read", ObjectType: "person", ObjectID: fmt.Sprintf("p%03d", i),
				RequestID: fmt.Sprintf("r%03d", i), Detail: "national_id"}
			if i%7 == 0 {
				e.Outcome = audit.Failure
			}
			errc <- db.AuditRead(ctx, e)
		}()
	}
	for range n {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	evs, err := db.RecentAudit(ctx, "test.read", 2*n)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range evs {
		var i int
		if _, err := fmt.Sscanf(e.RequestID, "r%03d", &i); err != nil || seen[e.RequestID] {
			t.Fatalf("unexpected or repeated row %+v", e)
		}
		seen[e.RequestID] = true
		want := audit.Success
		if i%7 == 0 {
			want = audit.Failure
		}
		if e.ObjectID != fmt.Sprintf("p%03d", i) || e.ActorID != "reader" || e.ObjectType != "person" || e.Detail != "national_id" || e.Outcome != want || e.ID == "" || e.At == "" {
			t.Errorf("row %+v", e)
		}
	}
	if len(seen) != n {
		t.Errorf("%d read audit rows, want %d", len(seen), n)
	}
	db.Close()
	if err := db.AuditRead(ctx, audit.Event{Action: "test.read"}); err == nil {
		t.Error("a read audited after Close reported success")
	}
}
