package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// InboxJSON is the caller's inbox: counts per part and the items.
type InboxJSON struct {
	Counts InboxCounts `json:"counts"`
	store.Inbox
}

// InboxCounts counts each part of an inbox.
type InboxCounts struct {
	Alerts       int `json:"alerts"`
	Referrals    int `json:"referrals"`
	OverdueSteps int `json:"overdue_steps"`
	Handoffs     int `json:"handoffs"`
	Reviews      int `json:"reviews"`
	Total        int `json:"total"`
}

// Inbox answers GET /api/v1/inbox: the caller's alerts, referrals to
// accept, overdue plan steps, hand-offs to acknowledge and case reviews due.
func (h *Handler) Inbox(w http.ResponseWriter, r *http.Request) {
	p := h.requireAny(w, r, account.CasesRead, account.ReferralsManage, account.AlertsRead, account.AlertsSupervise)
	if p == nil {
		return
	}
	in, err := h.DB.UserInbox(r.Context(), p.User.ID, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if in.Alerts == nil {
		in.Alerts = []store.Alert{}
	}
	if in.Referrals == nil {
		in.Referrals = []store.Referral{}
	}
	if in.OverdueSteps == nil {
		in.OverdueSteps = []store.PlanStep{}
	}
	if in.Handoffs == nil {
		in.Handoffs = []store.Handoff{}
	}
	if in.Reviews == nil {
		in.Reviews = []store.Case{}
	}
	writeJSON(w, http.StatusOK, InboxJSON{Inbox: in, Counts: InboxCounts{Alerts: len(in.Alerts), Referrals: len(in.Referrals),
		OverdueSteps: len(in.OverdueSteps), Handoffs: len(in.Handoffs), Reviews: len(in.Reviews), Total: in.Count()}})
}
