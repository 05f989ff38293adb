package store

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/errs"
)

// Notification is something people should hear about, written by Enqueue
// in the transaction of the change it reports (the outbox pattern). It
// names nobody: Kind is a message ID whose Thai and English text is a short
// subject ("new alerts for your unit"), Link a path with opaque IDs only.
type Notification struct {
	Kind string
	// UserIDs are recipients by name; OrganisationIDs add the members of
	// those organisations whose role has Permission (every member when
	// Permission is empty).
	UserIDs         []string
	OrganisationIDs []string
	Permission      account.Permission
	Link            string
}

// Channels say which delivery channels are configured. Enqueue writes
// deliveries only for these, so that a channel switched on later does not
// send a backlog nobody asked for.
type Channels struct {
	Email   bool
	Webhook bool
	Push    bool // Web Push to the devices users opted in
}

// Delivery channels and states.
const (
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
	ChannelPush    = "push"

	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
)

// DeliveryBackoff is how long a delivery waits after each failed attempt;
// the attempt after the last wait is the last one, and its failure is final
// and shown to administrators.
var DeliveryBackoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 12 * time.Hour}

// MaxDeliveryAttempts is how often a delivery is tried in all.
func MaxDeliveryAttempts() int { return len(DeliveryBackoff) + 1 }

var (
	notifyKind = regexp.MustCompile(`^notify\.[a-z_]+$`)
	// A path of opaque IDs and an optional plain query: nothing that could
	// carry a name or a number typed by a person.
	notifyLink = regexp.MustCompile(`^/[A-Za-z0-9/_.-]*(\?[A-Za-z0-9_=&.-]*)?$`)
)

// Enqueue writes a notification for each recipient, and the deliveries of
// the configured channels, inside the caller's transaction. A recipient who
// still has the same notice unread (same kind and link) gets nothing new:
// a burst of events (the daily checks open many alerts) makes one notice,
// not a mailbox full. Disabled users get nothing.
func (t *Tx) Enqueue(ctx context.Context, n Notification) error {
	if !notifyKind.MatchString(n.Kind) || !notifyLink.MatchString(n.Link) || strings.HasPrefix(n.Link, "//") {
		return errs.Internalf("notification %q → %q: kind must be a notify.* message ID and link a path of opaque IDs", n.Kind, n.Link)
	}
	ids := slices.Clone(n.UserIDs)
	if len(n.OrganisationIDs) > 0 {
		q := `SELECT DISTINCT m.user_id FROM memberships m JOIN role_permissions rp ON rp.role_code = m.role_code
			WHERE m.organisation_id IN (?` + strings.Repeat(", ?", len(n.OrganisationIDs)-1) + `)`
		args := make([]any, 0, len(n.OrganisationIDs)+1)
		for _, id := range n.OrganisationIDs {
			args = append(args, id)
		}
		if n.Permission != "" {
			q, args = q+` AND rp.permission = ?`, append(args, string(n.Permission))
		}
		more, err := t.strings(ctx, q, args...)
		if err != nil {
			return err
		}
		ids = append(ids, more...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil
	}
	now := t.now()
	notified := 0
	for _, id := range ids {
		var email string
		var unread int
		err := t.queryRow(ctx, `SELECT u.email, (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.kind = ? AND n.link = ? AND n.read_at IS NULL)
			FROM users u WHERE u.id = ? AND NOT u.disabled`, n.Kind, n.Link, id).Scan(&email, &unread)
		if err == sql.ErrNoRows || unread > 0 {
			continue
		}
		if err != nil {
			return classify(err)
		}
		if _, err := t.exec(ctx, `INSERT INTO notifications (id, user_id, kind, link, created_at) VALUES (?, ?, ?, ?, ?)`,
			NewID(), id, n.Kind, n.Link, now); err != nil {
			return classify(err)
		}
		notified++
		if email != "" && t.db.Channels.Email {
			if err := t.addDelivery(ctx, ChannelEmail, id, n, now); err != nil {
				return err
			}
		}
		if err := t.addPushDelivery(ctx, id, n, now); err != nil {
			return err
		}
	}
	if notified > 0 && t.db.Channels.Webhook {
		return t.addDelivery(ctx, ChannelWebhook, "", n, now)
	}
	return nil
}

func (t *Tx) addDelivery(ctx context.Context, channel, userID string, n Notification, now string) error {
	_, err := t.exec(ctx, `INSERT INTO notification_deliveries (id, channel, user_id, kind, link, status, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), channel, nullString(userID), n.Kind, n.Link, DeliveryPending, now, now, now)
	return classify(err)
}

// strings runs a query of one text column.
func (t *Tx) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, classify(err)
		}
		out = append(out, s)
	}
	return out, classify(rows.Err())
}

// UserNotification is one notice in a user's list.
type UserNotification struct {
	ID        string
	Kind      string
	Link      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// ListNotifications returns a user's notices, unread first, newest first
// within each, and how many are unread.
func (db *DB) ListNotifications(ctx context.Context, userID string, limit int) ([]UserNotification, int, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	r := db.reader()
	rows, err := r.query(ctx, `SELECT id, kind, link, created_at, read_at FROM notifications WHERE user_id = ?
		ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, 0, classify(err)
	}
	defer rows.Close()
	var out []UserNotification
	for rows.Next() {
		var n UserNotification
		var created string
		var read sql.NullString
		if err := rows.Scan(&n.ID, &n.Kind, &n.Link, &created, &read); err != nil {
			return nil, 0, classify(err)
		}
		n.CreatedAt, n.ReadAt = parseTS(created), parseNullTS(read)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, classify(err)
	}
	unread, err := db.UnreadNotifications(ctx, userID)
	return out, unread, err
}

// UnreadNotifications counts a user's unread notices (the menu shows it on
// every page, so it reads one index range).
func (db *DB) UnreadNotifications(ctx context.Context, userID string) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	return n, classify(err)
}

