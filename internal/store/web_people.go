package store

import (
	"context"

	"termtem/internal/audit"
	"termtem/internal/people"
)

// PregnancyRecords returns the records made on a mother's pregnancies
// (antenatal visits, kept on the pregnancy so that they follow the child),
// newest first, for her own timeline. The read is audited like a timeline.
// Access to sensitive content is decided by the caller (people.Visible).
func (db *DB) PregnancyRecords(ctx context.Context, motherID string, actor audit.Event) ([]people.Record, error) {
	if err := db.requirePerson(ctx, motherID, actor); err != nil {
		return nil, err
	}
	actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionTimelineRead, "person", motherID, "pregnancies"
	return db.auditedRecords(ctx, recordSelect+` JOIN pregnancies pr ON pr.id = s.pregnancy_id
		WHERE pr.mother_id = ? AND s.person_id IS NULL ORDER BY s.occurred_on DESC, s.created_at DESC`, []any{motherID}, actor)
}
