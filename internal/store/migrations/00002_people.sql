-- +goose Up
-- The life-course record: people with identifiers and Latin names, household
-- history, pregnancies, service records from every agency, and the phonetic
-- name keys that make Thai names findable however they were spelt.

ALTER TABLE people ADD COLUMN community_id TEXT REFERENCES places(id);
ALTER TABLE people ADD COLUMN given_name_latin TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN family_name_latin TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN nationality TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN from_pregnancy_id TEXT;
-- birth_year is birth_date's year as a number, for filtering without text tricks.
ALTER TABLE people ADD COLUMN birth_year INTEGER;
-- search_name: given name normalised and lower-cased, for prefix search.
ALTER TABLE people ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
CREATE INDEX people_community ON people(community_id);
CREATE INDEX people_search_name ON people(search_name);

ALTER TABLE households ADD COLUMN head_id TEXT;
ALTER TABLE households ADD COLUMN caregiver_id TEXT;

-- One row per document number; a number belongs to one person.
CREATE TABLE person_identifiers (
    person_id   TEXT NOT NULL REFERENCES people(id),
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (kind, value)
);
CREATE INDEX person_identifiers_person ON person_identifiers(person_id);

-- Phonetic keys of every name word (Thai and Latin map onto one key space).
CREATE TABLE person_name_keys (
    key        TEXT NOT NULL,
    person_id  TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (key, person_id)
);
CREATE INDEX person_name_keys_person ON person_name_keys(person_id);

-- Stays in households; a move ends one row and starts another.
CREATE TABLE household_members (
    id            TEXT PRIMARY KEY,
    household_id  TEXT NOT NULL REFERENCES households(id),
    person_id     TEXT NOT NULL REFERENCES people(id),
    relationship  TEXT NOT NULL,
    started_on    TEXT NOT NULL,
    ended_on      TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX household_members_household ON household_members(household_id, ended_on);
CREATE INDEX household_members_person ON household_members(person_id, started_on);

CREATE TABLE pregnancies (
    id             TEXT PRIMARY KEY,
    mother_id      TEXT NOT NULL REFERENCES people(id),
    expected_date  TEXT NOT NULL,
    status         TEXT NOT NULL,
    child_id       TEXT REFERENCES people(id),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX pregnancies_mother ON pregnancies(mother_id);

CREATE TABLE service_records (
    id               TEXT PRIMARY KEY,
    person_id        TEXT REFERENCES people(id),
    pregnancy_id     TEXT REFERENCES pregnancies(id),
    kind             TEXT NOT NULL,
    occurred_on      TEXT NOT NULL,
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    author_id        TEXT NOT NULL DEFAULT '',
    dimension        TEXT NOT NULL,
    sensitivity      TEXT NOT NULL DEFAULT '',
    data             TEXT NOT NULL DEFAULT '{}',
    created_at       TEXT NOT NULL
);
CREATE INDEX service_records_person ON service_records(person_id, occurred_on);
CREATE INDEX service_records_pregnancy ON service_records(pregnancy_id, occurred_on);

-- +goose Down
DROP TABLE service_records;
DROP TABLE pregnancies;
DROP TABLE household_members;
DROP TABLE person_name_keys;
DROP TABLE person_identifiers;
DROP INDEX people_search_name;
DROP INDEX people_community;