// MarkNotificationsRead marks notices of userID as read: the one with id,
// or all of them when id is empty. Someone else's notice is not found.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID, id string) error {
	return db.InTx(ctx, func(t *Tx) error {
		if id == "" {
			_, err := t.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, t.now(), userID)
			return classify(err)
		}
		res, err := t.exec(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?`, t.now(), id, userID)
		if err != nil {
			return classify(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.NotFound, "error.not_found")
		}
		return nil
	})
}

// OpenNotification marks one of userID's notices read and returns its link.
func (db *DB) OpenNotification(ctx context.Context, userID, id string) (string, error) {
	var link string
	err := db.InTx(ctx, func(t *Tx) error {
		if err := t.queryRow(ctx, `SELECT link FROM notifications WHERE id = ? AND user_id = ?`, id, userID).Scan(&link); err != nil {
			return classify(err) // someone else's is not found either
		}
		_, err := t.exec(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ?`, t.now(), id)
		return classify(err)
	})
	return link, err
}

// Delivery is a claimed delivery, with what the sender needs: the address
// for e-mail (read now, so that a corrected address takes effect).
type Delivery struct {
	ID        string
	Channel   string
	Kind      string
	Link      string
	Email     string
	Attempts  int // including this one
	CreatedAt time.Time
	claim     string
}

