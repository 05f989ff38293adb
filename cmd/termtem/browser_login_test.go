package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Login, Thai home page, language switch both ways, logout, and the dead
// session staying dead on Back and reload.
func TestBrowserLoginLanguageLogout(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-B1")
	ts.addUser(t, "nurse.b1", "health_staff", "HC-B1", testPassword)
	b := newBrowser(t, ts)

	// Anonymous: sent to the Thai login page, even by an English browser.
	if status := b.open("/"); status != http.StatusOK || b.path() != "/login" {
		b.fatalf("anonymous home: status %d at %s", status, b.path())
	}
	if b.lang() != "th" || b.text("h1") != "เข้าสู่ระบบ" {
		b.fatalf("login page not Thai: lang %q, h1 %q", b.lang(), b.text("h1"))
	}

	// A wrong password: the Thai message, the username kept, the password not.
	if status := b.login("nurse.b1", "ผิดรหัสแน่นอนเลย"); status != http.StatusUnauthorized {
		b.fatalf("wrong password: status %d", status)
	}
	if got := b.text("#login-error"); got != thBadLogin {
		b.fatalf("#login-error = %q, want %q", got, thBadLogin)
	}
	if b.value("#username") != "nurse.b1" || b.value("#password") != "" {
		b.fatalf("after a failed login: username %q, password %q", b.value("#username"), b.value("#password"))
	}

	// The right password: the home page, in Thai, greeting by name.
	if status := b.login("nurse.b1", testPassword); status != http.StatusOK || b.path() != "/" {
		b.fatalf("login: status %d at %s", status, b.path())
	}
	if b.lang() != "th" {
		b.fatalf("home lang %q", b.lang())
	}
	if got := b.text("h1"); got != "สวัสดี ผู้ทดสอบ nurse.b1" {
		b.fatalf("greeting %q", got)
	}
	if got := b.text("#logout"); got != thLogout {
		b.fatalf("logout button %q", got)
	}
	if chips := b.text(".chips"); !strings.Contains(chips, "ศูนย์บริการสาธารณสุขทดสอบ HC-B1") {
		b.fatalf("memberships %q", chips)
	}

	// English, then Thai again, each time back on the same page.
	b.clickAndWait("#lang-switch")
	if b.path() != "/" || b.lang() != "en" {
		b.fatalf("after switching to English: %s lang %q", b.path(), b.lang())
	}
	if got := b.text("#logout"); got != "Log out" {
		b.fatalf("English logout button %q", got)
	}
	if got := b.text("h1"); got != "Hello, ผู้ทดสอบ nurse.b1" {
		b.fatalf("English greeting %q", got)
	}
	if got := b.text("#lang-switch"); got != "ภาษาไทย" {
		b.fatalf("switch back offers %q", got)
	}
	// The choice follows the user to other pages.
	b.clickAndWait("#nav-profile")
	if b.path() != "/profile" || b.text("h1") != "My account" {
		b.fatalf("profile in English: %s %q", b.path(), b.text("h1"))
	}
	b.clickAndWait("#lang-switch")
	if b.path() != "/profile" || b.lang() != "th" || b.text("h1") != "บัญชีของฉัน" {
		b.fatalf("after switching back to Thai: %s lang %q h1 %q", b.path(), b.lang(), b.text("h1"))
	}
	b.open("/")
	if b.text("#logout") != thLogout {
		b.fatalf("home not Thai again")
	}

	// Logout: the login page with a Thai notice.
	if status := b.clickAndWait("#logout"); status != http.StatusOK || b.path() != "/login" {
		b.fatalf("logout: status %d at %s", status, b.path())
	}
	if got := b.text(".flash"); got != thLoggedOut {
		b.fatalf("logout flash %q", got)
	}
	if b.has("#logout") {
		b.fatalf("logout button still shown after logout")
	}

	// Back: the browser goes to / again, and the server sends it to login.
	before := b.historyIndex()
	b.do("back", chromedp.NavigateBack())
	if after := b.historyIndex(); after != before-1 {
		b.fatalf("Back moved in the history from entry %d to %d", before, after)
	}
	if b.path() != "/login" || b.has("#logout") || strings.Contains(b.bodyText(), "สวัสดี") {
		b.fatalf("Back after logout shows a signed-in page")
	}
	// Reload and a direct visit do the same.
	b.do("reload", chromedp.Reload())
	if b.path() != "/login" || b.has("#logout") {
		b.fatalf("reload after logout shows a signed-in page")
	}
	b.open("/profile")
	if b.path() != "/login" || b.has("#logout") {
		b.fatalf("/profile after logout shows a signed-in page")
	}
}

// historyIndex is the tab's position in its session history.
func (b *tab) historyIndex() int64 {
	b.t.Helper()
	h, err := chromedp.Run(b.ctx, chromedp.NavigationEntries())
	if err != nil {
		b.fatalf("history: %v", err)
	}
	return h.CurrentIndex
}
