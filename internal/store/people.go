package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
	"termtem/internal/thai"
)

// Audit actions on people (reads are audited too: the data is about children).
const (
	ActionPersonCreated  = "person.created"
	ActionPersonUpdated  = "person.updated"
	ActionPersonRead     = "person.read"
	ActionPersonLookup   = "person.lookup"
	ActionPeopleSearched = "people.searched"
	ActionHouseholdSaved = "household.saved"
	ActionHouseholdRead  = "household.read"
	ActionRecordAdded    = "record.added"
	ActionTimelineRead   = "timeline.read"
	ActionPregnancySaved = "pregnancy.saved"
)

const personColumns = `p.id, p.version, COALESCE(p.household_id, ''), COALESCE(p.community_id, ''), p.title, p.given_name, p.family_name, p.nickname,
	p.given_name_latin, p.family_name_latin, p.sex, p.birth_date, p.nationality, p.phone, p.relation,
	COALESCE(p.from_pregnancy_id, ''), p.created_at, p.updated_at`

// scanPerson reads personColumns, then any more columns into more.
func scanPerson(row interface{ Scan(...any) error }, more ...any) (people.Person, error) {
	var p people.Person
	var sex, nationality, relation, created, updated string
	err := row.Scan(append([]any{&p.ID, &p.Version, &p.HouseholdID, &p.CommunityID, &p.Title, &p.GivenName, &p.FamilyName, &p.Nickname,
		&p.GivenNameLatin, &p.FamilyNameLatin, &sex, &p.BirthDate, &nationality, &p.Phone, &relation,
		&p.FromPregnancyID, &created, &updated}, more...)...)
	p.Sex, p.Nationality, p.Relation = people.Sex(sex), people.Nationality(nationality), people.Relationship(relation)
	p.CreatedAt, p.UpdatedAt = parseTS(created), parseTS(updated)
	return p, err
}

