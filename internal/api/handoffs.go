package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// ListHandoffs answers GET /api/v1/handoffs?direction=incoming|outgoing
// &open=true: hand-offs to (or from) the caller's organisations, oldest
// first, continuity gaps marked.
func (h *Handler) ListHandoffs(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.ReferralsManage)
	if p == nil {
		return
	}
	incoming, open, err := incomingOpen(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	list, err := h.DB.ListHandoffs(r.Context(), store.HandoffFilter{UserID: p.User.ID, Incoming: incoming, Open: open}, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// HandoffInput is the body of POST /api/v1/handoffs.
type HandoffInput struct {
	PersonID           string `json:"person_id"`
	FromOrganisationID string `json:"from_organisation_id"`
	ToOrganisationID   string `json:"to_organisation_id"`
	Reason             string `json:"reason"` // moved, stage or enrolment
}

// CreateHandoff answers POST /api/v1/handoffs: one of the caller's units
// hands a child over to another with the child's open concerns.
func (h *Handler) CreateHandoff(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.ReferralsManage)
	if p == nil {
		return
	}
	var in HandoffInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	from, err := sender(p, in.FromOrganisationID, in.PersonID)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	ctx, err := idempotent(r)
	var ho store.Handoff
	if err == nil {
		ho, err = h.DB.CreateHandoff(ctx, store.HandoffInput{PersonID: in.PersonID, FromOrg: from, ToOrg: in.ToOrganisationID,
			Reason: store.HandoffReason(in.Reason)}, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) {
		first, err := h.DB.MadeHandoff(r.Context(), id)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		replayedAs(w, "/api/v1/handoffs/"+id, first.Version, first)
	}) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	created(w, "/api/v1/handoffs/"+ho.ID, ho.Version, ho)
}

// AcknowledgeHandoff answers POST /api/v1/handoffs/{id}/acknowledge with
// If-Match naming its version: the receiving unit has taken the child on.
func (h *Handler) AcknowledgeHandoff(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReferralsManage) == nil {
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	ho, err := h.DB.AcknowledgeHandoff(r.Context(), r.PathValue("id"), version, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, ho.Version, ho)
}
