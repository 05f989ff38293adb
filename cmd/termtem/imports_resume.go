package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/imports"
	"termtem/internal/store"
)

// resumeEvery is how often serve looks for import jobs a dead process left.
const resumeEvery = time.Minute

// resumeImports takes over, when serve starts and every resumeEvery after,
// the import jobs a crashed process left running: at once when that
// process ran on this host and is gone, otherwise once its heartbeat is
// stale (another node may still be running it). Each is resumed from its
// last committed batch, as "termtem import resume" would.
func resumeImports(ctx context.Context, db *store.DB, log *slog.Logger, importDir string) {
	for {
		jobs, err := db.ResumableImportJobs(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("import resume: listing jobs", "error", err)
		}
		for _, j := range jobs {
			if ctx.Err() != nil {
				return
			}
			if r, ok := store.ImportRunnerOf(j.Claim); ok && r.This {
				continue // this process runs it now
			}
			force := runnerGone(j.Claim)
			if !force && db.Now().Sub(j.Heartbeat) < store.ImportStale {
				continue
			}
			log.Info("import resume", "job", j.ID, "batches_done", j.BatchesDone)
			done, err := db.RunImportJob(ctx, j.ID, false, force, audit.Event{RequestID: "import-resume"}, nil)
			switch {
			case err == nil:
				log.Info("import resumed and done", "job", j.ID, "batches", done.BatchesDone)
				if importDir != "" && filepath.Dir(done.FilePath) == filepath.Clean(importDir) {
					_ = os.Remove(done.FilePath) // personal data no longer needed
				}
			case errors.Is(err, imports.ErrStopped):
				log.Info("import resumed and stopped at a bad row", "job", j.ID)
			case errs.Is(err, errs.Conflict):
				// Another node took it first.
			case ctx.Err() == nil:
				e := errs.As(err)
				log.Error("import resume failed", "job", j.ID, "message_id", e.MessageID, "code", string(e.Code))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(resumeEvery):
		}
	}
}

// runnerGone reports whether a job's claim names a process of this host
// that no longer runs (or this process's previous life under the same ID,
// as in a container restarted with process ID 1).
func runnerGone(claim string) bool {
	r, ok := store.ImportRunnerOf(claim)
	if !ok || r.This || r.Host != store.ThisHost() {
		return false
	}
	if r.PID == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(r.PID)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH)
}