// nameKeys are the phonetic keys a person is found by: every word of every
// name, Thai and Latin, in one key space.
func nameKeys(p people.Person) []string {
	seen := map[string]bool{}
	var keys []string
	for _, s := range []string{p.GivenName, p.FamilyName, p.Nickname, p.GivenNameLatin, p.FamilyNameLatin} {
		for _, k := range thai.NameKeys(s) {
			if k != "" && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// searchName is the lower-cased given name, for prefix search.
func searchName(p people.Person) string {
	if p.GivenName != "" {
		return strings.ToLower(p.GivenName)
	}
	return strings.ToLower(p.GivenNameLatin)
}

func birthYear(date string) any {
	if len(date) < 4 {
		return nil
	}
	y, err := strconv.Atoi(date[:4])
	if err != nil {
		return nil
	}
	return y
}

// CreatePerson validates and stores a new person with identifiers, name
// keys and household membership, audited in the same transaction.
func (db *DB) CreatePerson(ctx context.Context, p people.Person, actor audit.Event) (people.Person, error) {
	if err := people.ValidatePerson(&p, db.Now()); err != nil {
		return people.Person{}, err
	}
	// A worker adds people to households they may see, or to communities
	// of their area.
	if p.HouseholdID != "" {
		if err := db.requireHousehold(ctx, p.HouseholdID, actor); err != nil {
			return people.Person{}, errs.Field("household_id", "household.not_found", nil)
		}
	} else if err := db.requireCommunity(ctx, p.CommunityID, "community_id"); err != nil {
		return people.Person{}, err
	}
	p.ID, p.Version = NewID(), 1
	err := db.InTx(ctx, func(t *Tx) error {
		t.made(p.ID)
		if err := t.placePerson(ctx, &p); err != nil {
			return err
		}
		if err := t.dashTouchPerson(ctx, p.ID); err != nil {
			return err
		}
		now := t.now()
		if _, err := t.exec(ctx, `INSERT INTO people (id, household_id, community_id, title, given_name, family_name, nickname,
			given_name_latin, family_name_latin, sex, birth_date, birth_year, nationality, phone, relation, from_pregnancy_id, search_name, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, nullString(p.HouseholdID), nullString(p.CommunityID), p.Title, p.GivenName, p.FamilyName, p.Nickname,
			p.GivenNameLatin, p.FamilyNameLatin, string(p.Sex), p.BirthDate, birthYear(p.BirthDate), string(p.Nationality), p.Phone,
			string(p.Relation), nullString(p.FromPregnancyID), searchName(p), now, now); err != nil {
			return classify(err)
		}
		if err := t.writeIdentity(ctx, p); err != nil {
			return err
		}
		if p.HouseholdID != "" {
			if err := t.startMembership(ctx, p.HouseholdID, p.ID, p.Relation); err != nil {
				return err
			}
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionPersonCreated, "person", p.ID
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return people.Person{}, err
	}
	return db.reader().getPerson(ctx, p.ID)
}

// placePerson checks the household and community and makes the community
// follow the household.
func (t *Tx) placePerson(ctx context.Context, p *people.Person) error {
	if p.HouseholdID != "" {
		var community string
		err := t.queryRow(ctx, `SELECT community_id FROM households WHERE id = ?`, p.HouseholdID).Scan(&community)
		if err == sql.ErrNoRows {
			return errs.Field("household_id", "household.not_found", nil)
		}
		if err != nil {
			return classify(err)
		}
		p.CommunityID = community
	}
	if p.CommunityID != "" {
		var kind string
		err := t.queryRow(ctx, `SELECT kind FROM places WHERE id = ?`, p.CommunityID).Scan(&kind)
		if err == sql.ErrNoRows || (err == nil && kind != "community") {
			return errs.Field("community_id", "person.community_unknown", nil)
		}
		if err != nil {
			return classify(err)
		}
	}
	return nil
}

// writeIdentity replaces a person's identifiers and name keys. A number
// already held by someone else is a conflict on the field that typed it.
func (t *Tx) writeIdentity(ctx context.Context, p people.Person) error {
	if _, err := t.exec(ctx, `DELETE FROM person_identifiers WHERE person_id = ?`, p.ID); err != nil {
		return classify(err)
	}
	if _, err := t.exec(ctx, `DELETE FROM person_name_keys WHERE person_id = ?`, p.ID); err != nil {
		return classify(err)
	}
	now := t.now()
	type idField struct {
		id    people.Identifier
		field string
	}
	ids := []idField{}
	if p.NationalID != "" {
		ids = append(ids, idField{people.Identifier{Kind: people.NationalID, Value: p.NationalID}, "national_id"})
	}
	for i, id := range p.Identifiers {
		ids = append(ids, idField{id, "other_ids[" + strconv.Itoa(i) + "]"})
	}
	for _, x := range ids {
		var holder string
		err := t.queryRow(ctx, `SELECT person_id FROM person_identifiers WHERE kind = ? AND value = ?`, string(x.id.Kind), x.id.Value).Scan(&holder)
		if err == nil {
			msg := "person.identifier_taken"
			if x.id.Kind == people.NationalID {
				msg = "person.national_id_taken"
			}
			return &errs.Error{Code: errs.Conflict, MessageID: msg, Field: x.field, Data: map[string]any{"PersonID": holder}}
		}
		if err != sql.ErrNoRows {
			return classify(err)
		}
		if _, err := t.exec(ctx, `INSERT INTO person_identifiers (person_id, kind, value, created_at) VALUES (?, ?, ?, ?)`,
			p.ID, string(x.id.Kind), x.id.Value, now); err != nil {
			return fieldConflict(classify(err), x.field)
		}
	}
	// Each key row carries what search narrows by, as the people row
	// written before it in this transaction has it.
	for _, k := range nameKeys(p) {
		if err := t.insertNameKey(ctx, k, p.ID); err != nil {
			return err
		}
	}
	return nil
}

// insertNameKey gives a person a name key, carrying what search narrows by
// (birth year, district) as the person's row has it in this transaction.
func (t *Tx) insertNameKey(ctx context.Context, key, personID string) error {
	_, err := t.exec(ctx, `INSERT INTO person_name_keys (key, person_id, birth_year, district_code)
		SELECT ?, p.id, p.birth_year, (`+districtOfCommunity+` WHERE c.id = p.community_id) FROM people p WHERE p.id = ?`, key, personID)
	return classify(err)
}

// districtOfCommunity selects the code of community c's district; the
// caller adds the WHERE.
const districtOfCommunity = `SELECT d.code FROM places c JOIN places s ON s.id = c.parent_id JOIN places d ON d.id = s.parent_id`

func (t *Tx) startMembership(ctx context.Context, householdID, personID string, rel people.Relationship) error {
	if rel == "" {
		rel = people.RelOther
	}
	_, err := t.exec(ctx, `INSERT INTO household_members (id, household_id, person_id, relationship, started_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, NewID(), householdID, personID, string(rel), t.db.Now().Format("2006-01-02"), t.now())
	return classify(err)
}

func (t *Tx) endMembership(ctx context.Context, personID string) error {
	_, err := t.exec(ctx, `UPDATE household_members SET ended_on = ? WHERE person_id = ? AND ended_on IS NULL`,
		t.db.Now().Format("2006-01-02"), personID)
	return classify(err)
}

func (t *Tx) getPerson(ctx context.Context, id string) (people.Person, error) {
	p, err := scanPerson(t.queryRow(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = ?`, id))
	if err == sql.ErrNoRows {
		return p, errs.New(errs.NotFound, "person.not_found")
	}
	if err != nil {
		return p, classify(err)
	}
	return p, t.personIdentifiers(ctx, &p)
}

// personIdentifiersQuery reads a person's identifiers from the covering
// index person_identifiers_person_kind (migration 00031) alone.
const personIdentifiersQuery = `SELECT kind, value FROM person_identifiers WHERE person_id = ? ORDER BY kind`

// personIdentifiers reads p's document numbers into it.
func (t *Tx) personIdentifiers(ctx context.Context, p *people.Person) error {
	rows, err := t.query(ctx, personIdentifiersQuery, p.ID)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id people.Identifier
		var kind string
		if err := rows.Scan(&kind, &id.Value); err != nil {
			return classify(err)
		}
		id.Kind = people.IdentifierKind(kind)
		if id.Kind == people.NationalID {
			p.NationalID = id.Value
		} else {
			p.Identifiers = append(p.Identifiers, id)
		}
	}
	return classify(rows.Err())
}

// GetPerson returns a person with identifiers and audits the read. If the
// audit cannot be written the read fails: nobody sees a child's record
// without a trace.
func (db *DB) GetPerson(ctx context.Context, id string, actor audit.Event) (people.Person, error) {
	p, err := db.reader().getPerson(ctx, id)
	if err != nil {
		return p, err
	}
	if err := db.requirePerson(ctx, id, actor); err != nil {
		return people.Person{}, err
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionPersonRead, "person", p.ID
	if err := db.AuditRead(ctx, actor); err != nil {
		return people.Person{}, err
	}
	return p, nil
}

// UpdatePerson stores a changed person if its version is still p.Version
// (optimistic concurrency: a stale edit gets errs.Stale, nothing changes).
// A changed household ends the old membership and starts a new one.
func (db *DB) UpdatePerson(ctx context.Context, p people.Person, actor audit.Event) (people.Person, error) {
	if err := db.requirePerson(ctx, p.ID, actor); err != nil {
		return people.Person{}, err
	}
	if err := people.ValidatePerson(&p, db.Now()); err != nil {
		return people.Person{}, err
	}
	err := db.InTx(ctx, func(t *Tx) error {
		old, err := t.getPerson(ctx, p.ID)
		if err != nil {
			return err
		}
		if old.Version != p.Version {
			return errs.New(errs.Stale, "error.stale")
		}
		if err := t.placePerson(ctx, &p); err != nil {
			return err
		}
		if err := t.dashTouchPerson(ctx, p.ID); err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE people SET household_id = ?, community_id = ?, title = ?, given_name = ?, family_name = ?, nickname = ?,
			given_name_latin = ?, family_name_latin = ?, sex = ?, birth_date = ?, birth_year = ?, nationality = ?, phone = ?, relation = ?,
			search_name = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			nullString(p.HouseholdID), nullString(p.CommunityID), p.Title, p.GivenName, p.FamilyName, p.Nickname,
			p.GivenNameLatin, p.FamilyNameLatin, string(p.Sex), p.BirthDate, birthYear(p.BirthDate), string(p.Nationality), p.Phone,
			string(p.Relation), searchName(p), t.now(), p.ID, p.Version)
		if err != nil {
			return classify(err)
		}
		if err := oneRow(res); err != nil {
			return err
		}
		if err := t.writeIdentity(ctx, p); err != nil {
			return err
		}
		switch {
		case old.HouseholdID != p.HouseholdID:
			if err := t.endMembership(ctx, p.ID); err != nil {
				return err
			}
			if p.HouseholdID != "" {
				if err := t.startMembership(ctx, p.HouseholdID, p.ID, p.Relation); err != nil {
					return err
				}
			}
		case old.Relation != p.Relation && p.HouseholdID != "":
			if _, err := t.exec(ctx, `UPDATE household_members SET relationship = ? WHERE person_id = ? AND ended_on IS NULL`,
				string(p.Relation), p.ID); err != nil {
				return classify(err)
			}
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionPersonUpdated, "person", p.ID
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return people.Person{}, err
	}
	return db.reader().getPerson(ctx, p.ID)
}

// LookupIdentifier finds the person holding a document number (exact), and
// audits the lookup with the kind searched, never the number.
func (db *DB) LookupIdentifier(ctx context.Context, kind people.IdentifierKind, value string, actor audit.Event) (people.Person, error) {
	id, err := people.NormalizeIdentifier(kind, value, string(kind))
	if err != nil {
		return people.Person{}, err
	}
	// The identifier and the person in one query, not two: a lookup is the
	// API's most frequent call.
	r := db.reader()
	var area personArea
	p, err := scanPerson(r.queryRow(ctx, `SELECT `+personColumns+`, `+personAreaColumns+` FROM person_identifiers i JOIN people p ON p.id = i.person_id
		`+personAreaJoins+` WHERE i.kind = ? AND i.value = ?`, string(id.Kind), id.Value), area.dest()...)
	actor.Action, actor.ObjectType, actor.Detail = ActionPersonLookup, "person", string(kind)
	if err == sql.ErrNoRows {
		actor.Outcome = audit.Failure
		if aerr := db.AuditRead(ctx, actor); aerr != nil {
			return people.Person{}, aerr
		}
		return people.Person{}, errs.New(errs.NotFound, "person.not_found")
	}
	if err != nil {
		return people.Person{}, classify(err)
	}
	if err := db.requirePersonRow(ctx, p.ID, area, actor); err != nil {
		return people.Person{}, err
	}
	if err := r.personIdentifiers(ctx, &p); err != nil {
		return people.Person{}, err
	}
	actor.ObjectID = p.ID
	if err := db.AuditRead(ctx, actor); err != nil {
		return people.Person{}, err
	}
	return p, nil
}
