package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/store"
)

// termtem audit verify seals and checks the chain; an event edited in the
// database afterwards is named.
func TestAuditVerifyCommand(t *testing.T) {
	getenv := testEnv(t)
	if out, err := runCLI(getenv, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	// Events written a minute ago, so that they are old enough to seal.
	db, err := store.Open(context.Background(), store.Options{DataDir: getenv("TERMTEM_DATA"), DatabaseURL: getenv("TERMTEM_DATABASE_URL")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	past := time.Now().Add(-time.Minute)
	db.Now = func() time.Time { return past }
	for _, id := range []string{"p1", "p2", "p3"} {
		if err := db.AuditAlone(t.Context(), audit.Event{ActorID: "u1", Action: "person.read", ObjectType: "person", ObjectID: id}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runCLI(getenv, "", "audit", "verify")
	if err != nil || !strings.Contains(out, "OK") || !strings.Contains(out, "3 events verified") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	// The attacker writes to the database directly.
	driver, dsn := "sqlite", filepath.Join(getenv("TERMTEM_DATA"), store.SQLiteFileName)
	if u := getenv("TERMTEM_DATABASE_URL"); u != "" {
		driver, dsn = "pgx", u
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE audit_events SET object_id = 'p9' WHERE object_id = 'p2'`); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(getenv, "", "audit", "verify")
	if err == nil || !strings.Contains(out, "BROKEN at seal 2") {
		t.Fatalf("after an edit: %v\n%s", err, out)
	}
	if _, err := runCLI(getenv, "", "audit"); err == nil {
		t.Fatal("audit without verify ran")
	}
}
