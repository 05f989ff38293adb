package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/dashboards"
	"termtem/internal/httpx"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// FigureCell is a published count: status "shown" (n is the count),
// "lt5" (1 to 4, n is 0) or "hidden" (hidden so that a small count cannot
// be worked out, n is 0).
type FigureCell struct {
	N      int64  `json:"n"`
	Status string `json:"status"`
}

// FigureTable is one dashboard table after small-cell suppression.
type FigureTable struct {
	ID           string            `json:"id"`
	Rows         []dashboards.Head `json:"rows"`
	Columns      []dashboards.Head `json:"columns"`
	Cells        [][]FigureCell    `json:"cells"`
	RowTotals    []FigureCell      `json:"row_totals"`
	ColumnTotals []FigureCell      `json:"column_totals"`
	Total        FigureCell        `json:"total"`
	Withheld     bool              `json:"withheld"`
}

// Dashboard is an area's published figures.
type Dashboard struct {
	Place      Place         `json:"place"`
	From       string        `json:"from"`
	To         string        `json:"to"`
	AsOf       string        `json:"as_of"`
	Dimension  string        `json:"dimension"`
	UnseenDays int           `json:"unseen_days"`
	Tables     []FigureTable `json:"tables"`
}

func cells(cs []dashboards.Cell) []FigureCell {
	out := make([]FigureCell, len(cs))
	for i, c := range cs {
		out[i] = FigureCell{N: c.N, Status: c.Status()}
	}
	return out
}

func figureTable(t dashboards.Table) FigureTable {
	ft := FigureTable{ID: t.ID, Rows: t.Rows, Columns: t.Cols, RowTotals: cells(t.RowTotals), ColumnTotals: cells(t.ColTotals),
		Total: FigureCell{N: t.Grand.N, Status: t.Grand.Status()}, Withheld: t.Withheld, Cells: make([][]FigureCell, len(t.Cells))}
	for i, row := range t.Cells {
		ft.Cells[i] = cells(row)
	}
	if ft.Rows == nil {
		ft.Rows = []dashboards.Head{}
	}
	return ft
}

// GetDashboard answers GET /api/v1/dashboards/{code}?from=&to=&dimension=&unseen=:
// aggregates only, every count through small-cell suppression; an area
// outside the caller's is refused (403), a wrong parameter is 400.
func (h *Handler) GetDashboard(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReportsAggregate) == nil {
		return
	}
	q, err := store.ParseDashboardQuery(r.URL.Query().Get, h.DB.Now().In(thai.Bangkok()))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	p, err := h.DB.GetPlaceByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	q.PlaceID = p.ID
	d, err := h.DB.Dashboard(r.Context(), q, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	out := Dashboard{Place: placeJSON(d.Place), From: d.Period.FromMonth(), To: d.Period.ToMonth(), AsOf: d.Period.On.Format("2006-01-02"),
		Dimension: d.Dimension, UnseenDays: d.UnseenDays}
	for _, t := range d.Tables() {
		out.Tables = append(out.Tables, figureTable(t))
	}
	writeJSON(w, http.StatusOK, out)
}
