package store

import (
	"context"
	"database/sql"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
)

const tokenColumns = `id, user_id, name, token_hash, created_at, expires_at, revoked_at, last_used_at`

func scanToken(row interface{ Scan(...any) error }) (account.APIToken, error) {
	var tk account.APIToken
	var created, expires string
	var revoked, used sql.NullString
	err := row.Scan(&tk.ID, &tk.UserID, &tk.Name, &tk.TokenHash, &created, &expires, &revoked, &used)
	tk.CreatedAt, tk.ExpiresAt = parseTS(created), parseTS(expires)
	tk.RevokedAt, tk.LastUsedAt = parseNullTS(revoked), parseNullTS(used)
	return tk, err
}

// CreateAPIToken makes a bearer token for a user and returns it once; only
// its hash is stored.
func (db *DB) CreateAPIToken(ctx context.Context, userID, name string, lifetime time.Duration, actor audit.Event) (string, account.APIToken, error) {
	var token string
	var tk account.APIToken
	err := db.InTx(ctx, func(t *Tx) error {
		var err error
		token, tk, err = t.createAPIToken(ctx, userID, name, lifetime, actor)
		return err
	})
	return token, tk, err
}

// createAPIToken stores a new token's hash and audits its issue.
func (t *Tx) createAPIToken(ctx context.Context, userID, name string, lifetime time.Duration, actor audit.Event) (string, account.APIToken, error) {
	token, hash, err := account.NewSecret(account.APITokenPrefix)
	if err != nil {
		return "", account.APIToken{}, err
	}
	now := t.db.Now()
	tk := account.APIToken{ID: NewID(), UserID: userID, Name: name, TokenHash: hash, CreatedAt: now, ExpiresAt: now.Add(lifetime)}
	t.made(tk.ID)
	if _, err := t.exec(ctx, `INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		tk.ID, userID, name, hash, ts(tk.CreatedAt), ts(tk.ExpiresAt)); err != nil {
		return "", tk, classify(err)
	}
	actor.Action, actor.ObjectType, actor.ObjectID = audit.TokenCreated, "api_token", tk.ID
	return token, tk, t.Audit(ctx, actor)
}

// GetAPITokenByHash finds a token by the hash of its secret.
func (db *DB) GetAPITokenByHash(ctx context.Context, hash string) (account.APIToken, error) {
	tk, err := scanToken(db.reader().queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ?`, hash))
	if err == sql.ErrNoRows {
		return tk, errs.New(errs.Unauthenticated, "auth.token_invalid")
	}
	return tk, classify(err)
}

// ListAPITokens lists a user's tokens, newest first.
func (db *DB) ListAPITokens(ctx context.Context, userID string) ([]account.APIToken, error) {
	rows, err := db.reader().query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC`, userID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []account.APIToken
	for rows.Next() {
		tk, err := scanToken(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, tk)
	}
	return out, classify(rows.Err())
}

// RevokeAPIToken ends a token at once.
func (db *DB) RevokeAPIToken(ctx context.Context, id string, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error { return t.revokeAPIToken(ctx, id, actor) })
}

func (t *Tx) revokeAPIToken(ctx context.Context, id string, actor audit.Event) error {
	res, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, t.now(), id)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.NotFound, "token.not_found")
	}
	actor.Action, actor.ObjectType, actor.ObjectID = audit.TokenRevoked, "api_token", id
	return t.Audit(ctx, actor)
}

// TouchAPIToken records a token's use, at most once a minute per token.
// Within the minute after this store last wrote it, nothing is written: a
// write transaction on every API request took the single SQLite writer
// from the audit log and cost a tenth of a lookup's CPU.
func (db *DB) TouchAPIToken(ctx context.Context, id string) error {
	now := db.Now()
	if last, ok := db.tokenTouches.Load(id); ok {
		if at := last.(time.Time); !now.Before(at) && now.Sub(at) < time.Minute {
			return nil
		}
	}
	// inTx: last_used_at is nothing a cache of verified tokens depends on.
	err := db.inTx(ctx, func(t *Tx) error {
		cutoff := ts(now.Add(-time.Minute))
		_, err := t.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`, ts(now), id, cutoff)
		return classify(err)
	})
	if err == nil {
		db.tokenTouches.Store(id, now)
	}
	return err
}

// APITokenState is what may have changed about a token and its user since
// the token was verified.
type APITokenState struct {
	Revoked      bool
	UserDisabled bool
	UserVersion  int // moves with every change to the user: password, roles, memberships
}

// APITokenState reads, in one indexed query, whether a token has been
// revoked and whether its user has been disabled or changed since: the
// check a cached verification must pass on every request, so that a
// revocation or a disabled account takes effect at once even when made by
// another process (termtem token revoke, termtem user disable).
func (db *DB) APITokenState(ctx context.Context, tokenID string) (APITokenState, error) {
	var st APITokenState
	var revoked sql.NullString
	err := db.reader().queryRow(ctx, `SELECT t.revoked_at, u.disabled, u.version FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.id = ?`, tokenID).Scan(&revoked, &st.UserDisabled, &st.UserVersion)
	if err == sql.ErrNoRows {
		return APITokenState{Revoked: true}, nil
	}
	st.Revoked = revoked.Valid
	return st, classify(err)
}
