// Package benchstore gives benchmarks a store holding a large generated
// population (demo.Populate), built once and cached, because building a
// million people takes minutes:
//
//   - SQLite: the database is built in a temporary directory and moved to
//     $TERMTEM_BENCH_DIR (default $TMPDIR/termtem-bench) under a name made
//     of the population's size, seed and generator version, with a
//     "complete" marker; later runs open it (migrating it if the schema has
//     grown). Delete the directory to rebuild.
//   - PostgreSQL (when TERMTEM_TEST_POSTGRES is set): a schema named the
//     same way in that database, kept for later runs against the same
//     server (scripts/test's throw-away cluster is deleted with it).
//
// TERMTEM_BENCH_PEOPLE sets the size (default 1,000,000).
package benchstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for creating schemas

	"termtem/internal/demo"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// Environment variables read here.
const (
	EnvPeople = "TERMTEM_BENCH_PEOPLE"
	EnvDir    = "TERMTEM_BENCH_DIR"
)

// DefaultPeople is the population of the benchmarks in docs/benchmarks.md.
const DefaultPeople = 1_000_000

// People is the population size asked for by TERMTEM_BENCH_PEOPLE.
func People(tb testing.TB) int {
	s := os.Getenv(EnvPeople)
	if s == "" {
		return DefaultPeople
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		tb.Fatalf("%s=%q: want a positive number", EnvPeople, s)
	}
	return n
}

// Open returns a migrated store with n generated people of the given seed,
// from the cache or built now (the build is logged with its rate). The store
// is closed when the benchmark ends.
func Open(tb testing.TB, n int, seed int64) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, Options(tb, n, seed))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if storetest.Postgres() {
		have, err := db.CountPeople(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		if have == 0 {
			build(tb, db, n, seed)
		} else if have < n {
			tb.Fatalf("schema %s holds %d people, not %d: drop it (an interrupted build?)", cacheName(n, seed), have, n)
		}
	}
	return db
}

// Options locates the store of n generated people of the given seed, for
// a benchmark that starts a server of its own on it: the SQLite directory
// (built first if it is not cached) or the PostgreSQL schema's URL (built
// by Open).
func Options(tb testing.TB, n int, seed int64) store.Options {
	tb.Helper()
	name := cacheName(n, seed)
	if storetest.Postgres() {
		return store.Options{DatabaseURL: postgresSchema(tb, name)}
	}
	return store.Options{DataDir: sqliteDir(tb, name, n, seed)}
}

// cacheName names a cached population by size, seed and generator.
func cacheName(n int, seed int64) string {
	return fmt.Sprintf("bench_v%d_s%d_n%d", demo.GeneratorVersion, seed, n)
}

// sqliteDir returns the directory of the cached SQLite database, building
// it first if needed.
func sqliteDir(tb testing.TB, name string, n int, seed int64) string {
	tb.Helper()
	root := os.Getenv(EnvDir)
	if root == "" {
		root = filepath.Join(os.TempDir(), "termtem-bench")
	}
	dir := filepath.Join(root, "sqlite-"+name)
	if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		tb.Logf("benchstore: cached SQLite population in %s", dir)
		return dir
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		tb.Fatal(err)
	}
	tmp, err := os.MkdirTemp(root, "building-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: tmp})
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		tb.Fatal(err)
	}
	build(tb, db, n, seed)
	if err := db.Close(); err != nil { // checkpoints the WAL into the file
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "complete"), []byte(time.Now().Format(time.RFC3339)+"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	os.RemoveAll(dir)
	if err := os.Rename(tmp, dir); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func build(tb testing.TB, db *store.DB, n int, seed int64) {
	tb.Helper()
	tb.Logf("benchstore: generating %d people (seed %d); this is done once and cached", n, seed)
	res, err := demo.Populate(context.Background(), db, demo.PopulationOptions{People: n, Seed: seed, Progress: logWriter{tb}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("benchstore: %d people, %d households in %s: %.0f people/s", res.People, res.Households,
		res.Elapsed.Round(time.Millisecond), res.PeoplePerSecond())
}

// postgresSchema returns the URL of the named schema in the test database,
// creating the schema if needed.
func postgresSchema(tb testing.TB, name string) string {
	tb.Helper()
	base := os.Getenv(storetest.EnvPostgres)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	// The name is ours and made of [a-z0-9_], so it is safe to splice in.
	if _, err := admin.Exec("CREATE SCHEMA IF NOT EXISTS " + name); err != nil {
		tb.Fatalf("benchstore: create schema %s: %v", name, err)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

type logWriter struct{ tb testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.tb.Logf("benchstore: %s", p)
	return len(p), nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
