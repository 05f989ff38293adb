package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite's write-ahead log is copied back into the database file by a
// checkpoint. Left to SQLite, the checkpoint runs inside the commit that
// crosses wal_autocheckpoint pages: the writer — the one connection every
// write waits for — then also copies the log and waits for two fsyncs of
// the database file (in an import of 100,000 people, 5 % of all its CPU,
// all of it on the writer). Here a goroutine of its own, on a connection
// of its own, checkpoints after commits (PASSIVE: it never blocks the
// writer or a reader, and copies only what no reader still needs), while
// the writer carries on with its next transaction.
//
// A passive checkpoint overtaken by a commit cannot start the log again
// from the beginning, so during a long import the log would grow without
// end; the writer therefore keeps a checkpoint of its own at
// walWriterBackstop pages. By then the background one has copied nearly
// all of the log, so the writer's is short, and it restarts the log: the
// log stays under about 16 MB. Durability does not change: a commit is
// still fsynced to the log before it returns (synchronous=FULL).

// walWriterBackstop is the writer's own wal_autocheckpoint, in pages of
// 4 KiB (SQLite's default is 1,000).
const walWriterBackstop = 4096

// walCheckpointEvery spaces the background checkpoints: each copies the
// pages of all the commits since the last, and a page changed by several
// of them is copied once.
const walCheckpointEvery = 200 * time.Millisecond

type checkpointer struct {
	conn    *sql.DB
	kick    chan struct{}
	quit    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
	commits atomic.Uint64 // commits heard of
	// after, in tests, is called after each round with the commits heard
	// of before it began and PRAGMA wal_checkpoint's answer.
	after func(commits uint64, busy, log, done int)
}

func startCheckpointer(conn *sql.DB, after func(uint64, int, int, int)) *checkpointer {
	c := &checkpointer{conn: conn, kick: make(chan struct{}, 1), quit: make(chan struct{}), after: after}
	c.wg.Add(1)
	go c.run()
	return c
}

// committed tells the checkpointer that a write transaction committed.
func (c *checkpointer) committed() {
	if c == nil {
		return
	}
	c.commits.Add(1)
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer c.wg.Done()
	for {
		select {
		case <-c.quit:
			return
		case <-c.kick:
		}
		// Usually right after a commit, while the writer prepares its next
		// transaction. PRAGMA wal_checkpoint answers (busy, pages in the
		// log, pages copied); a failure is left to the next round or to
		// the writer's backstop.
		seen := c.commits.Load()
		var busy, log, done int
		_ = c.conn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &done)
		if c.after != nil {
			c.after(seen, busy, log, done)
		}
		// Commits during the pause leave their kick for the next round.
		select {
		case <-c.quit:
			return
		case <-time.After(walCheckpointEvery):
		}
	}
}

func (c *checkpointer) stop() {
	if c == nil {
		return
	}
	c.once.Do(func() { close(c.quit) })
	c.wg.Wait()
	c.conn.Close()
}
