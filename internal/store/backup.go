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
	if _, err := db.read.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
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
