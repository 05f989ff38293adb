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

type reportView struct {
	Districts  []option
	Indicators []option
	From, To   string // the month fields' values
	R          *reports.Report
	Flower     tableView
	Trend      tableView
	Referrals  tableView
	Gaps       tableView
	MapSVG     template.HTML
	Indicator  string
	Dimension  string // of the trend
	PDF        string // the same report as PDF
	Made       string
	Print      bool // the document printed to PDF: no menu, styles inline
	PrintCSS   template.CSS
}

// tableView is a published dashboard table with its heads in words.
type tableView struct {
	ID       string
	Corner   string // the heading over the row heads
	Words    tableWords
	Cols     []string
	Rows     []tableRow
	Totals   []string
	Grand    string
	Withheld bool
}

// tableWords are the words every table needs, in the page's language.
type tableWords struct{ Total, Withheld, NoRows string }

type tableRow struct {
	Head  string
	Cells []string
	Total string
}

// ReportShow is the committee report of a district and a period as a
// page that prints well (the browser's print, or the PDF link): the
// dashboard's flower distribution, trend, referral flow and continuity
// gaps, as published there, and the map.
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
	ctx, lang := r.Context(), httpx.Lang(r.Context())
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
	c, err := reports.BuildReport(ctx, h.DB, g, area.Place, period, in, now, httpx.Actor(r))
	if err != nil {
		return nil, err
	}
	t := func(prefix string) func(dashboards.Head) string {
		return func(hd dashboards.Head) string {
			if name := hd.Name(lang); name != "" {
				return name
			}
			return h.Cat.T(lang, prefix+hd.Key, nil)
		}
	}
	level := func(hd dashboards.Head) string {
		if hd.Key == "unknown" {
			return h.Cat.T(lang, "mapreport.level_unknown", nil)
		}
		return h.Cat.T(lang, "level."+hd.Key, nil)
	}
	month := func(hd dashboards.Head) string { return reports.MonthText(hd.Key, lang) }
	d := c.Dashboard
	v := &reportView{R: c, From: period.FromValue(), To: period.ToValue(), Indicator: h.indicatorName(lang, in),
		Dimension: h.Cat.T(lang, "dimension."+d.Dimension, nil), Made: thai.FormatDateTime(now, lang, thai.Bangkok()),
		Flower:    tableOf(d.FlowerChildren, t("dimension."), level),
		Trend:     tableOf(d.Trend, month, level),
		Referrals: tableOf(d.ReferralServices, t("referral.service."), t("referral.status.")),
		Gaps:      tableOf(d.Gaps, t("mapreport.gap_"), t("mapreport.gapcol_")),
	}
	words := tableWords{Total: h.Cat.T(lang, "mapreport.total", nil), Withheld: h.Cat.T(lang, "mapreport.withheld", nil),
		NoRows: h.Cat.T(lang, "mapreport.no_rows", nil)}
	for _, tv := range []*tableView{&v.Flower, &v.Trend, &v.Referrals, &v.Gaps} {
		tv.Words = words
	}
	// A child is in every dimension's row: the columns do not add up.
	v.Flower.Totals = nil
	v.Flower.Corner = h.Cat.T(lang, "mapreport.dimension", nil)
	v.Trend.Corner = h.Cat.T(lang, "mapreport.month", nil)
	v.Referrals.Corner = h.Cat.T(lang, "mapreport.service", nil)
	v.Gaps.Corner = h.Cat.T(lang, "mapreport.gap", nil)
	for _, dist := range g.Districts {
		if scope.Sees(dist) {
			v.Districts = append(v.Districts, option{Value: dist.Code, Label: dist.Name(lang), Selected: dist.ID == area.Place.ID})
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

// tableOf puts a published table into words: its counts as published
// ("< 5", "—"), its heads through the label functions.
func tableOf(t dashboards.Table, row, col func(dashboards.Head) string) tableView {
	tv := tableView{ID: t.ID, Withheld: t.Withheld, Grand: t.Grand.Text()}
	for _, c := range t.Cols {
		tv.Cols = append(tv.Cols, col(c))
	}
	for i, rh := range t.Rows {
		tr := tableRow{Head: row(rh)}
		if i < len(t.Cells) {
			for _, c := range t.Cells[i] {
				tr.Cells = append(tr.Cells, c.Text())
			}
		}
		if i < len(t.RowTotals) {
			tr.Total = t.RowTotals[i].Text()
		}
		tv.Rows = append(tv.Rows, tr)
	}
	for _, c := range t.ColTotals {
		tv.Totals = append(tv.Totals, c.Text())
	}
	return tv
}
