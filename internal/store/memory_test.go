package store

import (
	"context"
	"testing"
)

// The server's memory budget is 300 MB (issue 9); SQLite's page caches are
// most of it, one per connection. PostgreSQL's caches live in its own
// server, so this is SQLite's alone.
func TestSQLitePageCachesFitTheBudget(t *testing.T) {
	// Full caches would leave about 40 MB of the 300 for Go's heap and the
	// program; in use they are seldom full, since every commit empties the
	// readers' caches (docs/benchmarks.md has the RSS measured under load).
	const budgetKiB = 260 << 10
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
