package web

import (
	"net/http"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/organisations"
	"termtem/internal/places"
	"termtem/internal/store"
)

type organisationForm struct {
	Org     organisations.Organisation
	Kinds   []organisations.Kind
	Places  []places.Place
	Parents []organisations.Organisation
	New     bool
}

// OrganisationNew shows the form for a new organisation (system administrators).
func (h *Handler) OrganisationNew(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsManage)
	if p == nil {
		return
	}
	if !p.Global() {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	h.renderOrganisationForm(w, r, http.StatusOK, organisations.Organisation{Active: true}, nil)
}

// OrganisationEdit shows the form for an existing organisation.
func (h *Handler) OrganisationEdit(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsManage)
	if p == nil {
		return
	}
	o, err := h.DB.GetOrganisation(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !p.ManagesOrganisation(o.ID, account.OrganisationsManage) {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	h.renderOrganisationForm(w, r, http.StatusOK, o, nil)
}

func (h *Handler) renderOrganisationForm(w http.ResponseWriter, r *http.Request, status int, o organisations.Organisation, fe *FormError) {
	f := organisationForm{Org: o, Kinds: organisations.Kinds, New: o.ID == ""}
	all, err := h.DB.ListPlaces(r.Context(), store.PlaceFilter{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, p := range all {
		if p.Kind != places.Zone {
			f.Places = append(f.Places, p)
		}
	}
	if f.Parents, err = h.DB.ListOrganisations(r.Context(), store.OrganisationFilter{}); err != nil {
		h.fail(w, r, err)
		return
	}
	title := "organisation.edit"
	if f.New {
		title = "organisation.new"
	}
	v := h.view(r, title, f)
	v.Error = fe
	h.render(w, r, status, "organisation_form", v)
}

// OrganisationSave creates or updates an organisation.
func (h *Handler) OrganisationSave(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsManage)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	o := organisations.Organisation{
		ID:       r.PathValue("id"),
		Code:     r.PostFormValue("code"),
		Kind:     organisations.Kind(r.PostFormValue("kind")),
		NameTH:   r.PostFormValue("name_th"),
		NameEN:   r.PostFormValue("name_en"),
		PlaceID:  r.PostFormValue("place_id"),
		ParentID: r.PostFormValue("parent_id"),
		Active:   r.PostFormValue("active") == "on",
	}
	o.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	allowed := p.Global()
	if o.ID != "" {
		allowed = p.ManagesOrganisation(o.ID, account.OrganisationsManage)
	}
	if !allowed {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	// An edit carries the organisation's version; a new one the form's nonce.
	ctx, err := r.Context(), error(nil)
	if o.ID == "" {
		ctx, err = h.formSending(r, "organisation:new")
	}
	if err == nil {
		_, err = h.DB.SaveOrganisation(ctx, o, httpx.Actor(r))
	}
	// Sent again: to the list, as the first sending went, where the first
	// one is (not "this code is taken").
	if h.sentBefore(w, r, err, "flash.resend_saved", func(string) string { return "/organisations" }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderOrganisationForm(w, r, status, o, fe)
		return
	}
	h.redirectWithFlash(w, r, "/organisations", "flash.saved")
}
