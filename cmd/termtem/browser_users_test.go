package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Users: an administrator creates a user with a Thai passphrase, the user
// logs in on their own device, and disabling the user ends that session.
func TestBrowserUsers(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-B4")
	ts.addOrganisation(t, "HC-B4X")
	ts.addUser(t, "admin.b4", "system_admin", "HC-B4", testPassword)
	const (
		username   = "nurse.b4new"
		name       = "พยาบาลทดลอง ใจงาม"
		passphrase = "ช้างน้อยข้ามสะพานไม้ไผ่"
		orgName    = "ศูนย์บริการสาธารณสุขทดสอบ HC-B4X"
		roleName   = "เจ้าหน้าที่ศูนย์บริการสาธารณสุข" // health_staff
	)
	b := newBrowser(t, ts)
	b.login("admin.b4", testPassword)

	b.clickLinkAndWait("header nav", "ผู้ใช้งาน")
	if b.path() != "/users" || b.text("h1") != "ผู้ใช้งาน" {
		b.fatalf("users page: %s %q", b.path(), b.text("h1"))
	}
	b.clickAndWait("#new-user")
	if b.text("h1") != "เพิ่มผู้ใช้" {
		b.fatalf("new user form: %q", b.text("h1"))
	}
	b.fill("#username", username)
	b.fill("#display_name", name)
	b.choose("#org-0", orgName)
	b.choose("#role-0", roleName)

	// Too short: the browser itself refuses to send the form (minlength) ...
	b.fill("#password", "ดาวดวง")
	b.do("click save", chromedp.Click(chromedp.CSS("#save"), chromedp.NodeVisible))
	if !jsEval[bool](b, `document.querySelector("#password").validity.tooShort`) {
		b.fatalf("the browser does not flag a 6-letter password as too short")
	}
	if b.path() != "/users/new" || b.has(".field-error") {
		b.fatalf("a too-short password was sent")
	}
	// ... and the server, for a browser that does not check, names the field.
	jsEval[bool](b, `document.querySelector("form.stack").noValidate = true`)
	if status := b.clickAndWait("#save"); status != http.StatusUnprocessableEntity {
		b.fatalf("too-short password: status %d", status)
	}
	if got := b.text("#password ~ .field-error"); got != thPasswordShort {
		b.fatalf("password field error %q, want %q", got, thPasswordShort)
	}
	if b.jsAttr("#password", "aria-invalid") != "true" {
		b.fatalf("password field not marked invalid")
	}
	if b.value("#username") != username || b.value("#display_name") != name ||
		b.selectedText("#org-0") != orgName || b.selectedText("#role-0") != roleName || b.value("#password") != "" {
		b.fatalf("form after the error: username %q name %q org %q role %q", b.value("#username"), b.value("#display_name"),
			b.selectedText("#org-0"), b.selectedText("#role-0"))
	}

	// A Thai passphrase is a good password.
	b.fill("#password", passphrase)
	if status := b.clickAndWait("#save"); status != http.StatusOK || b.path() != "/users" {
		b.fatalf("create user: status %d at %s", status, b.path())
	}
	if b.text(".flash") != thSaved {
		b.fatalf("no saved notice")
	}
	row := b.rowWith("#user-table tbody tr", username)
	if !strings.Contains(row, name) || !strings.Contains(row, orgName+" · "+roleName) || !strings.Contains(row, "ใช้งาน") {
		b.fatalf("new user row %q", row)
	}

	// The new user logs in on their own device.
	phone := b.newDevice()
	if status := phone.login(username, passphrase); status != http.StatusOK || phone.path() != "/" {
		phone.fatalf("new user login: status %d at %s", status, phone.path())
	}
	if got := phone.text("h1"); got != "สวัสดี "+name {
		phone.fatalf("greeting %q", got)
	}
	if chips := phone.text(".chips"); chips != orgName+" · "+roleName {
		phone.fatalf("memberships %q", chips)
	}
	if phone.has(`header nav a[href="/users"]`) {
		phone.fatalf("health staff offered the users page")
	}
	if status := phone.open("/users"); status != http.StatusForbidden {
		phone.fatalf("health staff at /users: status %d", status)
	}

	// The administrator disables the user ...
	b.clickLinkAndWait("#user-table", "แก้ไข "+name)
	if b.text("h1") != "แก้ไขผู้ใช้" || b.value("#username") != username || !b.has("#username[readonly]") {
		b.fatalf("edit form: %q username %q", b.text("h1"), b.value("#username"))
	}
	b.check("#disabled")
	if status := b.clickAndWait("#save"); status != http.StatusOK || b.path() != "/users" {
		b.fatalf("disable: status %d at %s", status, b.path())
	}
	if row := b.rowWith("#user-table tbody tr", username); !strings.Contains(row, "ระงับ") {
		b.fatalf("disabled user row %q", row)
	}
	// ... and the session on the user's device is over at once.
	phone.do("reload", chromedp.Reload())
	if phone.path() != "/login" || phone.has("#logout") {
		phone.fatalf("disabled user still signed in")
	}
	if status := phone.login(username, passphrase); status != http.StatusUnauthorized || phone.text("#login-error") != thBadLogin {
		phone.fatalf("disabled user login: status %d, error %q", status, phone.text("#login-error"))
	}
}
