package web

import (
	"net/http"
	"strconv"
	"strings"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/directory"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
)

// An organisation keeps its own entries: the form offers only the
// organisations the user keeps entries of.

type serviceForm struct {
	S          directory.Service
	Orgs       []orgOption
	Areas      []orgOption
	Dimensions []people.Dimension
	Kinds      []cases.Service
	Indicators string
	New        bool
}

// ServiceNew shows the form for a new entry (GET /services/new).
func (h *Handler) ServiceNew(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.DirectoryManage) == nil {
		return
	}
	h.renderServiceForm(w, r, http.StatusOK, directory.Service{Active: true, Free: true, Dimension: people.Education}, nil)
}

// ServiceEdit shows the form of an entry of the user's organisation.
func (h *Handler) ServiceEdit(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.DirectoryManage)
	if p == nil {
		return
	}
	s, err := h.DB.GetService(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !p.ManagesOrganisation(s.OrganisationID, account.DirectoryManage) {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	h.renderServiceForm(w, r, http.StatusOK, s, nil)
}

func (h *Handler) renderServiceForm(w http.ResponseWriter, r *http.Request, status int, s directory.Service, fe *FormError) {
	ctx := r.Context()
	p := httpx.Principal(ctx)
	lang := httpx.Lang(ctx)
	f := serviceForm{S: s, Dimensions: people.Dimensions, Kinds: cases.Services, Indicators: strings.Join(s.Indicators, ", "), New: s.ID == "" || s.Version == 0}
	orgs, err := h.activeOrganisations(ctx, lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, o := range orgs {
		if p.ManagesOrganisation(o.ID, account.DirectoryManage) {
			f.Orgs = append(f.Orgs, o)
		}
	}
	all, err := h.DB.ListPlaces(ctx, store.PlaceFilter{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, pl := range all {
		if pl.Kind == places.Province || pl.Kind == places.District || pl.Kind == places.Subdistrict {
			f.Areas = append(f.Areas, orgOption{ID: pl.ID, Name: pl.Code + " " + pl.Name(lang)})
		}
	}
	title := "directory.edit"
	if f.New {
		title = "directory.new"
	}
	v := h.view(r, title, f)
	v.Error = fe
	h.render(w, r, status, "service_form", v)
}

// ServiceSave creates (POST /services) or updates (POST /services/{id}) an
// entry; saving confirms it.
func (h *Handler) ServiceSave(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.DirectoryManage)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	s := directory.FormInput(r.PostFormValue).Service()
	s.ID = r.PathValue("id")
	if s.ID != "" {
		s.Version, _ = strconv.Atoi(r.PostFormValue("version"))
		old, err := h.DB.GetService(r.Context(), s.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		s.OrganisationID = old.OrganisationID
	}
	if !p.ManagesOrganisation(s.OrganisationID, account.DirectoryManage) {
		if s.ID != "" || s.OrganisationID == "" {
			h.renderServiceForm(w, r, http.StatusUnprocessableEntity, s, &FormError{Field: "organisation_id",
				Message: h.Cat.T(httpx.Lang(r.Context()), "directory.not_yours", nil)})
			return
		}
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	// An edit carries the entry's version; a new entry the form's nonce.
	ctx, err := r.Context(), error(nil)
	if s.ID == "" {
		ctx, err = h.formSending(r, "service:"+s.OrganisationID)
	}
	var saved directory.Service
	if err == nil {
		saved, err = h.DB.SaveService(ctx, s, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend_saved", func(id string) string { return "/services/" + id }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderServiceForm(w, r, status, s, fe)
		return
	}
	h.redirectWithFlash(w, r, "/services/"+saved.ID, "flash.service_saved")
}

// ServiceConfirm says an entry is still true (POST /services/{id}/confirm).
func (h *Handler) ServiceConfirm(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.DirectoryManage)
	if p == nil {
		return
	}
	s, err := h.DB.GetService(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !p.ManagesOrganisation(s.OrganisationID, account.DirectoryManage) {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := h.DB.ConfirmService(r.Context(), s.ID, version, httpx.Actor(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/services/"+s.ID, "flash.service_confirmed")
}
