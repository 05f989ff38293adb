// Package suppress hides small counts in the tables committees and
// executives see, so that no child can be singled out from them.
//
// A table is a grid of counts with its row totals, column totals and grand
// total, all published. Primary suppression hides every count from 1 to 4,
// totals included ("< 5"). Complementary suppression then hides enough other
// cells ("—") that no small count can be worked out by subtracting the
// published cells from the totals: for every small cell there must be a
// second table, different in that cell, that agrees with everything
// published. The reader knows the rule — a "< 5" is 1 to 4, a "—" is 0 or
// at least 5 — and still cannot tell which of the two tables is the true one.
//
// The second table is found as a shift of ±1 along a pattern that keeps
// every total: the product of a row pattern (one row, or one row up and
// another down) and a column pattern (likewise). Every cell the shift moves
// must be hidden and stay within what the reader knows of it. When no
// pattern protects a small cell, the whole table is withheld.
//
// It knows nothing of HTTP, SQL or of what is counted.
package suppress

// Threshold: counts from 1 to Threshold-1 are hidden.
const Threshold = 5

// Mark says how a cell is published.
type Mark uint8

const (
	Shown  Mark = iota // the count itself
	Small              // 1 to 4: shown as "< 5"
	Hidden             // hidden so that a small count cannot be recovered: shown as "—"
)

// Table is what Protect publishes: the marks of the cells, of the row and
// column totals and of the grand total. Withheld: the table is too small
// to publish at all; every mark is then Hidden.
type Table struct {
	Cells    [][]Mark
	RowTotal []Mark
	ColTotal []Mark
	Grand    Mark
	Withheld bool
	// shifts are the patterns the protection relies on (for ProtectLinked).
	shifts []Shift
}

// grid is the counts with their margins: row R holds the column totals,
// column C the row totals, (R, C) the grand total.
type grid struct {
	r, c int
	v    [][]int64
	mark [][]Mark
	opt  Options
	// used are the shifts that protect the small cells.
	used []Shift
}

// Options say which totals the reader already knows from elsewhere, so
// that they can neither be hidden nor help hide: in the flower table every
// dimension's total is the number of children; a breakdown of a published
// row (by place, by life stage) has that row as its column totals.
type Options struct {
	FixedRowTotals bool
	FixedColTotals bool
}

// Protect decides what of counts (rows × columns, all rows the same
// length, no negatives) may be published.
func Protect(counts [][]int64) Table { return ProtectWith(counts, Options{}) }

// ProtectWith is Protect with totals the reader knows. A known total is
// published as it is; the caller makes sure it is safe to (no count of 1
// to 4 in it, or the table withheld).
func ProtectWith(counts [][]int64, opt Options) Table {
	g := newGrid(counts)
	g.opt = opt
	var small [][2]int
	for i := 0; i <= g.r; i++ {
		for j := 0; j <= g.c; j++ {
			if g.fixed(i, j) {
				continue
			}
			if v := g.v[i][j]; v > 0 && v < Threshold {
				g.mark[i][j] = Small
				small = append(small, [2]int{i, j})
			}
		}
	}
	for _, x := range small {
		if g.protected(x[0], x[1]) {
			continue
		}
		if !g.complete(x[0], x[1]) {
			g.withhold()
			break
		}
	}
	return g.table()
}

// fixed reports whether a cell is a total the reader knows.
func (g *grid) fixed(i, j int) bool {
	return (g.opt.FixedRowTotals && j == g.c) || (g.opt.FixedColTotals && i == g.r)
}

func newGrid(counts [][]int64) *grid {
	g := &grid{r: len(counts)}
	if g.r > 0 {
		g.c = len(counts[0])
	}
	g.v = make([][]int64, g.r+1)
	g.mark = make([][]Mark, g.r+1)
	for i := range g.v {
		g.v[i] = make([]int64, g.c+1)
		g.mark[i] = make([]Mark, g.c+1)
	}
	for i, row := range counts {
		for j, n := range row {
			g.v[i][j] = n
			g.v[i][g.c] += n
			g.v[g.r][j] += n
			g.v[g.r][g.c] += n
		}
	}
	return g
}

// pattern is a row or column pattern: +1 at plus, -1 at minus (or none).
type pattern struct{ plus, minus int }

func (p pattern) at(i int) int64 {
	switch i {
	case p.plus:
		return 1
	case p.minus:
		return -1
	}
	return 0
}

func (p pattern) sum() int64 {
	if p.minus >= 0 {
		return 0
	}
	return 1
}

// patterns lists the patterns over n lines that move line k: k alone, or
// k against each other line. For the margin line (k == n) every single
// line moves it.
func patterns(n, k int) []pattern {
	var out []pattern
	if k == n {
		for i := 0; i < n; i++ {
			out = append(out, pattern{i, -1})
		}
		return out
	}
	out = append(out, pattern{k, -1})
	for i := 0; i < n; i++ {
		if i != k {
			out = append(out, pattern{k, i})
		}
	}
	return out
}

// shift is the change a row and a column pattern make to cell (i, j).
func (g *grid) shift(a, b pattern, i, j int) int64 {
	var x, y int64
	if i == g.r {
		x = a.sum()
	} else {
		x = a.at(i)
	}
	if j == g.c {
		y = b.sum()
	} else {
		y = b.at(j)
	}
	return x * y
}

