package store

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"time"

	"termtem/internal/audit"
	"termtem/internal/errs"
)

// Audit actions of push subscriptions.
const (
	ActionPushSubscribed   = "push.subscribed"
	ActionPushUnsubscribed = "push.unsubscribed"
)

// PushSubscription is one device of a user that receives push notices.
type PushSubscription struct {
	ID        string
	Endpoint  string
	P256dh    string
	Auth      string
	Device    string // a label the user recognises ("Android · Chrome")
	CreatedAt time.Time
	LastSent  *time.Time
}

// pushKinds are the notices that also go to a phone: what needs someone's
// attention soon (alerts, referrals and hand-offs, care-plan steps).
var pushKinds = map[string]bool{
	"notify.alert_opened": true, "notify.alert_escalated": true,
	"notify.referral_received": true, "notify.referral_changed": true, "notify.handoff_received": true,
	"notify.step_assigned": true, "notify.step_overdue": true,
}

func validatePushSubscription(s *PushSubscription) error {
	u, err := url.Parse(s.Endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || len(s.Endpoint) > 1000 {
		return errs.Field("endpoint", "push.endpoint_invalid", nil)
	}
	if len(s.P256dh) < 80 || len(s.P256dh) > 100 || len(s.Auth) < 16 || len(s.Auth) > 32 {
		return errs.Field("keys", "push.keys_invalid", nil)
	}
	s.Device = strings.ToValidUTF8(s.Device[:min(len(s.Device), 80)], "")
	return nil
}

// SavePushSubscription records that this user's browser receives push
// notices. A browser has one endpoint: subscribed again (or by another
// user after a change of account on a shared phone), it is that user's now.
func (db *DB) SavePushSubscription(ctx context.Context, userID string, s PushSubscription, actor audit.Event) (PushSubscription, error) {
	if err := validatePushSubscription(&s); err != nil {
		return s, err
	}
	err := db.InTx(ctx, func(t *Tx) error {
		if _, err := t.exec(ctx, `DELETE FROM push_subscriptions WHERE endpoint = ?`, s.Endpoint); err != nil {
			return classify(err)
		}
		s.ID = NewID()
		now := t.now()
		if _, err := t.exec(ctx, `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, device, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			s.ID, userID, s.Endpoint, s.P256dh, s.Auth, s.Device, now); err != nil {
			return classify(err)
		}
		s.CreatedAt = parseTS(now)
		actor.Action, actor.ObjectType, actor.ObjectID = ActionPushSubscribed, "push_subscription", s.ID
		return t.Audit(ctx, actor)
	})
	return s, err
}

// PushSubscriptions lists a user's devices that receive push notices.
func (db *DB) PushSubscriptions(ctx context.Context, userID string) ([]PushSubscription, error) {
	rows, err := db.reader().query(ctx, `SELECT id, endpoint, p256dh, auth, device, created_at, last_sent_at FROM push_subscriptions
		WHERE user_id = ? ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []PushSubscription
	for rows.Next() {
		var s PushSubscription
		var created string
		var sent sql.NullString
		if err := rows.Scan(&s.ID, &s.Endpoint, &s.P256dh, &s.Auth, &s.Device, &created, &sent); err != nil {
			return nil, classify(err)
		}
		s.CreatedAt, s.LastSent = parseTS(created), parseNullTS(sent)
		out = append(out, s)
	}
	return out, classify(rows.Err())
}

// DeletePushSubscription stops push notices to one of the user's devices,
// named by its ID (the profile page) or its endpoint (the browser itself).
// Another user's device is not found.
func (db *DB) DeletePushSubscription(ctx context.Context, userID, id, endpoint string, actor audit.Event) error {
	return db.InTx(ctx, func(t *Tx) error {
		var found string
		err := t.queryRow(ctx, `SELECT id FROM push_subscriptions WHERE user_id = ? AND (id = ? OR endpoint = ?)`, userID, id, endpoint).Scan(&found)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "error.not_found")
		}
		if err != nil {
			return classify(err)
		}
		if _, err := t.exec(ctx, `DELETE FROM push_subscriptions WHERE id = ?`, found); err != nil {
			return classify(err)
		}
		actor.Action, actor.ObjectType, actor.ObjectID = ActionPushUnsubscribed, "push_subscription", found
		return t.Audit(ctx, actor)
	})
}

// PushGone forgets a subscription the push service no longer knows.
func (db *DB) PushGone(ctx context.Context, id string) error {
	return db.InTx(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `DELETE FROM push_subscriptions WHERE id = ?`, id)
		return classify(err)
	})
}

// PushSent notes when a device last received a notice.
func (db *DB) PushSent(ctx context.Context, id string) error {
	return db.InTx(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE push_subscriptions SET last_sent_at = ? WHERE id = ?`, t.now(), id)
		return classify(err)
	})
}

// PushRecipient is what a push delivery needs to know about its user at
// sending time: the language, how many notices are unread (the message
// says only that), and the devices.
type PushRecipient struct {
	Lang    string
	Unread  int
	Devices []PushSubscription
}

// PushRecipientOf reads a push delivery's user; a disabled user has no
// devices.
func (db *DB) PushRecipientOf(ctx context.Context, deliveryID string) (PushRecipient, error) {
	var r PushRecipient
	var userID string
	err := db.reader().queryRow(ctx, `SELECT u.id, u.lang FROM notification_deliveries d JOIN users u ON u.id = d.user_id
		WHERE d.id = ? AND NOT u.disabled`, deliveryID).Scan(&userID, &r.Lang)
	if err == sql.ErrNoRows {
		return r, nil
	}
	if err != nil {
		return r, classify(err)
	}
	if r.Unread, err = db.UnreadNotifications(ctx, userID); err != nil {
		return r, err
	}
	r.Devices, err = db.PushSubscriptions(ctx, userID)
	return r, err
}

// addPushDelivery queues a push delivery for a user who has devices, for
// the kinds of notice that go to phones.
func (t *Tx) addPushDelivery(ctx context.Context, userID string, n Notification, now string) error {
	if !t.db.Channels.Push || !pushKinds[n.Kind] {
		return nil
	}
	var devices int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM push_subscriptions WHERE user_id = ?`, userID).Scan(&devices); err != nil {
		return classify(err)
	}
	if devices == 0 {
		return nil
	}
	return t.addDelivery(ctx, ChannelPush, userID, n, now)
}
