package store

import (
	"context"
	"database/sql"
	"strings"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/organisations"
)

const orgColumns = `id, code, kind, name_th, name_en, place_id, COALESCE(parent_id, ''), active, version, created_at, updated_at`

func scanOrganisation(row interface{ Scan(...any) error }) (organisations.Organisation, error) {
	var o organisations.Organisation
	var kind, created, updated string
	err := row.Scan(&o.ID, &o.Code, &kind, &o.NameTH, &o.NameEN, &o.PlaceID, &o.ParentID, &o.Active, &o.Version, &created, &updated)
	o.Kind, o.CreatedAt, o.UpdatedAt = organisations.Kind(kind), parseTS(created), parseTS(updated)
	return o, err
}

// OrganisationFilter narrows a listing. Empty fields do not filter.
type OrganisationFilter struct {
	Kind    organisations.Kind
	PlaceID string
	IDs     []string // only these organisations (scoping)
	Search  string   // part of the code or a name
}

// ListOrganisations lists organisations ordered by code.
func (db *DB) ListOrganisations(ctx context.Context, f OrganisationFilter) ([]organisations.Organisation, error) {
	var where []string
	var args []any
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.PlaceID != "" {
		where, args = append(where, "place_id = ?"), append(args, f.PlaceID)
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		where = append(where, "id IN (?"+strings.Repeat(", ?", len(f.IDs)-1)+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		// LOWER on both sides: LIKE ignores case on SQLite but not on PostgreSQL.
		like := "%" + strings.ToLower(s) + "%"
		where = append(where, "(LOWER(code) LIKE ? OR LOWER(name_th) LIKE ? OR LOWER(name_en) LIKE ?)")
		args = append(args, like, like, like)
	}
	q := `SELECT ` + orgColumns + ` FROM organisations`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY code`
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []organisations.Organisation
	for rows.Next() {
		o, err := scanOrganisation(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, o)
	}
	return out, classify(rows.Err())
}

// GetOrganisation returns one organisation.
func (db *DB) GetOrganisation(ctx context.Context, id string) (organisations.Organisation, error) {
	return db.reader().getOrganisation(ctx, "id", id)
}

// GetOrganisationByCode returns one organisation by its code.
func (db *DB) GetOrganisationByCode(ctx context.Context, code string) (organisations.Organisation, error) {
	return db.reader().getOrganisation(ctx, "code", strings.ToUpper(strings.TrimSpace(code)))
}

func (t *Tx) getOrganisation(ctx context.Context, column, value string) (organisations.Organisation, error) {
	o, err := scanOrganisation(t.queryRow(ctx, `SELECT `+orgColumns+` FROM organisations WHERE `+column+` = ?`, value))
	if err == sql.ErrNoRows {
		return o, errs.New(errs.NotFound, "organisation.not_found")
	}
	return o, classify(err)
}

// SaveOrganisation creates (empty ID) or updates an organisation with
// optimistic concurrency on Version.
func (db *DB) SaveOrganisation(ctx context.Context, o organisations.Organisation, actor audit.Event) (organisations.Organisation, error) {
	err := db.InTx(ctx, func(t *Tx) error {
		if err := organisations.Validate(&o); err != nil {
			return err
		}
		if _, err := t.getPlace(ctx, "id", o.PlaceID); err != nil {
			return errs.Field("place_id", "organisation.place_unknown", nil)
		}
		if o.ParentID != "" {
			if _, err := t.getOrganisation(ctx, "id", o.ParentID); err != nil {
				return errs.Field("parent_id", "organisation.parent_unknown", nil)
			}
			if err := t.noOrganisationCycle(ctx, o.ID, o.ParentID); err != nil {
				return err
			}
		}
		now := t.now()
		if o.ID == "" {
			o.ID, o.Version = NewID(), 1
			t.made(o.ID)
			if _, err := t.exec(ctx, `INSERT INTO organisations (id, code, kind, name_th, name_en, place_id, parent_id, active, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.ID, o.Code, string(o.Kind), o.NameTH, o.NameEN, o.PlaceID, nullString(o.ParentID), o.Active, now, now); err != nil {
				return fieldConflict(classify(err), "code")
			}
		} else {
			if _, err := t.getOrganisation(ctx, "id", o.ID); err != nil {
				return err
			}
			res, err := t.exec(ctx, `UPDATE organisations SET code = ?, kind = ?, name_th = ?, name_en = ?, place_id = ?, parent_id = ?, active = ?,
				version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
				o.Code, string(o.Kind), o.NameTH, o.NameEN, o.PlaceID, nullString(o.ParentID), o.Active, now, o.ID, o.Version)
			if err != nil {
				return fieldConflict(classify(err), "code")
			}
			if err := oneRow(res); err != nil {
				return err
			}
		}
		actor.Action, actor.ObjectType, actor.ObjectID = audit.OrganisationSaved, "organisation", o.ID
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return organisations.Organisation{}, err
	}
	return db.GetOrganisation(ctx, o.ID)
}

// noOrganisationCycle refuses to put an organisation under one of its own
// descendants: code that walks up the parents must always reach the top.
func (t *Tx) noOrganisationCycle(ctx context.Context, id, parentID string) error {
	if id == "" {
		return nil // a new organisation has no descendants
	}
	for steps := 0; parentID != ""; steps++ {
		if parentID == id || steps > 100 {
			return errs.Field("parent_id", "organisation.parent_cycle", nil)
		}
		var next string
		err := t.queryRow(ctx, `SELECT COALESCE(parent_id, '') FROM organisations WHERE id = ?`, parentID).Scan(&next)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return classify(err)
		}
		parentID = next
	}
	return nil
}
