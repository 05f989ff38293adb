-- +goose Up
-- Dashboards for committees and executives: counters kept up to date in the
-- same transaction as every change that moves them (store/dash_agg.go), so
-- that a view of a district or of the whole city reads a few hundred rows,
-- never the million people behind them. Every counter row is kept once for
-- each level a community lies in (community, sub-district, district, zone
-- group, city), keyed by that place. Key columns are text: years, months and
-- days as ISO text compare as they sort. A counter at zero is deleted.
-- `termtem dashboards rebuild` recomputes them all from the records and must
-- give the same rows (tested).

-- Current flower of each child (by birth year) and household: one row per
-- dimension and level; a subject never assessed counts as unknown.
CREATE TABLE dash_flower (
    place_id    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    birth_year  TEXT NOT NULL,
    dimension   TEXT NOT NULL,
    level       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (place_id, subject, birth_year, dimension, level)
);

-- Assessments by month of assessment and level (the monthly trend).
CREATE TABLE dash_flower_month (
    place_id    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    month       TEXT NOT NULL,
    dimension   TEXT NOT NULL,
    level       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (place_id, subject, month, dimension, level)
);

-- Movement between levels: each assessment after the first, by the month of
-- the later one, from the earlier level to the later one.
CREATE TABLE dash_flower_moves (
    place_id    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    month       TEXT NOT NULL,
    dimension   TEXT NOT NULL,
    from_level  TEXT NOT NULL,
    to_level    TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (place_id, subject, month, dimension, from_level, to_level)
);

-- Referrals by the month sent, service, receiving organisation and status,
-- with the hours to accept and to complete (sums, for means).
CREATE TABLE dash_referrals (
    place_id        TEXT NOT NULL,
    month           TEXT NOT NULL,
    service         TEXT NOT NULL,
    to_org          TEXT NOT NULL,
    status          TEXT NOT NULL,
    n               INTEGER NOT NULL,
    accepted_n      INTEGER NOT NULL,
    accept_hours    INTEGER NOT NULL,
    completed_n     INTEGER NOT NULL,
    complete_hours  INTEGER NOT NULL,
    PRIMARY KEY (place_id, month, service, to_org, status)
);

-- Cases by status and legal category ('' for none yet; a case with two
-- categories counts under each).
CREATE TABLE dash_cases (
    place_id  TEXT NOT NULL,
    status    TEXT NOT NULL,
    legal     TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (place_id, status, legal)
);

-- Things with a date that are judged against today when read: open plan
-- steps by due day, alerts by status and due day, hand-offs by the day
-- made and whether acknowledged.
CREATE TABLE dash_due (
    place_id  TEXT NOT NULL,
    item      TEXT NOT NULL,
    state     TEXT NOT NULL,
    day       TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (place_id, item, state, day)
);

-- Continuity: people by birth year and the month any agency last recorded
-- a service ('' never).
CREATE TABLE dash_seen (
    place_id    TEXT NOT NULL,
    birth_year  TEXT NOT NULL,
    last_month  TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (place_id, birth_year, last_month)
);

-- Continuity: people by birth year and whether a school enrolment stands
-- (no drop-out recorded after it).
CREATE TABLE dash_school (
    place_id    TEXT NOT NULL,
    birth_year  TEXT NOT NULL,
    enrolled    TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (place_id, birth_year, enrolled)
);

-- Continuity: young children by birth month and the DSPM screening ages
-- done (one character per age of people.DSPMAges, 1 = done).
CREATE TABLE dash_dspm (
    place_id     TEXT NOT NULL,
    birth_month  TEXT NOT NULL,
    screened     TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (place_id, birth_month, screened)
);

-- Continuity: children by birth month, Thai nationality, the economy level
-- of their flower and whether they receive the newborn child-support grant;
-- the eligibility rule in force is applied when read.
CREATE TABLE dash_grant (
    place_id     TEXT NOT NULL,
    birth_month  TEXT NOT NULL,
    thai         TEXT NOT NULL,
    economy      TEXT NOT NULL,
    receiving    TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (place_id, birth_month, thai, economy, receiving)
);

-- 'built' once the counters hold every record (Migrate rebuilds them when a
-- database that already had data takes this migration).
CREATE TABLE dash_state (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO dash_state (name, value) VALUES ('counters', 'stale');

-- +goose Down
DROP TABLE dash_state;
DROP TABLE dash_grant;
DROP TABLE dash_dspm;
DROP TABLE dash_school;
DROP TABLE dash_seen;
DROP TABLE dash_due;
DROP TABLE dash_cases;
DROP TABLE dash_referrals;
DROP TABLE dash_flower_moves;
DROP TABLE dash_flower_month;
DROP TABLE dash_flower;
