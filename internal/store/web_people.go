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
	rows, err := db.reader().query(ctx, `SELECT s.id, COALESCE(s.person_id, ''), COALESCE(s.pregnancy_id, ''), s.kind, s.occurred_on, s.organisation_id, s.author_id,
		s.dimension, s.sensitivity, s.data, s.created_at, o.name_th, o.name_en, COALESCE(u.display_name, '')
		FROM service_records s JOIN pregnancies pr ON pr.id = s.pregnancy_id JOIN organisations o ON o.id = s.organisation_id
		LEFT JOIN users u ON u.id = s.author_id
		WHERE pr.mother_id = ? AND s.person_id IS NULL
		ORDER BY s.occurred_on DESC, s.created_at DESC`, motherID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []people.Record
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionTimelineRead, "person", motherID, "pregnancies"
	if err := db.AuditRead(ctx, actor); err != nil {
		return nil, err
	}
	return out, nil
}
