package suppress_test

import (
	"math/rand/v2"
	"testing"

	"termtem/internal/suppress"
)

// attacker knows everything published and the rule: a "< 5" is 1 to 4, a
// "—" is 0 or at least 5, all totals hold. For one small cell it tries
// every value from 1 to 4 and searches for a whole table that agrees with
// what is published: a cell is recovered when exactly one value fits.
type attacker struct {
	r, c   int
	shown  [][]int64 // (r+1)×(c+1) with margins; -1 when not shown
	marks  [][]suppress.Mark
	bound  int64 // no cell exceeds it (the reader may guess it from the size of the area)
	values [][]int64
}

func newAttacker(counts [][]int64, t suppress.Table, bound int64) *attacker {
	r, c := len(counts), len(counts[0])
	a := &attacker{r: r, c: c, bound: bound}
	full := make([][]int64, r+1)
	for i := range full {
		full[i] = make([]int64, c+1)
	}
	for i := range counts {
		for j, n := range counts[i] {
			full[i][j] += n
			full[i][c] += n
			full[r][j] += n
			full[r][c] += n
		}
	}
	a.shown = make([][]int64, r+1)
	a.marks = make([][]suppress.Mark, r+1)
	for i := 0; i <= r; i++ {
		a.shown[i] = make([]int64, c+1)
		a.marks[i] = make([]suppress.Mark, c+1)
		for j := 0; j <= c; j++ {
			var m suppress.Mark
			switch {
			case i < r && j < c:
				m = t.Cells[i][j]
			case i < r:
				m = t.RowTotal[i]
			case j < c:
				m = t.ColTotal[j]
			default:
				m = t.Grand
			}
			a.marks[i][j] = m
			a.shown[i][j] = -1
			if m == suppress.Shown {
				a.shown[i][j] = full[i][j]
			}
		}
	}
	return a
}

func (a *attacker) domain(i, j int) []int64 {
	switch a.marks[i][j] {
	case suppress.Shown:
		return []int64{a.shown[i][j]}
	case suppress.Small:
		return []int64{1, 2, 3, 4}
	}
	out := []int64{0}
	for v := int64(suppress.Threshold); v <= a.bound; v++ {
		out = append(out, v)
	}
	return out
}

// feasible searches for an inner table with cell (x, y) = v that agrees
// with everything published.
func (a *attacker) feasible(x, y int, v int64) bool {
	a.values = make([][]int64, a.r)
	for i := range a.values {
		a.values[i] = make([]int64, a.c)
	}
	return a.fill(0, x, y, v)
}

func (a *attacker) fill(k, x, y int, v int64) bool {
	if k == a.r*a.c {
		return a.marginsHold()
	}
	i, j := k/a.c, k%a.c
	dom := a.domain(i, j)
	if i == x && j == y {
		dom = []int64{v}
	}
	for _, n := range dom {
		a.values[i][j] = n
		if a.partialOK(i, j) && a.fill(k+1, x, y, v) {
			return true
		}
	}
	return false
}

// partialOK prunes: a finished row or column must match its total's domain.
func (a *attacker) partialOK(i, j int) bool {
	if j == a.c-1 && !a.totalFits(i, a.c, a.rowSum(i)) {
		return false
	}
	if i == a.r-1 && !a.totalFits(a.r, j, a.colSum(j)) {
		return false
	}
	return true
}

func (a *attacker) rowSum(i int) (s int64) {
	for j := 0; j < a.c; j++ {
		s += a.values[i][j]
	}
	return s
}

func (a *attacker) colSum(j int) (s int64) {
	for i := 0; i < a.r; i++ {
		s += a.values[i][j]
	}
	return s
}

func (a *attacker) totalFits(i, j int, s int64) bool {
	switch a.marks[i][j] {
	case suppress.Shown:
		return a.shown[i][j] == s
	case suppress.Small:
		return s >= 1 && s <= 4
	}
	return s == 0 || s >= suppress.Threshold
}

func (a *attacker) marginsHold() bool {
	var g int64
	for i := 0; i < a.r; i++ {
		g += a.rowSum(i)
	}
	return a.totalFits(a.r, a.c, g)
}

// recover returns the values of a small cell (inner or total) that fit.
func (a *attacker) recover(x, y int) []int64 {
	var fits []int64
	for v := int64(1); v <= 4; v++ {
		var ok bool
		switch {
		case x < a.r && y < a.c:
			ok = a.feasible(x, y, v)
		default:
			ok = a.feasibleTotal(x, y, v)
		}
		if ok {
			fits = append(fits, v)
		}
	}
	return fits
}

// feasibleTotal searches for a table whose total at (x, y) is v.
func (a *attacker) feasibleTotal(x, y int, v int64) bool {
	saved := a.marks[x][y]
	savedV := a.shown[x][y]
	a.marks[x][y], a.shown[x][y] = suppress.Shown, v
	defer func() { a.marks[x][y], a.shown[x][y] = saved, savedV }()
	a.values = make([][]int64, a.r)
	for i := range a.values {
		a.values[i] = make([]int64, a.c)
	}
	return a.fill(0, -1, -1, 0)
}

// fixed: a total the reader knows from elsewhere (published as it is).
func fixed(opt suppress.Options, a *attacker, i, j int) bool {
	return (opt.FixedRowTotals && j == a.c) || (opt.FixedColTotals && i == a.r)
}

