package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// incomingOpen reads ?direction=incoming|outgoing (default incoming) and
// ?open=true|false of a list of referrals or hand-offs.
func incomingOpen(r *http.Request) (incoming, open bool, err error) {
	q := r.URL.Query()
	switch q.Get("direction") {
	case "", "incoming":
		incoming = true
	case "outgoing":
	default:
		return false, false, badQuery("direction")
	}
	switch q.Get("open") {
	case "", "false":
	case "true":
		open = true
	default:
		return false, false, badQuery("open")
	}
	return incoming, open, nil
}

// sender is the organisation a referral or hand-off leaves from: one of
// the caller's (their only one by default); the person is required.
func sender(p *account.Principal, orgID, personID string) (string, error) {
	from, err := ownOrganisation(p, orgID)
	if err != nil {
		return "", errs.Field("from_organisation_id", errs.As(err).MessageID, nil)
	}
	if personID == "" {
		return "", errs.Field("person_id", "field.required", nil)
	}
	return from, nil
}

// ListReferrals answers GET /api/v1/referrals?direction=incoming|outgoing
// &open=true: referrals to (or from) the caller's organisations, the
// earliest deadline first.
func (h *Handler) ListReferrals(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.ReferralsManage)
	if p == nil {
		return
	}
	incoming, open, err := incomingOpen(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	list, err := h.DB.ListReferrals(r.Context(), store.ReferralFilter{UserID: p.User.ID, Incoming: incoming, Open: open,
		PersonID: r.URL.Query().Get("person_id")}, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// ReferralInput is the body of POST /api/v1/referrals.
type ReferralInput struct {
	PersonID           string            `json:"person_id"`
	CaseID             string            `json:"case_id"`
	FromOrganisationID string            `json:"from_organisation_id"`
	ToOrganisationID   string            `json:"to_organisation_id"`
	Service            string            `json:"service"`
	Urgency            string            `json:"urgency"`
	Reason             string            `json:"reason"`
	SharedInfo         string            `json:"shared_info"`
	LawfulBasis        cases.LawfulBasis `json:"lawful_basis"`
	ServiceID          string            `json:"service_id"` // a service of the directory the receiver offers
}

// CreateReferral answers POST /api/v1/referrals: the caller refers a child
// from one of their organisations to another organisation. Without a
// lawful basis, or to the sender's own organisation, it is refused (422).
func (h *Handler) CreateReferral(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.ReferralsManage)
	if p == nil {
		return
	}
	var in ReferralInput
	if err := decode(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	from, err := sender(p, in.FromOrganisationID, in.PersonID)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if in.CaseID != "" {
		if _, err := h.DB.CaseFor(r.Context(), in.CaseID, p.User.ID); err != nil {
			h.Fail(w, r, errs.Field("case_id", "field.choice", nil))
			return
		}
	}
	ctx, err := idempotent(r)
	var ref store.Referral
	if err == nil {
		ref, err = h.DB.SendReferral(ctx, store.ReferralInput{PersonID: in.PersonID, CaseID: in.CaseID, FromOrg: from, FromUser: p.User.ID,
			ToOrg: in.ToOrganisationID, Service: cases.Service(in.Service), Urgency: cases.Urgency(in.Urgency), Reason: in.Reason, ServiceID: in.ServiceID,
			SharedInfo: in.SharedInfo, Basis: in.LawfulBasis}, httpx.Actor(r))
	}
	if replayed(w, err, func(id string) {
		first, side, err := h.DB.GetReferral(r.Context(), id, p.User.ID, httpx.Actor(r))
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		w.Header().Set("Location", "/api/v1/referrals/"+id)
		writeVersioned(w, http.StatusOK, first.Version, ReferralJSON{Referral: first, Side: side})
	}) {
		return
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	created(w, "/api/v1/referrals/"+ref.ID, ref.Version, ReferralJSON{Referral: ref, Side: cases.Sender})
}

// ReferralJSON is a referral with the caller's side of it.
type ReferralJSON struct {
	store.Referral
	Side cases.Side `json:"side"`
}

// GetReferral answers GET /api/v1/referrals/{id} to either side; others get
// 404. The sender always sees the outcome: the loop is closed.
func (h *Handler) GetReferral(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.ReferralsManage)
	if p == nil {
		return
	}
	ref, side, err := h.DB.GetReferral(r.Context(), r.PathValue("id"), p.User.ID, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, ref.Version, ReferralJSON{Referral: ref, Side: side})
}

// ReferralMoveInput is the body of the referral actions: decline and revoke
// need a reason, complete the outcome; accept needs none.
type ReferralMoveInput struct {
	Reason  string `json:"reason"`
	Outcome string `json:"outcome"`
}

// AcceptReferral answers POST /api/v1/referrals/{id}/accept (receiver).
func (h *Handler) AcceptReferral(w http.ResponseWriter, r *http.Request) {
	h.moveReferral(w, r, cases.Accepted)
}

// DeclineReferral answers POST /api/v1/referrals/{id}/decline (receiver).
func (h *Handler) DeclineReferral(w http.ResponseWriter, r *http.Request) {
	h.moveReferral(w, r, cases.Declined)
}

// CompleteReferral answers POST /api/v1/referrals/{id}/complete (receiver).
func (h *Handler) CompleteReferral(w http.ResponseWriter, r *http.Request) {
	h.moveReferral(w, r, cases.Completed)
}

// RevokeReferral answers POST /api/v1/referrals/{id}/revoke (sender).
func (h *Handler) RevokeReferral(w http.ResponseWriter, r *http.Request) {
	h.moveReferral(w, r, cases.Revoked)
}

// moveReferral moves a referral with If-Match naming its version (412 if it
// changed, 428 without): the wrong side gets 403, a move the loop does not
// allow from its status 409, a missing reason or outcome 422.
func (h *Handler) moveReferral(w http.ResponseWriter, r *http.Request, to cases.ReferralStatus) {
	p := h.require(w, r, account.ReferralsManage)
	if p == nil {
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var in ReferralMoveInput
	if err := decodeOptional(w, r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	text := in.Reason
	switch {
	case to == cases.Completed:
		text = in.Outcome
	case in.Outcome != "":
		h.Fail(w, r, &errs.Error{Code: errs.Invalid, MessageID: "error.json_unknown_field", Field: "outcome"})
		return
	}
	if to == cases.Completed && in.Reason != "" || to == cases.Accepted && in.Reason != "" {
		h.Fail(w, r, &errs.Error{Code: errs.Invalid, MessageID: "error.json_unknown_field", Field: "reason"})
		return
	}
	ref, err := h.DB.MoveReferral(r.Context(), r.PathValue("id"), version, to, text, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	side := cases.Receiver
	if to == cases.Revoked {
		side = cases.Sender
	}
	writeVersioned(w, http.StatusOK, ref.Version, ReferralJSON{Referral: ref, Side: side})
}
