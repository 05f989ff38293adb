-- +goose Up
-- The consent ledger: on what lawful basis a person's data may go to
-- another organisation, and every disclosure made, with the basis it
-- relied on. Withdrawal ends a consent for future disclosures; nothing is
-- deleted.

CREATE TABLE consents (
    id               TEXT PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES people(id),
    basis            TEXT NOT NULL,
    purposes         TEXT NOT NULL,
    receiver_org_id  TEXT REFERENCES organisations(id),
    receiver_kind    TEXT NOT NULL DEFAULT '',
    dimensions       TEXT NOT NULL,
    given_by         TEXT NOT NULL DEFAULT '',
    giver_name       TEXT NOT NULL DEFAULT '',
    reference        TEXT NOT NULL DEFAULT '',
    given_on         TEXT NOT NULL,
    expires_on       TEXT NOT NULL DEFAULT '',
    recorded_by      TEXT NOT NULL,
    recorded_org     TEXT NOT NULL REFERENCES organisations(id),
    created_at       TEXT NOT NULL,
    withdrawn_at     TEXT,
    withdrawn_by     TEXT,
    withdrawn_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consents_person ON consents(person_id);

CREATE TABLE disclosures (
    id               TEXT PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES people(id),
    purpose          TEXT NOT NULL,
    object_type      TEXT NOT NULL,
    object_id        TEXT NOT NULL,
    from_org         TEXT REFERENCES organisations(id),
    to_org           TEXT NOT NULL REFERENCES organisations(id),
    basis            TEXT NOT NULL,
    consent_id       TEXT REFERENCES consents(id),
    reference        TEXT NOT NULL DEFAULT '',
    actor_id         TEXT NOT NULL DEFAULT '',
    at               TEXT NOT NULL
);
CREATE INDEX disclosures_person ON disclosures(person_id, at);

-- +goose Down
DROP TABLE disclosures;
DROP TABLE consents;
