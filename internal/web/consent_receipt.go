package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// receiptPage is the printable receipt a guardian keeps: what they agreed
// to, for whom, until when, and how to withdraw.
type receiptPage struct {
	Consent store.Consent
	Person  people.Person
	Name    string
	// Access is "who saw this record" for the family: counts by
	// organisation, no staff names.
	Access []store.OrgAccess
}

// ConsentReceipt shows a consent's receipt (GET /consents/{id}/receipt).
func (h *Handler) ConsentReceipt(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleRead) == nil {
		return
	}
	ctx := r.Context()
	c, err := h.DB.GetConsent(ctx, r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	person, err := h.DB.GetPerson(ctx, c.PersonID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	access, err := h.DB.AccessSummary(ctx, c.PersonID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "consent.receipt_title", nil)
	v.Data = receiptPage{Consent: c, Person: person, Name: displayName(person), Access: access}
	h.render(w, r, http.StatusOK, "consent_receipt", v)
}
