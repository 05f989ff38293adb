package store

import (
	"context"
	"database/sql"
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
		v.(*sql.Stmt).Close()
		c.m.Delete(k)
		return true
	})
}

// cached returns a prepared statement for a query on the SQLite read pool,
// or nil: in write transactions, on PostgreSQL, or past the cache's size.
func (t *Tx) cached(ctx context.Context, query string) *sql.Stmt {
	if t.db.postgres || t.q != queryer(t.db.read) {
		return nil
	}
	return t.db.readStmts.get(ctx, t.db.read, query)
}
