package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNotificationSettings(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "smtp")
	if err := os.WriteFile(secretFile, []byte("mail-"+dbPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, fs, err := load(map[string]string{"TERMTEM_SMTP_ADDR": "mail.example.go.th:587", "TERMTEM_SMTP_FROM": "termtem@example.go.th",
		"TERMTEM_SMTP_USERNAME": "termtem", "TERMTEM_SMTP_PASSWORD_FILE": secretFile,
		"TERMTEM_WEBHOOK_URL": "https://gateway.example.go.th/hook", "TERMTEM_WEBHOOK_SECRET": "webhook-" + dbPassword})
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPPassword != "mail-"+dbPassword || c.WebhookSecret != "webhook-"+dbPassword || c.SMTPFrom != "termtem@example.go.th" {
		t.Fatalf("settings %+v", c)
	}
	var usage bytes.Buffer
	fs.SetOutput(&usage)
	fs.PrintDefaults()
	if strings.Contains(usage.String(), dbPassword) {
		t.Fatalf("usage shows a secret:\n%s", usage.String())
	}

	for _, bad := range []map[string]string{
		{"TERMTEM_SMTP_ADDR": "mail.example.go.th"},                                                         // no port
		{"TERMTEM_SMTP_ADDR": "mail.example.go.th:25"},                                                      // no sender
		{"TERMTEM_SMTP_ADDR": "mail.example.go.th:25", "TERMTEM_SMTP_FROM": "Termtem <t@example.go.th>"},    // a name
		{"TERMTEM_SMTP_ADDR": "m:25", "TERMTEM_SMTP_FROM": "t@example.go.th", "TERMTEM_SMTP_USERNAME": "u"}, // no password
		{"TERMTEM_SMTP_FROM": "t@example.go.th"},                                                            // no relay
		{"TERMTEM_WEBHOOK_URL": "https://gateway.example.go.th/hook"},                                       // no secret
		{"TERMTEM_WEBHOOK_URL": "https://gateway.example.go.th/hook", "TERMTEM_WEBHOOK_SECRET": "short"},
		{"TERMTEM_WEBHOOK_URL": "ftp://gateway.example.go.th/", "TERMTEM_WEBHOOK_SECRET": "webhook-" + dbPassword},
		{"TERMTEM_WEBHOOK_SECRET": "webhook-" + dbPassword}, // no URL
	} {
		_, _, err := load(bad)
		if err == nil {
			t.Errorf("%v accepted", bad)
		} else if strings.Contains(err.Error(), dbPassword) {
			t.Errorf("error shows a secret: %v", err)
		}
	}
}
