-- +goose Up
-- Linkage weights estimated from the live data.

-- What imports compared: for every committed batch, how many of its
-- candidate pairs fell in each agreement pattern (JSON: pattern → pairs,
-- a pattern being each field's level, "0.0.-.1.0.-.-.-"). No names, dates
-- or people: only counts. Written in the batch's own transaction, so a
-- batch rolled back leaves none.
CREATE TABLE linkage_patterns (
    job_id      TEXT NOT NULL,
    batch       INTEGER NOT NULL,
    patterns    TEXT NOT NULL,
    pairs       BIGINT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (job_id, batch)
);
CREATE INDEX linkage_patterns_created ON linkage_patterns(created_at);

-- Every model ever trained, never changed: the newest version is the one
-- imports and the review queue use (none yet: the built-in defaults).
-- model is the JSON of m and u by field and level; blocked_pairs the
-- candidate pairs EM ran over, random_pairs the random pairs u came from;
-- pairs_seen how many pairs imports had recorded when it was trained (for
-- training again once enough new ones exist); cause "command" or
-- "import".
CREATE TABLE linkage_models (
    id             TEXT PRIMARY KEY,
    version        INTEGER NOT NULL UNIQUE,
    model          TEXT NOT NULL,
    blocked_pairs  BIGINT NOT NULL,
    patterns       INTEGER NOT NULL,
    random_pairs   INTEGER NOT NULL,
    iterations     INTEGER NOT NULL,
    converged      BOOLEAN NOT NULL,
    delta          DOUBLE PRECISION NOT NULL,
    pairs_seen     BIGINT NOT NULL,
    cause          TEXT NOT NULL,
    trained_by     TEXT NOT NULL,
    trained_at     TEXT NOT NULL,
    seconds        DOUBLE PRECISION NOT NULL
);

-- The model version a queued pair was scored with (0: the defaults).
ALTER TABLE linkage_pairs ADD COLUMN model_version INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE linkage_pairs DROP COLUMN model_version;
DROP TABLE linkage_models;
DROP TABLE linkage_patterns;
