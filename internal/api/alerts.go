package api

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// ListAlerts answers GET /api/v1/alerts?status=open|acknowledged|resolved:
// the alerts that reached the caller (their unit's, or escalated to them),
// the earliest deadline first; without status, those not yet resolved.
func (h *Handler) ListAlerts(w http.ResponseWriter, r *http.Request) {
	p := h.requireAny(w, r, account.AlertsRead, account.AlertsSupervise)
	if p == nil {
		return
	}
	f := store.AlertFilter{Status: store.AlertStatus(r.URL.Query().Get("status"))}
	switch f.Status {
	case "", store.AlertOpen, store.AlertAcknowledged, store.AlertResolved:
	default:
		h.Fail(w, r, &errs.Error{Code: errs.Invalid, MessageID: "error.query", Field: "status", Data: map[string]any{"Name": "status"}})
		return
	}
	list, err := h.DB.ListAlerts(r.Context(), p.User.ID, f, httpx.Actor(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list))
}

// AlertResolution is the body of POST /api/v1/alerts/{id}/resolve.
type AlertResolution struct {
	Resolution string `json:"resolution"`
}

// AcknowledgeAlert answers POST /api/v1/alerts/{id}/acknowledge: the caller
// takes the alert and it stops escalating. If-Match names the alert
// version read (412 if it changed, 428 without).
func (h *Handler) AcknowledgeAlert(w http.ResponseWriter, r *http.Request) {
	h.moveAlert(w, r, false)
}

// ResolveAlert answers POST /api/v1/alerts/{id}/resolve with what was done.
func (h *Handler) ResolveAlert(w http.ResponseWriter, r *http.Request) {
	h.moveAlert(w, r, true)
}

func (h *Handler) moveAlert(w http.ResponseWriter, r *http.Request, resolve bool) {
	if h.requireAny(w, r, account.AlertsRead, account.AlertsSupervise) == nil {
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var a store.Alert
	if resolve {
		var in AlertResolution
		if err := decode(w, r, &in); err != nil {
			h.Fail(w, r, err)
			return
		}
		a, err = h.DB.ResolveAlert(r.Context(), r.PathValue("id"), version, in.Resolution, httpx.Actor(r))
	} else {
		a, err = h.DB.AcknowledgeAlert(r.Context(), r.PathValue("id"), version, httpx.Actor(r))
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(a.Version))
	writeJSON(w, http.StatusOK, a)
}
