package store_test

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"termtem/internal/dashboards"
	"termtem/internal/store"
	"termtem/internal/suppress"
	"termtem/internal/suppress/attack"
)

// TestDashboardStagesResistAttack: the life-stage tables of every
// dimension, the children's flower table and its breakdown by place, of
// every place from the city to the communities, set side by side with
// every sum that links them (a stage table's column totals are the
// children's row of its dimension; its row totals, the children of each
// stage, are the same in every dimension; a place is the sum of the places
// below): over random spreads of small counts, no count of 1 to 4 is ever
// pinned down. One dimension is counted in each trial, in two stages and
// two levels (the attacker is told which cells are empty); every
// dimension's tables are read. The children of each stage are published
// as they are (like the number of children), so the stage tables of two
// dimensions share only published totals. It fails when the stage table
// keeps only its column totals fixed, as before (a stage row's total
// hidden in one table, or the row given away when the table is withheld).
func TestDashboardStagesResistAttack(t *testing.T) {
	w := newAttackWorld(t)
	viewer := attackViewer()
	on := w.period.On
	dims, lvls, stages := dashboards.Dimensions, dashboards.Levels, dashboards.Stages
	stageYear := func(s int) string { return strconv.Itoa(on.Year() - stages[s].MinAge) }
	vals := []int64{1, 2, 3, 4, 5, 6, 7} // at most Bound-1: a second table is the truth shifted by one
	rng := rand.New(rand.NewPCG(20261124, 10))
	under := w.under()
	views := w.views()
	smalls, shown, shownSmalls := 0, 0, 0
	for trial := range 16 {
		a := &attack.Attacker{Bound: 8}
		truth := map[int]int64{}
		rows := map[int][]counterRow{}
		counted := rng.Perm(len(dims))[:1] // more would make the search slow
		type block struct{ rows, cols []int }
		blocks := make([]block, len(dims))
		for d := range dims {
			if slices.Contains(counted, d) {
				blocks[d] = block{rng.Perm(len(stages))[:2], rng.Perm(len(lvls))[:2]}
			}
		}
		regs := make([][]attack.Region, len(w.communities)) // community × dimension: stage × level
		for c := range w.communities {
			for d := range dims {
				r := a.NewRegion(len(stages), len(lvls))
				for i := range r {
					for j := range r[i] {
						var n int64
						if slices.Contains(blocks[d].rows, i) && slices.Contains(blocks[d].cols, j) {
							n = vals[rng.IntN(len(vals))]
						} else {
							a.Publish("empty", r[i][j], suppress.Shown, 0)
						}
						truth[r[i][j][0]] = n
						rows[c] = append(rows[c], counterRow{"dash_flower", []string{"subject", "birth_year", "dimension", "level"},
							[]any{"child", stageYear(i), dims[d], lvls[j]}, n})
					}
				}
				regs[c] = append(regs[c], r)
			}
		}
		w.write(t, rows)
		// A place's stage table of dimension d: the sum of its communities'.
		stageRegion := func(id string, d int) attack.Region {
			var parts []attack.Region
			for _, c := range under[id] {
				parts = append(parts, regs[c][d])
			}
			return attack.Sum(parts...)
		}
		flowerRegion := func(id string) attack.Region {
			out := make(attack.Region, len(dims))
			for d := range dims {
				s := stageRegion(id, d)
				for j := range lvls {
					out[d] = append(out[d], s.Col(j))
				}
			}
			return out
		}
		for _, p := range views {
			for d, dim := range dims {
				db, err := w.db.Dashboard(viewer, store.DashboardQuery{PlaceID: p.ID, Period: w.period, Dimension: dim}, actor())
				if err != nil {
					t.Fatal(err)
				}
				what := p.NameTH + " " + dim
				publishTable(a, what, flowerRegion(p.ID), db.FlowerChildren)
				publishTable(a, what, stageRegion(p.ID, d), db.Stages)
				if !db.Stages.Withheld && slices.Contains(counted, d) {
					shown++
					for i := range db.Stages.Cells {
						for _, c := range db.Stages.Cells[i] {
							if c.Mark == suppress.Small {
								shownSmalls++
							}
						}
					}
				}
				var below attack.Region
				for i, ch := range db.Children {
					if _, ok := under[ch.ID]; !ok {
						requireEmptyRow(t, what, db.Places, i)
						below = append(below, make([][]int, len(lvls)))
						continue
					}
					below = append(below, flowerRegion(ch.ID)[d])
				}
				publishTable(a, what+" by place", below, db.Places)
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
	// So that the test is known to meet stage tables with small counts
	// published (not only withheld ones).
	if shownSmalls < 20 {
		t.Fatalf("only %d small cells in %d published stage tables (%d small figures in all): the test met too few cases", shownSmalls, shown, smalls)
	}
	t.Logf("%d small figures, %d stage tables published with %d small cells, none recovered", smalls, shown, shownSmalls)
}
