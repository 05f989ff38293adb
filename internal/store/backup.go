package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the SQLite database to path while the
// server keeps running (VACUUM INTO reads one snapshot), then checks the
// copy's integrity. It returns the copy's size.
func (db *DB) Backup(ctx context.Context, path string) (int64, error) {
	if db.postgres {
		return 0, errors.New("backup of PostgreSQL is done with pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return 0, fmt.Errorf("%s already exists; choose a new file", path)
	}
	// A connection of its own: the read pool is query-only, and the writer
	// must stay free for the users while the copy is made.
	src, err := sql.Open("sqlite", "file:"+db.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, err
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	copyDB, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer copyDB.Close()
	var result string
	if err := copyDB.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return 0, fmt.Errorf("check backup: %w", err)
	}
	if result != "ok" {
		return 0, fmt.Errorf("backup %s failed its integrity check: %s", path, result)
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
