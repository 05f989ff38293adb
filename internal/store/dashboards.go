package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"time"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/dashboards"
	"termtem/internal/errs"
	"termtem/internal/places"
	"termtem/internal/suppress"
)

// Audit actions of the dashboards.
const (
	ActionDashboardViewed   = "dashboard.viewed"
	ActionDashboardExported = "dashboard.exported"
	ActionDashboardNames    = "dashboard.names"
)

// DashboardQuery is what a dashboard is asked for.
type DashboardQuery struct {
	PlaceID   string
	Period    dashboards.Period
	Dimension string // the dimension of the stage, place, trend and movement tables
	// UnseenDays: "no agency has seen the child for N days" (one of
	// dashboards.UnseenDays; 0 takes the first).
	UnseenDays int
}

// Dashboard is one place's published figures for a period. Every count in
// it has been through small-cell suppression: this is what committees and
// executives see, and what the pages, the API and the exports show.
type Dashboard struct {
	Place      places.Place
	Path       []places.Place // from the city down to Place
	Children   []places.Place // the places one level down (drill-down)
	Period     dashboards.Period
	Dimension  string
	UnseenDays int

	FlowerChildren   dashboards.Table // dimension × level, children 0–17
	FlowerHouseholds dashboards.Table // dimension × level
	Stages           dashboards.Table // life stage × level of Dimension
	Places           dashboards.Table // child place × level of Dimension
	Trend            dashboards.Table // month × level of Dimension (assessments made)
	Moves            dashboards.Table // earlier level × later level of Dimension, in the period
	ReferralServices dashboards.Table // service × status, sent in the period
	ReferralOrgs     dashboards.Table // receiving organisation × status
	ReferralTimes    []ReferralTime
	Cases            dashboards.Table // legal category × status, now
	Deadlines        dashboards.Table // alerts, plan steps and hand-offs by deadline state, now
	Gaps             dashboards.Table // continuity gap × (gap, others)

	fams *pathFamilies // the places linked to Place by sums (see dash_linked.go)
	ver  dashVersions  // the counters' versions the figures were read at
	gaps linked        // the gap table along the path (but the hand-offs), for the maps of gaps
	due  linked        // the deadline table along the path
}

// ReferralTime is the mean time to accept and to complete a service's
// referrals sent in the period.
type ReferralTime struct {
	Service  dashboards.Head
	Accept   dashboards.Mean
	Complete dashboards.Mean
}

// Tables lists the dashboard's tables in the order pages show them.
func (d Dashboard) Tables() []dashboards.Table {
	return []dashboards.Table{d.FlowerChildren, d.FlowerHouseholds, d.Stages, d.Places, d.Trend, d.Moves,
		d.ReferralServices, d.ReferralOrgs, d.Cases, d.Deadlines, d.Gaps}
}

// Table returns the table with id.
func (d Dashboard) Table(id string) (dashboards.Table, bool) {
	for _, t := range d.Tables() {
		if t.ID == id {
			return t, true
		}
	}
	return dashboards.Table{}, false
}

// requireDashboard checks that the request may see aggregates of a place:
// the reports permission, and the place inside the area the viewer's
// organisations serve. A place outside it is refused (403), and audited,
// rather than shown empty: an empty dashboard would be a false statement.
func (db *DB) requireDashboard(ctx context.Context, placeID string, actor audit.Event) (places.Place, error) {
	p, err := db.GetPlace(ctx, placeID)
	if err != nil {
		return p, err
	}
	req, v, err := db.requestViewer(ctx)
	if err != nil || req == nil {
		return p, err
	}
	if !req.Principal.Can(account.ReportsAggregate) {
		return p, errs.New(errs.Forbidden, "error.forbidden")
	}
	ok, err := db.placeInArea(ctx, req, v, p)
	if err != nil {
		return p, err
	}
	if !ok {
		if err := db.auditDenied(ctx, "place", placeID, actor); err != nil {
			return p, err
		}
		return p, errs.New(errs.Forbidden, "dashboards.place_forbidden")
	}
	return p, nil
}

// placeInArea: a place is in a viewer's area when it is, or lies under, a
// district one of their organisations serves, or the zone group or city an
// organisation itself sits at.
func (db *DB) placeInArea(ctx context.Context, req *access.Request, v *viewer, p places.Place) (bool, error) {
	if req.Principal.Global() {
		return true, nil
	}
	line, err := db.reader().placeLine(ctx, p.ID)
	if err != nil {
		return false, err
	}
	for _, id := range line {
		if contains(v.districts, id) {
			return true, nil
		}
	}
	for _, org := range v.orgs {
		var place, kind string
		err := db.reader().queryRow(ctx, `SELECT o.place_id, p.kind FROM organisations o JOIN places p ON p.id = o.place_id WHERE o.id = ?`, org).Scan(&place, &kind)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return false, classify(err)
		}
		if (kind == string(places.Zone) || kind == string(places.Province)) && contains(line, place) {
			return true, nil
		}
	}
	return false, nil
}

