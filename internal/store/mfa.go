package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
)

// TOTP is a user's second-factor state.
type TOTP struct {
	Secret        string // confirmed secret; empty: no second factor
	PendingSecret string // shown for enrolment, not yet confirmed
	ConfirmedAt   time.Time
	LastStep      int64
	RecoveryLeft  int
}

// totpAAD binds a sealed TOTP secret to its user.
func totpAAD(userID string) string { return "totp:" + userID }

// Enrolled reports whether the user has a confirmed second factor.
func (t TOTP) Enrolled() bool { return t.Secret != "" }

// GetTOTP returns a user's second-factor state (zero when none).
func (db *DB) GetTOTP(ctx context.Context, userID string) (TOTP, error) {
	var t TOTP
	var confirmed sql.NullString
	r := db.reader()
	err := r.queryRow(ctx, `SELECT secret, pending_secret, confirmed_at, last_step FROM user_totp WHERE user_id = ?`, userID).
		Scan(&t.Secret, &t.PendingSecret, &confirmed, &t.LastStep)
	if err == sql.ErrNoRows {
		return TOTP{}, nil
	}
	if err != nil {
		return t, classify(err)
	}
	if confirmed.Valid {
		t.ConfirmedAt = parseTS(confirmed.String)
	}
	if t.Secret, err = db.open(totpAAD(userID), t.Secret); err != nil {
		return t, err
	}
	if t.PendingSecret, err = db.open(totpAAD(userID), t.PendingSecret); err != nil {
		return t, err
	}
	err = r.queryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&t.RecoveryLeft)
	return t, classify(err)
}

// HasTOTP reports whether a user has a confirmed second factor (one
// primary-key read: it runs on every page of a user who must have one).
func (db *DB) HasTOTP(ctx context.Context, userID string) (bool, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM user_totp WHERE user_id = ? AND secret <> ''`, userID).Scan(&n)
	return n > 0, classify(err)
}

// SetPendingTOTP stores a new secret awaiting its first code. A confirmed
// secret stays in force until the new one is confirmed.
func (db *DB) SetPendingTOTP(ctx context.Context, userID, secret string, actor audit.Event) error {
	secret, err := db.seal(totpAAD(userID), secret)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(t *Tx) error {
		if _, err := t.exec(ctx, `INSERT INTO user_totp (user_id, pending_secret, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET pending_secret = excluded.pending_secret, updated_at = excluded.updated_at`,
			userID, secret, t.now()); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID = audit.MFAEnrolStarted, "user", userID
		return t.Audit(ctx, actor)
	})
}

// ConfirmTOTP makes the pending secret the user's second factor, marks the
// step of the confirming code used, and replaces the recovery codes.
func (db *DB) ConfirmTOTP(ctx context.Context, userID, pending string, step int64, recoveryHashes []string, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		now := t.now()
		// The pending secret is sealed: compare what it opens to, then move
		// that very ciphertext (the same user, so it still opens).
		var stored string
		err := t.queryRow(ctx, `SELECT pending_secret FROM user_totp WHERE user_id = ?`, userID).Scan(&stored)
		if err != nil && err != sql.ErrNoRows {
			return classify(err)
		}
		if plain, oerr := t.db.open(totpAAD(userID), stored); err == sql.ErrNoRows || oerr != nil || stored == "" ||
			subtle.ConstantTimeCompare([]byte(plain), []byte(pending)) != 1 {
			return errs.Field("code", "mfa.no_pending", nil)
		}
		res, err := t.exec(ctx, `UPDATE user_totp SET secret = pending_secret, pending_secret = '', confirmed_at = ?, last_step = ?, updated_at = ?
			WHERE user_id = ? AND pending_secret = ?`, now, step, now, userID, stored)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			// Another tab started a new enrolment meanwhile.
			return errs.Field("code", "mfa.no_pending", nil)
		}
		if _, err := t.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
			return classify(err)
		}
		for _, h := range recoveryHashes {
			if _, err := t.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)`, userID, h, now); err != nil {
				return classify(err)
			}
		}
		actor.Action, actor.ObjectType, actor.ObjectID = audit.MFAEnabled, "user", userID
		return t.Audit(ctx, actor)
	})
}

