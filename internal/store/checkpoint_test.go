package store

import (
	"context"
	"os"
	"testing"
)

// The checkpointer is SQLite's: these tests open an SQLite file of their
// own whichever database the suite runs on.

// writeScratch commits n transactions, each adding rows of about 1 KB that
// fill some 25 pages of the log.
func writeScratch(t *testing.T, db *DB, n int) {
	t.Helper()
	ctx := context.Background()
	if err := db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for range n {
		if err := db.InTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100)
				INSERT INTO scratch (v) SELECT hex(randomblob(500)) FROM s`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// The background checkpointer copies the log into the database file after
// commits, without the writer's help: here the writer's own checkpoint is
// out of reach, and a round that began after the last commit has copied
// the whole log.
func TestCheckpointerCopiesTheLog(t *testing.T) {
	type round struct {
		commits         uint64
		busy, log, done int
	}
	rounds := make(chan round, 1000)
	db, err := Open(context.Background(), Options{DataDir: t.TempDir(), walBackstop: 1 << 30,
		checkpointed: func(c uint64, busy, log, done int) { rounds <- round{c, busy, log, done} }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	writeScratch(t, db, 20)
	last := db.ckpt.commits.Load()
	if last < 21 {
		t.Fatalf("the checkpointer heard of %d commits, want 21", last)
	}
	for r := range rounds { // a round follows every commit's kick
		if r.commits < last {
			continue
		}
		if r.busy != 0 || r.log < 25 || r.done != r.log {
			t.Fatalf("checkpoint after the last commit: busy %d, %d pages in the log, %d copied", r.busy, r.log, r.done)
		}
		break
	}
}

// When the checkpointer falls behind (here it is stopped), the writer's
// backstop still keeps the log short: the log file never holds much more
// than the backstop and the last transaction, where 60 transactions of
// some 27 pages each would otherwise make a log of 1,600 pages.
func TestCheckpointBackstopBoundsTheLog(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(context.Background(), Options{DataDir: dir, walBackstop: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.ckpt.stop()
	db.ckpt = nil
	writeScratch(t, db, 60)
	st, err := os.Stat(db.path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	const frame = 4096 + 24 // a page and its frame header
	if pages := st.Size() / frame; pages > 100+60 {
		t.Fatalf("log of %d pages after 60 transactions with a backstop of 100", pages)
	}
	var n int
	if err := db.read.QueryRow(`SELECT COUNT(*) FROM scratch`).Scan(&n); err != nil || n != 6000 {
		t.Fatalf("rows %d, %v", n, err)
	}
}
