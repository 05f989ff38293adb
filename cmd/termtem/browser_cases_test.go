package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// Message texts of the case screens, copied from internal/locale.
const (
	thCaseOpened       = "เปิดรายกรณีแล้ว ท่านเป็นผู้จัดการรายกรณี"
	thCaseExists       = "การแจ้งเตือนนี้เปิดรายกรณีไว้แล้ว นี่คือรายกรณีนั้น"
	thMemberAdded      = "เพิ่มสมาชิกทีมสหวิชาชีพแล้ว"
	thGoalAdded        = "เพิ่มเป้าหมายในแผนแล้ว"
	thStepAdded        = "เพิ่มขั้นตอนในแผนแล้ว"
	thBeforePlanStart  = "วันที่นี้อยู่ก่อนวันเริ่มแผน"
	thBasisRequired    = "การส่งต่อต้องมีฐานทางกฎหมาย: ความยินยอมของผู้ปกครอง หรือหน้าที่ตามกฎหมาย"
	thReferralSent     = "ส่งต่อแล้ว หน่วยงานปลายทางจะเห็นเรื่องนี้ในงานของตน"
	thReferralAccepted = "รับเรื่องส่งต่อแล้ว"
	thReferralDone     = "บันทึกผลการให้บริการแล้ว ผู้ส่งจะเห็นผลนี้"
	thHandoffAcked     = "รับทราบการรับเด็กเข้าดูแลแล้ว หน่วยงานเดิมจะเห็นว่ารับช่วงต่อแล้ว"
	thInboxNav         = "งานของฉัน"
	nurseName          = "สุภาพร ใจดี (ตัวอย่าง)"
	teacherName        = "ณัฐพล บุญมา (ตัวอย่าง)"
)

// caseChild makes a four-year-old in Kheha Rom Klao enrolled at the demo's
// community child-care centre, with an urgent safety alert (left alone) for
// the district's social-welfare unit.
func caseChild(t *testing.T, ts *testServer, db *store.DB, name, nickname string) (people.Person, store.Alert) {
	t.Helper()
	ctx := t.Context()
	_, child := flowerHousehold(t, db, name, nickname, 48)
	dsw, err := db.GetOrganisationByCode(ctx, "LKB-DSW")
	if err != nil {
		t.Fatal(err)
	}
	cdc, err := db.GetOrganisationByCode(ctx, "LKB-CDC-FNRK")
	if err != nil {
		t.Fatal(err)
	}
	carer, err := db.GetUserByUsername(ctx, "demo.childcare")
	if err != nil {
		t.Fatal(err)
	}
	worker, err := db.GetUserByUsername(ctx, "demo.socialworker")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddRecord(ctx, people.Record{PersonID: child.ID, Kind: people.ChildcareEnrolment, OccurredOn: time.Now().AddDate(0, -6, 0).Format("2006-01-02"),
		OrganisationID: cdc.ID, AuthorID: carer.ID}, audit.Event{ActorID: carer.ID, RequestID: "test"}); err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated"}}, Source: store.ByStaff,
		OrganisationID: dsw.ID, AuthorID: worker.ID}, audit.Event{ActorID: worker.ID, RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, al := range a.Alerts {
		if al.Severity == flower.SeverityUrgent {
			return child, al
		}
	}
	t.Fatalf("no urgent alert: %+v", a.Alerts)
	return child, store.Alert{}
}

