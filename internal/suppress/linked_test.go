package suppress_test

import (
	"math/rand/v2"
	"testing"

	"termtem/internal/suppress"
	"termtem/internal/suppress/attack"
)

// publish adds a place's table, protected as t, over region r whose true
// leaf counts are truth.
func publish(a *attack.Attacker, what string, r attack.Region, t suppress.Table, truth []int64) {
	val := func(leaves []int, m suppress.Mark) attack.Cell {
		var v int64
		for _, l := range leaves {
			v += truth[l]
		}
		return attack.Cell{Mark: m, Value: v}
	}
	withheld := t.Withheld
	cells := make([][]attack.Cell, len(r))
	rows := make([]attack.Cell, len(r))
	cols := make([]attack.Cell, len(r[0]))
	for i := range r {
		cells[i] = make([]attack.Cell, len(r[i]))
		for j := range r[i] {
			if !withheld {
				cells[i][j] = val(r[i][j], t.Cells[i][j])
			}
		}
		rows[i] = val(r.Row(i), t.RowTotal[i])
	}
	for j := range cols {
		cols[j] = val(r.Col(j), t.ColTotal[j])
	}
	a.PublishTable(what, r, cells, rows, cols, val(r.All(), t.Grand), withheld)
}

// regions makes a region of leaves for each place's counts.
func regions(a *attack.Attacker, counts [][][]int64) []attack.Region {
	var out []attack.Region
	for _, t := range counts {
		out = append(out, a.NewRegion(len(t), len(t[0])))
	}
	return out
}

func randomCounts(rng *rand.Rand, k, r, c int) [][][]int64 {
	vals := []int64{0, 0, 1, 2, 3, 4, 5, 6, 8}
	out := make([][][]int64, k)
	for s := range out {
		out[s] = make([][]int64, r)
		for i := range out[s] {
			out[s][i] = make([]int64, c)
			for j := range out[s][i] {
				out[s][i][j] = vals[rng.IntN(len(vals))]
			}
		}
	}
	return out
}

// A district and its sub-districts, published in their own views: the
// attacker sets all of them side by side. Protected one by one, a small
// count is recovered by subtraction (checked on a fixed example, so that
// the attacker is known to find such leaks); protected as a family, none
// is, over many random families, with and without known row totals.
func TestLinkedFamilyResistsCrossViewAttack(t *testing.T) {
	// One by one: A = [[1 6] [6 6]] hides its 1 and three complements, but
	// B and the district are shown whole, and A = district − B.
	children := [][][]int64{{{1, 6}, {6, 6}}, {{6, 6}, {6, 6}}}
	alone := &attack.Attacker{Bound: 14}
	regs := regions(alone, children)
	truth := flatten(children)
	publish(alone, "district", attack.Sum(regs...), suppress.Protect(sumOf(children)), truth)
	for s, reg := range regs {
		publish(alone, "sub-district", reg, suppress.Protect(children[s]), truth)
	}
	if got, _ := alone.Recovered(truth); len(got) == 0 {
		t.Fatal("the attacker did not recover A's 1 from tables protected one by one")
	}

	rng := rand.New(rand.NewPCG(8, 27))
	published, smalls := 0, 0
	for trial := range 400 {
		k, r, c := 2+trial%2, 2, 2
		opt := suppress.Options{FixedRowTotals: trial%4 == 1}
		counts := randomCounts(rng, k, r, c)
		fam := suppress.ProtectLinked(counts, r, c, opt, nil)
		a := &attack.Attacker{Bound: 9}
		regs := regions(a, counts)
		truth := flatten(counts)
		publish(a, "district", attack.Sum(regs...), fam.Parent, truth)
		for s, reg := range regs {
			publish(a, "sub-district", reg, fam.Children[s], truth)
		}
		if fam.Withheld {
			continue // only the district's own table is published: Protect's tests cover it
		}
		published++
		smalls += a.Small()
		got, _ := a.Recovered(truth)
		for _, f := range got {
			t.Fatalf("trial %d: %s (%d) recovered from %v (fixed rows %v)", trial, f.What, f.Value, counts, opt.FixedRowTotals)
		}
	}
	// So that the search above met real cases: families published with
	// "< 5" in them.
	if published < 40 || smalls < 100 {
		t.Fatalf("only %d families published, %d small figures: the test met too few cases", published, smalls)
	}
	t.Logf("%d of 400 families published, %d small figures, none recovered", published, smalls)
}

// Three levels: a district, its sub-districts, and the communities of one
// sub-district, each family protected in turn with what the family above
// decided (its marks and the shifts it relies on). The attacker sees all
// three levels at once.
func TestLinkedChainResistsCrossViewAttack(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 27))
	published, smalls := 0, 0
	for trial := range 300 {
		r, c := 2, 2
		grand := randomCounts(rng, 2, r, c) // the communities of sub-district 0
		other := randomCounts(rng, 1, r, c) // sub-district 1
		sub0 := sumOf(grand)
		top := suppress.ProtectLinked([][][]int64{sub0, other[0]}, r, c, suppress.Options{}, nil)
		low := suppress.ProtectLinked(grand, r, c, suppress.Options{}, top.GivenTo(0))
		a := &attack.Attacker{Bound: 9}
		gRegs := regions(a, grand)
		oRegs := regions(a, other)
		truth := append(flatten(grand), flatten(other)...)
		sub0Reg := attack.Sum(gRegs...)
		publish(a, "district", attack.Sum(sub0Reg, oRegs[0]), top.Parent, truth)
		publish(a, "sub-district 0", sub0Reg, low.Parent, truth)
		publish(a, "sub-district 0 (in the district's view)", sub0Reg, top.Children[0], truth)
		publish(a, "sub-district 1", oRegs[0], top.Children[1], truth)
		for g, reg := range gRegs {
			publish(a, "community", reg, low.Children[g], truth)
		}
		if low.Withheld {
			continue // the communities are not published: the family test covers the rest
		}
		published++
		smalls += a.Small()
		got, _ := a.Recovered(truth)
		for _, f := range got {
			t.Fatalf("trial %d: %s (%d) recovered from communities %v and sub-district %v", trial, f.What, f.Value, grand, other)
		}
	}
	if published < 30 || smalls < 60 {
		t.Fatalf("only %d chains published to the communities, %d small figures: the test met too few cases", published, smalls)
	}
	t.Logf("%d of 300 chains published, %d small figures, none recovered", published, smalls)
}

func flatten(counts [][][]int64) []int64 {
	var out []int64
	for _, t := range counts {
		for _, row := range t {
			out = append(out, row...)
		}
	}
	return out
}

func sumOf(counts [][][]int64) [][]int64 {
	out := make([][]int64, len(counts[0]))
	for i := range out {
		out[i] = make([]int64, len(counts[0][i]))
		for _, t := range counts {
			for j, n := range t[i] {
				out[i][j] += n
			}
		}
	}
	return out
}
