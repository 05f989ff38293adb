package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/exports"
	"termtem/internal/people"
	"termtem/internal/places"
)

// ActionExport records an export: who, of which area or person, in which
// format, with which fields, and how many people.
const ActionExport = "export.people"

// exportChunk is how many people one read of an export fetches.
const exportChunk = 500

// Export writes the people of an area (or one person, when personID is
// set) through each, one at a time. It refuses an exporter without the
// export permission, an area outside the districts their organisations
// serve, and fields of a sensitive category they are not granted. People
// who restricted their record are never exported (only their care team
// opens it, and an export is not care), and records the exporter may not
// read in full are left out.
//
// Audit before data: one transaction fixes the set of people and writes
// the export's event (with the count) and a read event per person; only
// then are the people read, in chunks, by that set — a person added
// meanwhile is not in the file, and nobody is in the file unaudited. It
// returns how many people were exported.
func (db *DB) Export(ctx context.Context, req exports.Request, personID string, actor audit.Event, each func(*exports.Row) error) (int, error) {
	objType, objID := "place", req.AreaID
	if personID != "" {
		objType, objID, req.AreaID = "person", personID, "-"
	}
	if err := db.requirePermission(ctx, objType, objID, actor, account.ExportsRun, account.PeopleRead); err != nil {
		return 0, err
	}
	r := access.FromContext(ctx)
	var viewer people.Viewer = everything{}
	if r != nil && r.Principal != nil {
		viewer = r.Principal
	}
	if err := req.Validate(viewer.SeesSensitive); err != nil {
		return 0, err
	}
	var ids, related []string // related: a person's household named in their FHIR bundle
	var names map[string]string
	var err error
	if personID != "" {
		if err := db.requirePerson(ctx, personID, actor); err != nil {
			return 0, err
		}
		ids = []string{personID}
		if req.Format == exports.FHIR {
			if related, err = db.exportHousehold(ctx, personID); err != nil {
				return 0, err
			}
		}
	} else if ids, names, err = db.exportArea(ctx, req, actor); err != nil {
		return 0, err
	}
	err = db.InTx(ctx, func(t *Tx) error {
		e := actor
		e.Action, e.ObjectType, e.ObjectID = ActionExport, objType, objID
		e.Detail = "format=" + string(req.Format) + " people=" + strconv.Itoa(len(ids)) + " fields=" + strings.Join(req.Fields, ",")
		if req.ChildrenOnly {
			e.Detail += " children"
		}
		if err := t.Audit(ctx, e); err != nil {
			return err
		}
		read := append(ids[:len(ids):len(ids)], related...)
		reads := make([]audit.Event, 0, min(len(read), auditRowsPerInsert))
		for i, id := range read {
			ev := actor
			ev.Action, ev.ObjectType, ev.ObjectID, ev.Detail = ActionPersonRead, "person", id, "export"
			reads = append(reads, ev)
			if len(reads) == cap(reads) || i == len(read)-1 {
				if err := t.auditMany(ctx, reads); err != nil {
					return err
				}
				reads = reads[:0]
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	records := req.Format == exports.FHIR || exports.NeedsRecords(req.Fields)
	var inExport map[string]bool // for the FHIR RelatedPersons: who may be named
	for start := 0; start < len(ids); start += exportChunk {
		chunk := ids[start:min(len(ids), start+exportChunk)]
		rows, err := db.exportRows(ctx, chunk, names, req.Lang, records, viewer)
		if err != nil {
			return start, err
		}
		if req.Format == exports.FHIR {
			if inExport == nil {
				inExport = make(map[string]bool, len(ids)+len(related))
				for _, id := range append(ids[:len(ids):len(ids)], related...) {
					inExport[id] = true
				}
			}
			if err := db.exportRelatives(ctx, rows, inExport, names, req.Lang, viewer); err != nil {
				return start, err
			}
		}
		for i := range rows {
			if err := each(&rows[i]); err != nil {
				return start + i, err
			}
		}
	}
	return len(ids), nil
}

// everything is the platform's own view (the command line): every record.
type everything struct{}

func (everything) SeesSensitive(string) bool  { return true }
func (everything) InOrganisation(string) bool { return true }

// exportArea checks the area against the exporter's districts and returns
// the IDs of its people, ordered, and its communities' names.
func (db *DB) exportArea(ctx context.Context, req exports.Request, actor audit.Event) ([]string, map[string]string, error) {
	r := db.reader()
	var kind, parent string
	err := r.queryRow(ctx, `SELECT kind, COALESCE(parent_id, '') FROM places WHERE id = ?`, req.AreaID).Scan(&kind, &parent)
	if err == sql.ErrNoRows {
		return nil, nil, errs.Field("area_id", "exports.area_unknown", nil)
	}
	if err != nil {
		return nil, nil, classify(err)
	}
	var communities, district string
	switch places.Kind(kind) {
	case places.Community:
		communities = `SELECT id FROM places WHERE id = ?`
		if err := r.queryRow(ctx, `SELECT COALESCE(parent_id, '') FROM places WHERE id = ?`, parent).Scan(&district); err != nil {
			return nil, nil, classify(err)
		}
	case places.Subdistrict:
		communities, district = `SELECT id FROM places WHERE parent_id = ? AND kind = 'community'`, parent
	case places.District:
		communities, district = `SELECT c.id FROM places c JOIN places s ON s.id = c.parent_id WHERE s.parent_id = ? AND c.kind = 'community'`, req.AreaID
	default:
		// A zone group or the city is many districts: exported district by
		// district, so that each file is one area's responsibility.
		return nil, nil, errs.Field("area_id", "exports.area_kind", nil)
	}
	req2, v, err := db.requestViewer(ctx)
	if err != nil {
		return nil, nil, err
	}
	if req2 != nil && (req2.Principal == nil || !contains(v.districts, district)) {
		if err := db.auditDenied(ctx, "place", req.AreaID, actor); err != nil {
			return nil, nil, err
		}
		return nil, nil, errs.Field("area_id", "exports.area_out_of_scope", nil)
	}
	names := map[string]string{}
	name := `name_th`
	if req.Lang == "en" {
		name = `CASE WHEN name_en <> '' THEN name_en ELSE name_th END`
	}
	rows, err := r.query(ctx, `SELECT id, `+name+` FROM places WHERE id IN (`+communities+`)`, req.AreaID)
	if err != nil {
		return nil, nil, classify(err)
	}
	for rows.Next() {
		var id, n string
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, nil, classify(err)
		}
		names[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, classify(err)
	}
	q := `SELECT p.id FROM people p WHERE p.community_id IN (` + communities + `) AND p.restricted = FALSE`
	args := []any{req.AreaID}
	if req.ChildrenOnly {
		// Under 18 today: born after this day 18 years ago (a year-only
		// birth date of that year sorts before the day, and is left out).
		cut := db.Now().AddDate(-18, 0, 0).Format("2006-01-02")
		q += ` AND p.birth_date > ?`
		args = append(args, cut)
	}
	q += ` ORDER BY p.id`
	ids, err := r.strings(ctx, q, args...)
	return ids, names, err
}

// exportRows reads a chunk of people with their identifiers, household
// addresses and, when asked, the records viewer may read in full.
func (db *DB) exportRows(ctx context.Context, ids []string, names map[string]string, lang string, records bool, viewer people.Viewer) ([]exports.Row, error) {
	r := db.reader()
	args := anyArgs(ids)
	in := `(` + placeholders(len(ids)) + `)`
	rows, err := r.query(ctx, `SELECT `+personColumns+`, COALESCE(h.address, '') FROM people p LEFT JOIN households h ON h.id = p.household_id
		WHERE p.id IN `+in+` ORDER BY p.id`, args...)
	if err != nil {
		return nil, classify(err)
	}
	out := make([]exports.Row, 0, len(ids))
	at := map[string]int{}
	for rows.Next() {
		var row exports.Row
		var addr string
		p, err := scanPerson(scanPlus{rows, &addr})
		if err != nil {
			rows.Close()
			return nil, classify(err)
		}
		row.Person, row.Address = p, addr
		row.Community = names[p.CommunityID]
		at[p.ID] = len(out)
		out = append(out, row)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	idRows, err := r.query(ctx, `SELECT person_id, kind, value FROM person_identifiers WHERE person_id IN `+in, args...)
	if err != nil {
		return nil, classify(err)
	}
	for idRows.Next() {
		var pid, kind, value string
		if err := idRows.Scan(&pid, &kind, &value); err != nil {
			idRows.Close()
			return nil, classify(err)
		}
		if i, ok := at[pid]; ok {
			if people.IdentifierKind(kind) == people.NationalID {
				out[i].Person.NationalID = value
			} else {
				out[i].Person.Identifiers = append(out[i].Person.Identifiers, people.Identifier{Kind: people.IdentifierKind(kind), Value: value})
			}
		}
	}
	idRows.Close()
	if err := idRows.Err(); err != nil {
		return nil, classify(err)
	}
	if !records {
		return out, nil
	}
	recRows, err := r.query(ctx, recordSelect+` WHERE s.person_id IN `+in+` ORDER BY s.occurred_on, s.id`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer recRows.Close()
	for recRows.Next() {
		rec, err := db.scanRecord(recRows)
		if err != nil {
			return nil, err
		}
		if i, ok := at[rec.PersonID]; ok && people.Visible(rec, viewer) {
			out[i].Records = append(out[i].Records, rec)
		}
	}
	return out, classify(recRows.Err())
}

// scanPlus scans a person's columns followed by more.
type scanPlus struct {
	row  interface{ Scan(...any) error }
	more *string
}

func (s scanPlus) Scan(dest ...any) error { return s.row.Scan(append(dest, s.more)...) }

// ExportArea is a place an exporter may choose: a district their
// organisations serve, or a sub-district or community in it.
type ExportArea struct {
	ID, Kind, Code, NameTH, NameEN string
	Depth                          int // 0 district, 1 sub-district, 2 community
}

// ExportAreas lists the areas the request may export, each district
// followed by its sub-districts and their communities. The platform's own
// work gets every district.
func (db *DB) ExportAreas(ctx context.Context) ([]ExportArea, error) {
	req, v, err := db.requestViewer(ctx)
	if err != nil {
		return nil, err
	}
	q := `SELECT d.id, d.code FROM places d WHERE d.kind = 'district'`
	var args []any
	if req != nil {
		q += ` AND d.id IN (` + inList(len(v.districts)) + `)`
		args = anyArgs(v.districts)
	}
	r := db.reader()
	rows, err := r.query(ctx, `SELECT p.id, p.kind, p.code, p.name_th, p.name_en FROM places p
		LEFT JOIN places s ON s.id = p.parent_id LEFT JOIN places d2 ON d2.id = s.parent_id
		WHERE p.id IN (SELECT id FROM (`+q+`) a) OR s.id IN (SELECT id FROM (`+q+`) b) OR d2.id IN (SELECT id FROM (`+q+`) c)
		ORDER BY p.code`, append(append(append([]any{}, args...), args...), args...)...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []ExportArea
	for rows.Next() {
		var a ExportArea
		if err := rows.Scan(&a.ID, &a.Kind, &a.Code, &a.NameTH, &a.NameEN); err != nil {
			return nil, classify(err)
		}
		switch places.Kind(a.Kind) {
		case places.District:
			a.Depth = 0
		case places.Subdistrict:
			a.Depth = 1
		case places.Community:
			a.Depth = 2
		default:
			continue
		}
		out = append(out, a)
	}
	return out, classify(rows.Err())
}
