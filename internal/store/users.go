package store

import (
	"context"
	"database/sql"
	"strings"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
)

const userColumns = `id, username, display_name, kind, password_hash, disabled, lang, email, version, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }) (account.User, error) {
	var u account.User
	var kind, created, updated string
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &kind, &u.PasswordHash, &u.Disabled, &u.Lang, &u.Email, &u.Version, &created, &updated)
	u.Kind, u.CreatedAt, u.UpdatedAt = account.AccountKind(kind), parseTS(created), parseTS(updated)
	return u, err
}

// GetUser returns a user with their memberships.
func (db *DB) GetUser(ctx context.Context, id string) (account.User, error) {
	return db.reader().getUser(ctx, "id", id)
}

// GetUserByUsername returns a user by (normalised) username.
func (db *DB) GetUserByUsername(ctx context.Context, username string) (account.User, error) {
	return db.reader().getUser(ctx, "username", account.NormalizeUsername(username))
}

func (t *Tx) getUser(ctx context.Context, column, value string) (account.User, error) {
	u, err := scanUser(t.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE `+column+` = ?`, value))
	if err == sql.ErrNoRows {
		return u, errs.New(errs.NotFound, "user.not_found")
	}
	if err != nil {
		return u, classify(err)
	}
	u.Memberships, err = t.memberships(ctx, u.ID)
	return u, err
}