func randomTable(rng *rand.Rand) [][]int64 {
	r, c := 1+rng.IntN(3), 1+rng.IntN(3)
	t := make([][]int64, r)
	for i := range t {
		t[i] = make([]int64, c)
		for j := range t[i] {
			switch rng.IntN(4) {
			case 0:
				t[i][j] = 0
			case 1:
				t[i][j] = 1 + rng.Int64N(4)
			default:
				t[i][j] = rng.Int64N(9)
			}
		}
	}
	return t
}

// TestNoSmallCellCanBeRecovered is the property: over thousands of random
// small tables, an attacker who knows the rule and searches every table
// that agrees with what is published never pins down a count of 1 to 4,
// and nothing from 1 to 4 is ever shown.
func TestNoSmallCellCanBeRecovered(t *testing.T) {
	rng := rand.New(rand.NewPCG(20261123, 5))
	withheld, protectedCells := 0, 0
	for n := range 3000 {
		counts := randomTable(rng)
		opt := suppress.Options{FixedRowTotals: rng.IntN(3) == 0, FixedColTotals: rng.IntN(3) == 0}
		pub := suppress.ProtectWith(counts, opt)
		var max int64
		for _, row := range counts {
			for _, v := range row {
				max += v
			}
		}
		a := newAttacker(counts, pub, max)
		if pub.Withheld {
			withheld++
			for i := 0; i <= a.r; i++ {
				for j := 0; j <= a.c; j++ {
					if a.marks[i][j] != suppress.Hidden && !fixed(opt, a, i, j) {
						t.Fatalf("table %d %v withheld yet shows (%d,%d): %+v", n, counts, i, j, pub)
					}
				}
			}
			continue
		}
		for i := 0; i <= a.r; i++ {
			for j := 0; j <= a.c; j++ {
				m := a.marks[i][j]
				if m == suppress.Shown && a.shown[i][j] >= 1 && a.shown[i][j] < suppress.Threshold && !fixed(opt, a, i, j) {
					t.Fatalf("table %d %v: a count of %d shown at (%d,%d)", n, counts, a.shown[i][j], i, j)
				}
				if m != suppress.Small {
					continue
				}
				protectedCells++
				if fits := a.recover(i, j); len(fits) < 2 {
					t.Fatalf("table %d %v published as %+v: cell (%d,%d) recovered as %v", n, counts, pub, i, j, fits)
				}
			}
		}
	}
	if protectedCells < 1000 {
		t.Fatalf("only %d small cells were tried", protectedCells)
	}
	t.Logf("%d small cells protected, %d tables withheld", protectedCells, withheld)
}

// TestPublishesWhatIsSafe: a table with no small count is published
// whole, and a protected table does not hide more than it must.
func TestPublishesWhatIsSafe(t *testing.T) {
	pub := suppress.Protect([][]int64{{10, 20}, {30, 0}})
	for _, row := range pub.Cells {
		for _, m := range row {
			if m != suppress.Shown {
				t.Fatalf("a safe table was suppressed: %+v", pub)
			}
		}
	}
	// One small cell among big ones: the small cell and the three corners
	// of one rectangle are hidden; the totals stay.
	pub = suppress.Protect([][]int64{{3, 20, 40}, {30, 50, 60}, {70, 80, 90}})
	hidden := 0
	for _, row := range pub.Cells {
		for _, m := range row {
			if m != suppress.Shown {
				hidden++
			}
		}
	}
	if pub.Cells[0][0] != suppress.Small || hidden != 4 || pub.Grand != suppress.Shown || pub.Withheld {
		t.Fatalf("one small cell: %+v (%d hidden)", pub, hidden)
	}
	// A single row whose only count is small: its totals are small too,
	// and shifting all of them together keeps the secret.
	pub = suppress.Protect([][]int64{{3, 0, 0}})
	if pub.Withheld || pub.Cells[0][0] != suppress.Small || pub.Grand != suppress.Small || pub.Cells[0][1] != suppress.Shown {
		t.Fatalf("a lone small count: %+v", pub)
	}
	// A small count beside a big one in a single row: the big one (or the
	// row total) and a column total go too, else subtraction gives it away.
	pub = suppress.Protect([][]int64{{3, 10}})
	if pub.Withheld || pub.Cells[0][0] != suppress.Small || (pub.RowTotal[0] == suppress.Shown && pub.Cells[0][1] == suppress.Shown) {
		t.Fatalf("small beside big: %+v", pub)
	}
	if got := suppress.Label(suppress.Small, 3, nil); got != "< 5" {
		t.Fatalf("label %q", got)
	}
}

// BenchmarkProtectBreakdown protects a breakdown the size of the city's
// referrals by receiving organisation over a year (200 organisations × 6
// statuses, a fifth of the cells 1 to 4, the column totals known): the
// largest table a dashboard protects alone.
func BenchmarkProtectBreakdown(b *testing.B) {
	rng := rand.New(rand.NewPCG(16, 1))
	counts := make([][]int64, 200)
	for i := range counts {
		counts[i] = make([]int64, 6)
		for j := range counts[i] {
			if rng.IntN(5) == 0 {
				counts[i][j] = 1 + rng.Int64N(4)
			} else {
				counts[i][j] = 5 + rng.Int64N(60)
			}
		}
	}
	for b.Loop() {
		suppress.ProtectWith(counts, suppress.Options{FixedColTotals: true})
	}
}
