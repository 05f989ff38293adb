package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// The places browser: Bangkok, its zone groups, a district, a sub-district;
// adding a community (a bad code first); moving a district to another zone.
func TestBrowserPlaces(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-B2")
	ts.addUser(t, "admin.b2", "system_admin", "HC-B2", testPassword)
	b := newBrowser(t, ts)
	b.login("admin.b2", testPassword)

	// Places opens Bangkok, with its six zone groups.
	b.clickLinkAndWait("header nav", "พื้นที่")
	if got := b.text("#place-name"); got != "กรุงเทพมหานคร" {
		b.fatalf("places starts at %q", got)
	}
	zones := b.texts("#place-children > li > a")
	want := []string{"กรุงเทพกลาง", "กรุงเทพใต้", "กรุงเทพเหนือ", "กรุงเทพตะวันออก", "กรุงธนเหนือ", "กรุงธนใต้"}
	for _, z := range want {
		if !slices.Contains(zones, z) {
			b.fatalf("zone groups %q, missing %q", zones, z)
		}
	}
	if len(zones) != len(want) {
		b.fatalf("zone groups %q", zones)
	}

	// Down the tree: กรุงเทพตะวันออก → ลาดกระบัง → คลองสามประเวศ.
	b.clickLinkAndWait("#place-children", "กรุงเทพตะวันออก")
	eastPath := b.path()
	if b.text("#place-name") != "กรุงเทพตะวันออก" || !strings.Contains(b.text(".facts"), "กลุ่มเขต") {
		b.fatalf("zone page: %q", b.text("main"))
	}
	b.clickLinkAndWait("#place-children", "ลาดกระบัง")
	districtPath := b.path()
	if got := b.texts(".crumbs li"); !slices.Equal(got, []string{"กรุงเทพมหานคร", "กรุงเทพตะวันออก", "ลาดกระบัง"}) {
		b.fatalf("district breadcrumb %q", got)
	}
	if facts := b.text(".facts"); !strings.Contains(facts, "1011") || !strings.Contains(facts, "Lat Krabang") {
		b.fatalf("district facts %q", facts)
	}
	// A district has no "add community": communities belong to sub-districts.
	if b.has("#add-community") {
		b.fatalf("add community offered on a district")
	}
	b.clickLinkAndWait("#place-children", "คลองสามประเวศ")
	subPath := b.path()
	if got := b.texts(".crumbs li"); !slices.Equal(got, []string{"กรุงเทพมหานคร", "กรุงเทพตะวันออก", "ลาดกระบัง", "คลองสามประเวศ"}) {
		b.fatalf("sub-district breadcrumb %q", got)
	}
	if got := b.text(".crumbs [aria-current=page]"); got != "คลองสามประเวศ" {
		b.fatalf("current crumb %q", got)
	}
	if !strings.Contains(b.text("main"), "ยังไม่มีพื้นที่ย่อย") {
		b.fatalf("new sub-district should have no communities")
	}

	// Add a community: the code starts with the sub-district's code.
	b.clickAndWait("#add-community")
	if got := b.value("#code"); got != "101103-" {
		b.fatalf("code pre-filled with %q, want the prefix 101103-", got)
	}
	if lead := b.text(".lead"); !strings.Contains(lead, "คลองสามประเวศ") {
		b.fatalf("form does not say where the community goes: %q", lead)
	}
	// Switching the language keeps the form (and its ?parent=); this was a
	// "No such place" error page.
	formPath := b.path()
	b.clickAndWait("#lang-switch")
	if b.path() != formPath || b.text("h1") != "Add a community" || b.text(".lead") != "In Khlong Sam Prawet" {
		b.fatalf("form in English: %s h1 %q lead %q", b.path(), b.text("h1"), b.text(".lead"))
	}
	b.clickAndWait("#lang-switch")
	if b.path() != formPath || b.text("h1") != "เพิ่มชุมชน" || b.value("#code") != "101103-" {
		b.fatalf("form back in Thai: %s h1 %q", b.path(), b.text("h1"))
	}
	b.fill("#code", "101104-C01") // the neighbouring sub-district's prefix
	b.fill("#name_th", "ชุมชนร่มเย็นพัฒนา")
	if status := b.clickAndWait("#save"); status != http.StatusUnprocessableEntity {
		b.fatalf("bad code: status %d", status)
	}
	if got := b.text("#code-error"); got != "รหัสชุมชนต้องขึ้นต้นด้วย 101103-" {
		b.fatalf("code field error %q", got)
	}
	if b.jsAttr("#code", "aria-invalid") != "true" || !strings.Contains(b.jsAttr("#code", "aria-describedby"), "code-error") {
		b.fatalf("code field not marked invalid")
	}
	if b.value("#name_th") != "ชุมชนร่มเย็นพัฒนา" {
		b.fatalf("name lost after the error: %q", b.value("#name_th"))
	}
	b.fill("#code", "101103-ข1") // not letters A–Z or digits
	b.clickAndWait("#save")
	if got := b.text("#code-error"); got != "รูปแบบรหัสไม่ถูกต้องสำหรับระดับนี้" {
		b.fatalf("code format error %q", got)
	}
	b.fill("#code", "101103-c09") // lower case is accepted and stored upper case
	b.fill("#name_en", "Rom Yen Phatthana")
	if status := b.clickAndWait("#save"); status != http.StatusOK {
		b.fatalf("save community: status %d", status)
	}
	if b.text(".flash") != thSaved || b.text("#place-name") != "ชุมชนร่มเย็นพัฒนา" {
		b.fatalf("after saving: flash %q, name %q", b.text(".flash"), b.text("#place-name"))
	}
	if facts := b.text(".facts"); !strings.Contains(facts, "ชุมชน") || !strings.Contains(facts, "101103-C09") {
		b.fatalf("community facts %q", facts)
	}
	// Listed under its sub-district.
	b.clickLinkAndWait(".crumbs", "คลองสามประเวศ")
	if b.path() != subPath {
		b.fatalf("crumb went to %s, want %s", b.path(), subPath)
	}
	if got := b.texts("#place-children > li"); len(got) != 1 || !strings.Contains(got[0], "ชุมชนร่มเย็นพัฒนา") || !strings.Contains(got[0], "101103-C09") {
		b.fatalf("communities listed: %q", got)
	}
	b.screenshot("places-subdistrict-desktop")

	// Regroup: move ลาดกระบัง from กรุงเทพตะวันออก to กรุงเทพใต้.
	b.open(districtPath)
	b.clickAndWait(`.actions a[href$="/edit"]`)
	if got := b.value("#parent_id"); got == "" {
		b.fatalf("district form has no zone choice")
	}
	if !strings.Contains(b.selectedText("#parent_id"), "กรุงเทพตะวันออก") {
		b.fatalf("district form shows zone %q", b.selectedText("#parent_id"))
	}
	if opts := b.texts("#parent_id option"); len(opts) != 6 {
		b.fatalf("zone choices %q", opts)
	}
	b.choose("#parent_id", "กรุงเทพใต้")
	if status := b.clickAndWait("#save"); status != http.StatusOK || b.path() != districtPath {
		b.fatalf("regroup: status %d at %s", status, b.path())
	}
	if got := b.texts(".crumbs li"); !slices.Equal(got, []string{"กรุงเทพมหานคร", "กรุงเทพใต้", "ลาดกระบัง"}) {
		b.fatalf("breadcrumb after regrouping %q", got)
	}
	b.clickLinkAndWait(".crumbs", "กรุงเทพใต้")
	if !slices.Contains(b.texts("#place-children > li > a"), "ลาดกระบัง") {
		b.fatalf("กรุงเทพใต้ does not list ลาดกระบัง")
	}
	b.open(eastPath)
	if slices.Contains(b.texts("#place-children > li > a"), "ลาดกระบัง") {
		b.fatalf("กรุงเทพตะวันออก still lists ลาดกระบัง")
	}
}
