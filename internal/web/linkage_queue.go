package web

import (
	"net/http"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/linkage"
	"termtem/internal/store"
)

// The record-linkage review queue: pairs of people an import was unsure
// of, for a data officer (linkage:review) to link or keep apart. URLs
// carry pair and merge IDs only, never names.

type linkageQueuePage struct {
	Status string
	Pairs  []store.Pair
	Total  int
	Next   int // offset of the next page; 0 when none
	// The weights in use, with the pairs imports recorded since they were
	// trained.
	Model   store.LinkageModel
	Weights []linkageWeight
	Since   int64
}

// linkageWeight is one line of the weights table.
type linkageWeight struct {
	Field, Level string
	Weight       float64
}

// LinkageQueue lists the pairs of one status (GET /linkage?status=…).
func (h *Handler) LinkageQueue(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.LinkageReview) == nil {
		return
	}
	status := r.URL.Query().Get("status")
	if status == "" {
		status = store.PairPending
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	const page = 50
	pairs, total, err := h.DB.ListPairs(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), status, page, offset, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := linkageQueuePage{Status: status, Pairs: pairs, Total: total}
	if d.Model, err = h.DB.CurrentLinkageModel(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, d.Since, err = h.DB.LinkagePairsRecorded(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, f := range linkage.Fields {
		for l := 0; l < f.Levels(); l++ {
			d.Weights = append(d.Weights, linkageWeight{Field: f.String(), Level: f.LevelName(uint8(l)), Weight: d.Model.Model.Weight(f, uint8(l))})
		}
	}
	if offset+len(pairs) < total {
		d.Next = offset + len(pairs)
	}
	h.render(w, r, http.StatusOK, "linkage", h.view(r, "linkage.title", d))
}
