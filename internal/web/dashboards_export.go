package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"

	"github.com/xuri/excelize/v2"

	"termtem/internal/errs"
	"termtem/internal/httpx"
)

// DashboardExport writes every table of a dashboard to an XLSX workbook,
// one sheet each, exactly as published (suppressed counts stay "< 5" and
// "—"); the export is audited. Rows are streamed into the sheets.
func (h *Handler) DashboardExport(w http.ResponseWriter, r *http.Request) {
	_, q, ok := h.dashboardRequest(w, r)
	if !ok {
		return
	}
	d, err := h.DB.Dashboard(r.Context(), q, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "", nil)
	dv := h.dashboardView(r, v, d, false)
	f := excelize.NewFile()
	defer f.Close()
	for i, t := range dv.Tables {
		sheet := fmt.Sprintf("%02d %s", i+1, t.ID)
		if len(sheet) > 31 {
			sheet = sheet[:31]
		}
		if i == 0 {
			err = f.SetSheetName("Sheet1", sheet)
		} else {
			_, err = f.NewSheet(sheet)
		}
		if err == nil {
			err = writeFigureSheet(f, sheet, t, v.T("dashboards.total"), v.T("dashboards.withheld"),
				v.T("dashboards.sheet_note", "Place", dv.Place, "From", dv.From, "To", dv.To))
		}
		if err != nil {
			h.fail(w, r, errs.Internalf("dashboard export: %w", err))
			return
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		h.fail(w, r, errs.Internalf("dashboard export: %w", err))
		return
	}
	if err := h.DB.AuditDashboardExport(r.Context(), d, httpx.Actor(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	name := "dashboard-" + d.Place.Code + "-" + dv.From + "-" + dv.To + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, _ = w.Write(buf.Bytes())
}

// writeFigureSheet streams one table: a title, a note, the header, the
// rows and the totals. Shown counts are numbers; "< 5" and "—" are text.
func writeFigureSheet(f *excelize.File, sheet string, t figureTable, total, withheld, note string) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	row := 0
	put := func(cells ...any) error {
		row++
		axis, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return sw.SetRow(axis, cells)
	}
	value := func(c figureCell) any {
		var n int64
		if _, err := fmt.Sscan(c.Text, &n); err == nil && fmt.Sprint(n) == c.Text {
			return n
		}
		return c.Text
	}
	if err := put(t.Caption); err != nil {
		return err
	}
	if err := put(note); err != nil {
		return err
	}
	if t.Withheld {
		if err := put(withheld); err != nil {
			return err
		}
		return sw.Flush()
	}
	head := []any{t.RowHead}
	for _, c := range t.Cols {
		head = append(head, c)
	}
	if err := put(append(head, total)...); err != nil {
		return err
	}
	for _, r := range t.Rows {
		cells := []any{r.Head}
		for _, c := range r.Cells {
			cells = append(cells, value(c))
		}
		if err := put(append(cells, value(r.Total))...); err != nil {
			return err
		}
	}
	cells := []any{total}
	for _, c := range t.Totals {
		cells = append(cells, value(c))
	}
	if err := put(append(cells, value(t.Grand))...); err != nil {
		return err
	}
	return sw.Flush()
}
