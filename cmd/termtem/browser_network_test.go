package main

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"termtem/internal/audit"
	"termtem/internal/directory"
	"termtem/internal/flower"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
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

// demoOutOfSchoolChild is the demo's own school-age child found out of
// school (red education), whose family reports on its plan: the "done
// when" is walked in the demo data as it is loaded, not in data a test
// adds.
func demoOutOfSchoolChild(t *testing.T, db *store.DB) people.Person {
	t.Helper()
	ctx := t.Context()
	family, err := db.GetUserByUsername(ctx, "demo.family")
	if err != nil {
		t.Fatal(err)
	}
	plans, err := db.FamilyPlans(ctx, family.ID, audit.Event{ActorID: family.ID, RequestID: "test"})
	if err != nil || len(plans) != 1 {
		t.Fatalf("demo plan: %+v %v", plans, err)
	}
	worker, err := db.GetUserByUsername(ctx, "demo.socialworker")
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.GetCase(ctx, plans[0].CaseID, audit.Event{ActorID: worker.ID, RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.GetPerson(ctx, c.PersonID, audit.Event{ActorID: worker.ID, RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The "done when", first part: a social worker with a child whose
// education is red sees the practice guide right on the child's flower,
// reads it, opens the referral form, sees the matching services with their
// waiting times (eligible first), picks the back-to-school class and
// refers; the service's outcomes count the referral.
func TestBrowserServiceNetworkReferral(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	child := demoOutOfSchoolChild(t, db)

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

// The "done when", second part: the district quality-of-life
// committee meets with an agenda drawn from its district's figures,
// records who came and the minutes, records a resolution with an owner
// from its agencies (one from outside is refused first), raises a system
// constraint with evidence from the figures and passes it up; Bangkok's
// child-protection committee finds it, decides and names who acts; the
// district committee sees the answer.
func TestBrowserCommitteeLoop(t *testing.T) {
	// The ministry contact is configured by its code before the
	// organisation exists in Termtem: the page says so, then names it.
	env := testEnv(t)
	ts := startServer(t, func(k string) string {
		if k == "TERMTEM_MINISTRY_CONTACT" {
			return "DCY-TEST"
		}
		return env(k)
	}, "--demo")
	db := ts.openDB(t)
	ctx := t.Context()
	qol, err := db.GetOrganisationByCode(ctx, "LKB-QOL")
	if err != nil {
		t.Fatal(err)
	}
	member, err := db.GetUserByUsername(ctx, "demo.committee")
	if err != nil {
		t.Fatal(err)
	}
	// The agenda is drawn from the demo as loaded: its out-of-school child
	// is the red education count.

	c := newBrowser(t, ts)
	if status := c.login("demo.committee", demoPassword(t, ts, "demo.committee")); status != http.StatusOK {
		c.fatalf("login: %d", status)
	}
	c.open("/meetings")
	if status := c.clickAndWait("#new-meeting-LKB-QOL"); status != http.StatusOK {
		c.fatalf("new meeting: %d", status)
	}
	agenda := c.value("#agenda")
	for _, want := range []string{"เด็กที่ผลประเมินล่าสุดเป็นสีแดงด้านการศึกษา", "การส่งต่อที่หน่วยรับยังไม่ตอบรับ", "ไม่มีหน่วยงานใดพบเด็กนานกว่า 90 วัน",
		"บริการที่ต้องรอนาน: เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด"} {
		if !strings.Contains(agenda, want) {
			c.fatalf("agenda lacks %q:\n%s", want, agenda)
		}
	}
	c.fill("#title", "ประชุม พชข. ครั้งที่ 2")
	if status := c.clickAndWait("#meeting-save"); status != http.StatusOK || c.text(".flash") != "บันทึกการประชุมแล้ว" {
		c.fatalf("save meeting: %d %q %q", status, c.text(".flash"), c.text("#form-error"))
	}
	meetingPath := c.path()
	if n := len(c.texts("#meeting-agenda li")); n < 8 {
		c.fatalf("agenda items %d", n)
	}
	c.check("#present-" + member.ID)
	c.fill("#minutes", "ที่ประชุมเห็นว่าต้องเร่งรับเด็กกลับเข้าเรียน")
	if status := c.clickAndWait("#minutes-save"); status != http.StatusOK || c.path() != meetingPath {
		c.fatalf("minutes: %d %s", status, c.path())
	}
	if !c.has("#present-"+member.ID+":checked") || c.value("#minutes") != "ที่ประชุมเห็นว่าต้องเร่งรับเด็กกลับเข้าเรียน" {
		c.fatalf("attendance or minutes not kept")
	}

	// A resolution: the owner is the district's social worker (her unit sits
	// on the committee); a date that is not one is refused first.
	c.unfold("#resolution-add")
	c.fill("#res-text", "ฝ่ายพัฒนาชุมชนฯ และโรงเรียนรับเด็กกลับเข้าเรียนภายในหนึ่งเดือน")
	c.choose("#res-owner", "ปวีณา ทองดี")
	c.fill("#res-due", "พรุ่งนี้")
	if status := c.clickAndWait("#resolution-save"); status != http.StatusUnprocessableEntity || c.jsAttr("#res-due", "aria-invalid") != "true" {
		c.fatalf("bad date: %d %q", status, c.text("#form-error"))
	}
	c.fill("#res-due", beDate(time.Now().AddDate(0, 1, 0)))
	if status := c.clickAndWait("#resolution-save"); status != http.StatusOK || c.text(".flash") != "บันทึกมติแล้ว" {
		c.fatalf("resolution: %d %q %q", status, c.text(".flash"), c.text("#form-error"))
	}
	if got := c.text("#resolutions"); !strings.Contains(got, "ปวีณา ทองดี") || !strings.Contains(got, "ยังไม่เริ่ม") {
		c.fatalf("resolutions %q", got)
	}

	// A system constraint from the meeting, with figures as evidence.
	if status := c.clickAndWait("#raise-constraint"); status != http.StatusOK {
		c.fatalf("constraint form: %d", status)
	}
	if got := c.selectedText("#organisation_id"); !strings.Contains(got, "พัฒนาคุณภาพชีวิต") {
		c.fatalf("raised for %q", got)
	}
	c.choose("#theme", "ไม่มีบริการในพื้นที่")
	c.fill("#title", "ที่เรียนเสริมไม่พอสำหรับเด็กที่หลุดจากระบบ")
	c.fill("#description", "เด็กที่หลุดจากระบบการศึกษาต้องรอที่เรียนเสริมนาน โรงเรียนในเขตรับได้ไม่พอ")
	// The long wait of the grant is a figure that may be shown.
	var waitFigure string
	for _, id := range jsEval[[]string](c, `Array.from(document.querySelectorAll('#evidence input[name=figure]')).filter(e => e.parentElement.textContent.includes('รอ 45 วัน')).map(e => '#' + e.id)`) {
		waitFigure = id
	}
	if waitFigure == "" {
		c.fatalf("no waiting-time figure offered: %q", c.text("#evidence"))
	}
	c.check(waitFigure)
	if status := c.clickAndWait("#constraint-save"); status != http.StatusOK || c.text(".flash") != "เสนอข้อจำกัดเชิงระบบแล้ว" {
		c.fatalf("raise: %d %q %q", status, c.text(".flash"), c.text("#form-error"))
	}
	constraintPath := c.path()
	if got := c.text("#constraint-evidence"); !strings.Contains(got, "45 วัน") {
		c.fatalf("evidence %q", got)
	}
	if status := c.clickAndWait("#escalate"); status != http.StatusOK || c.text(".flash") != "ส่งต่อไปยังระดับที่สูงขึ้นแล้ว" {
		c.fatalf("escalate: %d %q", status, c.text("#form-error"))
	}
	if got := c.text("#constraint-holder"); !strings.Contains(got, "คณะกรรมการคุ้มครองเด็กกรุงเทพมหานคร") {
		c.fatalf("holder %q", got)
	}

	// Bangkok's committee answers.
	bkk := newBrowser(t, ts)
	if status := bkk.login("demo.executive", demoPassword(t, ts, "demo.executive")); status != http.StatusOK {
		bkk.fatalf("login: %d", status)
	}
	bkk.open("/constraints")
	if got := bkk.text("#held-constraints"); !strings.Contains(got, "ที่เรียนเสริมไม่พอ") {
		bkk.fatalf("held %q", got)
	}
	if got := bkk.text("#constraints-overview"); !strings.Contains(got, "ลาดกระบัง") {
		bkk.fatalf("executive overview %q", got)
	}
	bkk.open(constraintPath)
	if got := bkk.text("#escalate-unavailable"); !strings.Contains(got, "DCY-TEST") || !strings.Contains(got, "TERMTEM_MINISTRY_CONTACT") || bkk.has("#escalate") {
		bkk.fatalf("unknown ministry contact not explained: %q", got)
	}
	bkkOrg, err := db.GetOrganisationByCode(ctx, "BKK-CPC")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "DCY-TEST", Kind: organisations.NGO, NameTH: "กรมกิจการเด็กและเยาวชน (ทดสอบ)",
		PlaceID: bkkOrg.PlaceID, Active: true}, audit.Event{ActorID: member.ID, RequestID: "test"}); err != nil {
		t.Fatal(err)
	}
	bkk.open(constraintPath)
	if got := bkk.text("#escalate-to"); got != "ส่งต่อไปยัง: กรมกิจการเด็กและเยาวชน (ทดสอบ)" || !bkk.has("#escalate") {
		bkk.fatalf("ministry contact not shown where it is passed on: %q", got)
	}
	bkk.choose("#answer-status", "มีมติแล้ว")
	bkk.fill("#decision", "จัดครูอาสาสอนเสริมหมุนเวียนในเขตลาดกระบัง")
	if status := bkk.clickAndWait("#answer-save"); status != http.StatusUnprocessableEntity || bkk.jsAttr("#who_acts", "aria-invalid") != "true" {
		bkk.fatalf("decision without who acts: %d %q", status, bkk.text("#form-error"))
	}
	bkk.fill("#who_acts", "สำนักการศึกษา กรุงเทพมหานคร")
	if status := bkk.clickAndWait("#answer-save"); status != http.StatusOK || bkk.text(".flash") != "บันทึกคำตอบแล้ว ผู้เสนอจะเห็นคำตอบนี้" {
		bkk.fatalf("answer: %d %q %q", status, bkk.text(".flash"), bkk.text("#form-error"))
	}

	// The district committee sees the answer.
	c.open(constraintPath)
	if c.text("#constraint-status") != "มีมติแล้ว" || c.text("#constraint-who") != "สำนักการศึกษา กรุงเทพมหานคร" ||
		!strings.Contains(c.text("#constraint-decision"), "ครูอาสา") {
		c.fatalf("answer not seen: %q %q", c.text("#constraint-status"), c.text("#constraint-who"))
	}
	if got := c.text("#constraint-holder"); !strings.Contains(got, "กรุงเทพมหานคร") || qol.ID == "" {
		c.fatalf("holder after the answer %q", got)
	}
}

// The service network's pages in Thai and English at 1280 and 390 px: the
// directory, a service, the guides, lessons, the referral form with its
// matches and the constraints as a social worker; the directory's forms as
// an administrator; meetings and constraints as a committee member.
func TestBrowserAccessibilityNetwork(t *testing.T) {
	s := newA11ySession(t)
	db := s.ts.openDB(t)
	ctx := t.Context()
	child := outOfSchoolChild(t, db, "ด.ช.ก้องภพ", "ก้อง")
	list, err := db.ListServices(ctx, store.ServiceFilter{Search: thBackToSchool})
	if err != nil || len(list) != 1 {
		t.Fatalf("demo directory: %v", err)
	}
	svc := list[0]
	worker, err := db.GetUserByUsername(ctx, "demo.socialworker")
	if err != nil {
		t.Fatal(err)
	}
	constraints, err := db.ListConstraints(ctx, store.ConstraintFilter{UserID: worker.ID})
	if err != nil || len(constraints) == 0 {
		t.Fatalf("demo constraint: %v", err)
	}
	qol, err := db.GetOrganisationByCode(ctx, "LKB-QOL")
	if err != nil {
		t.Fatal(err)
	}
	meetings, err := db.ListMeetings(ctx, []string{qol.ID})
	if err != nil || len(meetings) == 0 {
		t.Fatalf("demo meeting: %v", err)
	}
	s.as("demo.socialworker")
	s.pages([]string{"/services", "/services/" + svc.ID, "/guides", "/guides/EDU02/red", "/lessons", "/referrals/new?person=" + child.ID,
		"/constraints", "/constraints/new", "/constraints/" + constraints[0].ID, "/people/" + child.ID}, nil)
	s.as("demo.admin")
	s.pages([]string{"/services/new", "/services/" + svc.ID + "/edit", "/services/import"}, nil)
	s.as("demo.committee")
	s.pages([]string{"/meetings", "/meetings/new?committee=" + qol.ID, "/meetings/" + meetings[0].ID}, nil)
	s.as("demo.family")
	s.pages([]string{"/my-plan"}, nil)
	family, err := db.GetUserByUsername(ctx, "demo.family")
	if err != nil {
		t.Fatal(err)
	}
	plans, err := db.FamilyPlans(ctx, family.ID, audit.Event{ActorID: family.ID, RequestID: "test"})
	if err != nil || len(plans) != 1 {
		t.Fatalf("demo family plan: %v", err)
	}
	s.as("demo.socialworker")
	s.pages([]string{"/cases/" + plans[0].CaseID}, nil)
}

// The directory in HSDS's tabular form: an administrator downloads the
// ZIP of CSV files from the directory page; a package with bad rows is
// refused whole, each bad row named by file and line; the same package
// imported again changes nothing; a corrected row updates its service in
// place.
func TestBrowserServiceDirectoryTabular(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	ctx := t.Context()
	before, err := db.ListServices(ctx, store.ServiceFilter{})
	if err != nil || len(before) == 0 {
		t.Fatalf("demo directory: %d %v", len(before), err)
	}
	classes, err := db.ListServices(ctx, store.ServiceFilter{Search: thBackToSchool})
	if err != nil || len(classes) != 1 {
		t.Fatalf("demo class: %v", err)
	}
	class := classes[0]

	a := newBrowser(t, ts)
	if status := a.login("demo.admin", demoPassword(t, ts, "demo.admin")); status != http.StatusOK {
		a.fatalf("login: %d", status)
	}
	a.open("/services")
	if got := a.text("#export-services-csv"); got != "ส่งออกเป็น HSDS (CSV)" {
		a.fatalf("export link %q", got)
	}
	href := jsEval[string](a, `document.querySelector('#export-services-csv').getAttribute('href')`)
	encoded, err := chromedp.Run(a.ctx, chromedp.Evaluate[string](`fetch(`+jsString(href)+`).then(r => r.arrayBuffer()).then(b => {
		let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s) })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	read, err := directory.ReadTabular(pkg)
	if err != nil || len(read) != len(before) {
		t.Fatalf("the download is not the directory: %d services, %v", len(read), err)
	}
	files := storetest.Unzip(t, pkg)
	edit := func(files map[string]string, name, mark string, change func(line string) string) {
		lines := strings.Split(files[name], "\n")
		for i, l := range lines {
			if strings.Contains(l, mark) {
				lines[i] = change(l)
				files[name] = strings.Join(lines, "\n")
				return
			}
		}
		t.Fatalf("no line with %s in %s", mark, name)
	}
	dir := t.TempDir()
	write := func(name string, files map[string]string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, storetest.Zip(t, files), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	upload := func(path string) int64 {
		a.open("/services/import")
		a.do("choose "+path, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}))
		return a.clickAndWait("#import-submit")
	}
	same := write("same.zip", files)

	// Two bad rows: a status HSDS does not have, a phone of no service.
	bad := maps.Clone(files)
	edit(bad, "service.csv", class.ID, func(l string) string { return strings.Replace(l, ",active,", ",open,", 1) })
	bad["phone.csv"] += "p-x,no-such-service,02-000-0000,voice\n"
	if status := upload(write("bad.zip", bad)); status != http.StatusUnprocessableEntity {
		a.fatalf("bad package: %d", status)
	}
	problems := a.texts("#import-problems li")
	if len(problems) != 2 || !strings.Contains(problems[0]+problems[1], "service.csv › status") ||
		!strings.Contains(problems[0]+problems[1], "phone.csv › service_id") || !strings.Contains(problems[0], "บรรทัด") {
		a.fatalf("problems %q (%q)", problems, a.text("#form-error"))
	}

	if status := upload(same); status != http.StatusOK {
		a.fatalf("same package: %d %q", status, a.text("#form-error"))
	}
	if got, want := a.text("#import-result"), fmt.Sprintf("นำเข้าแล้ว: เพิ่มใหม่ 0 รายการ แก้ไข 0 รายการ ไม่เปลี่ยนแปลง %d รายการ", len(before)); got != want {
		a.fatalf("same package again: %q, want %q", got, want)
	}

	// The class's waiting time corrected in attribute.csv.
	edit(files, "attribute.csv", class.ID+",waiting_days,", func(l string) string { return strings.TrimSuffix(l, ",14") + ",21" })
	if status := upload(write("corrected.zip", files)); status != http.StatusOK || !strings.Contains(a.text("#import-result"), "แก้ไข 1 รายการ") {
		a.fatalf("corrected: %d %q %q", status, a.text("#import-result"), a.text("#form-error"))
	}
	after, err := db.GetService(ctx, class.ID)
	if err != nil || after.WaitingDays != 21 || after.Version != class.Version+1 {
		t.Fatalf("corrected in place: %+v %v", after, err)
	}
	if n, _ := db.ListServices(ctx, store.ServiceFilter{}); len(n) != len(before) {
		t.Errorf("%d services after the imports, %d before", len(n), len(before))
	}
}

// Periodic self-reporting per commitment: the demo's family signs in, sees
// the goal it put in its own words, says how it goes (an answer left out
// is refused first); its case manager sees the answer on the case.
func TestBrowserFamilyReportsProgress(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	ctx := t.Context()
	family, err := db.GetUserByUsername(ctx, "demo.family")
	if err != nil {
		t.Fatal(err)
	}
	plans, err := db.FamilyPlans(ctx, family.ID, audit.Event{ActorID: family.ID, RequestID: "test"})
	if err != nil || len(plans) != 1 || len(plans[0].Commitments) != 1 {
		t.Fatalf("demo family plan %+v %v", plans, err)
	}
	caseID, goal := plans[0].CaseID, plans[0].Commitments[0]

	f := newBrowser(t, ts)
	f.phone()
	if status := f.login("demo.family", demoPassword(t, ts, "demo.family")); status != http.StatusOK {
		f.fatalf("login: %d", status)
	}
	if status := f.clickAndWait(`a[href="/my-plan"]`); status != http.StatusOK {
		f.fatalf("my plan: %d", status)
	}
	if got := f.text("#commitment-" + goal.ID + " legend"); got != "เป้าหมายด้านการศึกษา: แม่จะพาลูกไปโรงเรียนทุกวันและคุยกับครูทุกเดือน" {
		f.fatalf("commitment %q", got)
	}
	// A note without saying how it goes is refused, the note kept.
	f.fill("#note-"+goal.ID, "ลูกไปโรงเรียนครบทุกวันในเดือนนี้")
	if status := f.clickAndWait("#progress-submit-" + caseID); status != http.StatusUnprocessableEntity ||
		f.jsAttr("#commitment-"+goal.ID, "aria-invalid") != "true" || f.value("#note-"+goal.ID) != "ลูกไปโรงเรียนครบทุกวันในเดือนนี้" {
		f.fatalf("no answer: %d %q", status, f.text("#form-error"))
	}
	f.check("#p-" + goal.ID + "-on_track")
	if status := f.clickAndWait("#progress-submit-" + caseID); status != http.StatusOK || f.text(".flash") != "ส่งรายงานความคืบหน้าแล้ว เจ้าหน้าที่จะเห็นรายงานนี้" {
		f.fatalf("report: %d %q %q", status, f.text(".flash"), f.text("#form-error"))
	}
	if got := f.text("#latest-" + goal.ID); !strings.Contains(got, "กำลังทำ เป็นไปตามที่ตั้งใจ") || !strings.Contains(got, "รายงานรอบนี้แล้ว") {
		f.fatalf("latest %q", got)
	}

	sw := newBrowser(t, ts)
	if status := sw.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		sw.fatalf("login: %d", status)
	}
	sw.open("/cases/" + caseID)
	got := sw.text(`#commitment-progress li[data-id="` + goal.ID + `"]`)
	if !strings.Contains(got, "แม่จะพาลูกไปโรงเรียนทุกวัน") || !strings.Contains(got, "กำลังทำ เป็นไปตามที่ตั้งใจ") ||
		!strings.Contains(got, "ลูกไปโรงเรียนครบทุกวันในเดือนนี้") || strings.Contains(got, "ยังไม่ได้รายงานรอบนี้") {
		sw.fatalf("the case manager sees %q", got)
	}
}
