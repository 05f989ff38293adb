package store

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
)

// Audit actions of service accounts (their tokens are audited as
// token.created and token.revoked, like every token).
const (
	ActionServiceAccountCreated  = "service_account.created"
	ActionServiceAccountDisabled = "service_account.disabled"
)

// ServiceAccount is an agency system's account with its tokens (hashes
// only: a token's secret is shown once, when it is issued).
type ServiceAccount struct {
	account.User
	Tokens []account.APIToken
}

// Organisation is the one organisation the account belongs to.
func (s ServiceAccount) Organisation() account.Membership {
	if len(s.Memberships) == 0 {
		return account.Membership{}
	}
	return s.Memberships[0]
}

// CreateServiceAccount stores a service account: a user of kind service
// without a password, in exactly one organisation with one staff role that
// is not an administrator's.
func (db *DB) CreateServiceAccount(ctx context.Context, u account.User, actor audit.Event) (account.User, error) {
	err := db.InTx(ctx, func(t *Tx) error {
		var err error
		u, err = t.createServiceAccount(ctx, u, actor)
		return err
	})
	if err != nil {
		return account.User{}, err
	}
	return db.GetUser(ctx, u.ID)
}

// CreateServiceAccountWithToken makes a service account and its first
// token in one transaction (the web page's "add"): either both exist or
// neither. The token's secret is returned once.
func (db *DB) CreateServiceAccountWithToken(ctx context.Context, u account.User, tokenName string, lifetime time.Duration, actor audit.Event) (ServiceAccount, string, error) {
	if err := validTokenName(tokenName); err != nil {
		return ServiceAccount{}, "", err
	}
	var secret string
	err := db.InTx(ctx, func(t *Tx) error {
		var err error
		if u, err = t.createServiceAccount(ctx, u, actor); err != nil {
			return err
		}
		secret, _, err = t.createAPIToken(ctx, u.ID, tokenName, lifetime, actor)
		return err
	})
	if err != nil {
		return ServiceAccount{}, "", err
	}
	sa, err := db.GetServiceAccount(ctx, u.ID)
	return sa, secret, err
}

func (t *Tx) createServiceAccount(ctx context.Context, u account.User, actor audit.Event) (account.User, error) {
	u.ID, u.PasswordHash, u.Email, u.Disabled = "", "", "", false
	if err := account.ValidateServiceAccount(&u); err != nil {
		return account.User{}, err
	}
	m := u.Memberships[0]
	var kind string
	err := t.queryRow(ctx, `SELECT kind FROM roles WHERE code = ?`, m.RoleCode).Scan(&kind)
	if err == sql.ErrNoRows {
		return account.User{}, errs.Field("role", "user.role_unknown", map[string]any{"Role": m.RoleCode})
	}
	if err != nil {
		return account.User{}, classify(err)
	}
	if !account.ServiceRoleAllowed(account.Role{Code: m.RoleCode, Kind: account.AccountKind(kind)}) {
		return account.User{}, errs.Field("role", "service_account.role_not_allowed", map[string]any{"Role": m.RoleCode})
	}
	if _, err := t.getOrganisation(ctx, "id", m.OrganisationID); err != nil {
		return account.User{}, errs.Field("organisation_id", "organisation.not_found", nil)
	}
	now := t.now()
	u.ID = NewID()
	t.made(u.ID)
	if _, err := t.exec(ctx, `INSERT INTO users (id, username, display_name, kind, password_hash, disabled, lang, email, created_at, updated_at)
		VALUES (?, ?, ?, ?, '', ?, ?, '', ?, ?)`, u.ID, u.Username, u.DisplayName, string(account.ServiceAccount), false, u.Lang, now, now); err != nil {
		return account.User{}, fieldConflict(classify(err), "username")
	}
	if _, err := t.exec(ctx, `INSERT INTO memberships (user_id, organisation_id, role_code, created_at) VALUES (?, ?, ?, ?)`,
		u.ID, m.OrganisationID, m.RoleCode, now); err != nil {
		return account.User{}, classify(err)
	}
	actor.Action, actor.ObjectType, actor.ObjectID, actor.Detail = ActionServiceAccountCreated, "user", u.ID, m.OrganisationID
	return u, t.Audit(ctx, actor)
}

