package store

import (
	"context"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// SubjectFlower returns the dimension levels of a child's or household's
// latest staff assessment (none when it has no assessment yet), for its
// flower. An unknown subject is not found; the read is audited.
func (db *DB) SubjectFlower(ctx context.Context, subject flower.Subject, id string, actor audit.Event) (map[people.Dimension]flower.Level, error) {
	if err := db.subjectExists(ctx, subject, id); err != nil {
		return nil, err
	}
	if err := db.requireSubject(ctx, subject, id, actor); err != nil {
		return nil, err
	}
	all, err := db.Flowers(ctx, subject, []string{id})
	if err != nil {
		return nil, err
	}
	actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionAssessmentsRead, string(subject), id, "flower"
	return all[id], db.AuditRead(ctx, actor)
}

// subjectExists answers not found for an unknown child or household.
func (db *DB) subjectExists(ctx context.Context, subject flower.Subject, id string) error {
	r := db.reader()
	var err error
	if subject == flower.Household {
		_, err = r.getHousehold(ctx, id)
	} else {
		_, err = r.getPerson(ctx, id)
	}
	return err
}
