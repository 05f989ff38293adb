package store_test

import (
	"context"
	"sync"
	"testing"

	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// TestFormNonceSendsOnce: a creation under a sending (store.Once) makes its
// thing once; the same key again in the same form makes nothing and names
// what the first made, however the two arrive (one after the other, or
// both at once), even when the repeat fails on the write's own checks
// first; another key, another form or another owner is another
// sending; a refused write records nothing; the sweep forgets old sendings.
func TestFormNonceSendsOnce(t *testing.T) {
	w := newCaseWorld(t)
	db := w.db
	once := func(owner, form, key string) context.Context {
		return store.WithOnce(ctx, &store.Once{Owner: owner, Form: form, Key: key})
	}
	record := people.Record{PersonID: w.child.ID, Kind: people.Growth, OccurredOn: "2026-03-01", OrganisationID: w.hc.ID,
		AuthorID: w.nurse.ID, Data: people.RecordData{WeightKg: 10.5}}
	addRecord := func(c context.Context) (string, error) {
		r, err := db.AddRecord(c, record, by(w.nurse))
		return r.ID, err
	}
	records := func() int {
		t.Helper()
		tl, err := db.Timeline(ctx, w.child.ID, store.TimelineFilter{}, by(w.nurse))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range tl {
			if r.Kind == people.Growth {
				n++
			}
		}
		return n
	}
	sentBefore := func(err error, first string) {
		t.Helper()
		id, ok := store.SentBefore(err)
		if !ok || id != first {
			t.Fatalf("sent again: %v (result %q), want the first sending's %q", err, id, first)
		}
		wantErr(t, err, errs.Conflict, "", "form_once.sent_before")
	}

	// One after the other.
	first, err := addRecord(once("s1", "record:"+w.child.ID, "n1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = addRecord(once("s1", "record:"+w.child.ID, "n1"))
	sentBefore(err, first)
	if n := records(); n != 1 {
		t.Fatalf("%d records after the same form twice, want 1", n)
	}
	// Sent again, the write failing on its own checks first (here a bad
	// date; for a service account, its username now taken): still told
	// it is the same sending.
	bad := record
	bad.OccurredOn = "not a date"
	_, err = db.AddRecord(once("s1", "record:"+w.child.ID, "n1"), bad, by(w.nurse))
	sentBefore(err, first)
	// Another key, another form, another owner: each a sending of its own.
	for _, c := range []context.Context{once("s1", "record:"+w.child.ID, "n2"), once("s1", "record:other", "n1"), once("s2", "record:"+w.child.ID, "n1")} {
		if _, err := addRecord(c); err != nil {
			t.Fatal(err)
		}
	}
	if n := records(); n != 4 {
		t.Fatalf("%d records, want 4", n)
	}
	// A refused write records nothing: the form sent again, corrected, makes it.
	if _, err := db.AddRecord(once("s1", "record:"+w.child.ID, "n3"), bad, by(w.nurse)); errs.As(err).Code != errs.Invalid {
		t.Fatalf("bad record: %v", err)
	}
	if _, err := addRecord(once("s1", "record:"+w.child.ID, "n3")); err != nil {
		t.Fatalf("the corrected form: %v", err)
	}

	// Both at once: exactly one makes the record, the other is told of it,
	// whichever order the database puts them in.
	var wg sync.WaitGroup
	ids, errors := make([]string, 2), make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], errors[i] = addRecord(once("s1", "record:"+w.child.ID, "tap"))
		}()
	}
	wg.Wait()
	made := 0
	for i := range 2 {
		if errors[i] == nil {
			made++
			sentBefore(errors[1-i], ids[i])
		}
	}
	if made != 1 {
		t.Fatalf("two sendings at once: %v, want one made", errors)
	}
	if n := records(); n != 6 {
		t.Fatalf("%d records, want 6", n)
	}

	// A case and a referral, the same way.
	caseIn := store.CaseInput{Subject: flower.Child, SubjectID: w.child.ID, Risk: cases.RiskMedium, Origin: cases.FromWorker,
		OrganisationID: w.dsw.ID, ManagerID: w.worker.ID}
	c1, err := db.OpenCase(once("s3", "case:"+w.child.ID, "k"), caseIn, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.OpenCase(once("s3", "case:"+w.child.ID, "k"), caseIn, by(w.worker))
	sentBefore(err, c1.ID)
	if cs, err := db.ListCases(ctx, store.CaseFilter{PersonID: w.child.ID}, by(w.worker)); err != nil || len(cs) != 1 {
		t.Fatalf("cases after the same form twice: %d %v", len(cs), err)
	}
	refIn := store.ReferralInput{PersonID: w.child.ID, CaseID: c1.ID, FromOrg: w.dsw.ID, FromUser: w.worker.ID, ToOrg: w.hc.ID,
		Service: "health_check", Urgency: cases.High, Reason: "ตรวจสุขภาพ", Basis: cases.LawfulBasis{Kind: cases.LegalDuty, Reference: "ม.41"}}
	r1, err := db.SendReferral(once("s3", "referral:"+w.child.ID, "k"), refIn, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.SendReferral(once("s3", "referral:"+w.child.ID, "k"), refIn, by(w.worker))
	sentBefore(err, r1.ID)
	if rs, err := db.ListReferrals(ctx, store.ReferralFilter{UserID: w.worker.ID}, by(w.worker)); err != nil || len(rs) != 1 {
		t.Fatalf("referrals after the same form twice: %d %v", len(rs), err)
	}

	// The sweep forgets the sendings older than a session may live: the
	// key counts again (its web nonce is refused by then with its session).
	w.clock.Advance(48 * 3600e9)
	if _, err := db.DeleteExpiredSessions(ctx, w.clock.Now().Add(-3600e9), w.clock.Now().Add(-24*3600e9)); err != nil {
		t.Fatal(err)
	}
	if _, err := addRecord(once("s1", "record:"+w.child.ID, "n1")); err != nil {
		t.Fatalf("a forgotten sending: %v", err)
	}
}
