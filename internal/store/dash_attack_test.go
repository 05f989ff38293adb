package store_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/dashboards"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
	"termtem/internal/suppress"
	"termtem/internal/suppress/attack"
)

// attackWorld is three communities with counters written straight into
// the dashboard tables (so that every trial is a fresh, adversarial spread
// of small counts, which the write path would take thousands of records to
// make): two communities of one sub-district of Lat Krabang and one of
// another. Every other place counts nothing.
type attackWorld struct {
	db          *store.DB
	path        []places.Place // city, zone, district
	subs        []places.Place // the two sub-districts
	communities []places.Place // two under subs[0], one under subs[1]
	period      dashboards.Period
}

func newAttackWorld(t *testing.T) *attackWorld {
	db := storetest.Open(t)
	w := &attackWorld{db: db}
	district := mustPlaceByCode(t, db, "1011")
	zone, err := db.GetPlace(ctx, district.ParentID)
	if err != nil {
		t.Fatal(err)
	}
	city, err := db.GetPlace(ctx, zone.ParentID)
	if err != nil {
		t.Fatal(err)
	}
	w.path = []places.Place{city, zone, district}
	subA := mustPlaceByCode(t, db, "101103")
	all, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: district.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.ID != subA.ID {
			w.subs = []places.Place{subA, s}
			break
		}
	}
	if len(w.subs) != 2 {
		t.Fatalf("Lat Krabang has %d sub-districts", len(all))
	}
	w.communities = []places.Place{newCommunity(t, db, "A1"), newCommunity(t, db, "A2")}
	c, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: w.subs[1].Code + "-B1", NameTH: "ชุมชนทดสอบ B1", ParentID: w.subs[1].ID}, actor())
	if err != nil {
		t.Fatal(err)
	}
	w.communities = append(w.communities, c)
	if w.period, err = dashboards.ParsePeriod("", "", db.Now()); err != nil {
		t.Fatal(err)
	}
	return w
}

// attackViewer is a city executive: every place may be viewed.
func attackViewer() context.Context {
	return access.ForRequest(ctx, &account.Principal{
		User:        account.User{ID: "attack-executive", Memberships: []account.Membership{{RoleCode: account.RoleSystemAdmin}}},
		Permissions: map[account.Permission]bool{account.ReportsAggregate: true}})
}

// under lists, for every place of the world that counts, the communities
// it sums.
func (w *attackWorld) under() map[string][]int {
	under := map[string][]int{w.path[0].ID: {0, 1, 2}, w.path[1].ID: {0, 1, 2}, w.path[2].ID: {0, 1, 2},
		w.subs[0].ID: {0, 1}, w.subs[1].ID: {2}}
	for c, p := range w.communities {
		under[p.ID] = []int{c}
	}
	return under
}

// views are the places the attacker reads: the city down to the
// communities.
func (w *attackWorld) views() []places.Place {
	return append(append(append([]places.Place{}, w.path...), w.subs...), w.communities...)
}

// requireEmptyRow fails unless row i of a breakdown by place (a place
// that counts nothing) is published as zeros.
func requireEmptyRow(t *testing.T, what string, tab dashboards.Table, i int) {
	t.Helper()
	for _, c := range append(append([]dashboards.Cell{}, tab.Cells[i]...), tab.RowTotals[i]) {
		if (c.Mark != suppress.Shown && !tab.Withheld) || c.N != 0 {
			t.Fatalf("%s: %s counts nothing, published as %+v", what, tab.Rows[i].TH, tab.Cells[i])
		}
	}
}

// line is the places a community's counters are kept at.
func (w *attackWorld) line(c int) []string {
	sub := w.subs[0]
	if c == 2 {
		sub = w.subs[1]
	}
	return []string{w.communities[c].ID, sub.ID, w.path[2].ID, w.path[1].ID, w.path[0].ID}
}

// counter is one counter row: its table, key columns and values.
type counter struct {
	table string
	cols  []string
	keys  []any
}

