package api

import (
	"net/http"
	"slices"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/places"
	"termtem/internal/store"
)

// Place is a place as the API shows it.
type Place struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Code     string `json:"code"`
	ParentID string `json:"parent_id,omitempty"`
	NameTH   string `json:"name_th"`
	NameEN   string `json:"name_en"`
	Postcode string `json:"postcode,omitempty"`
	Version  int    `json:"version"`
}

func placeJSON(p places.Place) Place {
	return Place{p.ID, string(p.Kind), p.Code, p.ParentID, p.NameTH, p.NameEN, p.Postcode, p.Version}
}

// ListPlaces answers GET /api/v1/places?kind=&parent_id=.
func (h *Handler) ListPlaces(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PlacesRead) == nil {
		return
	}
	q := r.URL.Query()
	f := store.PlaceFilter{Kind: places.Kind(q.Get("kind")), ParentID: q.Get("parent_id")}
	if f.Kind != "" && !slices.Contains(places.Kinds, f.Kind) {
		h.Fail(w, r, &errs.Error{Code: errs.Invalid, MessageID: "error.query", Field: "kind", Data: map[string]any{"Name": "kind"}})
		return
	}
	all, err := h.DB.ListPlaces(r.Context(), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	out := make([]Place, 0, len(all))
	for _, p := range all {
		out = append(out, placeJSON(p))
	}
	writeJSON(w, http.StatusOK, newList(out))
}

// GetPlace answers GET /api/v1/places/{id}.
func (h *Handler) GetPlace(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PlacesRead) == nil {
		return
	}
	p, err := h.DB.GetPlace(r.Context(), r.PathValue("id"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(p.Version))
	writeJSON(w, http.StatusOK, placeJSON(p))
}
