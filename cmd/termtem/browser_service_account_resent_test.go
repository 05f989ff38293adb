package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"termtem/internal/account"
	"termtem/internal/store"
)

// Message texts of a form sent again, copied from internal/locale/tidy.*.toml.
const (
	thFormResent = "แบบฟอร์มนี้ส่งไปแล้วหนึ่งครั้ง"
	enFormResent = "This form was already sent once"
)

// The page that shows a new token answers a POST, so reloading it (or
// going back and sending again) sends the form again. Each of the three
// forms that make a token in one click (a new account's, issue, rotate)
// carries a one-time nonce: the second sending is refused with a message,
// in Thai and in English, and a way back to the list, and makes nothing.
func TestBrowserServiceAccountFormResent(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "SCH-R1")
	ts.addUser(t, "admin.r1", account.RoleOrganisationAdmin, "SCH-R1", testPassword)
	db := ts.openDB(t)
	b := newBrowser(t, ts)
	b.login("admin.r1", testPassword)

	// tokens are the account's tokens (all, and those still usable).
	tokens := func(username string) (all, active int) {
		t.Helper()
		u, err := db.GetUserByUsername(t.Context(), username)
		if err != nil {
			t.Fatal(err)
		}
		sa, err := db.GetServiceAccount(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range sa.Tokens {
			if tk.RevokedAt == nil {
				active++
			}
		}
		return len(sa.Tokens), active
	}
	refused := func(what, message string, status int64) {
		t.Helper()
		if status != http.StatusConflict || !strings.Contains(b.text("#form-resent"), message) || b.has("#token-secret") ||
			b.jsAttr("#resent-list", "href") != "/service-accounts" {
			b.fatalf("%s sent again: %d %q", what, status, b.text("main"))
		}
	}

	// A new account and its first token; the token page reloaded.
	b.open("/service-accounts/new")
	b.fill("#display_name", "ระบบ HIS ทดสอบส่งซ้ำ")
	b.fill("#username", "his.r1")
	b.choose("#role", "เจ้าหน้าที่ข้อมูล (นำเข้าข้อมูล)")
	b.fill("#token_name", "nightly")
	if status := b.clickAndWait("#sa-create"); status != http.StatusOK || !strings.HasPrefix(b.value("#token-secret"), account.APITokenPrefix) {
		b.fatalf("create: %d", status)
	}
	refused("the new account's form", thFormResent, b.reload())
	if all, active := tokens("his.r1"); all != 1 || active != 1 {
		t.Fatalf("after the new account's form sent again: %d tokens (%d active), want exactly 1", all, active)
	}
	sas, err := db.ServiceAccounts(t.Context(), nil)
	if err != nil || len(sas) != 1 {
		t.Fatalf("%d service accounts after the form sent again, want 1 (%v)", len(sas), err)
	}
	// The way back: the list, then the account.
	if status := b.clickAndWait("#resent-list"); status != http.StatusOK || b.path() != "/service-accounts" {
		b.fatalf("back to the list: %d at %s", status, b.path())
	}
	saPath := "/service-accounts/" + sas[0].ID

	// Issue, then reload: one more token, not two.
	b.open(saPath)
	b.fill("#name", "weekly")
	if status := b.clickAndWait("#sa-issue"); status != http.StatusOK || !b.has("#token-secret") {
		b.fatalf("issue: %d", status)
	}
	refused("issue", thFormResent, b.reload())
	if all, active := tokens("his.r1"); all != 2 || active != 2 {
		t.Fatalf("after issue sent again: %d tokens (%d active), want 2", all, active)
	}
	if status := b.clickAndWait("#resent-account"); status != http.StatusOK || b.path() != saPath {
		b.fatalf("back to the account: %d at %s", status, b.path())
	}

	// Rotate in English, then reload: the message in English, one rotation.
	b.clickAndWait("#lang-switch")
	if b.lang() != "en" {
		b.fatalf("language %q after the switch", b.lang())
	}
	if status := b.clickAndWait("#token-table button.rotate"); status != http.StatusOK || !b.has("#token-secret") {
		b.fatalf("rotate: %d", status)
	}
	refused("rotate", enFormResent, b.reload())
	if all, active := tokens("his.r1"); all != 3 || active != 2 {
		t.Fatalf("after rotate sent again: %d tokens (%d active), want 3 (2 active)", all, active)
	}

	// A fresh page gives fresh forms: the administrator is not locked out.
	b.open(saPath)
	b.fill("#name", "monthly")
	if status := b.clickAndWait("#sa-issue"); status != http.StatusOK || !b.has("#token-secret") {
		b.fatalf("issue from a fresh page: %d", status)
	}
	if all, active := tokens("his.r1"); all != 4 || active != 3 {
		t.Fatalf("after a fresh issue: %d tokens (%d active), want 4 (3 active)", all, active)
	}
}

// reload reloads the page, as the browser's reload button does (a page
// that answered a POST sends the form again), and returns the status of
// what the server answered.
func (b *tab) reload() int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Reload())
	if err != nil || resp == nil {
		b.fatalf("reload: %v", err)
	}
	return resp.Status
}

// thSelfCodeSent is the family self-assessment code form sent again.
const thSelfCodeSent = "แบบฟอร์มนี้ส่งไปแล้ว จึงไม่ได้สร้างรหัสใหม่"

// countObject counts the audit events about one object.
func countObject(evs []store.AuditEvent, objectID string) int {
	n := 0
	for _, e := range evs {
		if e.ObjectID == objectID {
			n++
		}
	}
	return n
}
