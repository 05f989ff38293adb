package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"
	"testing"
	"time"

	"termtem/internal/notify"
	"termtem/internal/notify/notifytest"
)

// An urgent alert opened through the API reaches the district
// social-welfare unit's social worker by e-mail (a local SMTP server) and
// the operator's gateway by a signed webhook call (a local receiver); the
// child's name, the household's address and the worker's name are in
// neither.
func TestAlertNotifiesByEmailAndWebhook(t *testing.T) {
	relay := notifytest.StartSMTP(t, nil)
	gateway := notifytest.StartGateway(t)
	const secret = "gateway-shared-secret-0123"
	base := testEnv(t)
	vars := map[string]string{"TERMTEM_SMTP_ADDR": relay.Addr, "TERMTEM_SMTP_FROM": "termtem@example.go.th",
		"TERMTEM_WEBHOOK_URL": gateway.URL + "/termtem", "TERMTEM_WEBHOOK_SECRET": secret, "TERMTEM_PUBLIC_URL": "http://localhost:8080"}
	getenv := func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		return base(k)
	}
	ts := startServer(t, getenv, "--demo")
	if out, err := ts.cli(t, testPassword+"\n", "user", "add", "--username", "sw.mail", "--role", "case_manager", "--org", "LKB-DSW",
		"--name", "นางสาวมาลี ใจงาม", "--email", "dsw.duty@example.go.th", "--password-stdin"); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	if out, err := ts.cli(t, "x\n", "user", "add", "--username", "sw.bad", "--role", "case_manager", "--org", "LKB-DSW",
		"--email", "Malee <m@example.go.th>", "--password-stdin"); err == nil {
		t.Fatalf("an address with a name was accepted: %s", out)
	}
	out, err := ts.cli(t, "", "token", "create", "--user", "sw.mail", "--expires", "1d")
	if err != nil {
		t.Fatalf("token: %v %s", err, out)
	}
	api := apiClient{client: newClient(t, ts.URL)}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "ttk_") {
			api.token = line
		}
	}
	db := ts.openDB(t)
	hh, child := flowerHousehold(t, db, "ด.ช.ธนากร", "กร", 30)
	status, body, _ := api.call(t, "POST", "/api/v1/assessments", map[string]any{"subject": "child", "subject_id": child.ID,
		"answers": map[string]any{"SAF03": map[string]any{"option": "alone_or_repeated"}}}, nil)
	if status != http.StatusCreated && status != http.StatusOK {
		t.Fatalf("assessment: %d %v", status, body)
	}

	var msgs []notifytest.Message
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if msgs = relay.Messages(); len(msgs) > 0 {
			break
		}
	}
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "dsw.duty@example.go.th" {
		t.Fatalf("e-mails %+v", msgs)
	}
	m, err := mail.ReadMessage(bytes.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	text, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
	if !strings.Contains(subject, "มีการแจ้งเตือนใหม่ถึงหน่วยงานของคุณ") || !strings.Contains(subject, "New alerts for your unit") ||
		!strings.Contains(string(text), "http://localhost:8080/alerts\n") {
		t.Fatalf("e-mail %q\n%s", subject, text)
	}
	personal := []string{"ธนากร", "รักดี", "สายใจ", hh.Address, "ซอยเคหะร่มเกล้า", child.ID, hh.ID, "มาลี", "sw.mail"}
	for _, s := range personal {
		if strings.Contains(subject, s) || strings.Contains(string(text), s) || bytes.Contains(msgs[0].Data, []byte(s)) {
			t.Errorf("the e-mail holds %q", s)
		}
	}

	c := gateway.Next(t, 30*time.Second)
	if err := notify.Verify(secret, c.Header, c.Body, time.Now(), 5*time.Minute); err != nil {
		t.Fatalf("webhook signature: %v", err)
	}
	var p notify.Payload
	if err := json.Unmarshal(c.Body, &p); err != nil || p.Kind != "notify.alert_opened" || p.Link != "http://localhost:8080/alerts" {
		t.Fatalf("webhook %s %v", c.Body, err)
	}
	for _, s := range personal {
		if bytes.Contains(c.Body, []byte(s)) {
			t.Errorf("the webhook body holds %q", s)
		}
	}
	// The logs say what was sent, and nothing about whom.
	logs := ts.logs.String()
	if !strings.Contains(logs, "notification sent") {
		t.Fatalf("no delivery logged:\n%s", logs)
	}
	for _, s := range append(personal, "dsw.duty@example.go.th", secret) {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds %q", s)
		}
	}
}
