package store

import (
	"context"

	"termtem/internal/audit"
)

// Audit writes an audit event inside the caller's transaction.
func (t *Tx) Audit(ctx context.Context, e audit.Event) error {
	if e.Outcome == "" {
		e.Outcome = audit.Success
	}
	_, err := t.exec(ctx, `INSERT INTO audit_events (id, at, actor_id, action, object_type, object_id, outcome, request_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		NewID(), t.now(), e.ActorID, e.Action, e.ObjectType, e.ObjectID, e.Outcome, e.RequestID, e.Detail)
	return classify(err)
}

// AuditAlone writes one event in its own transaction, for acts that have no
// other write (a refused login, a denied request).
func (db *DB) AuditAlone(ctx context.Context, e audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error { return t.Audit(ctx, e) })
}

// AuditEvent is a stored event with its time.
type AuditEvent struct {
	audit.Event
	ID string
	At string
}

// RecentAudit lists the newest events, optionally of one action (tests and
// the administrators' view).
func (db *DB) RecentAudit(ctx context.Context, action string, limit int) ([]AuditEvent, error) {
	q := `SELECT id, at, actor_id, action, object_type, object_id, outcome, request_id, detail FROM audit_events`
	args := []any{}
	if action != "" {
		q += ` WHERE action = ?`
		args = append(args, action)
	}
	q += ` ORDER BY at DESC, id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		var e AuditEvent
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Action, &e.ObjectType, &e.ObjectID, &e.Outcome, &e.RequestID, &e.Detail); err != nil {
			return nil, classify(err)
		}
		out = append(out, e)
	}
	return out, classify(rows.Err())
}