// ClaimDeliveries takes up to limit due deliveries for this worker for the
// lease: until then no other worker (on this or another node) sees them;
// a worker that dies leaves them due again after it. Report each with
// DeliverySucceeded or DeliveryFailedAttempt.
func (db *DB) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]Delivery, error) {
	// A fresh ID per claim: reports from a worker whose lease ran out
	// (and whose delivery someone else has since claimed) change nothing.
	claim := NewID()
	var out []Delivery
	err := db.InTx(ctx, func(t *Tx) error {
		out = out[:0]
		now := db.Now()
		q := `SELECT id FROM notification_deliveries WHERE status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`
		if db.postgres {
			// Workers on other nodes skip what this one holds rather than
			// wait for it; the guarded UPDATE below is the real safety.
			q += ` FOR UPDATE SKIP LOCKED`
		}
		ids, err := t.strings(ctx, q, DeliveryPending, ts(now), limit)
		if err != nil {
			return err
		}
		for _, id := range ids {
			// Re-checked in the UPDATE: a row another worker claimed since
			// the SELECT no longer matches and is left to it.
			res, err := t.exec(ctx, `UPDATE notification_deliveries SET claim = ?, next_attempt_at = ?, attempts = attempts + 1, updated_at = ?
				WHERE id = ? AND status = ? AND next_attempt_at <= ?`, claim, ts(now.Add(lease)), ts(now), id, DeliveryPending, ts(now))
			if err != nil {
				return classify(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				continue
			}
			d := Delivery{claim: claim}
			var created string
			if err := t.queryRow(ctx, `SELECT d.id, d.channel, d.kind, d.link, COALESCE(u.email, ''), d.attempts, d.created_at
				FROM notification_deliveries d LEFT JOIN users u ON u.id = d.user_id AND NOT u.disabled WHERE d.id = ?`, id).
				Scan(&d.ID, &d.Channel, &d.Kind, &d.Link, &d.Email, &d.Attempts, &created); err != nil {
				return classify(err)
			}
			d.CreatedAt = parseTS(created)
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// DeliverySucceeded marks a claimed delivery sent. It reports false when
// the lease had run out and another worker had claimed it meanwhile.
func (db *DB) DeliverySucceeded(ctx context.Context, d Delivery) (bool, error) {
	ok := false
	err := db.InTx(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE notification_deliveries SET status = ?, sent_at = ?, updated_at = ?, last_error = '' WHERE id = ? AND claim = ? AND status = ?`,
			DeliverySent, t.now(), t.now(), d.ID, d.claim, DeliveryPending)
		if err != nil {
			return classify(err)
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	return ok, err
}

// DeliveryFailedAttempt records a failed attempt: the delivery waits its
// back-off (with up to a tenth more or less, so that deliveries failing
// together do not all come back at once), or, after the last attempt,
// fails for good. reason must hold no personal data. It reports whether
// the failure was final.
func (db *DB) DeliveryFailedAttempt(ctx context.Context, d Delivery, reason string) (bool, error) {
	final := d.Attempts >= MaxDeliveryAttempts()
	now := db.Now()
	if final {
		return true, db.endDelivery(ctx, d, DeliveryFailed, now, reason)
	}
	wait := DeliveryBackoff[max(d.Attempts-1, 0)]
	return false, db.endDelivery(ctx, d, DeliveryPending, now.Add(wait+time.Duration((rand.Float64()*0.2-0.1)*float64(wait))), reason)
}

// GiveUpDelivery fails a claimed delivery for good without further
// attempts: when retrying cannot help (the recipient has no address any
// more, the channel was switched off).
func (db *DB) GiveUpDelivery(ctx context.Context, d Delivery, reason string) error {
	return db.endDelivery(ctx, d, DeliveryFailed, db.Now(), reason)
}

func (db *DB) endDelivery(ctx context.Context, d Delivery, status string, next time.Time, reason string) error {
	reason = strings.ToValidUTF8(reason[:min(len(reason), 500)], "")
	return db.InTx(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE notification_deliveries SET status = ?, next_attempt_at = ?, last_error = ?, updated_at = ?
			WHERE id = ? AND claim = ? AND status = ?`, status, ts(next), reason, t.now(), d.ID, d.claim, DeliveryPending)
		return classify(err)
	})
}

// FailedDelivery is a delivery that failed for good, as administrators see
// it: what and how, never to whom.
type FailedDelivery struct {
	ID        string
	Kind      string
	Channel   string
	Attempts  int
	LastError string
	CreatedAt time.Time
	FailedAt  time.Time
}

// ListFailedDeliveries returns the deliveries that failed for good, newest
// first.
func (db *DB) ListFailedDeliveries(ctx context.Context, limit int) ([]FailedDelivery, error) {
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	rows, err := db.reader().query(ctx, `SELECT id, kind, channel, attempts, last_error, created_at, updated_at FROM notification_deliveries
		WHERE status = ? ORDER BY updated_at DESC, id DESC LIMIT ?`, DeliveryFailed, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []FailedDelivery
	for rows.Next() {
		var f FailedDelivery
		var created, failed string
		if err := rows.Scan(&f.ID, &f.Kind, &f.Channel, &f.Attempts, &f.LastError, &created, &failed); err != nil {
			return nil, classify(err)
		}
		f.CreatedAt, f.FailedAt = parseTS(created), parseTS(failed)
		out = append(out, f)
	}
	return out, classify(rows.Err())
}

// PruneNotifications deletes notices read before readBefore and deliveries
// sent or failed before doneBefore: the outbox is a queue, not an archive.
func (db *DB) PruneNotifications(ctx context.Context, readBefore, doneBefore time.Time) error {
	return db.InTx(ctx, func(t *Tx) error {
		if _, err := t.exec(ctx, `DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < ?`, ts(readBefore)); err != nil {
			return classify(err)
		}
		_, err := t.exec(ctx, `DELETE FROM notification_deliveries WHERE status <> ? AND updated_at < ?`, DeliveryPending, ts(doneBefore))
		return classify(err)
	})
}

// notifyEscalated tells those an alert has just been escalated to: the
// supervisors of its organisation (step 1) or the committee (step 2).
func (t *Tx) notifyEscalated(ctx context.Context, alertID string, step int) error {
	var org, committee string
	if err := t.queryRow(ctx, `SELECT organisation_id, COALESCE(committee_id, '') FROM alerts WHERE id = ?`, alertID).Scan(&org, &committee); err != nil {
		return classify(err)
	}
	if step >= EscalationCommittee {
		org = committee
	}
	if org == "" {
		return nil
	}
	return t.Enqueue(ctx, Notification{Kind: "notify.alert_escalated", OrganisationIDs: []string{org},
		Permission: account.AlertsSupervise, Link: "/alerts"})
}
