package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/organisations"
	"termtem/internal/places"
	"termtem/internal/store"
)

type organisationRow struct {
	Org       organisations.Organisation
	PlaceName string
	CanEdit   bool
}

type organisationsView struct {
	Rows      []organisationRow
	Kinds     []organisations.Kind
	Kind      string
	Search    string
	CanCreate bool
}

// OrganisationsList lists the service units and committees, filtered by kind
// and by a search in code or name.
func (h *Handler) OrganisationsList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.OrganisationsRead)
	if p == nil {
		return
	}
	q := r.URL.Query()
	ov := organisationsView{Kinds: organisations.Kinds, Kind: q.Get("kind"), Search: q.Get("q"),
		CanCreate: p.Can(account.OrganisationsManage) && p.Global()}
	orgs, err := h.DB.ListOrganisations(r.Context(), store.OrganisationFilter{Kind: organisations.Kind(ov.Kind), Search: ov.Search})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "nav.organisations", nil)
	names, err := h.placeNames(r, v.Lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, o := range orgs {
		ov.Rows = append(ov.Rows, organisationRow{Org: o, PlaceName: names[o.PlaceID],
			CanEdit: p.ManagesOrganisation(o.ID, account.OrganisationsManage)})
	}
	v.Data = ov
	// htmx asks for the table only when the filter changes.
	block := "layout.html"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "org-results" {
		block, v.Partial = "rows", true
	}
	h.renderBlock(w, r, http.StatusOK, "organisations", block, v)
}

// placeNames maps place IDs to names in lang; there are a few hundred places.
func (h *Handler) placeNames(r *http.Request, lang string) (map[string]string, error) {
	all, err := h.DB.ListPlaces(r.Context(), store.PlaceFilter{})
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(all))
	for _, p := range all {
		names[p.ID] = p.Name(lang)
		if p.Kind == places.Subdistrict || p.Kind == places.Community {
			names[p.ID] = p.Name(lang) + " (" + p.Code + ")"
		}
	}
	return names, nil
}
