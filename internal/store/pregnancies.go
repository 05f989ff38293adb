package store

import (
	"context"
	"database/sql"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
)

func (t *Tx) getPregnancy(ctx context.Context, id string) (people.Pregnancy, error) {
	var pr people.Pregnancy
	var status, created string
	err := t.queryRow(ctx, `SELECT id, mother_id, expected_date, status, COALESCE(child_id, ''), version, created_at FROM pregnancies WHERE id = ?`, id).
		Scan(&pr.ID, &pr.MotherID, &pr.ExpectedDate, &status, &pr.ChildID, &pr.Version, &created)
	if err == sql.ErrNoRows {
		return pr, errs.New(errs.NotFound, "pregnancy.not_found")
	}
	pr.Status, pr.CreatedAt = people.PregnancyStatus(status), parseTS(created)
	return pr, classify(err)
}

// CreatePregnancy records an unborn child of a mother with the expected date
// of delivery (C.E. or B.E. input, within the coming ten months).
func (db *DB) CreatePregnancy(ctx context.Context, motherID, expected string, actor audit.Event) (people.Pregnancy, error) {
	if err := db.requirePerson(ctx, motherID, actor); err != nil {
		return people.Pregnancy{}, err
	}
	due, err := people.ValidateDueDate(expected, db.Now())
	if err != nil {
		return people.Pregnancy{}, err
	}
	pr := people.Pregnancy{ID: NewID(), MotherID: motherID, ExpectedDate: due, Status: people.Ongoing, Version: 1}
	err = db.InTx(ctx, func(t *Tx) error {
		t.made(pr.ID)
		mother, err := t.getPerson(ctx, motherID)
		if err != nil {
			return errs.Field("mother_id", "person.not_found", nil)
		}
		if mother.Sex == people.Male {
			return errs.Field("mother_id", "pregnancy.mother_sex", nil)
		}
		now := t.now()
		if _, err := t.exec(ctx, `INSERT INTO pregnancies (id, mother_id, expected_date, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			pr.ID, motherID, due, string(pr.Status), now, now); err != nil {
			return classify(err)
		}
		pr.CreatedAt = parseTS(now)
		actor.Action, actor.ObjectType, actor.ObjectID = ActionPregnancySaved, "pregnancy", pr.ID
		return t.Audit(ctx, actor)
	})
	return pr, err
}

// Pregnancies lists a mother's pregnancies, newest first.
func (db *DB) Pregnancies(ctx context.Context, motherID string) ([]people.Pregnancy, error) {
	rows, err := db.reader().query(ctx, `SELECT id, mother_id, expected_date, status, COALESCE(child_id, ''), version, created_at
		FROM pregnancies WHERE mother_id = ? ORDER BY expected_date DESC`, motherID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []people.Pregnancy
	for rows.Next() {
		var pr people.Pregnancy
		var status, created string
		if err := rows.Scan(&pr.ID, &pr.MotherID, &pr.ExpectedDate, &status, &pr.ChildID, &pr.Version, &created); err != nil {
			return nil, classify(err)
		}
		pr.Status, pr.CreatedAt = people.PregnancyStatus(status), parseTS(created)
		out = append(out, pr)
	}
	return out, classify(rows.Err())
}

// RecordBirth turns an ongoing pregnancy into a person: the child is created
// (in the mother's household unless given another) and keeps the pregnancy's
// antenatal records on its timeline.
func (db *DB) RecordBirth(ctx context.Context, pregnancyID string, child people.Person, actor audit.Event) (people.Person, error) {
	var pr people.Pregnancy
	var err error
	if pr, err = db.reader().getPregnancy(ctx, pregnancyID); err != nil {
		return people.Person{}, err
	}
	if err := db.requirePerson(ctx, pr.MotherID, actor); err != nil {
		return people.Person{}, err
	}
	if pr.Status != people.Ongoing {
		return people.Person{}, errs.Field("pregnancy_id", "pregnancy.not_ongoing", nil)
	}
	if child.HouseholdID == "" {
		mother, err := db.reader().getPerson(ctx, pr.MotherID)
		if err != nil {
			return people.Person{}, err
		}
		child.HouseholdID = mother.HouseholdID
		if child.Relation == "" {
			child.Relation = people.RelChild
		}
	}
	child.FromPregnancyID = pregnancyID
	created, err := db.CreatePerson(ctx, child, actor)
	if err != nil {
		return people.Person{}, err
	}
	err = db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE pregnancies SET status = ?, child_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = ?`,
			string(people.Born), created.ID, t.now(), pregnancyID, string(people.Ongoing))
		if err != nil {
			return classify(err)
		}
		if err := oneRow(res); err != nil {
			return err
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionPregnancySaved, "pregnancy", pregnancyID, "born"
		return t.Audit(ctx, actor)
	})
	return created, err
}
