// Package attack is the reader the suppression tests play: someone who
// sets every published view side by side, knows the rule (a "< 5" is 1 to
// 4, a "—" is 0 or at least 5, a withheld table says nothing) and every
// sum that links the figures, and searches for counts that agree with all
// of it. A small figure is recovered when every agreeing set of counts
// gives it the same value. Tests of internal/suppress and of the store's
// dashboards use it; it is not part of the platform.
package attack

import "termtem/internal/suppress"

// Figure is one published number: the sum of some leaf counts (the finest
// counts, which no view shows summed any finer), and how it is marked.
type Figure struct {
	Leaves []int
	Mark   suppress.Mark
	Value  int64 // when shown
	What   string
}

// Attacker collects figures over leaves whose counts are at most Bound.
type Attacker struct {
	Bound  int64
	figs   []Figure
	leaves int
}

// NewLeaves makes n new leaves and returns their indexes.
func (a *Attacker) NewLeaves(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = a.leaves
		a.leaves++
	}
	return out
}

// Publish adds a figure: the sum of leaves, marked m, with value v when
// shown. A figure with no leaves says nothing and is dropped.
func (a *Attacker) Publish(what string, leaves []int, m suppress.Mark, v int64) {
	if len(leaves) == 0 {
		return
	}
	a.figs = append(a.figs, Figure{Leaves: leaves, Mark: m, Value: v, What: what})
}

// Figures are the figures published so far.
func (a *Attacker) Figures() []Figure { return a.figs }

// Small counts the figures published as "< 5".
func (a *Attacker) Small() int {
	n := 0
	for _, f := range a.figs {
		if f.Mark == suppress.Small {
			n++
		}
	}
	return n
}

func fits(f Figure, v int64) bool {
	switch f.Mark {
	case suppress.Shown:
		return v == f.Value
	case suppress.Small:
		return v >= 1 && v < suppress.Threshold
	}
	return v == 0 || v >= suppress.Threshold
}

// reachable reports whether a figure's rule allows some value in lo..hi.
func reachable(f Figure, lo, hi int64) bool {
	switch f.Mark {
	case suppress.Shown:
		return lo <= f.Value && f.Value <= hi
	case suppress.Small:
		return lo <= suppress.Threshold-1 && hi >= 1
	}
	return lo == 0 || hi >= suppress.Threshold
}

// search holds one search for leaf counts.
type search struct {
	a        *Attacker
	touching [][]int // the figures each leaf is in
	dom      [][]int64
	vals     []int64
}

func (a *Attacker) newSearch() *search {
	s := &search{a: a, touching: make([][]int, a.leaves), dom: make([][]int64, a.leaves), vals: make([]int64, a.leaves)}
	for i, f := range a.figs {
		for _, l := range f.Leaves {
			s.touching[l] = append(s.touching[l], i)
		}
	}
	for l := range s.dom {
		for v := int64(0); v <= a.Bound; v++ {
			s.dom[l] = append(s.dom[l], v)
		}
	}
	// A leaf's own figure (when published) narrows what it can be.
	for _, f := range a.figs {
		if len(f.Leaves) != 1 {
			continue
		}
		l := f.Leaves[0]
		var keep []int64
		for _, v := range s.dom[l] {
			if fits(f, v) {
				keep = append(keep, v)
			}
		}
		s.dom[l] = keep
	}
	s.narrow()
	return s
}

// narrow drops from each leaf's domain the values no figure with a known
// range allows given the other leaves' ranges (a shown figure is its value,
// a "< 5" is 1 to 4), until nothing changes. It only speeds the search:
// every value it drops fits no agreeing set of counts.
func (s *search) narrow() {
	for changed := true; changed; {
		changed = false
		for _, f := range s.a.figs {
			var lo, hi int64
			switch f.Mark {
			case suppress.Shown:
				lo, hi = f.Value, f.Value
			case suppress.Small:
				lo, hi = 1, suppress.Threshold-1
			default:
				continue
			}
			var sumLo, sumHi int64
			for _, l := range f.Leaves {
				if len(s.dom[l]) == 0 {
					return
				}
				sumLo, sumHi = sumLo+s.dom[l][0], sumHi+s.dom[l][len(s.dom[l])-1]
			}
			for _, l := range f.Leaves {
				min, max := s.dom[l][0], s.dom[l][len(s.dom[l])-1]
				// What the other leaves can add, and so what this one must.
				need, room := lo-(sumHi-max), hi-(sumLo-min)
				var keep []int64
				for _, v := range s.dom[l] {
					if v >= need && v <= room {
						keep = append(keep, v)
					}
				}
				if len(keep) < len(s.dom[l]) {
					s.dom[l], changed = keep, true
					if len(keep) == 0 {
						return
					}
					sumLo, sumHi = sumLo-min+keep[0], sumHi-max+keep[len(keep)-1]
				}
			}
		}
	}
}

