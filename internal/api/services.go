package api

import (
	"bytes"
	"io"
	"net/http"
	"slices"

	"termtem/internal/account"
	"termtem/internal/directory"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// The service directory: entries, their HSDS exchange, and the matches of
// a child's red and yellow indicators.

// ListServices answers GET /api/v1/services?dimension=&indicator=&q=&stale=true.
func (h *Handler) ListServices(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	q := r.URL.Query()
	f := store.ServiceFilter{Dimension: people.Dimension(q.Get("dimension")), Indicator: q.Get("indicator"), Search: q.Get("q"),
		StaleOnly: q.Get("stale") == "true", OrganisationID: q.Get("organisation_id")}
	if f.Dimension != "" && !slices.Contains(people.Dimensions, f.Dimension) {
		h.Fail(w, r, &errs.Error{Code: errs.Invalid, MessageID: "error.query", Field: "dimension", Data: map[string]any{"Name": "dimension"}})
		return
	}
	list, err := h.DB.ListServices(r.Context(), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// GetService answers GET /api/v1/services/{id}.
func (h *Handler) GetService(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	s, err := h.DB.GetService(r.Context(), r.PathValue("id"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(s.Version))
	writeJSON(w, http.StatusOK, s)
}

// ServiceInput is an entry as a client writes it (the directory's Input,
// shared with the web form).
type ServiceInput = directory.Input

// CreateService answers POST /api/v1/services (directory:manage, for the
// caller's own organisation).
func (h *Handler) CreateService(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.DirectoryManage)
	if p == nil {
		return
	}
	var in ServiceInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	if !p.ManagesOrganisation(in.OrganisationID, account.DirectoryManage) {
		h.Fail(w, r, errs.Field("organisation_id", "directory.not_yours", nil))
		return
	}
	ctx, err := idempotent(r)
	var s directory.Service
	if err == nil {
		s, err = h.DB.SaveService(ctx, in.Service(), httpx.Actor(r))
	}
	if replayed(w, err, func(id string) { replayGet(w, r, h.GetService, "id", id) }) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	created(w, "/api/v1/services/"+s.ID, s.Version, s)
}

// UpdateService answers PUT /api/v1/services/{id} with If-Match.
func (h *Handler) UpdateService(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.DirectoryManage)
	if p == nil {
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	old, err := h.DB.GetService(r.Context(), r.PathValue("id"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if !p.ManagesOrganisation(old.OrganisationID, account.DirectoryManage) {
		h.Fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	var in ServiceInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	s := in.Service()
	s.ID, s.Version = old.ID, version
	if s.OrganisationID == "" {
		s.OrganisationID = old.OrganisationID
	}
	saved, err := h.DB.SaveService(r.Context(), s, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(saved.Version))
	writeJSON(w, http.StatusOK, saved)
}

// ExportServices answers GET /api/v1/services/hsds: the directory as an
// HSDS 3.0 page of services.
func (h *Handler) ExportServices(w http.ResponseWriter, r *http.Request) {
	h.exportDirectory(w, r, directory.JSONForm)
}

// ExportServicesTabular answers GET /api/v1/services/hsds/tabular: the
// directory as an HSDS 3.0 tabular data package (a ZIP of CSV files).
func (h *Handler) ExportServicesTabular(w http.ResponseWriter, r *http.Request) {
	h.exportDirectory(w, r, directory.TabularForm)
}

// exportDirectory answers with the whole directory in one of its forms,
// written whole before anything is sent so that a failure is an error
// answer, not half a file.
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
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", form.ContentType)
	_, _ = w.Write(buf.Bytes())
}

// ImportServices answers POST /api/v1/services/hsds and
// /api/v1/services/hsds/tabular: an HSDS JSON page or array of services,
// or a tabular package (ZIP), stored all or none; every refused entry or
// row is listed.
func (h *Handler) ImportServices(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.DirectoryManage)
	if p == nil {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, directory.MaxTabular))
	if err != nil {
		h.Fail(w, r, errs.Wrap(errs.Invalid, "error.too_large", err))
		return
	}
	list, err := directory.ReadExchange(body)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	// With an Idempotency-Key, the same file sent again makes nothing: its
	// answer counts nothing, marked as a replay (entries with an ID are the
	// same entries anyway; new ones would be made twice).
	ctx, err := idempotent(r)
	var res store.ImportResult
	if err == nil {
		res, err = h.DB.ImportServices(ctx, list, func(org string) bool { return p.ManagesOrganisation(org, account.DirectoryManage) }, httpx.Actor(r))
	}
	if replayed(w, err, func(string) { res = store.ImportResult{} }) {
		writeJSON(w, http.StatusOK, struct {
			Imported int `json:"imported"`
			store.ImportResult
		}{0, res})
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Imported int `json:"imported"`
		store.ImportResult
	}{res.Created + res.Updated + res.Unchanged, res})
}

// PersonServiceMatches answers GET /api/v1/people/{id}/service-matches:
// the services for the child's red and yellow indicators (audited).
func (h *Handler) PersonServiceMatches(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.AssessmentsRead) == nil {
		return
	}
	m, err := h.DB.MatchServicesFor(r.Context(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	type match struct {
		Service  directory.Service   `json:"service"`
		Concerns []directory.Concern `json:"concerns"`
		Verdict  directory.Verdict   `json:"verdict"`
		Refused  string              `json:"refused_by,omitempty"`
		Distance int                 `json:"distance"`
	}
	out := struct {
		Concerns []directory.Concern `json:"concerns"`
		Matches  []match             `json:"matches"`
	}{Concerns: m.Concerns, Matches: []match{}}
	if out.Concerns == nil {
		out.Concerns = []directory.Concern{}
	}
	for _, x := range m.Matches {
		out.Matches = append(out.Matches, match{x.Service, x.Concerns, x.Verdict, x.Refused, x.Distance})
	}
	writeJSON(w, http.StatusOK, out)
}
