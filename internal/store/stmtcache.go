package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"sync/atomic"
)

// stmtCache keeps the read pool's statements prepared on SQLite. The
// driver prepares every query afresh otherwise, and parsing the SQL was a
// quarter of a national-ID lookup's CPU. (pgx caches prepared statements
// on its own, so PostgreSQL does not use this.) Queries are built from a
// bounded set of shapes; past maxCachedStmts new ones are simply not
// cached.
type stmtCache struct {
	m sync.Map // query → *sql.Stmt
	n atomic.Int32
}

const maxCachedStmts = 2000

// get returns the prepared statement of query on pool, or nil when it is
// not cached (the caller then runs the query as it is).
func (c *stmtCache) get(ctx context.Context, pool *sql.DB, query string) *sql.Stmt {
	if v, ok := c.m.Load(query); ok {
		return v.(*sql.Stmt)
	}
	if c.n.Load() >= maxCachedStmts {
		return nil
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil // the plain path reports the error
	}
	if v, loaded := c.m.LoadOrStore(query, st); loaded {
		st.Close()
		return v.(*sql.Stmt)
	}
	c.n.Add(1)
	return st
}

func (c *stmtCache) close() {
	c.m.Range(func(k, v any) bool {
		if st, _ := v.(*sql.Stmt); st != nil {
			st.Close()
		}
		c.m.Delete(k)
		return true
	})
}

// cached returns a prepared statement for query: on the SQLite read pool
// the pool's own, in a SQLite write transaction the writer's statement
// bound to the transaction; nil on PostgreSQL, for statements not worth
// keeping (cacheable), past the cache's size, and the first time a write
// transaction meets a query (see writeStmts).
func (t *Tx) cached(ctx context.Context, query string) *sql.Stmt {
	if t.db.postgres {
		return nil
	}
	if t.q == queryer(t.db.read) {
		return t.db.readStmts.get(ctx, t.db.read, query)
	}
	tx, ok := t.q.(*sql.Tx)
	if !ok || !cacheable(query) {
		return nil
	}
	if v, ok := t.db.writeStmts.m.Load(query); ok {
		if st, _ := v.(*sql.Stmt); st != nil {
			// Bound to the transaction, on the writer's one connection,
			// where database/sql finds the statement already prepared.
			return tx.StmtContext(ctx, st)
		}
		return nil // it could not be prepared outside a transaction
	}
	if t.db.writeStmts.n.Load() < maxCachedStmts {
		t.unprepared = append(t.unprepared, query)
	}
	return nil
}

// prepareWrites prepares, on the writer's pool, the statements a write
// transaction ran unprepared. It runs after the transaction has given the
// writer's only connection back: preparing on the pool while a transaction
// holds it would wait for ever. A statement that does not prepare on its
// own (one naming a temporary table of its transaction) is remembered as
// such and not tried again.
func (db *DB) prepareWrites(ctx context.Context, queries []string) {
	c := &db.writeStmts
	for _, q := range queries {
		if _, ok := c.m.Load(q); ok || c.n.Load() >= maxCachedStmts {
			continue
		}
		st, err := db.write.PrepareContext(ctx, q)
		if err != nil {
			if ctx.Err() != nil {
				return // the request ended; not the statement's fault
			}
			st = nil
		}
		if _, loaded := c.m.LoadOrStore(q, st); loaded {
			if st != nil {
				st.Close()
			}
			continue
		}
		c.n.Add(1)
	}
}

// cacheable says whether a statement of a write transaction is worth
// keeping prepared: one short statement of data, not a schema change, a
// pragma or a multi-row insert of a bulk writer (those have their own
// statements, bulk_stmts.go, and their row counts vary).
func cacheable(query string) bool {
	if len(query) > 4000 || strings.Contains(strings.TrimRight(query, " \t\n;"), ";") || strings.Contains(query, "), (") {
		return false
	}
	head := strings.TrimLeft(query, " \t\n")
	for _, w := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"} {
		if len(head) >= len(w) && strings.EqualFold(head[:len(w)], w) {
			return true
		}
	}
	return false
}
