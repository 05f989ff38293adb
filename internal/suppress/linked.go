package suppress

// Linked tables: a place's table and the same table of each place one
// level below it (a district and its sub-districts) are published in
// different views, but the reader can set them side by side: every cell
// of the place is the sum of the same cell of the places below. Protecting
// each table alone is then not enough — a "< 5" in a sub-district could be
// the district's count minus the other sub-districts'.
//
// ProtectLinked protects such a family as one three-way table: places ×
// rows × columns, the place above being the margin of the places axis.
// The second table that hides a small cell is now a shift along a product
// of three patterns (a place, or a place against another; a row, or a row
// against another; likewise a column), which keeps every total of every
// table and every sum across places. The place's own table, the tables of
// the places below, and any breakdown of the place by the places below
// (a slice of the cube) take their marks from the same cube, so they agree.
//
// Families chain down the tree of places: the place's marks come from its
// own family above (Given), and every shift that family relies on in this
// place's table must be absorbed by one place below (moved there in the
// same way), or the places below could be added up to undo it. The shifts
// this family relies on in each place below are returned, for that
// place's own family.

// Shift is a ±1 change of a table along a pattern that keeps its totals:
// +Sign at (RowPlus, ColPlus), and the opposite at RowMinus or ColMinus
// (each -1 for "the total").
type Shift struct {
	RowPlus, RowMinus, ColPlus, ColMinus int
	Sign                                 int64
}

// Given is what the family above decided for the place at the top of
// this one: its marks, and the shifts of its table to absorb.
type Given struct {
	Marks  Table
	Shifts []Shift
}

// Linked is the protection of a family.
type Linked struct {
	Parent   Table
	Children []Table
	// Shifts are, for each place below, the shifts of its table this
	// family relies on (for that place's own family to absorb).
	Shifts [][]Shift
	// Withheld: the places below cannot be published at all (only the
	// place's own table, as given or protected alone).
	Withheld bool
}

// cube is places (k children, then the margin at index k) × (r+1) × (c+1).
type cube struct {
	k, r, c int
	v       [][][]int64
	mark    [][][]Mark
	frozen  [][][]bool // a total the reader knows, or a given mark: never hidden by this family
	free    bool       // the margin's marks are this family's to decide
	opt     Options
	shifts  [][]Shift
	applied []move // the second tables relied on so far
}

