package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// RebuildDashboards recomputes every dashboard counter from the records,
// in one transaction: readers see the old counters or the new, never half.
// It sums the same per-subject contributions the incremental path applies,
// so on a consistent database it gives the same rows.
func (db *DB) RebuildDashboards(ctx context.Context) (int, error) {
	rows := 0
	err := db.InTx(ctx, func(t *Tx) error {
		for _, tab := range dashTables {
			if _, err := t.exec(ctx, `DELETE FROM `+tab.name); err != nil {
				return classify(err)
			}
		}
		for _, table := range []string{"people", "households"} {
			if err := t.rebuildFrom(ctx, table); err != nil {
				return err
			}
		}
		for _, tab := range dashTables {
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM `+tab.name).Scan(&n); err != nil {
				return classify(err)
			}
			rows += n
		}
		if _, err := t.exec(ctx, `UPDATE dash_state SET value = 'built' WHERE name = 'counters'`); err != nil {
			return classify(err)
		}
		// Every table is new, even one that went back to what it was.
		return t.dashBump(ctx, dashTableVersions())
	})
	return rows, err
}

// rebuildFrom adds the contributions of every subject in table, a page of
// IDs at a time, writing the counters every few thousand subjects so that
// memory stays bounded at a million people.
func (t *Tx) rebuildFrom(ctx context.Context, table string) error {
	acc := dashCounts{}
	after := ""
	pending := 0
	for {
		ids, err := t.strings(ctx, `SELECT id FROM `+table+` WHERE id > ? ORDER BY id LIMIT 400`, after)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		after = ids[len(ids)-1]
		subs := make([]dashSubject, len(ids))
		for i, id := range ids {
			subs[i] = dashSubject{household: table == "households", id: id}
		}
		if err := t.dashContributions(ctx, subs, acc); err != nil {
			return err
		}
		if pending += len(ids); pending >= 20000 {
			if err := t.flushCounts(ctx, acc); err != nil {
				return err
			}
			acc, pending = dashCounts{}, 0
		}
	}
	return t.flushCounts(ctx, acc)
}

func (t *Tx) flushCounts(ctx context.Context, acc dashCounts) error {
	spread, err := t.dashSpread(ctx, acc)
	if err != nil {
		return err
	}
	return t.dashApply(ctx, spread)
}

// rebuildDashboardsIfStale fills the counters of a database that had data
// before migration 00016 (Migrate calls it).
func (db *DB) rebuildDashboardsIfStale(ctx context.Context) error {
	var state string
	if err := db.write.QueryRowContext(ctx, `SELECT value FROM dash_state WHERE name = 'counters'`).Scan(&state); err != nil {
		return classify(err)
	}
	if state == "built" {
		return nil
	}
	_, err := db.RebuildDashboards(ctx)
	return err
}

// DashboardRows lists every counter row as text, sorted: what the tests
// compare between the incremental counters and a rebuild.
func (db *DB) DashboardRows(ctx context.Context) ([]string, error) {
	var out []string
	for _, tab := range dashTables {
		cols := append(append([]string{"place_id"}, tab.keys...), tab.vals...)
		rows, err := db.reader().query(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+tab.name)
		if err != nil {
			return nil, classify(err)
		}
		err = eachRow(rows, func(s scanner) error {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := s.Scan(ptrs...); err != nil {
				return err
			}
			var b strings.Builder
			b.WriteString(tab.name)
			for _, v := range vals {
				if x, ok := v.([]byte); ok {
					v = string(x)
				}
				fmt.Fprintf(&b, "|%v", v)
			}
			out = append(out, b.String())
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}