// RemoveTOTP deletes the user's second factor and recovery codes.
func (db *DB) RemoveTOTP(ctx context.Context, userID string, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		if _, err := t.exec(ctx, `DELETE FROM user_totp WHERE user_id = ?`, userID); err != nil {
			return classify(err)
		}
		if _, err := t.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID = audit.MFARemoved, "user", userID
		return t.Audit(ctx, actor)
	})
}

// UseTOTPStep marks a step used if it is newer than the last one used,
// reporting whether it was. A step already used (or older) is a replay. The
// conditional update makes two simultaneous logins with one code end with
// exactly one winner.
func (db *DB) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	var ok bool
	err := db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE user_totp SET last_step = ? WHERE user_id = ? AND secret <> '' AND last_step < ?`, step, userID, step)
		if err != nil {
			return classify(err)
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	return ok, err
}

// UseRecoveryCode spends one recovery code, reporting whether it was
// there and unused; its use is audited.
func (db *DB) UseRecoveryCode(ctx context.Context, userID, codeHash string, actor audit.Event) (bool, error) {
	var ok bool
	err := db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`, t.now(), userID, codeHash)
		if err != nil {
			return classify(err)
		}
		n, _ := res.RowsAffected()
		if ok = n == 1; !ok {
			return nil
		}
		actor.Action, actor.ObjectType, actor.ObjectID = audit.MFARecoveryUsed, "user", userID
		return t.Audit(ctx, actor)
	})
	return ok, err
}

// CreateLoginChallenge records that userID gave the right password and
// must now give a code, returning the token for the challenge cookie.
func (db *DB) CreateLoginChallenge(ctx context.Context, userID string) (string, error) {
	token, hash, err := account.NewSecret("ttc_")
	if err != nil {
		return "", err
	}
	err = db.InTx(ctx, func(t *Tx) error {
		// One open challenge per user is enough; older ones end here.
		if _, err := t.exec(ctx, `DELETE FROM login_challenges WHERE user_id = ?`, userID); err != nil {
			return classify(err)
		}
		_, err := t.exec(ctx, `INSERT INTO login_challenges (token_hash, user_id, created_at) VALUES (?, ?, ?)`, hash, userID, t.now())
		return classify(err)
	})
	return token, err
}

// GetLoginChallenge returns the user and start of a challenge.
func (db *DB) GetLoginChallenge(ctx context.Context, tokenHash string) (string, time.Time, error) {
	var userID, created string
	err := db.reader().queryRow(ctx, `SELECT user_id, created_at FROM login_challenges WHERE token_hash = ?`, tokenHash).Scan(&userID, &created)
	if err == sql.ErrNoRows {
		return "", time.Time{}, errs.New(errs.Unauthenticated, "auth.session_expired")
	}
	return userID, parseTS(created), classify(err)
}

// DeleteLoginChallenges ends one challenge (tokenHash) or, with an empty
// hash, those begun before cutoff.
func (db *DB) DeleteLoginChallenges(ctx context.Context, tokenHash string, cutoff time.Time) error {
	return db.InTx(ctx, func(t *Tx) error {
		var err error
		if tokenHash != "" {
			_, err = t.exec(ctx, `DELETE FROM login_challenges WHERE token_hash = ?`, tokenHash)
		} else {
			_, err = t.exec(ctx, `DELETE FROM login_challenges WHERE created_at < ?`, ts(cutoff))
		}
		return classify(err)
	})
}

// SetTOTPForDemo stores a confirmed secret directly (the demo's accounts,
// whose secrets are printed once with their passwords).
func (db *DB) SetTOTPForDemo(ctx context.Context, userID, secret string, actor audit.Event) error {
	secret, err := db.seal(totpAAD(userID), secret)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(t *Tx) error {
		now := t.now()
		if _, err := t.exec(ctx, `INSERT INTO user_totp (user_id, secret, confirmed_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, pending_secret = '', confirmed_at = excluded.confirmed_at, last_step = 0, updated_at = excluded.updated_at`,
			userID, secret, now, now); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID = audit.MFAEnabled, "user", userID
		return t.Audit(ctx, actor)
	})
}