// DashboardRoots are the highest places a request may see dashboards of
// (a district committee: its district; a city executive: the city).
func (db *DB) DashboardRoots(ctx context.Context) ([]places.Place, error) {
	req, v, err := db.requestViewer(ctx)
	if err != nil {
		return nil, err
	}
	if req == nil || req.Principal.Global() {
		ps, err := db.ListPlaces(ctx, PlaceFilter{Kind: places.Province})
		return ps, err
	}
	if !req.Principal.Can(account.ReportsAggregate) {
		return nil, errs.New(errs.Forbidden, "error.forbidden")
	}
	var out []places.Place
	seen := map[string]bool{}
	add := func(id string) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		p, err := db.GetPlace(ctx, id)
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	}
	for _, org := range v.orgs {
		var place, kind string
		err := db.reader().queryRow(ctx, `SELECT o.place_id, p.kind FROM organisations o JOIN places p ON p.id = o.place_id WHERE o.id = ?`, org).Scan(&place, &kind)
		if err != nil {
			continue
		}
		if kind == string(places.Zone) || kind == string(places.Province) {
			if err := add(place); err != nil {
				return nil, err
			}
		}
	}
	for _, d := range v.districts {
		var zone string
		_ = db.reader().queryRow(ctx, `SELECT COALESCE(parent_id, '') FROM places WHERE id = ?`, d).Scan(&zone)
		if seen[zone] {
			continue
		}
		if err := add(d); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Dashboard reads the published figures of a place. The viewing is
// audited (who looked at which area), in the same way as any read.
func (db *DB) Dashboard(ctx context.Context, q DashboardQuery, actor audit.Event) (Dashboard, error) {
	if q.Dimension == "" {
		q.Dimension = "safety"
	}
	if !dashboards.KnownDimension(q.Dimension) {
		return Dashboard{}, dashboards.BadParam("dimension", "dashboards.unknown_indicator", nil)
	}
	if q.UnseenDays == 0 {
		q.UnseenDays = dashboards.UnseenDays[0]
	}
	if !slices.Contains(dashboards.UnseenDays, q.UnseenDays) {
		return Dashboard{}, dashboards.BadParam("unseen_days", "dashboards.unknown_indicator", nil)
	}
	p, err := db.requireDashboard(ctx, q.PlaceID, actor)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Place: p, Period: q.Period, Dimension: q.Dimension, UnseenDays: q.UnseenDays}
	if d.Path, err = db.PlacePath(ctx, p.ID); err != nil {
		return d, err
	}
	if d.Children, err = db.ListPlaces(ctx, PlaceFilter{ParentID: p.ID}); err != nil {
		return d, err
	}
	// The figures may lag a little: a streaming replica serves them when
	// one is set and not too far behind (the access check above and the
	// audit below stay on the primary).
	// One snapshot for all of them: the counter versions the protected
	// families are kept by (dash_cache.go) must be those of the counts.
	if err := db.dashSnapshot(ctx, func(r *Tx) error {
		f, err := r.families(ctx, &d)
		if err != nil {
			return err
		}
		if d.ver, err = r.dashVersions(ctx, f.ids()); err != nil {
			return err
		}
		if err := r.flowerTables(ctx, &d); err != nil {
			return err
		}
		if err := r.flowTables(ctx, &d); err != nil {
			return err
		}
		return r.gapTable(ctx, &d)
	}); err != nil {
		return d, err
	}
	actor.Action, actor.ObjectType, actor.ObjectID = ActionDashboardViewed, "place", p.ID
	actor.Detail = "period=" + q.Period.FromMonth() + ".." + q.Period.ToMonth()
	return d, db.AuditRead(ctx, actor)
}

// dashReader is where dashboard figures are read from.
func (db *DB) dashReader(ctx context.Context) *Tx { return db.laggingWithin(ctx, db.replicaMaxLag) }

func keyHeads(keys []string) []dashboards.Head {
	out := make([]dashboards.Head, len(keys))
	for i, k := range keys {
		out[i] = dashboards.Head{Key: k}
	}
	return out
}

// counts is a rows × cols grid filled by key.
type counts struct {
	rows, cols []string
	v          [][]int64
}

func newCounts(rows, cols []string) *counts {
	c := &counts{rows: rows, cols: cols, v: make([][]int64, len(rows))}
	for i := range c.v {
		c.v[i] = make([]int64, len(cols))
	}
	return c
}

