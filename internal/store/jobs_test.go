package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"termtem/internal/flower"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func TestJobLeaseRules(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	claim := func(holder string) bool {
		t.Helper()
		ok, err := db.ClaimJob(ctx, "test.job", holder, time.Minute, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim("node-a") {
		t.Fatal("a job that never ran is not claimable")
	}
	if claim("node-b") {
		t.Fatal("node-b got a lease node-a holds")
	}
	if !claim("node-a") {
		t.Fatal("the holder cannot renew its own lease")
	}
	if done, err := db.FinishJob(ctx, "test.job", "node-a"); err != nil || !done {
		t.Fatalf("finish: %v %v", done, err)
	}
	// Finished: free, but not due again for an hour, for anyone.
	if claim("node-b") || claim("node-a") {
		t.Fatal("a job finished a moment ago was claimed again before it was due")
	}
	clk.Advance(time.Hour)
	if !claim("node-b") {
		t.Fatal("a due job was not claimable")
	}
	// node-b dies holding it: after the lease, node-a takes over, and
	// node-b's late finish is not recorded.
	clk.Advance(time.Minute)
	if !claim("node-a") {
		t.Fatal("an expired lease was not taken over")
	}
	if done, err := db.FinishJob(ctx, "test.job", "node-b"); err != nil || done {
		t.Fatalf("a finish after losing the lease was recorded: %v %v", done, err)
	}
	j, err := db.GetJob(ctx, "test.job")
	if err != nil {
		t.Fatal(err)
	}
	if j.Holder != "node-a" || j.LastHolder != "node-a" || !j.LastDoneAt.Equal(clk.Now().Add(-time.Hour-time.Minute)) {
		t.Errorf("job row %+v", j)
	}
}

// Many nodes asking at once: exactly one gets each due run.
func TestJobLeaseOneWinner(t *testing.T) {
	db := storetest.Open(t)
	clk := newClock(db)
	for round := 0; round < 3; round++ {
		var mu sync.Mutex
		var winners []string
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			holder := fmt.Sprintf("node-%d", i)
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := db.ClaimJob(ctx, "race.job", holder, time.Minute, 10*time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					winners = append(winners, holder)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(winners) != 1 {
			t.Fatalf("round %d: winners %v, want exactly one", round, winners)
		}
		if done, err := db.FinishJob(ctx, "race.job", winners[0]); err != nil || !done {
			t.Fatalf("finish: %v %v", done, err)
		}
		clk.Advance(10 * time.Minute)
	}
}

// Nodes escalating at the same moment (concurrent transactions: on
// PostgreSQL each on its own connection) move an overdue alert one step,
// once: one audit row, one notice.
func TestEscalationOnceUnderConcurrency(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	a, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: w.child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated"}},
		Source:  store.ByStaff, OrganisationID: w.dsw.ID, AuthorID: w.worker.ID}, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	var urgent store.Alert
	for _, al := range a.Alerts {
		if al.Key == "urgent:SAF03" {
			urgent = al
		}
	}
	if urgent.ID == "" {
		t.Fatalf("no urgent alert among %s", alertKeys(a.Alerts))
	}
	w.clock.Advance(25 * time.Hour)
	// Open the connections first, so that the escalations start together
	// rather than one connection set-up apart.
	var warm sync.WaitGroup
	for i := 0; i < 6; i++ {
		warm.Add(1)
		go func() { defer warm.Done(); _ = db.Ping(ctx) }()
	}
	warm.Wait()
	var mu sync.Mutex
	moved := 0
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			n, err := db.EscalateAlerts(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			moved += n
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	if moved != 1 {
		t.Fatalf("six concurrent escalations moved %d alerts, want 1", moved)
	}
	if n := auditCount(t, db, store.ActionAlertEscalated, urgent.ID); n != 1 {
		t.Fatalf("%d escalation audit rows, want 1", n)
	}
	got, err := db.GetAlert(ctx, urgent.ID, w.supervisor.ID)
	if err != nil || got.Escalation != store.EscalationSupervisor {
		t.Fatalf("alert after concurrent escalation: %+v %v", got, err)
	}
}
