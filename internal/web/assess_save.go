package web

import (
	"net/http"
	"strconv"
	"strings"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// AssessChildSave stores a staff assessment of a child (POST /people/{id}/assess).
func (h *Handler) AssessChildSave(w http.ResponseWriter, r *http.Request) {
	h.assessSave(w, r, flower.Child, "/people/")
}

// AssessHouseholdSave stores a staff assessment of a household
// (POST /households/{id}/assess).
func (h *Handler) AssessHouseholdSave(w http.ResponseWriter, r *http.Request) {
	h.assessSave(w, r, flower.Household, "/households/")
}

// assessSave reads the form's fields: a.CODE (the option chosen), n.CODE
// (a number), note.CODE and why.CODE (the reason for changing what the
// records say). Empty fields are unanswered: they stay unknown, or take
// what the records say.
func (h *Handler) assessSave(w http.ResponseWriter, r *http.Request, subject flower.Subject, back string) {
	p := h.require(w, r, account.AssessmentsWrite)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	id := r.PathValue("id")
	values := map[string]string{}
	answers := map[string]flower.Answer{}
	for key, vs := range r.PostForm {
		kind, code, ok := strings.Cut(key, ".")
		if !ok || len(vs) == 0 || len(code) > 16 {
			continue
		}
		val := strings.TrimSpace(vs[0])
		values[key] = val
		a := answers[code]
		switch kind {
		case "a":
			a.Option = val
		case "n":
			if val != "" {
				n, err := strconv.ParseFloat(thai.NormalizeNationalID(strings.ReplaceAll(val, ",", "")), 64)
				if err != nil {
					h.renderAssessForm(w, r, http.StatusUnprocessableEntity, subject, values, h.fieldError(r, "answers["+code+"].number", "flower.number", nil))
					return
				}
				a.Number = &n
			}
		case "note":
			a.Note = val
		case "why":
			a.OverrideReason = val
		default:
			continue
		}
		answers[code] = a
	}
	// An indicator with neither an option nor a number is unanswered (a
	// note alone does not answer it).
	for code, a := range answers {
		if a.Option == "" && a.Number == nil {
			delete(answers, code)
		}
	}
	org, err := recordOrganisation(p, strings.TrimSpace(r.PostFormValue("organisation_id")))
	ctx := r.Context()
	if err == nil {
		ctx, err = h.formSending(r, "assessment:"+string(subject)+":"+id)
	}
	if err == nil {
		var a store.Assessment
		a, err = h.DB.CreateAssessment(ctx, store.AssessmentInput{Subject: subject, SubjectID: id, Answers: answers,
			Source: store.ByStaff, OrganisationID: org, AuthorID: p.User.ID}, httpx.Actor(r))
		if err == nil {
			flash := "flash.assessment_saved"
			if len(a.Alerts) > 0 {
				flash = "flash.assessment_saved_alerts"
			}
			h.redirectWithFlash(w, r, back+id, flash)
			return
		}
	}
	if h.sentBefore(w, r, err, "flash.resend_saved", func(string) string { return back + id }) {
		return
	}
	fe, status, ok := h.formError(r, err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderAssessForm(w, r, status, subject, values, fe)
}
