package store

import (
	"context"
	"strings"
	"time"

	"termtem/internal/dashboards"
)

// Continuity gaps are judged on a day (a child is "unseen" when its last
// month of contact ended more than N days before it), so they cannot be
// kept as ready counts; they are kept as counters by the few keys the
// judgement needs (last month seen, birth year or month, screenings done,
// grant received), and the judgement becomes a sum over those counters.
// The rules stay in Go (package dashboards): each is evaluated here over
// its small key domain (the months, years and screening patterns of the
// last seven years) and turned into conditions, so the database adds up
// the counters and returns one row per place and gap, not thousands. The
// store tests check the sums against the rules applied row by row.

// gapCount is a continuity gap at a place: the children in the gap, and
// all the children the gap is judged for (gap and others).
type gapCount struct{ gap, all int64 }

// gapCounts reads the continuity gaps named by rows (gapRows) of places,
// judged on the day on, in one query per gap for all places together.
func (t *Tx) gapCounts(ctx context.Context, placeIDs, rows []string, on time.Time, unseenDays int) (map[string]map[string]gapCount, error) {
	out := map[string]map[string]gapCount{}
	for _, id := range placeIDs {
		out[id] = map[string]gapCount{}
	}
	if len(placeIDs) == 0 {
		return out, nil
	}
	for _, row := range rows {
		q, args := gapQuery(row, on, unseenDays)
		full := `SELECT place_id, COALESCE(SUM(CASE WHEN ` + q.scope + ` AND ` + q.gap + ` THEN n ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN ` + q.scope + ` THEN n ELSE 0 END), 0)
			FROM ` + q.table + ` WHERE place_id IN (` + placeholders(len(placeIDs)) + `)` + q.where + ` GROUP BY place_id`
		all := append(append(append(append([]any{}, args.scope...), args.gap...), args.scope...), anyArgs(placeIDs)...)
		all = append(all, args.where...)
		res, err := t.query(ctx, full, all...)
		if err != nil {
			return nil, classify(err)
		}
		if err := eachRow(res, func(s scanner) error {
			var id string
			var c gapCount
			if err := s.Scan(&id, &c.gap, &c.all); err != nil {
				return err
			}
			out[id][row] = c
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// gapSQL is a gap as conditions on its counter table: where narrows the
// rows read (by the key), scope says which rows the gap is judged for,
// gap which of those are in it.
type gapSQL struct{ table, where, scope, gap string }

type gapArgs struct{ where, scope, gap []any }

func gapQuery(row string, on time.Time, unseenDays int) (gapSQL, gapArgs) {
	first, last := dashboards.ChildYears(on)
	sevenYears := on.AddDate(-7, 0, 0).Format("2006-01")
	months := monthsBetween(sevenYears, on.Format("2006-01"))
	switch row {
	case "unseen":
		// Unseen is "the last month ended more than N days ago": true
		// for every month before the first one that is not, and for never.
		return gapSQL{"dash_seen", ` AND birth_year >= ? AND birth_year <= ?`, `1 = 1`, `last_month < ?`},
			gapArgs{where: []any{first, last}, gap: []any{unseenBefore(unseenDays, on)}}
	case "not_enrolled":
		var years []any
		for y := on.Year() - 17; y <= on.Year(); y++ {
			if s := itoa(y); dashboards.SchoolAge(s, on) {
				years = append(years, s)
			}
		}
		return gapSQL{"dash_school", ` AND birth_year >= ? AND birth_year <= ?`, inColumn("birth_year", len(years)), `enrolled = 'no'`},
			gapArgs{where: []any{first, last}, scope: years, gap: nil}
	case "dspm_missed":
		// A child's screenings due are the first k ages; it missed one
		// when any of the first k is not done. k is found for each birth
		// month by asking the rule with every prefix done.
		var scope, gap []string
		var sArgs, gArgs []any
		for _, r := range runsOf(months, func(m string) int {
			if due, _ := dashboards.DSPMDue(m, "11111", on); !due {
				return 0
			}
			for k := 1; k <= len(dashboards.DSPMAges); k++ {
				if _, missed := dashboards.DSPMDue(m, strings.Repeat("1", k)+strings.Repeat("0", len(dashboards.DSPMAges)-k), on); !missed {
					return k
				}
			}
			return len(dashboards.DSPMAges)
		}) {
			scope = append(scope, `(birth_month >= ? AND birth_month <= ?)`)
			sArgs = append(sArgs, r.lo, r.hi)
			gap = append(gap, `(birth_month >= ? AND birth_month <= ? AND substr(screened, 1, `+itoa(r.k)+`) <> ?)`)
			gArgs = append(gArgs, r.lo, r.hi, strings.Repeat("1", r.k))
		}
		return gapSQL{"dash_dspm", ` AND birth_month >= ?`, anyOf(scope), anyOf(gap)},
			gapArgs{where: []any{sevenYears}, scope: sArgs, gap: gArgs}
	case "handoff_waiting":
		waitFrom := on.AddDate(0, 0, -HandoffWaitDays).Format("2006-01-02")
		return gapSQL{"dash_due", ` AND item = 'handoff'`, `1 = 1`, `state = 'waiting' AND day < ?`},
			gapArgs{gap: []any{waitFrom}}
	default: // grant_missing
		var scope []string
		var sArgs []any
		for _, thai := range []string{"yes", "no"} {
			for _, economy := range dashboards.Levels {
				for _, r := range runsOf(months, func(m string) int {
					if dashboards.GrantEligible(m, thai == "yes", economy, on) {
						return 1
					}
					return 0
				}) {
					scope = append(scope, `(thai = ? AND economy = ? AND birth_month >= ? AND birth_month <= ?)`)
					sArgs = append(sArgs, thai, economy, r.lo, r.hi)
				}
			}
		}
		return gapSQL{"dash_grant", ` AND birth_month >= ?`, anyOf(scope), `receiving = 'no'`},
			gapArgs{where: []any{sevenYears}, scope: sArgs}
	}
}

// unseenBefore is the first month a child last seen in is not unseen on
// the day: every earlier month (and "never", ”) is.
func unseenBefore(days int, on time.Time) string {
	m := time.Date(on.Year(), on.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -days).AddDate(0, -2, 0)
	m = time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC)
	for dashboards.Unseen(m.Format("2006-01"), days, on) {
		m = m.AddDate(0, 1, 0)
	}
	return m.Format("2006-01")
}

// monthRun is a run of consecutive months that a rule treats alike (k).
type monthRun struct {
	lo, hi string
	k      int
}

// runsOf groups months (ascending) into runs of equal key, leaving out
// the months of key 0.
func runsOf(months []string, key func(string) int) []monthRun {
	var out []monthRun
	for _, m := range months {
		k := key(m)
		if k == 0 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].k == k && nextMonth(out[n-1].hi) == m {
			out[n-1].hi = m
			continue
		}
		out = append(out, monthRun{m, m, k})
	}
	return out
}

func monthsBetween(from, to string) []string {
	var out []string
	for m := from; m <= to; m = nextMonth(m) {
		out = append(out, m)
	}
	return out
}

func nextMonth(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return "9999-99"
	}
	return t.AddDate(0, 1, 0).Format("2006-01")
}

// anyOf is a disjunction; of nothing, false.
func anyOf(terms []string) string {
	if len(terms) == 0 {
		return `1 = 0`
	}
	return `(` + strings.Join(terms, ` OR `) + `)`
}

// inColumn is column IN (…) over n placeholders; of none, false.
func inColumn(column string, n int) string {
	if n == 0 {
		return `1 = 0`
	}
	return column + ` IN (` + placeholders(n) + `)`
}
