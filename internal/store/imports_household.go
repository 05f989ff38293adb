package store

import (
	"context"
	"database/sql"

	"termtem/internal/imports"
	"termtem/internal/people"
)

// A relative's row (a FHIR RelatedPerson) names the person they are
// related to; once the batch's people are written, the two are placed in
// one household with the relation to its head that the relation gives.

// planRelative finds the person a relative's row is related to, refusing
// a row that relates someone to themselves (the relative and the patient
// linked as one person, e.g. by the same national ID).
func planRelative(p *planned, byKey map[string]keyed, newKeys map[string]string) *imports.RowError {
	row := p.row
	patient := byKey[row.RelatedTo].id
	if patient == "" {
		patient = newKeys[row.RelatedTo]
	}
	if patient == "" {
		// The patient's own entry was refused: the relation has nobody to join.
		return &imports.RowError{Line: row.Line, Field: row.Columns["patient"], MessageID: "fhir.patient_not_imported"}
	}
	if patient == p.personID {
		return &imports.RowError{Line: row.Line, Field: row.Columns["relationship"], MessageID: "fhir.relationship_self"}
	}
	p.relativeOf = patient
	return nil
}

// householdPlace is where a person lives now and as what.
type householdPlace struct {
	household, head string
	relation        people.Relationship
	sex             people.Sex
}

func (t *Tx) householdPlace(ctx context.Context, personID string) (householdPlace, error) {
	var hp householdPlace
	var rel, sex string
	err := t.queryRow(ctx, `SELECT COALESCE(p.household_id, ''), COALESCE(h.head_id, ''), p.relation, p.sex
		FROM people p LEFT JOIN households h ON h.id = p.household_id WHERE p.id = ?`, personID).Scan(&hp.household, &hp.head, &rel, &sex)
	if err != nil {
		return hp, classify(err)
	}
	hp.relation, hp.sex = people.Relationship(rel), people.Sex(sex)
	return hp, nil
}

// toHead is the person's relation to the head of their household.
func (hp householdPlace) toHead(personID string) people.Relationship {
	if hp.head == personID {
		return people.RelHead
	}
	return hp.relation
}

// placeRelatives places each relative of the batch in the household of the
// person they are related to — or that person in the relative's, when only
// the relative has one. It changes nothing when both already live
// together (so a bundle imported again is unchanged), nor when each lives
// in a household of their own (an agency's relation does not move anyone
// out of a home), nor when neither has one (a household needs a community,
// which a FHIR bundle does not give). Where the family tree leaves the
// relation to the head open, the person is recorded as a relative (ญาติ).
func (s *importSink) placeRelatives(ctx context.Context, t *Tx, plan []*planned, audited func(personID string) error) error {
	for _, p := range plan {
		if p.relativeOf == "" {
			continue
		}
		patient, err := t.householdPlace(ctx, p.relativeOf)
		if err != nil {
			return err
		}
		relative, err := t.householdPlace(ctx, p.personID)
		if err != nil {
			return err
		}
		var who, household string
		var rel people.Relationship
		var ok bool
		switch {
		case patient.household != "" && relative.household == "":
			who, household = p.personID, patient.household
			rel, ok = people.RelatedToHead(p.row.Relation, patient.toHead(p.relativeOf), relative.sex)
		case patient.household == "" && relative.household != "":
			who, household = p.relativeOf, relative.household
			rel, ok = people.PatientToHead(p.row.Relation, relative.toHead(p.personID), patient.sex)
		default:
			continue
		}
		if !ok {
			rel = people.RelRelative
		}
		if err := t.joinHousehold(ctx, who, household, rel); err != nil {
			return err
		}
		if err := audited(who); err != nil {
			return err
		}
	}
	return nil
}

// joinHousehold makes someone who lives in no household a member of one,
// as UpdatePerson does: they live in its community from now on, a
// membership starts, search finds them in its district.
func (t *Tx) joinHousehold(ctx context.Context, personID, householdID string, rel people.Relationship) error {
	if err := t.dashTouchHousehold(ctx, householdID); err != nil {
		return err
	}
	if err := t.dashTouchPerson(ctx, personID); err != nil {
		return err
	}
	res, err := t.exec(ctx, `UPDATE people SET household_id = ?, community_id = (SELECT community_id FROM households WHERE id = ?), relation = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND household_id IS NULL`, householdID, householdID, string(rel), t.now(), personID)
	if err != nil {
		return classify(err)
	}
	if err := oneRow(res); err != nil {
		return err
	}
	if err := t.startMembership(ctx, householdID, personID, rel); err != nil {
		return err
	}
	_, err = t.exec(ctx, `UPDATE person_name_keys SET district_code = (`+districtOfCommunity+` WHERE c.id = (SELECT community_id FROM households WHERE id = ?))
		WHERE person_id = ?`, householdID, personID)
	if err == sql.ErrNoRows {
		err = nil
	}
	return classify(err)
}
