package main

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"termtem/internal/account"
)

// The browser harness logs in as a person with an authenticator app would:
// after the password, the code of the account's TOTP secret. The secrets
// of the demo's accounts are in the table "serve --demo" prints; a test
// that enrols a user tells the harness the secret with rememberTOTP.
var totpHarness = struct {
	sync.Mutex
	servers map[string]*testServer // by base URL
	secrets map[string]string      // by base URL + " " + username
	used    map[string]int64       // last time step used, by the same key
}{servers: map[string]*testServer{}, secrets: map[string]string{}, used: map[string]int64{}}

func rememberServer(ts *testServer) {
	totpHarness.Lock()
	defer totpHarness.Unlock()
	totpHarness.servers[ts.URL] = ts
}

func rememberTOTP(base, username, secret string) {
	totpHarness.Lock()
	defer totpHarness.Unlock()
	totpHarness.secrets[base+" "+username] = secret
}

// totpSecret is the secret of username on the server at base.
func totpSecret(t *testing.T, base, username string) string {
	t.Helper()
	totpHarness.Lock()
	defer totpHarness.Unlock()
	if s, ok := totpHarness.secrets[base+" "+username]; ok {
		return s
	}
	if ts := totpHarness.servers[base]; ts != nil {
		for _, line := range strings.Split(ts.out.String(), "\n") {
			if f := strings.Fields(line); len(f) >= 5 && f[0] == username && f[4] != "-" {
				return f[4]
			}
		}
	}
	t.Fatalf("no TOTP secret known for %s", username)
	return ""
}

// nextTOTP returns a code that the server has not seen used yet: a code
// works once, so a second login in the same 30 seconds takes the next
// step's code (accepted: one step of drift is allowed), and a third waits.
func nextTOTP(t *testing.T, base, username string) string {
	t.Helper()
	secret := totpSecret(t, base, username)
	key := base + " " + username
	for {
		totpHarness.Lock()
		now := account.TOTPStep(time.Now())
		step := max(now, totpHarness.used[key]+1)
		if step <= now+1 {
			totpHarness.used[key] = step
			totpHarness.Unlock()
			code, err := account.TOTPCode(secret, step)
			if err != nil {
				t.Fatal(err)
			}
			return code
		}
		totpHarness.Unlock()
		time.Sleep(time.Second)
	}
}

// enterTOTP fills the code form the login sent the tab to.
func (b *tab) enterTOTP(username string) int64 {
	b.t.Helper()
	b.fill("#code", nextTOTP(b.t, b.base, username))
	return b.clickAndWait("#mfa-submit")
}

// A health-centre nurse, whose role sees health notes, must enrol before
// any other page opens: re-enter the password, scan (here: read) the
// secret, confirm with a first code, keep the recovery codes shown once.
// Then each login asks for a code; a wrong one is refused; a recovery code
// works once; demo accounts log in with theirs.
func TestBrowserMFA(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo", "--require-mfa")
	ts.addUser(t, "nurse.mfa", "health_staff", "LKB-HC45", testPassword)
	b := newBrowser(t, ts)

	if status := b.login("nurse.mfa", testPassword); status != http.StatusOK || b.path() != "/profile/mfa" {
		b.fatalf("first login: %d at %s, want the enrolment", status, b.path())
	}
	if !b.has("#mfa-required") || b.text("#mfa-state") != "ยังไม่ได้ตั้งค่า" {
		b.fatalf("enrolment page does not say it is required")
	}
	if b.open("/people"); b.path() != "/profile/mfa" {
		b.fatalf("another page opened before enrolment: %s", b.path())
	}
	b.fill("#start_password", "not my password")
	if status := b.clickAndWait("#mfa-start"); status != http.StatusUnprocessableEntity && status != http.StatusBadRequest {
		b.fatalf("wrong password to start: %d", status)
	}
	if !strings.Contains(b.text("#form-error"), "รหัสผ่านปัจจุบันไม่ถูกต้อง") {
		b.fatalf("no re-authentication error")
	}
	b.fill("#start_password", testPassword)
	b.clickAndWait("#mfa-start")
	secret := strings.ReplaceAll(b.text("#mfa-secret"), " ", "")
	url := jsEval[string](b, `document.querySelector("#mfa-url").textContent`) // inside closed <details>
	if len(secret) != 32 || !b.has("#mfa-qr") || !strings.HasPrefix(url, "otpauth://totp/Termtem:nurse.mfa?") || !strings.Contains(url, "secret="+secret) {
		b.fatalf("secret %q, QR %v, URL %q", secret, b.has("#mfa-qr"), url)
	}
	rememberTOTP(ts.URL, "nurse.mfa", secret)
	b.fill("#code", "000000")
	b.clickAndWait("#mfa-confirm")
	if !strings.Contains(b.text("#form-error"), "รหัสไม่ถูกต้อง") {
		b.fatalf("a wrong first code was not refused")
	}
	b.fill("#code", nextTOTP(t, ts.URL, "nurse.mfa"))
	b.clickAndWait("#mfa-confirm")
	codes := b.texts("#recovery-codes li")
	if len(codes) != 10 || len(codes[0]) != 19 {
		b.fatalf("recovery codes: %q", codes)
	}
	if status := b.clickAndWait("#mfa-continue"); status != http.StatusOK || b.path() != "/" {
		b.fatalf("after enrolment: %d at %s", status, b.path())
	}
	b.open("/profile/mfa")
	if b.text("#mfa-state") != "เปิดใช้" || b.text("#recovery-left") != "10" || strings.Contains(b.bodyText(), codes[0]) {
		b.fatalf("second-factor page after enrolment")
	}

	// Log out, log in again: the code is asked; a wrong one is refused.
	b.clickAndWait("#logout")
	b.fill("#username", "nurse.mfa")
	b.fill("#password", testPassword)
	if b.clickAndWait("#login-submit"); b.path() != "/login/mfa" {
		b.fatalf("password step went to %s", b.path())
	}
	b.fill("#code", "123456")
	if status := b.clickAndWait("#mfa-submit"); status != http.StatusUnauthorized || !b.has("#mfa-error") {
		b.fatalf("wrong code: %d", status)
	}
	if status := b.enterTOTP("nurse.mfa"); status != http.StatusOK || b.path() != "/" {
		b.fatalf("right code: %d at %s", status, b.path())
	}

	// Other devices, without the phone: a recovery code works once.
	withCode := func(code string) (*tab, int64) {
		dev := b.newDevice()
		dev.open("/login")
		dev.fill("#username", "nurse.mfa")
		dev.fill("#password", testPassword)
		dev.clickAndWait("#login-submit")
		dev.fill("#code", code)
		return dev, dev.clickAndWait("#mfa-submit")
	}
	if dev, status := withCode(codes[2]); status != http.StatusOK || dev.path() != "/" {
		dev.fatalf("recovery code: %d at %s", status, dev.path())
	}
	if dev, status := withCode(codes[2]); status != http.StatusUnauthorized {
		dev.fatalf("a recovery code worked twice: %d at %s", status, dev.path())
	}

	// A demo account with a sensitive role logs in with its printed secret.
	nurse := b.newDevice()
	if status := nurse.login("demo.nurse", demoPassword(t, ts, "demo.nurse")); status != http.StatusOK || nurse.path() != "/" {
		nurse.fatalf("demo.nurse: %d at %s", status, nurse.path())
	}
}
