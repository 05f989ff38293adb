package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/store"
)

// PlacesList starts the places browser at the top of the tree. With one
// province loaded (Bangkok) it opens that province directly.
func (h *Handler) PlacesList(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PlacesRead) == nil {
		return
	}
	roots, err := h.DB.ListPlaces(r.Context(), store.PlaceFilter{Roots: true})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(roots) == 1 {
		http.Redirect(w, r, "/places/"+roots[0].ID, http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "places", h.view(r, "nav.places", placeView{Children: roots}))
}
