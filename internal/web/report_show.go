package web

import (
	"html/template"
	"net/http"
	"net/url"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/maps"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/reports"
	"termtem/internal/thai"
)

type reportView struct {
	Districts  []option
	Indicators []option
	From, To   string // the month fields' values
	R          *reports.Committee
	Dimensions []people.Dimension
	Levels     []string
	Statuses   []string
	MapSVG     template.HTML
	Indicator  string
	PDF        string // the same report as PDF
	Made       string
	Print      bool // the document printed to PDF: no menu, styles inline
	PrintCSS   template.CSS
}

// ReportShow is the committee report of a district and a period as a
// page that prints well (the browser's print, or the PDF link): the
// flower distribution, the monthly trend, the referral flow, the
// continuity gaps and the map, every figure with small cells suppressed.
func (h *Handler) ReportShow(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReportsAggregate) == nil {
		return
	}
	v, err := h.committeeReport(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "report", h.view(r, "mapreport.report_title", v))
}

// committeeReport reads the report's choices from the address and builds
// it: an unknown indicator, area or month, or a reversed or too long
// period is a bad address (400); a district outside the user's area is
// refused (403).
func (h *Handler) committeeReport(r *http.Request) (*reportView, error) {
	ctx, lang := r.Context(), h.view(r, "", nil).Lang
	q := r.URL.Query()
	in, err := reports.IndicatorByCode(q.Get("indicator"))
	if err != nil {
		return nil, err
	}
	now := h.DB.Now()
	period, err := reports.ParsePeriod(q.Get("from"), q.Get("to"), now)
	if err != nil {
		return nil, err
	}
	g, scope, err := h.geography(r)
	if err != nil {
		return nil, err
	}
	area, err := g.ResolveArea(q.Get("area"), scope)
	if err != nil {
		return nil, err
	}
	if area.Place.Kind != places.District {
		if q.Get("area") != "" {
			return nil, &errs.Error{Code: errs.BadRequest, MessageID: "mapreport.report_district", Field: "area"}
		}
		if len(area.Districts) == 0 {
			return nil, errs.New(errs.Forbidden, "mapreport.area_forbidden")
		}
		area = reports.Area{Place: area.Districts[0], Districts: area.Districts[:1]}
	}
	c, err := reports.BuildCommittee(ctx, h.DB, g, area.Place, period, in, now)
	if err != nil {
		return nil, err
	}
	v := &reportView{R: c, From: period.FromValue(), To: period.ToValue(), Dimensions: people.Dimensions,
		Indicator: h.indicatorName(lang, in), Made: thai.FormatDateTime(now, lang, thai.Bangkok())}
	for _, l := range reports.LevelOrder {
		v.Levels = append(v.Levels, string(l))
	}
	for _, s := range reports.ReferralStatuses {
		v.Statuses = append(v.Statuses, string(s))
	}
	for _, d := range g.Districts {
		if scope.Sees(d) {
			v.Districts = append(v.Districts, option{Value: d.Code, Label: d.Name(lang), Selected: d.ID == area.Place.ID})
		}
	}
	for _, i := range reports.Indicators {
		v.Indicators = append(v.Indicators, option{Value: i.Code, Label: h.indicatorName(lang, i), Selected: i.Code == in.Code})
	}
	svg, err := maps.Render(h.mapAreas(c.Map, in, lang, scope), h.mapLabels(lang, in, area.Place.Name(lang)))
	if err != nil {
		return nil, err
	}
	v.MapSVG = template.HTML(svg) // built by maps.Render, every text escaped there
	v.PDF = "/reports/committee.pdf?" + url.Values{"area": {area.Place.Code}, "indicator": {in.Code},
		"from": {v.From}, "to": {v.To}}.Encode()
	return v, nil
}