// ServiceAccounts lists the service accounts of the given organisations
// (nil: all), by username, with their tokens newest first.
func (db *DB) ServiceAccounts(ctx context.Context, orgIDs []string) ([]ServiceAccount, error) {
	if orgIDs != nil && len(orgIDs) == 0 {
		return nil, nil
	}
	q := `SELECT ` + userColumns + ` FROM users WHERE kind = ?`
	args := []any{string(account.ServiceAccount)}
	if orgIDs != nil {
		q += ` AND id IN (SELECT user_id FROM memberships WHERE organisation_id IN (` + placeholders(len(orgIDs)) + `))`
		for _, id := range orgIDs {
			args = append(args, id)
		}
	}
	q += ` ORDER BY username`
	r := db.reader()
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	var out []ServiceAccount
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, classify(err)
		}
		out = append(out, ServiceAccount{User: u})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	for i := range out {
		if out[i].Memberships, err = r.memberships(ctx, out[i].ID); err != nil {
			return nil, err
		}
		if out[i].Tokens, err = db.ListAPITokens(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Administered is the set of organisations whose service accounts a
// principal manages: every one (All, a system administrator) or those in
// IDs.
type Administered struct {
	All bool
	IDs []string
}

// Includes reports whether the organisation is administered.
func (a Administered) Includes(orgID string) bool {
	return a.All || slices.Contains(a.IDs, orgID)
}

// Any reports whether any organisation is administered (an account may be
// made at all).
func (a Administered) Any() bool { return a.All || len(a.IDs) > 0 }

// filter is the organisations' IDs for a query: nil for all, empty for none.
func (a Administered) filter() []string {
	if a.All {
		return nil
	}
	return append([]string{}, a.IDs...)
}

// AdministeredOrganisations tells which organisations' service accounts p
// manages, by p's role in each organisation (account.AdministeredOrganisations):
// the one answer the API and the web pages both ask.
func (db *DB) AdministeredOrganisations(ctx context.Context, p *account.Principal) (Administered, error) {
	roles, err := db.ListRoles(ctx)
	if err != nil {
		return Administered{}, err
	}
	all, ids := account.AdministeredOrganisations(p, roles, account.UsersManage)
	return Administered{All: all, IDs: ids}, nil
}

// ServiceAccountsAdministeredBy lists the service accounts p manages (see
// ServiceAccounts), with the organisations that decided it.
func (db *DB) ServiceAccountsAdministeredBy(ctx context.Context, p *account.Principal) ([]ServiceAccount, Administered, error) {
	adm, err := db.AdministeredOrganisations(ctx, p)
	if err != nil {
		return nil, Administered{}, err
	}
	sas, err := db.ServiceAccounts(ctx, adm.filter())
	return sas, adm, err
}

// GetServiceAccount returns a service account with its tokens; a person's
// account is not found here.
func (db *DB) GetServiceAccount(ctx context.Context, id string) (ServiceAccount, error) {
	u, err := db.GetUser(ctx, id)
	if err == nil && u.Kind != account.ServiceAccount {
		err = errs.New(errs.NotFound, "service_account.not_found")
	}
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			err = errs.New(errs.NotFound, "service_account.not_found")
		}
		return ServiceAccount{}, err
	}
	tokens, err := db.ListAPITokens(ctx, id)
	return ServiceAccount{User: u, Tokens: tokens}, err
}

