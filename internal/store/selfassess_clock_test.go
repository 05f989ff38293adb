package store_test

import (
	"sync"
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/store"
)

// With a clock that moves between the inserts of one submission (as the
// real one does), the family still gets back every flower it submitted.
func TestSelfResultsWithTickingClock(t *testing.T) {
	w := newFlowerWorld(t)
	db := w.db
	var mu sync.Mutex
	at := w.clock.Now()
	db.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		at = at.Add(7 * time.Millisecond)
		return at
	}
	sc, err := db.CreateSelfCode(ctx, w.household.ID, w.dsw.ID, 0, by(w.worker))
	if err != nil {
		t.Fatal(err)
	}
	token, err := db.ClaimSelfCode(ctx, sc.Code, "10.0.0.1", audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.GetSelfSession(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SubmitSelfAssessment(ctx, s, store.SelfAnswers{
		Household: map[string]flower.Answer{"ECO02": {Option: "none"}},
		Children:  map[string]map[string]flower.Answer{w.child.ID: {"HLT06": {Option: "valid"}}},
	}, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	s, _ = db.GetSelfSession(ctx, token)
	res, err := db.SelfResults(ctx, s)
	if err != nil || len(res) != 2 || res[0].Subject != flower.Household || res[1].PersonID != w.child.ID {
		t.Fatalf("results %d %v", len(res), err)
	}
}
