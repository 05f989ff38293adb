package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/errs"
)

// ReportPDF prints the committee report with headless Chromium and sends
// it as a download. Without Chromium (TERMTEM_CHROMIUM) it answers 503
// saying so; the HTML report still works.
func (h *Handler) ReportPDF(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReportsAggregate) == nil {
		return
	}
	if err := h.Printer.Available(); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.committeeReport(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	css, err := staticFS.ReadFile("static/mapreport.css")
	if err != nil {
		h.fail(w, r, errs.Internalf("report styles: %w", err))
		return
	}
	v.Print, v.PrintCSS = true, template.CSS(css)
	page := h.view(r, "mapreport.report_title", v)
	var buf bytes.Buffer
	if err := h.pages["report"].ExecuteTemplate(&buf, "print", page); err != nil {
		h.fail(w, r, errs.Internalf("template report print: %w", err))
		return
	}
	pdf, err := h.Printer.PDF(r.Context(), buf.String())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The file name says which report it is, never who is in it.
	name := "termtem-report-" + v.R.District.Code + "-" + v.From + "-" + v.To + ".pdf"
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(pdf)
}
