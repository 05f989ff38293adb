package web

import (
	"net/http"
	"net/url"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/dashboards"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// figureCell is a published count as a page shows it.
type figureCell struct {
	Text  string
	Share string // of the row total, when both are shown
	Href  string // drill-down to names (roles that may see people)
}

type figureRow struct {
	Head  string
	Href  string // drill-down to a place below
	Cells []figureCell
	Total figureCell
}

// figureTable is a dashboard table with every label in the page's language.
type figureTable struct {
	ID, Caption, RowHead string
	Cols                 []string
	Rows                 []figureRow
	Totals               []figureCell
	Grand                figureCell
	Withheld             bool
}

type dashboardView struct {
	Place     string
	Code      string
	Crumbs    []crumb
	From, To  string
	AsOf      string
	Dimension string
	Dims      []option
	Unseen    []option
	Tables    []figureTable
	Times     []timeRow
	Export    string
	Names     bool // the viewer may drill down to names
}

type crumb struct{ Name, Href string }

type timeRow struct{ Service, Accept, Complete string }

// dashboardRequest checks the permission and reads the place and the
// parameters of a dashboard address; false when it has answered already.
func (h *Handler) dashboardRequest(w http.ResponseWriter, r *http.Request) (*account.Principal, store.DashboardQuery, bool) {
	p := h.require(w, r, account.ReportsAggregate)
	if p == nil {
		return nil, store.DashboardQuery{}, false
	}
	q, err := h.dashboardQuery(r)
	if err == nil {
		q.PlaceID, err = h.dashboardPlace(r)
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, q, false
	}
	return p, q, true
}

// dashboardQuery reads a dashboard's query string; a wrong value is a bad
// address (400) naming the parameter.
func (h *Handler) dashboardQuery(r *http.Request) (store.DashboardQuery, error) {
	return store.ParseDashboardQuery(r.URL.Query().Get, h.DB.Now().In(thai.Bangkok()))
}

// dashboardPlace finds the place of a dashboard address by its code.
func (h *Handler) dashboardPlace(r *http.Request) (string, error) {
	p, err := h.DB.GetPlaceByCode(r.Context(), r.PathValue("code"))
	return p.ID, err
}

// DashboardsHome opens the highest area the user may see.
func (h *Handler) DashboardsHome(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReportsAggregate) == nil {
		return
	}
	roots, err := h.DB.DashboardRoots(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(roots) == 0 {
		h.fail(w, r, dashboards.BadParam("code", "dashboards.place_forbidden", nil))
		return
	}
	http.Redirect(w, r, "/dashboards/"+url.PathEscape(roots[0].Code), http.StatusSeeOther)
}

// DashboardShow is one area's dashboard: aggregates only, every count
// through small-cell suppression; a place outside the user's area is
// refused (403), a wrong parameter is a bad address (400).
func (h *Handler) DashboardShow(w http.ResponseWriter, r *http.Request) {
	p, q, ok := h.dashboardRequest(w, r)
	if !ok {
		return
	}
	d, err := h.DB.Dashboard(r.Context(), q, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "dashboards.title", nil)
	v.Data = h.dashboardView(r, v, d, p.Can(account.PeopleRead))
	v.Title = v.T("dashboards.title_of", "Place", d.Place.Name(v.Lang))
	h.render(w, r, http.StatusOK, "dashboards", v)
}

func (h *Handler) dashboardView(r *http.Request, v *View, d store.Dashboard, names bool) dashboardView {
	lang := v.Lang
	base := url.Values{"from": {d.Period.FromMonth()}, "to": {d.Period.ToMonth()}, "dimension": {d.Dimension}, "unseen": {strconv.Itoa(d.UnseenDays)}}
	dv := dashboardView{Place: d.Place.Name(lang), Code: d.Place.Code, From: d.Period.FromMonth(), To: d.Period.ToMonth(),
		AsOf: dayText(lang, d.Period.On.Format("2006-01-02")), Dimension: d.Dimension, Names: names,
		Export: "/dashboards/" + url.PathEscape(d.Place.Code) + "/export.xlsx?" + base.Encode()}
	// Breadcrumbs link from the highest area the user may see downwards.
	roots, _ := h.DB.DashboardRoots(r.Context())
	open := false
	for _, p := range d.Path {
		for _, root := range roots {
			open = open || root.ID == p.ID
		}
		c := crumb{Name: p.Name(lang)}
		if open && p.ID != d.Place.ID {
			c.Href = "/dashboards/" + url.PathEscape(p.Code) + "?" + base.Encode()
		}
		dv.Crumbs = append(dv.Crumbs, c)
	}
	for _, dim := range dashboards.Dimensions {
		dv.Dims = append(dv.Dims, option{Value: dim, Label: v.T("dimension." + dim), Selected: dim == d.Dimension})
	}
	for _, n := range dashboards.UnseenDays {
		dv.Unseen = append(dv.Unseen, option{Value: strconv.Itoa(n), Label: v.T("dashboards.days", "N", n), Selected: n == d.UnseenDays})
	}
	for _, t := range d.Tables() {
		ft := h.figureTable(v, d, t, base)
		if t.ID == "flower_children" && names {
			for i := range ft.Rows {
				for j := range ft.Rows[i].Cells {
					if c := t.Cells[i][j]; c.Shown() && c.N > 0 {
						ft.Rows[i].Cells[j].Href = "/dashboards/" + url.PathEscape(d.Place.Code) + "/names?" + url.Values{
							"dimension": {dashboards.Dimensions[i]}, "level": {dashboards.Levels[j]},
							"from": {d.Period.FromMonth()}, "to": {d.Period.ToMonth()}}.Encode()
					}
				}
			}
		}
		dv.Tables = append(dv.Tables, ft)
	}
	for _, rt := range d.ReferralTimes {
		dv.Times = append(dv.Times, timeRow{Service: v.T("referral.service." + rt.Service.Key), Accept: rt.Accept.Days(), Complete: rt.Complete.Days()})
	}
	return dv
}

// figureTable puts a table's labels in the page's language.
func (h *Handler) figureTable(v *View, d store.Dashboard, t dashboards.Table, base url.Values) figureTable {
	dim := v.T("dimension." + d.Dimension)
	ft := figureTable{ID: t.ID, Caption: v.T("dashboards.table."+t.ID, "Dimension", dim), RowHead: v.T("dashboards.rows." + t.ID), Withheld: t.Withheld}
	for _, c := range t.Cols {
		ft.Cols = append(ft.Cols, h.headLabel(v, t.ID, "col", c, d.UnseenDays))
	}
	for i, row := range t.Rows {
		fr := figureRow{Head: h.headLabel(v, t.ID, "row", row, d.UnseenDays), Total: figureCell{Text: t.RowTotals[i].Text()}}
		if t.ID == "places" && i < len(d.Children) {
			fr.Href = "/dashboards/" + url.PathEscape(d.Children[i].Code) + "?" + base.Encode()
		}
		for _, c := range t.Cells[i] {
			fc := figureCell{Text: c.Text()}
			if t.ID == "flower_children" || t.ID == "flower_households" || t.ID == "places" || t.ID == "stages" || t.ID == "gaps" {
				fc.Share = dashboards.Share(c, t.RowTotals[i])
			}
			fr.Cells = append(fr.Cells, fc)
		}
		ft.Rows = append(ft.Rows, fr)
	}
	for _, c := range t.ColTotals {
		ft.Totals = append(ft.Totals, figureCell{Text: c.Text()})
	}
	ft.Grand = figureCell{Text: t.Grand.Text()}
	return ft
}

// headLabel names a row or column of a table.
func (h *Handler) headLabel(v *View, table, side string, head dashboards.Head, unseen int) string {
	if head.TH != "" || head.EN != "" {
		return head.Name(v.Lang)
	}
	k := head.Key
	switch {
	case (table == "moves" || side == "col") && (table == "flower_children" || table == "flower_households" || table == "stages" ||
		table == "places" || table == "trend" || table == "moves"):
		return flower.Level(k).Label(v.Lang)
	case table == "flower_children" || table == "flower_households":
		return v.T("dimension." + k)
	case table == "stages":
		return v.T("stage." + k)
	case table == "trend":
		return monthText(v.Lang, k)
	case table == "referral_services" && side == "row":
		return v.T("referral.service." + k)
	case table == "referral_services" || table == "referral_orgs":
		return v.T("referral.status." + k)
	case table == "cases" && side == "row":
		for _, lc := range cases.LegalCodes {
			if lc.Code == k {
				return lc.Label(v.Lang)
			}
		}
		return v.T("dashboards.legal_none")
	case table == "cases":
		return v.T("case.status." + k)
	case table == "deadlines" && side == "row":
		return v.T("dashboards.item." + k)
	case table == "deadlines":
		return v.T("dashboards.deadline." + k)
	case table == "gaps" && side == "row":
		return v.T("dashboards.gap."+k, "N", unseen)
	case table == "gaps":
		return v.T("dashboards.gapcol." + k)
	}
	return k
}

// monthText is a YYYY-MM month in lang (B.E. in Thai).
func monthText(lang, month string) string {
	return dayText(lang, month)
}
