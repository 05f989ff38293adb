package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// Message texts of the self-assessment and alert screens, copied from
// internal/locale.
const (
	thSelfInvalid     = "รหัสนี้ไม่ถูกต้อง ใช้แล้ว หรือหมดอายุ กรุณาตรวจสอบรหัสกับนักสังคมสงเคราะห์ของท่าน"
	thSelfNumber      = "ต้องเป็นตัวเลข"
	thSelfConcerns    = "เรื่องที่ควรดูแล"
	thSelfNextVisit   = "นักสังคมสงเคราะห์ของท่านจะพูดคุยเรื่องนี้กับท่านในการเยี่ยมบ้านครั้งถัดไป"
	thSelfExpired     = "หมดเวลาตอบแบบประเมินแล้ว กรุณาขอรหัสใหม่จากนักสังคมสงเคราะห์ของท่าน"
	thAlertsNav       = "การแจ้งเตือน"
	thToMeSupervisor  = "ส่งต่อถึงท่านในฐานะหัวหน้าหน่วยงาน เพราะยังไม่มีผู้รับทราบตามกำหนด"
	thToMeCommittee   = "ส่งต่อถึงท่านในฐานะคณะกรรมการ เพราะยังไม่มีผู้รับทราบตามกำหนด"
	thRestrictedShort = "ข้อมูลจำกัดสิทธิ์"
	thAcknowledged    = "รับทราบการแจ้งเตือนแล้ว การแจ้งเตือนนี้จะไม่ถูกส่งต่ออีก"
	thResolved        = "บันทึกว่าดำเนินการเสร็จแล้ว"
	thRequired        = "โปรดกรอกช่องนี้"
)

// flowerHousehold makes a household in Kheha Rom Klao (Lat Krabang, where
// the demo's social-welfare unit and child-protection committee work) with
// a mother and a child of the given age in months.
func flowerHousehold(t *testing.T, db *store.DB, childName, nickname string, months int) (people.Household, people.Person) {
	t.Helper()
	ctx := t.Context()
	actor := audit.Event{RequestID: "test"}
	community, err := db.GetPlaceByCode(ctx, "101103-C01")
	if err != nil {
		t.Fatal(err)
	}
	hh, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID, Address: "12 ซอยเคหะร่มเกล้า 10"}, actor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreatePerson(ctx, people.Person{HouseholdID: hh.ID, GivenName: "นางสายใจ", FamilyName: "รักดี", BirthDate: "2535",
		Relation: people.RelHead}, actor); err != nil {
		t.Fatal(err)
	}
	child, err := db.CreatePerson(ctx, people.Person{HouseholdID: hh.ID, GivenName: childName, FamilyName: "รักดี", Nickname: nickname,
		BirthDate: time.Now().AddDate(0, -months, -3).Format("2006-01-02"), Relation: people.RelChild}, actor)
	if err != nil {
		t.Fatal(err)
	}
	return hh, child
}

// phone makes the tab a 390 px phone.
func (b *tab) phone() {
	b.t.Helper()
	b.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2),
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
}

// fitsPhone fails when the page is wider than the phone or a choice is too
// small to tap.
func (b *tab) fitsPhone(what string) {
	b.t.Helper()
	if jsEval[bool](b, `document.documentElement.scrollWidth > window.innerWidth`) {
		b.fatalf("%s: wider than the phone (%d px)", what, jsEval[int](b, `document.documentElement.scrollWidth`))
	}
	if small := jsEval[[]string](b, `[...document.querySelectorAll("label.choice, button, .button")]
		.filter(e => e.getBoundingClientRect().height > 0 && e.getBoundingClientRect().height < 44)
		.map(e => e.outerHTML.slice(0, 80))`); len(small) > 0 {
		b.fatalf("%s: touch targets under 44 px: %q", what, small)
	}
}