// ProtectLinked protects a place's table (the sum of children, each
// rows × columns) with the tables of the places below. given is nil for
// the top of the tree (the city), whose marks this family decides.
func ProtectLinked(children [][][]int64, rows, cols int, opt Options, given *Given) Linked {
	k := len(children)
	q := &cube{k: k, r: rows, c: cols, opt: opt, free: given == nil, shifts: make([][]Shift, k)}
	q.v = make([][][]int64, k+1)
	q.mark = make([][][]Mark, k+1)
	q.frozen = make([][][]bool, k+1)
	for s := 0; s <= k; s++ {
		q.v[s] = make([][]int64, rows+1)
		q.mark[s] = make([][]Mark, rows+1)
		q.frozen[s] = make([][]bool, rows+1)
		for i := range q.v[s] {
			q.v[s][i] = make([]int64, cols+1)
			q.mark[s][i] = make([]Mark, cols+1)
			q.frozen[s][i] = make([]bool, cols+1)
		}
	}
	for s, t := range children {
		for i := range t {
			for j, n := range t[i] {
				for _, x := range []int{s, k} {
					q.v[x][i][j] += n
					q.v[x][i][cols] += n
					q.v[x][rows][j] += n
					q.v[x][rows][cols] += n
				}
			}
		}
	}
	for s := 0; s <= k; s++ {
		for i := 0; i <= rows; i++ {
			for j := 0; j <= cols; j++ {
				q.frozen[s][i][j] = (opt.FixedRowTotals && j == cols) || (opt.FixedColTotals && i == rows)
			}
		}
	}
	if given != nil {
		for i := 0; i <= rows; i++ {
			for j := 0; j <= cols; j++ {
				q.mark[k][i][j] = markAt(given.Marks, i, j, rows, cols)
				q.frozen[k][i][j] = true
			}
		}
	} else {
		// The top: its own table is protected alone first, so that its
		// marks do not depend on how it is broken down.
		top := ProtectWith(Sum(children, rows, cols), opt)
		given = &Given{Marks: top}
		for i := 0; i <= rows; i++ {
			for j := 0; j <= cols; j++ {
				q.mark[k][i][j] = markAt(top, i, j, rows, cols)
				q.frozen[k][i][j] = true
			}
		}
		given.Shifts = top.shifts
	}
	out := Linked{Shifts: q.shifts}
	// Nothing below is published under a place whose own table is not:
	// the places below would add up to it.
	ok := k > 0 && !given.Marks.Withheld
	// The small counts of the places below.
	for s := 0; s < k; s++ {
		for i := 0; i <= rows; i++ {
			for j := 0; j <= cols; j++ {
				if n := q.v[s][i][j]; !q.frozen[s][i][j] && n > 0 && n < Threshold {
					q.mark[s][i][j] = Small
				}
			}
		}
	}
	// The shifts the family above relies on: each moved by one place below.
	for _, sh := range given.Shifts {
		if !ok || !q.absorb(sh) {
			ok = false
		}
	}
	if ok {
		for s := 0; s < k && ok; s++ {
			for i := 0; i <= rows && ok; i++ {
				for j := 0; j <= cols && ok; j++ {
					if q.mark[s][i][j] == Small && !q.protect(s, i, j) {
						ok = false
					}
				}
			}
		}
	}
	out.Parent = q.table(k)
	out.Parent.Withheld = given.Marks.Withheld
	if !ok {
		out.Withheld = true
		out.Shifts = make([][]Shift, k)
		for s := 0; s < k; s++ {
			t := q.table(s)
			t.Withheld = true
			for i := range t.Cells {
				for j := range t.Cells[i] {
					t.Cells[i][j] = Hidden
				}
				if !opt.FixedRowTotals {
					t.RowTotal[i] = Hidden
				}
			}
			for j := range t.ColTotal {
				if !opt.FixedColTotals {
					t.ColTotal[j] = Hidden
				}
			}
			t.Grand = Hidden
			out.Children = append(out.Children, t)
		}
		return out
	}
	for s := 0; s < k; s++ {
		out.Children = append(out.Children, q.table(s))
	}
	return out
}

// Sum is the table of the place above: the sum of its children's.
func Sum(children [][][]int64, rows, cols int) [][]int64 {
	out := make([][]int64, rows)
	for i := range out {
		out[i] = make([]int64, cols)
	}
	for _, t := range children {
		for i := range t {
			for j, n := range t[i] {
				out[i][j] += n
			}
		}
	}
	return out
}

func markAt(t Table, i, j, rows, cols int) Mark {
	switch {
	case t.Withheld && !(i == rows || j == cols):
		return Hidden
	case i < rows && j < cols:
		return t.Cells[i][j]
	case i < rows:
		return t.RowTotal[i]
	case j < cols:
		return t.ColTotal[j]
	}
	return t.Grand
}

func (q *cube) table(s int) Table {
	t := Table{Cells: make([][]Mark, q.r), RowTotal: make([]Mark, q.r), ColTotal: make([]Mark, q.c), Grand: q.mark[s][q.r][q.c]}
	for i := 0; i < q.r; i++ {
		t.Cells[i] = append([]Mark(nil), q.mark[s][i][:q.c]...)
		t.RowTotal[i] = q.mark[s][i][q.c]
	}
	copy(t.ColTotal, q.mark[s][q.r][:q.c])
	return t
}

// pos is a cell of the cube.
type pos struct{ s, i, j int }

// move is one cube pattern: places p × rows a × columns b, times d.
type move struct {
	p, a, b pattern
	d       int64
}

func (q *cube) at(m move, x pos) int64 {
	f := func(p pattern, i, n int) int64 {
		if i == n {
			return p.sum()
		}
		return p.at(i)
	}
	return m.d * f(m.p, x.s, q.k) * f(m.a, x.i, q.r) * f(m.b, x.j, q.c)
}

