package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// demoPassword reads a demo account's one-time password from the table that
// "serve --demo" prints.
func demoPassword(t *testing.T, ts *testServer, username string) string {
	t.Helper()
	for _, line := range strings.Split(ts.out.String(), "\n") {
		if f := strings.Fields(line); len(f) >= 4 && f[0] == username {
			return f[3]
		}
	}
	t.Fatalf("no password for %s in the demo output:\n%s", username, ts.out.String())
	return ""
}

// Organisations: the list, the htmx kind filter, creating and editing an
// organisation, and two tabs editing the same one.
func TestBrowserOrganisations(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	b := newBrowser(t, ts)
	if status := b.login("demo.admin", demoPassword(t, ts, "demo.admin")); status != http.StatusOK || b.path() != "/" {
		b.fatalf("demo.admin login: %d at %s", status, b.path())
	}

	b.clickLinkAndWait("header nav", "หน่วยบริการ")
	if b.path() != "/organisations" || b.text("h1") != "หน่วยบริการ" {
		b.fatalf("organisations page: %s %q", b.path(), b.text("h1"))
	}
	all := len(b.texts("#org-table tbody tr"))
	if all < 5 {
		b.fatalf("only %d demo organisations listed", all)
	}

	// The kind filter: htmx swaps the table in place, without a page load,
	// and puts the filter in the address.
	jsEval[bool](b, `window.ttNoReload = true`)
	b.choose("#kind", "โรงเรียน")
	b.waitFor("the school rows", `(() => {
		const kinds = [...document.querySelectorAll("#org-table tbody tr td:nth-child(2)")].map(td => td.innerText.replace(/^.*?:\s*/, "").trim());
		return kinds.length > 0 && kinds.every(k => k === "โรงเรียน");
	})()`)
	schools := b.texts("#org-table tbody tr")
	if len(schools) == 0 || len(schools) >= all {
		b.fatalf("school filter left %d of %d rows", len(schools), all)
	}
	for _, r := range schools {
		if !strings.Contains(r, "โรงเรียน") {
			b.fatalf("non-school row %q", r)
		}
	}
	if !jsEval[bool](b, `window.ttNoReload === true`) {
		b.fatalf("the filter reloaded the whole page instead of swapping the table")
	}
	if jsEval[string](b, `location.pathname + " " + new URLSearchParams(location.search).get("kind")`) != "/organisations school" {
		b.fatalf("filter not in the address: %s", b.path())
	}
	if n := len(b.texts("#org-results h1, #org-results header, #org-results form")); n != 0 {
		b.fatalf("the swapped fragment holds page chrome (%d elements)", n)
	}
	// Switching language after filtering keeps the filter.
	b.clickAndWait("#lang-switch")
	if b.lang() != "en" || !strings.HasPrefix(b.path(), "/organisations?kind=school") || len(b.texts("#org-table tbody tr")) != len(schools) {
		b.fatalf("language switch lost the filter: %s at %s", b.lang(), b.path())
	}
	b.clickAndWait("#lang-switch")
	if current := jsEval[string](b, `document.querySelector("header nav a[aria-current=page]").getAttribute("href")`); current != "/organisations" {
		b.fatalf("menu marks %q as the current page", current)
	}
	jsEval[bool](b, `window.ttNoReload = true`)
	// A kind with no organisation: the table gives way to "nothing found".
	b.choose("#kind", "โรงพยาบาล")
	b.waitFor("the empty result", `document.querySelector("#org-table") === null`)
	if got := b.text("#org-results"); got != "ไม่พบรายการ" {
		b.fatalf("empty filter shows %q", got)
	}
	b.choose("#kind", "ทั้งหมด")
	b.waitFor("all rows again", `document.querySelectorAll("#org-table tbody tr").length === `+strconv.Itoa(all))
	// The search box filters as one types.
	b.fill("#q", "ร่มเกล้า")
	b.waitFor("the search result", `(() => {
		const rows = [...document.querySelectorAll("#org-table tbody tr")];
		return rows.length > 0 && rows.length < `+strconv.Itoa(all)+` && rows.every(r => r.innerText.includes("ร่มเกล้า"));
	})()`)
	if !jsEval[bool](b, `window.ttNoReload === true`) {
		b.fatalf("the search reloaded the whole page")
	}

	// Create an organisation; a bad code first.
	b.open("/organisations")
	b.clickAndWait("#new-organisation")
	if b.text("h1") != "เพิ่มหน่วยงาน" {
		b.fatalf("new organisation form: %q", b.text("h1"))
	}
	b.fill("#code", "ศูนย์ 99")
	b.choose("#kind", "ศูนย์บริการสาธารณสุข")
	b.fill("#name_th", "ศูนย์บริการสาธารณสุข 99 ทดสอบ")
	b.fill("#name_en", "Test Health Centre 99")
	b.choose("#place_id", "คลองสามประเวศ (101103)")
	if status := b.clickAndWait("#save"); status != http.StatusUnprocessableEntity {
		b.fatalf("bad code: status %d", status)
	}
	if got := b.text("#code-error"); got != "รหัสหน่วยงานใช้ตัวอักษรอังกฤษพิมพ์ใหญ่ ตัวเลข . _ - ได้ 2–32 ตัว" {
		b.fatalf("code error %q", got)
	}
	if b.value("#name_th") != "ศูนย์บริการสาธารณสุข 99 ทดสอบ" || !strings.Contains(b.selectedText("#place_id"), "101103") ||
		b.selectedText("#kind") != "ศูนย์บริการสาธารณสุข" {
		b.fatalf("form lost its values after the error")
	}
	b.fill("#code", "LKB-HC99")
	if status := b.clickAndWait("#save"); status != http.StatusOK || b.path() != "/organisations" {
		b.fatalf("save: status %d at %s", status, b.path())
	}
	if b.text(".flash") != thSaved {
		b.fatalf("no saved notice: %q", b.text(".flash"))
	}
	row := b.rowWith("#org-table tbody tr", "LKB-HC99")
	if !strings.Contains(row, "ศูนย์บริการสาธารณสุข 99 ทดสอบ") || !strings.Contains(row, "คลองสามประเวศ (101103)") {
		b.fatalf("new row %q", row)
	}

	// Edit it.
	b.clickLinkAndWait("#org-table", "แก้ไข ศูนย์บริการสาธารณสุข 99 ทดสอบ")
	editPath := b.path()
	if b.text("h1") != "แก้ไขหน่วยงาน" || b.value("#code") != "LKB-HC99" {
		b.fatalf("edit form: %q code %q", b.text("h1"), b.value("#code"))
	}
	b.fill("#name_th", "ศูนย์บริการสาธารณสุข 99 คลองสามประเวศ")
	b.choose("#parent_id", "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม")
	if status := b.clickAndWait("#save"); status != http.StatusOK {
		b.fatalf("edit: status %d", status)
	}
	if row := b.rowWith("#org-table tbody tr", "LKB-HC99"); !strings.Contains(row, "ศูนย์บริการสาธารณสุข 99 คลองสามประเวศ") {
		b.fatalf("edited row %q", row)
	}

	// Two tabs open the same form; the second save must not overwrite the first.
	other := b.newTab()
	b.open(editPath)
	other.open(editPath)
	b.fill("#name_th", "ศูนย์ 99 แก้จากแท็บแรก")
	if status := b.clickAndWait("#save"); status != http.StatusOK {
		b.fatalf("first tab save: %d", status)
	}
	other.fill("#name_th", "ศูนย์ 99 แก้จากแท็บที่สอง")
	if status := other.clickAndWait("#save"); status != http.StatusPreconditionFailed {
		other.fatalf("stale save: status %d, want 412", status)
	}
	if got := other.text("#form-error"); got != thStale {
		other.fatalf("stale message %q, want %q", got, thStale)
	}
	b.open("/organisations")
	if row := b.rowWith("#org-table tbody tr", "LKB-HC99"); !strings.Contains(row, "ศูนย์ 99 แก้จากแท็บแรก") {
		b.fatalf("after the stale save the row is %q", row)
	}
	// Reloading the form, as the message says, gives the current record.
	other.open(editPath)
	if got := other.value("#name_th"); got != "ศูนย์ 99 แก้จากแท็บแรก" {
		other.fatalf("reloaded form shows %q", got)
	}
	other.fill("#name_th", "ศูนย์ 99 แก้จากแท็บที่สอง")
	if status := other.clickAndWait("#save"); status != http.StatusOK {
		other.fatalf("save after reload: %d", status)
	}
}

// rowWith returns the text of the one row matching sel that contains s.
func (b *tab) rowWith(sel, s string) string {
	b.t.Helper()
	var found []string
	for _, r := range b.texts(sel) {
		if strings.Contains(r, s) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		b.fatalf("%d rows with %q", len(found), s)
	}
	return found[0]
}
