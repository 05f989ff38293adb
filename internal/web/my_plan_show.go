package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// myPlanPage is what a family reports on: each case's commitments with
// the answers offered, and what it last said of each.
type myPlanPage struct {
	Plans      []store.FamilyPlan
	Progresses []store.Progress
	Form       map[string]string
	FormCase   string
}

// MyPlanShow shows a family its commitments to report on (GET /my-plan).
func (h *Handler) MyPlanShow(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, account.SelfRead)
	if p == nil {
		return
	}
	h.renderMyPlan(w, r, http.StatusOK, myPlanPage{}, nil)
}

func (h *Handler) renderMyPlan(w http.ResponseWriter, r *http.Request, status int, page myPlanPage, fe *FormError) {
	plans, err := h.DB.FamilyPlans(r.Context(), httpx.Principal(r.Context()).User.ID, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Plans, page.Progresses = plans, store.Progresses
	v := h.view(r, "myplan.title", page)
	v.Error = fe
	h.render(w, r, status, "my_plan", v)
}
