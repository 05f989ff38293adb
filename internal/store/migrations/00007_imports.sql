-- +goose Up
-- Import jobs: every file another agency sends is a job, committed in
-- batches (all or nothing each), resumable after a crash from the last
-- committed batch, with a report of the rows it rejected.

-- The column mapping a source's files are read with, saved so that next
-- month's file imports with one click. mapping is JSON (imports.Mapping).
CREATE TABLE import_mappings (
    source           TEXT PRIMARY KEY,
    format           TEXT NOT NULL,
    organisation_id  TEXT REFERENCES organisations(id),
    mapping          TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    updated_by       TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- One row per import. lines_done is the last input line of the last
-- committed batch: a resumed job skips to there. claim and heartbeat_at
-- tell a running job from one whose process died (kill -9, power cut).
-- error_* say what stopped a failed job (a message ID, never row values).
CREATE TABLE import_jobs (
    id               TEXT PRIMARY KEY,
    source           TEXT NOT NULL,
    format           TEXT NOT NULL,
    file_name        TEXT NOT NULL,
    file_hash        TEXT NOT NULL,
    file_path        TEXT NOT NULL,
    file_size        INTEGER NOT NULL DEFAULT 0,
    encoding         TEXT NOT NULL DEFAULT '',
    mapping          TEXT NOT NULL DEFAULT '{}',
    skip_bad_rows    BOOLEAN NOT NULL DEFAULT FALSE,
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    created_by       TEXT NOT NULL,
    status           TEXT NOT NULL,
    batches_done     INTEGER NOT NULL DEFAULT 0,
    lines_done       INTEGER NOT NULL DEFAULT 0,
    bytes_done       INTEGER NOT NULL DEFAULT 0,
    rows_read        INTEGER NOT NULL DEFAULT 0,
    rows_created     INTEGER NOT NULL DEFAULT 0,
    rows_linked      INTEGER NOT NULL DEFAULT 0,
    rows_added       INTEGER NOT NULL DEFAULT 0,
    rows_updated     INTEGER NOT NULL DEFAULT 0,
    rows_unchanged   INTEGER NOT NULL DEFAULT 0,
    rows_rejected    INTEGER NOT NULL DEFAULT 0,
    records_written  INTEGER NOT NULL DEFAULT 0,
    error_line       INTEGER NOT NULL DEFAULT 0,
    error_field      TEXT NOT NULL DEFAULT '',
    error_message    TEXT NOT NULL DEFAULT '',
    error_data       TEXT NOT NULL DEFAULT '',
    claim            TEXT NOT NULL DEFAULT '',
    heartbeat_at     TEXT,
    started_at       TEXT,
    finished_at      TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX import_jobs_created ON import_jobs(created_at);

-- What each source key was imported as: a person (a roster row, a PERSON
-- line) or a service record (an EPI line). row_hash makes a second import
-- of the same row a no-op and a corrected row an update in place. The key
-- comes first in the primary key: a batch looks up a thousand keys with
-- IN (…), and PostgreSQL, without statistics on a table that is growing
-- during the import, otherwise scans every key of the source.
CREATE TABLE import_keys (
    source       TEXT NOT NULL,
    source_key   TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    row_hash     TEXT NOT NULL,
    job_id       TEXT NOT NULL REFERENCES import_jobs(id),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (source_key, source, object_type)
);
CREATE INDEX import_keys_object ON import_keys(object_id);

-- The rows a job did not import, with the line, the source's column and
-- a message ID (data fills its template), for the downloadable report.
CREATE TABLE import_rejects (
    job_id      TEXT NOT NULL REFERENCES import_jobs(id),
    line        INTEGER NOT NULL,
    field       TEXT NOT NULL DEFAULT '',
    message_id  TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, line)
);

-- +goose Down
DROP TABLE import_rejects;
DROP TABLE import_keys;
DROP TABLE import_jobs;
DROP TABLE import_mappings;
