package storetest_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	"termtem/internal/account"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func TestOpenGivesMigratedStore(t *testing.T) {
	db := storetest.Open(t)
	if db.Postgres() != storetest.Postgres() {
		t.Fatalf("store on PostgreSQL = %v, tests on PostgreSQL = %v", db.Postgres(), storetest.Postgres())
	}
	if _, err := db.GetPlaceByCode(context.Background(), "1011"); err != nil {
		t.Fatalf("reference places missing: %v", err)
	}
	// Two stores of one test are independent.
	other := storetest.Open(t)
	if _, err := other.SaveOrganisation(context.Background(), orgIn(t, other), auditEvent()); err != nil {
		t.Fatal(err)
	}
	if orgs, _ := db.ListOrganisations(context.Background(), store.OrganisationFilter{}); len(orgs) != 0 {
		t.Errorf("a write to one test store shows in another: %v", orgs)
	}
}

func TestURL(t *testing.T) {
	if !storetest.Postgres() {
		if u := storetest.URL(t); u != "" {
			t.Errorf("URL on SQLite = %q, want empty", u)
		}
		if o := storetest.Options(t); o.DataDir == "" || o.DatabaseURL != "" {
			t.Errorf("Options on SQLite = %+v", o)
		}
		return
	}
	var schema string
	t.Run("inner", func(t *testing.T) {
		raw := storetest.URL(t)
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		schema = u.Query().Get("search_path")
		if !strings.HasPrefix(schema, "t_") || len(schema) != 18 {
			t.Fatalf("search_path %q, want t_ and 16 hex digits", schema)
		}
		if !schemaExists(t, schema) {
			t.Fatalf("schema %s not created", schema)
		}
		db, err := store.Open(context.Background(), store.Options{DatabaseURL: raw})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !tableIn(t, schema, "places") || tableIn(t, "public", "places") {
			t.Error("tables not created in the test's own schema")
		}
	})
	if schemaExists(t, schema) {
		t.Errorf("schema %s left behind after its test ended", schema)
	}
}

func TestFastHash(t *testing.T) {
	h, err := account.HashPassword("kx8#vq2m", storetest.FastHash())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Errorf("FastHash does not give argon2id: %q", h)
	}
	if ok, err := account.VerifyPassword("kx8#vq2m", h); !ok || err != nil {
		t.Errorf("VerifyPassword = %v, %v", ok, err)
	}
}

func admin(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", os.Getenv(storetest.EnvPostgres))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func schemaExists(t *testing.T, schema string) bool {
	t.Helper()
	var n int
	if err := admin(t).QueryRow(`SELECT COUNT(*) FROM pg_namespace WHERE nspname = $1`, schema).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func tableIn(t *testing.T, schema, table string) bool {
	t.Helper()
	var n int
	if err := admin(t).QueryRow(`SELECT COUNT(*) FROM pg_tables WHERE schemaname = $1 AND tablename = $2`, schema, table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}
