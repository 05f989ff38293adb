package store_test

import (
	"sync"
	"testing"

	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// TestEveryAnsweredReadIsInTheAuditLog reads a person from many goroutines
// at once (their audit rows share group commits) and checks that the audit
// log holds exactly one row per answered read as soon as the reads return.
func TestEveryAnsweredReadIsInTheAuditLog(t *testing.T) {
	db := storetest.Open(t)
	p, err := db.CreatePerson(ctx, people.Person{GivenName: "มะลิ", FamilyName: "ทดสอบ"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	const readers, each = 8, 25
	var wg sync.WaitGroup
	errc := make(chan error, readers)
	for range readers {
		wg.Go(func() {
			for range each {
				if _, err := db.GetPerson(ctx, p.ID, actor()); err != nil {
					errc <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if n := auditCount(t, db, store.ActionPersonRead, p.ID); n != readers*each {
		t.Fatalf("%d reads audited, want %d", n, readers*each)
	}
}