func (c *counts) add(row, col string, n int64) {
	i, j := slices.Index(c.rows, row), slices.Index(c.cols, col)
	if i >= 0 && j >= 0 {
		c.v[i][j] += n
	}
}

// sumRows runs a grouping query whose rows are (row key, column key, n).
func (t *Tx) sumRows(ctx context.Context, c *counts, q string, args ...any) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return classify(err)
	}
	return eachRow(rows, func(s scanner) error {
		var row, col string
		var n int64
		if err := s.Scan(&row, &col, &n); err != nil {
			return err
		}
		c.add(row, col, n)
		return nil
	})
}

func (t *Tx) flowerTables(ctx context.Context, d *Dashboard) error {
	f, err := t.families(ctx, d)
	if err != nil {
		return err
	}
	first, last := dashboards.ChildYears(d.Period.On)
	dims, lvls := dashboards.Dimensions, dashboards.Levels
	// The children's and the households' flower tables of the places
	// asked for, in one query.
	flowers := newOnDemand(func(ids []string) (map[string][2][][]int64, error) {
		out := map[string][2][][]int64{}
		for _, id := range ids {
			out[id] = [2][][]int64{newCounts(dims, lvls).v, newCounts(dims, lvls).v}
		}
		res, err := t.query(ctx, `SELECT place_id, subject, dimension, level, SUM(n) FROM dash_flower WHERE place_id IN (`+placeholders(len(ids))+`)
		AND ((subject = 'child' AND birth_year >= ? AND birth_year <= ?) OR subject = 'household') GROUP BY place_id, subject, dimension, level`,
			append(anyArgs(ids), first, last)...)
		if err != nil {
			return nil, classify(err)
		}
		return out, eachRow(res, func(s scanner) error {
			var id, subject, dim, level string
			var v int64
			if err := s.Scan(&id, &subject, &dim, &level, &v); err != nil {
				return err
			}
			k := 0
			if subject == "household" {
				k = 1
			}
			i, j := slices.Index(dims, dim), slices.Index(lvls, level)
			if c, ok := out[id]; ok && i >= 0 && j >= 0 {
				c[k][i][j] += v
			}
			return nil
		})
	})
	subject := func(k int) func(ids []string) (map[string][][]int64, error) {
		return func(ids []string) (map[string][][]int64, error) {
			got, err := flowers.get(ids)
			out := map[string][][]int64{}
			for id, c := range got {
				out[id] = c[k]
			}
			return out, err
		}
	}
	flowerOpt := suppress.Options{FixedRowTotals: true} // every dimension's total is the number of subjects
	years := "|" + first + "|" + last
	children, err := t.protectAlong(ctx, f, linkedSpec{key: "flower_children" + years, tabs: []int{tabFlower}, ver: d.ver,
		rows: len(dims), cols: len(lvls), opt: flowerOpt, fetch: subject(0)})
	if err != nil {
		return err
	}
	d.FlowerChildren = dashboards.Published("flower_children", keyHeads(dims), keyHeads(lvls), children.own, children.fam.Parent)
	households, err := t.protectAlong(ctx, f, linkedSpec{key: "flower_households", tabs: []int{tabFlower}, ver: d.ver,
		rows: len(dims), cols: len(lvls), opt: flowerOpt, fetch: subject(1)})
	if err != nil {
		return err
	}
	d.FlowerHouseholds = dashboards.Published("flower_households", keyHeads(dims), keyHeads(lvls), households.own, households.fam.Parent)

	// Life stages, from birth years: a breakdown of the children's row of
	// the chosen dimension (its column totals are that row). Its row
	// totals, the children of each stage, are the same in every
	// dimension's table: they are published as they are, like the number
	// of children, so that no dimension's table can show one another hides.
	// With both totals fixed, a small count is hidden by moving a square of
	// cells (two stages by two levels), in this place or against another.
	dim := slices.Index(dims, d.Dimension)
	var stageKeys []string
	stage := "CASE"
	var stageArgs []any
	for _, st := range dashboards.Stages {
		stageKeys = append(stageKeys, st.Key)
		stage += " WHEN birth_year >= ? THEN '" + st.Key + "'"
		stageArgs = append(stageArgs, strconv.Itoa(d.Period.On.Year()-st.MaxAge))
	}
	stage += " ELSE '' END"
	stageOpt := suppress.Options{FixedRowTotals: true, FixedColTotals: true}
	stages, err := t.protectAlong(ctx, f, linkedSpec{key: "stages|" + d.Dimension + "|" + strconv.Itoa(d.Period.On.Year()) + years,
		tabs: []int{tabFlower}, ver: d.ver, rows: len(stageKeys), cols: len(lvls), opt: stageOpt,
		fetch: func(ids []string) (map[string][][]int64, error) {
			args := append(append(slices.Clone(stageArgs), anyArgs(ids)...), d.Dimension, first, last)
			return t.placeCounts(ctx, ids, len(stageKeys), len(lvls), byKeys(stageKeys, lvls),
				`SELECT place_id, `+stage+`, level, SUM(n) FROM dash_flower WHERE place_id IN (`+placeholders(len(ids))+`) AND subject = 'child'
		AND dimension = ? AND birth_year >= ? AND birth_year <= ? GROUP BY 1, 2, 3`, args...)
		},
		// Published only where the children's row is published whole (else
		// its column totals would give the row away).
		adjust: func(n int, given *suppress.Given) *suppress.Given {
			if !rowWhole(children.marks[n], dim) {
				return withheldGiven(len(stageKeys), len(lvls), stageOpt)
			}
			return given
		}})
	if err != nil {
		return err
	}
	d.Stages = dashboards.Published("stages", keyHeads(stageKeys), keyHeads(lvls), stages.own, stages.fam.Parent)
	if stages.fam.Parent.Withheld {
		// Its column totals are the children's row, which is not shown whole.
		d.Stages = dashboards.NewBreakdown("stages", keyHeads(stageKeys), keyHeads(lvls), stages.own, nil, dashboards.Cell{Mark: suppress.Hidden})
	}

	// Places one level down: the slice of the family at the dimension.
	d.Places = slice("places", d.Children, children, dim, keyHeads(lvls))

	// The monthly trend and the movements in the period.
	if d.Trend, err = t.trendTable(ctx, d, f); err != nil {
		return err
	}
	c := newCounts(lvls, lvls)
	if err := t.sumRows(ctx, c, `SELECT from_level, to_level, SUM(n) FROM dash_flower_moves WHERE place_id = ? AND subject = 'child'
		AND dimension = ? AND month >= ? AND month <= ? GROUP BY from_level, to_level`,
		d.Place.ID, d.Dimension, d.Period.FromMonth(), d.Period.ToMonth()); err != nil {
		return err
	}
	d.Moves = dashboards.NewTable("moves", keyHeads(lvls), keyHeads(lvls), c.v)
	return nil
}

