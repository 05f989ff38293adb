package web

import (
	"net/http"
	"slices"
	"strings"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/people"
)

// PregnancyCreate records a pregnancy of the person with its expected date
// (POST /people/{id}/pregnancies), from the form on the person page.
func (h *Handler) PregnancyCreate(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	id := r.PathValue("id")
	expected := strings.TrimSpace(r.PostFormValue("expected_date"))
	ctx, err := h.formSending(r, "pregnancy:"+id)
	if err == nil {
		_, err = h.DB.CreatePregnancy(ctx, id, expected, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend_saved", func(string) string { return "/people/" + id }) {
		return
	}
	if err != nil {
		h.pregnancyFormError(w, r, err, &personPage{ExpectedDate: expected})
		return
	}
	h.redirectWithFlash(w, r, "/people/"+id, "flash.pregnancy_saved")
}

// PregnancyBirth records the birth of an ongoing pregnancy: the child
// becomes a person, in the mother's household, and keeps the antenatal
// history (POST /people/{id}/pregnancies/{pregnancy}/birth).
func (h *Handler) PregnancyBirth(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PeopleWrite) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	ctx := r.Context()
	motherID, pregnancyID := r.PathValue("id"), r.PathValue("pregnancy")
	mine, err := h.DB.Pregnancies(ctx, motherID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(mine, func(p people.Pregnancy) bool { return p.ID == pregnancyID }) {
		h.fail(w, r, errs.New(errs.NotFound, "pregnancy.not_found"))
		return
	}
	child := people.Person{
		GivenName:  r.PostFormValue("given_name"),
		FamilyName: r.PostFormValue("family_name"),
		Nickname:   r.PostFormValue("nickname"),
		Sex:        people.Sex(r.PostFormValue("sex")),
		BirthDate:  r.PostFormValue("birth_date"),
	}
	form := &personPage{BirthFor: pregnancyID, Child: child, ChildBirth: child.BirthDate}
	if strings.TrimSpace(child.BirthDate) == "" {
		h.pregnancyFormError(w, r, errs.Field("birth_date", "field.required", nil), form)
		return
	}
	born, err := h.DB.RecordBirth(ctx, pregnancyID, child, httpx.Actor(r))
	// The birth recorded before (a second tap, back and send): the
	// pregnancy ends once, in the transaction that makes the child, so no
	// second child was made; the first one is shown.
	if e := errs.As(err); e != nil && e.MessageID == "pregnancy.not_ongoing" {
		// Read again: the first sending may have ended it since.
		if now, rerr := h.DB.Pregnancies(ctx, motherID); rerr == nil {
			if i := slices.IndexFunc(now, func(p people.Pregnancy) bool { return p.ID == pregnancyID }); i >= 0 && now[i].ChildID != "" {
				h.redirectWithFlash(w, r, "/people/"+now[i].ChildID, "flash.resend2_birth")
				return
			}
		}
	}
	if err != nil {
		h.pregnancyFormError(w, r, err, form)
		return
	}
	h.redirectWithFlash(w, r, "/people/"+born.ID, "flash.birth_saved")
}

// pregnancyFormError shows the person page again with the form's values
// and the error on its field.
func (h *Handler) pregnancyFormError(w http.ResponseWriter, r *http.Request, err error, form *personPage) {
	fe, status, ok := h.formError(r, err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderPerson(w, r, status, r.PathValue("id"), form, fe)
}
