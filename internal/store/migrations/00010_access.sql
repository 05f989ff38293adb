-- +goose Up
-- Scoped access: break-the-glass grants, and the restriction a person or
-- guardian may ask for (PDPA s.32, s.34): only the care team sees them.
CREATE TABLE glass_grants (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    person_id   TEXT NOT NULL REFERENCES people(id),
    reason      TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    until       TEXT NOT NULL
);
CREATE INDEX glass_grants_user ON glass_grants(user_id, person_id);
CREATE INDEX glass_grants_person ON glass_grants(person_id, granted_at);

ALTER TABLE people ADD COLUMN restricted BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
DROP TABLE glass_grants;
ALTER TABLE people DROP COLUMN restricted;
