package web

import (
	"net/http"
	"slices"

	"termtem/internal/account"
	"termtem/internal/exports"
	"termtem/internal/people"
	"termtem/internal/store"
)

// The export screen: a data officer chooses an area, a format and the
// fields, and the file is sent as the answer to the POST — no parameter,
// and no person, ever appears in a URL. Everything needs exports:run.

type exportsPage struct {
	Areas   []store.ExportArea
	Formats []exports.Format
	Fields  []exportField
	AreaID  string
	Format  exports.Format
	// Children: only people under 18.
	Children bool
}

type exportField struct {
	Key       string
	Chosen    bool
	Sensitive bool // needs a sensitive-data permission the user holds
}

// ExportsForm shows the export form (GET /exports).
func (h *Handler) ExportsForm(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ExportsRun) == nil {
		return
	}
	h.renderExports(w, r, http.StatusOK, exports.Request{Format: exports.CSV, Fields: exports.DefaultFields(), ChildrenOnly: true}, nil)
}

func (h *Handler) renderExports(w http.ResponseWriter, r *http.Request, status int, req exports.Request, fe *FormError) {
	p := h.require(w, r, account.ExportsRun)
	if p == nil {
		return
	}
	areas, err := h.DB.ExportAreas(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := exportsPage{Areas: areas, Formats: exports.Formats, AreaID: req.AreaID, Format: req.Format, Children: req.ChildrenOnly}
	for _, f := range exports.Fields {
		// Fields of a category the role is not granted are not offered
		// (the store refuses them too, by name).
		if f.Sensitive != people.NotSensitive && !p.SeesSensitive(string(f.Sensitive)) {
			continue
		}
		page.Fields = append(page.Fields, exportField{Key: f.Key, Chosen: slices.Contains(req.Fields, f.Key), Sensitive: f.Sensitive != people.NotSensitive})
	}
	v := h.view(r, "exports.title", page)
	v.Error = fe
	h.render(w, r, status, "exports", v)
}
