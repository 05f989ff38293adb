package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/exports"
	"termtem/internal/httpx"
	"termtem/internal/thai"
)

// ExportDownload sends the chosen export as a file (POST /exports). The
// store refuses before anything is sent (permission, area, fields), so a
// refusal is shown on the form; once the first row is written the file is
// under way.
func (h *Handler) ExportDownload(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ExportsRun) == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	f := r.PostForm
	req := exports.Request{AreaID: f.Get("area_id"), Format: exports.Format(f.Get("format")), Fields: f["fields"],
		ChildrenOnly: f.Get("children") == "1", Lang: httpx.Lang(r.Context())}
	asOf := h.DB.Now()
	header := make([]string, len(req.Fields))
	for i, k := range req.Fields {
		header[i] = h.Cat.T(req.Lang, "exports.field."+k, nil)
	}
	file := &exports.Lazy{Open: func() (*exports.File, error) {
		ctype, ext := exports.ContentType(req.Format)
		hd := w.Header()
		hd.Set("Content-Type", ctype)
		hd.Set("Content-Disposition", `attachment; filename="termtem-export-`+asOf.In(thai.Bangkok()).Format("20060102-1504")+ext+`"`)
		hd.Set("Cache-Control", "no-store")
		return exports.Open(w, req, asOf, header)
	}}
	_, err := h.DB.Export(r.Context(), req, "", httpx.Actor(r), file.Write)
	if err == nil {
		err = file.Finish()
	}
	switch {
	case err == nil:
	case file.Started():
		// Part of the file may be out: break the connection, so that a cut
		// file is never taken for a whole one.
		httpx.LogError(h.Log, r, errs.As(err))
		panic(http.ErrAbortHandler)
	default:
		if fe, status, ok := h.formError(r, err); ok {
			h.renderExports(w, r, status, req, fe)
			return
		}
		h.fail(w, r, err)
	}
}
