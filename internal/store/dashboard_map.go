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
// The figures are the row of the place's table (its children's flower or
// its continuity gaps) for each place below, protected with it along the
// path (see dash_linked.go), so nothing in the two together, nor in the
// places' own dashboards, can be subtracted.
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
		// The gap's row of the places below, as protected with the gap
		// table along the path (so each place's own dashboard agrees).
		if indicator == "handoff_waiting" {
			// Overdue of all hand-offs: the deadline table's row.
			table = slice("map_"+indicator, d.Children, d.due, handoffRow, keyHeads(deadlineCols))
		} else {
			table = slice("map_"+indicator, d.Children, d.gaps, slices.Index(countedGaps, indicator), keyHeads([]string{"gap", "other"}))
		}
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
