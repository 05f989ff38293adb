package api

import (
	"net/http"
	"strconv"
	"time"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/linkage"
	"termtem/internal/store"
)

// PairJSON is a pair of the record-linkage review queue.
type PairJSON struct {
	ID          string `json:"id"`
	Version     int    `json:"version"`
	Status      string `json:"status"`
	PersonID    string `json:"person_id"`
	CandidateID string `json:"candidate_id"`
	// Score and Evidence are under the weights in use (version
	// WeightsVersion; 0: the defaults); ScoredWith is the version the
	// import scored the pair with when it queued it.
	Score          float64            `json:"score"`
	Evidence       []linkage.Evidence `json:"evidence"`
	WeightsVersion int                `json:"weights_version"`
	ScoredWith     int                `json:"scored_with_version"`
	Source         string             `json:"source"`
	MergeID        string             `json:"merge_id,omitempty"`
	MergeUndone    bool               `json:"merge_undone,omitempty"`
	CreatedAt      time.Time          `json:"created_at"`
	DecidedAt      *time.Time         `json:"decided_at,omitempty"`
	// Person and Candidate are given by GET /linkage/pairs/{id} only.
	Person    *PersonJSON `json:"person,omitempty"`
	Candidate *PersonJSON `json:"candidate,omitempty"`
}

func pairJSON(p store.Pair) PairJSON {
	out := PairJSON{ID: p.ID, Version: p.Version, Status: p.Status, PersonID: p.PersonID, CandidateID: p.CandidateID, Score: p.Score,
		Evidence: p.Evidence, WeightsVersion: p.Weights, ScoredWith: p.ModelVersion, Source: p.Source, MergeID: p.MergeID, MergeUndone: p.MergeUndone, CreatedAt: p.CreatedAt}
	if out.Evidence == nil {
		out.Evidence = []linkage.Evidence{}
	}
	if !p.DecidedAt.IsZero() {
		d := p.DecidedAt
		out.DecidedAt = &d
	}
	return out
}

// ListPairs answers GET /api/v1/linkage/pairs?status=pending|linked|separate
// &limit=&offset=: the review queue, oldest first.
func (h *Handler) ListPairs(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.LinkageReview) == nil {
		return
	}
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	pairs, total, err := h.DB.ListPairs(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), q.Get("status"), limit, offset, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	out := make([]PairJSON, 0, len(pairs))
	for _, p := range pairs {
		out = append(out, pairJSON(p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "count": len(out), "total": total})
}

// GetPair answers GET /api/v1/linkage/pairs/{id}: both people in full and
// the evidence; ETag holds the pair's version.
func (h *Handler) GetPair(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.LinkageReview) == nil {
		return
	}
	p, err := h.DB.GetPair(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.writePair(w, r, p)
}

func (h *Handler) writePair(w http.ResponseWriter, r *http.Request, p store.Pair) {
	out := pairJSON(p)
	a, err := h.personJSON(r.Context(), p.Person)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	b, err := h.personJSON(r.Context(), p.Candidate)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	out.Person, out.Candidate = &a, &b
	writeVersioned(w, http.StatusOK, p.Version, out)
}

// LinkPair answers POST /api/v1/linkage/pairs/{id}/link with If-Match: the
// two are one person; the imported one is merged into the one known.
func (h *Handler) LinkPair(w http.ResponseWriter, r *http.Request) {
	h.decidePair(w, r, func(id string, version int) error {
		_, err := h.DB.LinkPair(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), id, version, httpx.Actor(r))
		return err
	})
}

// SeparatePair answers POST /api/v1/linkage/pairs/{id}/separate with
// If-Match: the two are different people.
func (h *Handler) SeparatePair(w http.ResponseWriter, r *http.Request) {
	h.decidePair(w, r, func(id string, version int) error {
		return h.DB.SeparatePair(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), id, version, httpx.Actor(r))
	})
}

func (h *Handler) decidePair(w http.ResponseWriter, r *http.Request, do func(id string, version int) error) {
	if h.require(w, r, account.LinkageReview) == nil {
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := do(id, version); err != nil {
		h.Fail(w, r, err)
		return
	}
	p, err := h.DB.GetPair(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), id, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.writePair(w, r, p)
}

// UnmergePair answers POST /api/v1/linkage/merges/{id}/undo: what the
// merge moved goes back, and its pair waits for review again.
func (h *Handler) UnmergePair(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.LinkageReview) == nil {
		return
	}
	if err := h.DB.Unmerge(r.Context(), httpx.Principal(r.Context()).OrganisationIDs(), r.PathValue("id"), httpx.Actor(r)); err != nil {
		h.Fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
