package web

import (
	"encoding/json"
	"io"
	"net/http"

	"termtem/internal/account"
	"termtem/internal/directory"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// ServicesExport downloads the directory as HSDS 3.0 JSON
// (GET /services/hsds.json), for other directories to take in.
func (h *Handler) ServicesExport(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	list, err := h.DB.ListServices(r.Context(), store.ServiceFilter{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="termtem-services-hsds.json"`)
	_ = json.NewEncoder(w).Encode(directory.Page(list))
}

// ServicesImport takes in an HSDS file (POST /services/import): all its
// services or none, each for an organisation the user keeps entries of.
func (h *Handler) ServicesImport(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.DirectoryManage)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<20)
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
	list, err := directory.ParseHSDS(body)
	if err == nil {
		_, err = h.DB.ImportServices(r.Context(), list, func(org string) bool { return p.ManagesOrganisation(org, account.DirectoryManage) }, httpx.Actor(r))
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		v := h.view(r, "directory.import", nil)
		v.Error = fe
		h.render(w, r, status, "services_import", v)
		return
	}
	h.redirectWithFlash(w, r, "/services", "flash.services_imported")
}

// ServicesImportForm shows the upload form (GET /services/import).
func (h *Handler) ServicesImportForm(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.DirectoryManage) == nil {
		return
	}
	h.render(w, r, http.StatusOK, "services_import", h.view(r, "directory.import", nil))
}
