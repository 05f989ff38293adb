package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ExecForTest runs raw SQL inside a transaction, so that tests outside the
// package can write a row and then fail the transaction, or break a table to
// check that a failed audit write fails the act it records.
func (t *Tx) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := t.exec(ctx, query, args...)
	return classify(err)
}

// QueryRowForTest reads one row inside a transaction (tests that inspect
// tables the store has no reader for, such as the audit seals).
func (t *Tx) QueryRowForTest(ctx context.Context, query string, args ...any) interface{ Scan(...any) error } {
	return t.queryRow(ctx, query, args...)
}

// OnChangeApplied makes every offline change call f after it is applied and
// before it commits: an error from f stands for the server dying there.
func (db *DB) OnChangeApplied(f func(changeID string) error) { db.changeApplied = f }

// GapCountsForTest reads continuity gaps as the dashboards do: for each
// place and gap row, the children in the gap and all those judged.
func (db *DB) GapCountsForTest(ctx context.Context, placeIDs, rows []string, on time.Time, unseenDays int) (map[string]map[string][2]int64, error) {
	got, err := db.reader().gapCounts(ctx, placeIDs, rows, on, unseenDays)
	out := map[string]map[string][2]int64{}
	for id, m := range got {
		out[id] = map[string][2]int64{}
		for row, c := range m {
			out[id][row] = [2]int64{c.gap, c.all}
		}
	}
	return out, err
}

// DashboardCountersChangedForTest gives every counter table a new version,
// as the store does when it changes counters: for tests that write
// counter rows themselves.
func (t *Tx) DashboardCountersChangedForTest(ctx context.Context) error {
	return t.dashBump(ctx, dashTableVersions())
}

// DashboardMemoForTest switches the memo of protected families
// (dash_cache.go) on or off and empties it.
func (db *DB) DashboardMemoForTest(on bool) {
	db.families.mu.Lock()
	defer db.families.mu.Unlock()
	db.families.off, db.families.m = !on, nil
}

// LookupQueriesForTest are the queries of an ID lookup and a person's page
// that migration 00031 gave indexes, by the index each must use.
var LookupQueriesForTest = map[string]string{
	"service_records_schooling":      schoolingQuery,
	"person_identifiers_person_kind": personIdentifiersQuery,
}

// ReferralMonthsQueryForTest is the dashboards' read of a place's referral
// counters of a month, which migration 00034 gave an index.
var ReferralMonthsQueryForTest = referralMonthsQuery(1)

// PlanForTest is how the database would run q (EXPLAIN QUERY PLAN on
// SQLite; EXPLAIN with sequential scans discouraged on PostgreSQL, whose
// planner would otherwise prefer them on a test's nearly empty tables).
func (db *DB) PlanForTest(ctx context.Context, q string, args ...any) (string, error) {
	var plan []string
	err := db.InTx(ctx, func(tx *Tx) error {
		explain := "EXPLAIN QUERY PLAN "
		if db.postgres {
			if _, err := tx.exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
			explain = "EXPLAIN "
		}
		rows, err := tx.rowMaps(ctx, explain+q, args...)
		for _, r := range rows {
			plan = append(plan, fmt.Sprint(r))
		}
		return err
	})
	return strings.Join(plan, "\n"), classify(err)
}

// DashboardChangedForTest gives the places new counter versions in this
// process's memo only, as if every counter table had changed there:
// benchmarks measure the views after a change without writing one.
func (db *DB) DashboardChangedForTest(places []string) {
	db.families.mu.Lock()
	defer db.families.mu.Unlock()
	if db.families.salt == nil {
		db.families.salt = map[string]string{}
	}
	for _, p := range places {
		db.families.salt[p] += "x"
	}
}

// DashboardCountersForTest switches the dashboard counters off (benchmarks:
// a write's cost without them; the counters are then wrong until a rebuild).
func (db *DB) DashboardCountersForTest(on bool) { db.dashOff = !on }

// WriterCacheKiBForTest is the writer's page cache, in KiB, outside bulk
// inserts.
const WriterCacheKiBForTest = writerCacheKiB
