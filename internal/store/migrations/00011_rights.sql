-- +goose Up
-- Data-subject rights (PDPA s.30–36): requests to correct a record, the
-- reason a person's record was restricted, and how long each kind of
-- record is kept.

-- A request to correct what is held (s.35). It stays on the person's page
-- until a worker resolves it with a note of what was done.
CREATE TABLE rectification_requests (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES people(id),
    what          TEXT NOT NULL,
    asked_by      TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    resolved_at   TEXT,
    resolved_by   TEXT,
    resolution    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rectification_requests_person ON rectification_requests(person_id, created_at);

-- Why the record was restricted (s.32, s.34), kept beside the flag so that
-- the audit trail, which is never erased, holds no free text about a person.
ALTER TABLE people ADD COLUMN restriction_reason TEXT NOT NULL DEFAULT '';

-- Retention per kind of service record, as data an operator may change.
-- anchor 'adulthood': the years count from the end of the year the person
-- turns 18 (a child's record must outlive the childhood it documents);
-- 'record': from the record's date. The defaults are proposals awaiting
-- the pilot's legal review (proposed = TRUE).
CREATE TABLE retention_rules (
    record_kind  TEXT PRIMARY KEY,
    years        INTEGER NOT NULL,
    anchor       TEXT NOT NULL,
    proposed     BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO retention_rules (record_kind, years, anchor, proposed) VALUES
    ('antenatal_visit', 10, 'adulthood', TRUE),
    ('birth', 10, 'adulthood', TRUE),
    ('vaccination', 10, 'adulthood', TRUE),
    ('growth', 5, 'adulthood', TRUE),
    ('development_screening', 5, 'adulthood', TRUE),
    ('condition', 10, 'adulthood', TRUE),
    ('childcare_enrolment', 5, 'adulthood', TRUE),
    ('school_enrolment', 5, 'adulthood', TRUE),
    ('attendance', 3, 'record', TRUE),
    ('drop_out', 5, 'adulthood', TRUE),
    ('welfare_grant', 10, 'record', TRUE),
    ('home_visit', 10, 'adulthood', TRUE);

-- +goose Down
DROP TABLE retention_rules;
ALTER TABLE people DROP COLUMN restriction_reason;
DROP TABLE rectification_requests;