// write replaces every counter with rows, each added at every place of its
// community's line.
func (w *attackWorld) write(t *testing.T, rows map[int][]counterRow) {
	t.Helper()
	sums := map[string]int64{}
	var order []string
	at := map[string]counter{}
	for c, rs := range rows {
		for _, r := range rs {
			if r.n == 0 {
				continue
			}
			for _, place := range w.line(c) {
				k := r.table + "|" + place + "|" + strconv.Quote(fmtKeys(r.keys))
				if _, ok := sums[k]; !ok {
					order = append(order, k)
					at[k] = counter{r.table, r.cols, append([]any{place}, r.keys...)}
				}
				sums[k] += r.n
			}
		}
	}
	err := w.db.InTx(ctx, func(tx *store.Tx) error {
		for _, table := range []string{"dash_flower", "dash_flower_month", "dash_cases", "dash_due", "dash_seen", "dash_school"} {
			if err := tx.ExecForTest(ctx, `DELETE FROM `+table); err != nil {
				return err
			}
		}
		for _, k := range order {
			c := at[k]
			q := `INSERT INTO ` + c.table + ` (place_id`
			for _, col := range c.cols {
				q += ", " + col
			}
			q += ", n) VALUES (?" + repeat(", ?", len(c.cols)) + ", ?)"
			if err := tx.ExecForTest(ctx, q, append(c.keys, sums[k])...); err != nil {
				return err
			}
		}
		return tx.DashboardCountersChangedForTest(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

type counterRow struct {
	table string
	cols  []string
	keys  []any
	n     int64
}

func fmtKeys(keys []any) string {
	s := ""
	for _, k := range keys {
		s += "\x00" + k.(string)
	}
	return s
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// figures of a dashboard table as the attacker reads them.
func cellsOf(t dashboards.Table) ([][]attack.Cell, []attack.Cell, []attack.Cell, attack.Cell) {
	c := func(x dashboards.Cell) attack.Cell { return attack.Cell{Mark: x.Mark, Value: x.N} }
	cells := make([][]attack.Cell, len(t.Cells))
	for i := range t.Cells {
		for _, x := range t.Cells[i] {
			cells[i] = append(cells[i], c(x))
		}
	}
	var rows, cols []attack.Cell
	for _, x := range t.RowTotals {
		rows = append(rows, c(x))
	}
	for _, x := range t.ColTotals {
		cols = append(cols, c(x))
	}
	return cells, rows, cols, c(t.Grand)
}

func publishTable(a *attack.Attacker, what string, r attack.Region, t dashboards.Table) {
	cells, rows, cols, grand := cellsOf(t)
	a.PublishTable(what+" "+t.ID, r, cells, rows, cols, grand, t.Withheld)
}

func leavesOf(truth map[int]int64) []int64 {
	out := make([]int64, len(truth))
	for l, v := range truth {
		out[l] = v
	}
	return out
}

// requireTrueSums fails the test unless every figure shown is the sum of
// the true leaf counts it covers.
func requireTrueSums(t *testing.T, trial int, a *attack.Attacker, leaves []int64) {
	t.Helper()
	for _, f := range a.Figures() {
		if f.Mark != suppress.Shown {
			continue
		}
		var v int64
		for _, l := range f.Leaves {
			v += leaves[l]
		}
		if v != f.Value {
			t.Fatalf("trial %d: %s shown as %d, true %d", trial, f.What, f.Value, v)
		}
	}
}

// publishAlone adds a place's table over r protected by itself
// (suppress.Protect), from the true leaf counts.
func publishAlone(a *attack.Attacker, what string, r attack.Region, truth map[int]int64) {
	val := func(leaves []int) int64 {
		var v int64
		for _, l := range leaves {
			v += truth[l]
		}
		return v
	}
	counts := make([][]int64, len(r))
	for i := range r {
		for j := range r[i] {
			counts[i] = append(counts[i], val(r[i][j]))
		}
	}
	pub := suppress.Protect(counts)
	c := func(m suppress.Mark, leaves []int) attack.Cell { return attack.Cell{Mark: m, Value: val(leaves)} }
	cells := make([][]attack.Cell, len(r))
	rows := make([]attack.Cell, len(r))
	cols := make([]attack.Cell, len(r[0]))
	for i := range r {
		for j := range r[i] {
			cells[i] = append(cells[i], c(pub.Cells[i][j], r[i][j]))
		}
		rows[i] = c(pub.RowTotal[i], r.Row(i))
	}
	for j := range cols {
		cols[j] = c(pub.ColTotal[j], r.Col(j))
	}
	a.PublishTable(what, r, cells, rows, cols, c(pub.Grand, r.All()), pub.Withheld)
}

// TestDashboardsResistCrossViewAttack: an attacker reads the dashboards of
// the city, the zone, the district, both sub-districts and the three
// communities (every table, the breakdowns by place and the maps of gaps),
// sets them side by side with every sum that links them (a place is the
// sum of the places below; the life stages break down the children's row;
// the hand-offs waiting in the gaps are the deadline table's hand-offs),
// and searches every set of community counts that agrees with all of it.
// Over random spreads of small counts it never pins one down in the
// children's and households' flower tables, the breakdown by place, the
// cases, the deadlines and the life stages (searched harder in
// TestDashboardStagesResistAttack). (The gap table is counted but not yet
// attacked: see the note in the loop.)
func TestDashboardsResistCrossViewAttack(t *testing.T) {
	w := newAttackWorld(t)
	viewer := attackViewer()
	on := w.period.On
	dims, lvls := dashboards.Dimensions, dashboards.Levels
	legal := []string{""}
	for _, l := range cases.LegalCodes {
		legal = append(legal, l.Code)
	}
	statuses := []string{string(cases.Open), string(cases.Active), string(cases.Monitoring), string(cases.Closed)}
	today := on.Format("2006-01-02")
	// Where each deadline cell is counted (item, state, day); "" cannot
	// happen (a plan step is never taken; a hand-off is waiting or done).
	yesterday, tomorrow := on.AddDate(0, 0, -1).Format("2006-01-02"), on.AddDate(0, 0, 1).Format("2006-01-02")
	longAgo := on.AddDate(0, 0, -store.HandoffWaitDays-5).Format("2006-01-02")
	due := [][][3]string{
		{{"alert", "open", yesterday}, {"alert", "open", tomorrow}, {"alert", "acknowledged", today}, {"alert", "closed", today}},
		{{"plan_step", "open", yesterday}, {"plan_step", "open", tomorrow}, {}, {}},
		{{"handoff", "waiting", longAgo}, {"handoff", "waiting", today}, {}, {"handoff", "acknowledged", today}},
	}
	dim := 1 // safety, the dashboards' default dimension
	stageYear := func(s int) string { return strconv.Itoa(on.Year() - dashboards.Stages[s].MinAge) }
	schoolYear := strconv.Itoa(on.Year() - 8)
	vals := []int64{0, 0, 0, 1, 2, 3, 4, 5, 7}
	rng := rand.New(rand.NewPCG(20261124, 8))
	published, smalls, leaksAlone := 0, 0, 0
	for trial := range 6 {
		// One attacker for each group of tables linked by sums (no sum links
		// two groups), so that each search is over its own counts.
		group := map[string]*attack.Attacker{}
		for _, g := range []string{"children", "households", "cases", "deadlines"} {
			group[g] = &attack.Attacker{Bound: 8}
		}
		groupOf := map[string]string{"flower_children": "children", "stages": "children", "places": "children",
			"flower_households": "households", "cases": "cases", "deadlines": "deadlines", "gaps": "deadlines"}
		type comm struct {
			stages, others, households, cases, due attack.Region
			unseen, school                         attack.Region
		}
		var cs []comm
		truth := map[*attack.Attacker]map[int]int64{}
		for _, a := range group {
			truth[a] = map[int]int64{}
		}
		rows := map[int][]counterRow{}
		var a *attack.Attacker
		// Each table counts in a block of two rows and two columns chosen
		// for the trial (the rest are zeros, shown as such), so that the
		// attacker's search over every agreeing set of counts stays small;
		// the shapes themselves are searched in internal/suppress's tests.
		block := func(r attack.Region, rows, cols []int) func(i, j int) bool {
			if rows == nil {
				rows = rng.Perm(len(r))[:min(2, len(r))]
			}
			if cols == nil {
				cols = rng.Perm(len(r[0]))[:min(2, len(r[0]))]
			}
			return func(i, j int) bool { return slices.Contains(rows, i) && slices.Contains(cols, j) }
		}
		blocks := map[string]func(i, j int) bool{}
		draw := func(c int, name string, r attack.Region, in func() func(i, j int) bool, fill func(i, j int, n int64)) {
			if blocks[name] == nil {
				blocks[name] = in()
			}
			for i := range r {
				for j := range r[i] {
					var n int64
					if blocks[name](i, j) {
						n = vals[rng.IntN(len(vals))]
					} else {
						// The attacker is told which cells are empty (a
						// stronger reader, and a search that stays small
						// when a table is withheld): an empty cell is shown
						// as 0 wherever it is published, so no protection
						// may rely on it.
						a.Publish(name+" empty", r[i][j], suppress.Shown, 0)
					}
					truth[a][r[i][j][0]] = n
					fill(i, j, n)
				}
			}
		}
		any2 := func(r attack.Region) func() func(i, j int) bool {
			return func() func(i, j int) bool { return block(r, nil, nil) }
		}
		for c := range w.communities {
			var x comm
			a = group["children"]
			// The dimension's children by life stage and level: the stage
			// table, whose column totals are the children's row.
			x.stages = a.NewRegion(len(dashboards.Stages), len(lvls))
			draw(c, "stages", x.stages, any2(x.stages), func(i, j int, n int64) {
				rows[c] = append(rows[c], counterRow{"dash_flower", []string{"subject", "birth_year", "dimension", "level"},
					[]any{"child", stageYear(i), dims[dim], lvls[j]}, n})
			})
			x.others = a.NewRegion(len(dims)-1, len(lvls))
			draw(c, "others", x.others, func() func(i, j int) bool { return block(x.others, []int{rng.IntN(len(dims) - 1)}, nil) }, func(i, j int, n int64) {
				d := i
				if d >= dim {
					d++
				}
				rows[c] = append(rows[c], counterRow{"dash_flower", []string{"subject", "birth_year", "dimension", "level"},
					[]any{"child", stageYear(2), dims[d], lvls[j]}, n})
			})
			a = group["households"]
			x.households = a.NewRegion(len(dims), len(lvls))
			draw(c, "households", x.households, any2(x.households), func(i, j int, n int64) {
				rows[c] = append(rows[c], counterRow{"dash_flower", []string{"subject", "birth_year", "dimension", "level"},
					[]any{"household", "", dims[i], lvls[j]}, n})
			})
			a = group["cases"]
			x.cases = a.NewRegion(len(legal), len(statuses))
			draw(c, "cases", x.cases, func() func(i, j int) bool { return block(x.cases, rng.Perm(3)[:2], nil) }, func(i, j int, n int64) {
				rows[c] = append(rows[c], counterRow{"dash_cases", []string{"status", "legal"}, []any{statuses[j], legal[i]}, n})
			})
			a = group["deadlines"]
			x.due = a.NewRegion(len(due), 4)
			// Hand-offs always: the gaps repeat them.
			draw(c, "due", x.due, func() func(i, j int) bool {
				return block(x.due, []int{rng.IntN(2), 2}, []int{0, []int{1, 3}[rng.IntN(2)]})
			}, func(i, j int, n int64) {
				k := due[i][j]
				if k[0] == "" {
					truth[a][x.due[i][j][0]] = 0 // cannot happen
					return
				}
				rows[c] = append(rows[c], counterRow{"dash_due", []string{"item", "state", "day"}, []any{k[0], k[1], k[2]}, n})
			})
			// The gaps are counted but not attacked (their leaves would
			// be free in the search).
			a = &attack.Attacker{}
			truth[a] = map[int]int64{}
			x.unseen = a.NewRegion(1, 2)
			draw(c, "unseen", x.unseen, any2(x.unseen), func(_, j int, n int64) {
				last := w.period.ToMonth()
				if j == 0 {
					last = "" // never seen
				}
				rows[c] = append(rows[c], counterRow{"dash_seen", []string{"birth_year", "last_month"}, []any{stageYear(3), last}, n})
			})
			x.school = a.NewRegion(1, 2)
			draw(c, "school", x.school, any2(x.school), func(_, j int, n int64) {
				rows[c] = append(rows[c], counterRow{"dash_school", []string{"birth_year", "enrolled"}, []any{schoolYear, []string{"no", "yes"}[j]}, n})
			})
			cs = append(cs, x)
		}
		w.write(t, rows)
		// The regions of every viewed place: a sum of its communities'.
		under := w.under()
		regionsOf := func(id string) map[string]attack.Region {
			var parts []comm
			for _, c := range under[id] {
				parts = append(parts, cs[c])
			}
			sum := func(f func(comm) attack.Region) attack.Region {
				var rs []attack.Region
				for _, p := range parts {
					rs = append(rs, f(p))
				}
				return attack.Sum(rs...)
			}
			stages := sum(func(x comm) attack.Region { return x.stages })
			others := sum(func(x comm) attack.Region { return x.others })
			flower := attack.Region{others[0], nil, others[1], others[2]}
			flower[dim] = make([][]int, len(lvls))
			for j := range lvls {
				flower[dim][j] = stages.Col(j)
			}
			dueR := sum(func(x comm) attack.Region { return x.due })
			unseen, school := sum(func(x comm) attack.Region { return x.unseen }), sum(func(x comm) attack.Region { return x.school })
			handoff := [][]int{dueR[2][0], append(append([]int{}, dueR[2][1]...), dueR[2][3]...)}
			gaps := attack.Region{unseen[0], school[0], {nil, nil}, handoff, {nil, nil}}
			return map[string]attack.Region{"flower_children": flower, "stages": stages, "flower_households": sum(func(x comm) attack.Region { return x.households }),
				"cases": sum(func(x comm) attack.Region { return x.cases }), "deadlines": dueR, "gaps": gaps}
		}
		alone := &attack.Attacker{Bound: 8}
		alone.NewLeaves(len(truth[group["cases"]]))
		views := w.views()
		for _, p := range views {
			d, err := w.db.Dashboard(viewer, store.DashboardQuery{PlaceID: p.ID, Period: w.period}, actor())
			if err != nil {
				t.Fatal(err)
			}
			regs := regionsOf(p.ID)
			// The control: the same case tables protected page by page,
			// as they were before, read by the same attacker.
			publishAlone(alone, p.NameTH+" cases alone", regs["cases"], truth[group["cases"]])
			// Not yet the gaps (and their maps): the attacker still pins
			// small counts down through them (the gap of unseen children
			// against the number of children). See docs/dashboards.md.
			for _, tab := range []dashboards.Table{d.FlowerChildren, d.FlowerHouseholds, d.Stages, d.Cases, d.Deadlines} {
				publishTable(group[groupOf[tab.ID]], p.NameTH, regs[tab.ID], tab)
			}
			// The breakdowns by place: each place below as a row of the
			// place's children's flower (at the dimension).
			var below attack.Region
			for i, ch := range d.Children {
				var r map[string]attack.Region
				if _, ok := under[ch.ID]; ok {
					r = regionsOf(ch.ID)
				} else { // counts nothing: every figure must be a shown 0
					requireEmptyRow(t, p.NameTH, d.Places, i)
				}
				if r == nil {
					below = append(below, make([][]int, len(lvls)))
				} else {
					below = append(below, r["flower_children"][dim])
				}
			}
			publishTable(group["children"], p.NameTH+" by place", below, d.Places)
		}
		if got, _ := alone.Recovered(leavesOf(truth[group["cases"]])); len(got) > 0 {
			leaksAlone++
		}
		for name, a := range group {
			leaves := leavesOf(truth[a])
			requireTrueSums(t, trial, a, leaves)
			smalls += a.Small()
			t.Logf("trial %d, %s: %d leaves, %d figures", trial, name, len(leaves), len(a.Figures()))
			got, _ := a.Recovered(leaves)
			for _, f := range got {
				t.Errorf("trial %d, %s: %s (%d) recovered", trial, name, f.What, f.Value)
			}
		}
		published++
		t.Logf("trial %d searched", trial)
	}
	if smalls < 100 {
		t.Fatalf("only %d small figures in %d trials: the test met too few cases", smalls, published)
	}
	// So that the attacker is known to find such leaks when they are there.
	if leaksAlone == 0 {
		t.Fatal("the attacker recovered nothing from case tables protected page by page")
	}
	t.Logf("%d trials, %d small figures, none recovered (page by page, the case tables leaked in %d)", published, smalls, leaksAlone)
}

// TestDashboardTrendResistsPeriodAttack: the monthly trend of every place
// from the city to the communities, read for every period of the last
// three months (each month alone, two months, all three), set side by side:
// a period's totals minus a shorter period's, or a place's months minus
// the places below, never pin down a small count.
func TestDashboardTrendResistsPeriodAttack(t *testing.T) {
	w := newAttackWorld(t)
	viewer := attackViewer()
	lvls := dashboards.Levels
	last := w.period.To
	months := []string{last.AddDate(0, -2, 0).Format("2006-01"), last.AddDate(0, -1, 0).Format("2006-01"), last.Format("2006-01")}
	vals := []int64{0, 0, 1, 2, 3, 4, 5, 7}
	rng := rand.New(rand.NewPCG(20261124, 9))
	smalls := 0
	for trial := range 6 {
		a := &attack.Attacker{Bound: 8}
		truth := map[int]int64{}
		rows := map[int][]counterRow{}
		// Two levels counted in every month (the rest are zeros).
		cols := rng.Perm(len(lvls))[:2]
		regs := make([][]attack.Region, len(w.communities)) // community × month: 1 × levels
		for c := range w.communities {
			for _, m := range months {
				r := a.NewRegion(1, len(lvls))
				for j := range lvls {
					var n int64
					if slices.Contains(cols, j) {
						n = vals[rng.IntN(len(vals))]
					}
					truth[r[0][j][0]] = n
					rows[c] = append(rows[c], counterRow{"dash_flower_month", []string{"subject", "month", "dimension", "level"},
						[]any{"child", m, "safety", lvls[j]}, n})
				}
				regs[c] = append(regs[c], r)
			}
		}
		w.write(t, rows)
		under := w.under()
		views := w.views()
		for _, p := range views {
			for from := range months {
				for to := from; to < len(months); to++ {
					period := w.period
					period.From, _ = time.Parse("2006-01", months[from])
					period.To, _ = time.Parse("2006-01", months[to])
					d, err := w.db.Dashboard(viewer, store.DashboardQuery{PlaceID: p.ID, Period: period}, actor())
					if err != nil {
						t.Fatal(err)
					}
					var reg attack.Region
					for i := from; i <= to; i++ {
						var parts []attack.Region
						for _, c := range under[p.ID] {
							parts = append(parts, regs[c][i])
						}
						reg = append(reg, attack.Sum(parts...)[0])
					}
					// Totals over months are shown only as sums of shown
					// months: only what is shown of them is a figure.
					cells, rowTotals, colTotals, grand := cellsOf(d.Trend)
					what := p.NameTH + " trend " + months[from] + ".." + months[to]
					for i := range reg {
						// A month withheld (every figure "—") says nothing.
						withheld := rowTotals[i].Mark == suppress.Hidden
						for j := range reg[i] {
							withheld = withheld && cells[i][j].Mark == suppress.Hidden
						}
						if withheld {
							continue
						}
						for j := range reg[i] {
							a.Publish(what+" cell", reg[i][j], cells[i][j].Mark, cells[i][j].Value)
						}
						a.Publish(what+" month total", reg.Row(i), rowTotals[i].Mark, rowTotals[i].Value)
					}
					for j := range colTotals {
						if colTotals[j].Mark == suppress.Shown {
							a.Publish(what+" level total", reg.Col(j), colTotals[j].Mark, colTotals[j].Value)
						}
					}
					if grand.Mark == suppress.Shown {
						a.Publish(what+" total", reg.All(), grand.Mark, grand.Value)
					}
				}
			}
		}
		leaves := leavesOf(truth)
		requireTrueSums(t, trial, a, leaves)
		smalls += a.Small()
		got, _ := a.Recovered(leaves)
		for _, f := range got {
			t.Errorf("trial %d: %s (%d) recovered", trial, f.What, f.Value)
		}
	}
	if smalls < 100 {
		t.Fatalf("only %d small figures: the test met too few cases", smalls)
	}
	t.Logf("%d small figures, none recovered", smalls)
}
