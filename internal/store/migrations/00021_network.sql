-- +goose Up
-- The service network and the committees' loop: the directory of services,
-- practice guides and lessons, committee meetings and resolutions, system
-- constraints escalated upward, and the families' periodic self-reports.

-- A service an organisation offers (บริการในเครือข่าย). The organisation
-- keeps its own entry; confirmed_at is when someone there last said it is
-- still true (older than six months: stale). Eligibility is kept as rules,
-- one a line, in the directory package's small language; indicators are
-- the flower indicator codes the service addresses, comma-separated.
CREATE TABLE services (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name_th         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    description_th  TEXT NOT NULL DEFAULT '',
    description_en  TEXT NOT NULL DEFAULT '',
    dimension       TEXT NOT NULL,
    indicators      TEXT NOT NULL DEFAULT '',
    referral_kind   TEXT NOT NULL DEFAULT 'other',
    eligibility     TEXT NOT NULL DEFAULT '',
    how_to_refer    TEXT NOT NULL DEFAULT '',
    capacity        INTEGER NOT NULL DEFAULT 0,
    waiting_days    INTEGER NOT NULL DEFAULT 0,
    opening_hours   TEXT NOT NULL DEFAULT '',
    contact_phone   TEXT NOT NULL DEFAULT '',
    contact_email   TEXT NOT NULL DEFAULT '',
    area_place_id   TEXT NOT NULL REFERENCES places(id),
    free            BOOLEAN NOT NULL DEFAULT TRUE,
    fee_note        TEXT NOT NULL DEFAULT '',
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    confirmed_at    TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX services_organisation ON services(organisation_id);
CREATE INDEX services_dimension ON services(dimension, active);

-- The service of the directory a referral was sent to, so that outcomes
-- feed the service's acceptance rate and time to complete.
ALTER TABLE referrals ADD COLUMN service_id TEXT REFERENCES services(id);
CREATE INDEX referrals_service ON referrals(service_id);

-- A practice guide per indicator and level, versioned: a new version is a
-- new row, the newest is shown.
CREATE TABLE practice_guides (
    id             TEXT PRIMARY KEY,
    indicator      TEXT NOT NULL,
    level          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    what_to_check  TEXT NOT NULL,
    first_steps    TEXT NOT NULL,
    legal_duty     TEXT NOT NULL DEFAULT '',
    services_help  TEXT NOT NULL DEFAULT '',
    author_id      TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (indicator, level, version)
);

-- An anonymised lesson from a closed case. The case is kept only to check
-- the text against the names in its record; it is never shown.
CREATE TABLE lessons (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    indicators      TEXT NOT NULL DEFAULT '',
    situation       TEXT NOT NULL,
    lesson          TEXT NOT NULL,
    author_id       TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    created_at      TEXT NOT NULL
);

-- The organisations that sit on a committee (its member agencies):
-- owners of its resolutions come from these and the committee itself.
CREATE TABLE committee_organisations (
    committee_id    TEXT NOT NULL REFERENCES organisations(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (committee_id, organisation_id)
);

CREATE TABLE committee_meetings (
    id           TEXT PRIMARY KEY,
    committee_id TEXT NOT NULL REFERENCES organisations(id),
    title        TEXT NOT NULL,
    held_on      TEXT NOT NULL,
    location     TEXT NOT NULL DEFAULT '',
    agenda       TEXT NOT NULL DEFAULT '',
    minutes      TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX committee_meetings_committee ON committee_meetings(committee_id, held_on);

CREATE TABLE meeting_attendance (
    meeting_id TEXT NOT NULL REFERENCES committee_meetings(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    present    BOOLEAN NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

-- A resolution (มติ) with its owner, due date and follow-up status; it
-- addresses the system or named cases (resolution_cases).
CREATE TABLE resolutions (
    id            TEXT PRIMARY KEY,
    meeting_id    TEXT NOT NULL REFERENCES committee_meetings(id),
    committee_id  TEXT NOT NULL REFERENCES organisations(id),
    text          TEXT NOT NULL,
    addresses     TEXT NOT NULL,
    owner_id      TEXT NOT NULL REFERENCES users(id),
    owner_org_id  TEXT NOT NULL REFERENCES organisations(id),
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL,
    follow_up     TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX resolutions_committee ON resolutions(committee_id, status);

CREATE TABLE resolution_cases (
    resolution_id TEXT NOT NULL REFERENCES resolutions(id),
    case_id       TEXT NOT NULL REFERENCES cases(id),
    PRIMARY KEY (resolution_id, case_id)
);

-- A system constraint (ข้อจำกัดเชิงระบบ): where it is now (holder_id, a
-- committee), its status, the answer, and the evidence as JSON figures
-- (counts below 5 are refused on save).
CREATE TABLE system_constraints (
    id              TEXT PRIMARY KEY,
    theme           TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    evidence        TEXT NOT NULL DEFAULT '[]',
    district_id     TEXT NOT NULL REFERENCES places(id),
    raised_by       TEXT NOT NULL REFERENCES users(id),
    raised_org_id   TEXT NOT NULL REFERENCES organisations(id),
    holder_id       TEXT NOT NULL REFERENCES organisations(id),
    level           TEXT NOT NULL,
    status          TEXT NOT NULL,
    decision        TEXT NOT NULL DEFAULT '',
    who_acts        TEXT NOT NULL DEFAULT '',
    decline_reason  TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX system_constraints_holder ON system_constraints(holder_id, status);

CREATE TABLE constraint_events (
    id            TEXT PRIMARY KEY,
    constraint_id TEXT NOT NULL REFERENCES system_constraints(id),
    at            TEXT NOT NULL,
    actor_id      TEXT NOT NULL,
    holder_id     TEXT NOT NULL,
    status        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX constraint_events_constraint ON constraint_events(constraint_id, at);

-- Periodic self-reporting: the interval the case manager sets for a case,
-- when the next report is due, when the family was last reminded and
-- when a missed report was last raised to the case manager. The family's
-- account (kind family) receives the reminders through the outbox.
CREATE TABLE self_report_schedules (
    case_id          TEXT PRIMARY KEY REFERENCES cases(id),
    family_user_id   TEXT NOT NULL REFERENCES users(id),
    interval_days    INTEGER NOT NULL,
    next_due         TEXT NOT NULL,
    reminded_for     TEXT NOT NULL DEFAULT '',
    missed_for       TEXT NOT NULL DEFAULT '',
    set_by           TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    updated_at       TEXT NOT NULL
);

-- +goose Down
DROP TABLE self_report_schedules;
DROP TABLE constraint_events;
DROP TABLE system_constraints;
DROP TABLE resolution_cases;
DROP TABLE resolutions;
DROP TABLE meeting_attendance;
DROP TABLE committee_meetings;
DROP TABLE committee_organisations;
DROP TABLE lessons;
DROP TABLE practice_guides;
DROP INDEX referrals_service;
ALTER TABLE referrals DROP COLUMN service_id;
DROP TABLE services;
