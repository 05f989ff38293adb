package store

import (
	"context"

	"termtem/internal/account"
	"termtem/internal/errs"
)

// formNoncesKept is how many of a session's newest form nonces are kept:
// the forms of pages opened longer ago than that are refused as already
// sent, and a session that opens pages all day holds no more rows.
const formNoncesKept = 20

// NewFormNonce gives a form rendered for a session a one-time nonce; form
// names what the form does (e.g. "service_account:ID"), so that the nonce
// of one form does not open another. Only the nonce's hash is stored; the
// nonces are deleted with their session.
func (db *DB) NewFormNonce(ctx context.Context, sessionHash, form string) (string, error) {
	if sessionHash == "" {
		return "", errs.New(errs.Unauthenticated, "auth.session_expired")
	}
	nonce, hash, err := account.NewSecret("")
	if err != nil {
		return "", err
	}
	err = db.InTx(ctx, func(t *Tx) error {
		// A count, not the time: pages opened within one clock tick still
		// have an order, so the oldest is always the one that goes.
		var seq int64
		if err := t.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM form_nonces WHERE session_hash = ?`, sessionHash).Scan(&seq); err != nil {
			return classify(err)
		}
		seq++
		if _, err := t.exec(ctx, `INSERT INTO form_nonces (nonce_hash, session_hash, form, seq, created_at) VALUES (?, ?, ?, ?, ?)`,
			hash, sessionHash, form, seq, t.now()); err != nil {
			return classify(err)
		}
		_, err := t.exec(ctx, `DELETE FROM form_nonces WHERE session_hash = ? AND seq <= ?`, sessionHash, seq-formNoncesKept)
		return classify(err)
	})
	return nonce, err
}

// UseFormNonce uses up a form's nonce: nil the first time; the same nonce
// again, or one this session was never given for this form, is refused
// (Conflict, "form_once.sent") and the form must do nothing. The delete is
// the check, so two submissions at once cannot both pass.
func (db *DB) UseFormNonce(ctx context.Context, sessionHash, form, nonce string) error {
	if sessionHash == "" || nonce == "" {
		return errs.New(errs.Conflict, "form_once.sent")
	}
	var n int64
	err := db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `DELETE FROM form_nonces WHERE nonce_hash = ? AND session_hash = ? AND form = ?`,
			account.HashSecret(nonce), sessionHash, form)
		if err != nil {
			return classify(err)
		}
		n, err = res.RowsAffected()
		return classify(err)
	})
	if err == nil && n != 1 {
		err = errs.New(errs.Conflict, "form_once.sent")
	}
	return err
}
