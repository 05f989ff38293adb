-- +goose Up
-- Name search narrowed by birth year or district (issue 3's slowest
-- searches): each name key row also carries its person's birth year and
-- district, so the narrowing is a range of the key's index instead of a
-- read of the row of every person holding a common name's key. The store
-- writes them with the keys and keeps the district when a household moves.
ALTER TABLE person_name_keys ADD COLUMN birth_year INTEGER;
ALTER TABLE person_name_keys ADD COLUMN district_code TEXT;
UPDATE person_name_keys SET
    birth_year = (SELECT p.birth_year FROM people p WHERE p.id = person_name_keys.person_id),
    district_code = (SELECT d.code FROM people p JOIN places c ON c.id = p.community_id JOIN places s ON s.id = c.parent_id
        JOIN places d ON d.id = s.parent_id WHERE p.id = person_name_keys.person_id);
CREATE INDEX person_name_keys_year ON person_name_keys(key, birth_year, person_id);
CREATE INDEX person_name_keys_district ON person_name_keys(key, district_code, person_id);
-- A community narrows through the IDs of its people, read from this index
-- alone (it replaces people_community).
CREATE INDEX people_community_id ON people(community_id, id);
DROP INDEX people_community;

-- +goose Down
CREATE INDEX people_community ON people(community_id);
DROP INDEX people_community_id;
DROP INDEX person_name_keys_district;
DROP INDEX person_name_keys_year;
ALTER TABLE person_name_keys DROP COLUMN district_code;
ALTER TABLE person_name_keys DROP COLUMN birth_year;
