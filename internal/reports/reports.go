// Package reports assembles what committees and executives see: the
// district map of an indicator and the printable committee report of a
// district and a period. Every figure comes from the dashboards' published
// tables (store.Dashboard, store.DashboardIndicator): suppressed there
// exactly as the dashboards show them, never counted again here; no figure
// names a person. It knows nothing of HTTP.
package reports

import (
	"context"
	"slices"
	"strings"

	"termtem/internal/audit"
	"termtem/internal/dashboards"
	"termtem/internal/errs"
	"termtem/internal/maps"
	"termtem/internal/places"
	"termtem/internal/store"
)

// Indicator is a figure the map can be coloured by (dashboards.Indicators):
// the share of children red in a dimension ("red_safety"), or of children
// in a continuity gap ("unseen").
type Indicator struct {
	Code string
}

// Dimension is the flower dimension of a red_ indicator, else "".
func (in Indicator) Dimension() string {
	d, _ := strings.CutPrefix(in.Code, "red_")
	if d == in.Code {
		return ""
	}
	return d
}

// Indicators lists the map's indicators, in the order offered.
var Indicators = func() []Indicator {
	out := make([]Indicator, len(dashboards.Indicators))
	for i, c := range dashboards.Indicators {
		out[i] = Indicator{c}
	}
	// Safety first: the committees' first question.
	slices.SortStableFunc(out, func(a, b Indicator) int {
		switch {
		case a.Code == DefaultIndicator:
			return -1
		case b.Code == DefaultIndicator:
			return 1
		}
		return 0
	})
	return out
}()

// DefaultIndicator is shown when none is chosen.
const DefaultIndicator = "red_safety"

// IndicatorByCode finds an indicator; an unknown code is a bad address.
func IndicatorByCode(code string) (Indicator, error) {
	if code == "" {
		code = DefaultIndicator
	}
	if !dashboards.KnownIndicator(code) {
		return Indicator{}, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.indicator_unknown", Field: "indicator",
			Data: map[string]any{"Code": code}}
	}
	return Indicator{code}, nil
}

// Geography is Bangkok's districts with their zone groups.
type Geography struct {
	City      places.Place
	Zones     []places.Place
	Districts []places.Place
	zoneOf    map[string]places.Place // by district ID
}

// LoadGeography reads the districts and zone groups.
func LoadGeography(ctx context.Context, db *store.DB) (*Geography, error) {
	g := &Geography{zoneOf: map[string]places.Place{}}
	var err error
	if g.Zones, err = db.ListPlaces(ctx, store.PlaceFilter{Kind: places.Zone}); err != nil {
		return nil, err
	}
	if g.Districts, err = db.ListPlaces(ctx, store.PlaceFilter{Kind: places.District}); err != nil {
		return nil, err
	}
	roots, err := db.ListPlaces(ctx, store.PlaceFilter{Kind: places.Province})
	if err != nil {
		return nil, err
	}
	if len(roots) > 0 {
		g.City = roots[0]
	}
	for _, d := range g.Districts {
		for _, z := range g.Zones {
			if z.ID == d.ParentID {
				g.zoneOf[d.ID] = z
			}
		}
	}
	return g, nil
}

// ZoneOf returns a district's zone group.
func (g *Geography) ZoneOf(district places.Place) places.Place { return g.zoneOf[district.ID] }

// Area is what a map or report covers: the city, a zone group or a
// district, and the districts in it.
type Area struct {
	Place     places.Place
	Districts []places.Place
}

// Contains reports whether a district is in the area.
func (a Area) Contains(d places.Place) bool {
	return slices.ContainsFunc(a.Districts, func(x places.Place) bool { return x.ID == d.ID })
}

// Scope is the districts the viewer may see aggregates of.
type Scope struct {
	All       bool
	Districts []string // place IDs
}

// ViewerScope reads the request's scope.
func ViewerScope(ctx context.Context, db *store.DB) (Scope, error) {
	ds, all, err := db.AggregateArea(ctx)
	return Scope{All: all, Districts: ds}, err
}

// Sees reports whether the scope covers a district.
func (s Scope) Sees(d places.Place) bool { return s.All || slices.Contains(s.Districts, d.ID) }

// ResolveArea turns an area code (the city "10", a zone group "10-Z4", a
// district "1011"; empty: the smallest area covering the viewer's
// districts) into an Area. An unknown code is a bad address; an area with
// a district outside the viewer's scope is refused, not shown empty.
func (g *Geography) ResolveArea(code string, s Scope) (Area, error) {
	if code == "" {
		return g.defaultArea(s), nil
	}
	var a Area
	switch {
	case code == g.City.Code:
		a = Area{Place: g.City, Districts: g.Districts}
	default:
		for _, z := range g.Zones {
			if z.Code == code {
				a.Place = z
				for _, d := range g.Districts {
					if d.ParentID == z.ID {
						a.Districts = append(a.Districts, d)
					}
				}
			}
		}
		for _, d := range g.Districts {
			if d.Code == code {
				a = Area{Place: d, Districts: []places.Place{d}}
			}
		}
	}
	if a.Place.ID == "" {
		return Area{}, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.area_unknown", Field: "area", Data: map[string]any{"Code": code}}
	}
	for _, d := range a.Districts {
		if !s.Sees(d) {
			return Area{}, &errs.Error{Code: errs.Forbidden, MessageID: "mapreport.area_forbidden", Field: "area",
				Data: map[string]any{"Code": code}}
		}
	}
	return a, nil
}

