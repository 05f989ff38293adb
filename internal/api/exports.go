package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/exports"
	"termtem/internal/httpx"
)

// ExportRequest is the body of POST /api/v1/exports. The parameters
// travel in the body, never in the URL.
type ExportRequest struct {
	// AreaID is a district, sub-district or community (a place ID); or
	// PersonID one person (FHIR only).
	AreaID       string   `json:"area_id"`
	PersonID     string   `json:"person_id"`
	Format       string   `json:"format"` // csv, xlsx or fhir
	Fields       []string `json:"fields"` // csv and xlsx: keys of the field catalogue
	ChildrenOnly bool     `json:"children_only"`
}

// Export answers POST /api/v1/exports with the file itself (text/csv,
// XLSX or application/fhir+json). The header row of a list holds the
// field keys, for machines.
func (h *Handler) Export(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ExportsRun) == nil {
		return
	}
	var in ExportRequest
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	req := exports.Request{AreaID: in.AreaID, Format: exports.Format(in.Format), Fields: in.Fields, ChildrenOnly: in.ChildrenOnly,
		Lang: httpx.Lang(r.Context())}
	if in.PersonID != "" && req.Format != exports.FHIR {
		h.Fail(w, r, errs.Field("format", "exports.person_fhir_only", nil))
		return
	}
	asOf := h.DB.Now()
	file := &exports.Lazy{Open: func() (*exports.File, error) {
		ctype, _ := exports.ContentType(req.Format)
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-store")
		return exports.Open(w, req, asOf, req.Fields)
	}}
	_, err := h.DB.Export(r.Context(), req, in.PersonID, httpx.Actor(r), file.Write)
	if err == nil {
		err = file.Finish()
	}
	if err != nil {
		if file.Started() {
			httpx.LogError(h.Log, r, errs.As(err))
			panic(http.ErrAbortHandler) // a cut file must not look whole
		}
		h.Fail(w, r, err)
	}
}
