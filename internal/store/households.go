package store

import (
	"context"
	"database/sql"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
)

// HouseholdMember is a person in a household with their stay.
type HouseholdMember struct {
	Person     people.Person
	Membership people.Membership
}

// HouseholdView is a household with its current members and the history of
// who lived there.
type HouseholdView struct {
	Household people.Household
	Current   []HouseholdMember
	Former    []HouseholdMember
}

func validateHousehold(h *people.Household) error {
	if h.CommunityID == "" {
		return errs.Field("community_id", "field.required", nil)
	}
	if len([]rune(h.Address)) > 300 {
		return errs.Field("address", "field.too_long", map[string]any{"Max": 300})
	}
	if len([]rune(h.Situation)) > 2000 {
		return errs.Field("situation", "field.too_long", map[string]any{"Max": 2000})
	}
	return nil
}

// SaveHousehold creates (empty ID) or updates a household with optimistic
// concurrency. Its head and main caregiver must be current members.
func (db *DB) SaveHousehold(ctx context.Context, h people.Household, actor audit.Event) (people.Household, error) {
	if err := validateHousehold(&h); err != nil {
		return h, err
	}
	if h.ID != "" {
		if err := db.requireHousehold(ctx, h.ID, actor); err != nil {
			return h, err
		}
	}
	if err := db.requireCommunity(ctx, h.CommunityID, "community_id"); err != nil {
		return h, err
	}
	err := db.InTx(ctx, func(t *Tx) error { return t.saveHousehold(ctx, &h, actor) })
	if err != nil {
		return people.Household{}, err
	}
	return db.reader().getHousehold(ctx, h.ID)
}

