package main

import (
	"testing"
	"time"

	"termtem/internal/imports"
)

// TestServeResumesKilledImport kills "termtem import" with SIGKILL in the
// middle of a roster and starts "termtem serve" on the same database: the
// server sees that the process holding the job is gone and finishes the
// job from its last committed batch by itself, with exactly the expected
// counts (nothing lost, nothing twice).
func TestServeResumesKilledImport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	getenv, db := importSetup(t)
	const rows = 30000
	job := killedImport(t, getenv, db, rows)
	t.Logf("killed after %d batches", job.BatchesDone)
	startServer(t, getenv)
	deadline := time.Now().Add(3 * time.Minute)
	for {
		j, err := db.ImportJob(t.Context(), job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status == imports.Done {
			c := j.Counts
			if c.Read != rows || c.Created != rows || c.Records != rows || c.Rejected+c.Updated+c.Unchanged+c.Linked != 0 ||
				j.BatchesDone != rows/imports.BatchRows {
				t.Fatalf("resumed by serve: %+v %+v", j, c)
			}
			break
		}
		if j.Status == imports.Failed || time.Now().After(deadline) {
			t.Fatalf("not resumed by serve: %+v", j)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n, _ := db.CountPeople(t.Context()); n != rows {
		t.Fatalf("people = %d, want %d", n, rows)
	}
}