// support is the cells a move touches: two places (or a place and the
// margin) × two rows × two columns. An array, not a slice: it is asked
// for every move tried, and a page tries thousands.
func (q *cube) support(m move) (out [8]pos) {
	line := func(p pattern, n int) [2]int {
		if p.minus >= 0 {
			return [2]int{p.plus, p.minus}
		}
		return [2]int{p.plus, n}
	}
	ss, is, js := line(m.p, q.k), line(m.a, q.r), line(m.b, q.c)
	n := 0
	for _, s := range ss {
		for _, i := range is {
			for _, j := range js {
				out[n] = pos{s, i, j}
				n++
			}
		}
	}
	return out
}

// works reports whether a move keeps every moved cell within what the
// reader knows (counting cells not yet hidden as hidden); frozen cells
// must not move. It returns how many cells it would newly hide, and
// their total.
func (q *cube) works(m move) (ok bool, fresh int, cost int64) {
	for _, x := range q.support(m) {
		d := q.at(m, x)
		if d == 0 {
			continue
		}
		mk := q.mark[x.s][x.i][x.j]
		if q.frozen[x.s][x.i][x.j] && mk == Shown {
			return false, 0, 0
		}
		if mk == Shown {
			mk = Hidden
			fresh++
			cost += q.v[x.s][x.i][x.j]
		}
		if !allowed(mk, q.v[x.s][x.i][x.j]+d) {
			return false, 0, 0
		}
	}
	return true, fresh, cost
}

// apply hides the cells a move needs and records, for each place below it
// moves, the shift of that place's table.
func (q *cube) apply(m move) {
	q.applied = append(q.applied, m)
	for _, x := range q.support(m) {
		if q.at(m, x) != 0 && q.mark[x.s][x.i][x.j] == Shown {
			q.mark[x.s][x.i][x.j] = Hidden
		}
	}
	for _, s := range []int{m.p.plus, m.p.minus} {
		if s >= 0 && s < q.k {
			q.shifts[s] = append(q.shifts[s], Shift{RowPlus: m.a.plus, RowMinus: m.a.minus, ColPlus: m.b.plus, ColMinus: m.b.minus,
				Sign: m.d * m.p.at(s)})
		}
	}
}

// best applies the cheapest working move of those offered, if any.
func (q *cube) best(moves func(yield func(move))) bool {
	var pick move
	found, fresh, cost := false, 0, int64(0)
	moves(func(m move) {
		if ok, f, c := q.works(m); ok && (!found || f < fresh || (f == fresh && c < cost)) {
			pick, found, fresh, cost = m, true, f, c
		}
	})
	if found {
		q.apply(pick)
	}
	return found
}

// absorb moves a shift of the margin's table by one place below.
func (q *cube) absorb(sh Shift) bool {
	a, b := pattern{sh.RowPlus, sh.RowMinus}, pattern{sh.ColPlus, sh.ColMinus}
	return q.best(func(yield func(move)) {
		for s := 0; s < q.k; s++ {
			yield(move{pattern{s, -1}, a, b, sh.Sign})
		}
	})
}

// protect finds a move that hides small cell (s, i, j) of a place below.
// The margin is fixed by the family above (a move of it would have to be
// absorbed there), so places move against each other.
func (q *cube) protect(s, i, j int) bool {
	// A second table already relied on may move this cell too.
	for _, m := range q.applied {
		if ok, fresh, _ := q.works(m); ok && fresh == 0 && q.at(m, pos{s, i, j}) != 0 {
			return true
		}
	}
	return q.best(func(yield func(move)) {
		for t := 0; t < q.k; t++ {
			if t == s {
				continue
			}
			p := pattern{s, t}
			for _, a := range patterns(q.r, i) {
				if q.opt.FixedColTotals && a.minus < 0 {
					continue
				}
				for _, b := range patterns(q.c, j) {
					if q.opt.FixedRowTotals && b.minus < 0 {
						continue
					}
					for _, d := range []int64{1, -1} {
						if m := (move{p, a, b, d}); q.at(m, pos{s, i, j}) != 0 {
							yield(m)
						}
					}
				}
			}
		}
	})
}

// GivenTo is what this family decided for place s below: its marks and
// the shifts of its table its own family must absorb.
func (l Linked) GivenTo(s int) *Given {
	return &Given{Marks: l.Children[s], Shifts: l.Shifts[s]}
}
