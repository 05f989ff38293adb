package notify

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"termtem/internal/audit"
	"termtem/internal/config"
	"termtem/internal/push"
	"termtem/internal/push/pushtest"
	"termtem/internal/store"
)

func pushWorker(t *testing.T, w *world) {
	t.Helper()
	scalar := make([]byte, 32)
	_, _ = rand.Read(scalar)
	scalar[0] &= 0x7f
	keys, err := push.NewKeys(scalar)
	if err != nil {
		t.Fatal(err)
	}
	w.worker.EnablePush(config.Config{PublicURL: publicURL, Mobile: config.Mobile{PushLoopback: true}}, keys)
}

// An alert for the unit reaches the social worker's phone through the
// outbox: the local push endpoint verifies the VAPID signature, decrypts
// the message with the subscription's key and finds the short text that
// names nobody. A phone whose subscription is gone is forgotten.
func TestPushThroughTheOutbox(t *testing.T) {
	w := newWorld(t, store.Channels{Push: true})
	pushWorker(t, w)
	phone := pushtest.New(t)
	sub := phone.Subscription()
	if _, err := w.db.SavePushSubscription(t.Context(), w.sw.ID, store.PushSubscription{Endpoint: sub.Endpoint, P256dh: sub.P256dh, Auth: sub.Auth,
		Device: "Android · Chrome"}, audit.Event{ActorID: w.sw.ID}); err != nil {
		t.Fatal(err)
	}
	w.alertOpened(t)
	if n := w.runOnce(t); n != 1 {
		t.Fatalf("tried %d deliveries, want the push", n)
	}
	msgs, faults := phone.Messages()
	if len(faults) > 0 || len(msgs) != 1 {
		t.Fatalf("phone got %d messages, faults %v", len(msgs), faults)
	}
	var m pushMessage
	if err := json.Unmarshal(msgs[0].Payload, &m); err != nil {
		t.Fatal(err)
	}
	if m.Body != "มีการแจ้งเตือนใหม่ 1 รายการ" || m.Title != "แพลตฟอร์มเติมเต็ม" || m.Link != "/notifications" {
		t.Errorf("message %+v", m)
	}
	if msgs[0].Subject != publicURL {
		t.Errorf("VAPID subject %q", msgs[0].Subject)
	}
	noPersonalData(t, "push message", msgs[0].Payload, w.sw)
	devices, err := w.db.PushSubscriptions(t.Context(), w.sw.ID)
	if err != nil || len(devices) != 1 || devices[0].LastSent == nil {
		t.Fatalf("device after sending: %v %+v", err, devices)
	}

	// A notice of a kind that is not for phones makes no push.
	if err := w.db.InTx(t.Context(), func(tx *store.Tx) error {
		return tx.Enqueue(t.Context(), store.Notification{Kind: "notify.glass_broken", UserIDs: []string{w.sw.ID}, Link: "/privacy"})
	}); err != nil {
		t.Fatal(err)
	}
	if n := w.runOnce(t); n != 0 {
		t.Errorf("tried %d deliveries for a notice not sent to phones", n)
	}

	// The user revoked the permission: the push service answers 410, the
	// device is forgotten and the delivery dropped, not retried.
	phone.Answer(http.StatusGone)
	if err := w.db.MarkNotificationsRead(t.Context(), w.sw.ID, ""); err != nil {
		t.Fatal(err)
	}
	w.alertOpened(t)
	if n := w.runOnce(t); n != 1 {
		t.Fatalf("tried %d deliveries", n)
	}
	if devices, _ := w.db.PushSubscriptions(t.Context(), w.sw.ID); len(devices) != 0 {
		t.Errorf("gone device kept: %+v", devices)
	}
	failed, err := w.db.ListFailedDeliveries(t.Context(), 10)
	if err != nil || len(failed) != 1 || failed[0].Channel != store.ChannelPush || !strings.Contains(failed[0].LastError, "no push device") {
		t.Errorf("failed deliveries %v %+v", err, failed)
	}
}

// Only push services' https endpoints, or loopback when allowed for tests.
func TestPushAllowedEndpoints(t *testing.T) {
	for _, c := range []struct {
		url      string
		loopback bool
		ok       bool
	}{
		{"https://fcm.googleapis.com/fcm/send/abc", false, true},
		{"https://updates.push.services.mozilla.com/wpush/v2/x", false, true},
		{"https://web.push.apple.com/Q", false, true},
		{"https://db5p.notify.windows.com/w/?token=x", false, true},
		{"http://fcm.googleapis.com/fcm/send/abc", false, false},
		{"https://evil.example/fcm.googleapis.com", false, false},
		{"https://fcm.googleapis.com.evil.example/x", false, false},
		{"http://127.0.0.1:9000/push", false, false},
		{"http://127.0.0.1:9000/push", true, true},
		{"http://10.0.0.1/push", true, false},
	} {
		u, _ := url.Parse(c.url)
		if got := pushAllowed(c.loopback)(u); got != c.ok {
			t.Errorf("%s (loopback %v): %v", c.url, c.loopback, got)
		}
	}
}
