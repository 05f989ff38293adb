package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate applies the embedded migrations, then brings the reference data
// (Bangkok's places, the permission catalogue and built-in roles, the
// default flower instrument) up to date.
// It is safe to run from several processes at once: on PostgreSQL a lock
// table serialises them, on SQLite the single writer does.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrationProvider()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := db.seedRoles(ctx); err != nil {
		return fmt.Errorf("seed roles: %w", err)
	}
	if err := db.seedPlaces(ctx); err != nil {
		return fmt.Errorf("seed places: %w", err)
	}
	if err := db.seedInstruments(ctx); err != nil {
		return fmt.Errorf("seed instruments: %w", err)
	}
	if err := db.rebuildDashboardsIfStale(ctx); err != nil {
		return fmt.Errorf("dashboard counters: %w", err)
	}
	return nil
}

// migrationProvider runs the embedded SQL migrations and those written in
// Go (migrate_keyed.go) on the writer.
func (db *DB) migrationProvider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	// Out of order is allowed because features are built on parallel
	// branches: a database made by a build that had migration 13 but not yet
	// 12 must take 12 when it arrives. Each migration only adds its own
	// tables, columns and indexes, so the order between them does not matter.
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithAllowOutofOrder(true), goMigrations(db.postgres)}
	if db.postgres {
		dialect = goose.DialectPostgres
		// A lock table, not an advisory lock: it also works on distributed
		// PostgreSQL-compatible engines.
		locker, err := lock.NewPostgresTableLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithLocker(locker))
	}
	return goose.NewProvider(dialect, db.write, sub, opts...)
}

// SchemaVersion reports the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return 0, err
	}
	dialect := goose.DialectSQLite3
	if db.postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.read, sub, goose.WithDisableGlobalRegistry(true), goMigrations(db.postgres))
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}
