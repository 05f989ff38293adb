-- +goose Up
-- The 4-dimension flower: published instrument versions, assessments of
-- households and children (by staff or by the family itself), the
-- early-warning alerts they open, and the single-use codes that let a
-- family assess itself without an account.

-- A published version never changes; body is the instrument file as loaded.
CREATE TABLE instruments (
    code          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    title_th      TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    body          TEXT NOT NULL,
    loaded_by     TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

-- One row per assessment. The dimension levels are columns so that lists
-- and dashboards read them without decoding result, the evaluated
-- assessment (flower.Result as JSON) kept with its instrument version.
CREATE TABLE assessments (
    id                  TEXT PRIMARY KEY,
    subject             TEXT NOT NULL,
    person_id           TEXT REFERENCES people(id),
    household_id        TEXT REFERENCES households(id),
    instrument_code     TEXT NOT NULL,
    instrument_version  INTEGER NOT NULL,
    assessed_on         TEXT NOT NULL,
    source              TEXT NOT NULL,
    organisation_id     TEXT REFERENCES organisations(id),
    author_id           TEXT,
    economy             TEXT NOT NULL,
    safety              TEXT NOT NULL,
    education           TEXT NOT NULL,
    health              TEXT NOT NULL,
    answers             TEXT NOT NULL,
    result              TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    FOREIGN KEY (instrument_code, instrument_version) REFERENCES instruments(code, version)
);
CREATE INDEX assessments_person ON assessments(person_id, assessed_on);
CREATE INDEX assessments_household ON assessments(household_id, assessed_on);

-- An alert goes to one organisation; escalation 1 adds its supervisors,
-- escalation 2 the district committee in committee_id.
CREATE TABLE alerts (
    id               TEXT PRIMARY KEY,
    alert_key        TEXT NOT NULL,
    severity         TEXT NOT NULL,
    subject          TEXT NOT NULL,
    person_id        TEXT REFERENCES people(id),
    household_id     TEXT REFERENCES households(id),
    dimension        TEXT NOT NULL,
    indicators       TEXT NOT NULL,
    assessment_id    TEXT REFERENCES assessments(id),
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    committee_id     TEXT REFERENCES organisations(id),
    status           TEXT NOT NULL,
    escalation       INTEGER NOT NULL DEFAULT 0,
    opened_at        TEXT NOT NULL,
    due_at           TEXT NOT NULL,
    escalated_at     TEXT,
    acknowledged_at  TEXT,
    acknowledged_by  TEXT,
    resolved_at      TEXT,
    resolved_by      TEXT,
    resolution       TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX alerts_organisation ON alerts(organisation_id, status, due_at);
CREATE INDEX alerts_committee ON alerts(committee_id, status);
CREATE INDEX alerts_due ON alerts(status, due_at);
CREATE INDEX alerts_person ON alerts(person_id, alert_key);
CREATE INDEX alerts_household ON alerts(household_id, alert_key);

-- Only a hash of a code is kept. A code is claimed once (claimed_at), which
-- starts a short family session (session_hash); the submitted assessment
-- uses it up (used_at).
CREATE TABLE self_assessment_codes (
    code_hash        TEXT PRIMARY KEY,
    household_id     TEXT NOT NULL REFERENCES households(id),
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    claimed_at       TEXT,
    session_hash     TEXT UNIQUE,
    used_at          TEXT,
    assessment_id    TEXT REFERENCES assessments(id)
);
CREATE INDEX self_assessment_codes_household ON self_assessment_codes(household_id);

-- +goose Down
DROP TABLE self_assessment_codes;
DROP TABLE alerts;
DROP TABLE assessments;
DROP TABLE instruments;