// trendTable is the assessments made each month by level. Each month is
// its own table, protected along the path of places, so that a month's
// marks are the same whichever period shows it: two periods side by side
// (January–June and January–May) give nothing a single month does not.
// The totals over the months are shown only when every month they add is,
// so that they say nothing new; a "—" there may be any number.
func (t *Tx) trendTable(ctx context.Context, d *Dashboard, f *pathFamilies) (dashboards.Table, error) {
	months, lvls := d.Period.Months(), dashboards.Levels
	// Every month of the period of the places asked for, in one query.
	byPlace := newOnDemand(func(ids []string) (map[string]map[string][]int64, error) {
		out := map[string]map[string][]int64{}
		for _, id := range ids {
			out[id] = map[string][]int64{}
			for _, m := range months {
				out[id][m] = make([]int64, len(lvls))
			}
		}
		res, err := t.query(ctx, `SELECT place_id, month, level, SUM(n) FROM dash_flower_month WHERE place_id IN (`+placeholders(len(ids))+`)
		AND subject = 'child' AND dimension = ? AND month >= ? AND month <= ? GROUP BY place_id, month, level`,
			append(anyArgs(ids), d.Dimension, d.Period.FromMonth(), d.Period.ToMonth())...)
		if err != nil {
			return nil, classify(err)
		}
		return out, eachRow(res, func(s scanner) error {
			var id, month, level string
			var n int64
			if err := s.Scan(&id, &month, &level, &n); err != nil {
				return err
			}
			if j := slices.Index(lvls, level); j >= 0 && out[id] != nil && out[id][month] != nil {
				out[id][month][j] += n
			}
			return nil
		})
	})
	counts := make([][]int64, len(months))
	pub := suppress.Table{Cells: make([][]suppress.Mark, len(months)), RowTotal: make([]suppress.Mark, len(months)), ColTotal: make([]suppress.Mark, len(lvls))}
	for i, m := range months {
		l, err := t.protectAlong(ctx, f, linkedSpec{key: "trend|" + d.Dimension + "|" + m, tabs: []int{tabFlowerMonth}, ver: d.ver, rows: 1, cols: len(lvls),
			fetch: func(ids []string) (map[string][][]int64, error) {
				got, err := byPlace.get(ids)
				out := map[string][][]int64{}
				for id, c := range got {
					out[id] = [][]int64{c[m]}
				}
				return out, err
			}})
		if err != nil {
			return dashboards.Table{}, err
		}
		counts[i] = l.own[0]
		pub.Cells[i], pub.RowTotal[i] = l.fam.Parent.Cells[0], l.fam.Parent.Grand
		if l.fam.Parent.Withheld {
			pub.Cells[i] = slices.Repeat([]suppress.Mark{suppress.Hidden}, len(lvls))
			pub.RowTotal[i] = suppress.Hidden
		}
	}
	for j := range lvls {
		for i := range months {
			if pub.Cells[i][j] != suppress.Shown {
				pub.ColTotal[j] = suppress.Hidden
			}
		}
		if pub.ColTotal[j] != suppress.Shown {
			pub.Grand = suppress.Hidden
		}
	}
	return dashboards.Published("trend", keyHeads(months), keyHeads(lvls), counts, pub), nil
}

