// Package storetest gives tests a fresh, migrated store: SQLite in a
// temporary directory by default, or — when TERMTEM_TEST_POSTGRES holds a
// postgres:// URL — a schema of its own in that PostgreSQL database, dropped
// when the test ends. The same test thus runs on both engines (scripts/test
// runs the suite once each way).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for creating schemas

	"termtem/internal/account"
	"termtem/internal/store"
)

// Environment variables read by the tests.
const (
	// EnvPostgres holds the URL of a PostgreSQL database the tests may create
	// schemas in; unset, the tests use SQLite.
	EnvPostgres = "TERMTEM_TEST_POSTGRES"
	// EnvRequireAll=1 turns every skip into a failure (CI sets it), so that a
	// missing dependency cannot make a suite pass by doing nothing.
	EnvRequireAll = "TERMTEM_TEST_REQUIRE_ALL"
)

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(EnvPostgres) != "" }

// RequireAll reports whether skipping is forbidden.
func RequireAll() bool { return os.Getenv(EnvRequireAll) == "1" }

// Skip skips the test, or fails it when TERMTEM_TEST_REQUIRE_ALL=1.
func Skip(t testing.TB, why string) {
	t.Helper()
	if RequireAll() {
		t.Fatalf("%s (not skipped: %s=1)", why, EnvRequireAll)
	}
	t.Skip(why)
}

// FastHash returns argon2id parameters cheap enough for tests. They still go
// through the real argon2id code; only the cost is lower.
func FastHash() account.HashParams {
	return account.HashParams{MemoryKiB: 1024, Time: 1, Threads: 1}
}

// Open returns a fresh, migrated store, closed (and on PostgreSQL its schema
// dropped) when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	opts := Options(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatalf("storetest: open store: %v", err)
	}
	// Registered after the schema's drop, so it runs before it.
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate: %v", err)
	}
	return db
}

// Options returns store options for a new, empty (unmigrated) database of
// this test: a temporary directory for SQLite, or a fresh schema on
// PostgreSQL. Each call makes a new one.
func Options(t testing.TB) store.Options {
	t.Helper()
	if !Postgres() {
		return store.Options{DataDir: t.TempDir()}
	}
	return store.Options{DatabaseURL: URL(t), DataKey: []byte(TestDataKey)}
}

// TestDataKey encrypts sensitive records in tests on PostgreSQL (on SQLite
// the store keeps a key file beside the test's database).
const TestDataKey = "test-data-key-0123456789abcdef0123456789"

// URL returns, on PostgreSQL, the URL of a fresh, empty schema made for this
// test (search_path set in the URL, schema dropped when the test ends), for
// tests that open the store themselves, such as those booting the whole
// server. On SQLite it returns "": use a t.TempDir() as the data directory,
// or Options.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		return ""
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("storetest: %s must be a postgres:// URL", EnvPostgres)
	}
	schema := "t_" + randomHex(8)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %s: %v", store.RedactURL(base), err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The name is ours and made of [t_0-9a-f], so it is safe to splice in.
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("storetest: create schema on %s: %v", store.RedactURL(base), err)
	}
	t.Cleanup(func() { dropSchema(t, base, schema) })

	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func dropSchema(t testing.TB, base, schema string) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Errorf("storetest: drop schema %s: %v", schema, err)
		return
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
		t.Errorf("storetest: drop schema %s: %v", schema, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
