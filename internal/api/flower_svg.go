package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
)

// Flower sizes in pixels: small for lists (no petal letters), large for a
// person's or household's page.
const (
	flowerSmall = 64
	flowerLarge = 200
)

// PersonFlower answers GET /api/v1/people/{id}/flower.svg.
func (h *Handler) PersonFlower(w http.ResponseWriter, r *http.Request) {
	h.flowerSVG(w, r, flower.Child)
}

// HouseholdFlower answers GET /api/v1/households/{id}/flower.svg.
func (h *Handler) HouseholdFlower(w http.ResponseWriter, r *http.Request) {
	h.flowerSVG(w, r, flower.Household)
}

// flowerSVG draws the flower of the subject's latest staff assessment, all
// petals unknown (grey) when there is none, in the request's language.
// ?size=small|large (default large).
func (h *Handler) flowerSVG(w http.ResponseWriter, r *http.Request, subject flower.Subject) {
	if h.require(w, r, account.AssessmentsRead) == nil {
		return
	}
	size := flowerLarge
	switch r.URL.Query().Get("size") {
	case "", "large":
	case "small":
		size = flowerSmall
	default:
		h.Fail(w, r, &errs.Error{Code: errs.Invalid, MessageID: "error.query", Field: "size", Data: map[string]any{"Name": "size"}})
		return
	}
	levels, err := h.DB.SubjectFlower(r.Context(), subject, r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write([]byte(flower.RenderSVG(levels, flower.SVGOptions{Size: size, Lang: httpx.Lang(r.Context())})))
}
