package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"termtem/internal/account"
	"termtem/internal/push/pushtest"
	"termtem/internal/store"
)

// withEnv adds variables to a test environment.
func withEnv(getenv func(string) string, vars map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		return getenv(k)
	}
}

// TestBrowserPush: a social worker turns on notifications on the profile
// page; an alert for the unit then reaches the local push endpoint through
// the outbox, signed and encrypted, saying only that a notice waits; the
// worker stops sending to that device from the list.
//
// Headless Chromium cannot reach a real push service here, so the page's
// PushManager hands out a subscription to the local endpoint (keys made by
// the test); everything after it is the real page, server and outbox.
func TestBrowserPush(t *testing.T) {
	ts := startServer(t, withEnv(testEnv(t), map[string]string{"TERMTEM_PUSH_LOOPBACK": "true"}))
	org := ts.addOrganisation(t, "HC-PU")
	ts.addUser(t, "push.worker", "case_manager", "HC-PU", testPassword)
	phone := pushtest.New(t)
	sub := phone.Subscription()
	b := newBrowser(t, ts)
	fake := fmt.Sprintf(`(() => {
		if (!self.PushManager) return;
		const json = {endpoint: %s, expirationTime: null, keys: {p256dh: %s, auth: %s}};
		const sub = {endpoint: json.endpoint, toJSON: () => json,
			unsubscribe: () => { localStorage.removeItem("test-push"); return Promise.resolve(true); }};
		PushManager.prototype.subscribe = function () { localStorage.setItem("test-push", "1"); return Promise.resolve(sub); };
		PushManager.prototype.getSubscription = function () { return Promise.resolve(localStorage.getItem("test-push") ? sub : null); };
	})()`, jsString(sub.Endpoint), jsString(sub.P256dh), jsString(sub.Auth))
	b.do("stand-in push service and permission", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fake}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, browser.SetPermission, browser.SetPermissionParams{Permission: &browser.PermissionDescriptor{Name: "notifications"},
			Setting: browser.PermissionSettingGranted, Origin: ts.URL})
		return err
	}))
	b.login("push.worker", testPassword)
	b.open("/profile")
	b.waitFor("push button", `!document.getElementById("push-on").hidden`)
	if got := b.text("#push-state"); got != "อุปกรณ์นี้ยังไม่รับการแจ้งเตือน" {
		b.fatalf("state before %q", got)
	}
	if !b.has("#push-none") {
		b.fatalf("device list not empty")
	}
	b.do("turn on", chromedp.Click(chromedp.CSS("#push-on"), chromedp.NodeVisible))
	b.settle("device listed", `!!document.querySelector("#push-devices li")`)
	b.settle("state on", `document.getElementById("push-state").textContent === "อุปกรณ์นี้รับการแจ้งเตือนอยู่"`)
	if got := b.text("#push-devices li span"); got == "" || got[:5] != "Linux" {
		b.fatalf("device label %q", got)
	}

	// An alert for the unit, as the daily checks enqueue it, with the push
	// channel on as in the server.
	db := ts.openDB(t)
	db.Channels = store.Channels{Push: true}
	if err := db.InTx(t.Context(), func(tx *store.Tx) error {
		return tx.Enqueue(t.Context(), store.Notification{Kind: "notify.alert_opened", OrganisationIDs: []string{org.ID},
			Permission: account.AlertsRead, Link: "/alerts"})
	}); err != nil {
		t.Fatal(err)
	}
	if !phone.Wait(1, 30*time.Second) {
		t.Fatal("no push within 30 s (the outbox is read every 5 s)")
	}
	msgs, faults := phone.Messages()
	if len(faults) > 0 || len(msgs) != 1 {
		t.Fatalf("push endpoint: %d messages, faults %v", len(msgs), faults)
	}
	var m struct{ Title, Body, Link string }
	if err := json.Unmarshal(msgs[0].Payload, &m); err != nil {
		t.Fatal(err)
	}
	if m.Body != "มีการแจ้งเตือนใหม่ 1 รายการ" || m.Link != "/notifications" {
		t.Errorf("push message %+v", m)
	}

	// Revoked from the list: the device is gone and gets nothing more.
	b.clickAndWait(".push-revoke")
	if got := b.text(".flash"); got != "เลิกส่งการแจ้งเตือนไปยังอุปกรณ์นั้นแล้ว" || !b.has("#push-none") {
		b.fatalf("after revoking: flash %q", got)
	}
	u, err := db.GetUserByUsername(t.Context(), "push.worker")
	if err != nil {
		t.Fatal(err)
	}
	if devices, err := db.PushSubscriptions(t.Context(), u.ID); err != nil || len(devices) != 0 {
		t.Fatalf("devices after revoking: %v %+v", err, devices)
	}
}
