package web

import (
	"net/http"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// The early-warning inbox: the alerts sent to the user's organisation and
// those escalated to them as supervisor or committee secretary.

var alertTabs = []store.AlertStatus{store.AlertOpen, store.AlertAcknowledged, store.AlertResolved}

type alertsPage struct {
	Status store.AlertStatus
	Tabs   []alertTab
	Alerts []alertRow
	// ErrorAlert is the alert a refused action was about, so that its
	// message is shown beside it.
	ErrorAlert string
	Resolution string // what was typed, kept when resolving was refused
}

type alertTab struct {
	Status  store.AlertStatus
	Current bool
}

type alertRow struct {
	store.Alert
	Href       string
	About      string
	Dimension  string
	Indicators []alertIndicator
	Overdue    bool
}

type alertIndicator struct {
	Title      string
	Restricted bool
}

// AlertsList shows the inbox, one tab per status (GET /alerts?status=…):
// the status is the only thing in the query, never personal data.
func (h *Handler) AlertsList(w http.ResponseWriter, r *http.Request) {
	if h.requireAlerts(w, r) == nil {
		return
	}
	h.renderAlerts(w, r, http.StatusOK, store.AlertStatus(r.URL.Query().Get("status")), "", nil)
}

func (h *Handler) requireAlerts(w http.ResponseWriter, r *http.Request) *account.Principal {
	p := h.require(w, r, "")
	if p != nil && !p.Can(account.AlertsRead) && !p.Can(account.AlertsSupervise) {
		h.fail(w, r, errs.New(errs.Forbidden, "error.forbidden"))
		return nil
	}
	return p
}

func (h *Handler) renderAlerts(w http.ResponseWriter, r *http.Request, status int, tab store.AlertStatus, errAlert string, fe *FormError) {
	p := httpx.Principal(r.Context())
	ok := false
	for _, s := range alertTabs {
		ok = ok || s == tab
	}
	if !ok {
		tab = store.AlertOpen
	}
	ctx := r.Context()
	list, err := h.DB.ListAlerts(ctx, p.User.ID, store.AlertFilter{Status: tab}, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in, err := h.DB.CurrentInstrument(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "alerts.title", nil)
	page := alertsPage{Status: tab, ErrorAlert: errAlert}
	if fe != nil && errAlert != "" {
		page.Resolution = r.PostFormValue("resolution")
	}
	for _, s := range alertTabs {
		page.Tabs = append(page.Tabs, alertTab{Status: s, Current: s == tab})
	}
	now := h.DB.Now()
	for _, a := range list {
		// Once taken, an alert no longer escalates: its deadline no longer matters.
		row := alertRow{Alert: a, About: a.SubjectName, Dimension: flower.DimensionName(a.Dimension, v.Lang),
			Overdue: a.Status == store.AlertOpen && a.Overdue(now)}
		if a.PersonID != "" {
			row.Href = "/people/" + a.PersonID
		} else {
			row.Href = "/households/" + a.HouseholdID
			if row.About == "" {
				row.About = h.Cat.T(v.Lang, "household.title", nil)
			}
		}
		for _, code := range a.Indicators {
			ind := in.Indicator(code)
			switch {
			case ind == nil:
				row.Indicators = append(row.Indicators, alertIndicator{Title: code})
			// What a sensitive indicator is about (violence, a condition)
			// is itself sensitive: only roles granted that category read it.
			case ind.Sensitivity != "" && !p.SeesSensitive(string(ind.Sensitivity)):
				row.Indicators = append(row.Indicators, alertIndicator{Title: h.Cat.T(v.Lang, "alerts.restricted", nil), Restricted: true})
			default:
				row.Indicators = append(row.Indicators, alertIndicator{Title: ind.Title.In(v.Lang)})
			}
		}
		page.Alerts = append(page.Alerts, row)
	}
	v.Data, v.Error = page, fe
	v.Return = "/alerts?status=" + string(tab)
	h.render(w, r, status, "alerts", v)
}

// AlertAcknowledge records that the user has taken the alert
// (POST /alerts/{id}/acknowledge, with the version the user saw).
func (h *Handler) AlertAcknowledge(w http.ResponseWriter, r *http.Request) {
	h.moveAlert(w, r, "flash.alert_acknowledged", func(id string, version int) error {
		_, err := h.DB.AcknowledgeAlert(r.Context(), id, version, httpx.Actor(r))
		return err
	})
}

// AlertResolve closes the alert with what was done
// (POST /alerts/{id}/resolve, with the version and a resolution text).
func (h *Handler) AlertResolve(w http.ResponseWriter, r *http.Request) {
	h.moveAlert(w, r, "flash.alert_resolved", func(id string, version int) error {
		_, err := h.DB.ResolveAlert(r.Context(), id, version, r.PostFormValue("resolution"), httpx.Actor(r))
		return err
	})
}

func (h *Handler) moveAlert(w http.ResponseWriter, r *http.Request, flash string, move func(id string, version int) error) {
	if h.requireAlerts(w, r) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	tab := store.AlertStatus(r.PostFormValue("status"))
	if err := move(id, version); err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderAlerts(w, r, status, tab, id, fe)
		return
	}
	h.redirectWithFlash(w, r, "/alerts?status="+string(tab), flash)
}
