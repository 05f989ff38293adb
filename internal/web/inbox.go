package web

import (
	"net/http"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/store"
	"termtem/internal/thai"
)

// The inbox (งานของฉัน): everything that waits for the user in one place,
// each part with its count.

type inboxPage struct {
	Alerts    []inboxAlert
	Referrals []referralRow
	Steps     []stepRow
	Handoffs  []handoffRow
	Reviews   []caseRow
	// Missed are the families whose periodic report is overdue.
	Missed []store.MissedReport
	Total  int
	// Sort: "due" (the earliest deadline first, the default) or "newest".
	Sort string
}

type inboxAlert struct {
	store.Alert
	Href, About, Dimension string
}

// mayHaveInbox: the inbox is for those who do casework or take alerts.
func mayHaveInbox(p *account.Principal) bool {
	return p.Can(account.CasesRead) || p.Can(account.ReferralsManage) || p.Can(account.AlertsRead) || p.Can(account.AlertsSupervise)
}

// Inbox shows the user's work (GET /inbox).
func (h *Handler) Inbox(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	if !mayHaveInbox(p) {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return
	}
	ctx := r.Context()
	in, err := h.DB.UserInbox(ctx, p.User.ID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "inbox.title", nil)
	lang := v.Lang
	page := inboxPage{Total: in.Count(), Sort: "due"}
	if r.URL.Query().Get("sort") == "newest" {
		page.Sort = "newest"
	}
	for _, a := range in.Alerts {
		row := inboxAlert{Alert: a, About: a.SubjectName, Dimension: flower.DimensionName(a.Dimension, lang), Href: "/people/" + a.PersonID}
		if a.PersonID == "" {
			row.Href = "/households/" + a.HouseholdID
			if row.About == "" {
				row.About = h.Cat.T(lang, "household.title", nil)
			}
		}
		page.Alerts = append(page.Alerts, row)
	}
	for _, ref := range in.Referrals {
		page.Referrals = append(page.Referrals, h.referralRow(lang, ref, true))
	}
	for _, s := range in.OverdueSteps {
		page.Steps = append(page.Steps, stepRow{PlanStep: s, Due: dayText(lang, s.DueOn)})
	}
	if page.Handoffs, err = h.handoffRows(ctx, lang, p, in.Handoffs); err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.DB.Now().In(thai.Bangkok()).Format(time.DateOnly)
	page.Missed = in.MissedReports
	for _, c := range in.Reviews {
		page.Reviews = append(page.Reviews, h.caseRow(lang, c, today))
	}
	if page.Sort == "newest" {
		// The store lists each part by its deadline; newest first turns it.
		reverse(page.Alerts)
		reverse(page.Referrals)
		reverse(page.Steps)
		reverse(page.Handoffs)
		reverse(page.Reviews)
	}
	v.Data = page
	v.Return = "/inbox?sort=" + page.Sort
	h.render(w, r, http.StatusOK, "inbox", v)
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// inboxCounts are the counts the home page shows, by part.
type inboxCounts struct {
	Alerts, Referrals, Steps, Handoffs, Reviews, Total int
}

func (h *Handler) inboxCounts(r *http.Request, p *account.Principal) (*inboxCounts, error) {
	if !mayHaveInbox(p) {
		return nil, nil
	}
	in, err := h.DB.UserInbox(r.Context(), p.User.ID, httpx.Actor(r))
	if err != nil {
		return nil, err
	}
	return &inboxCounts{Alerts: len(in.Alerts), Referrals: len(in.Referrals), Steps: len(in.OverdueSteps), Handoffs: len(in.Handoffs),
		Reviews: len(in.Reviews), Total: in.Count()}, nil
}
