-- +goose Up
-- Background jobs that must run once across all application nodes
-- (escalating overdue alerts, the daily scheduled checks, sealing the audit
-- chain, retention). Each node asks for a job's lease before running it:
-- one row per job, taken by whichever node finds it free and due, held
-- until lease_until (renewed while the job runs), and released with the
-- time it finished. A node that dies mid-run leaves the lease to expire.
-- Times are stored as UTC text like every other time in the schema; no
-- advisory locks, so the table works on SQLite and on any
-- PostgreSQL-compatible engine.
CREATE TABLE job_runs (
    name          TEXT PRIMARY KEY,
    holder        TEXT NOT NULL,
    lease_until   TEXT NOT NULL,
    last_done_at  TEXT NOT NULL DEFAULT '',
    last_holder   TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE job_runs;
