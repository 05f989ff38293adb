package store

import (
	"context"
	"slices"
	"strings"

	"termtem/internal/audit"
	"termtem/internal/dashboards"
	"termtem/internal/places"
)

// PlaceFigure is one place's value of an indicator: Count of Of, both
// published (suppressed) counts, and the share when both are shown.
type PlaceFigure struct {
	Place places.Place
	Count dashboards.Cell
	Of    dashboards.Cell
	Share string
}

// IndicatorFigures are an indicator's values for the places one level
// below a place (for a map or a ranking), with the place's own dashboard.
type IndicatorFigures struct {
	Dashboard Dashboard
	Indicator string
	Places    []PlaceFigure
	Withheld  bool
}

// DashboardIndicator reads an indicator for the places under q.PlaceID.
// The figures are a breakdown of the place's own published row (its
// flower row or its continuity gap), so nothing in the two together can
// be subtracted; when that row is not published whole the breakdown is
// withheld.
func (db *DB) DashboardIndicator(ctx context.Context, q DashboardQuery, indicator string, actor audit.Event) (IndicatorFigures, error) {
	if !dashboards.KnownIndicator(indicator) {
		return IndicatorFigures{}, dashboards.BadParam("indicator", "dashboards.unknown_indicator", nil)
	}
	if dim, ok := strings.CutPrefix(indicator, "red_"); ok {
		q.Dimension = dim
	}
	d, err := db.Dashboard(ctx, q, actor)
	if err != nil {
		return IndicatorFigures{}, err
	}
	out := IndicatorFigures{Dashboard: d, Indicator: indicator}
	var table dashboards.Table
	if strings.HasPrefix(indicator, "red_") {
		table = d.Places // its column 0 is red, its row totals all children
		for i, p := range d.Children {
			out.Places = append(out.Places, PlaceFigure{Place: p, Count: table.Cells[i][0], Of: table.RowTotals[i]})
		}
	} else {
		row := slices.Index(gapRows, indicator)
		var heads []dashboards.Head
		var counts [][]int64
		ids := make([]string, len(d.Children))
		for i, p := range d.Children {
			ids[i] = p.ID
		}
		// One query for every place below, of this gap only.
		gaps, err := db.dashReader(ctx).gapCounts(ctx, ids, []string{indicator}, d.Period.On, d.UnseenDays)
		if err != nil {
			return out, err
		}
		for _, p := range d.Children {
			c := gaps[p.ID][indicator]
			heads = append(heads, dashboards.Head{Key: p.ID, TH: p.NameTH, EN: p.NameEN})
			counts = append(counts, []int64{c.gap, c.all - c.gap})
		}
		table = dashboards.NewBreakdown("map_"+indicator, heads, keyHeads([]string{"gap", "other"}), counts,
			d.Gaps.Cells[row], d.Gaps.RowTotals[row])
		for i, p := range d.Children {
			out.Places = append(out.Places, PlaceFigure{Place: p, Count: table.Cells[i][0], Of: table.RowTotals[i]})
		}
	}
	out.Withheld = table.Withheld
	for i := range out.Places {
		out.Places[i].Share = dashboards.Share(out.Places[i].Count, out.Places[i].Of)
	}
	return out, nil
}
