package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"termtem/internal/audit"
	"termtem/internal/people"
)

// Message texts of the second part of sending twice, copied from
// internal/locale/resend2.*.toml and messages.th.toml.
const (
	thResend2Glass = "การเปิดดูข้อมูลฉุกเฉินนี้บันทึกไว้แล้วจากการส่งครั้งแรก ระบบจึงไม่บันทึกซ้ำ"
	thGlassBroken  = "เปิดดูได้ 3 ชั่วโมง การเปิดดูนี้ถูกบันทึกแล้ว"
	thResend2Self  = "คำตอบของท่านส่งถึงเราแล้วจากการส่งครั้งแรก ระบบจึงไม่บันทึกซ้ำ"
	enResend2Self  = "Your answers already reached us with the first sending, so they were not saved again"
)

// A nurse who breaks the glass on a slow phone, goes back and sends the
// reason again opens the record once: one grant (one notice to the
// data-protection officers), and the second sending lands on the record
// with a message that says so.
func TestBrowserResendGlass(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	near := personIn(t, db, "1003", "RB2", "น้ำหวาน", "ส่งซ้ำฉุกเฉิน", "2021-01-01", people.RelChild)
	rows := rowCounter(t, ts)
	b := newBrowser(t, ts)
	b.phone()
	if status := b.login("demo.nurse", demoPassword(t, ts, "demo.nurse")); status != http.StatusOK {
		b.fatalf("login: %d", status)
	}
	before := rows("glass_grants")
	b.open("/people/" + near.ID + "/break-glass")
	b.fill("#reason", "เด็กถูกนำส่งศูนย์บริการกลางดึก ต้องดูประวัติวัคซีน")
	if status := b.clickAndWait("#glass-submit"); status != http.StatusOK || b.path() != "/people/"+near.ID || b.text(".flash") != thGlassBroken {
		b.fatalf("break the glass: %d at %s %q", status, b.path(), b.text(".flash"))
	}
	b.do("back", chromedp.NavigateBack())
	if got := b.value("#reason"); !strings.HasPrefix(got, "เด็กถูกนำส่ง") {
		b.fatalf("back on the form, the reason holds %q", got)
	}
	if status := b.clickAndWait("#glass-submit"); status != http.StatusOK || b.path() != "/people/"+near.ID ||
		!strings.HasPrefix(b.text(".flash"), thResend2Glass) {
		b.fatalf("sent again: %d at %s %q", status, b.path(), b.text(".flash"))
	}
	if !strings.Contains(b.text("#person-name"), "น้ำหวาน") {
		b.fatalf("the record is not open after the second sending")
	}
	if n := rows("glass_grants"); n != before+1 {
		t.Fatalf("%d grants after the reason sent twice, want %d", n, before+1)
	}
}

// A family on a slow phone taps "send" on its self-assessment twice: the
// first sending's answer never shows (the connection drops), the second
// lands on the family's flowers with a message that the answers reached
// us the first time — in Thai, and in English — and the answers are saved
// once.
func TestBrowserResendSelfAssessment(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	ctx := t.Context()
	dsw := orgID(t, db, "LKB-DSW")
	for _, lang := range []string{"th", "en"} {
		hh, _ := flowerHousehold(t, db, "ด.ญ.กดสอง"+lang, "สอง", 42)
		sc, err := db.CreateSelfCode(ctx, hh.ID, dsw, 0, audit.Event{RequestID: "test"})
		if err != nil {
			t.Fatal(err)
		}
		family := newBrowser(t, ts)
		family.phone()
		family.open("/self#code=" + sc.Code)
		family.waitFor("the code filled in", `document.getElementById("code").value !== ""`)
		if lang == "en" {
			family.clickAndWait("#lang-switch")
			if family.lang() != "en" {
				family.fatalf("language %q after the switch", family.lang())
			}
			family.fill("#code", sc.Code)
		}
		if status := family.clickAndWait("#self-start"); status != http.StatusOK || family.path() != "/self/form" {
			family.fatalf("claim: %d at %s", status, family.path())
		}
		family.fill("#q-h-ECO01-n", "1500")
		family.tapRadio("q-h-ECO02-2")
		// The first tap: sent, but its answer is lost on the way back.
		status, err := chromedp.Run(family.ctx, chromedp.Evaluate[int](`(async () => { const f = document.getElementById("self-answers");
			return (await fetch(f.action, {method: "POST", body: new URLSearchParams(new FormData(f)), redirect: "manual"})).status })()`,
			chromedp.EvalAwaitPromise))
		if err != nil || (status != 0 && status != http.StatusSeeOther) { // 0: a redirect not followed
			family.fatalf("the first sending: %d %v", status, err)
		}
		// The second tap, on the same form.
		want := thResend2Self
		if lang == "en" {
			want = enResend2Self
		}
		if status := family.clickAndWait("#self-submit"); status != http.StatusOK || family.path() != "/self/result" ||
			!strings.HasPrefix(family.text(`.flash[role="status"]`), want) {
			family.fatalf("sent again: %d at %s %q", status, family.path(), family.text(`.flash[role="status"]`))
		}
		if !family.has(".self-flower") {
			family.fatalf("no flowers after the second sending")
		}
		if list, err := db.ListAssessments(ctx, "household", hh.ID, audit.Event{}); err != nil || len(list) != 1 {
			t.Fatalf("%d household assessments after sending twice, want 1 (%v)", len(list), err)
		}
	}
}
