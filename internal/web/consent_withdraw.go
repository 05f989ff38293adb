package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
)

// ConsentWithdraw records that a consent was withdrawn, effective at once
// for every later disclosure (POST /consents/{id}/withdraw).
func (h *Handler) ConsentWithdraw(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ctx := r.Context()
	c, err := h.DB.GetConsent(ctx, r.PathValue("id"), httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.DB.WithdrawConsent(ctx, c.ID, r.PostFormValue("reason"), httpx.Actor(r)); err != nil {
		// Withdrawn before (a second tap): the consents page says so.
		if h.settled(w, r, err, "/people/"+c.PersonID+"/consents", map[string]string{"consent.already_withdrawn": "flash.resend2_consent_withdrawn"}) {
			return
		}
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		r.SetPathValue("id", c.PersonID)
		h.renderConsents(w, r, status, map[string]string{"withdraw": c.ID}, fe)
		return
	}
	h.redirectWithFlash(w, r, "/people/"+c.PersonID+"/consents", "flash.consent_withdrawn")
}
