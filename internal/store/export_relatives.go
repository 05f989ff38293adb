package store

import (
	"context"
	"slices"

	"termtem/internal/access"
	"termtem/internal/exports"
	"termtem/internal/people"
)

// exportRelatives gives each row its household's other members with what
// each is to the row's person (people.RelationTo), for the FHIR
// RelatedPersons. Only members who are themselves in the export
// (inExport: already checked, audited and not restricted) are named; a
// relation the household does not settle is left out rather than guessed.
func (db *DB) exportRelatives(ctx context.Context, rows []exports.Row, inExport map[string]bool, names map[string]string, lang string, viewer people.Viewer) error {
	var households []string
	for i := range rows {
		if h := rows[i].Person.HouseholdID; h != "" && !slices.Contains(households, h) {
			households = append(households, h)
		}
	}
	if len(households) == 0 {
		return nil
	}
	type member struct {
		id     string
		toHead people.Relationship
		sex    people.Sex
	}
	byHousehold := map[string][]member{}
	r := db.reader()
	q, err := r.query(ctx, `SELECT p.id, p.household_id, p.relation, p.sex, COALESCE(h.head_id, '') FROM people p JOIN households h ON h.id = p.household_id
		WHERE p.household_id IN (`+placeholders(len(households))+`) ORDER BY p.id`, anyArgs(households)...)
	if err != nil {
		return classify(err)
	}
	for q.Next() {
		var m member
		var household, rel, sex, head string
		if err := q.Scan(&m.id, &household, &rel, &sex, &head); err != nil {
			q.Close()
			return classify(err)
		}
		m.toHead, m.sex = people.Relationship(rel), people.Sex(sex)
		if head == m.id {
			m.toHead = people.RelHead
		}
		if inExport[m.id] {
			byHousehold[household] = append(byHousehold[household], m)
		}
	}
	q.Close()
	if err := q.Err(); err != nil {
		return classify(err)
	}
	type pair struct {
		row int
		rel people.Relationship
	}
	wanted := map[string][]pair{} // member ID → the rows they are a relative in
	var memberIDs []string
	for i := range rows {
		p := rows[i].Person
		var self *member
		for j, m := range byHousehold[p.HouseholdID] {
			if m.id == p.ID {
				self = &byHousehold[p.HouseholdID][j]
			}
		}
		if self == nil {
			continue
		}
		for _, m := range byHousehold[p.HouseholdID] {
			if m.id == p.ID {
				continue
			}
			if rel, ok := people.RelationTo(m.toHead, self.toHead, m.sex); ok {
				if _, seen := wanted[m.id]; !seen {
					memberIDs = append(memberIDs, m.id)
				}
				wanted[m.id] = append(wanted[m.id], pair{i, rel})
			}
		}
	}
	if len(memberIDs) == 0 {
		return nil
	}
	members, err := db.exportRows(ctx, memberIDs, names, lang, false, viewer)
	if err != nil {
		return err
	}
	for _, m := range members {
		for _, w := range wanted[m.Person.ID] {
			rows[w.row].Relatives = append(rows[w.row].Relatives, exports.Relative{Person: m.Person, Relationship: w.rel})
		}
	}
	return nil
}

// exportHousehold lists the other current members of a person's household
// whom the exporter may open in full and who did not restrict their
// record: those a one-person FHIR bundle names as RelatedPersons (their
// reading is audited with the export's).
func (db *DB) exportHousehold(ctx context.Context, personID string) ([]string, error) {
	members, err := db.reader().strings(ctx, `SELECT p.id FROM people p JOIN people me ON me.household_id = p.household_id
		WHERE me.id = ? AND p.id <> me.id AND p.restricted = FALSE ORDER BY p.id`, personID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range members {
		lvl, err := db.personLevel(ctx, id)
		if err != nil {
			return nil, err
		}
		if lvl == access.Full {
			out = append(out, id)
		}
	}
	return out, nil
}
