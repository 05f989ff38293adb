package web

import (
	"net/http"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/consent"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/thai"
)

// ConsentSave records a consent or another basis in a person's ledger
// (POST /people/{id}/consents).
func (h *Handler) ConsentSave(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.PeopleWrite)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	form := map[string]string{}
	for _, f := range []string{"basis", "receiver_kind", "given_by", "giver_name", "reference", "given_on", "expires_on", "organisation_id"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	g := consent.Grant{PersonID: r.PathValue("id"), Basis: consent.Basis(form["basis"]), ReceiverKind: form["receiver_kind"],
		GivenBy: consent.Giver(form["given_by"]), GiverName: form["giver_name"], Reference: form["reference"]}
	for _, v := range r.PostForm["purposes"] {
		g.Purposes = append(g.Purposes, consent.Purpose(v))
		form["purpose."+v] = "on"
	}
	for _, v := range r.PostForm["dimensions"] {
		g.Dimensions = append(g.Dimensions, people.Dimension(v))
		form["dimension."+v] = "on"
	}
	again := func(err error) {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderConsents(w, r, status, form, fe)
	}
	var err error
	if g.GivenOn, err = formDay(form["given_on"], "given_on", true); err != nil {
		again(err)
		return
	}
	if g.ExpiresOn, err = formDay(form["expires_on"], "expires_on", false); err != nil {
		again(err)
		return
	}
	org, err := recordOrganisation(p, form["organisation_id"])
	if err != nil {
		again(err)
		return
	}
	ctx, err := h.formSending(r, "consent:"+g.PersonID)
	if err == nil {
		_, err = h.DB.RecordConsent(ctx, g, org, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend_saved", func(string) string { return "/people/" + g.PersonID + "/consents" }) {
		return
	}
	if err != nil {
		again(err)
		return
	}
	h.redirectWithFlash(w, r, "/people/"+g.PersonID+"/consents", "flash.consent_recorded")
}

// formDay reads a full date typed in B.E. or C.E. as a stored C.E. date.
func formDay(s, field string, required bool) (string, error) {
	if s == "" {
		if required {
			return "", errs.Field(field, "date.empty", nil)
		}
		return "", nil
	}
	d, err := thai.ParseDate(s)
	if err != nil {
		return "", errs.Field(field, "assessment.date", nil)
	}
	t, ok := d.Time()
	if !ok {
		return "", errs.Field(field, "assessment.date", nil)
	}
	return t.Format(time.DateOnly), nil
}
