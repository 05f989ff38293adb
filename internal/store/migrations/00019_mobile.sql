-- +goose Up
-- The mobile app: push subscriptions, offline home-visit kits, the changes
-- devices send back, and the conflicts a worker has to decide.

-- One row per browser (device) whose user opted in to push notices. The
-- endpoint is the push service's address for that browser; p256dh and auth
-- are the browser's keys that each message is encrypted to (RFC 8291).
CREATE TABLE push_subscriptions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    endpoint    TEXT NOT NULL UNIQUE,
    p256dh      TEXT NOT NULL,
    auth        TEXT NOT NULL,
    device      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    last_sent_at TEXT
);
CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);

-- An offline kit: the households a worker prepared on one device for a day
-- of home visits. The device keeps them encrypted under key, which the
-- server gives only to the session that made the kit, until expires_at or
-- until the kit (the device) is revoked. key is sealed with the data key.
CREATE TABLE offline_kits (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    session_hash TEXT NOT NULL,
    device      TEXT NOT NULL DEFAULT '',
    key_sealed  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX offline_kits_user ON offline_kits(user_id, expires_at);

CREATE TABLE offline_kit_households (
    kit_id        TEXT NOT NULL REFERENCES offline_kits(id),
    household_id  TEXT NOT NULL REFERENCES households(id),
    PRIMARY KEY (kit_id, household_id)
);

-- A change a device recorded offline, by the ID the device gave it: a
-- change sent twice (the answer lost on a weak signal) is applied once.
-- status: applied, conflict (waits for the worker), refused.
CREATE TABLE offline_changes (
    id          TEXT PRIMARY KEY,
    kit_id      TEXT NOT NULL REFERENCES offline_kits(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL,
    result_id   TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

-- A field of a household that someone else changed while a worker changed
-- it offline: the value both started from, theirs (saved meanwhile, in
-- version their_version) and the worker's. Nothing is applied until the
-- worker chooses; both values stay here afterwards, with the choice.
CREATE TABLE household_conflicts (
    id            TEXT PRIMARY KEY,
    change_id     TEXT NOT NULL REFERENCES offline_changes(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    household_id  TEXT NOT NULL REFERENCES households(id),
    field         TEXT NOT NULL,
    base_version  INTEGER NOT NULL,
    their_version INTEGER NOT NULL,
    base_value    TEXT NOT NULL,
    their_value   TEXT NOT NULL,
    my_value      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    resolved_at   TEXT,
    chosen        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX household_conflicts_user ON household_conflicts(user_id, resolved_at);
CREATE INDEX household_conflicts_household ON household_conflicts(household_id);

-- What the family's home looks like now, as the last home visit found it
-- (สภาพความเป็นอยู่): kept with the household and its version.
ALTER TABLE households ADD COLUMN situation TEXT NOT NULL DEFAULT '';

-- A home visit (เยี่ยมบ้าน): who visited which household on which day and
-- what they noted.
CREATE TABLE home_visits (
    id               TEXT PRIMARY KEY,
    household_id     TEXT NOT NULL REFERENCES households(id),
    visited_on       TEXT NOT NULL,
    note             TEXT NOT NULL,
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    author_id        TEXT NOT NULL REFERENCES users(id),
    created_at       TEXT NOT NULL
);
CREATE INDEX home_visits_household ON home_visits(household_id, visited_on);

-- +goose Down
DROP TABLE home_visits;
ALTER TABLE households DROP COLUMN situation;
DROP TABLE household_conflicts;
DROP TABLE offline_changes;
DROP TABLE offline_kit_households;
DROP TABLE offline_kits;
DROP TABLE push_subscriptions;
