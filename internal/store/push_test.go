package store_test

import (
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

const (
	testP256dh = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
	testAuth   = "BTBZMqHH6r4Tts7J_aSIgg"
)

// A user's devices: saved, listed, moved to another user when the same
// browser subscribes for them, revoked only by their owner; push
// deliveries only for phone-worthy notices and users with a device.
func TestPushSubscriptions(t *testing.T) {
	db := storetest.Open(t)
	db.Channels = store.Channels{Push: true}
	org := newOrg(t, db, "HC-PS")
	nurse := newUser(t, db, "nurse.ps", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff})
	other := newUser(t, db, "nurse.ps2", account.Membership{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff})
	phone := store.PushSubscription{Endpoint: "https://fcm.googleapis.com/fcm/send/abc", P256dh: testP256dh, Auth: testAuth, Device: "Android · Chrome"}

	for _, bad := range []struct {
		s     store.PushSubscription
		field string
	}{
		{store.PushSubscription{Endpoint: "javascript:alert(1)", P256dh: testP256dh, Auth: testAuth}, "endpoint"},
		{store.PushSubscription{Endpoint: "https://u:p@fcm.googleapis.com/x", P256dh: testP256dh, Auth: testAuth}, "endpoint"},
		{store.PushSubscription{Endpoint: phone.Endpoint, P256dh: "short", Auth: testAuth}, "keys"},
	} {
		_, err := db.SavePushSubscription(ctx, nurse.ID, bad.s, actor())
		wantErr(t, err, errs.Invalid, bad.field, "")
	}

	// No device yet: an alert makes a notice but no push delivery.
	enqueue(t, db, store.Notification{Kind: "notify.alert_opened", UserIDs: []string{nurse.ID}, Link: "/alerts"})
	if ds, err := db.ClaimDeliveries(ctx, 10, time.Minute); err != nil || len(ds) != 0 {
		t.Fatalf("deliveries without a device: %+v %v", ds, err)
	}
	if err := db.MarkNotificationsRead(ctx, nurse.ID, ""); err != nil {
		t.Fatal(err)
	}

	saved, err := db.SavePushSubscription(ctx, nurse.ID, phone, actor())
	if err != nil {
		t.Fatal(err)
	}
	devices, err := db.PushSubscriptions(ctx, nurse.ID)
	if err != nil || len(devices) != 1 || devices[0].ID != saved.ID || devices[0].Device != "Android · Chrome" {
		t.Fatalf("devices %+v %v", devices, err)
	}
	enqueue(t, db, store.Notification{Kind: "notify.alert_opened", UserIDs: []string{nurse.ID}, Link: "/alerts"})
	enqueue(t, db, store.Notification{Kind: "notify.glass_broken", UserIDs: []string{nurse.ID}, Link: "/privacy"})
	ds, err := db.ClaimDeliveries(ctx, 10, time.Minute)
	if err != nil || len(ds) != 1 || ds[0].Channel != store.ChannelPush || ds[0].Kind != "notify.alert_opened" {
		t.Fatalf("push deliveries %+v %v", ds, err)
	}
	r, err := db.PushRecipientOf(ctx, ds[0].ID)
	if err != nil || len(r.Devices) != 1 || r.Unread != 2 || r.Lang != "th" {
		t.Fatalf("recipient %+v %v", r, err)
	}

	// Someone else cannot revoke it; the same browser subscribing for the
	// other user moves it.
	wantErr(t, db.DeletePushSubscription(ctx, other.ID, saved.ID, "", actor()), errs.NotFound, "", "")
	if _, err := db.SavePushSubscription(ctx, other.ID, phone, actor()); err != nil {
		t.Fatal(err)
	}
	if mine, _ := db.PushSubscriptions(ctx, nurse.ID); len(mine) != 0 {
		t.Fatalf("the browser is still the first user's: %+v", mine)
	}
	if err := db.DeletePushSubscription(ctx, other.ID, "", phone.Endpoint, actor()); err != nil {
		t.Fatal(err)
	}
	if theirs, _ := db.PushSubscriptions(ctx, other.ID); len(theirs) != 0 {
		t.Fatalf("not revoked: %+v", theirs)
	}
	events, err := db.RecentAudit(ctx, store.ActionPushUnsubscribed, 10)
	if err != nil || len(events) != 1 {
		t.Fatalf("audit of the revocation: %+v %v", events, err)
	}
}