// tapRadio picks a radio button as a finger would, by its label.
func (b *tab) tapRadio(id string) {
	b.t.Helper()
	b.do("tap "+id, chromedp.Click(chromedp.CSS(`label[for="`+id+`"]`), chromedp.NodeVisible))
	if !jsEval[bool](b, `document.getElementById(`+jsString(id)+`).checked`) {
		b.fatalf("%s not chosen", id)
	}
}

var selfCodeShown = regexp.MustCompile(`^\d{5} \d{5}$`)

// A social worker gives a family a code on a phone; the family, on its own
// phone with no account, opens the link, answers (a mistake first), sees
// its flowers and what to look after; the code cannot be used again, and
// the code never reaches a URL the server sees or its log.
func TestBrowserSelfAssessment(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	hh, child := flowerHousehold(t, db, "ด.ญ.ใบเตย", "เตย", 42)

	worker := newBrowser(t, ts)
	worker.phone()
	if status := worker.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		worker.fatalf("login: %d", status)
	}
	page := "/households/" + hh.ID + "/self-code"
	if status := worker.open(page); status != http.StatusOK || worker.text("h1") != "ให้ครอบครัวประเมินตนเอง" {
		worker.fatalf("self-code page: %d %q", status, worker.text("h1"))
	}
	if steps := worker.texts("#selfcode-steps li"); len(steps) != 4 || !strings.Contains(steps[1], "ไม่ต้องมีบัญชีหรือรหัสผ่าน") {
		worker.fatalf("the page does not explain the steps: %q", steps)
	}
	worker.fitsPhone("self-code page")
	if status := worker.clickAndWait("#create-code"); status != http.StatusOK {
		worker.fatalf("create code: %d", status)
	}
	shown := worker.text("#self-code")
	if !selfCodeShown.MatchString(shown) {
		worker.fatalf("code shown as %q", shown)
	}
	code := strings.ReplaceAll(shown, " ", "")
	// Shown on the POST's own answer: no redirect carried it in a URL.
	if worker.path() != page {
		worker.fatalf("after creating the code the browser is at %s", worker.path())
	}
	if link := worker.value("#self-link"); link != ts.URL+"/self#code="+code {
		worker.fatalf("link %q", link)
	}
	if exp := worker.text("#self-code-expires"); !strings.Contains(exp, "25") { // a B.E. year, 25xx
		worker.fatalf("expiry %q is not in the Buddhist Era", exp)
	}
	worker.fitsPhone("new code")
	worker.screenshot("self-code-phone-th")
	// Reloading the code page sends its form again: refused, no second code.
	if status := worker.reload(); status != http.StatusConflict || !strings.Contains(worker.text("#form-error"), thSelfCodeSent) ||
		worker.has("#self-code") || !worker.has("#create-code") {
		worker.fatalf("code form sent again: %d %q", status, worker.text("main"))
	}
	if evs, err := db.RecentAudit(t.Context(), store.ActionSelfCodeCreated, 50); err != nil || countObject(evs, hh.ID) != 1 {
		t.Fatalf("codes made for the household: %d, want 1 (%v)", countObject(evs, hh.ID), err)
	}

	// The family's phone: no cookies of the worker's.
	family := worker.newDevice()
	family.phone()
	if status := family.open("/self#code=" + code); status != http.StatusOK {
		family.fatalf("open link: %d", status)
	}
	family.waitFor("the code filled in from the link", `document.getElementById("code").value === `+jsString(code))
	if h := jsEval[string](family, `location.hash`); h != "" {
		family.fatalf("the code stays in the address bar: %q", h)
	}
	if family.jsAttr("#code", "inputmode") != "numeric" {
		family.fatalf("code field is not numeric")
	}
	family.fitsPhone("code entry")
	if status := family.clickAndWait("#self-start"); status != http.StatusOK || family.path() != "/self/form" {
		family.fatalf("claim: %d at %s", status, family.path())
	}
	if c := jsEval[string](family, `document.cookie`); strings.Contains(c, "termtem_self") {
		family.fatalf("the family session is readable by scripts: %q", c)
	}
	if got := family.texts(".self-group h2"); len(got) != 2 || got[0] != "เรื่องของบ้าน" || got[1] != "เรื่องของน้องเตย" {
		family.fatalf("question groups %q", got)
	}
	if n := jsEval[int](family, `document.querySelectorAll("#household fieldset.self-q").length`); n < 5 {
		family.fatalf("only %d household questions", n)
	}
	family.fitsPhone("questions")
	family.screenshot("self-form-phone-th")

	// Income typed as letters: refused beside its question, nothing saved,
	// the other answers kept.
	family.fill("#q-h-ECO01-n", "ไม่รู้")
	family.tapRadio("q-h-ECO02-2") // no work, no income: red
	family.tapRadio("q-h-ECO05-2") // children often skip meals: red
	family.tapRadio("q-child1-HLT06-0")
	if status := family.clickAndWait("#self-submit"); status != http.StatusUnprocessableEntity {
		family.fatalf("letters for a number: %d", status)
	}
	if got := family.text("#q-h-ECO01-error"); got != thSelfNumber {
		family.fatalf("number error %q", got)
	}
	if family.jsAttr("#q-h-ECO01-n", "aria-invalid") != "true" || !jsEval[bool](family, `document.getElementById("q-h-ECO02-2").checked`) ||
		!jsEval[bool](family, `document.getElementById("q-child1-HLT06-0").checked`) {
		family.fatalf("the form lost its answers or did not mark the field")
	}
	if list, _ := db.ListAssessments(t.Context(), "household", hh.ID, audit.Event{}); len(list) != 0 {
		t.Fatalf("a refused answer was saved: %d", len(list))
	}
	family.fill("#q-h-ECO01-n", "๑,๕๐๐") // Thai digits and a comma
	if status := family.clickAndWait("#self-submit"); status != http.StatusOK || family.path() != "/self/result" {
		family.fatalf("submit: %d at %s", status, family.path())
	}
	if got := family.texts(".self-flower h2"); len(got) != 2 || got[0] != "ครอบครัวของท่าน" || got[1] != "น้องเตย" {
		family.fatalf("flowers %q", got)
	}
	if n := jsEval[int](family, `document.querySelectorAll(".self-flower svg[role=img] title").length`); n != 2 {
		family.fatalf("%d accessible flowers", n)
	}
	// Readable without colour: each petal's level in words.
	if got := family.text(`#flower-1 .petals li[data-level="red"]`); !strings.Contains(got, "เศรษฐกิจ") || !strings.Contains(got, "แดง") {
		family.fatalf("economy petal %q", got)
	}
	if family.text("#flower-1 h3") != thSelfConcerns {
		family.fatalf("concerns heading %q", family.text("#flower-1 h3"))
	}
	concerns := strings.Join(family.texts(`#flower-1 .self-concerns li[data-level="red"]`), " | ")
	for _, want := range []string{"ผู้หารายได้หลักมีงานทำ", "แดง"} {
		if !strings.Contains(concerns, want) {
			family.fatalf("red concerns %q lack %q", concerns, want)
		}
	}
	if family.text("#self-next-visit") != thSelfNextVisit {
		family.fatalf("next visit %q", family.text("#self-next-visit"))
	}
	family.fitsPhone("result")
	family.screenshot("self-result-phone-th")
	// Answered once: the form now shows the result.
	family.open("/self/form")
	if family.path() != "/self/result" {
		family.fatalf("form after submitting: %s", family.path())
	}
	// Stored as the family's, beside (not over) any staff assessment.
	list, err := db.ListAssessments(t.Context(), "child", child.ID, audit.Event{})
	if err != nil || len(list) != 1 || list[0].Source != store.ByFamily {
		t.Fatalf("child's assessments %+v %v", list, err)
	}

	// The same code again, on another phone: the one message for every bad code.
	other := worker.newDevice()
	other.phone()
	other.open("/self")
	other.fill("#code", shown)
	if status := other.clickAndWait("#self-start"); status != http.StatusUnprocessableEntity {
		other.fatalf("reused code: %d", status)
	}
	if got := other.text("#code-error"); got != thSelfInvalid {
		other.fatalf("reused code message %q", got)
	}
	if other.jsAttr("#code", "aria-invalid") != "true" {
		other.fatalf("code field not marked invalid")
	}
	// Without a session the questions lead back to the code.
	other.open("/self/result")
	if other.path() != "/self" {
		other.fatalf("result without a code: %s", other.path())
	}

	// A session that has ended (or never was) gets the friendly "time is
	// up" page, not a login form.
	jsEval[string](other, `document.cookie = "termtem_self=ended; path=/self"`)
	if status := other.open("/self/form"); status != http.StatusUnauthorized || other.text("#self-expired") != thSelfExpired {
		other.fatalf("ended session: %d %q", status, other.text("#self-expired"))
	}
	other.fitsPhone("time is up")
	if strings.Contains(ts.logs.String(), code) {
		t.Fatal("the code reached the server log")
	}
}

