-- +goose Up
-- Second factor: one TOTP secret per user (RFC 6238). pending_secret is a
-- secret shown for enrolment and not yet confirmed with a code; it replaces
-- secret only when confirmed, so a half-done change never locks anyone out.
-- last_step is the newest time step whose code was accepted: a code of that
-- step or an earlier one is a replay and is refused.
CREATE TABLE user_totp (
    user_id         TEXT PRIMARY KEY REFERENCES users(id),
    secret          TEXT NOT NULL DEFAULT '',
    pending_secret  TEXT NOT NULL DEFAULT '',
    confirmed_at    TEXT,
    last_step       BIGINT NOT NULL DEFAULT 0,
    updated_at      TEXT NOT NULL
);

-- Recovery codes, stored as SHA-256 of 80-bit random codes; used_at makes
-- each one single-use.
CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- The step between a right password and the second factor: a random token
-- (only its hash kept) in a short-lived cookie. It is not a session and
-- opens no page but the code form.
CREATE TABLE login_challenges (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges(user_id);

-- +goose Down
DROP TABLE login_challenges;
DROP TABLE recovery_codes;
DROP TABLE user_totp;
