package store

import (
	"context"
	"testing"
)

// The server's memory budget is 300 MB (issue 9); SQLite's page caches are
// most of it, one per connection. PostgreSQL's caches live in its own
// server, so this is SQLite's alone.
func TestSQLitePageCachesFitTheBudget(t *testing.T) {
	// These are SQLite's counts; resident memory is about twice as much
	// (see writerCacheKiB), so all caches full at once would not fit. They
	// are seldom full: in WAL mode every commit empties the readers' caches
	// (and every read of a person commits its audit row), so under load the
	// readers hold little and the writer's cache is the one that stays; the
	// API mix benchmark measures the resident memory under load
	// (docs/benchmarks.md). The budget keeps the writer's cache from
	// growing back unnoticed.
	const budgetKiB = 230 << 10
	if total := writerCacheKiB + sqliteReaders*readerCacheKiB + checkpointCacheKiB; total > budgetKiB {
		t.Fatalf("page caches add up to %d MiB, over the %d MiB budget", total>>10, budgetKiB>>10)
	}
	ctx := context.Background()
	db, err := Open(ctx, Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// What each connection was actually given (a DSN typo is ignored
	// silently by the driver).
	for _, c := range []struct {
		name string
		tx   *Tx
		want int
	}{{"reader", db.reader(), -readerCacheKiB}, {"writer", &Tx{q: db.write, db: db}, -writerCacheKiB}} {
		var got int
		if err := c.tx.queryRow(ctx, `PRAGMA cache_size`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: cache_size = %d, want %d", c.name, got, c.want)
		}
	}
	if got := db.read.Stats().MaxOpenConnections; got != sqliteReaders {
		t.Errorf("readers: %d, want %d", got, sqliteReaders)
	}
}