// a11yFlowerPages arranges a household with a child who has an urgent
// alert, and returns the self-assessment and alert pages for the
// accessibility test (to be audited as demo.socialworker), with the pages
// that answer a form, or need a family session, as steps. Each family step
// claims a fresh code, as a family would.
func a11yFlowerPages(t *testing.T, ts *testServer) ([]string, map[string]func(*tab)) {
	t.Helper()
	db := ts.openDB(t)
	ctx := t.Context()
	hh, child := flowerHousehold(t, db, "ด.ญ.ส้มโอ", "ส้มโอ", 30)
	dsw, err := db.GetOrganisationByCode(ctx, "LKB-DSW")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: "child", SubjectID: child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated"}}, Source: store.ByStaff, OrganisationID: dsw.ID},
		audit.Event{RequestID: "test"}); err != nil {
		t.Fatal(err)
	}
	claim := func(b *tab) {
		t.Helper()
		sc, err := db.CreateSelfCode(ctx, hh.ID, dsw.ID, 0, audit.Event{RequestID: "test"})
		if err != nil {
			t.Fatal(err)
		}
		b.open("/self")
		b.fill("#code", sc.Code)
		if status := b.clickAndWait("#self-start"); status != http.StatusOK {
			b.fatalf("claim: %d", status)
		}
	}
	selfCode := "/households/" + hh.ID + "/self-code"
	pages := []string{selfCode, "new self code", "/alerts", "/alerts?status=resolved",
		"/self", "wrong self code", "self questions", "self answer error", "self result", "self time is up"}
	forms := map[string]func(*tab){
		"new self code": func(b *tab) {
			b.open(selfCode)
			b.clickAndWait("#create-code")
		},
		"wrong self code": func(b *tab) {
			b.open("/self")
			b.fill("#code", "0000000000")
			if status := b.clickAndWait("#self-start"); status != http.StatusUnprocessableEntity {
				b.fatalf("wrong code: %d", status)
			}
		},
		"self questions": claim,
		"self answer error": func(b *tab) {
			claim(b)
			b.fill("#q-h-ECO01-n", "x")
			if status := b.clickAndWait("#self-submit"); status != http.StatusUnprocessableEntity {
				b.fatalf("bad number: %d", status)
			}
		},
		"self result": func(b *tab) {
			claim(b)
			b.tapRadio("q-h-ECO02-1")
			b.tapRadio("q-child1-HLT06-2")
			if status := b.clickAndWait("#self-submit"); status != http.StatusOK {
				b.fatalf("submit: %d", status)
			}
		},
		"self time is up": func(b *tab) {
			b.do("end the family session", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "termtem_self", Value: "ended",
					URL: b.base + "/self", Path: "/self"})
				return err
			}))
			b.open("/self/form")
		},
	}
	return pages, forms
}