// serviceAccount checks, inside a transaction, that id is an enabled
// service account and takes the change: the account's version moves with
// every change to it or its tokens, so that two administrators acting on
// the same page cannot both rotate or revoke (optimistic concurrency).
// version is the one the caller saw; 0 means "whatever it is now" (the
// command line and API calls without If-Match, which read and act at once).
func (t *Tx) serviceAccount(ctx context.Context, id string, version int) error {
	var kind string
	var disabled bool
	var current int
	err := t.queryRow(ctx, `SELECT kind, disabled, version FROM users WHERE id = ?`, id).Scan(&kind, &disabled, &current)
	if err == sql.ErrNoRows || (err == nil && kind != string(account.ServiceAccount)) {
		return errs.New(errs.NotFound, "service_account.not_found")
	}
	if err != nil {
		return classify(err)
	}
	if version != 0 && version != current {
		return errs.New(errs.Stale, "error.stale")
	}
	if disabled {
		return errs.New(errs.Conflict, "service_account.disabled")
	}
	res, err := t.exec(ctx, `UPDATE users SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, t.now(), id, current)
	if err != nil {
		return classify(err)
	}
	return oneRow(res)
}

// activeToken checks that tokenID is an active token of the user.
func (t *Tx) activeToken(ctx context.Context, userID, tokenID string) (string, error) {
	var name string
	var revoked sql.NullString
	err := t.queryRow(ctx, `SELECT name, revoked_at FROM api_tokens WHERE id = ? AND user_id = ?`, tokenID, userID).Scan(&name, &revoked)
	if err == sql.ErrNoRows || (err == nil && revoked.Valid) {
		return "", errs.New(errs.NotFound, "token.not_found")
	}
	return name, classify(err)
}

// IssueServiceToken makes a bearer token for a service account, returned
// once; only its hash is kept. The issue is audited.
func (db *DB) IssueServiceToken(ctx context.Context, userID string, version int, name string, lifetime time.Duration, actor audit.Event) (string, account.APIToken, error) {
	if err := validTokenName(name); err != nil {
		return "", account.APIToken{}, err
	}
	var token string
	var tk account.APIToken
	err := db.InTx(ctx, func(t *Tx) error {
		if err := t.serviceAccount(ctx, userID, version); err != nil {
			return err
		}
		var err error
		token, tk, err = t.createAPIToken(ctx, userID, name, lifetime, actor)
		return err
	})
	return token, tk, err
}

// RotateServiceToken replaces an active token of a service account by a
// new one of the same name in one transaction: the old one stops working
// the moment the new one exists. Both steps are audited.
func (db *DB) RotateServiceToken(ctx context.Context, userID string, version int, tokenID string, lifetime time.Duration, actor audit.Event) (string, account.APIToken, error) {
	var token string
	var tk account.APIToken
	err := db.InTx(ctx, func(t *Tx) error {
		if err := t.serviceAccount(ctx, userID, version); err != nil {
			return err
		}
		name, err := t.activeToken(ctx, userID, tokenID)
		if err != nil {
			return err
		}
		revoke := actor
		revoke.Detail = "rotated"
		if err := t.revokeAPIToken(ctx, tokenID, revoke); err != nil {
			return err
		}
		actor.Detail = "rotates:" + tokenID
		token, tk, err = t.createAPIToken(ctx, userID, name, lifetime, actor)
		return err
	})
	return token, tk, err
}

// RevokeServiceToken ends an active token of a service account at once.
func (db *DB) RevokeServiceToken(ctx context.Context, userID string, version int, tokenID string, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		if err := t.serviceAccount(ctx, userID, version); err != nil {
			return err
		}
		if _, err := t.activeToken(ctx, userID, tokenID); err != nil {
			return err
		}
		return t.revokeAPIToken(ctx, tokenID, actor)
	})
}

// DisableServiceAccount switches a service account off and revokes every
// token it still has.
func (db *DB) DisableServiceAccount(ctx context.Context, userID string, version int, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		if err := t.serviceAccount(ctx, userID, version); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT id FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL`, userID)
		if err != nil {
			return classify(err)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return classify(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return classify(err)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if err := t.revokeAPIToken(ctx, id, actor); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?`, true, t.now(), userID); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionServiceAccountDisabled, "user", userID
		return t.Audit(ctx, actor)
	})
}

// validTokenName bounds what a token is called (shown on the page).
func validTokenName(name string) error {
	if len([]rune(name)) > 100 {
		return errs.Field("name", "field.too_long", map[string]any{"Max": 100})
	}
	return nil
}
