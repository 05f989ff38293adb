package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"slices"
	"time"

	"termtem/internal/places"
	"termtem/internal/suppress"
)

// Every table a committee sees is linked by sums to the same table of the
// places above and below (a district's count is the sum of its
// sub-districts'), and every view of every place can be set side by side.
// So each table is protected as a chain of families (suppress.ProtectLinked):
// starting at the city, each place's family (the place and the places one
// level below) is protected with what the family above decided for it,
// down to the viewed place's own family. Every view computes the same
// families along its path, so a district's view, its sub-districts' views
// and the district's breakdown by sub-district publish the same marks for
// the same figures.

// pathFamilies are the places of the families along a view's path: sets[n]
// are the places one level below path[n] (for the viewed place, its
// children in the order the view lists them), next[n] where path[n+1] is
// among them.
type pathFamilies struct {
	path []places.Place
	sets [][]string
	next []int
}

// ids are every place the families hold, and the viewed place itself.
func (f *pathFamilies) ids() []string {
	out := []string{f.path[len(f.path)-1].ID}
	for _, s := range f.sets {
		out = append(out, s...)
	}
	return out
}

// families reads (once a view) the places of the families along d's path.
func (t *Tx) families(ctx context.Context, d *Dashboard) (*pathFamilies, error) {
	if d.fams != nil {
		return d.fams, nil
	}
	path := d.Path
	if len(path) == 0 || path[len(path)-1].ID != d.Place.ID {
		path = append(slices.Clone(path), d.Place)
	}
	f := &pathFamilies{path: path, sets: make([][]string, len(path)), next: make([]int, len(path))}
	at := map[string]int{}
	var above []string
	for n, p := range path[:len(path)-1] {
		at[p.ID] = n
		above = append(above, p.ID)
	}
	if len(above) > 0 {
		rows, err := t.query(ctx, `SELECT parent_id, id FROM places WHERE parent_id IN (`+placeholders(len(above))+`) ORDER BY id`, anyArgs(above)...)
		if err != nil {
			return nil, classify(err)
		}
		if err := eachRow(rows, func(s scanner) error {
			var parent, id string
			if err := s.Scan(&parent, &id); err != nil {
				return err
			}
			f.sets[at[parent]] = append(f.sets[at[parent]], id)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	for _, ch := range d.Children {
		f.sets[len(path)-1] = append(f.sets[len(path)-1], ch.ID)
	}
	for n := range path[:len(path)-1] {
		if f.next[n] = slices.Index(f.sets[n], path[n+1].ID); f.next[n] < 0 {
			return nil, fmt.Errorf("place %s is not under %s", path[n+1].ID, path[n].ID)
		}
	}
	d.fams = f
	return f, nil
}

// linked is one table protected along a view's path.
type linked struct {
	own   [][]int64 // the viewed place's counts
	fam   suppress.Linked
	below [][][]int64 // the counts of the places below it
	// marks[n] are path[n]'s marks.
	marks []suppress.Table
}

// linkedSpec is a table to protect along a path.
type linkedSpec struct {
	// key names the table and every parameter its counts depend on (the
	// dimension, the day it is judged on, …); tabs are the counter tables
	// it is read from, ver their versions. Together with the path they
	// name a family's result in the memo (dash_cache.go).
	key        string
	tabs       []int
	ver        dashVersions
	rows, cols int
	opt        suppress.Options
	// fetch reads the counts of places (a place missing counts nothing).
	fetch func(ids []string) (map[string][][]int64, error)
	// adjust, when set, may change what is given to path[n] (for n == 0,
	// given is nil: the city's table is protected alone unless adjust gives
	// it marks). A breakdown of a row of another table uses it to withhold
	// a place whose row is not published whole. What it decides must follow
	// from key and the versions alone (it is kept with the families).
	adjust func(n int, given *suppress.Given) *suppress.Given
}

// protectAlong protects a table along the families of f. The families
// from the city down that are kept in the memo under the versions of their
// places' counters (and of every family above) are taken from it; the
// first that is not, and every one below it, are protected afresh from
// the counts of their places, of which only those not kept under their
// versions are read.
func (t *Tx) protectAlong(ctx context.Context, f *pathFamilies, spec linkedSpec) (linked, error) {
	memo := &t.db.families
	now := time.Now()
	last := len(f.path) - 1
	global := spec.ver.of("", spec.tabs...)
	countSlot := func(id string) string { return "counts|" + spec.key + "|" + id }
	countVersion := func(id string) string { return global + "|" + spec.ver.of(id, spec.tabs...) }
	// A family's slot: the table and the path down to it; its version:
	// every place of the families from the city down to it with its
	// version.
	slots, versions := make([]string, len(f.path)), make([]string, len(f.path))
	slot, h := "family|"+spec.key, sha256.New()
	io.WriteString(h, global)
	for n, p := range f.path {
		slot += "|" + p.ID
		io.WriteString(h, "|"+p.ID+"="+spec.ver.of(p.ID, spec.tabs...)+":")
		for _, id := range f.sets[n] {
			io.WriteString(h, id+"="+spec.ver.of(id, spec.tabs...)+",")
		}
		slots[n], versions[n] = slot, string(h.Sum(nil))
	}
	res := make([]*familyResult, len(f.path))
	miss := len(f.path)
	for n := range f.path {
		if res[n], _ = memo.recall(slots[n], versions[n], now).(*familyResult); res[n] == nil {
			miss = n
			break
		}
	}
	if miss <= last {
		counts := map[string][][]int64{}
		var need []string
		for n := miss; n <= last; n++ {
			// A place's counts are the sums of its children's (counters are
			// kept at communities and spread to every place above:
			// dashSpread), and a family reads its children's anyway: only a
			// place without children (a community) is read for its own.
			ids := f.sets[n]
			if len(ids) == 0 {
				ids = []string{f.path[n].ID}
			}
			for _, id := range ids {
				if c, _ := memo.recall(countSlot(id), countVersion(id), now).([][]int64); c != nil {
					counts[id] = c
				} else if !slices.Contains(need, id) {
					need = append(need, id)
				}
			}
		}
		if len(need) > 0 {
			got, err := spec.fetch(need)
			if err != nil {
				return linked{}, err
			}
			for _, id := range need {
				c := got[id]
				if c == nil {
					c = make([][]int64, spec.rows)
					for i := range c {
						c[i] = make([]int64, spec.cols)
					}
				}
				counts[id] = c
				memo.put(countSlot(id), countVersion(id), c, now)
			}
		}
		var given *suppress.Given
		if miss > 0 {
			given = res[miss-1].fam.GivenTo(f.next[miss-1])
		}
		for n := miss; n <= last; n++ {
			if spec.adjust != nil {
				given = spec.adjust(n, given)
			}
			below := make([][][]int64, len(f.sets[n]))
			for s, id := range f.sets[n] {
				below[s] = counts[id]
			}
			own := counts[f.path[n].ID]
			if len(below) > 0 {
				own = suppress.Sum(below, spec.rows, spec.cols)
			}
			fam := suppress.ProtectLinked(below, spec.rows, spec.cols, spec.opt, given)
			res[n] = &familyResult{below: below, own: own, fam: fam}
			memo.put(slots[n], versions[n], res[n], now)
			if n < last {
				given = fam.GivenTo(f.next[n])
			}
		}
	}
	out := linked{own: res[last].own, fam: res[last].fam, below: res[last].below, marks: make([]suppress.Table, len(f.path))}
	for n := range f.path {
		out.marks[n] = res[n].fam.Parent
	}
	return out, nil
}

// withheldGiven is a place's table given as not published at all (its
// known totals stay published).
func withheldGiven(rows, cols int, opt suppress.Options) *suppress.Given {
	t := suppress.Table{Cells: make([][]suppress.Mark, rows), RowTotal: make([]suppress.Mark, rows), ColTotal: make([]suppress.Mark, cols),
		Grand: suppress.Hidden, Withheld: true}
	for i := range t.Cells {
		t.Cells[i] = make([]suppress.Mark, cols)
		for j := range t.Cells[i] {
			t.Cells[i][j] = suppress.Hidden
		}
		if !opt.FixedRowTotals {
			t.RowTotal[i] = suppress.Hidden
		}
	}
	for j := range t.ColTotal {
		if !opt.FixedColTotals {
			t.ColTotal[j] = suppress.Hidden
		}
	}
	return &suppress.Given{Marks: t}
}

// placeCounts runs a grouping query whose rows are (place, row key, column
// key, n) over the places ids, adding each into its place's table at the
// cell index gives (false: not counted).
func (t *Tx) placeCounts(ctx context.Context, ids []string, rows, cols int, index func(row, col string) (int, int, bool),
	q string, args ...any) (map[string][][]int64, error) {
	out := map[string][][]int64{}
	for _, id := range ids {
		c := make([][]int64, rows)
		for i := range c {
			c[i] = make([]int64, cols)
		}
		out[id] = c
	}
	res, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	return out, eachRow(res, func(s scanner) error {
		var id, row, col string
		var n int64
		if err := s.Scan(&id, &row, &col, &n); err != nil {
			return err
		}
		if i, j, ok := index(row, col); ok && out[id] != nil {
			out[id][i][j] += n
		}
		return nil
	})
}

// byKeys indexes a cell by its row and column keys.
func byKeys(rows, cols []string) func(row, col string) (int, int, bool) {
	return func(row, col string) (int, int, bool) {
		i, j := slices.Index(rows, row), slices.Index(cols, col)
		return i, j, i >= 0 && j >= 0
	}
}
