package web

import (
	"net/http"
	"strconv"
	"strings"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// The forms of the case page. Each posts to its own address with the
// version of the case the user saw; a refused form comes back with what was
// typed and the message beside its field, a stale one with the localised
// stale message.

// changeCase runs one form of the case page for someone who may change
// the case; anchor is the section the browser returns to.
func (h *Handler) changeCase(w http.ResponseWriter, r *http.Request, formName, anchor, flash string, fields []string,
	change func(c store.Case, form map[string]string) error) {
	if h.require(w, r, account.CasesManage) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	id := r.PathValue("id")
	c, may, err := h.caseAccess(r, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !may {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	form := map[string]string{}
	for _, f := range fields {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	if err := change(c, form); err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderCase(w, r, status, id, formName, form, fe)
		return
	}
	h.redirectWithFlash(w, r, "/cases/"+id+"#"+anchor, flash)
}

// CaseStatus moves a case along its life (POST /cases/{id}/status);
// closing and reopening need a reason.
func (h *Handler) CaseStatus(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, "status", "status", "flash.case_status", []string{"to", "reason"}, func(c store.Case, f map[string]string) error {
		_, err := h.DB.MoveCase(r.Context(), c.ID, postVersion(r), cases.Status(f["to"]), f["reason"], httpx.Actor(r))
		return err
	})
}

// CaseRisk sets the case manager's judgement of the risk (POST /cases/{id}/risk).
func (h *Handler) CaseRisk(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, "risk", "status", "flash.saved", []string{"risk"}, func(c store.Case, f map[string]string) error {
		_, err := h.DB.SetCaseRisk(r.Context(), c.ID, postVersion(r), cases.Risk(f["risk"]), httpx.Actor(r))
		return err
	})
}

// CaseReview sets the plan's start and review dates (POST /cases/{id}/review).
func (h *Handler) CaseReview(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, "review", "plan", "flash.saved", []string{"plan_start", "review_on"}, func(c store.Case, f map[string]string) error {
		start, err := formDate("plan_start", f["plan_start"], false)
		if err != nil {
			return err
		}
		review, err := formDate("review_on", f["review_on"], true)
		if err != nil {
			return err
		}
		_, err = h.DB.SetCaseReview(r.Context(), c.ID, postVersion(r), start, review, httpx.Actor(r))
		return err
	})
}

// CaseMemberAdd adds a worker of an organisation to the team
// (POST /cases/{id}/members).
func (h *Handler) CaseMemberAdd(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, "member", "team", "flash.case_member_added", []string{"organisation_id", "user_id", "role"}, func(c store.Case, f map[string]string) error {
		if f["user_id"] == "" {
			return errs.Field("user_id", "field.required", nil)
		}
		_, err := h.DB.AddCaseMember(r.Context(), c.ID, postVersion(r), f["user_id"], f["organisation_id"], cases.MemberRole(f["role"]), httpx.Actor(r))
		return err
	})
}

// CaseMemberRemove ends a member's stay on the team
// (POST /cases/{id}/members/{member}/remove).
func (h *Handler) CaseMemberRemove(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, "remove", "team", "flash.case_member_removed", nil, func(c store.Case, f map[string]string) error {
		_, err := h.DB.RemoveCaseMember(r.Context(), c.ID, postVersion(r), r.PathValue("member"), httpx.Actor(r))
		return err
	})
}

// CaseLegal records a classification or measure under the Child Protection
// Act (POST /cases/{id}/legal). The code says its kind.
func (h *Handler) CaseLegal(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, "legal", "legal", "flash.saved", []string{"code", "decided_on", "decided_by", "note"}, func(c store.Case, f map[string]string) error {
		var kind cases.LegalKind
		for _, lc := range cases.LegalCodes {
			if lc.Code == f["code"] {
				kind = lc.Kind
			}
		}
		if kind == "" {
			return errs.Field("code", "field.choice", nil)
		}
		on, err := formDate("decided_on", f["decided_on"], true)
		if err != nil {
			return err
		}
		_, err = h.DB.AddCaseLegal(r.Context(), c.ID, postVersion(r), kind, f["code"], on, f["decided_by"], f["note"], httpx.Actor(r))
		return err
	})
}

// conferenceDecisions is how many decision rows the conference form offers.
const conferenceDecisions = 3

// CaseConference records a case conference (POST /cases/{id}/conferences):
// attendees one per line, and decisions, each of which becomes a plan step
// when it names an organisation and a due date.
func (h *Handler) CaseConference(w http.ResponseWriter, r *http.Request) {
	fields := []string{"held_on", "attendees", "notes"}
	for i := 1; i <= conferenceDecisions; i++ {
		n := strconv.Itoa(i)
		fields = append(fields, "decision_"+n, "step_org_"+n, "step_due_"+n)
	}
	h.changeCase(w, r, "conference", "conferences", "flash.saved", fields, func(c store.Case, f map[string]string) error {
		on, err := formDate("held_on", f["held_on"], true)
		if err != nil {
			return err
		}
		in := store.ConferenceInput{HeldOn: on, Notes: f["notes"], Attendees: lines(f["attendees"])}
		for i := 1; i <= conferenceDecisions; i++ {
			n := strconv.Itoa(i)
			text := f["decision_"+n]
			if text == "" {
				continue
			}
			d := store.Decision{Text: text}
			if f["step_org_"+n] != "" || f["step_due_"+n] != "" {
				due, err := formDate("step_due_"+n, f["step_due_"+n], true)
				if err != nil {
					return err
				}
				if f["step_org_"+n] == "" {
					return errs.Field("step_org_"+n, "field.required", nil)
				}
				d.Step = &cases.Step{What: text, OrganisationID: f["step_org_"+n], DueOn: due}
			}
			in.Decisions = append(in.Decisions, d)
		}
		_, err = h.DB.AddConference(r.Context(), c.ID, postVersion(r), in, httpx.Actor(r))
		return renameField(err, map[string]string{"due_on": "step_due_1", "organisation_id": "step_org_1"})
	})
}

// lines splits a text area into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// renameField points an error about a store field at the form's field.
func renameField(err error, names map[string]string) error {
	if err == nil {
		return nil
	}
	e := errs.As(err)
	if to, ok := names[e.Field]; ok && e.Code == errs.Invalid {
		return errs.Field(to, e.MessageID, e.Data)
	}
	return err
}
