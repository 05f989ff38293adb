-- +goose Up
-- The tamper-evident chain over the audit log. Audit rows are written in
-- the same transaction as the act and never changed; a sealer then chains
-- them in this append-only table: hash_i = HMAC(key, hash_(i-1) | seq |
-- the event), with the key kept outside the database. Editing, deleting or
-- reordering a sealed event breaks the chain at that event.
CREATE TABLE audit_seals (
    seq        INTEGER PRIMARY KEY,
    event_id   TEXT NOT NULL UNIQUE,
    hash       TEXT NOT NULL,
    sealed_at  TEXT NOT NULL
);

-- +goose Down
DROP TABLE audit_seals;
