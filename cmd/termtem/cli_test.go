package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

func runCLI(getenv func(string) string, stdin string, args ...string) (string, error) {
	var out bytes.Buffer
	err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &out)
	return out.String(), err
}

func TestCommandsAndTheirErrors(t *testing.T) {
	getenv := testEnv(t)
	if out, err := runCLI(getenv, "", "version"); err != nil || !strings.HasPrefix(out, "termtem ") {
		t.Fatalf("version: %v %q", err, out)
	}
	if _, err := runCLI(getenv, "", "frobnicate"); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %v", err)
	}
	// The schema version is the newest migration's number.
	files, err := filepath.Glob("../../internal/store/migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v", err)
	}
	latest, err := strconv.ParseInt(strings.SplitN(filepath.Base(files[len(files)-1]), "_", 2)[0], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	// or a migration written in Go, if newer
	latest = max(latest, slices.Max(store.GoMigrationVersions()))
	want := fmt.Sprintf("schema version %d", latest)
	for i := 0; i < 2; i++ { // migrating twice changes nothing
		if out, err := runCLI(getenv, "", "migrate"); err != nil || !strings.Contains(out, want) {
			t.Fatalf("migrate %d: %v %q", i, err, out)
		}
	}
	if _, err := runCLI(getenv, "", "serve", "--addr", "nonsense"); err == nil || !strings.Contains(err.Error(), `--addr "nonsense" is not host:port`) {
		t.Fatalf("bad addr: %v", err)
	}
	cases := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"no password flag", "", []string{"user", "add", "--username", "a.b", "--role", "health_staff", "--org", "X"}, "--password-stdin is required"},
		{"unknown org", "long enough password\n", []string{"user", "add", "--username", "a.b", "--role", "health_staff", "--org", "NOPE", "--password-stdin"}, `--org "NOPE": no such organisation`},
		{"unknown user", "", []string{"user", "disable", "--username", "ghost"}, `no user "ghost"`},
		{"bad lifetime", "", []string{"token", "create", "--user", "ghost", "--expires", "forever"}, `--expires "forever"`},
	}
	for _, c := range cases {
		if _, err := runCLI(getenv, c.stdin, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

func TestUnreachablePostgresAtStart(t *testing.T) {
	getenv := func(k string) string {
		if k == "TERMTEM_DATABASE_URL" {
			return "postgres://termtem:canary-secret@127.0.0.1:1/termtem?sslmode=disable&connect_timeout=2"
		}
		return ""
	}
	out, err := runCLI(getenv, "", "serve", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "cannot reach PostgreSQL at postgres://termtem:xxxxx@127.0.0.1:1/") {
		t.Fatalf("unreachable PostgreSQL: %v", err)
	}
	if strings.Contains(err.Error()+out, "canary-secret") {
		t.Fatal("the database password leaked into the error")
	}
}

func TestBackupAndUserLifecycle(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-B1")
	ts.addUser(t, "nurse.b", "health_staff", "HC-B1", testPassword)
	c := newClient(t, ts.URL)
	if resp, _ := login(t, c, "nurse.b", testPassword); resp.StatusCode != 303 {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	// Disabling from the command line ends the live session at once.
	if out, err := ts.cli(t, "", "user", "disable", "--username", "nurse.b"); err != nil {
		t.Fatalf("disable: %v %s", err, out)
	}
	if resp, _ := c.get(t, "/", nil); resp.StatusCode != 303 {
		t.Fatalf("disabled user's session still works: %d", resp.StatusCode)
	}
	if resp, _ := login(t, newClient(t, ts.URL), "nurse.b", testPassword); resp.StatusCode != 401 {
		t.Fatalf("disabled user could log in: %d", resp.StatusCode)
	}

	out := filepath.Join(t.TempDir(), "copy.db")
	msg, err := ts.cli(t, "", "backup", "--out", out)
	if storetest.Postgres() {
		if err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Fatalf("backup on PostgreSQL should point to pg_dump: %v", err)
		}
		return
	}
	if err != nil || !strings.Contains(msg, "integrity check ok") {
		t.Fatalf("backup: %v %s", err, msg)
	}
	// The copy is a working database: the server starts on it and knows the user.
	dir := t.TempDir()
	if err := os.Rename(out, filepath.Join(dir, "termtem.db")); err != nil {
		t.Fatal(err)
	}
	restored := func(k string) string {
		if k == "TERMTEM_DATA" {
			return dir
		}
		return ""
	}
	if got, err := runCLI(restored, "long enough password 2\n", "user", "passwd", "--username", "nurse.b", "--password-stdin"); err != nil {
		t.Fatalf("restored copy lacks the user: %v %s", err, got)
	}
	if _, err := runCLI(restored, "", "backup", "--out", filepath.Join(dir, "termtem.db")); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("backup over an existing file: %v", err)
	}
}
