package store

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"termtem/internal/imports"
)

// A job's claim names the process running it — host, process ID and a
// nonce made when the process started — so that a server starting on the
// same host can tell a job whose process died (kill -9, a crash, a power
// cut) from one another process is still running, without waiting for its
// heartbeat to go stale.
var importRunner = func() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	id := NewID()
	return fmt.Sprintf("%s/%d/%s", strings.ReplaceAll(host, "/", "_"), os.Getpid(), id[len(id)-12:])
}()

// newImportClaim makes a claim token for a job this process runs.
func newImportClaim() string { return importRunner + "/" + NewID() }

// ImportRunner is who holds a job: the host, process ID and nonce of the
// process that claimed it, and whether that process is this one.
type ImportRunner struct {
	Host  string
	PID   int
	Nonce string
	This  bool
}

// ImportRunnerOf reads the runner from a job's claim; ok is false for a
// claim that names none (an empty claim, or one made before claims named
// their process).
func ImportRunnerOf(claim string) (ImportRunner, bool) {
	parts := strings.Split(claim, "/")
	if len(parts) != 4 {
		return ImportRunner{}, false
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil {
		return ImportRunner{}, false
	}
	r := ImportRunner{Host: parts[0], PID: pid, Nonce: parts[2]}
	r.This = strings.HasPrefix(claim, importRunner+"/")
	return r, true
}

// ThisHost is the host name claims of this process carry.
func ThisHost() string { return importRunner[:strings.Index(importRunner, "/")] }

// ResumableImportJobs lists the jobs that may have been left by a process
// that died: those still marked running, oldest first. The caller decides
// by their runner and heartbeat which to take over.
func (db *DB) ResumableImportJobs(ctx context.Context) ([]imports.Job, error) {
	rows, err := db.reader().query(ctx, `SELECT `+jobColumns+` FROM import_jobs WHERE status = ? ORDER BY created_at, id`, string(imports.Running))
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []imports.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, j)
	}
	return out, classify(rows.Err())
}
