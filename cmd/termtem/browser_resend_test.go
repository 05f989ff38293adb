package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"termtem/internal/audit"
	"termtem/internal/people"
	"termtem/internal/store"
)

// Message texts of a form sent again, copied from internal/locale/resend.*.toml.
const (
	thResendRecord   = "บันทึกบริการนี้ได้รับไว้แล้วจากการส่งครั้งแรก ระบบจึงไม่บันทึกซ้ำ"
	thResendReferral = "การส่งต่อนี้ส่งไปแล้วจากการส่งครั้งแรก ระบบจึงไม่ส่งซ้ำ"
	enResendCase     = "This case was already opened by the first press, so no second case was opened"
	enCaseOpened     = "Case opened. You are its case manager."
)

// A nurse on a slow connection who goes back and sends a form again makes
// nothing twice: the service record, the referral and the case forms each
// send the person on to what the first sending made, with a message that
// says so (in Thai, and in English), and the database holds one of each.
func TestBrowserResendRecordReferralCase(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	child, _ := caseChild(t, ts, db, "ด.ญ.ส่งซ้ำ", "ซ้ำ")
	sw := newBrowser(t, ts)
	sw.phone()
	if status := sw.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		sw.fatalf("login: %d", status)
	}
	worker, err := db.GetUserByUsername(t.Context(), "demo.socialworker")
	if err != nil {
		t.Fatal(err)
	}
	as := audit.Event{ActorID: worker.ID, RequestID: "test"}
	back := func() {
		t.Helper()
		sw.do("back", chromedp.NavigateBack())
	}

	// The service record: saved, back, sent again.
	personPath := "/people/" + child.ID
	sw.open(personPath + "/records/new?kind=home_visit")
	sw.fill("#occurred_on", "20/10/2569")
	sw.fill("#note", "เยี่ยมบ้าน แม่ทำงานกะดึก")
	if status := sw.clickAndWait("#save-record"); status != http.StatusOK || sw.text(".flash") != thRecordAdded {
		sw.fatalf("record: %d %q", status, sw.text(".flash"))
	}
	back()
	if got := sw.value("#note"); got != "เยี่ยมบ้าน แม่ทำงานกะดึก" {
		sw.fatalf("back on the form, the note holds %q", got)
	}
	if status := sw.clickAndWait("#save-record"); status != http.StatusOK || sw.path() != personPath ||
		!strings.HasPrefix(sw.text(".flash"), thResendRecord) {
		sw.fatalf("record sent again: %d %s %q", status, sw.path(), sw.text(".flash"))
	}
	tl, err := db.Timeline(t.Context(), child.ID, store.TimelineFilter{}, as)
	if err != nil {
		t.Fatal(err)
	}
	visits := 0
	for _, r := range tl {
		if r.Kind == people.HomeVisit {
			visits++
		}
	}
	if visits != 1 {
		t.Fatalf("%d home visits after the form sent twice, want 1", visits)
	}

	// The case, from the child's page.
	sw.open(personPath)
	if status := sw.clickAndWait("#open-case"); status != http.StatusOK || sw.text(".flash") != thCaseOpened {
		sw.fatalf("open case: %d %q", status, sw.text(".flash"))
	}
	casePath := sw.path()

	// The referral, from the case page.
	sw.clickAndWait("#refer-link")
	sw.choose("#to_organisation_id", "ศูนย์บริการสาธารณสุข 45")
	sw.choose("#service", "ตรวจสุขภาพ")
	sw.fill("#reason", "ตรวจสุขภาพและวัคซีนที่ค้าง")
	sw.check("#basis-legal")
	sw.fill("#basis_reference", "พ.ร.บ.คุ้มครองเด็ก พ.ศ. 2546 มาตรา 41")
	if status := sw.clickAndWait("#referral-send"); status != http.StatusOK || sw.text(".flash") != thReferralSent {
		sw.fatalf("send referral: %d %q", status, sw.text(".flash"))
	}
	refPath := sw.path()
	back()
	if status := sw.clickAndWait("#referral-send"); status != http.StatusOK || sw.path() != refPath ||
		!strings.HasPrefix(sw.text(".flash"), thResendReferral) {
		sw.fatalf("referral sent again: %d %s (first %s) %q", status, sw.path(), refPath, sw.text(".flash"))
	}
	refs, err := db.ListReferrals(t.Context(), store.ReferralFilter{UserID: worker.ID}, as)
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	for _, r := range refs {
		if r.PersonID == child.ID {
			sent++
		}
	}
	if sent != 1 {
		t.Fatalf("%d referrals after the form sent twice, want 1", sent)
	}

	// The case again, in English: the first press after going back opens
	// nothing, and the message says which case it is.
	sw.open(casePath)
	sw.clickAndWait("#lang-switch")
	if sw.lang() != "en" {
		sw.fatalf("language %q after the switch", sw.lang())
	}
	cs, err := db.ListCases(t.Context(), store.CaseFilter{PersonID: child.ID}, as)
	if err != nil || len(cs) != 1 {
		t.Fatalf("%d cases before the English try, want 1 (%v)", len(cs), err)
	}
	sw.open(personPath)
	if status := sw.clickAndWait("#open-case"); status != http.StatusOK || sw.text(".flash") != enCaseOpened {
		sw.fatalf("open a second case on purpose: %d %q", status, sw.text(".flash"))
	}
	second := sw.path()
	back()
	if status := sw.clickAndWait("#open-case"); status != http.StatusOK || sw.path() != second || !strings.HasPrefix(sw.text(".flash"), enResendCase) {
		sw.fatalf("case sent again: %d %s (first %s) %q", status, sw.path(), second, sw.text(".flash"))
	}
	if cs, err := db.ListCases(t.Context(), store.CaseFilter{PersonID: child.ID}, as); err != nil || len(cs) != 2 {
		t.Fatalf("%d cases after one opened on purpose and one sent again, want 2 (%v)", len(cs), err)
	}
}
