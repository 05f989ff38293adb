package demo

import (
	"bytes"
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"termtem/internal/store/storetest"
)

// TestPopulateActivity generates a small city's activity and checks that
// every kind of casework is there with every status the decks deal, that
// no time is out of order or in the future, and that the dashboard
// counters kept batch by batch equal a rebuild from the records.
func TestPopulateActivity(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	if _, err := Populate(ctx, db, PopulationOptions{People: 2000, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	res, err := PopulateActivity(ctx, db, ActivityOptions{Seed: 9, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if res.People != 2000 || res.Records == 0 || res.Assessments == 0 || res.Cases == 0 || res.Referrals == 0 || res.Alerts == 0 || res.Handoffs == 0 {
		t.Fatalf("result %+v", res)
	}
	if !strings.Contains(progress.String(), "activity [") {
		t.Errorf("no progress bar:\n%s", progress.String())
	}
	spread, err := db.ActivitySpread(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("spread: %v", spread)
	sum := func(prefix string) int {
		n := 0
		for k, v := range spread {
			if strings.HasPrefix(k, prefix+"/") {
				n += v
			}
		}
		return n
	}
	if sum("cases") != res.Cases || sum("referrals") != res.Referrals || sum("alerts") != res.Alerts || sum("handoffs") != res.Handoffs {
		t.Errorf("stored %v, reported %+v", spread, res)
	}
	// Statuses with no time limit on them come from the decks, so each
	// is there at any seed; referrals and alerts made lately may still be
	// waiting, so only those settled long ago are required.
	for _, k := range []string{"cases/open", "cases/active", "cases/monitoring", "cases/closed", "plan_steps/done", "plan_steps/in_progress",
		"plan_steps/planned", "referrals/completed", "referrals/declined", "referrals/in_progress", "alerts/resolved", "alerts/open",
		"handoffs/acknowledged", "handoffs/waiting", "case_legal/welfare_s32", "case_legal/protection_s40"} {
		if spread[k] == 0 {
			t.Errorf("no %s in %v", k, spread)
		}
	}
	for k, n := range spread {
		if strings.HasPrefix(k, "implausible/") && n > 0 {
			t.Errorf("%s: %d rows", k, n)
		}
	}
	// About a few per cent of children have a case, not most of them.
	if res.Cases > res.People/20 {
		t.Errorf("%d cases for %d people", res.Cases, res.People)
	}
	kept, err := db.DashboardRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RebuildDashboards(ctx); err != nil {
		t.Fatal(err)
	}
	rebuilt, err := db.DashboardRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(kept, rebuilt) {
		t.Errorf("counters kept in the batches (%d rows) differ from a rebuild (%d rows)", len(kept), len(rebuilt))
		for _, r := range kept {
			if !slices.Contains(rebuilt, r) {
				t.Logf("kept only: %s", r)
				break
			}
		}
	}
}

// The casework's moments are at working hours of past days; generated
// early in the day, today's working hours are still to come and must not
// be used (the spread's "implausible" rows, and TestDemoPeople, depend on
// it whatever the hour the tests run).
func TestCaseworkNeverInTheFuture(t *testing.T) {
	for _, hour := range []int{0, 3, 8, 12, 17, 23} {
		today := time.Date(2026, 11, 24, hour, 30, 0, 0, time.UTC)
		w := &casework{rng: rand.New(rand.NewPCG(uint64(hour), 1)), today: today, n: map[string]int{}}
		sameDay := 0
		for range 5000 {
			for _, days := range []int{1, 2, 365} {
				at := w.ago(days)
				if at.After(today) {
					t.Fatalf("at %s: ago(%d) gave %s, in the future", today.Format(time.RFC3339), days, at.Format(time.RFC3339))
				}
				if at.YearDay() == today.YearDay() {
					sameDay++
				}
			}
		}
		// Today is still used once its working hours have begun.
		if hour >= 12 && sameDay == 0 {
			t.Errorf("at %02d:30 no moment today", hour)
		}
	}
}
