package dashboards_test

import (
	"testing"
	"time"

	"termtem/internal/dashboards"
)

func on(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func TestGrantRulesAreDated(t *testing.T) {
	for _, c := range []struct {
		birth, economy, day string
		thai, want          bool
	}{
		{"2021-04", "red", "2026-03-01", true, true},      // under 6 under the 2562 rule
		{"2019-12", "yellow", "2026-03-01", true, false},  // six already
		{"2021-04", "green", "2026-03-01", true, false},   // not poor by the economy petal
		{"2021-04", "red", "2026-03-01", false, false},    // not Thai
		{"2015-09", "red", "2019-11-01", true, false},     // born before the programme
		{"2016-03", "red", "2017-01-01", true, true},      // 2559 rule: under three
		{"2016-03", "red", "2019-06-01", true, false},     // 2559 rule: three already
		{"2016-03", "red", "2019-10-02", true, true},      // 2562 rule: under six again
		{"2015-11", "red", "2016-06-01", true, true},      // 2558 rule: under one
		{"2015-11", "red", "2016-12-01", true, true},      // 2559 rule from October 2016
		{"2021-04", "unknown", "2026-03-01", true, false}, // no flower, no guess
	} {
		if got := dashboards.GrantEligible(c.birth, c.thai, c.economy, on(c.day)); got != c.want {
			t.Errorf("%+v: %v", c, got)
		}
	}
	if r, ok := dashboards.GrantRuleOn(on("2015-09-30")); ok {
		t.Fatalf("a rule before the programme: %+v", r)
	}
}

func TestDSPMAndUnseen(t *testing.T) {
	day := on("2026-03-01")
	// 20 months old: the 9- and 18-month screenings are due (18 + 1 grace
	// month reached at 19).
	if due, missed := dashboards.DSPMDue("2024-06", "10000", day); !due || !missed {
		t.Fatalf("18-month screening missed: %v %v", due, missed)
	}
	if due, missed := dashboards.DSPMDue("2024-06", "11000", day); !due || missed {
		t.Fatalf("both done: %v %v", due, missed)
	}
	if due, _ := dashboards.DSPMDue("2025-09", "00000", day); due {
		t.Fatal("a five-month-old is not due")
	}
	if due, _ := dashboards.DSPMDue("2019-01", "00000", day); due {
		t.Fatal("a seven-year-old is past DSPM")
	}
	if !dashboards.Unseen("", 90, day) || !dashboards.Unseen("2025-10", 90, day) || dashboards.Unseen("2025-12", 90, day) {
		t.Fatal("unseen for 90 days")
	}
	if s, ok := dashboards.StageOfBirthYear("2020", day); !ok || s.Key != "primary" {
		t.Fatalf("stage of 2020 in 2026: %+v", s)
	}
	if _, ok := dashboards.StageOfBirthYear("2000", day); ok {
		t.Fatal("an adult has a child stage")
	}
}
