// Package notify delivers the notifications the store's outbox holds: by
// e-mail over SMTP and by a signed webhook call (for a LINE or SMS gateway
// the operator runs). What leaves Termtem is only a short subject that names
// nobody and a link; whom a notice is about stays behind the login.
package notify

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"termtem/internal/config"
	"termtem/internal/locale"
	"termtem/internal/push"
	"termtem/internal/store"
)

// Every is how often the worker looks for due deliveries.
const Every = 5 * time.Second

// lease is how long a claimed delivery is this worker's: longer than one
// send may take (the senders' timeouts), so that no other worker sends it
// meanwhile.
const lease = 2 * time.Minute

// batch is how many deliveries one claim takes.
const batch = 20

// Worker claims due deliveries and sends them. Several workers (one per
// application node) may run against one database.
type Worker struct {
	DB        *store.DB
	Cat       *locale.Catalogue
	Log       *slog.Logger
	PublicURL string
	Email     *SMTP        // nil: e-mail is off
	Webhook   *Webhook     // nil: the webhook is off
	Push      *push.Sender // nil: push is off (EnablePush)
}

// New makes the worker of a configuration: a channel whose address is
// empty is off.
func New(db *store.DB, cat *locale.Catalogue, log *slog.Logger, cfg config.Config) *Worker {
	w := &Worker{DB: db, Cat: cat, Log: log, PublicURL: cfg.PublicURL}
	if cfg.SMTPAddr != "" {
		w.Email = &SMTP{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword}
	}
	if cfg.WebhookURL != "" {
		w.Webhook = &Webhook{URL: cfg.WebhookURL, Secret: cfg.WebhookSecret}
	}
	return w
}

// Channels tells the store which deliveries to write.
func (w *Worker) Channels() store.Channels {
	return store.Channels{Email: w.Email != nil, Webhook: w.Webhook != nil, Push: w.Push != nil}
}

// Notices read this long ago, and deliveries finished this long ago, are
// deleted: the outbox is a queue, not an archive.
const (
	keepRead      = 180 * 24 * time.Hour
	keepDelivered = 30 * 24 * time.Hour
)

// Run delivers every few seconds until ctx ends, and prunes once a day.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	var pruned time.Time
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("notification delivery failed", slog.String("error", err.Error()))
		}
		if now := w.DB.Now(); now.Sub(pruned) > 24*time.Hour {
			pruned = now
			if err := w.DB.PruneNotifications(ctx, now.Add(-keepRead), now.Add(-keepDelivered)); err != nil && ctx.Err() == nil {
				w.Log.Warn("pruning notifications failed", slog.String("error", err.Error()))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce sends what is due now, batch after batch, and returns how many
// deliveries it tried.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	tried := 0
	for ctx.Err() == nil {
		ds, err := w.DB.ClaimDeliveries(ctx, batch, lease)
		if err != nil {
			return tried, err
		}
		for _, d := range ds {
			if err := w.deliver(ctx, d); err != nil {
				return tried, err
			}
			tried++
		}
		if len(ds) < batch {
			break
		}
	}
	return tried, nil
}

// deliver sends one delivery and records the outcome; it returns an error
// only when the outcome could not be recorded.
func (w *Worker) deliver(ctx context.Context, d store.Delivery) error {
	log := w.Log.With(slog.String("delivery", d.ID), slog.String("channel", d.Channel), slog.String("kind", d.Kind), slog.Int("attempt", d.Attempts))
	var err error
	switch {
	case d.Channel == store.ChannelEmail && w.Email == nil, d.Channel == store.ChannelWebhook && w.Webhook == nil,
		d.Channel == store.ChannelPush && w.Push == nil:
		log.Warn("notification channel switched off; delivery dropped")
		return w.DB.GiveUpDelivery(ctx, d, d.Channel+" is not configured")
	case d.Channel == store.ChannelEmail && d.Email == "":
		log.Warn("recipient has no e-mail address any more (or was disabled); delivery dropped")
		return w.DB.GiveUpDelivery(ctx, d, "recipient has no e-mail address or is disabled")
	case d.Channel == store.ChannelEmail:
		err = w.Email.Send(ctx, d.Email, w.emailMessage(d))
	case d.Channel == store.ChannelWebhook:
		err = w.Webhook.Send(ctx, w.payload(d))
	case d.Channel == store.ChannelPush:
		var none bool
		if none, err = w.sendPush(ctx, d); none {
			log.Warn("recipient has no push device any more; delivery dropped")
			return w.DB.GiveUpDelivery(ctx, d, "recipient has no push device any more")
		}
	default:
		return w.DB.GiveUpDelivery(ctx, d, "unknown channel")
	}
	if err == nil {
		if _, err := w.DB.DeliverySucceeded(ctx, d); err != nil {
			return err
		}
		log.Info("notification sent")
		return nil
	}
	why := reason(err)
	final, serr := w.DB.DeliveryFailedAttempt(ctx, d, why)
	if serr != nil {
		return serr
	}
	if final {
		log.Error("notification delivery failed for good", slog.String("reason", why))
	} else {
		log.Warn("notification delivery failed; will retry", slog.String("reason", why))
	}
	return nil
}

// link is the absolute address of a notice's path.
func (w *Worker) link(path string) string {
	return strings.TrimRight(w.PublicURL, "/") + path
}

// addressLike matches anything shaped like an e-mail address: a relay's
// refusal often quotes the recipient, and reasons are shown to
// administrators and logged.
var addressLike = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+`)

// reason describes a failed send without personal data or secrets: no
// addresses, and no URL (a gateway's URL may carry its token).
func reason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	s := addressLike.ReplaceAllString(err.Error(), "[address]")
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "")
	}
	return s
}
