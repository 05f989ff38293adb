package web

import (
	"net/http"
	"net/url"
	"slices"

	"termtem/internal/account"
	"termtem/internal/cases"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/store"
	"termtem/internal/thai"
)

type casesPage struct {
	Status   string // the filter: "" is every case not closed
	Statuses []cases.Status
	Cases    []caseRow
}

type caseRow struct {
	store.Case
	Href        string
	SubjectHref string
	Opened      string
	Review      string
	ReviewDue   bool
}

// CasesList lists the cases whose team the user is on (GET /cases?status=…),
// the riskiest first. Only a status is ever in the address.
func (h *Handler) CasesList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.CasesRead)
	if p == nil {
		return
	}
	status := r.URL.Query().Get("status")
	if !slices.Contains(cases.Statuses, cases.Status(status)) {
		status = ""
	}
	list, err := h.DB.ListCases(r.Context(), store.CaseFilter{UserID: p.User.ID, Status: cases.Status(status)}, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "cases.title", nil)
	page := casesPage{Status: status, Statuses: cases.Statuses}
	today := h.DB.Now().In(thai.Bangkok()).Format("2006-01-02")
	for _, c := range list {
		page.Cases = append(page.Cases, h.caseRow(v.Lang, c, today))
	}
	v.Data = page
	h.render(w, r, http.StatusOK, "cases", v)
}

func (h *Handler) caseRow(lang string, c store.Case, today string) caseRow {
	row := caseRow{Case: c, Href: "/cases/" + c.ID, Opened: dayText(lang, c.OpenedAt.In(thai.Bangkok()).Format("2006-01-02")),
		Review: dayText(lang, c.ReviewOn), ReviewDue: c.ReviewOn != "" && c.ReviewOn <= today && c.Status != cases.Closed}
	if c.PersonID != "" {
		row.SubjectHref = "/people/" + c.PersonID
	} else {
		row.SubjectHref = "/households/" + c.HouseholdID
		if row.SubjectName == "" {
			row.SubjectName = h.Cat.T(lang, "household.title", nil)
		}
	}
	return row
}

// CaseOpen opens a case (POST /cases) for a child or a household, from an
// alert (origin "alert" with the alert's ID) or by the worker from the
// person or household page. The worker becomes its case manager.
func (h *Handler) CaseOpen(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.CasesManage)
	if p == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ctx := r.Context()
	in := store.CaseInput{Subject: flower.Subject(r.PostFormValue("subject")), SubjectID: r.PostFormValue("subject_id"),
		Risk: cases.Risk(r.PostFormValue("risk")), Origin: cases.FromWorker, ManagerID: p.User.ID}
	if r.PostFormValue("origin") == string(cases.FromAlert) {
		// The alert says whom the case is about and how much is at stake;
		// the form cannot say otherwise.
		a, err := h.DB.GetAlert(ctx, r.PostFormValue("origin_id"), p.User.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		in.Origin, in.OriginID, in.Subject = cases.FromAlert, a.ID, a.Subject
		in.SubjectID = a.PersonID + a.HouseholdID
		// A second press, or a colleague's, goes to the case the alert
		// already opened rather than opening another.
		if c, ok, err := h.caseFromAlert(r, a); err != nil || ok {
			if err != nil {
				h.fail(w, r, err)
				return
			}
			h.redirectWithFlash(w, r, "/cases/"+c.ID, "flash.case_exists")
			return
		}
		in.Risk = alertRisk(a.Severity)
		if p.InOrganisation(a.OrganisationID) {
			in.OrganisationID = a.OrganisationID
		}
	}
	if in.OrganisationID == "" {
		in.OrganisationID = senderOrganisation(p, r.PostFormValue("organisation_id"))
	}
	if in.Risk == "" {
		in.Risk = cases.RiskMedium
	}
	ctx, err := h.formSending(r, "case:"+in.SubjectID)
	if err != nil {
		// A form opened before the user last signed in: nothing done, and
		// back to where it was, to press again.
		back := "/alerts"
		switch {
		case in.Origin == cases.FromAlert:
		case in.Subject == flower.Household:
			back = "/households/" + url.PathEscape(in.SubjectID)
		default:
			back = "/people/" + url.PathEscape(in.SubjectID)
		}
		h.redirectWithFlash(w, r, back, "flash.resend_stale")
		return
	}
	c, err := h.DB.OpenCase(ctx, in, httpx.Actor(r))
	if h.sentBefore(w, r, err, "flash.resend_case", func(id string) string { return "/cases/" + id }) {
		return
	}
	if err != nil {
		// The forms that post here offer no field that can be wrong: an
		// error is a hand-made request or a subject gone, shown as a page.
		h.fail(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/cases/"+c.ID, "flash.case_opened")
}

// caseFromAlert finds the open case an alert already opened.
func (h *Handler) caseFromAlert(r *http.Request, a store.Alert) (store.Case, bool, error) {
	f := store.CaseFilter{PersonID: a.PersonID}
	if a.PersonID == "" {
		f = store.CaseFilter{Household: a.HouseholdID}
	}
	list, err := h.DB.ListCases(r.Context(), f, httpx.Actor(r))
	for _, c := range list {
		if c.Origin == cases.FromAlert && c.OriginID == a.ID {
			return c, true, err
		}
	}
	return store.Case{}, false, err
}

// alertRisk is the risk a case starts with when it comes from an alert.
func alertRisk(s flower.Severity) cases.Risk {
	switch s {
	case flower.SeverityUrgent:
		return cases.RiskCritical
	case flower.SeverityRed:
		return cases.RiskHigh
	}
	return cases.RiskMedium
}
