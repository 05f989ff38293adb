package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Jobs that run on one node at a time (job_runs).
const (
	JobEscalateAlerts = "alerts.escalate"
	JobScheduledCheck = "alerts.scheduled_checks"
	JobSealAudit      = "audit.seal"
	JobRetention      = "retention"
)

// ClaimJob asks for job name's lease on behalf of holder (one per node).
// It succeeds when the lease is free and the job is due — it last finished
// at least every ago — or when holder already holds it (renewal while the
// job runs). The lease lasts for ttl: a node that dies mid-run blocks the
// job no longer than that. One guarded upsert decides, so two nodes asking
// at once never both get it, on SQLite or PostgreSQL.
func (db *DB) ClaimJob(ctx context.Context, name, holder string, ttl, every time.Duration) (bool, error) {
	now := db.Now()
	got := false
	err := db.inTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `INSERT INTO job_runs (name, holder, lease_until) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
			WHERE (job_runs.holder = excluded.holder AND job_runs.lease_until > ?)
			   OR (job_runs.lease_until <= ? AND job_runs.last_done_at <= ?)`,
			name, holder, ts(now.Add(ttl)), ts(now), ts(now), ts(now.Add(-every)))
		if err != nil {
			return classify(err)
		}
		n, err := res.RowsAffected()
		got = n == 1
		return classify(err)
	})
	return got, err
}

// FinishJob records that holder finished job name now and frees its
// lease. It reports false when the lease had meanwhile passed to another
// node (this node overran its lease); the finish is then not recorded.
func (db *DB) FinishJob(ctx context.Context, name, holder string) (bool, error) {
	now := ts(db.Now())
	done := false
	err := db.inTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE job_runs SET lease_until = ?, last_done_at = ?, last_holder = holder WHERE name = ? AND holder = ?`,
			now, now, name, holder)
		if err != nil {
			return classify(err)
		}
		n, err := res.RowsAffected()
		done = n == 1
		return classify(err)
	})
	return done, err
}

// JobRun is a job's row, for tests and operators.
type JobRun struct {
	Name, Holder, LastHolder string
	LeaseUntil, LastDoneAt   time.Time
}

// GetJob returns a job's lease and last run (the zero JobRun when it never ran).
func (db *DB) GetJob(ctx context.Context, name string) (JobRun, error) {
	j := JobRun{Name: name}
	var until, done string
	err := db.reader().queryRow(ctx, `SELECT holder, last_holder, lease_until, last_done_at FROM job_runs WHERE name = ?`, name).
		Scan(&j.Holder, &j.LastHolder, &until, &done)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return j, nil
		}
		return j, classify(err)
	}
	j.LeaseUntil, j.LastDoneAt = parseTS(until), parseTS(done)
	return j, nil
}
