package config

import (
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Mobile holds the settings of the installable app: Web Push and offline
// home visits.
type Mobile struct {
	// VAPIDPrivateKey signs push messages (TERMTEM_VAPID_PRIVATE_KEY or
	// _FILE only: the 32-byte P-256 key in base64url); empty means a key
	// file in the data directory.
	VAPIDPrivateKey string
	// VAPIDSubject is the operator's contact push services may use
	// (mailto: or https:); empty means the public URL.
	VAPIDSubject string
	// PushLoopback lets push go to http:// endpoints on this machine, for
	// tests with a local push endpoint; real push services are https.
	PushLoopback bool
	// OfflineKeyLife is how long a device may keep prepared home visits.
	OfflineKeyLife time.Duration
}

func (c *Config) registerMobile(fs *flag.FlagSet, getenv Getenv) error {
	var err error
	if c.VAPIDPrivateKey, err = secret(getenv, "TERMTEM_VAPID_PRIVATE_KEY"); err != nil {
		return err
	}
	c.VAPIDSubject = getenv("TERMTEM_VAPID_SUBJECT")
	fs.StringVar(&c.VAPIDSubject, "vapid-subject", c.VAPIDSubject, "contact for push services, mailto: or https: (TERMTEM_VAPID_SUBJECT)")
	if s := getenv("TERMTEM_PUSH_LOOPBACK"); s != "" {
		if c.PushLoopback, err = parseBool(s); err != nil {
			return fmt.Errorf("TERMTEM_PUSH_LOOPBACK: %w", err)
		}
	}
	if s := getenv("TERMTEM_OFFLINE_KEY_LIFE"); s != "" {
		if c.OfflineKeyLife, err = time.ParseDuration(s); err != nil {
			return fmt.Errorf("TERMTEM_OFFLINE_KEY_LIFE: %q is not a duration such as 24h", s)
		}
	}
	fs.DurationVar(&c.OfflineKeyLife, "offline-key-life", c.OfflineKeyLife, "how long a device may keep prepared home visits (TERMTEM_OFFLINE_KEY_LIFE)")
	return nil
}

func (c *Config) mobileProblems() []string {
	var problems []string
	if c.VAPIDSubject != "" {
		u, err := url.Parse(c.VAPIDSubject)
		if err != nil || (u.Scheme != "mailto" && u.Scheme != "https") {
			problems = append(problems, fmt.Sprintf("--vapid-subject %q must be a mailto: or https: URL", c.VAPIDSubject))
		}
	}
	if c.OfflineKeyLife <= 0 || c.OfflineKeyLife > 7*24*time.Hour {
		problems = append(problems, "--offline-key-life must be more than 0 and at most 168h")
	}
	return problems
}

// PushSubject is the VAPID subject in force: the configured contact, or
// the public URL (https), or a mailto: of the public host.
func (c *Config) PushSubject() string {
	if c.VAPIDSubject != "" {
		return c.VAPIDSubject
	}
	if strings.HasPrefix(c.PublicURL, "https://") {
		return c.PublicURL
	}
	host := "localhost"
	if u, err := url.Parse(c.PublicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "mailto:termtem@" + host
}
