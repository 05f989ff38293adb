package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"termtem/internal/errs"
	"termtem/internal/httpx"
	"termtem/internal/store"
)

// pushSubscriptionJSON is what PushSubscription.toJSON() gives in the
// browser.
type pushSubscriptionJSON struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256dh string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
}

// PushSubscribe records that this browser receives push notices
// (POST /profile/push, JSON from the profile page's script).
func (h *Handler) PushSubscribe(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	var in pushSubscriptionJSON
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil {
		h.failJSON(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	_, err := h.DB.SavePushSubscription(r.Context(), p.User.ID, store.PushSubscription{Endpoint: in.Endpoint, P256dh: in.Keys.P256dh,
		Auth: in.Keys.Auth, Device: deviceLabel(r.UserAgent())}, httpx.Actor(r))
	if err != nil {
		h.failJSON(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// PushUnsubscribe stops push notices to this browser, named by its
// endpoint (POST /profile/push/unsubscribe, JSON).
func (h *Handler) PushUnsubscribe(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	var in pushSubscriptionJSON
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil || in.Endpoint == "" {
		h.failJSON(w, r, errs.New(errs.Invalid, "error.form"))
		return
	}
	if err := h.DB.DeletePushSubscription(r.Context(), p.User.ID, "", in.Endpoint, httpx.Actor(r)); err != nil && !errs.Is(err, errs.NotFound) {
		h.failJSON(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// PushRevoke stops push notices to one of the user's devices from the
// profile page, for a phone that is lost or passed on
// (POST /profile/push/{id}/delete).
func (h *Handler) PushRevoke(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	if err := h.DB.DeletePushSubscription(r.Context(), p.User.ID, r.PathValue("id"), "", httpx.Actor(r)); err != nil {
		// Gone already (a second tap; only the user's own are looked at):
		// what they asked for holds.
		if errs.Is(err, errs.NotFound) {
			h.redirectWithFlash(w, r, "/profile", "flash.resend2_push_removed")
			return
		}
		h.fail(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/profile", "flash.push_revoked")
}

// failJSON answers a script's request with a localised message.
func (h *Handler) failJSON(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	httpx.LogError(h.Log, r, e)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(httpx.Status(e.Code))
	_ = json.NewEncoder(w).Encode(map[string]string{"error": h.Cat.T(httpx.Lang(r.Context()), e.MessageID, e.Data), "field": e.Field})
}

// deviceLabel names a device by its system and browser, so that a user can
// tell their phone from their office computer in the list; nothing more of
// the User-Agent is kept.
func deviceLabel(ua string) string {
	system := "?"
	for _, s := range []struct{ key, name string }{{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"},
		{"Windows", "Windows"}, {"Mac OS", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"}} {
		if strings.Contains(ua, s.key) {
			system = s.name
			break
		}
	}
	browser := "?"
	for _, b := range []struct{ key, name string }{{"Edg/", "Edge"}, {"SamsungBrowser", "Samsung Internet"}, {"Firefox/", "Firefox"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"}} {
		if strings.Contains(ua, b.key) {
			browser = b.name
			break
		}
	}
	return system + " · " + browser
}
