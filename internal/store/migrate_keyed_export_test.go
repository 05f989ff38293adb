package store

import "context"

// RedoMigrationForTest undoes one migration and applies it again (the
// Go migrations' copies of tables with their rows).
func (db *DB) RedoMigrationForTest(ctx context.Context, version int64) error {
	p, err := db.migrationProvider()
	if err != nil {
		return err
	}
	if _, err := p.ApplyVersion(ctx, version, false); err != nil {
		return err
	}
	_, err = p.ApplyVersion(ctx, version, true)
	return err
}