// rowWhole reports whether row i of a published table is shown whole,
// its total too.
func rowWhole(t suppress.Table, i int) bool {
	if t.Withheld || t.RowTotal[i] != suppress.Shown {
		return false
	}
	for _, m := range t.Cells[i] {
		if m != suppress.Shown {
			return false
		}
	}
	return true
}

// slice is row i of the tables of the places below the viewed place, one
// place a row: the breakdown of the place's row i by place.
func slice(id string, below []places.Place, l linked, i int, cols []dashboards.Head) dashboards.Table {
	var heads []dashboards.Head
	var counts [][]int64
	pub := suppress.Table{Cells: [][]suppress.Mark{}, RowTotal: []suppress.Mark{}, Withheld: l.fam.Withheld}
	pub.ColTotal, pub.Grand = l.fam.Parent.Cells[i], l.fam.Parent.RowTotal[i]
	for s, ch := range below {
		heads = append(heads, dashboards.Head{Key: ch.ID, TH: ch.NameTH, EN: ch.NameEN})
		counts = append(counts, l.below[s][i])
		pub.Cells = append(pub.Cells, l.fam.Children[s].Cells[i])
		pub.RowTotal = append(pub.RowTotal, l.fam.Children[s].RowTotal[i])
	}
	t := dashboards.Published(id, heads, cols, counts, pub)
	if l.fam.Withheld || l.fam.Parent.Withheld {
		t = dashboards.NewBreakdown(id, heads, cols, counts, nil, dashboards.Cell{Mark: suppress.Hidden})
	}
	return t
}

// ReferralStatuses are the columns of the referral tables.
var referralStatuses = []string{string(cases.Sent), string(cases.Accepted), string(cases.InProgress), string(cases.Completed),
	string(cases.Declined), string(cases.Revoked)}

// deadlineRows and deadlineCols make the deadline table: what is late,
// what is still in time, what is done.
var (
	deadlineRows = []string{"alert", "plan_step", "handoff"}
	deadlineCols = []string{"overdue", "in_time", "taken", "done"}
)

// HandoffWaitDays: a hand-off not acknowledged within this is overdue.
const HandoffWaitDays = 14

// referralFigures are the referral tables of a place and a period.
type referralFigures struct {
	services, orgs dashboards.Table
	times          []ReferralTime
}

// referralRow is one service, receiving organisation and status of a
// month's referral counters at a place: n, accepted_n, accept_hours,
// completed_n, complete_hours.
type referralRow struct {
	service, org, status string
	v                    [5]int64
}

// referralMonths reads a place's referral counters of months, each
// month's rows kept in the memo by the month's version at the place (a
// referral changed renews its month's only: dashRowVersion), so that after
// a change only that month is read again — at the city a month is about
// a thousand rows, a year of them twelve thousand.
func (t *Tx) referralMonths(ctx context.Context, place string, months []string, global string, ver map[string]string) ([][]referralRow, error) {
	names := make([]any, len(months))
	for i, m := range months {
		names[i] = dashVersionName(tabReferrals, place) + "@" + m
	}
	now := time.Now()
	memo := &t.db.families
	slot := func(i int) string { return "refmonth|" + names[i].(string) }
	version := func(i int) string { return global + "|" + ver[names[i].(string)] }
	byMonth := map[string][]referralRow{}
	var need []any
	for i, m := range months {
		if rows, ok := memo.recall(slot(i), version(i), now).([]referralRow); ok {
			byMonth[m] = rows
		} else {
			byMonth[m] = []referralRow{}
			need = append(need, m)
		}
	}
	if len(need) > 0 {
		res, err := t.query(ctx, referralMonthsQuery(len(need)), append([]any{place}, need...)...)
		if err != nil {
			return nil, classify(err)
		}
		if err := eachRow(res, func(s scanner) error {
			var month string
			var r referralRow
			if err := s.Scan(&month, &r.service, &r.org, &r.status, &r.v[0], &r.v[1], &r.v[2], &r.v[3], &r.v[4]); err != nil {
				return err
			}
			byMonth[month] = append(byMonth[month], r)
			return nil
		}); err != nil {
			return nil, err
		}
		for i, m := range months {
			if slices.Contains(need, any(m)) {
				memo.put(slot(i), version(i), byMonth[m], now)
			}
		}
	}
	// A month apiece: a year at the city is some 18,000 rows, whose copying
	// into one slice cost a third of the reading.
	out := make([][]referralRow, len(months))
	for i, m := range months {
		out[i] = byMonth[m]
	}
	return out, nil
}

