package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"termtem/internal/store"
)

// Texts of the notification screens, copied from internal/locale.
const (
	thNotificationsNav = "แจ้งข่าวถึงฉัน"
	thEscalatedToYou   = "มีการแจ้งเตือนที่ไม่มีผู้รับทราบทันเวลาถูกส่งต่อถึงคุณ"
	thUnread           = "ยังไม่อ่าน"
	thRead             = "อ่านแล้ว"
	thMarkedRead       = "ทำเครื่องหมายว่าอ่านแล้ว"
)

// notifyUser writes a notice for a user as a change would, through a store
// handle whose channels are as given.
func notifyUser(t *testing.T, db *store.DB, username, kind string) {
	t.Helper()
	u, err := db.GetUserByUsername(t.Context(), username)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(t.Context(), func(tx *store.Tx) error {
		return tx.Enqueue(t.Context(), store.Notification{Kind: kind, UserIDs: []string{u.ID}, Link: "/alerts"})
	}); err != nil {
		t.Fatal(err)
	}
}

// A social worker sees the count of unread notices in the menu, opens one
// (it is marked read and leads to the alerts), marks the rest read; an
// administrator sees a delivery that failed (the server's webhook is off),
// without personal data, and the social worker may not.
func TestBrowserNotifications(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	ctx := t.Context()
	sw, err := db.GetUserByUsername(ctx, "demo.socialworker")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkNotificationsRead(ctx, sw.ID, ""); err != nil {
		t.Fatal(err)
	}
	notifyUser(t, db, "demo.socialworker", "notify.alert_opened")
	notifyUser(t, db, "demo.socialworker", "notify.alert_escalated")
	// Written as if the webhook were on; this server has it off, so its
	// worker gives the delivery up at once and administrators see it.
	hooked := ts.openDB(t)
	hooked.Channels = store.Channels{Webhook: true}
	notifyUser(t, hooked, "demo.admin", "notify.alert_opened")

	b := newBrowser(t, ts)
	if status := b.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		b.fatalf("login: %d", status)
	}
	if got := b.text("#nav-unread"); got != "2" {
		b.fatalf("unread count in the menu %q", got)
	}
	b.clickAndWait("#nav-notifications")
	if b.path() != "/notifications" || b.text("h1") != thNotificationsNav || b.jsAttr("#nav-notifications", "aria-current") != "page" {
		b.fatalf("notifications page %s %q", b.path(), b.text("h1"))
	}
	list, _, err := db.ListNotifications(ctx, sw.ID, 0)
	if err != nil || len(list) < 2 || list[0].Kind != "notify.alert_escalated" {
		t.Fatalf("stored %+v %v", list, err)
	}
	first := "#notice-" + list[0].ID
	if got := b.texts(".notice .notice-open"); len(got) < 2 || got[0] != thEscalatedToYou {
		b.fatalf("notices %q", got)
	}
	if b.text(first+" .notice-state") != thUnread {
		b.fatalf("state %q", b.text(first+" .notice-state"))
	}
	// Opening marks it read and goes where it points.
	if status := b.clickAndWait("#open-" + list[0].ID); status != http.StatusOK || b.path() != "/alerts" {
		b.fatalf("open: %d at %s", status, b.path())
	}
	if got := b.text("#nav-unread"); got != "1" {
		b.fatalf("unread after opening one %q", got)
	}
	b.open("/notifications")
	// Unread first: the opened one has gone below the one still unread.
	if b.jsAttr(".notice", "id") != "notice-"+list[1].ID || b.text(first+" .notice-state") != thRead || b.has("#read-"+list[0].ID) {
		b.fatalf("after opening: first %s, state %q", b.jsAttr(".notice", "id"), b.text(first+" .notice-state"))
	}
	b.clickAndWait("#read-all")
	if b.text(".flash") != thMarkedRead || b.has("#nav-unread") || b.has("#read-all") {
		b.fatalf("read all: %q", b.text(".flash"))
	}
	if b.has("#failed-link") {
		b.fatalf("a social worker is offered the failed deliveries")
	}
	if status := b.open("/notifications/failed"); status != http.StatusForbidden {
		b.fatalf("social worker at /notifications/failed: %d", status)
	}
	b.clickAndWait("#lang-switch")
	if got := b.text("#nav-notifications"); got != "Notifications" {
		b.fatalf("English menu %q", got)
	}

	admin := b.newDevice()
	if status := admin.login("demo.admin", demoPassword(t, ts, "demo.admin")); status != http.StatusOK {
		admin.fatalf("admin login: %d", status)
	}
	var failed []store.FailedDelivery
	for deadline := time.Now().Add(20 * time.Second); len(failed) == 0 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if failed, err = db.ListFailedDeliveries(ctx, 0); err != nil {
			t.Fatal(err)
		}
	}
	if len(failed) != 1 {
		t.Fatalf("failed deliveries %+v", failed)
	}
	admin.open("/notifications")
	admin.clickAndWait("#failed-link")
	row := "#failed-" + failed[0].ID
	if admin.path() != "/notifications/failed" || admin.text(row+" .failed-channel") != "Webhook (LINE / SMS)" ||
		admin.text(row+" .failed-attempts") != "1" || admin.text(row+" .failed-error") != "webhook is not configured" {
		admin.fatalf("failed deliveries page")
	}
	main := admin.text("main")
	for _, s := range []string{"demo.admin", "demo.socialworker", sw.DisplayName, "@"} {
		if strings.Contains(main, s) {
			admin.fatalf("the failed deliveries show %q", s)
		}
	}
	admin.screenshot("notifications-failed-th")
}
