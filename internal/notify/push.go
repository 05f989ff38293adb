package notify

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"strings"

	"termtem/internal/config"
	"termtem/internal/push"
	"termtem/internal/store"
)

// pushServices are the hosts of the push services browsers subscribe with
// (Chrome and Android, Firefox, Safari and iOS, Edge). Endpoints come from
// browsers: the server posts to nothing else.
var pushServices = []string{"fcm.googleapis.com", "android.googleapis.com", ".push.services.mozilla.com",
	"web.push.apple.com", ".push.apple.com", ".notify.windows.com"}

// pushAllowed says whether an endpoint is a known push service over
// https, or, with loopback allowed (tests), an address on this machine.
func pushAllowed(loopback bool) func(*url.URL) bool {
	return func(u *url.URL) bool {
		host := strings.ToLower(u.Hostname())
		if loopback && (u.Scheme == "http" || u.Scheme == "https") {
			if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
				return true
			}
		}
		if u.Scheme != "https" {
			return false
		}
		for _, s := range pushServices {
			if host == strings.TrimPrefix(s, ".") || (strings.HasPrefix(s, ".") && strings.HasSuffix(host, s)) {
				return true
			}
		}
		return false
	}
}

// PushKeys returns the VAPID key pair of a configuration: from
// TERMTEM_VAPID_PRIVATE_KEY(_FILE), or kept in a key file in the data
// directory, made on first start.
func PushKeys(cfg config.Config) (*push.Keys, error) {
	if cfg.VAPIDPrivateKey != "" {
		return push.ParseKeys(cfg.VAPIDPrivateKey)
	}
	b, err := store.KeyFile(cfg.DataDir, "vapid.key")
	if err != nil {
		return nil, err
	}
	scalar, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(scalar) != 32 {
		return nil, errors.New("vapid.key: want 64 hexadecimal digits")
	}
	return push.NewKeys(scalar)
}

// EnablePush switches the push channel on with the configuration's keys.
func (w *Worker) EnablePush(cfg config.Config, keys *push.Keys) {
	w.Push = &push.Sender{Keys: keys, Subject: cfg.PushSubject(), Allowed: pushAllowed(cfg.PushLoopback)}
}

// pushMessage is what a phone shows: the app's name and how many notices
// wait, nothing about whom they concern.
type pushMessage struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	Link  string `json:"link"`
}

// sendPush sends a push delivery to every device of its user. It reports
// none when the user has no device any more (all unsubscribed or gone).
func (w *Worker) sendPush(ctx context.Context, d store.Delivery) (none bool, err error) {
	r, err := w.DB.PushRecipientOf(ctx, d.ID)
	if err != nil {
		return false, err
	}
	if len(r.Devices) == 0 {
		return true, nil
	}
	lang := r.Lang
	if lang == "" {
		lang = "th"
	}
	msg, err := json.Marshal(pushMessage{Title: w.Cat.T(lang, "app.name", nil),
		Body: w.Cat.T(lang, "push.message", map[string]any{"Count": max(r.Unread, 1)}), Link: "/notifications"})
	if err != nil {
		return false, err
	}
	sent, gone := 0, 0
	var last error
	for _, dev := range r.Devices {
		err := w.Push.Send(ctx, push.Subscription{Endpoint: dev.Endpoint, P256dh: dev.P256dh, Auth: dev.Auth}, msg)
		switch {
		case errors.Is(err, push.ErrGone):
			gone++
			if err := w.DB.PushGone(ctx, dev.ID); err != nil {
				return false, err
			}
		case err != nil:
			last = err
		default:
			sent++
			if err := w.DB.PushSent(ctx, dev.ID); err != nil {
				return false, err
			}
		}
	}
	if sent > 0 {
		return false, nil
	}
	if gone == len(r.Devices) {
		return true, nil
	}
	return false, last
}
