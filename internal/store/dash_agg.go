package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"termtem/internal/flower"
	"termtem/internal/people"
)

// The dashboard counters (migration 00016) are kept up to date in the same
// transaction as every change that moves them, by one rule: a change first
// touches its subjects (a person or a household), which computes what each
// subject contributes to the counters before the change; when the
// transaction commits, InTx computes the contributions again and applies
// the difference at every level of the subject's place. The rebuild
// command sums the same contributions over everyone, so both give the same
// rows by construction, and a test checks it after random changes.

// dashTable is one counter table: its key columns after place_id, and its
// value columns (the first is always n, the number of things counted).
type dashTable struct {
	name string
	keys []string
	vals []string
}

const (
	tabFlower = iota
	tabFlowerMonth
	tabFlowerMoves
	tabReferrals
	tabCases
	tabDue
	tabSeen
	tabSchool
	tabDSPM
	tabGrant
)

var dashTables = []dashTable{
	tabFlower:      {"dash_flower", []string{"subject", "birth_year", "dimension", "level"}, []string{"n"}},
	tabFlowerMonth: {"dash_flower_month", []string{"subject", "month", "dimension", "level"}, []string{"n"}},
	tabFlowerMoves: {"dash_flower_moves", []string{"subject", "month", "dimension", "from_level", "to_level"}, []string{"n"}},
	tabReferrals: {"dash_referrals", []string{"month", "service", "to_org", "status"},
		[]string{"n", "accepted_n", "accept_hours", "completed_n", "complete_hours"}},
	tabCases:  {"dash_cases", []string{"status", "legal"}, []string{"n"}},
	tabDue:    {"dash_due", []string{"item", "state", "day"}, []string{"n"}},
	tabSeen:   {"dash_seen", []string{"birth_year", "last_month"}, []string{"n"}},
	tabSchool: {"dash_school", []string{"birth_year", "enrolled"}, []string{"n"}},
	tabDSPM:   {"dash_dspm", []string{"birth_month", "screened"}, []string{"n"}},
	tabGrant:  {"dash_grant", []string{"birth_month", "thai", "economy", "receiving"}, []string{"n"}},
}

// dashKey names one counter row; place is a community until the delta is
// spread over the community's ancestors.
type dashKey struct {
	tab   int
	place string
	k     [5]string
}

type dashVal [5]int64

// dashCounts are counters being added up.
type dashCounts map[dashKey]dashVal

func (c dashCounts) add(tab int, place string, v dashVal, k ...string) {
	key := dashKey{tab: tab, place: place}
	copy(key.k[:], k)
	cur := c[key]
	for i := range v {
		cur[i] += v[i]
	}
	c[key] = cur
}

func one() dashVal { return dashVal{1} }

// dashSubject is who a contribution belongs to.
type dashSubject struct {
	household bool
	id        string
}

// dashPending are the subjects a transaction touched, with what they
// contributed before it changed them.
type dashPending struct {
	touched map[dashSubject]bool
	before  dashCounts
}

// The dated cut-offs below which continuity counters are not kept: nobody
// born before them is ever due a DSPM screening or eligible for the
// newborn child-support grant under any rule set (dashboards.GrantRules
// starts in October 2015), so their rows would only be dead weight.
const (
	dashEarlyChildhoodFrom = "2015-01"
)

// dashTouchPerson notes people about to change.
func (t *Tx) dashTouchPerson(ctx context.Context, ids ...string) error {
	subs := make([]dashSubject, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			subs = append(subs, dashSubject{id: id})
		}
	}
	return t.dashTouch(ctx, subs)
}

// dashTouchNewPeople notes people this transaction is about to create:
// nobody holds their IDs yet, so they contributed nothing before it and
// there is nothing to read (a bulk insert of a thousand people read them
// all back for no rows). Creating one that exists fails the insert. A
// person with neither a household nor a community is not noted at all:
// the counters are by place, so they count nowhere (a roster import read
// a thousand of them back at every commit, for no rows), and whatever
// gives one a place later in the transaction touches them itself.
func (t *Tx) dashTouchNewPeople(ps []people.Person) {
	if t.db.dashOff {
		return
	}
	if t.dash == nil {
		t.dash = &dashPending{touched: map[dashSubject]bool{}, before: dashCounts{}}
	}
	for i := range ps {
		if ps[i].ID != "" && placed(&ps[i]) {
			t.dash.touched[dashSubject{id: ps[i].ID}] = true
		}
	}
}

