-- +goose Up
-- The one-time nonces of 00030 were replaced by the form sendings of 00029
-- (store/form_sends.go), which every creating form now uses; nothing reads
-- or writes this table any more. (00029 runs before 00030 on a new
-- database, so it could not drop it.)
DROP TABLE form_nonces;

-- +goose Down
CREATE TABLE form_nonces (
    nonce_hash    TEXT PRIMARY KEY,
    session_hash  TEXT NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
    form          TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX form_nonces_session ON form_nonces(session_hash, seq);