// The "done when": an urgent safety alert leads the social worker,
// on a phone, to open a case from the alerts inbox, form a team with the
// health centre and the school, agree a goal in the family's words and a
// step, and refer the child to the health centre under a legal duty (a
// first try without a lawful basis is refused). The nurse, on her own phone, finds it
// in her work, accepts it (a second tab still showing it sent gets the stale
// message), and completes it; the social worker sees the outcome: the loop
// is closed. The child then enrols at school: the teacher finds the
// hand-off with its concerns (safety matters restricted for a teacher) and
// acknowledges it, and the child-care centre sees it acknowledged.
func TestBrowserCaseManagement(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	child, alert := caseChild(t, ts, db, "ด.ญ.น้ำฝน", "ฝน")
	childName := "น้ำฝน รักดี"

	sw := newBrowser(t, ts)
	sw.phone()
	if status := sw.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		sw.fatalf("login: %d", status)
	}
	sw.open("/alerts")
	if status := sw.clickAndWait("#open-case-" + alert.ID); status != http.StatusOK || sw.text(".flash") != thCaseOpened {
		sw.fatalf("open case from alert: %d %q", status, sw.text(".flash"))
	}
	if !strings.HasPrefix(sw.path(), "/cases/") {
		sw.fatalf("not on the case page: %s", sw.path())
	}
	casePath := sw.path()
	if got := sw.text("#case-risk"); got != "‼ วิกฤต" {
		sw.fatalf("risk from an urgent alert %q", got)
	}
	if got := sw.text("#case-status"); got != "เปิดใหม่ (กำลังตั้งทีม)" {
		sw.fatalf("status %q", got)
	}
	if got := sw.text("#subject-link"); got != childName || sw.jsAttr("#subject-link", "href") != "/people/"+child.ID {
		sw.fatalf("subject %q", got)
	}
	// The case took the alert: acknowledged, it no longer escalates.
	sw.open("/alerts")
	if sw.has("#ack-" + alert.ID) {
		sw.fatalf("the alert the case took is still open")
	}
	// Pressing again does not open a second case.
	sw.open("/alerts?status=acknowledged")
	if status := sw.clickAndWait("#open-case-" + alert.ID); status != http.StatusOK || sw.path() != casePath || sw.text(".flash") != thCaseExists {
		sw.fatalf("second open: %d %s %q", status, sw.path(), sw.text(".flash"))
	}

	// The team: the health centre's nurse and the school's teacher.
	addMember := func(org, name, role string) {
		t.Helper()
		sw.unfold("#member-details")
		sw.choose("#member_org", org)
		sw.clickAndWait("#member-org-choose")
		sw.choose("#member-user", name)
		sw.choose("#member-role", role)
		if status := sw.clickAndWait("#member-add"); status != http.StatusOK || sw.text(".flash") != thMemberAdded {
			sw.fatalf("add %s: %d %q", name, status, sw.text(".flash"))
		}
	}
	addMember("ศูนย์บริการสาธารณสุข 45", nurseName, "ด้านสุขภาพ")
	addMember("โรงเรียนเคหะชุมชนร่มเกล้า", teacherName, "ด้านการศึกษา")
	members := sw.texts("#members .member")
	if len(members) != 3 || !strings.Contains(members[1], nurseName) || !strings.Contains(members[2], "ด้านการศึกษา") {
		sw.fatalf("team %q", members)
	}
	sw.unfold("#status-details")
	sw.choose("#status-to", "กำลังดำเนินการตามแผน")
	sw.clickAndWait("#status-save")
	if got := sw.text("#case-status"); got != "กำลังดำเนินการตามแผน" {
		sw.fatalf("status after moving %q", got)
	}

	// A goal in the family's words; its starting level comes from the
	// latest flower (safety is red).
	commitment := "แม่จะฝากลูกไว้กับยายเมื่อออกไปทำงาน"
	sw.unfold("#goal-details")
	sw.choose("#goal-dimension", "สวัสดิภาพ")
	sw.choose("#goal-target", "เหลือง")
	sw.fill("#goal-date", beDate(time.Now().AddDate(1, 0, 0)))
	sw.fill("#goal-commitment", commitment)
	if status := sw.clickAndWait("#goal-save"); status != http.StatusOK || sw.text(".flash") != thGoalAdded {
		sw.fatalf("goal: %d %q", status, sw.text(".flash"))
	}
	if got := sw.text("#goals .goal"); !strings.Contains(got, "สวัสดิภาพ: จากแดง เป็นเหลือง") || !strings.Contains(got, commitment) {
		sw.fatalf("goal shown %q", got)
	}
	// A step due before the plan starts is refused, what was typed kept.
	sw.unfold("#step-details")
	sw.fill("#step-what", "ตรวจพัฒนาการและฉีดวัคซีนที่ค้าง")
	sw.choose("#step-responsible", nurseName)
	sw.fill("#step-due", "01/01/2560")
	if status := sw.clickAndWait("#step-save"); status != http.StatusUnprocessableEntity || sw.text("#step-error") != thBeforePlanStart {
		sw.fatalf("step before the plan: %d %q", status, sw.text("#step-error"))
	}
	if sw.value("#step-what") != "ตรวจพัฒนาการและฉีดวัคซีนที่ค้าง" || sw.jsAttr("#step-due", "aria-invalid") != "true" {
		sw.fatalf("the refused step form lost its values")
	}
	sw.fill("#step-due", beDate(time.Now().AddDate(0, 0, 14)))
	if status := sw.clickAndWait("#step-save"); status != http.StatusOK || sw.text(".flash") != thStepAdded {
		sw.fatalf("step: %d %q", status, sw.text(".flash"))
	}
	if got := sw.text("#steps .step"); !strings.Contains(got, "ศูนย์บริการสาธารณสุข 45 ร่มเกล้า · "+nurseName) || !strings.Contains(got, "วางแผนไว้") {
		sw.fatalf("step shown %q", got)
	}
	sw.fitsPhone("case page")
	sw.screenshot("case-phone-th")
	sw.clickAndWait("#family-plan-link")
	if got := sw.text("#family-plan"); !strings.Contains(got, commitment) || !strings.Contains(got, "ตรวจพัฒนาการและฉีดวัคซีนที่ค้าง") {
		sw.fatalf("family plan %q", got)
	}
	sw.fitsPhone("family plan")
	sw.screenshot("family-plan-phone-th")

	// The referral: refused without a lawful basis, sent with one.
	sw.open(casePath)
	sw.clickAndWait("#refer-link")
	sw.choose("#to_organisation_id", "ศูนย์บริการสาธารณสุข 45")
	sw.choose("#service", "ตรวจสุขภาพ")
	sw.fill("#reason", "ตรวจสุขภาพและวัคซีนที่ค้าง เด็กถูกปล่อยไว้ตามลำพัง")
	sw.fill("#shared_info", "อายุ 4 ปี วัคซีน MMR เข็ม 2 ยังไม่ได้รับ")
	if status := sw.clickAndWait("#referral-send"); status != http.StatusUnprocessableEntity || sw.text("#form-error") != thBasisRequired {
		sw.fatalf("referral without a basis: %d %q", status, sw.text("#form-error"))
	}
	// A legal duty: consent would need the consent ledger's record.
	sw.check("#basis-legal")
	sw.fill("#basis_reference", "พ.ร.บ.คุ้มครองเด็ก พ.ศ. 2546 มาตรา 41")
	if status := sw.clickAndWait("#referral-send"); status != http.StatusOK || sw.text(".flash") != thReferralSent {
		sw.fatalf("send referral: %d %q", status, sw.text(".flash"))
	}
	refPath := sw.path()
	if got := sw.text("#referral-status"); got != "ส่งแล้ว รอรับเรื่อง" {
		sw.fatalf("referral status %q", got)
	}

	// The nurse, on her phone: the referral waits in her work.
	nurse := sw.newDevice()
	nurse.phone()
	if status := nurse.login("demo.nurse", demoPassword(t, ts, "demo.nurse")); status != http.StatusOK {
		nurse.fatalf("nurse login: %d", status)
	}
	if got := nurse.text("#count-referrals"); !strings.HasSuffix(got, ": 1") {
		nurse.fatalf("home count of referrals %q", got)
	}
	nurse.clickLinkAndWait("header nav", thInboxNav)
	if got := nurse.text("#inbox-referral-list"); !strings.Contains(got, childName) || !strings.Contains(got, "ตรวจสุขภาพ") {
		nurse.fatalf("inbox referrals %q", got)
	}
	nurse.clickLinkAndWait("#inbox-referral-list", childName)
	if nurse.path() != refPath || nurse.text("#referral-side") != "ส่งมาถึงหน่วยงานของท่าน" {
		nurse.fatalf("referral from the inbox: %s %q", nurse.path(), nurse.text("#referral-side"))
	}
	if got := nurse.text("#referral-shared"); got != "อายุ 4 ปี วัคซีน MMR เข็ม 2 ยังไม่ได้รับ" {
		nurse.fatalf("shared information %q", got)
	}
	other := nurse.newTab() // the same referral, read before accepting
	other.phone()
	other.open(refPath)
	nurse.fitsPhone("referral to accept")
	nurse.screenshot("referral-accept-phone-th")
	if status := nurse.clickAndWait("#do-accepted"); status != http.StatusOK || nurse.text(".flash") != thReferralAccepted {
		nurse.fatalf("accept: %d %q", status, nurse.text(".flash"))
	}
	if status := other.clickAndWait("#do-accepted"); status != http.StatusPreconditionFailed && status != http.StatusConflict || other.text("#form-error") != thStale {
		other.fatalf("second accept: %d %q", status, other.text("#form-error"))
	}
	nurse.fill("#text-completed", "ตรวจแล้ว น้ำหนักปกติ ฉีด MMR เข็ม 2 แล้ว นัดติดตาม 1 เดือน")
	if status := nurse.clickAndWait("#do-completed"); status != http.StatusOK || nurse.text(".flash") != thReferralDone {
		nurse.fatalf("complete: %d %q", status, nurse.text(".flash"))
	}

	// The social worker sees the outcome.
	sw.open("/referrals?tab=outgoing")
	if got := sw.text("#referrals .referral"); !strings.Contains(got, "ให้บริการเสร็จแล้ว") || !strings.Contains(got, "ฉีด MMR เข็ม 2 แล้ว") {
		sw.fatalf("outgoing referral %q", got)
	}
	sw.open(refPath)
	if sw.text("#referral-outcome") != "ตรวจแล้ว น้ำหนักปกติ ฉีด MMR เข็ม 2 แล้ว นัดติดตาม 1 เดือน" || !sw.has("#loop-closed") {
		sw.fatalf("closed loop not shown")
	}
	sw.open(casePath)
	if got := sw.text("#case-referrals"); !strings.Contains(got, "ให้บริการเสร็จแล้ว") {
		sw.fatalf("case referrals %q", got)
	}

	// School: the teacher enrols the child; the hand-off carries its concerns.
	teacher := sw.newDevice()
	if status := teacher.login("demo.teacher", demoPassword(t, ts, "demo.teacher")); status != http.StatusOK {
		teacher.fatalf("teacher login: %d", status)
	}
	teacher.open("/people/" + child.ID + "/records/new?kind=school_enrolment")
	teacher.choose("#grade", "อนุบาล 1")
	if status := teacher.clickAndWait("#save-record"); status != http.StatusOK {
		teacher.fatalf("school enrolment: %d", status)
	}
	teacher.open("/inbox")
	if got := teacher.text("#inbox-handoff-list"); !strings.Contains(got, childName) {
		teacher.fatalf("teacher's inbox hand-offs %q", got)
	}
	teacher.clickAndWait("#to-handoffs")
	card := "#handoffs .handoff"
	if got := teacher.text(card); !strings.Contains(got, childName) || !strings.Contains(got, "ศูนย์พัฒนาเด็กก่อนวัยเรียนชุมชนฟื้นนครร่มเกล้า") ||
		!strings.Contains(got, "รายกรณี 1 เรื่อง") {
		teacher.fatalf("hand-off %q", got)
	}
	// What the safety indicator is about is not a teacher's to read.
	if got := teacher.text(card + " .handoff-concerns"); !strings.Contains(got, "🔒") || strings.Contains(got, "ตามลำพัง") {
		teacher.fatalf("concerns shown to the teacher %q", got)
	}
	if status := teacher.clickAndWait(card + " button"); status != http.StatusOK || teacher.text(".flash") != thHandoffAcked {
		teacher.fatalf("acknowledge: %d %q", status, teacher.text(".flash"))
	}
	carer := sw.newDevice()
	if status := carer.login("demo.childcare", demoPassword(t, ts, "demo.childcare")); status != http.StatusOK {
		carer.fatalf("child-care login: %d", status)
	}
	carer.open("/handoffs?tab=outgoing")
	if got := carer.text(card + " .handoff-ack"); !strings.HasPrefix(got, "✓") {
		carer.fatalf("the child-care centre sees %q", got)
	}
	carer.screenshot("handoff-outgoing-desktop-th")
	// The teacher is on the team and sees the case among theirs.
	teacher.open("/cases")
	if got := teacher.text("#cases"); !strings.Contains(got, childName) {
		teacher.fatalf("teacher's cases %q", got)
	}
}

