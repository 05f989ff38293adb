package store

import (
	"context"
	"database/sql"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
)

// CreateSession stores a new login for a user and audits it, returning the
// token for the cookie. Only the token's hash is stored.
func (db *DB) CreateSession(ctx context.Context, userID string, actor audit.Event) (string, error) {
	token, hash, err := account.NewSecret(account.SessionPrefix)
	if err != nil {
		return "", err
	}
	err = db.InTx(ctx, func(t *Tx) error {
		now := t.now()
		if _, err := t.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)`,
			hash, userID, now, now); err != nil {
			return classify(err)
		}
		if _, err := t.exec(ctx, `DELETE FROM login_throttle WHERE username = (SELECT username FROM users WHERE id = ?)`, userID); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID = audit.LoginSucceeded, "user", userID
		return t.Audit(ctx, actor)
	})
	return token, err
}

// GetSession finds a session by its token's hash.
func (db *DB) GetSession(ctx context.Context, tokenHash string) (account.Session, error) {
	var s account.Session
	var created, seen string
	err := db.reader().queryRow(ctx, `SELECT token_hash, user_id, created_at, last_seen_at FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&s.TokenHash, &s.UserID, &created, &seen)
	if err == sql.ErrNoRows {
		return s, errs.New(errs.Unauthenticated, "auth.session_expired")
	}
	s.CreatedAt, s.LastSeenAt = parseTS(created), parseTS(seen)
	return s, classify(err)
}

// TouchSession records activity on a session (for the idle timeout).
func (db *DB) TouchSession(ctx context.Context, tokenHash string) error {
	return db.InTx(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, t.now(), tokenHash)
		return classify(err)
	})
}

// DeleteSession ends one login; actor is audited as a logout when its
// Action is set.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
			return classify(err)
		}
		if actor.Action == "" {
			return nil
		}
		return t.Audit(ctx, actor)
	})
}

// DeleteExpiredSessions removes sessions idle since before idleCutoff or
// created before absoluteCutoff, returning how many went.
func (db *DB) DeleteExpiredSessions(ctx context.Context, idleCutoff, absoluteCutoff time.Time) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?`, ts(idleCutoff), ts(absoluteCutoff))
		if err != nil {
			return classify(err)
		}
		n, _ = res.RowsAffected()
		// The forms' sendings live as long as a session may.
		return t.deleteOldSends(ctx, ts(absoluteCutoff))
	})
	return n, err
}

// CountSessions returns the live session rows of a user (tests, profile page).
func (db *DB) CountSessions(ctx context.Context, userID string) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = ?`, userID).Scan(&n)
	return n, classify(err)
}

// LoginLocked reports whether a username is locked by too many failures.
func (db *DB) LoginLocked(ctx context.Context, username string) (bool, error) {
	var locked sql.NullString
	err := db.reader().queryRow(ctx, `SELECT locked_until FROM login_throttle WHERE username = ?`, username).Scan(&locked)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, classify(err)
	}
	return locked.Valid && locked.String > ts(db.Now()), nil
}

// RecordLoginFailure counts a failed login for a username (existing or not)
// and locks it when the rule says so. It audits the failure in the same
// transaction and reports whether the username is now locked.
func (db *DB) RecordLoginFailure(ctx context.Context, username string, rule account.LoginThrottle, actor audit.Event) (bool, error) {
	return db.RecordLoginFailures(ctx, []ThrottleKey{{username, rule}}, actor)
}

// ThrottleKey is one counter of failed logins and its rule: a username, or
// "ip:" and a client address (usernames cannot contain a colon, so the two
// never meet).
type ThrottleKey struct {
	Key  string
	Rule account.LoginThrottle
}

// RecordLoginFailures counts one failed login against each key, locking
// those whose rule says so, audits the failure once in the same
// transaction, and reports whether any key is now locked.
func (db *DB) RecordLoginFailures(ctx context.Context, keys []ThrottleKey, actor audit.Event) (bool, error) {
	var locked bool
	err := db.InTx(ctx, func(t *Tx) error {
		locked = false
		now := db.Now()
		for _, k := range keys {
			var failures int
			var start string
			err := t.queryRow(ctx, `SELECT failures, window_start FROM login_throttle WHERE username = ?`, k.Key).Scan(&failures, &start)
			switch {
			case err == sql.ErrNoRows || (err == nil && now.Sub(parseTS(start)) > k.Rule.Window):
				failures, start = 0, ts(now)
			case err != nil:
				return classify(err)
			}
			failures++
			var lockedUntil any
			if failures >= k.Rule.MaxFailures {
				lockedUntil, locked = ts(now.Add(k.Rule.Lockout)), true
			}
			if _, err := t.exec(ctx, `INSERT INTO login_throttle (username, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
				ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until`,
				k.Key, failures, start, lockedUntil); err != nil {
				return classify(err)
			}
		}
		return t.Audit(ctx, actor)
	})
	return locked, err
}

// DeleteStaleLoginThrottle forgets failure counts whose window began before
// cutoff and whose lock, if any, has ended.
func (db *DB) DeleteStaleLoginThrottle(ctx context.Context, cutoff time.Time) error {
	return db.InTx(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `DELETE FROM login_throttle WHERE window_start < ? AND (locked_until IS NULL OR locked_until < ?)`,
			ts(cutoff), t.now())
		return classify(err)
	})
}

// CountLoginThrottle returns how many usernames have recent failed logins
// (monitoring: a sudden rise means someone is guessing).
func (db *DB) CountLoginThrottle(ctx context.Context) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM login_throttle`).Scan(&n)
	return n, classify(err)
}
