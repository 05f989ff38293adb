package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
)

// minWebhookSecret is the shortest webhook key accepted: a guessable key
// would let anyone forge calls to the operator's gateway.
const minWebhookSecret = 16

// notificationProblems checks the e-mail and webhook settings. Secrets are
// never echoed.
func (c *Config) notificationProblems() []string {
	var problems []string
	if c.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
			problems = append(problems, fmt.Sprintf("--smtp-addr %q is not host:port", c.SMTPAddr))
		}
		if a, err := mail.ParseAddress(c.SMTPFrom); err != nil || a.Name != "" {
			problems = append(problems, fmt.Sprintf("--smtp-from %q must be an e-mail address when --smtp-addr is set", c.SMTPFrom))
		}
		if (c.SMTPUsername == "") != (c.SMTPPassword == "") {
			problems = append(problems, "--smtp-username and --smtp-password go together")
		}
	} else if c.SMTPUsername != "" || c.SMTPPassword != "" || c.SMTPFrom != "" {
		problems = append(problems, "--smtp-from, --smtp-username and --smtp-password need --smtp-addr")
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			// The URL may hold a token of the gateway: never echo it.
			problems = append(problems, "--webhook-url must be an http:// or https:// URL without user:password")
		}
		if len(c.WebhookSecret) < minWebhookSecret {
			problems = append(problems, fmt.Sprintf("--webhook-secret must be at least %d characters when --webhook-url is set", minWebhookSecret))
		}
	} else if c.WebhookSecret != "" {
		problems = append(problems, "--webhook-secret needs --webhook-url")
	}
	return problems
}
