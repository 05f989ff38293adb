package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
)

// Audit action of break-the-glass.
const ActionGlassBroken = "access.glass_broken"

// BreakGlass gives the requesting user three hours on a person's record
// that lies outside their area but within their search area, for the
// reason they give. The grant is audited, and the data-protection
// officers and the person's case managers are told.
func (db *DB) BreakGlass(ctx context.Context, personID, reason string, actor audit.Event) (time.Time, error) {
	req, v, err := db.requestViewer(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if req == nil || req.Principal == nil {
		return time.Time{}, errs.New(errs.Forbidden, "error.forbidden")
	}
	f, ok, err := db.personFacts(ctx, req, v, personID)
	if err != nil {
		return time.Time{}, err
	}
	if !ok {
		return time.Time{}, errs.New(errs.NotFound, "person.not_found")
	}
	if err := access.CheckGlass(req.Principal, f, reason); err != nil {
		if errs.Is(err, errs.Forbidden) {
			if aerr := db.auditDenied(ctx, "person", personID, actor); aerr != nil {
				return time.Time{}, aerr
			}
		}
		return time.Time{}, err
	}
	until := db.Now().Add(access.GlassDuration).UTC().Truncate(time.Millisecond)
	err = db.InTx(ctx, func(t *Tx) error {
		id := NewID()
		t.made(id)
		if _, err := t.exec(ctx, `INSERT INTO glass_grants (id, user_id, person_id, reason, granted_at, until) VALUES (?, ?, ?, ?, ?, ?)`,
			id, req.Principal.User.ID, personID, strings.TrimSpace(reason), t.now(), ts(until)); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionGlassBroken, "person", personID, "3h"
		if err := t.Audit(ctx, actor); err != nil {
			return err
		}
		managers, err := t.caseManagers(ctx, personID)
		if err != nil {
			return err
		}
		dpos, err := t.privacyOfficers(ctx)
		if err != nil {
			return err
		}
		return t.Enqueue(ctx, Notification{Kind: "notify.glass_broken", UserIDs: append(managers, dpos...), Link: "/privacy/glass"})
	})
	return until, err
}

func (t *Tx) caseManagers(ctx context.Context, personID string) ([]string, error) {
	return t.strings(ctx, `SELECT DISTINCT c.manager_id FROM cases c JOIN people p ON (c.person_id = p.id OR c.household_id = p.household_id)
		WHERE p.id = ? AND c.status <> 'closed'`, personID)
}

func (t *Tx) privacyOfficers(ctx context.Context) ([]string, error) {
	return t.strings(ctx, `SELECT DISTINCT m.user_id FROM memberships m JOIN role_permissions rp ON rp.role_code = m.role_code
		JOIN users u ON u.id = m.user_id WHERE rp.permission = ? AND NOT u.disabled`, string(account.PrivacyOversee))
}

// GlassGrant is a break-the-glass grant as the data-protection officer
// reviews it.
type GlassGrant struct {
	UserName   string    `json:"user_name"`
	PersonID   string    `json:"person_id"`
	PersonName string    `json:"person_name"`
	Reason     string    `json:"reason"`
	GrantedAt  time.Time `json:"granted_at"`
	Until      time.Time `json:"until"`
}

// GlassGrants lists recent grants, newest first, for the data-protection
// officer; the read is audited.
func (db *DB) GlassGrants(ctx context.Context, limit int, actor audit.Event) ([]GlassGrant, error) {
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	rows, err := db.reader().query(ctx, `SELECT u.display_name, g.person_id, p.given_name || ' ' || p.family_name, g.reason, g.granted_at, g.until
		FROM glass_grants g JOIN users u ON u.id = g.user_id JOIN people p ON p.id = g.person_id ORDER BY g.granted_at DESC LIMIT ?`, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []GlassGrant
	for rows.Next() {
		var g GlassGrant
		var granted, until string
		if err := rows.Scan(&g.UserName, &g.PersonID, &g.PersonName, &g.Reason, &granted, &until); err != nil {
			return nil, classify(err)
		}
		g.GrantedAt, g.Until = parseTS(granted), parseTS(until)
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	actor.Action, actor.ObjectType = "privacy.glass_read", "glass_grant"
	return out, db.AuditRead(ctx, actor)
}

// AccessEntry is one access to a person's record: who, when, what.
type AccessEntry struct {
	At           time.Time `json:"at"`
	UserName     string    `json:"user_name"`
	Organisation string    `json:"organisation"`
	Action       string    `json:"action"`
	Outcome      string    `json:"outcome"`
}

// PersonAccessLog is "who saw this record": every audited access to a
// person, newest first, for the data-protection officer (and, summarised
// by organisation, for the family). The read is audited too.
func (db *DB) PersonAccessLog(ctx context.Context, personID string, limit int, actor audit.Event) ([]AccessEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 500
	}
	rows, err := db.reader().query(ctx, `SELECT e.at, COALESCE(u.display_name, ''), COALESCE((SELECT o.name_th FROM memberships m
		JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = e.actor_id ORDER BY o.code LIMIT 1), ''), e.action, e.outcome
		FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.object_type = 'person' AND e.object_id = ? ORDER BY e.at DESC, e.id DESC LIMIT ?`, personID, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []AccessEntry
	for rows.Next() {
		var a AccessEntry
		var at string
		if err := rows.Scan(&at, &a.UserName, &a.Organisation, &a.Action, &a.Outcome); err != nil {
			return nil, classify(err)
		}
		a.At = parseTS(at)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	actor.Action, actor.ObjectType, actor.ObjectID = "privacy.access_log_read", "person", personID
	return out, db.AuditRead(ctx, actor)
}

// GlassUntil is when a break-the-glass grant ends, for the answer to a
// retry of the request that made it (an Idempotency-Key's replay).
func (db *DB) GlassUntil(ctx context.Context, grantID string) (time.Time, error) {
	var until string
	err := db.reader().queryRow(ctx, `SELECT until FROM glass_grants WHERE id = ?`, grantID).Scan(&until)
	if err == sql.ErrNoRows {
		return time.Time{}, errs.New(errs.NotFound, "person.not_found")
	}
	return parseTS(until), classify(err)
}
