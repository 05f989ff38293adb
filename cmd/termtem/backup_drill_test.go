package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// tableSum is a table's row count and a checksum of its rows (order-free:
// the sorted rows are hashed).
type tableSum struct {
	rows int
	sum  string
}

type sqlQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// tableNames lists the schema's ordinary tables.
func tableNames(t *testing.T, q sqlQueryer, postgres bool) []string {
	t.Helper()
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`
	if postgres {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := q.QueryContext(t.Context(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil || len(names) < 10 {
		t.Fatalf("tables %v %v", names, err)
	}
	return names
}

// tableRows returns each row of a table as text.
func tableRows(t *testing.T, q sqlQueryer, table string) []string {
	t.Helper()
	// The name comes from the catalogue, not from input.
	rows, err := q.QueryContext(t.Context(), `SELECT * FROM "`+table+`"`)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = hex.EncodeToString(bs)
			}
			fmt.Fprintf(&b, "%v\x1f", v)
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func tableSums(t *testing.T, q sqlQueryer, postgres bool) map[string]tableSum {
	t.Helper()
	sums := map[string]tableSum{}
	for _, name := range tableNames(t, q, postgres) {
		rows := tableRows(t, q, name)
		h := sha256.New()
		for _, r := range rows {
			h.Write([]byte(r))
			h.Write([]byte{'\n'})
		}
		sums[name] = tableSum{rows: len(rows), sum: hex.EncodeToString(h.Sum(nil))[:16]}
	}
	return sums
}

// A backup taken while clients write, restored into a new database: each
// table's row count and checksum equal the source's at the backup's
// moment, every write acknowledged before the backup began is in it, and
// the restored audit chain verifies. SQLite: termtem backup (VACUUM INTO);
// PostgreSQL: pg_dump at a snapshot the test exports, so that the source
// can be summed at exactly that moment, and psql into a new database.
func TestBackupUnderLoad(t *testing.T) {
	getenv := testEnv(t)
	ts := startServer(t, getenv)
	w := newFaultWorld(t, ts, "BKUP")
	hc := &http.Client{Timeout: 30 * time.Second}
	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := 0; c < pick(3, 8); c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				status, p, _, err := rawCall(hc, ts.URL, w.nurse.token, "POST", "/api/v1/people", map[string]any{
					"given_name": fmt.Sprintf("ด.ญ.สำรอง%d", c*100000+i), "family_name": "สำรองข้อมูล",
					"birth_date": "2016-06-06", "household_id": w.household, "relationship": "child", "confirm_new": true}, nil)
				if err != nil || status != http.StatusCreated {
					t.Errorf("write under backup: %d %v %v", status, p, err)
					return
				}
				mu.Lock()
				acked = append(acked, p["id"].(string))
				mu.Unlock()
			}
		}()
	}
	waitFor := func(n int) {
		for {
			mu.Lock()
			got := len(acked)
			mu.Unlock()
			if got >= n || t.Failed() {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor(pick(30, 2000))
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()

	dir := t.TempDir()
	var snapshot map[string]tableSum
	var restoredEnv func(string) string
	var backupTook, restoreTook time.Duration
	if storetest.Postgres() {
		dump := filepath.Join(dir, "termtem.sql")
		start := time.Now()
		snapshot = pgDumpAtSnapshot(t, getenv("TERMTEM_DATABASE_URL"), dump)
		backupTook = time.Since(start)
		close(stop)
		wg.Wait()
		start = time.Now()
		restoredURL := pgRestore(t, getenv("TERMTEM_DATABASE_URL"), dump)
		restoreTook = time.Since(start)
		restoredEnv = func(k string) string {
			if k == "TERMTEM_DATABASE_URL" {
				return restoredURL
			}
			return getenv(k)
		}
	} else {
		file := filepath.Join(dir, "termtem-backup.db")
		start := time.Now()
		if out, err := runCLI(getenv, "", "backup", "--out", file); err != nil || !strings.Contains(out, "integrity check ok") {
			t.Fatalf("backup: %v\n%s", err, out)
		}
		backupTook = time.Since(start)
		close(stop)
		wg.Wait()
		// The backup is the snapshot; it must be a consistent past state
		// of the source: every row of the tables only ever added to is
		// in the source as it is now.
		backup, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer backup.Close()
		snapshot = tableSums(t, backup, false)
		source := rawSQL(t, getenv)
		for _, table := range []string{"people", "households", "audit_events", "person_identifiers"} {
			if _, ok := snapshot[table]; !ok {
				continue
			}
			now := map[string]bool{}
			for _, r := range tableRows(t, source, table) {
				now[r] = true
			}
			for _, r := range tableRows(t, backup, table) {
				if !now[r] {
					t.Fatalf("%s: a row of the backup is not in the source: %.200q", table, r)
				}
			}
		}
		// Restore: the file as the database of a new data directory, with
		// the key files kept apart from it.
		start = time.Now()
		restoredDir := t.TempDir()
		copyFile(t, file, filepath.Join(restoredDir, store.SQLiteFileName))
		for _, key := range []string{auditKeyFile, store.DataKeyFile} {
			copyFile(t, filepath.Join(getenv("TERMTEM_DATA"), key), filepath.Join(restoredDir, key))
		}
		restoredEnv = func(k string) string {
			if k == "TERMTEM_DATA" {
				return restoredDir
			}
			return getenv(k)
		}
		if out, err := runCLI(restoredEnv, "", "migrate"); err != nil {
			t.Fatalf("migrate the restored database: %v\n%s", err, out)
		}
		restoreTook = time.Since(start)
	}
	if t.Failed() {
		return
	}
	restored := tableSums(t, rawSQL(t, restoredEnv), storetest.Postgres())
	if len(restored) != len(snapshot) {
		t.Errorf("%d tables restored, %d in the backup", len(restored), len(snapshot))
	}
	for name, want := range snapshot {
		if got := restored[name]; got != want {
			t.Errorf("table %s: restored %d rows (checksum %s), at the backup %d rows (%s)", name, got.rows, got.sum, want.rows, want.sum)
		}
	}
	inBackup := map[string]bool{}
	for _, r := range tableRows(t, rawSQL(t, restoredEnv), "people") {
		inBackup[strings.SplitN(r, "\x1f", 2)[0]] = true
	}
	for _, id := range before {
		if !inBackup[id] {
			t.Fatalf("person %s, acknowledged before the backup began, is not in it", id)
		}
	}
	if out, err := runCLI(restoredEnv, "", "audit", "verify"); err != nil || !strings.Contains(out, "OK") {
		t.Fatalf("audit verify on the restored database: %v\n%s", err, out)
	}
	mu.Lock()
	total := len(acked)
	mu.Unlock()
	t.Logf("backup of %d people (%d tables, %d acknowledged before it, %d by the end of the load) took %s, restore %s",
		snapshot["people"].rows, len(snapshot), len(before), total, backupTook.Round(time.Millisecond), restoreTook.Round(time.Millisecond))
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// libpqURL splits a test URL into one libpq tools accept (no
// search_path parameter) and its schema.
func libpqURL(t *testing.T, raw string) (string, string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema
}

func pgTool(name string) string {
	if p := filepath.Join("/usr/lib/postgresql/15/bin", name); fileExists(p) {
		return p
	}
	return name
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// pgDumpAtSnapshot sums every table inside a REPEATABLE READ transaction,
// exports its snapshot, and has pg_dump write the schema at exactly that
// snapshot while the clients go on writing.
func pgDumpAtSnapshot(t *testing.T, rawURL, file string) map[string]tableSum {
	t.Helper()
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(t.Context(), &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var snap string
	if err := tx.QueryRowContext(t.Context(), `SELECT pg_export_snapshot()`).Scan(&snap); err != nil {
		t.Fatal(err)
	}
	sums := tableSums(t, tx, true)
	base, schema := libpqURL(t, rawURL)
	out, err := exec.Command(pgTool("pg_dump"), "--snapshot="+snap, "--schema="+schema, "--no-owner", "--no-privileges",
		"--file="+file, "--dbname="+base).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	return sums
}

// pgRestore loads a dump into a new database (dropped when the test
// ends) and returns its URL with the schema as search path.
func pgRestore(t *testing.T, rawURL, file string) string {
	t.Helper()
	base, schema := libpqURL(t, rawURL)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "r_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(t.Context(), `CREATE DATABASE `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.ExecContext(context.Background(), `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop restored database: %v", err)
		}
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	if out, err := exec.Command(pgTool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--file="+file, "--dbname="+u.String()).CombinedOutput(); err != nil {
		t.Fatalf("psql restore: %v\n%s", err, out)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
