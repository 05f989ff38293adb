-- +goose Up
-- A dashboard reads a place's referral counters a month at a time, every
-- row of the month with its sums (store/dashboards.go, referralMonths): at
-- the city a month is some 1,500 rows, read again after any change of its
-- referrals. Covering every column read, this index alone answers it in
-- key order; through the primary key SQLite looked up each row in the
-- table as well, a third of a city view right after a change. Referral
-- counters change only with referrals, so the second index costs writes
-- little.
CREATE INDEX dash_referrals_months ON dash_referrals (place_id, month, service, to_org, status,
    n, accepted_n, accept_hours, completed_n, complete_hours);

-- +goose Down
DROP INDEX dash_referrals_months;
