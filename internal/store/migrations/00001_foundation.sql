-- +goose Up
-- Portable between SQLite and PostgreSQL: TEXT keys (UUIDv7 made in Go),
-- times as fixed-width UTC ISO-8601 text (sortable, readable, substr-able in
-- both), no triggers, sequences or stored procedures.

CREATE TABLE places (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    parent_id   TEXT REFERENCES places(id),
    name_th     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    postcode    TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX places_parent ON places(parent_id, code);
CREATE INDEX places_kind ON places(kind, code);

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    name_th     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    place_id    TEXT NOT NULL REFERENCES places(id),
    parent_id   TEXT REFERENCES organisations(id),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX organisations_place ON organisations(place_id);

CREATE TABLE roles (
    code        TEXT PRIMARY KEY,
    name_th     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    builtin     BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE role_permissions (
    role_code   TEXT NOT NULL REFERENCES roles(code),
    permission  TEXT NOT NULL,
    PRIMARY KEY (role_code, permission)
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    kind          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    lang          TEXT NOT NULL DEFAULT 'th',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE memberships (
    user_id          TEXT NOT NULL REFERENCES users(id),
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    role_code        TEXT NOT NULL REFERENCES roles(code),
    created_at       TEXT NOT NULL,
    PRIMARY KEY (user_id, organisation_id, role_code)
);
CREATE INDEX memberships_organisation ON memberships(organisation_id);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL DEFAULT '',
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT,
    last_used_at  TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Failed logins are counted per username, existing or not, so that the lock
-- does not tell an attacker which usernames are real.
CREATE TABLE login_throttle (
    username      TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  TEXT NOT NULL,
    locked_until  TEXT
);

-- Who did what, when. Written in the same transaction as the act it records.
-- The tamper-evident chain comes with the privacy issue.
CREATE TABLE audit_events (
    id            TEXT PRIMARY KEY,
    at            TEXT NOT NULL,
    actor_id      TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL DEFAULT '',
    object_id     TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL,
    request_id    TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON audit_events(at);
CREATE INDEX audit_events_object ON audit_events(object_type, object_id);

-- Synthetic households and people of the demo generator. The people issue
-- grows these into the full life-course record.
CREATE TABLE households (
    id            TEXT PRIMARY KEY,
    community_id  TEXT NOT NULL REFERENCES places(id),
    address       TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX households_community ON households(community_id);

CREATE TABLE people (
    id            TEXT PRIMARY KEY,
    household_id  TEXT REFERENCES households(id),
    title         TEXT NOT NULL DEFAULT '',
    given_name    TEXT NOT NULL,
    family_name   TEXT NOT NULL DEFAULT '',
    nickname      TEXT NOT NULL DEFAULT '',
    sex           TEXT NOT NULL DEFAULT '',
    birth_date    TEXT NOT NULL DEFAULT '',
    relation      TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX people_household ON people(household_id);

-- +goose Down
DROP TABLE people;
DROP TABLE households;
DROP TABLE audit_events;
DROP TABLE login_throttle;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE role_permissions;
DROP TABLE roles;
DROP TABLE organisations;
DROP TABLE places;
