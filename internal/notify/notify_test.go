package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/locale"
	"termtem/internal/notify/notifytest"
	"termtem/internal/organisations"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

const (
	publicURL     = "https://termtem.example.go.th"
	webhookSecret = "a-secret-the-gateway-shares"
	from          = "termtem@example.go.th"
)

// world is a store with one organisation and a social worker who has an
// e-mail address, and a worker delivering to nothing yet.
type world struct {
	db     *store.DB
	cat    *locale.Catalogue
	org    organisations.Organisation
	sw     account.User
	worker *Worker
	logs   *bytes.Buffer
	now    time.Time
}

func newWorld(t *testing.T, channels store.Channels) *world {
	t.Helper()
	ctx := t.Context()
	db := storetest.Open(t)
	w := &world{db: db, logs: &bytes.Buffer{}, now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	var mu sync.Mutex
	db.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return w.now }
	db.Channels = channels
	var err error
	if w.cat, err = locale.Load(); err != nil {
		t.Fatal(err)
	}
	place, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	w.org, err = db.SaveOrganisation(ctx, organisations.Organisation{Code: "DSW-N", Kind: organisations.DistrictSocialWelfare,
		NameTH: "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม", PlaceID: place.ID, Active: true}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	w.sw, err = db.SaveUser(ctx, account.User{Username: "somsri.j", DisplayName: "สมศรี ใจดี", Kind: account.StaffAccount,
		Email: "unit7.inbox@example.go.th", PasswordHash: "$argon2id$placeholder",
		Memberships: []account.Membership{{OrganisationID: w.org.ID, RoleCode: account.RoleCaseManager}}}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	w.worker = &Worker{DB: db, Cat: w.cat, Log: slog.New(slog.NewJSONHandler(w.logs, nil)), PublicURL: publicURL + "/"}
	return w
}

func (w *world) advance(d time.Duration) { w.now = w.now.Add(d) }

// alertOpened enqueues what opening an alert for the unit enqueues.
func (w *world) alertOpened(t *testing.T) {
	t.Helper()
	err := w.db.InTx(t.Context(), func(tx *store.Tx) error {
		return tx.Enqueue(t.Context(), store.Notification{Kind: "notify.alert_opened", OrganisationIDs: []string{w.org.ID},
			Permission: account.AlertsRead, Link: "/alerts"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (w *world) runOnce(t *testing.T) int {
	t.Helper()
	n, err := w.worker.RunOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// noPersonalData fails if any of the user's identifying details is in b.
func noPersonalData(t *testing.T, what string, b []byte, u account.User) {
	t.Helper()
	for _, s := range []string{u.DisplayName, "สมศรี", u.Username, u.ID} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("%s holds %q:\n%s", what, s, b)
		}
	}
}

func TestEmailOverStartTLSWithAuth(t *testing.T) {
	w := newWorld(t, store.Channels{Email: true})
	tlsConfig, pool := notifytest.SelfSigned(t)
	relay := notifytest.StartSMTP(t, tlsConfig)
	w.worker.Email = &SMTP{Addr: relay.Addr, From: from, Username: "relay-user", Password: "relay-pass", RootCAs: pool}
	w.alertOpened(t)
	if n := w.runOnce(t); n != 1 {
		t.Fatalf("tried %d deliveries", n)
	}
	msgs := relay.Messages()
	if len(msgs) != 1 {
		t.Fatalf("relay got %d messages", len(msgs))
	}
	got := msgs[0]
	if !got.TLS || got.Auth != "relay-user:relay-pass" || got.From != from || !slices.Equal(got.To, []string{w.sw.Email}) {
		t.Fatalf("envelope: tls %v auth %q from %q to %v", got.TLS, got.Auth, got.From, got.To)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	th, en := w.cat.T("th", "notify.alert_opened", nil), w.cat.T("en", "notify.alert_opened", nil)
	if subject != w.cat.T("th", "app.name", nil)+": "+th+" / "+en {
		t.Fatalf("subject %q", subject)
	}
	if msg.Header.Get("To") != w.sw.Email || msg.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Fatalf("headers %v", msg.Header)
	}
	// mail.ReadMessage leaves quoted-printable to the reader.
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	// The test server, as textproto does, turns the wire's CRLF into LF.
	want := th + "\nเปิดดู: " + publicURL + "/alerts\n\n" + en + "\nOpen: " + publicURL + "/alerts\n"
	if string(body) != want {
		t.Fatalf("body\n%q\nwant\n%q", body, want)
	}
	noPersonalData(t, "the e-mail", append(got.Data, body...), w.sw)
	noPersonalData(t, "the log", w.logs.Bytes(), w.sw)
	if bytes.Contains(w.logs.Bytes(), []byte(w.sw.Email)) {
		t.Errorf("the log holds the address: %s", w.logs)
	}
	// Sent once: nothing is due any more.
	w.advance(24 * time.Hour)
	if n := w.runOnce(t); n != 0 || len(relay.Messages()) != 1 {
		t.Fatalf("sent again: %d", n)
	}
	if f, _ := w.db.ListFailedDeliveries(t.Context(), 0); len(f) != 0 {
		t.Fatalf("failed %+v", f)
	}
}

func TestWebhookIsSigned(t *testing.T) {
	w := newWorld(t, store.Channels{Webhook: true})
	gateway := notifytest.StartGateway(t)
	w.worker.Webhook = &Webhook{URL: gateway.URL + "/hook", Secret: webhookSecret}
	w.alertOpened(t)
	if n := w.runOnce(t); n != 1 {
		t.Fatalf("tried %d", n)
	}
	c := gateway.Next(t, 10*time.Second)
	if err := Verify(webhookSecret, c.Header, c.Body, time.Now(), 5*time.Minute); err != nil {
		t.Fatalf("signature: %v (%v)", err, c.Header)
	}
	if c.Header.Get("Content-Type") != "application/json" || !strings.HasPrefix(c.Header.Get(HeaderSignature), "sha256=") {
		t.Fatalf("headers %v", c.Header)
	}
	// The receiver's check rejects what was not signed so.
	if Verify("another secret", c.Header, c.Body, time.Now(), 5*time.Minute) == nil ||
		Verify(webhookSecret, c.Header, append(c.Body, ' '), time.Now(), 5*time.Minute) == nil ||
		Verify(webhookSecret, c.Header, c.Body, time.Now().Add(time.Hour), 5*time.Minute) == nil {
		t.Fatal("a wrong secret, an altered body or an old call passed")
	}
	var fields map[string]any
	if err := json.Unmarshal(c.Body, &fields); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if strings.Join(keys, ",") != "created_at,id,kind,link,subject" {
		t.Fatalf("fields %v", keys)
	}
	if fields["kind"] != "notify.alert_opened" || fields["subject"] != w.cat.T("th", "notify.alert_opened", nil) ||
		fields["link"] != publicURL+"/alerts" || fields["created_at"] != "2026-03-01T09:00:00Z" {
		t.Fatalf("payload %s", c.Body)
	}
	noPersonalData(t, "the webhook body", c.Body, w.sw)
	if bytes.Contains(c.Body, []byte(w.sw.Email)) {
		t.Errorf("the webhook body holds the address")
	}
}

// A receiver that keeps failing gets each delivery tried on the back-off
// schedule and then no more; the failure is listed without personal data.
// One that fails once gets it on the next attempt.
func TestFailingReceiversRetryThenFail(t *testing.T) {
	w := newWorld(t, store.Channels{Email: true, Webhook: true})
	// The gateway fails every call while down, and then the next fails of them.
	var hooks, fails atomic.Int32
	var down atomic.Bool
	down.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		hooks.Add(1)
		if down.Load() || fails.Add(-1) >= 0 {
			http.Error(rw, "gateway down", http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	relay := notifytest.StartSMTP(t, nil)
	relay.Refuse("550 5.1.1 <" + w.sw.Email + ">: Recipient address rejected: User unknown")
	w.worker.Email = &SMTP{Addr: relay.Addr, From: from}
	w.worker.Webhook = &Webhook{URL: srv.URL, Secret: webhookSecret}
	w.alertOpened(t)

	tries := 0
	for range 20 {
		tries += w.runOnce(t)
		// Past the longest back-off with its jitter.
		w.advance(14 * time.Hour)
	}
	if max := store.MaxDeliveryAttempts(); tries != 2*max || int(hooks.Load()) != max {
		t.Fatalf("%d tries, %d webhook calls; want %d each channel", tries, hooks.Load(), max)
	}
	failed, err := w.db.ListFailedDeliveries(t.Context(), 0)
	if err != nil || len(failed) != 2 {
		t.Fatalf("failed %+v %v", failed, err)
	}
	for _, f := range failed {
		if f.Attempts != store.MaxDeliveryAttempts() || f.Kind != "notify.alert_opened" {
			t.Fatalf("failed %+v", f)
		}
		switch f.Channel {
		case store.ChannelWebhook:
			if f.LastError != "webhook answered 500" {
				t.Fatalf("webhook error %q", f.LastError)
			}
		case store.ChannelEmail:
			if !strings.Contains(f.LastError, "550") || strings.Contains(f.LastError, "@") || strings.Contains(f.LastError, "somsri") {
				t.Fatalf("e-mail error %q", f.LastError)
			}
		}
	}
	if strings.Contains(w.logs.String(), w.sw.Email) || !strings.Contains(w.logs.String(), "failed for good") {
		t.Fatalf("logs:\n%s", w.logs)
	}

	// Failing once: delivered at the next attempt, after about a minute.
	relay.Refuse("")
	fails.Store(1)
	down.Store(false)
	if err := w.db.MarkNotificationsRead(t.Context(), w.sw.ID, ""); err != nil {
		t.Fatal(err)
	}
	w.alertOpened(t)
	if n := w.runOnce(t); n != 2 || len(relay.Messages()) != 1 {
		t.Fatalf("first attempt: %d tried, %d mails", n, len(relay.Messages()))
	}
	w.advance(30 * time.Second)
	if n := w.runOnce(t); n != 0 {
		t.Fatalf("retried %d before the back-off", n)
	}
	w.advance(40 * time.Second)
	if n := w.runOnce(t); n != 1 {
		t.Fatalf("retry tried %d", n)
	}
	if failed, _ := w.db.ListFailedDeliveries(t.Context(), 0); len(failed) != 2 {
		t.Fatalf("a retried delivery failed: %+v", failed)
	}
}

// A recipient whose address was removed after the notice was written gets
// no e-mail, and nobody retries for nothing.
func TestRemovedAddressGivesUp(t *testing.T) {
	w := newWorld(t, store.Channels{Email: true})
	relay := notifytest.StartSMTP(t, nil)
	w.worker.Email = &SMTP{Addr: relay.Addr, From: from}
	w.alertOpened(t)
	w.sw.Email = ""
	if _, err := w.db.SaveUser(t.Context(), w.sw, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	if n := w.runOnce(t); n != 1 || len(relay.Messages()) != 0 {
		t.Fatalf("tried %d, sent %d", n, len(relay.Messages()))
	}
	if f, _ := w.db.ListFailedDeliveries(context.Background(), 0); len(f) != 1 || f[0].Attempts != 1 {
		t.Fatalf("failed %+v", f)
	}
}

func TestNotificationKindsAreTranslated(t *testing.T) {
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"notify.alert_opened", "notify.alert_escalated", "notify.open", "app.name"} {
		for _, lang := range locale.Langs {
			if !cat.IDs(lang)[id] {
				t.Errorf("%s lacks %s", lang, id)
			}
		}
	}
}