func (t *Tx) memberships(ctx context.Context, userID string) ([]account.Membership, error) {
	rows, err := t.query(ctx, `SELECT m.organisation_id, o.code, o.name_th, o.name_en, m.role_code
		FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = ? ORDER BY o.code, m.role_code`, userID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []account.Membership
	for rows.Next() {
		var m account.Membership
		if err := rows.Scan(&m.OrganisationID, &m.OrganisationCode, &m.OrganisationName, &m.OrganisationNameEN, &m.RoleCode); err != nil {
			return nil, classify(err)
		}
		out = append(out, m)
	}
	return out, classify(rows.Err())
}

// Permissions returns the union of the permissions of a user's roles.
func (db *DB) Permissions(ctx context.Context, userID string) (map[account.Permission]bool, error) {
	rows, err := db.reader().query(ctx, `SELECT DISTINCT p.permission FROM memberships m
		JOIN role_permissions p ON p.role_code = m.role_code WHERE m.user_id = ?`, userID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[account.Permission]bool{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, classify(err)
		}
		out[account.Permission(p)] = true
	}
	return out, classify(rows.Err())
}

// UserFilter narrows a user listing.
type UserFilter struct {
	OrganisationIDs []string // nil: all; empty: none (scoping)
	Search          string
}

// ListUsers lists users ordered by username, with memberships.
func (db *DB) ListUsers(ctx context.Context, f UserFilter) ([]account.User, error) {
	var where []string
	var args []any
	if f.OrganisationIDs != nil {
		if len(f.OrganisationIDs) == 0 {
			return nil, nil
		}
		where = append(where, "id IN (SELECT user_id FROM memberships WHERE organisation_id IN (?"+strings.Repeat(", ?", len(f.OrganisationIDs)-1)+"))")
		for _, id := range f.OrganisationIDs {
			args = append(args, id)
		}
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		// LOWER on both sides: LIKE ignores case on SQLite but not on PostgreSQL.
		like := "%" + strings.ToLower(s) + "%"
		where = append(where, "(username LIKE ? OR LOWER(display_name) LIKE ?)")
		args = append(args, like, like)
	}
	q := `SELECT ` + userColumns + ` FROM users`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY username`
	r := db.reader()
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	var out []account.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, classify(err)
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	for i := range out {
		if out[i].Memberships, err = r.memberships(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SaveUser creates a user (empty ID; PasswordHash must be set) or updates
// their name, kind, language, disabled flag and memberships, with optimistic
// concurrency on Version. Disabling a user ends all their sessions.
func (db *DB) SaveUser(ctx context.Context, u account.User, actor audit.Event) (account.User, error) {
	err := db.InTx(ctx, func(t *Tx) error {
		if err := account.ValidateUser(&u); err != nil {
			return err
		}
		if err := t.checkMemberships(ctx, u); err != nil {
			return err
		}
		now := t.now()
		action := audit.UserUpdated
		if u.ID == "" {
			if u.PasswordHash == "" {
				return errs.Field("password", "field.required", nil)
			}
			u.ID, u.Version, action = NewID(), 1, audit.UserCreated
			t.made(u.ID)
			if _, err := t.exec(ctx, `INSERT INTO users (id, username, display_name, kind, password_hash, disabled, lang, email, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Username, u.DisplayName, string(u.Kind), u.PasswordHash, u.Disabled, u.Lang, u.Email, now, now); err != nil {
				return fieldConflict(classify(err), "username")
			}
		} else {
			old, err := t.getUser(ctx, "id", u.ID)
			if err != nil {
				return err
			}
			// New roles or units mean new rights: a login made under the old
			// ones must not live on with them (ASVS 7.4.3), so all of the
			// user's sessions end and they log in again.
			if old.Kind != u.Kind || !sameMemberships(old.Memberships, u.Memberships) {
				if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
					return classify(err)
				}
				if err := t.Audit(ctx, audit.Event{ActorID: actor.ActorID, RequestID: actor.RequestID, Action: audit.SessionsRevoked,
					ObjectType: "user", ObjectID: u.ID, Detail: "roles_changed"}); err != nil {
					return err
				}
			}
			res, err := t.exec(ctx, `UPDATE users SET display_name = ?, kind = ?, disabled = ?, lang = ?, email = ?, version = version + 1, updated_at = ?
				WHERE id = ? AND version = ?`, u.DisplayName, string(u.Kind), u.Disabled, u.Lang, u.Email, now, u.ID, u.Version)
			if err != nil {
				return classify(err)
			}
			if err := oneRow(res); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `DELETE FROM memberships WHERE user_id = ?`, u.ID); err != nil {
				return classify(err)
			}
		}
		for _, m := range u.Memberships {
			if _, err := t.exec(ctx, `INSERT INTO memberships (user_id, organisation_id, role_code, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, u.ID, m.OrganisationID, m.RoleCode, now); err != nil {
				return classify(err)
			}
		}
		if u.Disabled {
			if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return classify(err)
			}
			action = audit.UserDisabled
		}
		actor.Action, actor.ObjectType, actor.ObjectID = action, "user", u.ID
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return account.User{}, err
	}
	return db.GetUser(ctx, u.ID)
}

// sameMemberships compares two sets of (unit, role) pairs, in any order.
func sameMemberships(a, b []account.Membership) bool {
	set := map[[2]string]int{}
	for _, m := range a {
		set[[2]string{m.OrganisationID, m.RoleCode}] |= 1
	}
	for _, m := range b {
		set[[2]string{m.OrganisationID, m.RoleCode}] |= 2
	}
	for _, v := range set {
		if v != 3 {
			return false
		}
	}
	return true
}

func (t *Tx) checkMemberships(ctx context.Context, u account.User) error {
	for _, m := range u.Memberships {
		var kind string
		err := t.queryRow(ctx, `SELECT kind FROM roles WHERE code = ?`, m.RoleCode).Scan(&kind)
		if err == sql.ErrNoRows {
			return errs.Field("role", "user.role_unknown", map[string]any{"Role": m.RoleCode})
		}
		if err != nil {
			return classify(err)
		}
		if kind != string(u.Kind) {
			return errs.Field("role", "user.role_kind", map[string]any{"Role": m.RoleCode})
		}
		if _, err := t.getOrganisation(ctx, "id", m.OrganisationID); err != nil {
			return errs.Field("organisation", "organisation.not_found", nil)
		}
	}
	return nil
}

// SetPassword stores a new password hash and ends every session of the user
// except keepSession (the one that changed it; empty ends all).
func (db *DB) SetPassword(ctx context.Context, userID, hash, keepSession string, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE users SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?`, hash, t.now(), userID)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.NotFound, "user.not_found")
		}
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keepSession); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID = audit.PasswordChanged, "user", userID
		return t.Audit(ctx, actor)
	})
}

// SetUserLang stores a user's preferred language.
func (db *DB) SetUserLang(ctx context.Context, userID, lang string) error {
	return db.InTx(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE users SET lang = ? WHERE id = ?`, lang, userID)
		return classify(err)
	})
}

// CountUsers returns the number of users (to tell an empty installation).
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, classify(err)
}
