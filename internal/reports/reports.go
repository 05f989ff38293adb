// Package reports assembles what committees and executives see: the
// district map of an indicator and the printable committee report of a
// district and a period. Every figure passes the small-cell rule here
// (maps.Suppress, SuppressRow) before any page shows it; no figure names a
// person. It reads the store's raw counts and knows nothing of HTTP.
package reports

import (
	"context"
	"slices"
	"time"

	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/maps"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// Indicator is a figure the map can be coloured by: the share of assessed
// children whose latest assessment is red in one dimension.
type Indicator struct {
	Code      string
	Dimension people.Dimension
}

// Indicators lists the map's indicators, in the order offered.
var Indicators = []Indicator{
	{"red_safety", people.Safety},
	{"red_health", people.Health},
	{"red_education", people.Education},
	{"red_economy", people.Economy},
}

// DefaultIndicator is shown when none is chosen.
const DefaultIndicator = "red_safety"

// IndicatorByCode finds an indicator; an unknown code is a bad address.
func IndicatorByCode(code string) (Indicator, error) {
	if code == "" {
		code = DefaultIndicator
	}
	for _, in := range Indicators {
		if in.Code == code {
			return in, nil
		}
	}
	return Indicator{}, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.indicator_unknown", Field: "indicator",
		Data: map[string]any{"Code": code}}
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

// MapFigures computes an indicator for every district of Bangkok on a day:
// the districts of the area get their (suppressed) figure, the others are
// marked outside.
func MapFigures(ctx context.Context, db *store.DB, g *Geography, in Indicator, area Area, asOf time.Time) ([]DistrictFigure, error) {
	ids := make([]string, len(area.Districts))
	for i, d := range area.Districts {
		ids[i] = d.ID
	}
	tally, err := db.ChildLevels(ctx, ids, day(asOf))
	if err != nil {
		return nil, err
	}
	out := make([]DistrictFigure, 0, len(g.Districts))
	for _, d := range g.Districts {
		f := DistrictFigure{District: d, Zone: g.zoneOf[d.ID], Outside: !area.Contains(d)}
		if !f.Outside {
			f.Figure = redShare(tally[d.Code][in.Dimension])
		}
		out = append(out, f)
	}
	return out, nil
}

// day is t's date in Bangkok, as assessment dates are kept.
func day(t time.Time) string { return t.In(thai.Bangkok()).Format(time.DateOnly) }

// redShare is the share red among the assessed (unknown excluded: a
// dimension with nothing answered is not counted as assessed).
func redShare(levels map[string]int) maps.Figure {
	total := 0
	for _, l := range flower.Levels {
		total += levels[string(l)]
	}
	return maps.Suppress(levels[string(flower.Red)], total)
}

// CommunityFigure is one community's value of an indicator.
type CommunityFigure struct {
	Community places.Place
	Figure    maps.Figure
}

// CommunityFigures computes an indicator for each community of a district
// on a day (small cells suppressed, as everywhere). Communities without a
// location are returned too: the page lists them under the map.
func CommunityFigures(ctx context.Context, db *store.DB, district places.Place, in Indicator, asOf time.Time) ([]CommunityFigure, error) {
	if district.Kind != places.District {
		return nil, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.view_district", Field: "view"}
	}
	communities, err := db.Communities(ctx, district.ID)
	if err != nil {
		return nil, err
	}
	tally, err := db.ChildLevelsByCommunity(ctx, district.ID, day(asOf))
	if err != nil {
		return nil, err
	}
	out := make([]CommunityFigure, len(communities))
	for i, c := range communities {
		out[i] = CommunityFigure{Community: c, Figure: redShare(tally[c.ID][in.Dimension])}
	}
	return out, nil
}