// support lists the cells a pattern pair moves: two rows (a's, or a's
// and the column totals' row) by two columns, likewise.
func (g *grid) support(a, b pattern) [4][2]int {
	r2, c2 := g.r, g.c
	if a.minus >= 0 {
		r2 = a.minus
	}
	if b.minus >= 0 {
		c2 = b.minus
	}
	return [4][2]int{{a.plus, b.plus}, {a.plus, c2}, {r2, b.plus}, {r2, c2}}
}

// allowed reports whether a cell may hold v as far as the reader knows,
// given how it is (or would be) marked.
func allowed(m Mark, v int64) bool {
	switch m {
	case Small:
		return v >= 1 && v < Threshold
	case Hidden:
		return v == 0 || v >= Threshold
	}
	return false
}

// markIfHidden is how a cell would be marked once hidden.
func (g *grid) markIfHidden(i, j int) Mark {
	if m := g.mark[i][j]; m != Shown {
		return m
	}
	return Hidden
}

// candidates calls fn with every pattern pair and sign that moves (i, j).
func (g *grid) candidates(i, j int, fn func(a, b pattern, d int64) bool) {
	cols := patterns(g.c, j)
	for _, a := range patterns(g.r, i) {
		// A known column total must not move: rows shift against rows.
		if g.opt.FixedColTotals && a.minus < 0 {
			continue
		}
		for _, b := range cols {
			if (g.opt.FixedRowTotals && b.minus < 0) || g.shift(a, b, i, j) == 0 {
				continue
			}
			for _, d := range []int64{1, -1} {
				if !fn(a, b, d) {
					return
				}
			}
		}
	}
}

// works reports whether shifting by d·(a×b) keeps every moved cell within
// what the reader knows, counting cells not yet hidden as hidden; it
// returns the cells it would newly hide and their total.
func (g *grid) works(a, b pattern, d int64) (ok bool, fresh int, cost int64) {
	for _, x := range g.support(a, b) {
		s := d * g.shift(a, b, x[0], x[1])
		if s == 0 {
			continue
		}
		if !allowed(g.markIfHidden(x[0], x[1]), g.v[x[0]][x[1]]+s) {
			return false, 0, 0
		}
		if g.mark[x[0]][x[1]] == Shown {
			fresh++
			cost += g.v[x[0]][x[1]]
		}
	}
	return true, fresh, cost
}

// hidden reports whether every cell a pattern pair moves is hidden (or
// small) already.
func (g *grid) hidden(a, b pattern) bool {
	for _, x := range g.support(a, b) {
		if g.mark[x[0]][x[1]] == Shown && g.shift(a, b, x[0], x[1]) != 0 {
			return false
		}
	}
	return true
}

// protected finds a shift that protects (i, j) hiding nothing more (the
// first in the order of candidates).
func (g *grid) protected(i, j int) bool {
	found := false
	g.candidates(i, j, func(a, b pattern, d int64) bool {
		// hidden first: it is works' fresh == 0, and cheaper.
		if !g.hidden(a, b) {
			return true
		}
		if ok, _, _ := g.works(a, b, d); ok {
			found = true
			g.used = append(g.used, Shift{a.plus, a.minus, b.plus, b.minus, d})
			return false
		}
		return true
	})
	return found
}

// complete hides the fewest, smallest cells that protect (i, j).
func (g *grid) complete(i, j int) bool {
	best := struct {
		a, b  pattern
		d     int64
		fresh int
		cost  int64
		ok    bool
	}{}
	g.candidates(i, j, func(a, b pattern, d int64) bool {
		ok, fresh, cost := g.works(a, b, d)
		if ok && (!best.ok || fresh < best.fresh || (fresh == best.fresh && cost < best.cost)) {
			best.a, best.b, best.d, best.fresh, best.cost, best.ok = a, b, d, fresh, cost, true
		}
		return true
	})
	if !best.ok {
		return false
	}
	g.used = append(g.used, Shift{best.a.plus, best.a.minus, best.b.plus, best.b.minus, best.d})
	for _, x := range g.support(best.a, best.b) {
		if g.shift(best.a, best.b, x[0], x[1]) != 0 && g.mark[x[0]][x[1]] == Shown {
			g.mark[x[0]][x[1]] = Hidden
		}
	}
	return true
}

// withhold hides every cell, small ones too: even "< 5" says "at least
// one", and enough of those beside a small total pin each other down.
// Known totals stay as they are: they are published elsewhere.
func (g *grid) withhold() {
	for i := range g.mark {
		for j := range g.mark[i] {
			if !g.fixed(i, j) {
				g.mark[i][j] = Hidden
			}
		}
	}
	g.v = nil
}

func (g *grid) table() Table {
	t := Table{Cells: make([][]Mark, g.r), RowTotal: make([]Mark, g.r), ColTotal: make([]Mark, g.c), Grand: g.mark[g.r][g.c], Withheld: g.v == nil,
		shifts: g.used}
	for i := 0; i < g.r; i++ {
		t.Cells[i] = append([]Mark(nil), g.mark[i][:g.c]...)
		t.RowTotal[i] = g.mark[i][g.c]
	}
	copy(t.ColTotal, g.mark[g.r][:g.c])
	return t
}

// Label is a count as published: the number, "< 5", or "—".
func Label(m Mark, n int64, format func(int64) string) string {
	switch m {
	case Small:
		return "< 5"
	case Hidden:
		return "—"
	}
	return format(n)
}
