package web

import (
	"net/http"
	"strconv"

	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// CaseSelfReport sets how often the family reports its progress and
// assesses itself again (POST /cases/{id}/self-report): the family's
// account by its username, and the interval in days.
func (h *Handler) CaseSelfReport(w http.ResponseWriter, r *http.Request) {
	h.changeCase(w, r, "selfreport", "selfreport", "flash.selfreport_set", []string{"family_username", "interval_days", "report_version"},
		func(c store.Case, f map[string]string) error {
			u, err := h.DB.GetUserByUsername(r.Context(), f["family_username"])
			if err != nil {
				return errs.Field("family_username", "selfreport.not_family", nil)
			}
			n, err := strconv.Atoi(f["interval_days"])
			if err != nil {
				return errs.Field("interval_days", "selfreport.interval", map[string]any{"Min": store.MinReportInterval, "Max": store.MaxReportInterval})
			}
			version, _ := strconv.Atoi(f["report_version"])
			_, err = h.DB.SetSelfReportSchedule(r.Context(), c.ID, u.ID, n, version, httpx.Actor(r))
			if e := errs.As(err); err != nil && e.Field == "family_user_id" {
				e.Field = "family_username"
				return e
			}
			return err
		})
}
