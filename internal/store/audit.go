package store

import (
	"context"
	"strings"

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

// auditRowsPerInsert bounds one multi-row INSERT (9 parameters a row, far
// under both databases' limits).
const auditRowsPerInsert = 64

// auditMany writes events with one INSERT per auditRowsPerInsert rows: the
// read audit's group commit wrote a statement per row, and parsing and
// running them one by one was most of the commit's CPU.
func (t *Tx) auditMany(ctx context.Context, events []audit.Event) error {
	for len(events) > 0 {
		chunk := events[:min(len(events), auditRowsPerInsert)]
		events = events[len(chunk):]
		var b strings.Builder
		b.WriteString(`INSERT INTO audit_events (id, at, actor_id, action, object_type, object_id, outcome, request_id, detail) VALUES `)
		args := make([]any, 0, 9*len(chunk))
		now := t.now()
		for i, e := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
			if e.Outcome == "" {
				e.Outcome = audit.Success
			}
			args = append(args, NewID(), now, e.ActorID, e.Action, e.ObjectType, e.ObjectID, e.Outcome, e.RequestID, e.Detail)
		}
		if _, err := t.exec(ctx, b.String(), args...); err != nil {
			return classify(err)
		}
	}
	return nil
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