// defaultArea is the city for a city-wide viewer, else the zone group
// when the viewer sees all of it, else the viewer's first district.
func (g *Geography) defaultArea(s Scope) Area {
	if s.All {
		return Area{Place: g.City, Districts: g.Districts}
	}
	var mine []places.Place
	for _, d := range g.Districts {
		if s.Sees(d) {
			mine = append(mine, d)
		}
	}
	if len(mine) == 0 {
		return Area{}
	}
	zone := g.zoneOf[mine[0].ID]
	var inZone []places.Place
	for _, d := range g.Districts {
		if d.ParentID == zone.ID {
			inZone = append(inZone, d)
		}
	}
	if len(mine) > 1 && len(mine) == len(inZone) {
		return Area{Place: zone, Districts: inZone}
	}
	return Area{Place: mine[0], Districts: []places.Place{mine[0]}}
}

// DistrictFigure is one district's value on the map.
type DistrictFigure struct {
	District places.Place
	Zone     places.Place
	Figure   maps.Figure
	Outside  bool // not in the area: drawn without a value
}

// MapFigures reads an indicator for every district of Bangkok in a period:
// the districts of the area get their published figure, the others are
// marked outside. A zone group's or the city's districts come from the
// zone groups' dashboards (a breakdown published with them); a single
// district's from its own dashboard row.
func MapFigures(ctx context.Context, db *store.DB, g *Geography, in Indicator, area Area, p dashboards.Period, actor audit.Event) ([]DistrictFigure, error) {
	figs := map[string]maps.Figure{}
	q := store.DashboardQuery{Period: p}
	if area.Place.Kind == places.District {
		q.PlaceID = area.Place.ID
		f, err := OwnFigure(ctx, db, q, in, actor)
		if err != nil {
			return nil, err
		}
		figs[area.Place.ID] = f
	} else {
		for _, z := range g.Zones {
			if area.Place.Kind == places.Zone && z.ID != area.Place.ID {
				continue
			}
			q.PlaceID = z.ID
			res, err := db.DashboardIndicator(ctx, q, in.Code, actor)
			if err != nil {
				return nil, err
			}
			for _, pf := range res.Places {
				figs[pf.Place.ID] = figure(pf.Count, pf.Of, res.Withheld)
			}
		}
	}
	out := make([]DistrictFigure, 0, len(g.Districts))
	for _, d := range g.Districts {
		f := DistrictFigure{District: d, Zone: g.zoneOf[d.ID], Outside: !area.Contains(d)}
		if !f.Outside {
			f.Figure = figs[d.ID]
		}
		out = append(out, f)
	}
	return out, nil
}

// OwnFigure is a place's own published figure of an indicator: its row of
// the children's flower (red of all children) or of the continuity gaps.
func OwnFigure(ctx context.Context, db *store.DB, q store.DashboardQuery, in Indicator, actor audit.Event) (maps.Figure, error) {
	if d := in.Dimension(); d != "" {
		q.Dimension = d
	}
	dash, err := db.Dashboard(ctx, q, actor)
	if err != nil {
		return maps.Figure{}, err
	}
	if d := in.Dimension(); d != "" {
		return rowFigure(dash.FlowerChildren, d, "red"), nil
	}
	return rowFigure(dash.Gaps, in.Code, "gap"), nil
}

// rowFigure is one cell of a published table against its row's total.
func rowFigure(t dashboards.Table, row, col string) maps.Figure {
	r := slices.IndexFunc(t.Rows, func(h dashboards.Head) bool { return h.Key == row })
	c := slices.IndexFunc(t.Cols, func(h dashboards.Head) bool { return h.Key == col })
	if r < 0 || c < 0 || r >= len(t.Cells) {
		return maps.Figure{}
	}
	return figure(t.Cells[r][c], t.RowTotals[r], t.Withheld)
}

// figure turns a published count and total into a map figure.
func figure(count, of dashboards.Cell, withheld bool) maps.Figure {
	switch {
	case withheld:
		return maps.Figure{Suppressed: true, CountLabel: "—", TotalLabel: "—"}
	case count.Shown() && of.Shown():
		return maps.Figure{Count: int(count.N), Total: int(of.N)}
	}
	return maps.Figure{Suppressed: true, CountLabel: count.Text(), TotalLabel: of.Text()}
}

// CommunityFigure is one community's value of an indicator.
type CommunityFigure struct {
	Community places.Place
	Figure    maps.Figure
}

// CommunityFigures reads an indicator for each community of a district in
// a period, from its sub-districts' dashboards (the communities are their
// breakdown). Communities without a location are returned too: the page
// lists them under the map.
func CommunityFigures(ctx context.Context, db *store.DB, district places.Place, in Indicator, p dashboards.Period, actor audit.Event) ([]CommunityFigure, error) {
	if district.Kind != places.District {
		return nil, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.view_district", Field: "view"}
	}
	subs, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: district.ID})
	if err != nil {
		return nil, err
	}
	var out []CommunityFigure
	for _, s := range subs {
		res, err := db.DashboardIndicator(ctx, store.DashboardQuery{PlaceID: s.ID, Period: p}, in.Code, actor)
		if err != nil {
			return nil, err
		}
		for _, pf := range res.Places {
			out = append(out, CommunityFigure{Community: pf.Place, Figure: figure(pf.Count, pf.Of, res.Withheld)})
		}
	}
	slices.SortFunc(out, func(a, b CommunityFigure) int { return strings.Compare(a.Community.Code, b.Community.Code) })
	return out, nil
}