// placed reports whether a new person lives somewhere the counters count.
func placed(p *people.Person) bool { return p.HouseholdID != "" || p.CommunityID != "" }

// dashTouchHousehold notes households about to change.
func (t *Tx) dashTouchHousehold(ctx context.Context, ids ...string) error {
	subs := make([]dashSubject, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			subs = append(subs, dashSubject{household: true, id: id})
		}
	}
	return t.dashTouch(ctx, subs)
}

// dashTouchCase notes the subject of a case about to change.
func (t *Tx) dashTouchCase(ctx context.Context, caseID string) error {
	var subject, person, household string
	err := t.queryRow(ctx, `SELECT subject, COALESCE(person_id, ''), COALESCE(household_id, '') FROM cases WHERE id = ?`, caseID).
		Scan(&subject, &person, &household)
	if err != nil {
		return nil // the caller's own read reports a missing case
	}
	if subject == "household" {
		return t.dashTouchHousehold(ctx, household)
	}
	return t.dashTouchPerson(ctx, person)
}

// dashTouch records the contributions of subjects not yet touched in this
// transaction, before the transaction changes them. On PostgreSQL the
// subject rows are locked first, so that two transactions changing the
// same child apply their differences one after the other.
func (t *Tx) dashTouch(ctx context.Context, subs []dashSubject) error {
	if t.db.dashOff {
		return nil
	}
	if t.dash == nil {
		t.dash = &dashPending{touched: map[dashSubject]bool{}, before: dashCounts{}}
	}
	var fresh []dashSubject
	for _, s := range subs {
		if !t.dash.touched[s] {
			t.dash.touched[s] = true
			fresh = append(fresh, s)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	if t.db.postgres {
		if err := t.dashLock(ctx, fresh); err != nil {
			return err
		}
	}
	return t.dashContributions(ctx, fresh, t.dash.before)
}

func (t *Tx) dashLock(ctx context.Context, subs []dashSubject) error {
	for _, grp := range splitSubjects(subs) {
		table := "people"
		if grp.household {
			table = "households"
		}
		for _, ids := range chunks(grp.ids, 500) {
			rows, err := t.query(ctx, `SELECT id FROM `+table+` WHERE id IN (`+placeholders(len(ids))+`) FOR UPDATE`, anyArgs(ids)...)
			if err != nil {
				return classify(err)
			}
			rows.Close()
		}
	}
	return nil
}

// dashFinish applies what the touched subjects' contributions changed.
func (t *Tx) dashFinish(ctx context.Context) error {
	if t.dash == nil || len(t.dash.touched) == 0 {
		return nil
	}
	subs := make([]dashSubject, 0, len(t.dash.touched))
	for s := range t.dash.touched {
		subs = append(subs, s)
	}
	after := dashCounts{}
	if err := t.dashContributions(ctx, subs, after); err != nil {
		return err
	}
	delta := t.dash.before
	for k, v := range after {
		cur := delta[k]
		for i := range v {
			cur[i] = v[i] - cur[i]
		}
		delta[k] = cur
	}
	for k, v := range delta {
		if _, ok := after[k]; !ok {
			for i := range v {
				v[i] = -v[i]
			}
			delta[k] = v
		}
	}
	t.dash = nil
	spread, err := t.dashSpread(ctx, delta)
	if err != nil {
		return err
	}
	return t.dashApply(ctx, spread)
}

// dashSpread copies each community-level delta to every place above it
// (sub-district, district, zone group, city), dropping zeros.
func (t *Tx) dashSpread(ctx context.Context, c dashCounts) (dashCounts, error) {
	ancestors := map[string][]string{}
	out := dashCounts{}
	for k, v := range c {
		if v == (dashVal{}) {
			continue
		}
		places, ok := ancestors[k.place]
		if !ok {
			var err error
			if places, err = t.placeLine(ctx, k.place); err != nil {
				return nil, err
			}
			ancestors[k.place] = places
		}
		for _, p := range places {
			kk := k
			kk.place = p
			cur := out[kk]
			for i := range v {
				cur[i] += v[i]
			}
			out[kk] = cur
		}
	}
	return out, nil
}

// placeLine is a place and every place above it.
func (t *Tx) placeLine(ctx context.Context, id string) ([]string, error) {
	var a, b, c, d string
	err := t.queryRow(ctx, `SELECT COALESCE(p1.id, ''), COALESCE(p2.id, ''), COALESCE(p3.id, ''), COALESCE(p4.id, '')
		FROM places p0 LEFT JOIN places p1 ON p1.id = p0.parent_id LEFT JOIN places p2 ON p2.id = p1.parent_id
		LEFT JOIN places p3 ON p3.id = p2.parent_id LEFT JOIN places p4 ON p4.id = p3.parent_id WHERE p0.id = ?`, id).Scan(&a, &b, &c, &d)
	if err != nil {
		return nil, classify(err)
	}
	out := []string{id}
	for _, p := range []string{a, b, c, d} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// dashApply adds deltas to the counter tables and removes rows that reach
// zero.
func (t *Tx) dashApply(ctx context.Context, c dashCounts) error {
	keys := make([]dashKey, 0, len(c))
	for k, v := range c {
		if v != (dashVal{}) {
			keys = append(keys, k)
		}
	}
	// A fixed order, so that two transactions on PostgreSQL take the row
	// locks in the same order and cannot deadlock.
	slices.SortFunc(keys, func(a, b dashKey) int {
		if a.tab != b.tab {
			return a.tab - b.tab
		}
		if x := strings.Compare(a.place, b.place); x != 0 {
			return x
		}
		for i := range a.k {
			if x := strings.Compare(a.k[i], b.k[i]); x != 0 {
				return x
			}
		}
		return 0
	})
	// One table at a time, in chunks of 100, 10 and 1 rows to multi-row
	// upserts prepared once for the transaction: parsing an upsert for
	// every counter row was 70 % of the generator's CPU, and on PostgreSQL
	// every statement is a round trip.
	var changed []string
	for _, k := range keys {
		changed = append(changed, dashRowVersion(k))
	}
	for len(keys) > 0 {
		n := 1
		for n < len(keys) && keys[n].tab == keys[0].tab {
			n++
		}
		if err := t.dashApplyTable(ctx, keys[0].tab, keys[:n], c); err != nil {
			return err
		}
		keys = keys[n:]
	}
	// The places' rows changed get new versions (dash_cache.go), last.
	return t.dashBump(ctx, changed)
}

// dashChunks are the row counts of the upserts and deletes, largest
// first: at most ten values a row, well under both engines' limits on
// parameters.
var dashChunks = [...]int{100, 10, 1}

// dashApplyTable applies the deltas of one table's keys (in lock order),
// then deletes the rows among those whose count went down that reached
// zero, so that a counter table holds no empty rows. (The upserts locked
// those rows, so the deletes take no new locks.)
func (t *Tx) dashApplyTable(ctx context.Context, tab int, keys []dashKey, c dashCounts) error {
	d := dashTables[tab]
	var down []dashKey
	for _, k := range keys {
		if c[k][0] < 0 {
			down = append(down, k)
		}
	}
	args := make([]any, 0, dashChunks[0]*(1+len(d.keys)+len(d.vals)))
	err := t.dashChunked(ctx, keys, func(n int) string { return dashUpsert(tab, n) }, func(ks []dashKey) []any {
		args = args[:0]
		for _, k := range ks {
			v := c[k]
			args = append(args, k.place)
			for j := range d.keys {
				args = append(args, k.k[j])
			}
			for j := range d.vals {
				args = append(args, v[j])
			}
		}
		return args
	})
	if err != nil {
		return err
	}
	// The deletes go in chunks too, each chunk's keys ORed: both engines
	// then search the primary key once per key (a row-value IN list is
	// a table scan on SQLite).
	return t.dashChunked(ctx, down, func(n int) string { return dashDeleteZero(tab, n) }, func(ks []dashKey) []any {
		args = args[:0]
		for _, k := range ks {
			args = append(args, k.place)
			for j := range d.keys {
				args = append(args, k.k[j])
			}
		}
		return args
	})
}

// dashChunked runs the statement sql(n) over keys in chunks of n from
// dashChunks, largest first, each statement prepared once; args gives a
// chunk's arguments.
func (t *Tx) dashChunked(ctx context.Context, keys []dashKey, sql func(n int) string, args func([]dashKey) []any) error {
	for _, size := range dashChunks {
		if len(keys) < size {
			continue
		}
		st, err := t.prepare(ctx, sql(size))
		if err != nil {
			return err
		}
		for len(keys) >= size {
			if _, err := st.exec(ctx, args(keys[:size])...); err != nil {
				st.Close()
				return classify(err)
			}
			keys = keys[size:]
		}
		st.Close()
	}
	return nil
}

// dashSQL caches the counter statements by table and row count.
var dashSQL sync.Map

type dashSQLKey struct {
	upsert bool
	tab, n int
}

// dashUpsert adds n rows of deltas to a counter table, inserting the rows
// not there yet.
func dashUpsert(tab, n int) string {
	if q, ok := dashSQL.Load(dashSQLKey{true, tab, n}); ok {
		return q.(string)
	}
	d := dashTables[tab]
	cols := append(append([]string{"place_id"}, d.keys...), d.vals...)
	var set []string
	for _, v := range d.vals {
		set = append(set, v+" = "+d.name+"."+v+" + excluded."+v)
	}
	q := multiRowInsert(`INSERT INTO `+d.name+` (`+strings.Join(cols, ", ")+`) VALUES `, `(`+placeholders(len(cols))+`)`, n) +
		` ON CONFLICT (` + strings.Join(cols[:1+len(d.keys)], ", ") + `) DO UPDATE SET ` + strings.Join(set, ", ")
	dashSQL.Store(dashSQLKey{true, tab, n}, q)
	return q
}

// dashDeleteZero removes n counter rows, given by their keys, whose count
// is zero.
func dashDeleteZero(tab, n int) string {
	if q, ok := dashSQL.Load(dashSQLKey{false, tab, n}); ok {
		return q.(string)
	}
	d := dashTables[tab]
	one := `(` + strings.Join(append([]string{"place_id"}, d.keys...), " = ? AND ") + ` = ?)`
	q := `DELETE FROM ` + d.name + ` WHERE n = 0 AND (` + strings.TrimSuffix(strings.Repeat(one+" OR ", n), " OR ") + `)`
	dashSQL.Store(dashSQLKey{false, tab, n}, q)
	return q
}

type subjectGroup struct {
	household bool
	ids       []string
}

func splitSubjects(subs []dashSubject) []subjectGroup {
	var ps, hs []string
	for _, s := range subs {
		if s.household {
			hs = append(hs, s.id)
		} else {
			ps = append(ps, s.id)
		}
	}
	slices.Sort(ps)
	slices.Sort(hs)
	return []subjectGroup{{false, ps}, {true, hs}}
}

func chunks(ids []string, n int) [][]string {
	var out [][]string
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// dashContributions adds what each subject contributes, at its community.
func (t *Tx) dashContributions(ctx context.Context, subs []dashSubject, c dashCounts) error {
	for _, grp := range splitSubjects(subs) {
		for _, ids := range chunks(grp.ids, 400) {
			var err error
			if grp.household {
				err = t.householdContributions(ctx, ids, c)
			} else {
				err = t.personContributions(ctx, ids, c)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// dashAssessment is one assessment's levels, in the order of the flower.
type dashAssessment struct {
	on     string
	levels [4]string
}

var dashDimensions = [4]string{"economy", "safety", "education", "health"}

// flowerContribution counts a subject's current flower, its assessments by
// month and its movements between levels.
func flowerContribution(c dashCounts, place, subject, birthYear string, as []dashAssessment) {
	cur := [4]string{"unknown", "unknown", "unknown", "unknown"}
	for i, a := range as {
		month := monthOf(a.on)
		for d, dim := range dashDimensions {
			c.add(tabFlowerMonth, place, one(), subject, month, dim, a.levels[d])
			if i > 0 {
				c.add(tabFlowerMoves, place, one(), subject, month, dim, as[i-1].levels[d], a.levels[d])
			}
		}
		cur = a.levels
	}
	for d, dim := range dashDimensions {
		c.add(tabFlower, place, one(), subject, birthYear, dim, cur[d])
	}
}

func monthOf(day string) string {
	if len(day) >= 7 {
		return day[:7]
	}
	return ""
}

// loadAssessments reads the assessments of subjects in order (by date,
// then as stored).
func (t *Tx) loadAssessments(ctx context.Context, column string, ids []string) (map[string][]dashAssessment, error) {
	rows, err := t.query(ctx, `SELECT `+column+`, assessed_on, economy, safety, education, health FROM assessments
		WHERE `+column+` IN (`+placeholders(len(ids))+`) ORDER BY `+column+`, assessed_on, created_at, id`, anyArgs(ids)...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[string][]dashAssessment{}
	for rows.Next() {
		var id string
		var a dashAssessment
		if err := rows.Scan(&id, &a.on, &a.levels[0], &a.levels[1], &a.levels[2], &a.levels[3]); err != nil {
			return nil, classify(err)
		}
		out[id] = append(out[id], a)
	}
	return out, classify(rows.Err())
}

// caseContribution counts cases of subjects by status and legal category,
// and their open plan steps by due day.
func (t *Tx) caseContributions(ctx context.Context, subject string, ids []string, placeOf map[string]string, c dashCounts) error {
	column := "person_id"
	if subject == "household" {
		column = "household_id"
	}
	rows, err := t.query(ctx, `SELECT c.`+column+`, c.status, COALESCE(l.code, '') FROM cases c LEFT JOIN case_legal l ON l.case_id = c.id
		WHERE c.subject = ? AND c.`+column+` IN (`+placeholders(len(ids))+`)`, append([]any{subject}, anyArgs(ids)...)...)
	if err != nil {
		return classify(err)
	}
	err = eachRow(rows, func(s scanner) error {
		var id, status, legal string
		if err := s.Scan(&id, &status, &legal); err != nil {
			return err
		}
		if p := placeOf[id]; p != "" {
			c.add(tabCases, p, one(), status, legal)
		}
		return nil
	})
	if err != nil {
		return err
	}
	rows, err = t.query(ctx, `SELECT c.`+column+`, s.due_on FROM plan_steps s JOIN cases c ON c.id = s.case_id
		WHERE c.subject = ? AND c.`+column+` IN (`+placeholders(len(ids))+`) AND s.status <> 'done'`, append([]any{subject}, anyArgs(ids)...)...)
	if err != nil {
		return classify(err)
	}
	return eachRow(rows, func(s scanner) error {
		var id, due string
		if err := s.Scan(&id, &due); err != nil {
			return err
		}
		if p := placeOf[id]; p != "" {
			c.add(tabDue, p, one(), "plan_step", "open", due)
		}
		return nil
	})
}

// alertContributions counts the alerts of subjects by status and due day.
func (t *Tx) alertContributions(ctx context.Context, subject string, ids []string, placeOf map[string]string, c dashCounts) error {
	column := "person_id"
	if subject == "household" {
		column = "household_id"
	}
	rows, err := t.query(ctx, `SELECT `+column+`, status, due_at FROM alerts WHERE subject = ? AND `+column+` IN (`+placeholders(len(ids))+`)`,
		append([]any{subject}, anyArgs(ids)...)...)
	if err != nil {
		return classify(err)
	}
	return eachRow(rows, func(s scanner) error {
		var id, status, due string
		if err := s.Scan(&id, &status, &due); err != nil {
			return err
		}
		if p := placeOf[id]; p != "" {
			c.add(tabDue, p, one(), "alert", status, dayOf(due))
		}
		return nil
	})
}

func dayOf(ts string) string {
	if len(ts) >= 10 {
		return ts[:10]
	}
	return ts
}

type scanner interface{ Scan(...any) error }

func eachRow(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}, fn func(scanner) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return classify(err)
		}
	}
	return classify(rows.Err())
}

func (t *Tx) householdContributions(ctx context.Context, ids []string, c dashCounts) error {
	placeOf := map[string]string{}
	rows, err := t.query(ctx, `SELECT id, community_id FROM households WHERE id IN (`+placeholders(len(ids))+`)`, anyArgs(ids)...)
	if err != nil {
		return classify(err)
	}
	if err := eachRow(rows, func(s scanner) error {
		var id, place string
		if err := s.Scan(&id, &place); err != nil {
			return err
		}
		placeOf[id] = place
		return nil
	}); err != nil {
		return err
	}
	as, err := t.loadAssessments(ctx, "household_id", ids)
	if err != nil {
		return err
	}
	for id, place := range placeOf {
		flowerContribution(c, place, "household", "", as[id])
	}
	if err := t.caseContributions(ctx, "household", ids, placeOf, c); err != nil {
		return err
	}
	return t.alertContributions(ctx, "household", ids, placeOf, c)
}

// personFacts are what a person's continuity counters need.
type dashPerson struct {
	place, birth, nationality string
	assessments               []dashAssessment
	lastSeen                  string
	enrolledOn, droppedOn     string
	screened                  [5]bool
	grant                     bool
}

func (t *Tx) personContributions(ctx context.Context, ids []string, c dashCounts) error {
	persons := map[string]*dashPerson{}
	placeOf := map[string]string{}
	rows, err := t.query(ctx, `SELECT id, community_id, birth_date, nationality FROM people
		WHERE id IN (`+placeholders(len(ids))+`) AND community_id IS NOT NULL`, anyArgs(ids)...)
	if err != nil {
		return classify(err)
	}
	if err := eachRow(rows, func(s scanner) error {
		p := &dashPerson{}
		var id string
		if err := s.Scan(&id, &p.place, &p.birth, &p.nationality); err != nil {
			return err
		}
		persons[id], placeOf[id] = p, p.place
		return nil
	}); err != nil {
		return err
	}
	if len(persons) == 0 {
		return nil
	}
	as, err := t.loadAssessments(ctx, "person_id", ids)
	if err != nil {
		return err
	}
	for id, a := range as {
		if p := persons[id]; p != nil {
			p.assessments = a
			for _, x := range a {
				p.lastSeen = max(p.lastSeen, x.on)
			}
		}
	}
	// Service records: the last one of any kind, school enrolment against
	// drop-out, DSPM screenings done, the newborn grant received. Only the
	// data of the two kinds read here is loaded (neither is sealed).
	rows, err = t.query(ctx, `SELECT person_id, kind, occurred_on,
		CASE WHEN kind IN ('development_screening', 'welfare_grant') THEN data ELSE '' END
		FROM service_records WHERE person_id IN (`+placeholders(len(ids))+`)`, anyArgs(ids)...)
	if err != nil {
		return classify(err)
	}
	if err := eachRow(rows, func(s scanner) error {
		var id, kind, on, data string
		if err := s.Scan(&id, &kind, &on, &data); err != nil {
			return err
		}
		p := persons[id]
		if p == nil {
			return nil
		}
		p.lastSeen = max(p.lastSeen, on)
		switch kind {
		case "school_enrolment":
			p.enrolledOn = max(p.enrolledOn, on)
		case "drop_out":
			p.droppedOn = max(p.droppedOn, on)
		case "development_screening", "welfare_grant":
			var d struct {
				ScreeningAge int    `json:"screening_age"`
				Grant        string `json:"grant"`
			}
			if json.Unmarshal([]byte(data), &d) == nil {
				if i := slices.Index(dspmAges, d.ScreeningAge); i >= 0 && kind == "development_screening" {
					p.screened[i] = true
				}
				if d.Grant == "newborn_support" && kind == "welfare_grant" {
					p.grant = true
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	for _, p := range persons {
		personCounters(c, p)
	}
	// Referrals: by month sent, service, receiver and status, with the
	// hours to accept and to complete.
	rows, err = t.query(ctx, `SELECT person_id, created_at, service, to_org, status, COALESCE(accepted_at, ''), COALESCE(closed_at, '')
		FROM referrals WHERE person_id IN (`+placeholders(len(ids))+`)`, anyArgs(ids)...)
	if err != nil {
		return classify(err)
	}
	if err := eachRow(rows, func(s scanner) error {
		var id, created, service, to, status, accepted, closed string
		if err := s.Scan(&id, &created, &service, &to, &status, &accepted, &closed); err != nil {
			return err
		}
		p := persons[id]
		if p == nil {
			return nil
		}
		v := dashVal{1}
		if accepted != "" {
			v[1], v[2] = 1, hoursBetween(created, accepted)
		}
		if status == "completed" && closed != "" {
			v[3], v[4] = 1, hoursBetween(created, closed)
		}
		c.add(tabReferrals, p.place, v, monthOf(created), service, to, status)
		return nil
	}); err != nil {
		return err
	}
	// Hand-offs: by the day made, waiting or acknowledged.
	rows, err = t.query(ctx, `SELECT person_id, created_at, acknowledged_at IS NOT NULL FROM handoffs WHERE person_id IN (`+placeholders(len(ids))+`)`,
		anyArgs(ids)...)
	if err != nil {
		return classify(err)
	}
	if err := eachRow(rows, func(s scanner) error {
		var id, created string
		var acked bool
		if err := s.Scan(&id, &created, &acked); err != nil {
			return err
		}
		if p := persons[id]; p != nil {
			state := "waiting"
			if acked {
				state = "acknowledged"
			}
			c.add(tabDue, p.place, one(), "handoff", state, dayOf(created))
		}
		return nil
	}); err != nil {
		return err
	}
	if err := t.caseContributions(ctx, "child", ids, placeOf, c); err != nil {
		return err
	}
	return t.alertContributions(ctx, "child", ids, placeOf, c)
}

// dspmAges mirrors people.DSPMAges (kept here as the order of the
// screened column).
var dspmAges = []int{9, 18, 30, 42, 60}

// personCounters adds a person's flower and continuity counters.
func personCounters(c dashCounts, p *dashPerson) {
	year := ""
	if len(p.birth) >= 4 {
		year = p.birth[:4]
	}
	flowerContribution(c, p.place, "child", year, p.assessments)
	c.add(tabSeen, p.place, one(), year, monthOf(p.lastSeen))
	enrolled := "no"
	if p.enrolledOn != "" && p.enrolledOn > p.droppedOn {
		enrolled = "yes"
	}
	c.add(tabSchool, p.place, one(), year, enrolled)
	month := monthOf(p.birth)
	if month == "" || month < dashEarlyChildhoodFrom {
		return
	}
	var screened [5]byte
	for i, done := range p.screened {
		screened[i] = '0'
		if done {
			screened[i] = '1'
		}
	}
	c.add(tabDSPM, p.place, one(), month, string(screened[:]))
	thai := "no"
	if p.nationality == "thai" {
		thai = "yes"
	}
	economy := "unknown"
	if n := len(p.assessments); n > 0 {
		economy = p.assessments[n-1].levels[0]
	}
	receiving := "no"
	if p.grant {
		receiving = "yes"
	}
	c.add(tabGrant, p.place, one(), month, thai, economy, receiving)
}

func hoursBetween(from, to string) int64 {
	a, b := parseTS(from), parseTS(to)
	if a.IsZero() || b.IsZero() || b.Before(a) {
		return 0
	}
	return int64(b.Sub(a) / time.Hour)
}

// dashTouchSubject notes a child or a household about to change.
func (t *Tx) dashTouchSubject(ctx context.Context, subject flower.Subject, id string) error {
	if subject == flower.Household {
		return t.dashTouchHousehold(ctx, id)
	}
	return t.dashTouchPerson(ctx, id)
}

// dashMovePlace carries a place's counters from the places above it before
// a move in the area tree to those above it after: the place's own rows
// are the totals of everything under it.
func (t *Tx) dashMovePlace(ctx context.Context, id string, before, after []string) error {
	if slices.Equal(before, after) {
		return nil
	}
	delta := dashCounts{}
	for tab, d := range dashTables {
		cols := append(append([]string{}, d.keys...), d.vals...)
		rows, err := t.query(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+d.name+` WHERE place_id = ?`, id)
		if err != nil {
			return classify(err)
		}
		err = eachRow(rows, func(s scanner) error {
			keys := make([]string, len(d.keys))
			var v dashVal
			dest := make([]any, 0, len(cols))
			for i := range keys {
				dest = append(dest, &keys[i])
			}
			for i := range d.vals {
				dest = append(dest, &v[i])
			}
			if err := s.Scan(dest...); err != nil {
				return err
			}
			neg := v
			for i := range neg {
				neg[i] = -neg[i]
			}
			for _, p := range before {
				delta.add(tab, p, neg, keys...)
			}
			for _, p := range after {
				delta.add(tab, p, v, keys...)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return t.dashApply(ctx, delta)
}
