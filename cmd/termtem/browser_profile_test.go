package main

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// Profile: changing one's own password — wrong current password, mismatched
// new passwords, success — then logging in with the new password only.
func TestBrowserProfilePassword(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-B5")
	ts.addUser(t, "nurse.b5", "health_staff", "HC-B5", testPassword)
	const newPassword = "ทะเลสีครามยามเช้าตรู่"
	b := newBrowser(t, ts)
	b.login("nurse.b5", testPassword)
	// The same person is also signed in on a second device.
	tablet := b.newDevice()
	tablet.login("nurse.b5", testPassword)

	b.clickAndWait("#nav-profile")
	if b.path() != "/profile" || b.text("#profile-name") != "ผู้ทดสอบ nurse.b5" {
		b.fatalf("profile: %s %q", b.path(), b.text("#profile-name"))
	}
	// Name, username, the number of signed-in devices, ….
	if got := b.texts(".facts dd"); len(got) < 3 || got[1] != "nurse.b5" || got[2] != "2" {
		b.fatalf("profile facts %q", got)
	}

	changePassword := func(current, next, again string) int64 {
		t.Helper()
		b.fill("#current_password", current)
		b.fill("#new_password", next)
		b.fill("#new_password_again", again)
		return b.clickAndWait("#change-password")
	}

	if status := changePassword("ไม่ใช่รหัสเดิมแน่นอน", newPassword, newPassword); status != http.StatusUnprocessableEntity {
		b.fatalf("wrong current password: status %d", status)
	}
	if got := b.text("#form-error"); got != thCurrentWrong {
		b.fatalf("wrong current password message %q", got)
	}
	if b.jsAttr("#current_password", "aria-invalid") != "true" {
		b.fatalf("current password field not marked invalid")
	}
	if b.value("#current_password") != "" || b.value("#new_password") != "" {
		b.fatalf("passwords echoed back into the form")
	}

	if status := changePassword(testPassword, newPassword, newPassword+"x"); status != http.StatusUnprocessableEntity {
		b.fatalf("mismatch: status %d", status)
	}
	if got := b.text("#form-error"); got != thMismatch {
		b.fatalf("mismatch message %q", got)
	}
	if got := b.text("#new_password_again ~ .field-error"); got != thMismatch || b.jsAttr("#new_password_again", "aria-invalid") != "true" {
		b.fatalf("mismatch field error %q", got)
	}

	if status := changePassword(testPassword, newPassword, newPassword); status != http.StatusOK || b.path() != "/profile" {
		b.fatalf("change password: status %d at %s", status, b.path())
	}
	if got := b.text(".flash"); got != thPasswordChanged {
		b.fatalf("flash %q, want %q", got, thPasswordChanged)
	}
	if b.has("#form-error") {
		b.fatalf("error shown after success: %q", b.text("#form-error"))
	}
	// The flash is shown once.
	b.do("reload", chromedp.Reload())
	if b.has(".flash") || b.path() != "/profile" {
		b.fatalf("after reload: flash %q at %s", b.text(".flash"), b.path())
	}
	// As the notice says, the other device is signed out; this one is not.
	tablet.do("reload", chromedp.Reload())
	if tablet.path() != "/login" || tablet.has("#logout") {
		tablet.fatalf("other device still signed in after the password change")
	}

	// Next login: the old password fails, the new one works.
	b.clickAndWait("#logout")
	if status := b.login("nurse.b5", testPassword); status != http.StatusUnauthorized || b.text("#login-error") != thBadLogin {
		b.fatalf("old password: status %d, error %q", status, b.text("#login-error"))
	}
	if status := b.login("nurse.b5", newPassword); status != http.StatusOK || b.path() != "/" {
		b.fatalf("new password: status %d at %s", status, b.path())
	}
	if b.text("h1") != "สวัสดี ผู้ทดสอบ nurse.b5" {
		b.fatalf("home after new login: %q", b.text("h1"))
	}
}
