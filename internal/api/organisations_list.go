package api

import (
	"net/http"
	"slices"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/organisations"
	"termtem/internal/store"
)

// Organisation is a service unit as the API shows it.
type Organisation struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	Kind     string `json:"kind"`
	NameTH   string `json:"name_th"`
	NameEN   string `json:"name_en"`
	PlaceID  string `json:"place_id"`
	ParentID string `json:"parent_id,omitempty"`
	Active   bool   `json:"active"`
	Version  int    `json:"version"`
}

func organisationJSON(o organisations.Organisation) Organisation {
	return Organisation{o.ID, o.Code, string(o.Kind), o.NameTH, o.NameEN, o.PlaceID, o.ParentID, o.Active, o.Version}
}

// ListOrganisations answers GET /api/v1/organisations?kind=&place_id=&q=.
func (h *Handler) ListOrganisations(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	q := r.URL.Query()
	f := store.OrganisationFilter{Kind: organisations.Kind(q.Get("kind")), PlaceID: q.Get("place_id"), Search: q.Get("q")}
	if f.Kind != "" && !slices.Contains(organisations.Kinds, f.Kind) {
		h.Fail(w, r, &errs.Error{Code: errs.Invalid, MessageID: "error.query", Field: "kind", Data: map[string]any{"Name": "kind"}})
		return
	}
	all, err := h.DB.ListOrganisations(r.Context(), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	out := make([]Organisation, 0, len(all))
	for _, o := range all {
		out = append(out, organisationJSON(o))
	}
	writeJSON(w, http.StatusOK, newList(out))
}

// GetOrganisation answers GET /api/v1/organisations/{id}.
func (h *Handler) GetOrganisation(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.OrganisationsRead) == nil {
		return
	}
	o, err := h.DB.GetOrganisation(r.Context(), r.PathValue("id"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(o.Version))
	writeJSON(w, http.StatusOK, organisationJSON(o))
}

// etag makes a version into a strong ETag, for If-Match on later updates.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }
