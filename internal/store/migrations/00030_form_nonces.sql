-- +goose Up
-- One-time nonces of forms that make something in one click (a service
-- account's token): a page's form carries one, its first submission uses
-- it up, and the same form sent again (a reload of the answer, or back and
-- send) is refused instead of making another. Only the nonce's hash is
-- kept, with the session it was given to; the nonces go with the session.
CREATE TABLE form_nonces (
    nonce_hash    TEXT PRIMARY KEY,
    session_hash  TEXT NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
    form          TEXT NOT NULL,
    seq           INTEGER NOT NULL, -- the session's nth nonce: its newest are kept
    created_at    TEXT NOT NULL
);
CREATE INDEX form_nonces_session ON form_nonces(session_hash, seq);

-- +goose Down
DROP TABLE form_nonces;
