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
	r := db.dashReader(ctx)
	if err := r.flowerTables(ctx, &d); err != nil {
		return d, err
	}
	if err := r.flowTables(ctx, &d); err != nil {
		return d, err
	}
	if err := r.gapTable(ctx, &d); err != nil {
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
	first, last := dashboards.ChildYears(d.Period.On)
	place := d.Place.ID
	c := newCounts(dashboards.Dimensions, dashboards.Levels)
	if err := t.sumRows(ctx, c, `SELECT dimension, level, SUM(n) FROM dash_flower WHERE place_id = ? AND subject = 'child'
		AND birth_year >= ? AND birth_year <= ? GROUP BY dimension, level`, place, first, last); err != nil {
		return err
	}
	// The children's flower table and its breakdown by the places below
	// are linked to the same tables of the places above and below (a
	// district is the sum of its sub-districts): their marks come from
	// the families of places along the path from the city (flowerFamily).
	fam, below, err := t.flowerFamily(ctx, d)
	if err != nil {
		return err
	}
	d.FlowerChildren = dashboards.Published("flower_children", keyHeads(c.rows), keyHeads(c.cols), c.v, fam.Parent)
	c = newCounts(dashboards.Dimensions, dashboards.Levels)
	if err := t.sumRows(ctx, c, `SELECT dimension, level, SUM(n) FROM dash_flower WHERE place_id = ? AND subject = 'household'
		GROUP BY dimension, level`, place); err != nil {
		return err
	}
	d.FlowerHouseholds = dashboards.NewFlowerTable("flower_households", keyHeads(c.rows), keyHeads(c.cols), c.v)

	// Life stages, from birth years.
	var stageKeys []string
	for _, s := range dashboards.Stages {
		stageKeys = append(stageKeys, s.Key)
	}
	c = newCounts(stageKeys, dashboards.Levels)
	rows, err := t.query(ctx, `SELECT birth_year, level, SUM(n) FROM dash_flower WHERE place_id = ? AND subject = 'child' AND dimension = ?
		AND birth_year >= ? AND birth_year <= ? GROUP BY birth_year, level`, place, d.Dimension, first, last)
	if err != nil {
		return classify(err)
	}
	if err := eachRow(rows, func(s scanner) error {
		var year, level string
		var n int64
		if err := s.Scan(&year, &level, &n); err != nil {
			return err
		}
		if st, ok := dashboards.StageOfBirthYear(year, d.Period.On); ok {
			c.add(st.Key, level, n)
		}
		return nil
	}); err != nil {
		return err
	}
	dim := slices.Index(dashboards.Dimensions, d.Dimension)
	parent, parentTotal := d.FlowerChildren.Cells[dim], d.FlowerChildren.RowTotals[dim]
	d.Stages = dashboards.NewBreakdown("stages", keyHeads(c.rows), keyHeads(c.cols), c.v, parent, parentTotal)

	// Places one level down: the slice of the family at the dimension.
	var heads []dashboards.Head
	var placeCounts [][]int64
	pub := suppress.Table{Cells: [][]suppress.Mark{}, RowTotal: []suppress.Mark{}, Withheld: fam.Withheld}
	pub.ColTotal, pub.Grand = fam.Parent.Cells[dim], fam.Parent.RowTotal[dim]
	for s, ch := range d.Children {
		heads = append(heads, dashboards.Head{Key: ch.ID, TH: ch.NameTH, EN: ch.NameEN})
		placeCounts = append(placeCounts, below[s][dim])
		pub.Cells = append(pub.Cells, fam.Children[s].Cells[dim])
		pub.RowTotal = append(pub.RowTotal, fam.Children[s].RowTotal[dim])
	}
	d.Places = dashboards.Published("places", heads, keyHeads(dashboards.Levels), placeCounts, pub)
	if fam.Withheld {
		d.Places = dashboards.NewBreakdown("places", heads, keyHeads(dashboards.Levels), placeCounts, nil, dashboards.Cell{Mark: suppress.Hidden})
	}

	// The monthly trend and the movements in the period.
	months := d.Period.Months()
	c = newCounts(months, dashboards.Levels)
	if err := t.sumRows(ctx, c, `SELECT month, level, SUM(n) FROM dash_flower_month WHERE place_id = ? AND subject = 'child' AND dimension = ?
		AND month >= ? AND month <= ? GROUP BY month, level`, place, d.Dimension, d.Period.FromMonth(), d.Period.ToMonth()); err != nil {
		return err
	}
	d.Trend = dashboards.NewTable("trend", keyHeads(months), keyHeads(dashboards.Levels), c.v)
	c = newCounts(dashboards.Levels, dashboards.Levels)
	if err := t.sumRows(ctx, c, `SELECT from_level, to_level, SUM(n) FROM dash_flower_moves WHERE place_id = ? AND subject = 'child'
		AND dimension = ? AND month >= ? AND month <= ? GROUP BY from_level, to_level`,
		place, d.Dimension, d.Period.FromMonth(), d.Period.ToMonth()); err != nil {
		return err
	}
	d.Moves = dashboards.NewTable("moves", keyHeads(dashboards.Levels), keyHeads(dashboards.Levels), c.v)
	return nil
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

func (t *Tx) flowTables(ctx context.Context, d *Dashboard) error {
	place, from, to := d.Place.ID, d.Period.FromMonth(), d.Period.ToMonth()
	var services []string
	for _, s := range cases.Services {
		services = append(services, string(s))
	}
	svc := newCounts(services, referralStatuses)
	type sums struct{ an, ah, cn, ch int64 }
	times := map[string]*sums{}
	orgCounts := map[string]map[string]int64{}
	rows, err := t.query(ctx, `SELECT service, to_org, status, SUM(n), SUM(accepted_n), SUM(accept_hours), SUM(completed_n), SUM(complete_hours)
		FROM dash_referrals WHERE place_id = ? AND month >= ? AND month <= ? GROUP BY service, to_org, status`, place, from, to)
	if err != nil {
		return classify(err)
	}
	if err := eachRow(rows, func(s scanner) error {
		var service, org, status string
		var n, an, ah, cn, ch int64
		if err := s.Scan(&service, &org, &status, &n, &an, &ah, &cn, &ch); err != nil {
			return err
		}
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
		return nil
	}); err != nil {
		return err
	}
	d.ReferralServices = dashboards.NewTable("referral_services", keyHeads(services), keyHeads(referralStatuses), svc.v)
	for _, s := range services {
		if x := times[s]; x != nil {
			d.ReferralTimes = append(d.ReferralTimes, ReferralTime{Service: dashboards.Head{Key: s},
				Accept: dashboards.NewMean(x.ah, x.an), Complete: dashboards.NewMean(x.ch, x.cn)})
		}
	}
	var orgIDs []string
	for id := range orgCounts {
		orgIDs = append(orgIDs, id)
	}
	slices.Sort(orgIDs)
	var orgHeads []dashboards.Head
	for _, id := range orgIDs {
		h := dashboards.Head{Key: id}
		_ = t.queryRow(ctx, `SELECT name_th, name_en FROM organisations WHERE id = ?`, id).Scan(&h.TH, &h.EN)
		orgHeads = append(orgHeads, h)
	}
	oc := newCounts(orgIDs, referralStatuses)
	for id, m := range orgCounts {
		for st, n := range m {
			oc.add(id, st, n)
		}
	}
	d.ReferralOrgs = dashboards.NewBreakdown("referral_orgs", orgHeads, keyHeads(referralStatuses), oc.v,
		d.ReferralServices.ColTotals, d.ReferralServices.Grand)

	legal := []string{""}
	for _, l := range cases.LegalCodes {
		legal = append(legal, l.Code)
	}
	statuses := []string{string(cases.Open), string(cases.Active), string(cases.Monitoring), string(cases.Closed)}
	cc := newCounts(legal, statuses)
	if err := t.sumRows(ctx, cc, `SELECT legal, status, SUM(n) FROM dash_cases WHERE place_id = ? GROUP BY legal, status`, place); err != nil {
		return err
	}
	legalHeads := keyHeads(legal)
	legalHeads[0].Key = "none"
	d.Cases = dashboards.NewTable("cases", legalHeads, keyHeads(statuses), cc.v)

	today := d.Period.On.Format("2006-01-02")
	waitFrom := d.Period.On.AddDate(0, 0, -HandoffWaitDays).Format("2006-01-02")
	dc := newCounts(deadlineRows, deadlineCols)
	rows, err = t.query(ctx, `SELECT item, state, day, SUM(n) FROM dash_due WHERE place_id = ? GROUP BY item, state, day`, place)
	if err != nil {
		return classify(err)
	}
	if err := eachRow(rows, func(s scanner) error {
		var item, state, day string
		var n int64
		if err := s.Scan(&item, &state, &day, &n); err != nil {
			return err
		}
		col := ""
		switch {
		case item == "alert" && state == "open":
			col = "in_time"
			if day < today {
				col = "overdue"
			}
		case item == "alert" && state == "acknowledged":
			col = "taken"
		case item == "alert":
			col = "done"
		case item == "plan_step":
			col = "in_time"
			if day < today {
				col = "overdue"
			}
		case item == "handoff" && state == "waiting":
			col = "in_time"
			if day < waitFrom {
				col = "overdue"
			}
		case item == "handoff":
			col = "done"
		}
		dc.add(item, col, n)
		return nil
	}); err != nil {
		return err
	}
	d.Deadlines = dashboards.NewTable("deadlines", keyHeads(deadlineRows), keyHeads(deadlineCols), dc.v)
	return nil
}

// gapRows are the continuity gaps, in the order the table shows them.
var gapRows = []string{"unseen", "not_enrolled", "dspm_missed", "handoff_waiting", "grant_missing"}

func (t *Tx) gapTable(ctx context.Context, d *Dashboard) error {
	counts, err := t.gapCounts(ctx, []string{d.Place.ID}, gapRows, d.Period.On, d.UnseenDays)
	if err != nil {
		return err
	}
	g := newCounts(gapRows, []string{"gap", "other"})
	for _, row := range gapRows {
		c := counts[d.Place.ID][row]
		g.add(row, "gap", c.gap)
		g.add(row, "other", c.all-c.gap)
	}
	d.Gaps = dashboards.NewTable("gaps", keyHeads(gapRows), keyHeads([]string{"gap", "other"}), g.v)
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
