package main

import (
	"bytes"
	"context"
	"database/sql"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"termtem/internal/store/storetest"
)

// pgCluster is a throw-away PostgreSQL cluster of a test's own, made by
// scripts/lib-postgres.sh, for drills that stop the server or stream to a
// replica — which the suite's shared cluster must not suffer.
type pgCluster struct {
	state      string // the script's variables, as declare lines
	URL        string // superuser, database postgres
	ReplicaURL string
}

var pgStateVars = []string{"PG_TMP_BINDIR", "PG_TMP_DIR", "PG_TMP_DATA", "PG_TMP_SOCK", "PG_TMP_LOG", "PG_TMP_PORT", "PG_TMP_URL",
	"PG_TMP_SUPERUSER", "_PG_TMP_STARTED", "PG_TMP_REPLICA_DATA", "PG_TMP_REPLICA_PORT", "PG_TMP_REPLICA_URL"}

// startPGCluster starts a primary (and, when asked, a streaming replica)
// on loopback. Only on PostgreSQL runs: the binaries are there then.
func startPGCluster(t *testing.T, replica bool) *pgCluster {
	t.Helper()
	if !storetest.Postgres() {
		t.Skip("needs PostgreSQL's server binaries (runs with the PostgreSQL suite)")
	}
	script := "PG_TMP_REPLICATION=1 pg_tmp_start"
	if replica {
		script += " && pg_tmp_replica_start"
	}
	c := &pgCluster{}
	out := c.sh(t, script+" && declare -p "+strings.Join(pgStateVars, " "))
	var decl []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "declare ") {
			decl = append(decl, line)
		}
	}
	c.state = strings.Join(decl, "\n")
	t.Cleanup(func() { c.sh(t, "pg_tmp_stop") })
	c.URL = c.get(t, "PG_TMP_URL")
	if replica {
		c.ReplicaURL = c.get(t, "PG_TMP_REPLICA_URL")
	}
	if c.URL == "" || (replica && c.ReplicaURL == "") {
		t.Fatalf("cluster did not start:\n%s", out)
	}
	return c
}

// sh runs script with the library sourced and this cluster's variables set.
func (c *pgCluster) sh(t *testing.T, script string) string {
	t.Helper()
	lib, err := filepath.Abs("../../scripts/lib-postgres.sh")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", `source "$1" && eval "$2" && `+script, "bash", lib, c.state)
	cmd.Dir = "/"
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, buf.String())
	}
	return buf.String()
}

func (c *pgCluster) get(t *testing.T, name string) string {
	for _, line := range strings.Split(c.state, "\n") {
		if _, rest, ok := strings.Cut(line, " "+name+"="); ok {
			return strings.Trim(rest, `"`)
		}
	}
	return ""
}

// env gives termtem this cluster as its database.
func (c *pgCluster) env(t *testing.T, more map[string]string) func(string) string {
	base := testEnv(t)
	return func(k string) string {
		if v, ok := more[k]; ok {
			return v
		}
		if k == "TERMTEM_DATABASE_URL" {
			return c.URL
		}
		return base(k)
	}
}

// query runs one query on url and returns the first column of the first row.
func pgQuery(t *testing.T, url, q string) string {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s sql.NullString
	if err := db.QueryRowContext(t.Context(), q).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s.String
}
