package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/organisations"
	"termtem/internal/places"
	"termtem/internal/store"
)

type placeView struct {
	Path          []places.Place // ancestors, the top first, ending with the place
	Place         places.Place
	Children      []places.Place
	ChildCounts   map[string]int
	Organisations []organisations.Organisation
	CanAddChild   bool
	ChildKind     places.Kind
	CanEdit       bool
}

// PlacesShow shows one place: where it is, what lies under it, and the
// service units that serve it.
func (h *Handler) PlacesShow(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.PlacesRead)
	if p == nil {
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	path, err := h.DB.PlacePath(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pv := placeView{Path: path, Place: path[len(path)-1]}
	if pv.Children, err = h.DB.ListPlaces(ctx, store.PlaceFilter{ParentID: id}); err != nil {
		h.fail(w, r, err)
		return
	}
	if pv.ChildCounts, err = h.DB.CountChildren(ctx, id); err != nil {
		h.fail(w, r, err)
		return
	}
	if p.Can(account.OrganisationsRead) {
		if pv.Organisations, err = h.DB.ListOrganisations(ctx, store.OrganisationFilter{PlaceID: id}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	manage := p.Can(account.PlacesManage)
	pv.CanEdit = manage
	// Administrators add communities; the official levels above come from
	// reference data.
	pv.CanAddChild = manage && pv.Place.Kind == places.Subdistrict
	pv.ChildKind = places.Community
	h.render(w, r, http.StatusOK, "places", h.view(r, "nav.places", pv))
}
