package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
)

// On SQLite a bulk writer's full-size INSERT (hundreds of rows of
// placeholders) is prepared once on the writer's connection and kept
// across transactions. database/sql cannot do that here: a statement
// prepared inside a transaction is closed with it, and preparing one on
// the pool while a transaction holds its only connection would wait for
// ever. So the statements are kept at the driver level, by connection,
// and run through sql.Conn.Raw on the transaction's own connection (the
// same SQLite connection, inside the same transaction). Preparing the
// batch's statements again for every import batch was a few per cent of
// the writer's time, and the larger statements this allows are cheaper
// per row (fewer statement journals, fewer statement starts).
type sqliteStmts struct {
	mu    sync.Mutex
	dc    any // the driver connection the statements belong to
	m     map[string]driver.Stmt
	named []driver.NamedValue
}

// exec runs query with args on conn's driver connection, preparing it the
// first time.
func (s *sqliteStmts) exec(ctx context.Context, conn *sql.Conn, query string, args []any) error {
	return conn.Raw(func(dc any) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.dc != dc {
			// A new connection (the pool replaced a broken one): the old
			// statements went with the old connection and are never used
			// or closed again.
			s.dc, s.m = dc, map[string]driver.Stmt{}
		}
		st := s.m[query]
		if st == nil {
			p, ok := dc.(driver.ConnPrepareContext)
			if !ok {
				return errors.New("bulk insert: the SQLite driver cannot prepare")
			}
			var err error
			if st, err = p.PrepareContext(ctx, query); err != nil {
				return err
			}
			s.m[query] = st
		}
		ex, ok := st.(driver.StmtExecContext)
		if !ok {
			return errors.New("bulk insert: the SQLite driver cannot execute a statement")
		}
		s.named = s.named[:0]
		for i, a := range args {
			v, err := driver.DefaultParameterConverter.ConvertValue(a)
			if err != nil {
				return err
			}
			s.named = append(s.named, driver.NamedValue{Ordinal: i + 1, Value: v})
		}
		_, err := ex.ExecContext(ctx, s.named)
		clear(s.named) // drop references to the caller's strings
		return err
	})
}

// close finalises the statements; the caller holds the only connection.
func (s *sqliteStmts) close(ctx context.Context, pool *sql.DB) {
	s.mu.Lock()
	n := len(s.m)
	s.mu.Unlock()
	if n == 0 {
		return
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	_ = conn.Raw(func(dc any) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if dc == s.dc {
			for _, st := range s.m {
				st.Close()
			}
		}
		s.dc, s.m = nil, nil
		return nil
	})
}
