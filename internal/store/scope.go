package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"

	"termtem/internal/access"
	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// The store applies the access policy to every outside request at its
// entry points: it gathers the facts of the viewer's relation to a person
// and lets access.Decide judge. Callers without a request mark are the
// platform's own work and are not limited.

// viewer is what the store knows of a request's principal, worked out once
// per request.
type viewer struct {
	once      sync.Once
	err       error
	orgs      []string // organisations the user works in
	districts []string // districts those organisations serve
	zones     []string // the zone groups of those districts: the search area
	wholeCity bool     // zones are all of them: every community is in the search area
}

// requestViewer returns the request mark and its viewer, or nil for the
// platform's own work.
func (db *DB) requestViewer(ctx context.Context) (*access.Request, *viewer, error) {
	req := access.FromContext(ctx)
	if req == nil {
		return nil, nil, nil
	}
	v, _ := req.Cache.(*viewer)
	if v == nil {
		v = &viewer{}
		req.Cache = v
	}
	v.once.Do(func() {
		if req.Principal == nil {
			return
		}
		// The areas change only when an organisation moves or a membership
		// changes: reuse them while nothing was written here, and for a few
		// seconds at most (other processes write too).
		key := viewerKey(req)
		gen := db.WriteGeneration()
		if c, ok := db.viewers.Load(key); ok {
			cv := c.(*cachedViewer)
			if cv.gen == gen && db.Now().Sub(cv.at) < viewerTTL {
				v.orgs, v.districts, v.zones, v.wholeCity = cv.v.orgs, cv.v.districts, cv.v.zones, cv.v.wholeCity
				return
			}
		}
		if v.err = db.loadViewer(ctx, req, v); v.err == nil {
			db.viewers.Store(key, &cachedViewer{gen: gen, at: db.Now(), v: viewer{orgs: v.orgs, districts: v.districts, zones: v.zones, wholeCity: v.wholeCity}})
		}
	})
	return req, v, v.err
}

// viewerTTL bounds how long a viewer's areas are reused.
const viewerTTL = 5 * time.Second

type cachedViewer struct {
	gen uint64
	at  time.Time
	v   viewer
}

// viewerKey names a principal's memberships: the areas follow from them.
func viewerKey(req *access.Request) string {
	var b strings.Builder
	b.WriteString(req.Principal.User.ID)
	for _, m := range req.Principal.User.Memberships {
		b.WriteString("|" + m.OrganisationID)
	}
	return b.String()
}

func (db *DB) loadViewer(ctx context.Context, req *access.Request, v *viewer) error {
	if req.Principal == nil {
		return nil
	}
	r := db.reader()
	seen := map[string]bool{}
	for _, m := range req.Principal.User.Memberships {
		if seen[m.OrganisationID] {
			continue
		}
		seen[m.OrganisationID] = true
		v.orgs = append(v.orgs, m.OrganisationID)
		var place string
		if err := r.queryRow(ctx, `SELECT place_id FROM organisations WHERE id = ?`, m.OrganisationID).Scan(&place); err != nil {
			if err == sql.ErrNoRows {
				continue
			}
			return classify(err)
		}
		ds, zs, err := r.servedDistricts(ctx, place)
		if err != nil {
			return err
		}
		v.districts = appendNew(v.districts, ds...)
		v.zones = appendNew(v.zones, zs...)
	}
	if len(v.zones) > 0 {
		var all int
		if err := r.queryRow(ctx, `SELECT COUNT(*) FROM places WHERE kind = 'zone'`).Scan(&all); err != nil {
			return classify(err)
		}
		v.wholeCity = len(v.zones) >= all
	}
	return nil
}

