package web

import (
	"net/http"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/store"
)

// The user's notices (what the outbox wrote for them), and for
// administrators the deliveries that failed for good.

type notificationRow struct {
	ID        string
	Subject   string
	CreatedAt time.Time
	Unread    bool
}

type notificationsPage struct {
	Rows     []notificationRow
	Unread   int
	CanAdmin bool
}

// UnreadNotifications is the count shown beside the menu entry; pages
// rendered outside a request's view (error pages) show none.
func (v *View) UnreadNotifications() int {
	if v.unread == nil {
		return 0
	}
	return v.unread()
}

// unreadCounter counts lazily: only the full pages that draw the menu ask.
func (h *Handler) unreadCounter(r *http.Request, p *account.Principal) func() int {
	if p == nil {
		return nil
	}
	return func() int {
		n, err := h.DB.UnreadNotifications(r.Context(), p.User.ID)
		if err != nil {
			return 0 // a missing count is no reason to fail the page
		}
		return n
	}
}

// NotificationsList shows the user's notices, unread first
// (GET /notifications).
func (h *Handler) NotificationsList(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	list, unread, err := h.DB.ListNotifications(r.Context(), p.User.ID, 200)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "notifications.title", nil)
	page := notificationsPage{Unread: unread, CanAdmin: p.Can(account.UsersManage)}
	for _, n := range list {
		page.Rows = append(page.Rows, notificationRow{ID: n.ID, Subject: h.Cat.T(v.Lang, n.Kind, nil), CreatedAt: n.CreatedAt, Unread: n.ReadAt == nil})
	}
	v.Data = page
	h.render(w, r, http.StatusOK, "notifications", v)
}

// NotificationOpen marks a notice read and goes where it points
// (POST /notifications/{id}/open): a POST, because opening changes it.
func (h *Handler) NotificationOpen(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	link, err := h.DB.OpenNotification(r.Context(), p.User.ID, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Stored links are paths (Enqueue refuses others); checked again so
	// that this can never send anyone off the site.
	if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.HasPrefix(link, "/\\") {
		link = "/notifications"
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
}

// NotificationRead marks one notice read, or all of them without an ID
// (POST /notifications/{id}/read, POST /notifications/read).
func (h *Handler) NotificationRead(w http.ResponseWriter, r *http.Request) {
	p := h.require(w, r, "")
	if p == nil {
		return
	}
	if err := h.DB.MarkNotificationsRead(r.Context(), p.User.ID, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectWithFlash(w, r, "/notifications", "flash.notifications_read")
}

type failedPage struct {
	Rows []store.FailedDelivery
}

// NotificationsFailed lists the deliveries that failed for good, for
// administrators: what and how, never to whom (GET /notifications/failed).
func (h *Handler) NotificationsFailed(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.UsersManage) == nil {
		return
	}
	rows, err := h.DB.ListFailedDeliveries(r.Context(), 200)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "notifications_failed", h.view(r, "notifications.failed_title", failedPage{Rows: rows}))
}
