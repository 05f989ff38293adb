package store

import (
	"context"
	"fmt"
	"slices"

	"termtem/internal/dashboards"
	"termtem/internal/suppress"
)

// flowerFamily protects the children's flower table of d.Place together
// with the same tables of every place it is linked to by sums: starting
// at the city, each place's family (the place and the places one level
// below) is protected with what the family above decided for it
// (suppress.ProtectLinked), down to d.Place's own family. Every view
// computes the same families along its path, so a district's view, its
// sub-districts' views and the district's breakdown by sub-district all
// publish the same marks for the same figures. It returns d.Place's
// family and the counts of the places below it (dimension × level).
func (t *Tx) flowerFamily(ctx context.Context, d *Dashboard) (suppress.Linked, [][][]int64, error) {
	first, last := dashboards.ChildYears(d.Period.On)
	opt := suppress.Options{FixedRowTotals: true} // every dimension's total is the number of children
	rows, cols := len(dashboards.Dimensions), len(dashboards.Levels)
	path := d.Path
	if len(path) == 0 || path[len(path)-1].ID != d.Place.ID {
		path = append(slices.Clone(path), d.Place)
	}
	var given *suppress.Given
	for n, p := range path {
		var ids []string
		if n == len(path)-1 {
			for _, ch := range d.Children {
				ids = append(ids, ch.ID)
			}
		} else {
			var err error
			if ids, err = t.strings(ctx, `SELECT id FROM places WHERE parent_id = ? ORDER BY id`, p.ID); err != nil {
				return suppress.Linked{}, nil, err
			}
		}
		counts := make([][][]int64, len(ids))
		at := map[string]int{}
		for i, id := range ids {
			at[id] = i
			counts[i] = newCounts(dashboards.Dimensions, dashboards.Levels).v
		}
		if len(ids) > 0 {
			res, err := t.query(ctx, `SELECT place_id, dimension, level, SUM(n) FROM dash_flower WHERE place_id IN (`+placeholders(len(ids))+`)
				AND subject = 'child' AND birth_year >= ? AND birth_year <= ? GROUP BY place_id, dimension, level`,
				append(anyArgs(ids), first, last)...)
			if err != nil {
				return suppress.Linked{}, nil, classify(err)
			}
			if err := eachRow(res, func(s scanner) error {
				var id, dim, level string
				var v int64
				if err := s.Scan(&id, &dim, &level, &v); err != nil {
					return err
				}
				i, j := slices.Index(dashboards.Dimensions, dim), slices.Index(dashboards.Levels, level)
				if i >= 0 && j >= 0 {
					counts[at[id]][i][j] += v
				}
				return nil
			}); err != nil {
				return suppress.Linked{}, nil, err
			}
		}
		fam := suppress.ProtectLinked(counts, rows, cols, opt, given)
		if n == len(path)-1 {
			return fam, counts, nil
		}
		next := slices.Index(ids, path[n+1].ID)
		if next < 0 {
			return suppress.Linked{}, nil, fmt.Errorf("place %s is not under %s", path[n+1].ID, p.ID)
		}
		given = fam.GivenTo(next)
	}
	return suppress.Linked{}, nil, nil
}
