package main

import (
	"net/http"
	"strings"
	"testing"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// Message texts of the network screens, copied from internal/locale.
const (
	thBackToSchool  = "ห้องเรียนเสริมคืนสู่โรงเรียน"
	thGuideLink     = "แนวทางปฏิบัติ"
	thWaiting14     = "14 วัน"
	thVerdictOK     = "มีสิทธิ์"
	thVerdictCheck  = "ต้องตรวจสอบสิทธิ์เพิ่ม"
	thChosenService = "ส่งต่อไปยัง ห้องเรียนเสริมคืนสู่โรงเรียน"
)

// outOfSchoolChild makes a nine-year-old in Kheha Rom Klao whom the demo's
// social worker found out of school: education red.
func outOfSchoolChild(t *testing.T, db *store.DB, name, nickname string) people.Person {
	t.Helper()
	ctx := t.Context()
	_, child := flowerHousehold(t, db, name, nickname, 9*12+2)
	dsw, err := db.GetOrganisationByCode(ctx, "LKB-DSW")
	if err != nil {
		t.Fatal(err)
	}
	worker, err := db.GetUserByUsername(ctx, "demo.socialworker")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: child.ID,
		Answers: map[string]flower.Answer{"EDU02": {Option: "out_of_school", OverrideReason: "ครูแจ้งว่าไม่มาเรียน"}}, Source: store.ByStaff,
		OrganisationID: dsw.ID, AuthorID: worker.ID}, audit.Event{ActorID: worker.ID, RequestID: "test"}); err != nil {
		t.Fatal(err)
	}
	return child
}

// The "done when", first part: a social worker with a child whose
// education is red sees the practice guide right on the child's flower,
// reads it, opens the referral form, sees the matching services with their
// waiting times (eligible first), picks the back-to-school class and
// refers; the service's outcomes count the referral.
func TestBrowserServiceNetworkReferral(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	child := outOfSchoolChild(t, db, "ด.ช.ภูผา", "ผา")

	sw := newBrowser(t, ts)
	sw.phone()
	if status := sw.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		sw.fatalf("login: %d", status)
	}
	sw.open("/people/" + child.ID)
	if got := sw.text("#guide-EDU02"); !strings.HasPrefix(got, thGuideLink) {
		sw.fatalf("no practice guide at the red education indicator: %q (concerns %q)", got, sw.text("#flower-concerns"))
	}
	if status := sw.clickAndWait("#guide-EDU02"); status != http.StatusOK || sw.path() != "/guides/EDU02/red" {
		sw.fatalf("guide: %d %s", status, sw.path())
	}
	if got := sw.text("#guide-first"); !strings.Contains(got, "เยี่ยมบ้านภายใน 7 วัน") {
		sw.fatalf("guide's first steps %q", got)
	}
	if got := sw.text("#guide-legal"); !strings.Contains(got, "การศึกษาภาคบังคับ") {
		sw.fatalf("guide's legal duty %q", got)
	}

	classes, err := db.ListServices(t.Context(), store.ServiceFilter{Search: thBackToSchool})
	if err != nil || len(classes) != 1 {
		t.Fatalf("demo directory: %+v %v", classes, err)
	}
	class := classes[0]
	sw.open("/referrals/new?person=" + child.ID)
	// The child is red in education and, with no vaccination on record, in
	// health: services for both, eligible ones before the grant whose
	// income rule cannot be checked without the household's income.
	matches := sw.texts("#service-matches li")
	at, grant := -1, -1
	for i, m := range matches {
		switch {
		case strings.Contains(m, thBackToSchool):
			at = i
		case strings.Contains(m, "ทุนการศึกษา"):
			grant = i
		}
	}
	if at < 0 || grant < at {
		sw.fatalf("matches %q", matches)
	}
	if m := matches[at]; !strings.Contains(m, thWaiting14) || !strings.Contains(m, thVerdictOK) || !strings.Contains(m, "ไม่ได้เรียน") && !strings.Contains(m, "อยู่ในระบบการศึกษา") {
		sw.fatalf("back-to-school match %q", m)
	}
	if m := matches[grant]; !strings.Contains(m, thVerdictCheck) || !strings.Contains(m, "30 วัน") {
		sw.fatalf("grant match %q", m)
	}
	if status := sw.clickAndWait(`#service-matches li[data-id="` + class.ID + `"] .choose-service`); status != http.StatusOK {
		sw.fatalf("choose: %d", status)
	}
	if got := sw.text("#chosen-service"); !strings.HasPrefix(got, thChosenService) {
		sw.fatalf("chosen %q", got)
	}
	if got := sw.selectedText("#to_organisation_id"); !strings.Contains(got, "โรงเรียนเคหะชุมชนร่มเกล้า") {
		sw.fatalf("receiver %q", got)
	}
	sw.fill("#reason", "ไม่ได้ไปโรงเรียนตั้งแต่เปิดภาคเรียน ต้องการกลับเข้าเรียน")
	sw.check("#basis-legal")
	sw.fill("#basis_reference", "พ.ร.บ.คุ้มครองเด็ก พ.ศ. 2546 ม.23")
	if status := sw.clickAndWait("#referral-send"); status != http.StatusOK || sw.text(".flash") != thReferralSent {
		sw.fatalf("send: %d %q %q", status, sw.text(".flash"), sw.text("#form-error"))
	}
	list, err := db.ListServices(t.Context(), store.ServiceFilter{Search: thBackToSchool})
	if err != nil || len(list) != 1 || list[0].Outcomes.Sent != 1 {
		t.Fatalf("the service's outcomes do not count the referral: %+v %v", list, err)
	}
}