// referralMonthsQuery reads a place's referral counters of n months, from
// the index that holds every column it reads (migration 00034). One row a
// key (the primary key): nothing to group.
func referralMonthsQuery(n int) string {
	return `SELECT month, service, to_org, status, n, accepted_n, accept_hours, completed_n, complete_hours
		FROM dash_referrals WHERE place_id = ? AND month IN (` + placeholders(n) + `)`
}

// referralVersions are the versions of a place's referral counters of
// months, by name.
func (t *Tx) referralVersions(ctx context.Context, place string, months []string) (map[string]string, error) {
	names := make([]string, len(months))
	for i, m := range months {
		names[i] = dashVersionName(tabReferrals, place) + "@" + m
	}
	ver, err := t.readDashState(ctx, names)
	if err != nil {
		return nil, err
	}
	// Benchmarks: a change of the place's referrals of the last month.
	t.db.families.salted(ver, []string{place})
	if x := ver[dashVersionName(tabReferrals, place)]; x != "" && len(names) > 0 {
		ver[names[len(names)-1]] += x
	}
	return ver, nil
}

// referralTables makes the referral tables of a place from its counters
// of the months of a period.
func (t *Tx) referralTables(ctx context.Context, months [][]referralRow) (*referralFigures, error) {
	r := &referralFigures{}
	var services []string
	for _, s := range cases.Services {
		services = append(services, string(s))
	}
	svc := newCounts(services, referralStatuses)
	type sums struct{ an, ah, cn, ch int64 }
	times := map[string]*sums{}
	orgCounts := map[string]map[string]int64{}
	for _, rows := range months {
		for _, row := range rows {
			service, org, status := row.service, row.org, row.status
			n, an, ah, cn, ch := row.v[0], row.v[1], row.v[2], row.v[3], row.v[4]
			svc.add(service, status, n)
			x := times[service]
			if x == nil {
				x = &sums{}
				times[service] = x
			}
			x.an, x.ah, x.cn, x.ch = x.an+an, x.ah+ah, x.cn+cn, x.ch+ch
			if orgCounts[org] == nil {
				orgCounts[org] = map[string]int64{}
			}
			orgCounts[org][status] += n
		}
	}
	r.services = dashboards.NewTable("referral_services", keyHeads(services), keyHeads(referralStatuses), svc.v)
	for _, s := range services {
		if x := times[s]; x != nil {
			r.times = append(r.times, ReferralTime{Service: dashboards.Head{Key: s},
				Accept: dashboards.NewMean(x.ah, x.an), Complete: dashboards.NewMean(x.ch, x.cn)})
		}
	}
	var orgIDs []string
	for id := range orgCounts {
		orgIDs = append(orgIDs, id)
	}
	slices.Sort(orgIDs)
	// The organisations' names, in one query (a city's period names a
	// few hundred).
	names := map[string][2]string{}
	for _, ids := range chunks(orgIDs, 500) {
		res, err := t.query(ctx, `SELECT id, name_th, name_en FROM organisations WHERE id IN (`+placeholders(len(ids))+`)`, anyArgs(ids)...)
		if err != nil {
			return nil, classify(err)
		}
		if err := eachRow(res, func(s scanner) error {
			var id string
			var n [2]string
			if err := s.Scan(&id, &n[0], &n[1]); err != nil {
				return err
			}
			names[id] = n
			return nil
		}); err != nil {
			return nil, err
		}
	}
	var orgHeads []dashboards.Head
	for _, id := range orgIDs {
		orgHeads = append(orgHeads, dashboards.Head{Key: id, TH: names[id][0], EN: names[id][1]})
	}
	oc := newCounts(orgIDs, referralStatuses)
	for id, m := range orgCounts {
		for st, n := range m {
			oc.add(id, st, n)
		}
	}
	r.orgs = dashboards.NewBreakdown("referral_orgs", orgHeads, keyHeads(referralStatuses), oc.v,
		r.services.ColTotals, r.services.Grand)
	return r, nil
}

