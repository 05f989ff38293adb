package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/store"
)

// Message texts of the service-account pages, copied from internal/locale.
const (
	thSATitle        = "บัญชีระบบหน่วยงาน"
	thSATokenOnce    = "โทเค็นนี้แสดงเพียงครั้งเดียว"
	thSACopied       = "คัดลอกแล้ว"
	thSATokenRevoked = "เพิกถอนโทเค็นแล้ว"
	thSAStale        = "มีผู้อื่นแก้ไขรายการนี้ก่อนคุณ"
)

// Service accounts on the web: an organisation administrator makes one;
// its token is shown once, with a copy button; the token works on the API;
// rotating it refuses the old one at once; revoking (after confirming)
// refuses the new one. A second administrator's page seen before the
// rotation is refused as stale, and another organisation's administrator
// neither sees the account nor acts on it.
func TestBrowserServiceAccounts(t *testing.T) {
	ts := startServer(t, testEnv(t))
	orgA := ts.addOrganisation(t, "SCH-W1")
	ts.addOrganisation(t, "SCH-W2")
	ts.addUser(t, "admin.w1", account.RoleOrganisationAdmin, "SCH-W1", testPassword)
	ts.addUser(t, "admin.w1b", account.RoleOrganisationAdmin, "SCH-W1", testPassword)
	ts.addUser(t, "admin.w2", account.RoleOrganisationAdmin, "SCH-W2", testPassword)
	ts.addUser(t, "nurse.w1", account.RoleHealthStaff, "SCH-W1", testPassword)
	db := ts.openDB(t)
	const sysName = "ระบบ DMC โรงเรียนทดสอบ"

	b := newBrowser(t, ts)
	b.login("admin.w1", testPassword)
	b.clickLinkAndWait("header nav", "ผู้ใช้งาน")
	b.clickAndWait("#service-accounts-link")
	if b.path() != "/service-accounts" || b.text("h1") != thSATitle || !b.has("#sa-none") {
		b.fatalf("service accounts page: %s %q", b.path(), b.text("h1"))
	}
	b.clickAndWait("#sa-new")
	// A bad username is named on the form, nothing is made.
	b.fill("#display_name", sysName)
	b.fill("#username", "X")
	jsEval[bool](b, `document.querySelector("form.stack").noValidate = true`)
	if status := b.clickAndWait("#sa-create"); status != http.StatusUnprocessableEntity || b.jsAttr("#username", "aria-invalid") != "true" {
		b.fatalf("bad username: %d", status)
	}
	if b.value("#display_name") != sysName {
		b.fatalf("form lost the name")
	}
	b.fill("#username", "dmc.w1")
	b.choose("#role", "เจ้าหน้าที่ข้อมูล (นำเข้าข้อมูล)")
	b.fill("#token_name", "nightly")
	if status := b.clickAndWait("#sa-create"); status != http.StatusOK {
		b.fatalf("create: %d", status)
	}
	// The token, once, with the warning and a working copy button.
	secret := b.value("#token-secret")
	if !strings.HasPrefix(secret, account.APITokenPrefix) || !strings.Contains(b.text("#token-warning"), thSATokenOnce) {
		b.fatalf("token page: %q", secret)
	}
	if b.path() != "/service-accounts" || strings.Contains(b.location(), secret) {
		b.fatalf("token page at %s", b.location())
	}
	b.do("copy", chromedp.Click(chromedp.CSS("#token-copy"), chromedp.NodeVisible))
	b.waitFor("copied notice", fmt.Sprintf(`document.querySelector("#token-copied").textContent === %s`, jsString(thSACopied)))
	b.clickAndWait("#token-done")
	saPath := b.path()
	saID := strings.TrimPrefix(saPath, "/service-accounts/")
	if strings.Contains(b.bodyText(), secret) || !strings.Contains(b.text("#token-table"), "nightly") {
		b.fatalf("account page after the token page")
	}
	// Never again: no page of the account holds it, the store only its hash.
	for _, p := range []string{"/service-accounts", saPath} {
		if _, body := b.fetchPage(p); strings.Contains(body, secret) || strings.Contains(body, secret[len(account.APITokenPrefix):]) {
			t.Fatalf("%s shows the token again", p)
		}
	}
	if tk, err := db.GetAPITokenByHash(t.Context(), account.HashSecret(secret)); err != nil || tk.TokenHash == secret || tk.UserID != saID {
		t.Fatalf("stored token %+v %v", tk, err)
	}

	// The token works on the API as the account.
	api := func(token string) int {
		status, _, _ := apiClient{client: newClient(t, ts.URL), token: token}.call(t, "GET", "/api/v1/me", nil, nil)
		return status
	}
	if status := api(secret); status != http.StatusOK {
		t.Fatalf("the new token on the API: %d", status)
	}
	// Last used is shown once it has been used.
	b.open(saPath)
	if row := b.text("#token-table tbody tr"); strings.Contains(row, "ยังไม่เคยใช้") {
		b.fatalf("token row after use: %q", row)
	}

	// A second administrator of the same unit has the page open.
	other := b.newDevice()
	other.login("admin.w1b", testPassword)
	other.open(saPath)

	// Rotate: a new token of the same name; the old one is refused at once.
	if status := b.clickAndWait("#token-table button.rotate"); status != http.StatusOK {
		b.fatalf("rotate: %d", status)
	}
	rotated := b.value("#token-secret")
	if !strings.HasPrefix(rotated, account.APITokenPrefix) || rotated == secret {
		b.fatalf("rotated token %q", rotated)
	}
	if status := api(secret); status != http.StatusUnauthorized {
		t.Fatalf("the rotated-out token: %d, want 401", status)
	}
	if status := api(rotated); status != http.StatusOK {
		t.Fatalf("the new token: %d", status)
	}
	// The other administrator's page predates the rotation: refused, nothing changed.
	if status := other.clickAndWait("#token-table button.rotate"); status != http.StatusPreconditionFailed ||
		!strings.Contains(other.text("#form-error"), thSAStale) || other.has("#token-secret") {
		other.fatalf("stale rotation: %d", status)
	}
	if status := api(rotated); status != http.StatusOK {
		t.Fatalf("the token after a refused stale rotation: %d", status)
	}

	// Revoke, after confirming.
	b.clickAndWait("#token-done")
	b.clickAndWait("#token-table a.revoke")
	if !strings.Contains(b.text("main"), "nightly") || !b.has("#confirm-revoke") {
		b.fatalf("revoke confirmation")
	}
	if status := api(rotated); status != http.StatusOK {
		t.Fatalf("the token before the confirmation: %d", status)
	}
	if status := b.clickAndWait("#confirm-revoke"); status != http.StatusOK || b.path() != saPath || b.text(".flash") != thSATokenRevoked {
		b.fatalf("revoke: %d at %s", status, b.path())
	}
	if status := api(rotated); status != http.StatusUnauthorized {
		t.Fatalf("the revoked token: %d, want 401", status)
	}
	if states := b.texts("#token-table .token-state"); len(states) != 2 || states[0] != "เพิกถอนแล้ว" || states[1] != "เพิกถอนแล้ว" {
		b.fatalf("token states %v", states)
	}

	// Another organisation's administrator: not in the list, not found, cannot act.
	c := newClient(t, ts.URL)
	if resp, _ := login(t, c, "admin.w2", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	if resp, body := c.get(t, "/service-accounts", nil); resp.StatusCode != http.StatusOK || strings.Contains(body, sysName) || strings.Contains(body, saID) {
		t.Fatalf("B's list: %d shows A's account", resp.StatusCode)
	}
	sa, err := db.GetServiceAccount(t.Context(), saID)
	if err != nil {
		t.Fatal(err)
	}
	version := fmt.Sprint(sa.Version)
	for _, try := range []struct{ method, path string }{
		{"GET", saPath}, {"GET", saPath + "/disable"}, {"POST", saPath + "/disable"}, {"POST", saPath + "/tokens"},
		{"GET", saPath + "/tokens/" + sa.Tokens[0].ID + "/revoke"}, {"POST", saPath + "/tokens/" + sa.Tokens[0].ID + "/rotate"},
	} {
		var resp *http.Response
		var body string
		if try.method == "GET" {
			resp, body = c.get(t, try.path, nil)
		} else {
			resp, body = c.post(t, try.path, url.Values{"version": {version}, "name": {"x"}}, nil)
		}
		if resp.StatusCode != http.StatusNotFound || strings.Contains(body, sysName) {
			t.Errorf("B: %s %s: %d", try.method, try.path, resp.StatusCode)
		}
	}
	// Nor in A's organisation by posting its ID.
	if resp, _ := c.post(t, "/service-accounts", url.Values{"username": {"b.sneak"}, "display_name": {"x"}, "organisation_id": {orgA.ID},
		"role": {account.RoleDataOfficer}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("B makes an account in A: %d", resp.StatusCode)
	}
	// A nurse of A: no service-account page at all.
	n := newClient(t, ts.URL)
	login(t, n, "nurse.w1", testPassword)
	if resp, _ := n.get(t, saPath, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("nurse: %d", resp.StatusCode)
	}
	if after, _ := db.GetServiceAccount(t.Context(), saID); after.Version != sa.Version || after.Disabled || len(after.Tokens) != 2 {
		t.Errorf("refused requests changed the account: %+v", after)
	}

	// Disable, after confirming; audited with who did it.
	b.clickAndWait("#sa-disable")
	if status := b.clickAndWait("#confirm-disable"); status != http.StatusOK || !strings.Contains(b.text("#sa-state"), "ปิดใช้งานแล้ว") || b.has("#sa-issue") {
		b.fatalf("disable: %d", status)
	}
	admin, err := db.GetUserByUsername(t.Context(), "admin.w1")
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{store.ActionServiceAccountCreated, store.ActionServiceAccountDisabled, audit.TokenCreated, audit.TokenRevoked} {
		evs, err := db.RecentAudit(t.Context(), action, 50)
		if err != nil {
			t.Fatal(err)
		}
		by := 0
		for _, e := range evs {
			if e.ActorID == admin.ID {
				by++
			}
		}
		want := map[string]int{store.ActionServiceAccountCreated: 1, store.ActionServiceAccountDisabled: 1, audit.TokenCreated: 2, audit.TokenRevoked: 2}[action]
		if by != want {
			t.Errorf("%s by the administrator: %d, want %d", action, by, want)
		}
	}
}

// fetchPage reads a page's HTML with the tab's cookies.
func (b *tab) fetchPage(path string) (int, string) {
	b.t.Helper()
	res := jsAwait[string](b, fmt.Sprintf(`fetch(%s).then(async r => r.status + "|" + await r.text())`, jsString(path)))
	status, body, _ := strings.Cut(res, "|")
	n := 0
	fmt.Sscan(status, &n)
	return n, body
}