// unfold opens a folded form (a <details>) by tapping its summary.
func (b *tab) unfold(sel string) {
	b.t.Helper()
	if !jsEval[bool](b, `document.querySelector(`+jsString(sel)+`).open`) {
		b.do("unfold "+sel, chromedp.Click(chromedp.CSS(sel+" > summary"), chromedp.NodeVisible))
	}
}

// beDate is a day as people type it in Thai: dd/mm/yyyy in the Buddhist Era.
func beDate(d time.Time) string {
	return d.Format("02/01/") + strconv.Itoa(d.Year()+543)
}

// a11yCasePages opens a case with a team, a goal, a step, a referral and a
// hand-off for demo.socialworker, and returns the case pages for the
// accessibility test, with the pages that answer a refused form as steps.
func a11yCasePages(t *testing.T, ts *testServer) ([]string, map[string]func(*tab)) {
	t.Helper()
	db := ts.openDB(t)
	ctx := t.Context()
	child, alert := caseChild(t, ts, db, "ด.ช.ต้นกล้า", "กล้า")
	dsw, _ := db.GetOrganisationByCode(ctx, "LKB-DSW")
	hc, _ := db.GetOrganisationByCode(ctx, "LKB-HC45")
	worker, _ := db.GetUserByUsername(ctx, "demo.socialworker")
	nurse, _ := db.GetUserByUsername(ctx, "demo.nurse")
	by := audit.Event{ActorID: worker.ID, RequestID: "test"}
	c, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: child.ID, Risk: cases.RiskHigh, Origin: cases.FromAlert, OriginID: alert.ID,
		OrganisationID: dsw.ID, ManagerID: worker.ID}, by)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = db.AddCaseMember(ctx, c.ID, c.Version, nurse.ID, hc.ID, cases.RoleHealth, by); err != nil {
		t.Fatal(err)
	}
	if c, err = db.AddGoal(ctx, c.ID, c.Version, cases.Goal{Dimension: people.Safety, From: flower.Red, Target: flower.Yellow,
		TargetDate: time.Now().AddDate(0, 6, 0).Format("2006-01-02"), Commitment: "พ่อจะพาลูกไปส่งศูนย์เด็กทุกวัน"}, by); err != nil {
		t.Fatal(err)
	}
	if c, err = db.AddStep(ctx, c.ID, c.Version, cases.Step{What: "เยี่ยมบ้าน", OrganisationID: dsw.ID, DueOn: time.Now().AddDate(0, 0, 7).Format("2006-01-02")}, "", by); err != nil {
		t.Fatal(err)
	}
	if c, err = db.AddCaseLegal(ctx, c.ID, c.Version, cases.Welfare, "s32_5", time.Now().Format("2006-01-02"), "ทีมสหวิชาชีพ", "", by); err != nil {
		t.Fatal(err)
	}
	ref, err := db.SendReferral(ctx, store.ReferralInput{PersonID: child.ID, CaseID: c.ID, FromOrg: dsw.ID, FromUser: worker.ID, ToOrg: hc.ID,
		Service: "health_check", Urgency: cases.Urgent, Reason: "ตรวจสุขภาพ", Basis: cases.LawfulBasis{Kind: cases.LegalDuty, Reference: "ม.41"}}, by)
	if err != nil {
		t.Fatal(err)
	}
	casePath := "/cases/" + c.ID
	pages := []string{"/inbox", "/cases", casePath, casePath + "/family-plan", "/referrals", "/referrals?tab=outgoing", "/referrals/" + ref.ID,
		"/referrals/new?person=" + child.ID, "/handoffs", "/handoffs?tab=outgoing", "/people/" + child.ID, "refused step", "refused referral"}
	forms := map[string]func(*tab){
		"refused step": func(b *tab) {
			b.open(casePath)
			b.unfold("#step-details")
			b.fill("#step-what", "นัดตรวจ")
			b.fill("#step-due", "x")
			if status := b.clickAndWait("#step-save"); status != http.StatusUnprocessableEntity {
				b.fatalf("bad step date: %d", status)
			}
		},
		"refused referral": func(b *tab) {
			b.open("/referrals/new?person=" + child.ID)
			b.choose("#to_organisation_id", "45") // the health centre, in either language
			if b.lang() == "en" {
				b.choose("#service", "Health check")
			} else {
				b.choose("#service", "ตรวจสุขภาพ")
			}
			b.fill("#reason", "ตรวจสุขภาพ")
			if status := b.clickAndWait("#referral-send"); status != http.StatusUnprocessableEntity {
				b.fatalf("empty referral: %d", status)
			}
		},
	}
	return pages, forms
}
