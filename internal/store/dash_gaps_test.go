package store_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"termtem/internal/dashboards"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// TestGapSumsFollowTheRules fills the continuity counters of two places
// with every key the rules can meet (every birth year and last month seen,
// every birth month since 2016 with every pattern of screenings, every
// nationality, economy level and grant state, hand-offs of every day of
// two months) and checks, on days chosen at the edges (month ends, a leap
// day, New Year, the days the grant rules changed), that the sums the
// database makes equal the rules of package dashboards applied row by row.
func TestGapSumsFollowTheRules(t *testing.T) {
	db := storetest.Open(t)
	places := []string{"gap-a", "gap-b"}
	type row struct {
		table string
		keys  []string
		n     int64
	}
	var rows []row
	i := int64(0)
	count := func() int64 { i++; return 1 + i*7%5 }
	months := []string{}
	for m := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC); m.Year() < 2027; m = m.AddDate(0, 1, 0) {
		months = append(months, m.Format("2006-01"))
	}
	for _, p := range places {
		for y := 2004; y <= 2026; y++ {
			year := strconv.Itoa(y)
			for _, last := range append([]string{""}, months[len(months)-72:]...) {
				rows = append(rows, row{"dash_seen", []string{p, year, last}, count()})
			}
			for _, enrolled := range []string{"yes", "no"} {
				rows = append(rows, row{"dash_school", []string{p, year, enrolled}, count()})
			}
		}
		for _, m := range months {
			for pattern := range 32 {
				screened := fmt.Sprintf("%05b", pattern)
				rows = append(rows, row{"dash_dspm", []string{p, m, screened}, count()})
			}
			for _, thai := range []string{"yes", "no"} {
				for _, economy := range dashboards.Levels {
					for _, receiving := range []string{"yes", "no"} {
						rows = append(rows, row{"dash_grant", []string{p, m, thai, economy, receiving}, count()})
					}
				}
			}
		}
		for d := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC); d.Month() < 12; d = d.AddDate(0, 0, 1) {
			for _, state := range []string{"waiting", "acknowledged"} {
				rows = append(rows, row{"dash_due", []string{p, "handoff", state, d.Format(time.DateOnly)}, count()})
			}
		}
		rows = append(rows, row{"dash_due", []string{p, "alert", "open", "2026-10-01"}, 3}) // not a hand-off
	}
	cols := map[string]string{
		"dash_seen":   "place_id, birth_year, last_month, n",
		"dash_school": "place_id, birth_year, enrolled, n",
		"dash_dspm":   "place_id, birth_month, screened, n",
		"dash_grant":  "place_id, birth_month, thai, economy, receiving, n",
		"dash_due":    "place_id, item, state, day, n",
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		for _, r := range rows {
			args := []any{}
			for _, k := range r.keys {
				args = append(args, k)
			}
			marks := "?"
			for range r.keys {
				marks += ", ?"
			}
			if err := tx.ExecForTest(ctx, `INSERT INTO `+r.table+` (`+cols[r.table]+`) VALUES (`+marks+`)`, append(args, r.n)...); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	days := []string{"2026-11-23", "2026-11-30", "2026-12-01", "2026-03-01", "2024-02-29", "2025-12-31", "2026-01-01",
		"2025-10-01", "2026-10-15", "2026-11-14", "2026-11-15"}
	rowsJudged := []string{"unseen", "not_enrolled", "dspm_missed", "handoff_waiting", "grant_missing"}
	split := map[string]int{} // how often a gap held some of the children judged, not all
	for _, day := range days {
		on, _ := time.Parse(time.DateOnly, day)
		for _, unseen := range dashboards.UnseenDays {
			want := map[string]map[string][2]int64{}
			add := func(place, gap string, in bool, n int64) {
				if want[place] == nil {
					want[place] = map[string][2]int64{}
				}
				c := want[place][gap]
				if in {
					c[0] += n
				}
				c[1] += n
				want[place][gap] = c
			}
			first, last := dashboards.ChildYears(on)
			for _, r := range rows {
				p := r.keys[0]
				switch r.table {
				case "dash_seen":
					if r.keys[1] >= first && r.keys[1] <= last {
						add(p, "unseen", dashboards.Unseen(r.keys[2], unseen, on), r.n)
					}
				case "dash_school":
					if r.keys[1] >= first && r.keys[1] <= last && dashboards.SchoolAge(r.keys[1], on) {
						add(p, "not_enrolled", r.keys[2] == "no", r.n)
					}
				case "dash_dspm":
					if due, missed := dashboards.DSPMDue(r.keys[1], r.keys[2], on); due && r.keys[1] >= on.AddDate(-7, 0, 0).Format("2006-01") {
						add(p, "dspm_missed", missed, r.n)
					}
				case "dash_grant":
					if r.keys[1] >= on.AddDate(-7, 0, 0).Format("2006-01") && dashboards.GrantEligible(r.keys[1], r.keys[2] == "yes", r.keys[3], on) {
						add(p, "grant_missing", r.keys[4] == "no", r.n)
					}
				case "dash_due":
					if r.keys[1] == "handoff" {
						add(p, "handoff_waiting", r.keys[2] == "waiting" && r.keys[3] < on.AddDate(0, 0, -store.HandoffWaitDays).Format(time.DateOnly), r.n)
					}
				}
			}
			got, err := db.GapCountsForTest(ctx, places, rowsJudged, on, unseen)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range places {
				for _, gap := range rowsJudged {
					if got[p][gap] != want[p][gap] {
						t.Errorf("%s, unseen %d days, %s %s: the database sums %v, the rules give %v", day, unseen, p, gap, got[p][gap], want[p][gap])
					}
				}
			}
			for _, gap := range rowsJudged {
				if c := want["gap-a"][gap]; c[0] > 0 && c[0] < c[1] {
					split[gap]++
				}
			}
		}
	}
	// So that no comparison above was only between zeros or totals.
	for _, gap := range rowsJudged {
		if split[gap] == 0 {
			t.Errorf("%s never held some children and not others on the days tested", gap)
		}
	}
}