func appendNew(list []string, xs ...string) []string {
	for _, x := range xs {
		if x != "" && !contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}

func contains(list []string, x string) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// servedDistricts is the area an organisation at a place serves: the
// district that place lies in (a unit in a sub-district or community
// serves its district), or every district below a zone group or the city.
// It also returns the zone groups of those districts.
func (t *Tx) servedDistricts(ctx context.Context, placeID string) ([]string, []string, error) {
	// Walk up to a district, noting the kinds on the way.
	id := placeID
	for range 5 {
		var kind string
		var parent sql.NullString
		err := t.queryRow(ctx, `SELECT kind, parent_id FROM places WHERE id = ?`, id).Scan(&kind, &parent)
		if err == sql.ErrNoRows {
			return nil, nil, nil
		}
		if err != nil {
			return nil, nil, classify(err)
		}
		switch kind {
		case "district":
			return []string{id}, []string{parent.String}, nil
		case "zone", "province":
			// A city- or zone-level unit serves every district below it.
			q, args := `SELECT d.id, d.parent_id FROM places d WHERE d.kind = 'district' AND d.parent_id = ?`, []any{id}
			if kind == "province" {
				// No argument: PostgreSQL refuses one the query does not use.
				q, args = `SELECT d.id, d.parent_id FROM places d WHERE d.kind = 'district'`, nil
			}
			rows, err := t.query(ctx, q, args...)
			if err != nil {
				return nil, nil, classify(err)
			}
			defer rows.Close()
			var ds, zs []string
			for rows.Next() {
				var d, z string
				if err := rows.Scan(&d, &z); err != nil {
					return nil, nil, classify(err)
				}
				ds, zs = append(ds, d), appendNew(zs, z)
			}
			return ds, zs, classify(rows.Err())
		}
		if !parent.Valid {
			return nil, nil, nil
		}
		id = parent.String
	}
	return nil, nil, nil
}

// inList renders n placeholders, or a list that matches nothing when n is 0.
func inList(n int) string {
	if n == 0 {
		return `''`
	}
	return placeholders(n)
}

func anyArgs(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// personAreaColumns and personAreaJoins read what a person's own row says
// about access: their district, its zone group and whether the record is
// restricted. A query that reads the person anyway selects them too, and
// then asks requirePersonRow, which needs no query of its own when they
// decide (the common case: a person in the viewer's district).
const (
	personAreaColumns = `COALESCE(pd.id, ''), COALESCE(pd.parent_id, ''), p.restricted`
	personAreaJoins   = ` LEFT JOIN places pc ON pc.id = p.community_id LEFT JOIN places ps ON ps.id = pc.parent_id
		LEFT JOIN places pd ON pd.id = ps.parent_id AND pd.kind = 'district'`
)

// personArea is what personAreaColumns read.
type personArea struct {
	district, zone string
	restricted     bool
}

func (a *personArea) dest() []any { return []any{&a.district, &a.zone, &a.restricted} }

// requirePersonRow is requirePerson for a person whose row was read with
// personAreaColumns. The facts the row lacks (case team, referrals,
// hand-offs, services, glass) only ever add access (access.Decide), so when
// the row's facts alone give Full the rest cannot change the answer.
func (db *DB) requirePersonRow(ctx context.Context, personID string, a personArea, actor audit.Event) error {
	req, v, err := db.requestViewer(ctx)
	if err != nil || req == nil || db.areaGivesFull(req, v, a) {
		return err
	}
	return db.requirePerson(ctx, personID, actor)
}

// areaGivesFull says whether a person's own row already decides Full.
func (db *DB) areaGivesFull(req *access.Request, v *viewer, a personArea) bool {
	if req.Principal == nil {
		return false
	}
	f := access.Facts{Restricted: a.restricted, InArea: a.district != "" && contains(v.districts, a.district)}
	f.InSearchArea = f.InArea || (a.zone != "" && contains(v.zones, a.zone))
	return access.Decide(req.Principal, f, db.Now()) == access.Full
}

// personFacts gathers a viewer's relation to a person in one query.
func (db *DB) personFacts(ctx context.Context, req *access.Request, v *viewer, personID string) (access.Facts, bool, error) {
	var f access.Facts
	if req.Principal == nil {
		return f, true, nil
	}
	userID := req.Principal.User.ID
	orgs := anyArgs(v.orgs)
	q := `SELECT COALESCE(d.id, ''), COALESCE(d.parent_id, ''), p.restricted,
		EXISTS (SELECT 1 FROM case_members m JOIN cases c ON c.id = m.case_id WHERE m.user_id = ? AND m.removed_at IS NULL
			AND c.status <> 'closed' AND (c.person_id = p.id OR c.household_id = p.household_id)),
		EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = p.id AND r.status IN ('sent', 'accepted', 'in_progress')
			AND r.to_org IN (` + inList(len(orgs)) + `)),
		EXISTS (SELECT 1 FROM handoffs h WHERE h.person_id = p.id AND h.to_org IN (` + inList(len(orgs)) + `)),
		EXISTS (SELECT 1 FROM service_records s WHERE s.person_id = p.id AND s.organisation_id IN (` + inList(len(orgs)) + `)),
		COALESCE((SELECT MAX(g.until) FROM glass_grants g WHERE g.user_id = ? AND g.person_id = p.id), '')
		FROM people p LEFT JOIN places c ON c.id = p.community_id LEFT JOIN places s ON s.id = c.parent_id
		LEFT JOIN places d ON d.id = s.parent_id AND d.kind = 'district'
		WHERE p.id = ?`
	args := []any{userID}
	args = append(args, orgs...)
	args = append(args, orgs...)
	args = append(args, orgs...)
	args = append(args, userID, personID)
	var district, zone, glass string
	err := db.reader().queryRow(ctx, q, args...).Scan(&district, &zone, &f.Restricted, &f.OnCaseTeam, &f.OpenReferral, &f.Handoff, &f.ServedBy, &glass)
	if err == sql.ErrNoRows {
		return f, false, nil
	}
	if err != nil {
		return f, false, classify(err)
	}
	f.InArea = district != "" && contains(v.districts, district)
	f.InSearchArea = f.InArea || (zone != "" && contains(v.zones, zone))
	if glass != "" {
		f.GlassUntil = parseTS(glass)
	}
	return f, true, nil
}

// personLevel is the policy's answer for a person in this context: Full
// for the platform's own work; for a request, the policy's decision.
func (db *DB) personLevel(ctx context.Context, personID string) (access.Level, error) {
	req, v, err := db.requestViewer(ctx)
	if err != nil || req == nil {
		return access.Full, err
	}
	// The person's row first: in the viewer's district it decides alone,
	// and the relation facts below are five more index probes.
	var a personArea
	err = db.reader().queryRow(ctx, `SELECT `+personAreaColumns+` FROM people p`+personAreaJoins+` WHERE p.id = ?`, personID).Scan(a.dest()...)
	if err == sql.ErrNoRows {
		return access.None, nil
	}
	if err != nil {
		return access.None, classify(err)
	}
	if db.areaGivesFull(req, v, a) {
		return access.Full, nil
	}
	f, ok, err := db.personFacts(ctx, req, v, personID)
	if err != nil || !ok {
		return access.None, err
	}
	return access.Decide(req.Principal, f, db.Now()), nil
}

// requirePerson refuses a request that may not open a person's record.
// A person the viewer may not see does not exist for them; one they may
// only find gets a refusal that says the glass can be broken.
// A refusal is audited.
func (db *DB) requirePerson(ctx context.Context, personID string, actor audit.Event) error {
	lvl, err := db.personLevel(ctx, personID)
	if err != nil || lvl == access.Full {
		return err
	}
	if err := db.auditDenied(ctx, "person", personID, actor); err != nil {
		return err
	}
	if lvl == access.Listed {
		return &errs.Error{Code: errs.Forbidden, MessageID: "access.restricted", Data: map[string]any{"ID": personID}}
	}
	return errs.New(errs.NotFound, "person.not_found")
}

// auditDenied records a refused access.
func (db *DB) auditDenied(ctx context.Context, objectType, objectID string, actor audit.Event) error {
	actor.Action, actor.ObjectType, actor.ObjectID, actor.Outcome, actor.Detail = audit.AccessDenied, objectType, objectID, audit.Denied, "scope"
	return db.AuditRead(ctx, actor)
}

// requireHousehold refuses a request that may see no one in a household
// and does not serve its community.
func (db *DB) requireHousehold(ctx context.Context, householdID string, actor audit.Event) error {
	req, v, err := db.requestViewer(ctx)
	if err != nil || req == nil {
		return err
	}
	if req.Principal != nil {
		var district string
		err := db.reader().queryRow(ctx, `SELECT COALESCE(d.id, '') FROM households h LEFT JOIN places c ON c.id = h.community_id
			LEFT JOIN places s ON s.id = c.parent_id LEFT JOIN places d ON d.id = s.parent_id WHERE h.id = ?`, householdID).Scan(&district)
		if err != nil && err != sql.ErrNoRows {
			return classify(err)
		}
		if district != "" && contains(v.districts, district) && req.Principal.Can("people:read") {
			return nil
		}
		ids, err := db.reader().householdMemberIDs(ctx, householdID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if lvl, err := db.personLevel(ctx, id); err != nil {
				return err
			} else if lvl == access.Full {
				return nil
			}
		}
	}
	if err := db.auditDenied(ctx, "household", householdID, actor); err != nil {
		return err
	}
	return errs.New(errs.NotFound, "household.not_found")
}

func (t *Tx) householdMemberIDs(ctx context.Context, householdID string) ([]string, error) {
	return t.strings(ctx, `SELECT person_id FROM household_members WHERE household_id = ? AND ended_on IS NULL`, householdID)
}

// requireCommunity refuses a request to place someone in a community
// outside the viewer's area.
func (db *DB) requireCommunity(ctx context.Context, communityID, field string) error {
	req, v, err := db.requestViewer(ctx)
	if err != nil || req == nil || communityID == "" {
		return err
	}
	var district string
	err = db.reader().queryRow(ctx, `SELECT COALESCE(d.id, '') FROM places c LEFT JOIN places s ON s.id = c.parent_id
		LEFT JOIN places d ON d.id = s.parent_id WHERE c.id = ?`, communityID).Scan(&district)
	if err != nil && err != sql.ErrNoRows {
		return classify(err)
	}
	if district == "" || !contains(v.districts, district) {
		return errs.Field(field, "access.community_out_of_area", nil)
	}
	return nil
}

// searchScope is the filter a request's searches get: people in the
// viewer's search area, or in their care. It returns "" for the
// platform's own work.
func (db *DB) searchScope(ctx context.Context) (string, []any, error) {
	req, v, err := db.requestViewer(ctx)
	if err != nil || req == nil {
		return "", nil, err
	}
	if req.Principal == nil || !req.Principal.Can("people:read") {
		return ` AND 1 = 0`, nil, nil
	}
	orgs := anyArgs(v.orgs)
	zones := anyArgs(v.zones)
	// Correlated EXISTS: the candidates are few (a name's keys), and each
	// test is an index probe on the person.
	area := `p.community_id IN (SELECT c.id FROM places c JOIN places s ON s.id = c.parent_id JOIN places d ON d.id = s.parent_id
			WHERE d.parent_id IN (` + inList(len(zones)) + `))`
	if v.wholeCity {
		// A city-wide unit: every community is in its area, and testing a
		// person's community against all of them cost a search a third.
		area, zones = `p.community_id IS NOT NULL`, nil
	}
	q := ` AND (` + area + `
		OR EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = p.id AND r.to_org IN (` + inList(len(orgs)) + `)
			AND r.status IN ('sent', 'accepted', 'in_progress'))
		OR EXISTS (SELECT 1 FROM handoffs h WHERE h.person_id = p.id AND h.to_org IN (` + inList(len(orgs)) + `))
		OR EXISTS (SELECT 1 FROM service_records s WHERE s.person_id = p.id AND s.organisation_id IN (` + inList(len(orgs)) + `))
		OR EXISTS (SELECT 1 FROM cases c JOIN case_members m ON m.case_id = c.id WHERE c.person_id = p.id AND m.user_id = ?
			AND m.removed_at IS NULL AND c.status <> 'closed'))`
	args := append(append(append(append(zones, orgs...), orgs...), orgs...), req.Principal.User.ID)
	return q, args, nil
}

// requireRecordSubject checks a new record's person, or the mother of its
// pregnancy.
func (db *DB) requireRecordSubject(ctx context.Context, r people.Record, actor audit.Event) error {
	if r.PersonID != "" {
		return db.requirePerson(ctx, r.PersonID, actor)
	}
	if r.PregnancyID == "" {
		return nil // the store's own validation names the missing person
	}
	pr, err := db.reader().getPregnancy(ctx, r.PregnancyID)
	if err != nil {
		return err
	}
	return db.requirePerson(ctx, pr.MotherID, actor)
}

// requireSubject checks an assessment's subject: a child or a household.
func (db *DB) requireSubject(ctx context.Context, subject flower.Subject, id string, actor audit.Event) error {
	if subject == flower.Household {
		return db.requireHousehold(ctx, id, actor)
	}
	return db.requirePerson(ctx, id, actor)
}

// scopeHits applies the policy to a page of search results: those the
// searcher may open stay whole; those they may only find keep their name,
// birth date and community; anyone else is dropped.
func (db *DB) scopeHits(ctx context.Context, hits []PersonHit) ([]PersonHit, error) {
	req, _, err := db.requestViewer(ctx)
	if err != nil || req == nil {
		return hits, err
	}
	out := hits[:0]
	for _, h := range hits {
		lvl, err := db.personLevel(ctx, h.Person.ID)
		if err != nil {
			return nil, err
		}
		switch lvl {
		case access.Full:
			out = append(out, h)
		case access.Listed:
			p := h.Person
			h.Person = people.Person{ID: p.ID, Title: p.Title, GivenName: p.GivenName, FamilyName: p.FamilyName, Nickname: p.Nickname,
				GivenNameLatin: p.GivenNameLatin, FamilyNameLatin: p.FamilyNameLatin, Sex: p.Sex, BirthDate: p.BirthDate, CommunityID: p.CommunityID}
			h.Restricted = true
			out = append(out, h)
		}
	}
	return out, nil
}
