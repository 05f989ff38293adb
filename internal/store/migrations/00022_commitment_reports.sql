-- +goose Up
-- A family's periodic report on each of its commitments: a goal of the
-- care plan in the family's own words, or a plan step the family's
-- account is responsible for. One report per commitment and period (the
-- due date of the schedule it answers); a second report in the same
-- period replaces the first.
CREATE TABLE commitment_reports (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases(id),
    commitment_id  TEXT NOT NULL,
    kind           TEXT NOT NULL,
    period_due     TEXT NOT NULL,
    progress       TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    reported_by    TEXT NOT NULL REFERENCES users(id),
    reported_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX commitment_reports_period ON commitment_reports(commitment_id, period_due);
CREATE INDEX commitment_reports_case ON commitment_reports(case_id, reported_at);

-- +goose Down
DROP TABLE commitment_reports;
