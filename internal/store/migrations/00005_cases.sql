-- +goose Up
-- Shared casework: cases with their multidisciplinary team, legal
-- classification and conferences; joint care plans (goals and steps);
-- closed-loop referrals between organisations; life-stage hand-offs.
-- History is kept as events, never by overwriting.

CREATE TABLE cases (
    id               TEXT PRIMARY KEY,
    subject          TEXT NOT NULL,
    person_id        TEXT REFERENCES people(id),
    household_id     TEXT REFERENCES households(id),
    status           TEXT NOT NULL,
    risk             TEXT NOT NULL,
    origin           TEXT NOT NULL,
    origin_id        TEXT NOT NULL DEFAULT '',
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    manager_id       TEXT NOT NULL REFERENCES users(id),
    plan_start       TEXT NOT NULL DEFAULT '',
    review_on        TEXT NOT NULL DEFAULT '',
    opened_at        TEXT NOT NULL,
    closed_at        TEXT,
    close_reason     TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX cases_person ON cases(person_id, status);
CREATE INDEX cases_household ON cases(household_id, status);
CREATE INDEX cases_manager ON cases(manager_id, status);

-- What happened to a case, in order: status changes with their reasons,
-- members added and removed, classifications, conferences.
CREATE TABLE case_events (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases(id),
    at         TEXT NOT NULL,
    actor_id   TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL,
    from_value TEXT NOT NULL DEFAULT '',
    to_value   TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events(case_id, at);

-- A stay on the team; removal ends it (removed_at) and keeps the row.
CREATE TABLE case_members (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    user_id          TEXT NOT NULL REFERENCES users(id),
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    role             TEXT NOT NULL,
    added_at         TEXT NOT NULL,
    removed_at       TEXT
);
CREATE INDEX case_members_case ON case_members(case_id, removed_at);
CREATE INDEX case_members_user ON case_members(user_id, removed_at);

CREATE TABLE case_legal (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL,
    decided_on  TEXT NOT NULL,
    decided_by  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX case_legal_case ON case_legal(case_id);

CREATE TABLE case_conferences (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    held_on     TEXT NOT NULL,
    attendees   TEXT NOT NULL,
    notes       TEXT NOT NULL,
    decisions   TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX case_conferences_case ON case_conferences(case_id, held_on);

CREATE TABLE plan_goals (
    id                 TEXT PRIMARY KEY,
    case_id            TEXT NOT NULL REFERENCES cases(id),
    dimension          TEXT NOT NULL,
    from_level         TEXT NOT NULL,
    target_level       TEXT NOT NULL,
    target_date        TEXT NOT NULL,
    family_commitment  TEXT NOT NULL DEFAULT '',
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX plan_goals_case ON plan_goals(case_id);

CREATE TABLE plan_steps (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    goal_id          TEXT REFERENCES plan_goals(id),
    conference_id    TEXT REFERENCES case_conferences(id),
    what             TEXT NOT NULL,
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    responsible_id   TEXT REFERENCES users(id),
    due_on           TEXT NOT NULL,
    status           TEXT NOT NULL,
    status_note      TEXT NOT NULL DEFAULT '',
    done_at          TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX plan_steps_case ON plan_steps(case_id);
CREATE INDEX plan_steps_due ON plan_steps(status, due_on);
CREATE INDEX plan_steps_organisation ON plan_steps(organisation_id, status);

CREATE TABLE referrals (
    id                TEXT PRIMARY KEY,
    person_id         TEXT NOT NULL REFERENCES people(id),
    case_id           TEXT REFERENCES cases(id),
    from_org          TEXT NOT NULL REFERENCES organisations(id),
    from_user         TEXT NOT NULL REFERENCES users(id),
    to_org            TEXT NOT NULL REFERENCES organisations(id),
    service           TEXT NOT NULL,
    urgency           TEXT NOT NULL,
    reason            TEXT NOT NULL,
    shared_info       TEXT NOT NULL DEFAULT '',
    basis_kind        TEXT NOT NULL,
    basis_reference   TEXT NOT NULL,
    status            TEXT NOT NULL,
    accept_due        TEXT NOT NULL,
    complete_due      TEXT NOT NULL,
    accepted_by       TEXT,
    accepted_at       TEXT,
    status_note       TEXT NOT NULL DEFAULT '',
    outcome           TEXT NOT NULL DEFAULT '',
    closed_at         TEXT,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX referrals_to ON referrals(to_org, status);
CREATE INDEX referrals_from ON referrals(from_org, status);
CREATE INDEX referrals_person ON referrals(person_id);

CREATE TABLE referral_events (
    id           TEXT PRIMARY KEY,
    referral_id  TEXT NOT NULL REFERENCES referrals(id),
    at           TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_referral ON referral_events(referral_id, at);

-- A child moving on (child-care centre to school, primary to secondary,
-- another district): the receiving unit acknowledges; the sending unit
-- sees when.
CREATE TABLE handoffs (
    id               TEXT PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES people(id),
    from_org         TEXT REFERENCES organisations(id),
    to_org           TEXT NOT NULL REFERENCES organisations(id),
    reason           TEXT NOT NULL,
    from_stage       TEXT NOT NULL DEFAULT '',
    to_stage         TEXT NOT NULL DEFAULT '',
    concerns         TEXT NOT NULL,
    record_id        TEXT,
    created_at       TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  TEXT,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX handoffs_to ON handoffs(to_org, acknowledged_at);
CREATE INDEX handoffs_person ON handoffs(person_id);

-- +goose Down
DROP TABLE handoffs;
DROP TABLE referral_events;
DROP TABLE referrals;
DROP TABLE plan_steps;
DROP TABLE plan_goals;
DROP TABLE case_conferences;
DROP TABLE case_legal;
DROP TABLE case_members;
DROP TABLE case_events;
DROP TABLE cases;
