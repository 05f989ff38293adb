package store

import (
	"context"

	"termtem/internal/account"
)

// seedRoles keeps the built-in roles and their permissions in step with the
// code. Roles that administrators add are left alone.
func (db *DB) seedRoles(ctx context.Context) error {
	return db.InTx(ctx, func(t *Tx) error {
		for _, r := range account.BuiltinRoles {
			if _, err := t.exec(ctx, `INSERT INTO roles (code, name_th, name_en, kind, builtin) VALUES (?, ?, ?, ?, TRUE)
				ON CONFLICT (code) DO UPDATE SET name_th = excluded.name_th, name_en = excluded.name_en, kind = excluded.kind, builtin = TRUE`,
				r.Code, r.NameTH, r.NameEN, string(r.Kind)); err != nil {
				return classify(err)
			}
			if _, err := t.exec(ctx, `DELETE FROM role_permissions WHERE role_code = ?`, r.Code); err != nil {
				return classify(err)
			}
			for _, p := range r.Permissions {
				if _, err := t.exec(ctx, `INSERT INTO role_permissions (role_code, permission) VALUES (?, ?)`, r.Code, string(p)); err != nil {
					return classify(err)
				}
			}
		}
		return nil
	})
}

// ListRoles returns every role with its permissions, ordered as the built-in
// list and then by code.
func (db *DB) ListRoles(ctx context.Context) ([]account.Role, error) {
	rows, err := db.reader().query(ctx, `SELECT r.code, r.name_th, r.name_en, r.kind, COALESCE(p.permission, '')
		FROM roles r LEFT JOIN role_permissions p ON p.role_code = r.code ORDER BY r.code, p.permission`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	byCode := map[string]*account.Role{}
	var codes []string
	for rows.Next() {
		var r account.Role
		var kind, perm string
		if err := rows.Scan(&r.Code, &r.NameTH, &r.NameEN, &kind, &perm); err != nil {
			return nil, classify(err)
		}
		if byCode[r.Code] == nil {
			r.Kind = account.AccountKind(kind)
			byCode[r.Code] = &r
			codes = append(codes, r.Code)
		}
		if perm != "" {
			byCode[r.Code].Permissions = append(byCode[r.Code].Permissions, account.Permission(perm))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	var out []account.Role
	for _, b := range account.BuiltinRoles {
		if r := byCode[b.Code]; r != nil {
			out = append(out, *r)
			delete(byCode, b.Code)
		}
	}
	for _, c := range codes {
		if r := byCode[c]; r != nil {
			out = append(out, *r)
		}
	}
	return out, nil
}
