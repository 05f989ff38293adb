package store

import (
	"context"

	"termtem/internal/account"
	"termtem/internal/errs"
)

// Once is one sending of a form that makes something (a service record, a
// referral, a case), or of an API request with an Idempotency-Key. Put on
// the context of the write (WithOnce), it makes the write's transaction
// record the key with what the write made; the same key sent again makes
// nothing and fails with SentBefore's error, which names what the first
// sending made. It costs one statement on the primary key, in the write's
// own transaction: two sendings at once cannot both make something.
type Once struct {
	Owner string // whose sending: the session's token hash, or "api:" and the API principal
	Form  string // what it makes, for whom: "record:PERSON"; a key counts only within its form
	Key   string // the form's nonce or the Idempotency-Key; only its hash is stored

	done bool // the key is recorded: the write went through
}

type onceKey struct{}

// WithOnce makes the writes under ctx record o; a creation records it in
// the transaction that makes the thing (Tx.made).
func WithOnce(ctx context.Context, o *Once) context.Context {
	return context.WithValue(ctx, onceKey{}, o)
}

// Recorded reports whether a write recorded o: a creation that succeeds
// under WithOnce without recording it is a creation not wired to the
// mechanism (a bug the callers' tests catch).
func (o *Once) Recorded() bool { return o != nil && o.done }

// SentBefore reports whether err says the sending was made before, and the
// ID of what the first sending made.
func SentBefore(err error) (string, bool) {
	e := errs.As(err)
	if e == nil || e.Code != errs.Conflict || e.MessageID != sentBeforeMessage {
		return "", false
	}
	id, _ := e.Data["Result"].(string)
	return id, true
}

const sentBeforeMessage = "form_once.sent_before"

// made tells the transaction the ID of the thing it makes: if the context
// holds a sending, the transaction records it before it commits (the first
// thing made counts; a creation that makes several names its main one).
func (t *Tx) made(id string) {
	if t.madeID == "" {
		t.madeID = id
	}
}

// recordOnce records the context's sending with what the transaction made,
// and returns it, or fails with SentBefore's error (and the transaction is
// rolled back) when the same key was recorded before. On PostgreSQL a second
// sending that arrives while the first is still writing waits for it on the
// key. A transaction that made nothing (a read or an audit beside the
// write) records nothing.
func (t *Tx) recordOnce(ctx context.Context) (*Once, error) {
	o, _ := ctx.Value(onceKey{}).(*Once)
	if o == nil || t.madeID == "" || o.done {
		return nil, nil
	}
	if o.Owner == "" || o.Form == "" || o.Key == "" {
		return nil, errs.Internalf("store: a sending without owner, form or key")
	}
	hash := account.HashSecret(o.Key)
	res, err := t.exec(ctx, `INSERT INTO form_sends (owner, form, key_hash, result, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, o.Owner, o.Form, hash, t.madeID, t.now())
	if err != nil {
		return nil, classify(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return o, classify(err)
	}
	var first string
	if err := t.queryRow(ctx, `SELECT result FROM form_sends WHERE owner = ? AND form = ? AND key_hash = ?`,
		o.Owner, o.Form, hash).Scan(&first); err != nil {
		return nil, classify(err)
	}
	return nil, &errs.Error{Code: errs.Conflict, MessageID: sentBeforeMessage, Data: map[string]any{"Result": first}}
}

// sentBefore turns the failure of a write under a sending into SentBefore's
// error when the same key was recorded before: a form sent again may fail
// on the write's own checks before its key is reached (a username taken
// by the first sending, a version the first sending moved on), and is
// still told that it is a repeat. One read, on failures only.
func (db *DB) sentBefore(ctx context.Context, err error) error {
	o, _ := ctx.Value(onceKey{}).(*Once)
	if o == nil || o.done || o.Owner == "" || o.Key == "" {
		return err
	}
	if _, ok := SentBefore(err); ok {
		return err
	}
	var first string
	primary := &Tx{q: db.write, db: db}
	if primary.queryRow(ctx, `SELECT result FROM form_sends WHERE owner = ? AND form = ? AND key_hash = ?`,
		o.Owner, o.Form, account.HashSecret(o.Key)).Scan(&first) != nil {
		return err // not sent before (or not known now): the write's own failure
	}
	return &errs.Error{Code: errs.Conflict, MessageID: sentBeforeMessage, Data: map[string]any{"Result": first}}
}

// deleteOldSends removes the sendings recorded before cutoff (the oldest a
// live session may be): their nonces are refused with their session by
// then, and an API client's retry comes within that time (documented).
func (t *Tx) deleteOldSends(ctx context.Context, cutoff string) error {
	_, err := t.exec(ctx, `DELETE FROM form_sends WHERE created_at < ?`, cutoff)
	return classify(err)
}