// find searches for leaf counts agreeing with every figure and with done
// (called on the complete counts).
func (s *search) find(k int, done func([]int64) bool) bool {
	if k == len(s.vals) {
		return done(s.vals)
	}
	for _, v := range s.dom[k] {
		s.vals[k] = v
		ok := true
		// Every figure this leaf is in must still be reachable by the
		// leaves not yet set.
		for _, fi := range s.touching[k] {
			var lo, hi int64
			for _, l := range s.a.figs[fi].Leaves {
				if l <= k {
					lo, hi = lo+s.vals[l], hi+s.vals[l]
				} else if len(s.dom[l]) > 0 {
					lo, hi = lo+s.dom[l][0], hi+s.dom[l][len(s.dom[l])-1]
				}
			}
			if !reachable(s.a.figs[fi], lo, hi) {
				ok = false
				break
			}
		}
		if ok && s.find(k+1, done) {
			return true
		}
	}
	return false
}

func sum(f Figure, vals []int64) int64 {
	var v int64
	for _, l := range f.Leaves {
		v += vals[l]
	}
	return v
}

// Recovered lists the small figures whose value every agreeing set of leaf
// counts gives (truth, when not nil, is the true counts: one agreeing set
// to start from). It returns false when no counts agree with what is
// published at all: the marks contradict the shown figures.
func (a *Attacker) Recovered(truth []int64) ([]Figure, bool) {
	s := a.newSearch()
	if truth == nil {
		if !s.find(0, func([]int64) bool { return true }) {
			return nil, false
		}
		truth = append([]int64(nil), s.vals...)
	}
	var out []Figure
	for _, f := range a.figs {
		if f.Mark != suppress.Small {
			continue
		}
		v0 := sum(f, truth)
		if !s.find(0, func(vals []int64) bool { return sum(f, vals) != v0 }) {
			f.Value = v0
			out = append(out, f)
		}
	}
	return out, true
}

// Region is a table of leaf sets (rows × columns): the leaves each cell of
// a place's table sums.
type Region [][][]int

// NewRegion makes a table of rows × cols new leaves.
func (a *Attacker) NewRegion(rows, cols int) Region {
	r := make(Region, rows)
	for i := range r {
		r[i] = make([][]int, cols)
		for j := range r[i] {
			r[i][j] = a.NewLeaves(1)
		}
	}
	return r
}

// Row is the leaves of row i; Col those of column j; All every leaf.
func (r Region) Row(i int) []int {
	var out []int
	for _, ls := range r[i] {
		out = append(out, ls...)
	}
	return out
}

func (r Region) Col(j int) []int {
	var out []int
	for i := range r {
		out = append(out, r[i][j]...)
	}
	return out
}

func (r Region) All() []int {
	var out []int
	for i := range r {
		out = append(out, r.Row(i)...)
	}
	return out
}

// Sum is the region of a place whose table is the sum of regs' tables.
func Sum(regs ...Region) Region {
	out := make(Region, len(regs[0]))
	for i := range out {
		out[i] = make([][]int, len(regs[0][i]))
		for _, r := range regs {
			for j := range r[i] {
				out[i][j] = append(out[i][j], r[i][j]...)
			}
		}
	}
	return out
}

// Cell is one published figure of a table: its mark and, when shown, its
// value.
type Cell struct {
	Mark  suppress.Mark
	Value int64
}

// PublishTable adds a place's table as published: cells[i][j], rowTotals,
// colTotals and grand are its figures over region r. A withheld table adds
// only the totals known from elsewhere (marked shown in it).
func (a *Attacker) PublishTable(what string, r Region, cells [][]Cell, rowTotals, colTotals []Cell, grand Cell, withheld bool) {
	for i := range r {
		for j := range r[i] {
			if !withheld {
				a.Publish(what+" cell", r[i][j], cells[i][j].Mark, cells[i][j].Value)
			}
		}
		if !withheld || rowTotals[i].Mark == suppress.Shown {
			a.Publish(what+" row total", r.Row(i), rowTotals[i].Mark, rowTotals[i].Value)
		}
	}
	if len(r) == 0 {
		return
	}
	for j := range r[0] {
		if !withheld || colTotals[j].Mark == suppress.Shown {
			a.Publish(what+" column total", r.Col(j), colTotals[j].Mark, colTotals[j].Value)
		}
	}
	if !withheld {
		a.Publish(what+" total", r.All(), grand.Mark, grand.Value)
	}
}
