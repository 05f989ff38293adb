package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/places"
)

const placeColumns = `id, kind, code, COALESCE(parent_id, ''), name_th, name_en, postcode, latitude, longitude, version, created_at, updated_at`

func scanPlace(row interface{ Scan(...any) error }) (places.Place, error) {
	var p places.Place
	var kind, created, updated string
	var lat, lon sql.NullFloat64
	err := row.Scan(&p.ID, &kind, &p.Code, &p.ParentID, &p.NameTH, &p.NameEN, &p.Postcode, &lat, &lon, &p.Version, &created, &updated)
	p.Kind, p.CreatedAt, p.UpdatedAt = places.Kind(kind), parseTS(created), parseTS(updated)
	p.Lat, p.Lon, p.Located = lat.Float64, lon.Float64, lat.Valid && lon.Valid
	return p, err
}

// seedPlaces adds reference places that are missing. It never changes a
// place that exists, so administrators' regrouping and renaming survive.
func (db *DB) seedPlaces(ctx context.Context) error {
	ref, err := places.BangkokReference()
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(t *Tx) error {
		ids := map[string]string{}
		rows, err := t.query(ctx, `SELECT code, id FROM places WHERE kind <> 'community'`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var code, id string
			if err := rows.Scan(&code, &id); err != nil {
				rows.Close()
				return err
			}
			ids[code] = id
		}
		rows.Close()
		now := t.now()
		for _, r := range ref {
			if _, ok := ids[r.Code]; ok {
				continue
			}
			id := NewID()
			var parent any
			if r.ParentCode != "" {
				parent = ids[r.ParentCode]
			}
			if _, err := t.exec(ctx, `INSERT INTO places (id, kind, code, parent_id, name_th, name_en, postcode, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, string(r.Kind), r.Code, parent, r.NameTH, r.NameEN, r.Postcode, now, now); err != nil {
				return classify(err)
			}
			ids[r.Code] = id
		}
		return nil
	})
}

// PlaceFilter narrows a place listing. Empty fields do not filter.
type PlaceFilter struct {
	ParentID string
	Kind     places.Kind
	Roots    bool // only places without a parent
}

// ListPlaces lists places ordered by code.
func (db *DB) ListPlaces(ctx context.Context, f PlaceFilter) ([]places.Place, error) {
	var where []string
	var args []any
	if f.ParentID != "" {
		where, args = append(where, "parent_id = ?"), append(args, f.ParentID)
	}
	if f.Roots {
		where = append(where, "parent_id IS NULL")
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	q := `SELECT ` + placeColumns + ` FROM places`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY code`
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []places.Place
	for rows.Next() {
		p, err := scanPlace(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, p)
	}
	return out, classify(rows.Err())
}

// GetPlace returns one place.
func (db *DB) GetPlace(ctx context.Context, id string) (places.Place, error) {
	return db.reader().getPlace(ctx, "id", id)
}

// GetPlaceByCode returns one place by its code.
func (db *DB) GetPlaceByCode(ctx context.Context, code string) (places.Place, error) {
	return db.reader().getPlace(ctx, "code", code)
}

func (t *Tx) getPlace(ctx context.Context, column, value string) (places.Place, error) {
	p, err := scanPlace(t.queryRow(ctx, `SELECT `+placeColumns+` FROM places WHERE `+column+` = ?`, value))
	if err == sql.ErrNoRows {
		return p, errs.New(errs.NotFound, "place.not_found")
	}
	return p, classify(err)
}

// PlacePath returns the place and its ancestors, the top first (breadcrumbs).
func (db *DB) PlacePath(ctx context.Context, id string) ([]places.Place, error) {
	var path []places.Place
	for id != "" && len(path) < 10 {
		p, err := db.GetPlace(ctx, id)
		if err != nil {
			return nil, err
		}
		path = append([]places.Place{p}, path...)
		id = p.ParentID
	}
	return path, nil
}

// CountChildren returns how many places hang directly under each of ids.
func (db *DB) CountChildren(ctx context.Context, parentID string) (map[string]int, error) {
	rows, err := db.reader().query(ctx, `SELECT c.parent_id, COUNT(*) FROM places c JOIN places p ON p.id = c.parent_id
		WHERE p.parent_id = ? GROUP BY c.parent_id`, parentID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, classify(err)
		}
		out[id] = n
	}
	return out, classify(rows.Err())
}

// SavePlace creates a place (empty ID) or updates one whose stored version
// is still p.Version (optimistic concurrency). It returns the saved place.
func (db *DB) SavePlace(ctx context.Context, p places.Place, actor audit.Event) (places.Place, error) {
	err := db.InTx(ctx, func(t *Tx) error {
		var parent *places.Place
		if p.ParentID != "" {
			pp, err := t.getPlace(ctx, "id", p.ParentID)
			if err != nil {
				return errs.Field("parent_id", "place.parent_kind", nil)
			}
			parent = &pp
		}
		if err := places.Validate(&p, parent); err != nil {
			return err
		}
		now := t.now()
		if p.ID == "" {
			p.ID, p.Version = NewID(), 1
			t.made(p.ID)
			if _, err := t.exec(ctx, `INSERT INTO places (id, kind, code, parent_id, name_th, name_en, postcode, latitude, longitude, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, string(p.Kind), p.Code, nullString(p.ParentID), p.NameTH, p.NameEN, p.Postcode,
				location(p, p.Lat), location(p, p.Lon), now, now); err != nil {
				return fieldConflict(classify(err), "code")
			}
		} else {
			old, err := t.getPlace(ctx, "id", p.ID)
			if err != nil {
				return err
			}
			if old.Kind != p.Kind {
				return errs.Field("kind", "place.kind_fixed", nil)
			}
			if err := t.noCycle(ctx, p.ID, p.ParentID); err != nil {
				return err
			}
			above, err := t.placeLine(ctx, p.ID)
			if err != nil {
				return err
			}
			res, err := t.exec(ctx, `UPDATE places SET code = ?, parent_id = ?, name_th = ?, name_en = ?, postcode = ?, latitude = ?, longitude = ?,
				version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, p.Code, nullString(p.ParentID), p.NameTH, p.NameEN, p.Postcode,
				location(p, p.Lat), location(p, p.Lon), now, p.ID, p.Version)
			if err != nil {
				return fieldConflict(classify(err), "code")
			}
			if err := oneRow(res); err != nil {
				return err
			}
			// The dashboard counters of everything under the place follow it.
			now, err := t.placeLine(ctx, p.ID)
			if err != nil {
				return err
			}
			if err := t.dashMovePlace(ctx, p.ID, above[1:], now[1:]); err != nil {
				return err
			}
			p.Version++
		}
		actor.Action, actor.ObjectType, actor.ObjectID = audit.PlaceSaved, "place", p.ID
		return t.Audit(ctx, actor)
	})
	if err != nil {
		return places.Place{}, err
	}
	return db.GetPlace(ctx, p.ID)
}

// location is a coordinate to store: NULL when the place has none.
func location(p places.Place, v float64) any {
	if !p.Located {
		return nil
	}
	return v
}

// noCycle refuses to move a place under one of its own descendants.
func (t *Tx) noCycle(ctx context.Context, id, parentID string) error {
	for steps := 0; parentID != "" && steps < 10; steps++ {
		if parentID == id {
			return errs.Field("parent_id", "place.parent_cycle", nil)
		}
		p, err := t.getPlace(ctx, "id", parentID)
		if err != nil {
			return err
		}
		parentID = p.ParentID
	}
	return nil
}

// oneRow turns "no row updated" into a stale-version error.
func oneRow(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return classify(err)
	}
	if n != 1 {
		return errs.New(errs.Stale, "error.stale")
	}
	return nil
}

// fieldConflict names the field a uniqueness conflict is about.
func fieldConflict(err error, field string) error {
	if e, ok := err.(*errs.Error); ok && e.Code == errs.Conflict {
		e.Field = field
	}
	return err
}

// CommunityCodes returns a community's code and its district's code, as the
// API shows where a person lives.
func (db *DB) CommunityCodes(ctx context.Context, communityID string) (community, district string, err error) {
	if communityID == "" {
		return "", "", nil
	}
	if c, ok := db.communities.get(communityID, db.WriteGeneration(), time.Now()); ok {
		return c.community, c.district, nil
	}
	gen, at := db.WriteGeneration(), time.Now()
	err = db.reader().queryRow(ctx, `SELECT c.code, COALESCE(d.code, '') FROM places c LEFT JOIN places s ON s.id = c.parent_id
		LEFT JOIN places d ON d.id = s.parent_id WHERE c.id = ?`, communityID).Scan(&community, &district)
	if err != nil {
		return "", "", classify(err)
	}
	db.communities.put(communityID, communityCodes{community, district}, gen, at)
	return community, district, nil
}

// Every person shown by the API carries their community's and district's
// codes, and reading them was a query per person for what is reference
// data: a few thousand places that change a few times a year. They are kept
// here under the same rule as verified tokens (see WriteGeneration): the
// whole cache is dropped when this process commits any write, and is
// re-read at least once a minute for changes made by another process.

// communityCacheTTL bounds how stale a change made elsewhere can be.
const communityCacheTTL = time.Minute

type communityCodes struct{ community, district string }

type communityCache struct {
	mu     sync.Mutex
	m      map[string]communityCodes
	gen    uint64
	filled time.Time
}

func (c *communityCache) get(id string, gen uint64, now time.Time) (communityCodes, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.gen != gen || now.Before(c.filled) || now.Sub(c.filled) >= communityCacheTTL {
		return communityCodes{}, false
	}
	v, ok := c.m[id]
	return v, ok
}

// put stores what was read under generation gen, at time at (both noted
// before the read).
func (c *communityCache) put(id string, v communityCodes, gen uint64, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m != nil && gen < c.gen {
		return // read under an older generation: it may predate a write
	}
	if c.m == nil || gen != c.gen || at.Sub(c.filled) >= communityCacheTTL {
		c.m, c.gen, c.filled = map[string]communityCodes{}, gen, at
	}
	c.m[id] = v
}
