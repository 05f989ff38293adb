-- +goose Up
-- A person's page and an ID lookup (the API's most frequent call) read the
-- child's schooling and identifiers. Both were index searches followed by a
-- read of every matching table row, at random places in a table of millions:
-- a person has about five service records, and all of them were read to find
-- the newest enrolment. These indexes answer both from the index alone (the
-- enrolment one holds only enrolments, so it is small).
CREATE INDEX service_records_schooling ON service_records(person_id, occurred_on, created_at)
    WHERE kind IN ('school_enrolment', 'childcare_enrolment');
CREATE INDEX person_identifiers_person_kind ON person_identifiers(person_id, kind, value);
DROP INDEX person_identifiers_person;

-- +goose Down
CREATE INDEX person_identifiers_person ON person_identifiers(person_id);
DROP INDEX person_identifiers_person_kind;
DROP INDEX service_records_schooling;