func (t *Tx) flowTables(ctx context.Context, d *Dashboard) error {
	// The referral tables are read for the viewed place alone, a month at
	// a time (referralMonths).
	// The tables themselves are kept by the versions of all the months.
	months, global := d.Period.Months(), d.ver.of("", tabReferrals)
	ver, err := t.referralVersions(ctx, d.Place.ID, months)
	if err != nil {
		return err
	}
	slot, version := "referrals|"+d.Place.ID, global
	for _, m := range months {
		slot += "|" + m
		version += "|" + ver[dashVersionName(tabReferrals, d.Place.ID)+"@"+m]
	}
	now := time.Now()
	r, _ := t.db.families.recall(slot, version, now).(*referralFigures)
	if r == nil {
		rows, err := t.referralMonths(ctx, d.Place.ID, months, global, ver)
		if err != nil {
			return err
		}
		if r, err = t.referralTables(ctx, rows); err != nil {
			return err
		}
		t.db.families.put(slot, version, r, now)
	}
	d.ReferralServices, d.ReferralOrgs, d.ReferralTimes = r.services, r.orgs, r.times

	legal := []string{""}
	for _, l := range cases.LegalCodes {
		legal = append(legal, l.Code)
	}
	statuses := []string{string(cases.Open), string(cases.Active), string(cases.Monitoring), string(cases.Closed)}
	f, err := t.families(ctx, d)
	if err != nil {
		return err
	}
	cases, err := t.protectAlong(ctx, f, linkedSpec{key: "cases", tabs: []int{tabCases}, ver: d.ver, rows: len(legal), cols: len(statuses),
		fetch: func(ids []string) (map[string][][]int64, error) {
			return t.placeCounts(ctx, ids, len(legal), len(statuses), byKeys(legal, statuses),
				`SELECT place_id, legal, status, SUM(n) FROM dash_cases WHERE place_id IN (`+placeholders(len(ids))+`) GROUP BY place_id, legal, status`,
				anyArgs(ids)...)
		}})
	if err != nil {
		return err
	}
	legalHeads := keyHeads(legal)
	legalHeads[0].Key = "none"
	d.Cases = dashboards.Published("cases", legalHeads, keyHeads(statuses), cases.own, cases.fam.Parent)

	// The deadline state of each counter row, judged on the period's day.
	today := d.Period.On.Format("2006-01-02")
	waitFrom := d.Period.On.AddDate(0, 0, -HandoffWaitDays).Format("2006-01-02")
	d.due, err = t.protectAlong(ctx, f, linkedSpec{key: "due|" + today, tabs: []int{tabDue}, ver: d.ver, rows: len(deadlineRows), cols: len(deadlineCols),
		fetch: func(ids []string) (map[string][][]int64, error) { return t.dueCounts(ctx, ids, today, waitFrom) }})
	if err != nil {
		return err
	}
	d.Deadlines = dashboards.Published("deadlines", keyHeads(deadlineRows), keyHeads(deadlineCols), d.due.own, d.due.fam.Parent)
	return nil
}

// dueCounts reads the deadline table (deadlineRows × deadlineCols) of
// places, judged on the day today: an open alert or plan step is overdue
// when due before it, a hand-off waiting when made before waitFrom. The
// counters are summed by their key's first columns (place, item, state:
// the primary key's order, no sorting), split at the two days.
func (t *Tx) dueCounts(ctx context.Context, ids []string, today, waitFrom string) (map[string][][]int64, error) {
	out := map[string][][]int64{}
	for _, id := range ids {
		out[id] = newCounts(deadlineRows, deadlineCols).v
	}
	res, err := t.query(ctx, `SELECT place_id, item, state, COALESCE(SUM(CASE WHEN day < ? THEN n ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN day < ? THEN n ELSE 0 END), 0), SUM(n)
		FROM dash_due WHERE place_id IN (`+placeholders(len(ids))+`) GROUP BY place_id, item, state`, append([]any{today, waitFrom}, anyArgs(ids)...)...)
	if err != nil {
		return nil, classify(err)
	}
	return out, eachRow(res, func(s scanner) error {
		var id, item, state string
		var beforeToday, beforeWait, all int64
		if err := s.Scan(&id, &item, &state, &beforeToday, &beforeWait, &all); err != nil {
			return err
		}
		i, c := slices.Index(deadlineRows, item), out[id]
		if i < 0 || c == nil {
			return nil
		}
		switch {
		case item == "plan_step" || (item == "alert" && state == "open"):
			c[i][0] += beforeToday
			c[i][1] += all - beforeToday
		case item == "alert" && state == "acknowledged":
			c[i][2] += all
		case item == "handoff" && state == "waiting":
			c[i][0] += beforeWait
			c[i][1] += all - beforeWait
		default:
			c[i][3] += all
		}
		return nil
	})
}

// gapRows are the continuity gaps, in the order the table shows them.
var gapRows = []string{"unseen", "not_enrolled", "dspm_missed", "handoff_waiting", "grant_missing"}

// countedGaps are the gaps counted for the gap table; the hand-offs
// waiting are the deadline table's hand-offs overdue (the same children),
// so that row is taken from it with its marks: protected twice, the two
// tables' different hidden cells would give each other away.
var countedGaps = []string{"unseen", "not_enrolled", "dspm_missed", "grant_missing"}

