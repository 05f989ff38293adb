-- +goose Up
-- Linkage evidence: what an import row said about a child's mother and
-- home (the mother's name or national ID, the community, the address),
-- kept for record linkage only. The mother's name is personal data of
-- another person: it is read by the linker and, beside the child's own
-- record, by the review queue (audited as a read of the child); it is
-- never shown as the child's data, exported or written to a URL or log.
-- One row per imported row (source, source_key): a corrected row
-- replaces its evidence; a merge moves it with the person (by id).
CREATE TABLE linkage_evidence (
    id           TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    source_key   TEXT NOT NULL,
    person_id    TEXT NOT NULL REFERENCES people(id),
    mother_name  TEXT NOT NULL DEFAULT '',
    mother_cid   TEXT NOT NULL DEFAULT '',
    community    TEXT NOT NULL DEFAULT '',
    address      TEXT NOT NULL DEFAULT '',
    job_id       TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    UNIQUE (source, source_key)
);
CREATE INDEX linkage_evidence_person ON linkage_evidence(person_id);

-- +goose Down
DROP TABLE linkage_evidence;
