package web

import (
	"bytes"
	"io"
	"net/http"

	"termtem/internal/account"
	"termtem/internal/directory"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// ServicesExport downloads the directory as HSDS 3.0 JSON
// (GET /services/hsds.json), for other directories to take in.
func (h *Handler) ServicesExport(w http.ResponseWriter, r *http.Request) {
	h.exportDirectory(w, r, directory.JSONForm)
}

// ServicesExportTabular downloads the directory as an HSDS 3.0 tabular
// data package, a ZIP of CSV files (GET /services/hsds.zip).
func (h *Handler) ServicesExportTabular(w http.ResponseWriter, r *http.Request) {
	h.exportDirectory(w, r, directory.TabularForm)
}

// exportDirectory downloads the whole directory in one of its forms.
func (h *Handler) exportDirectory(w http.ResponseWriter, r *http.Request, form directory.ExportForm) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	list, err := h.DB.ListServices(r.Context(), store.ServiceFilter{})
	var buf bytes.Buffer
	if err == nil {
		err = form.Write(&buf, list)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", form.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+form.FileName+`"`)
	_, _ = w.Write(buf.Bytes())
}

// servicesImportPage is the upload form, with what the last upload did or
// every problem that kept it from being stored.
type servicesImportPage struct {
	Result   *store.ImportResult
	Problems []instrumentProblem
}

// ServicesImport takes in an HSDS file (POST /services/import), JSON or a
// tabular package (ZIP of CSV files): all its services or none, each for
// an organisation the user keeps entries of. Every refused entry or row is
// listed with its file, line and column.
func (h *Handler) ServicesImport(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.DirectoryManage)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, directory.MaxTabular+64<<10)
	f, _, err := r.FormFile("file")
	if err != nil {
		h.fail(w, r, errs.Field("file", "field.required", nil))
		return
	}
	defer f.Close()
	body, err := io.ReadAll(f)
	if err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.too_large", err))
		return
	}
	list, err := directory.ReadExchange(body)
	// The form's nonce: entries with an ID are the same entries the second
	// time (unchanged), but new ones would be made twice; the same file
	// sent again goes to the directory, told that the first sending
	// imported it.
	ctx := r.Context()
	if err == nil {
		ctx, err = h.formSending(r, "services-import")
	}
	var res store.ImportResult
	if err == nil {
		res, err = h.DB.ImportServices(ctx, list, func(org string) bool { return p.ManagesOrganisation(org, account.DirectoryManage) }, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend2_services_import", func(string) string { return "/services" }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		var page servicesImportPage
		lang := httpx.Lang(r.Context())
		for _, e := range flower.Problems(err) {
			field := e.Field
			if e.File != "" {
				field = e.File + " › " + field
			}
			page.Problems = append(page.Problems, instrumentProblem{Field: field, Line: e.Line, Message: h.Cat.T(lang, e.MessageID, e.Data)})
		}
		v := h.view(r, "directory.import", page)
		v.Error = fe
		if len(page.Problems) > 1 {
			v.Error = h.fieldError(r, "file", "directory.import_problems", map[string]any{"Count": len(page.Problems)})
		}
		h.render(w, r, status, "services_import", v)
		return
	}
	h.render(w, r, http.StatusOK, "services_import", h.view(r, "directory.import", servicesImportPage{Result: &res}))
}

// ServicesImportForm shows the upload form (GET /services/import).
func (h *Handler) ServicesImportForm(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.DirectoryManage) == nil {
		return
	}
	h.render(w, r, http.StatusOK, "services_import", h.view(r, "directory.import", servicesImportPage{}))
}
