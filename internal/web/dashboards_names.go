package web

import (
	"net/http"

	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/people"
)

type dashboardNamesView struct {
	Place, Dimension, Level, Back string
	People                        []people.Person
}

// DashboardNames drills from a flower cell down to the children in it, for
// roles that may open those children's records: each child listed is
// audited; a cell published as "< 5" or hidden is refused (403), and so is
// any committee member or executive.
func (h *Handler) DashboardNames(w http.ResponseWriter, r *http.Request) {
	_, q, ok := h.dashboardRequest(w, r)
	if !ok {
		return
	}
	level := r.URL.Query().Get("level")
	list, err := h.DB.DashboardNames(r.Context(), q, level, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "dashboards.names_title", nil)
	v.Data = dashboardNamesView{Dimension: v.T("dimension." + q.Dimension), Level: flower.Level(level).Label(v.Lang),
		Back: "/dashboards/" + r.PathValue("code"), People: list}
	h.render(w, r, http.StatusOK, "dashboard_names", v)
}
