-- +goose Up
-- Record linkage: the pairs of people an import could not decide about
-- (the review queue), and the merges data officers made, kept so that a
-- merge can be undone.

-- A possible pair: person_id is the person an import row created,
-- candidate_id the person already known it may be. evidence is JSON: each
-- compared field's agreement level and weight (no names or dates).
-- status: pending, linked (merged: merge_id says how), separate.
CREATE TABLE linkage_pairs (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES people(id),
    candidate_id  TEXT NOT NULL REFERENCES people(id),
    score         DOUBLE PRECISION NOT NULL,
    evidence      TEXT NOT NULL DEFAULT '[]',
    source        TEXT NOT NULL DEFAULT '',
    job_id        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'pending',
    merge_id      TEXT,
    decided_by    TEXT NOT NULL DEFAULT '',
    decided_at    TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    UNIQUE (person_id, candidate_id)
);
CREATE INDEX linkage_pairs_status ON linkage_pairs(status, created_at);
CREATE INDEX linkage_pairs_candidate ON linkage_pairs(candidate_id);

-- A merge moved everything of merged_id to survivor_id; moved is JSON
-- listing every row moved (table, column, key), so that undoing it moves
-- exactly those back. undone_at is set when it was undone.
CREATE TABLE linkage_merges (
    id            TEXT PRIMARY KEY,
    survivor_id   TEXT NOT NULL REFERENCES people(id),
    merged_id     TEXT NOT NULL REFERENCES people(id),
    moved         TEXT NOT NULL,
    merged_by     TEXT NOT NULL,
    merged_at     TEXT NOT NULL,
    undone_by     TEXT NOT NULL DEFAULT '',
    undone_at     TEXT
);
CREATE INDEX linkage_merges_survivor ON linkage_merges(survivor_id);

-- A person merged into another is kept (for the undo) but no longer found.
ALTER TABLE people ADD COLUMN merged_into TEXT;

-- +goose Down
ALTER TABLE people DROP COLUMN merged_into;
DROP TABLE linkage_merges;
DROP TABLE linkage_pairs;