const handoffRow = 2 // the hand-offs' row of the deadline table

func (t *Tx) gapTable(ctx context.Context, d *Dashboard) error {
	f, err := t.families(ctx, d)
	if err != nil {
		return err
	}
	d.gaps, err = t.protectAlong(ctx, f, linkedSpec{key: "gaps|" + d.Period.On.Format(time.RFC3339) + "|" + strconv.Itoa(d.UnseenDays),
		tabs: []int{tabSeen, tabSchool, tabDSPM, tabGrant}, ver: d.ver, rows: len(countedGaps), cols: 2,
		fetch: func(ids []string) (map[string][][]int64, error) {
			counts, err := t.gapCounts(ctx, ids, countedGaps, d.Period.On, d.UnseenDays)
			if err != nil {
				return nil, err
			}
			byPlace := map[string][][]int64{}
			for _, id := range ids {
				g := newCounts(countedGaps, []string{"gap", "other"})
				for _, row := range countedGaps {
					c := counts[id][row]
					g.add(row, "gap", c.gap)
					g.add(row, "other", c.all-c.gap)
				}
				byPlace[id] = g.v
			}
			return byPlace, nil
		}})
	if err != nil {
		return err
	}
	// The published table: the counted gaps with their marks, the hand-off
	// row from the deadline table ("others" shown only when the overdue
	// and the total are: then it is their difference), and the totals
	// across gaps (which add different things) shown only when every cell
	// they add is, so that they say nothing new.
	own := make([][]int64, len(gapRows))
	pub := suppress.Table{Cells: make([][]suppress.Mark, len(gapRows)), RowTotal: make([]suppress.Mark, len(gapRows)), ColTotal: make([]suppress.Mark, 2)}
	for i, row := range gapRows {
		if row == "handoff_waiting" {
			due, marks := d.due.own[handoffRow], d.due.fam.Parent
			own[i] = []int64{due[0], due[1] + due[2] + due[3]}
			gap, all := marks.Cells[handoffRow][0], marks.RowTotal[handoffRow]
			other := suppress.Hidden
			if gap == suppress.Shown && all == suppress.Shown && !marks.Withheld {
				other = suppress.Shown
			}
			if marks.Withheld {
				gap, all = suppress.Hidden, suppress.Hidden
			}
			pub.Cells[i], pub.RowTotal[i] = []suppress.Mark{gap, other}, all
			continue
		}
		k := slices.Index(countedGaps, row)
		own[i] = d.gaps.own[k]
		pub.Cells[i], pub.RowTotal[i] = d.gaps.fam.Parent.Cells[k], d.gaps.fam.Parent.RowTotal[k]
		if d.gaps.fam.Parent.Withheld {
			pub.Cells[i], pub.RowTotal[i] = []suppress.Mark{suppress.Hidden, suppress.Hidden}, suppress.Hidden
		}
	}
	for j := range pub.ColTotal {
		for i := range gapRows {
			if pub.Cells[i][j] != suppress.Shown {
				pub.ColTotal[j] = suppress.Hidden
			}
		}
		if pub.ColTotal[j] != suppress.Shown {
			pub.Grand = suppress.Hidden
		}
	}
	d.Gaps = dashboards.Published("gaps", keyHeads(gapRows), keyHeads([]string{"gap", "other"}), own, pub)
	return nil
}

// AuditDashboardExport records that a dashboard's tables left the
// platform as a file (who, which area, which period).
func (db *DB) AuditDashboardExport(ctx context.Context, d Dashboard, actor audit.Event) error {
	actor.Action, actor.ObjectType, actor.ObjectID = ActionDashboardExported, "place", d.Place.ID
	actor.Detail = "xlsx period=" + d.Period.FromMonth() + ".." + d.Period.ToMonth()
	return db.AuditRead(ctx, actor)
}

// ParseDashboardQuery reads a dashboard's parameters (from, to, dimension,
// unseen) as the pages and the API take them; a wrong value is a bad
// address (400) naming the parameter. now is Bangkok's.
func ParseDashboardQuery(get func(string) string, now time.Time) (DashboardQuery, error) {
	p, err := dashboards.ParsePeriod(get("from"), get("to"), now)
	if err != nil {
		return DashboardQuery{}, err
	}
	q := DashboardQuery{Period: p, Dimension: get("dimension")}
	if s := get("unseen"); s != "" {
		if q.UnseenDays, err = strconv.Atoi(s); err != nil || q.UnseenDays <= 0 {
			return q, dashboards.BadParam("unseen", "dashboards.unknown_indicator", nil)
		}
	}
	return q, nil
}
