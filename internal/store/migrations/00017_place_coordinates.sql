-- +goose Up
-- A community's location (WGS 84 degrees), for the map's community view.
-- Optional: most communities have none yet. DOUBLE PRECISION is REAL in
-- SQLite and 8-byte floats in PostgreSQL (4-byte REAL would round
-- 100.51234 to about 10 m).
ALTER TABLE places ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE places ADD COLUMN longitude DOUBLE PRECISION;

-- +goose Down
ALTER TABLE places DROP COLUMN longitude;
ALTER TABLE places DROP COLUMN latitude;
