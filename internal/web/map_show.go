package web

import (
	"html/template"
	"net/http"
	"net/url"

	"termtem/internal/account"
	"termtem/internal/dashboards"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/maps"
	"termtem/internal/places"
	"termtem/internal/reports"
	"termtem/internal/thai"
)

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

type mapRow struct {
	District, Zone string
	Figure         maps.Figure
	Report         string // the district's committee report
}

type mapView struct {
	Indicators []option
	Areas      []option
	Indicator  string // its name
	AreaName   string
	SVG        template.HTML
	Rows       []mapRow
	AsOf       string
	// The community view: a district's communities as points.
	Communities bool
	CanPoints   bool     // the area is a district: the view may be chosen
	Unlocated   []string // communities without a location, not drawn
	Area        string   // the area's code
}

// MapShow draws Bangkok's districts coloured by an indicator, for the
// area chosen (the city, a zone group or a district the user may see):
// aggregates only, small cells shown as "< 5". An unknown indicator or area
// is a bad address (400); an area outside the user's is refused (403).
func (h *Handler) MapShow(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReportsAggregate) == nil {
		return
	}
	ctx, lang := r.Context(), h.view(r, "", nil).Lang
	q := r.URL.Query()
	in, err := reports.IndicatorByCode(q.Get("indicator"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	g, scope, err := h.geography(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	area, err := g.ResolveArea(q.Get("area"), scope)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.DB.Now()
	period, err := reports.ParsePeriod("", "", now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	dp := period.Dashboards(now)
	figs, err := reports.MapFigures(ctx, h.DB, g, in, area, dp, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := mapView{AreaName: area.Place.Name(lang), Indicator: h.indicatorName(lang, in), AsOf: dayText(lang, now.In(thai.Bangkok()).Format("2006-01-02"))}
	for _, i := range reports.Indicators {
		v.Indicators = append(v.Indicators, option{Value: i.Code, Label: h.indicatorName(lang, i), Selected: i.Code == in.Code})
	}
	v.Areas = areaOptions(g, scope, area, lang)
	v.Area, v.CanPoints = area.Place.Code, area.Place.Kind == places.District
	switch q.Get("view") {
	case "", "districts":
	case "communities":
		if err := h.communityView(r, &v, in, area, dp); err != nil {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, http.StatusOK, "map", h.view(r, "mapreport.map_title", v))
		return
	default:
		h.fail(w, r, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.view_unknown", Field: "view"})
		return
	}
	svg, err := maps.Render(h.mapAreas(figs, in, lang, scope), h.mapLabels(lang, in, area.Place.Name(lang)))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.SVG = template.HTML(svg) // built by maps.Render, every text escaped there
	for _, f := range figs {
		if f.Outside {
			continue
		}
		v.Rows = append(v.Rows, mapRow{District: f.District.Name(lang), Zone: f.Zone.Name(lang), Figure: f.Figure,
			Report: reportHref(f.District.Code, in.Code)})
	}
	h.render(w, r, http.StatusOK, "map", h.view(r, "mapreport.map_title", v))
}

// communityView draws a district's communities that have a location as
// points, and lists the rest.
func (h *Handler) communityView(r *http.Request, v *mapView, in reports.Indicator, area reports.Area, p dashboards.Period) error {
	lang := httpx.Lang(r.Context())
	figs, err := reports.CommunityFigures(r.Context(), h.DB, area.Place, in, p, httpx.Actor(r))
	if err != nil {
		return err
	}
	v.Communities, v.Rows = true, nil
	var points []maps.Point
	for _, f := range figs {
		v.Rows = append(v.Rows, mapRow{District: f.Community.Name(lang), Figure: f.Figure})
		if f.Community.Located {
			points = append(points, maps.Point{Name: f.Community.Name(lang), Lat: f.Community.Lat, Lon: f.Community.Lon, Figure: f.Figure})
		} else {
			v.Unlocated = append(v.Unlocated, f.Community.Name(lang))
		}
	}
	l := h.mapLabels(lang, in, area.Place.Name(lang))
	l.Title = h.Cat.T(lang, "mapreport.points_title", map[string]any{"Indicator": v.Indicator, "Area": area.Place.Name(lang)})
	l.Desc = h.Cat.T(lang, "mapreport.points_desc", map[string]any{"Indicator": v.Indicator})
	if len(points) > 0 {
		v.SVG = template.HTML(maps.RenderPoints(points, l)) // every text escaped by maps
	}
	return nil
}

// geography reads the districts and the user's scope.
func (h *Handler) geography(r *http.Request) (*reports.Geography, reports.Scope, error) {
	g, err := reports.LoadGeography(r.Context(), h.DB)
	if err != nil {
		return nil, reports.Scope{}, err
	}
	s, err := reports.ViewerScope(r.Context(), h.DB)
	return g, s, err
}

func (h *Handler) indicatorName(lang string, in reports.Indicator) string {
	if d := in.Dimension(); d != "" {
		return h.Cat.T(lang, "mapreport.indicator_red", map[string]any{"Dimension": h.Cat.T(lang, "dimension."+d, nil)})
	}
	id := "mapreport.indicator_" + in.Code // the gap indicators
	return h.Cat.T(lang, id, nil)
}

func (h *Handler) mapLabels(lang string, in reports.Indicator, area string) maps.Labels {
	t := func(id string, args ...any) string {
		data := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			data[args[i].(string)] = args[i+1]
		}
		return h.Cat.T(lang, id, data)
	}
	name := h.indicatorName(lang, in)
	return maps.Labels{
		Title:      t("mapreport.svg_title", "Indicator", name, "Area", area),
		Desc:       t("mapreport.svg_desc", "Indicator", name),
		Suppressed: t("mapreport.legend_suppressed"),
		NoData:     t("mapreport.legend_nodata"),
		Outside:    t("mapreport.legend_outside"),
		ZoneEdge:   t("mapreport.legend_zone"),
		Legend:     t("mapreport.legend"),
	}
}

// mapAreas turns figures into tiles; the districts the user may see link
// to their committee report.
func (h *Handler) mapAreas(figs []reports.DistrictFigure, in reports.Indicator, lang string, s reports.Scope) []maps.Area {
	out := make([]maps.Area, 0, len(figs))
	for _, f := range figs {
		a := maps.Area{Code: f.District.Code, Name: f.District.Name(lang), ZoneCode: f.Zone.Code, Figure: f.Figure, Outside: f.Outside}
		if !f.Outside && s.Sees(f.District) {
			a.Href = reportHref(f.District.Code, in.Code)
		}
		out = append(out, a)
	}
	return out
}

func reportHref(district, indicator string) string {
	return "/reports/committee?" + url.Values{"area": {district}, "indicator": {indicator}}.Encode()
}

// areaOptions offers the city, the zone groups and the districts the user
// may see in full.
func areaOptions(g *reports.Geography, s reports.Scope, chosen reports.Area, lang string) []option {
	var out []option
	add := func(code, label string) {
		out = append(out, option{Value: code, Label: label, Selected: code == chosen.Place.Code})
	}
	if s.All {
		add(g.City.Code, g.City.Name(lang))
	}
	for _, z := range g.Zones {
		if a, err := g.ResolveArea(z.Code, s); err == nil && len(a.Districts) > 0 {
			add(z.Code, z.Name(lang))
		}
	}
	for _, d := range g.Districts {
		if s.Sees(d) {
			add(d.Code, d.Name(lang))
		}
	}
	return out
}
