-- +goose Up
-- The notification outbox. A change that someone should hear about writes
-- its notifications in its own transaction: a change rolled back notifies
-- nobody, and a notification is never lost between the change and a send.

-- Optional address for e-mail notifications.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- One row per recipient, shown in the application. kind is a message ID
-- (its text is a short subject that names nobody), link a path holding
-- opaque IDs only.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    link        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, created_at);

-- What still has to leave the building: an e-mail per recipient with an
-- address (user_id; the address is read when sending, so a corrected or
-- removed address takes effect), a webhook call per event (no user_id).
-- A worker claims a due row by moving next_attempt_at past a lease and
-- setting claim; a worker that dies mid-send leaves it due again after
-- the lease. last_error never holds personal data.
CREATE TABLE notification_deliveries (
    id               TEXT PRIMARY KEY,
    channel          TEXT NOT NULL,
    user_id          TEXT REFERENCES users(id),
    kind             TEXT NOT NULL,
    link             TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claim            TEXT NOT NULL DEFAULT '',
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX notification_deliveries_due ON notification_deliveries(status, next_attempt_at);

-- +goose Down
DROP TABLE notification_deliveries;
DROP TABLE notifications;
ALTER TABLE users DROP COLUMN email;