// saveHousehold is SaveHousehold's write, in the caller's transaction (the
// access checks done): an offline change records itself in the same one.
func (t *Tx) saveHousehold(ctx context.Context, h *people.Household, actor audit.Event) error {
	var kind string
	err := t.queryRow(ctx, `SELECT kind FROM places WHERE id = ?`, h.CommunityID).Scan(&kind)
	if err == sql.ErrNoRows || (err == nil && kind != "community") {
		return errs.Field("community_id", "person.community_unknown", nil)
	}
	if err != nil {
		return classify(err)
	}
	for _, m := range []struct{ field, id string }{{"head_id", h.HeadID}, {"caregiver_id", h.CaregiverID}} {
		if m.id == "" {
			continue
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM household_members WHERE household_id = ? AND person_id = ? AND ended_on IS NULL`,
			h.ID, m.id).Scan(&n); err != nil {
			return classify(err)
		}
		if n == 0 {
			return errs.Field(m.field, "household.not_member", nil)
		}
	}
	now := t.now()
	if h.ID == "" {
		h.ID, h.Version = NewID(), 1
		t.made(h.ID)
		if err := t.dashTouchHousehold(ctx, h.ID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO households (id, community_id, address, situation, head_id, caregiver_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, h.ID, h.CommunityID, h.Address, h.Situation, nullString(h.HeadID), nullString(h.CaregiverID), now, now); err != nil {
			return classify(err)
		}
	} else {
		if _, err := t.getHousehold(ctx, h.ID); err != nil {
			return err
		}
		// Members move with their household.
		members, err := t.strings(ctx, `SELECT id FROM people WHERE household_id = ?`, h.ID)
		if err != nil {
			return err
		}
		if err := t.dashTouchHousehold(ctx, h.ID); err != nil {
			return err
		}
		if err := t.dashTouchPerson(ctx, members...); err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE households SET community_id = ?, address = ?, situation = ?, head_id = ?, caregiver_id = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, h.CommunityID, h.Address, h.Situation, nullString(h.HeadID), nullString(h.CaregiverID), now, h.ID, h.Version)
		if err != nil {
			return classify(err)
		}
		if err := oneRow(res); err != nil {
			return err
		}
		// Members live where their household lives.
		if _, err := t.exec(ctx, `UPDATE people SET community_id = ? WHERE household_id = ?`, h.CommunityID, h.ID); err != nil {
			return classify(err)
		}
		// and are searched for in its district.
		if _, err := t.exec(ctx, `UPDATE person_name_keys SET district_code = (`+districtOfCommunity+` WHERE c.id = ?)
			WHERE person_id IN (SELECT id FROM people WHERE household_id = ?)`, h.CommunityID, h.ID); err != nil {
			return classify(err)
		}
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionHouseholdSaved, "household", h.ID
	return t.Audit(ctx, actor)
}

func (t *Tx) getHousehold(ctx context.Context, id string) (people.Household, error) {
	var h people.Household
	var created, updated string
	err := t.queryRow(ctx, `SELECT id, community_id, address, situation, COALESCE(head_id, ''), COALESCE(caregiver_id, ''), version, created_at, updated_at
		FROM households WHERE id = ?`, id).Scan(&h.ID, &h.CommunityID, &h.Address, &h.Situation, &h.HeadID, &h.CaregiverID, &h.Version, &created, &updated)
	if err == sql.ErrNoRows {
		return h, errs.New(errs.NotFound, "household.not_found")
	}
	h.CreatedAt, h.UpdatedAt = parseTS(created), parseTS(updated)
	return h, classify(err)
}

// GetHousehold returns a household with its members, current and former,
// and audits the read.
func (db *DB) GetHousehold(ctx context.Context, id string, actor audit.Event) (HouseholdView, error) {
	r := db.reader()
	var v HouseholdView
	h, err := r.getHousehold(ctx, id)
	if err != nil {
		return v, err
	}
	if err := db.requireHousehold(ctx, id, actor); err != nil {
		return v, err
	}
	v.Household = h
	rows, err := r.query(ctx, `SELECT m.id, m.relationship, m.started_on, COALESCE(m.ended_on, ''), `+personColumns+`
		FROM household_members m JOIN people p ON p.id = m.person_id WHERE m.household_id = ? ORDER BY m.started_on, p.birth_date`, id)
	if err != nil {
		return v, classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var m HouseholdMember
		var rel string
		var p people.Person
		var sex, nationality, relation, created, updated string
		if err := rows.Scan(&m.Membership.ID, &rel, &m.Membership.StartedOn, &m.Membership.EndedOn,
			&p.ID, &p.Version, &p.HouseholdID, &p.CommunityID, &p.Title, &p.GivenName, &p.FamilyName, &p.Nickname,
			&p.GivenNameLatin, &p.FamilyNameLatin, &sex, &p.BirthDate, &nationality, &p.Phone, &relation,
			&p.FromPregnancyID, &created, &updated); err != nil {
			return v, classify(err)
		}
		p.Sex, p.Nationality, p.Relation = people.Sex(sex), people.Nationality(nationality), people.Relationship(relation)
		p.CreatedAt, p.UpdatedAt = parseTS(created), parseTS(updated)
		m.Person = p
		m.Membership.HouseholdID, m.Membership.PersonID, m.Membership.Relationship = id, p.ID, people.Relationship(rel)
		if m.Membership.EndedOn == "" {
			v.Current = append(v.Current, m)
		} else {
			v.Former = append(v.Former, m)
		}
	}
	if err := rows.Err(); err != nil {
		return v, classify(err)
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionHouseholdRead, "household", id
	if err := db.AuditRead(ctx, actor); err != nil {
		return HouseholdView{}, err
	}
	return v, nil
}

// MembershipHistory lists a person's stays in households, oldest first.
func (db *DB) MembershipHistory(ctx context.Context, personID string) ([]people.Membership, error) {
	rows, err := db.reader().query(ctx, `SELECT id, household_id, relationship, started_on, COALESCE(ended_on, '') FROM household_members
		WHERE person_id = ? ORDER BY started_on, created_at`, personID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []people.Membership
	for rows.Next() {
		m := people.Membership{PersonID: personID}
		var rel string
		if err := rows.Scan(&m.ID, &m.HouseholdID, &rel, &m.StartedOn, &m.EndedOn); err != nil {
			return nil, classify(err)
		}
		m.Relationship = people.Relationship(rel)
		out = append(out, m)
	}
	return out, classify(rows.Err())
}
