-- +goose Up
-- What the first sending of a creating form (or of an API request with an
-- Idempotency-Key) made: a form carries a one-time nonce, and the write it
-- sends records its nonce here, in the write's own transaction. The same
-- form sent again (a double tap, back and send, a client's retry) finds
-- the row, makes nothing and is shown what the first sending made.
-- Only the key's hash is kept. Rows live as long as a session may
-- (removed by the session sweep); a nonce is bound to its session and is
-- refused once the session is gone, so the row always outlives its nonce.
-- This replaces form_nonces (00030: nonces stored when a page was shown),
-- no longer written or read; a later migration may drop it.
CREATE TABLE form_sends (
    owner       TEXT NOT NULL, -- the session's token hash, or "api:" and the API principal
    form        TEXT NOT NULL, -- what the form makes and for whom, e.g. "record:PERSON"
    key_hash    TEXT NOT NULL,
    result      TEXT NOT NULL, -- the ID of what the first sending made
    created_at  TEXT NOT NULL,
    PRIMARY KEY (owner, form, key_hash)
);
CREATE INDEX form_sends_created ON form_sends(created_at);

-- +goose Down
DROP TABLE form_sends;
