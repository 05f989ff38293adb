package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// Message texts of the people screens, copied from internal/locale.
const (
	thPeopleNav       = "เด็กและครอบครัว"
	thChecksum        = "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง) โปรดตรวจสอบว่าพิมพ์ครบและถูกต้อง"
	thPersonCreated   = "บันทึกข้อมูลบุคคลแล้ว"
	thRecordAdded     = "บันทึกบริการแล้ว"
	thPossibleDup     = "อาจมีบุคคลนี้ในระบบแล้ว 1 ราย โปรดตรวจสอบก่อน หรือยืนยันว่าเป็นคนใหม่"
	thRestricted      = "บันทึกที่จำกัดสิทธิ์"
	thBirthSaved      = "บันทึกการคลอดแล้ว ประวัติการฝากครรภ์ย้ายมาอยู่กับเด็ก"
	thPregnancySaved  = "บันทึกการตั้งครรภ์แล้ว"
	thBeforeBirthChip = "ระหว่างตั้งครรภ์"
)

// testNationalID makes a valid 13-digit national ID from a 12-digit stem.
func testNationalID(stem string) string {
	sum := 0
	for i := range 12 {
		sum += int(stem[i]-'0') * (13 - i)
	}
	return stem + strconv.Itoa((11-sum%11)%10)
}

// dashed lays out an ID the way the ID card prints it.
func dashed(id string) string {
	return id[:1] + "-" + id[1:5] + "-" + id[5:10] + "-" + id[10:12] + "-" + id[12:]
}

// personID is the person's UUID from a /people/{id} path.
func personID(b *tab) string {
	p := strings.TrimPrefix(b.path(), "/people/")
	if i := strings.IndexAny(p, "/?"); i >= 0 {
		p = p[:i]
	}
	if len(p) != 36 {
		b.fatalf("not on a person page: %s", b.path())
	}
	return p
}

// timelineEntry returns the text of the first timeline entry of a kind.
func (b *tab) timelineEntry(kind string) string {
	b.t.Helper()
	return b.text(fmt.Sprintf(`#timeline .timeline-entry[data-kind=%q]`, kind))
}

// A nurse, a school teacher and a social worker keep one child's record:
// household and child created with Thai input, bad and duplicate input,
// search by misspelt name and by ID without either in an address, records
// from three agencies on one timeline in the Buddhist Era, a sensitive home
// visit restricted for the teacher, and the htmx timeline filter.
func TestBrowserPeople(t *testing.T) {
	start := time.Now()
	ts := startServer(t, testEnv(t), "--demo")
	nurse := newBrowser(t, ts)
	if status := nurse.login("demo.nurse", demoPassword(t, ts, "demo.nurse")); status != http.StatusOK {
		nurse.fatalf("nurse login: %d", status)
	}
	nurse.clickLinkAndWait("header nav", thPeopleNav)
	if nurse.path() != "/people" || nurse.text("h1") != "ค้นหาเด็กและครอบครัว" {
		nurse.fatalf("people page: %s %q", nurse.path(), nurse.text("h1"))
	}

	// A household in Kheha Rom Klao.
	nurse.clickAndWait("#new-household")
	nurse.choose("#community_id", "ชุมชนเคหะร่มเกล้า")
	nurse.fill("#address", "99/9 ซอยเคหะร่มเกล้า 27")
	if status := nurse.clickAndWait("#save"); status != http.StatusOK || !strings.HasPrefix(nurse.path(), "/households/") {
		nurse.fatalf("household save: %d at %s", status, nurse.path())
	}
	household := nurse.path()
	if nurse.text("#household-community") != "ชุมชนเคหะร่มเกล้า" || nurse.text("#household-address") != "99/9 ซอยเคหะร่มเกล้า 27" {
		nurse.fatalf("household page: %q %q", nurse.text("#household-community"), nurse.text("#household-address"))
	}

	// A child, the title typed into the given-name box; a bad ID first.
	nurse.clickAndWait("#add-member")
	id := testNationalID("110140" + strconv.FormatInt(time.Now().UnixNano()%1_000_000, 10)[0:1] + "73215")
	bad := id[:12] + strconv.Itoa((int(id[12]-'0')+1)%10)
	nurse.fill("#national_id", dashed(bad))
	nurse.fill("#given_name", "ด.ช.สมชาย")
	nurse.fill("#family_name", "ทดลองระบบ")
	nurse.fill("#nickname", "ต้นข้าว")
	nurse.fill("#birth_date", "12/01/2567")
	nurse.choose("#relationship", "บุตร")
	if status := nurse.clickAndWait("#save"); status != http.StatusUnprocessableEntity {
		nurse.fatalf("bad ID: status %d", status)
	}
	if got := nurse.text("#national_id-error"); got != thChecksum {
		nurse.fatalf("national ID error %q", got)
	}
	if nurse.jsAttr("#national_id", "aria-invalid") != "true" || !strings.Contains(nurse.jsAttr("#national_id", "aria-describedby"), "national_id-error") {
		nurse.fatalf("the ID field is not marked invalid")
	}
	if nurse.value("#given_name") != "ด.ช.สมชาย" || nurse.value("#birth_date") != "12/01/2567" || nurse.selectedText("#relationship") != "บุตร" {
		nurse.fatalf("the form lost its values: %q %q %q", nurse.value("#given_name"), nurse.value("#birth_date"), nurse.selectedText("#relationship"))
	}
	nurse.fill("#national_id", dashed(id))
	if status := nurse.clickAndWait("#save"); status != http.StatusOK || nurse.text(".flash") != thPersonCreated {
		nurse.fatalf("child save: %d, flash %q", status, nurse.text(".flash"))
	}
	child := personID(nurse)
	if got := nurse.text("#person-name"); got != "เด็กชายสมชาย ทดลองระบบ (ต้นข้าว)" {
		nurse.fatalf("name %q", got)
	}
	if nurse.text("#person-title") != "เด็กชาย" || nurse.text("#person-given") != "สมชาย" {
		nurse.fatalf("title not parsed out: %q %q", nurse.text("#person-title"), nurse.text("#person-given"))
	}
	if nurse.text("#national-id") != dashed(id) || !strings.HasPrefix(nurse.text("#person-birth"), "12 ม.ค. 2567") {
		nurse.fatalf("identity: %q %q", nurse.text("#national-id"), nurse.text("#person-birth"))
	}
	if !strings.Contains(nurse.text("#identity"), "ชาย") || !strings.Contains(nurse.text("#identity"), "บุตร") {
		nurse.fatalf("sex or relationship missing: %q", nurse.text("#identity"))
	}
	if nurse.text("#person-stage") != "เด็กเล็ก (1–2 ปี)" {
		nurse.fatalf("life stage %q", nurse.text("#person-stage"))
	}

	// A second, similar child: the duplicate warning, then confirmed.
	nurse.open(household)
	nurse.clickAndWait("#add-member")
	nurse.fill("#given_name", "สมชาย")
	nurse.fill("#family_name", "ทดลองระบบ")
	nurse.fill("#birth_date", "01/2567")
	if status := nurse.clickAndWait("#save"); status != http.StatusConflict {
		nurse.fatalf("duplicate: status %d", status)
	}
	if nurse.text("#form-error") != thPossibleDup || !nurse.has(`#duplicates a[href="/people/`+child+`"]`) {
		nurse.fatalf("no duplicate warning: %q", nurse.text("#form-error"))
	}
	nurse.check("#confirm_new")
	nurse.fill("#nickname", "ต้นกล้า")
	if status := nurse.clickAndWait("#save"); status != http.StatusOK || personID(nurse) == child {
		nurse.fatalf("confirmed new person: %d at %s", status, nurse.path())
	}

	// Search by a misspelt name; the name never reaches an address.
	nurse.open("/people")
	nurse.fill("#q", "สมชาญ")
	nurse.clickAndWait("#search-submit")
	if loc := nurse.location(); !strings.HasSuffix(loc, "/people/search") {
		nurse.fatalf("search address %s", loc)
	}
	if !nurse.has(`#result-list a[href="/people/` + child + `"]`) {
		nurse.fatalf("สมชาญ did not find สมชาย: %q", nurse.text("#results"))
	}
	if row := nurse.text(`#result-list li:has(a[href="/people/` + child + `"])`); !strings.Contains(row, "สมชาย ทดลองระบบ") ||
		!strings.Contains(row, "ต้นข้าว") || !strings.Contains(row, "ชุมชนเคหะร่มเกล้า") || !strings.Contains(row, "เด็กเล็ก") {
		nurse.fatalf("result row %q", row)
	}
	// A bad ID in the search box: the checksum message on the box.
	nurse.fill("#q", dashed(bad))
	if status := nurse.clickAndWait("#search-submit"); status != http.StatusUnprocessableEntity || nurse.text("#q-error") != thChecksum {
		nurse.fatalf("bad ID search: %d %q", status, nurse.text("#q-error"))
	}
	// The ID goes straight to the child.
	nurse.fill("#q", dashed(id))
	nurse.clickAndWait("#search-submit")
	if nurse.path() != "/people/"+child {
		nurse.fatalf("ID lookup went to %s", nurse.path())
	}
	history := jsEval[[]string](nurse, `performance.getEntriesByType("navigation").map(e => e.name)`)
	for _, loc := range append(history, nurse.location()) {
		u, _ := url.QueryUnescape(loc)
		if strings.Contains(u, "สมชาญ") || strings.Contains(u, "สมชาย") || strings.Contains(u, id) || strings.Contains(u, id[:5]) {
			nurse.fatalf("personal data in an address: %s", loc)
		}
	}

	// The nurse's records: a vaccination and a DSPM screening, dates in B.E.
	nurse.clickAndWait("#add-record")
	nurse.clickAndWait(`#record-kinds a[data-kind="vaccination"]`)
	nurse.choose("#vaccine", "MMR")
	nurse.fill("#dose", "1")
	nurse.fill("#occurred_on", "12/01/2568")
	if status := nurse.clickAndWait("#save-record"); status != http.StatusOK || nurse.text(".flash") != thRecordAdded {
		nurse.fatalf("vaccination: %d %q", status, nurse.text(".flash"))
	}
	nurse.clickAndWait("#add-record")
	nurse.clickAndWait(`#record-kinds a[data-kind="development_screening"]`)
	nurse.fill("#occurred_on", "15/07/2568")
	nurse.choose("#screening_age", "18")
	for _, d := range []string{"gm", "rl", "el", "ps"} {
		nurse.check(`input[name="` + d + `"][value="pass"]`)
	}
	// First without the fine-motor result: the form says so and keeps the rest.
	if status := nurse.clickAndWait("#save-record"); status != http.StatusUnprocessableEntity || nurse.text("#fm-error") == "" {
		nurse.fatalf("missing domain: %d %q", status, nurse.text("#fm-error"))
	}
	if !jsEval[bool](nurse, `document.querySelector('input[name="gm"][value="pass"]').checked`) || nurse.value("#occurred_on") != "15/07/2568" {
		nurse.fatalf("DSPM form lost its values")
	}
	nurse.check(`input[name="fm"][value="suspected"]`)
	if status := nurse.clickAndWait("#save-record"); status != http.StatusOK {
		nurse.fatalf("DSPM: %d", status)
	}
	vacc := nurse.timelineEntry("vaccination")
	if !strings.Contains(vacc, "12 ม.ค. 2568") || !strings.Contains(vacc, "MMR · เข็มที่ 1") || !strings.Contains(vacc, "ศูนย์บริการสาธารณสุข 45 ร่มเกล้า") ||
		!strings.Contains(vacc, "สุภาพร ใจดี") || !strings.Contains(vacc, "สุขภาพ") {
		nurse.fatalf("vaccination entry %q", vacc)
	}
	dspm := nurse.timelineEntry("development_screening")
	for _, want := range []string{"15 ก.ค. 2568", "18 เดือน", "กล้ามเนื้อมัดเล็กและสติปัญญา (FM)", "สงสัยล่าช้า", "คัดกรองซ้ำภายใน", "14 ส.ค. 2568", "การศึกษา"} {
		if !strings.Contains(dspm, want) {
			nurse.fatalf("DSPM entry lacks %q: %q", want, dspm)
		}
	}
	kinds := jsEval[[]string](nurse, `[...document.querySelectorAll("#timeline .timeline-entry")].map(e => e.dataset.kind)`)
	if strings.Join(kinds, ",") != "development_screening,vaccination" {
		nurse.fatalf("timeline order %v, want newest first", kinds)
	}

	// The social worker's home visit: sensitive (safety).
	worker := nurse.newDevice()
	worker.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker"))
	worker.open("/people/" + child + "/records/new?kind=home_visit")
	worker.fill("#occurred_on", "20/10/2569")
	worker.fill("#note", "แม่ทำงานกะดึก เด็กอยู่กับยาย")
	if status := worker.clickAndWait("#save-record"); status != http.StatusOK || worker.text(".flash") != thRecordAdded {
		worker.fatalf("home visit: %d %q", status, worker.text(".flash"))
	}
	if visit := worker.timelineEntry("home_visit"); !strings.Contains(visit, "แม่ทำงานกะดึก") {
		worker.fatalf("the writer cannot read her own visit: %q", visit)
	}

	// The school teacher sees the nurse's records, the visit only as restricted,
	// and adds a school enrolment.
	teacher := nurse.newDevice()
	teacher.login("demo.teacher", demoPassword(t, ts, "demo.teacher"))
	teacher.open("/people")
	teacher.fill("#q", "somchai")
	teacher.clickAndWait("#search-submit")
	if !teacher.has(`#result-list a[href="/people/` + child + `"]`) {
		teacher.fatalf("somchai did not find สมชาย: %q", teacher.text("#results"))
	}
	teacher.clickAndWait(`#result-list a[href="/people/` + child + `"]`)
	if !strings.Contains(teacher.timelineEntry("vaccination"), "MMR · เข็มที่ 1") || !strings.Contains(teacher.timelineEntry("development_screening"), "สงสัยล่าช้า") {
		teacher.fatalf("teacher does not see the nurse's records: %q", teacher.text("#timeline"))
	}
	visit := teacher.timelineEntry("home_visit")
	if !strings.Contains(visit, thRestricted) || strings.Contains(visit, "กะดึก") || strings.Contains(visit, "ปวีณา") ||
		!strings.Contains(visit, "20 ต.ค. 2569") || !strings.Contains(visit, "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม") {
		teacher.fatalf("home visit for the teacher: %q", visit)
	}
	teacher.clickAndWait("#add-record")
	teacher.clickAndWait(`#record-kinds a[data-kind="school_enrolment"]`)
	if teacher.text("#record-org") != "หน่วยงานที่บันทึก: โรงเรียนเคหะชุมชนร่มเกล้า" {
		teacher.fatalf("recording organisation %q", teacher.text("#record-org"))
	}
	teacher.choose("#grade", "อนุบาล 1")
	if status := teacher.clickAndWait("#save-record"); status != http.StatusOK {
		teacher.fatalf("school enrolment: %d", status)
	}
	if e := teacher.timelineEntry("school_enrolment"); !strings.Contains(e, "อนุบาล 1") || !strings.Contains(e, "โรงเรียนเคหะชุมชนร่มเกล้า") {
		teacher.fatalf("enrolment entry %q", e)
	}

	// The nurse sees the teacher's record too, and filters by dimension:
	// htmx swaps the timeline in place and puts only the code in the address.
	nurse.open("/people/" + child)
	if !strings.Contains(nurse.timelineEntry("school_enrolment"), "อนุบาล 1") {
		nurse.fatalf("nurse does not see the teacher's record: %q", nurse.text("#timeline"))
	}
	if !strings.Contains(nurse.timelineEntry("home_visit"), thRestricted) {
		nurse.fatalf("a nurse without the safety category reads the home visit: %q", nurse.timelineEntry("home_visit"))
	}
	jsEval[bool](nurse, `window.ttNoReload = true`)
	nurse.choose("#dimension", "สุขภาพ")
	nurse.waitFor("the health records only", `(() => {
		const k = [...document.querySelectorAll("#timeline .timeline-entry")].map(e => e.dataset.kind);
		return k.length === 1 && k[0] === "vaccination";
	})()`)
	if !jsEval[bool](nurse, `window.ttNoReload === true`) {
		nurse.fatalf("the filter reloaded the page")
	}
	if nurse.path() != "/people/"+child+"?organisation=&dimension=health" {
		nurse.fatalf("filter address %s", nurse.path())
	}
	nurse.choose("#dimension", "ทั้งหมด")
	nurse.choose("#organisation", "โรงเรียนเคหะชุมชนร่มเกล้า")
	nurse.waitFor("the school's records only", `(() => {
		const k = [...document.querySelectorAll("#timeline .timeline-entry")].map(e => e.dataset.kind);
		return k.length === 1 && k[0] === "school_enrolment";
	})()`)

	// The household shows both children with their relationship.
	nurse.open(household)
	if members := nurse.text("#members"); strings.Count(members, "สมชาย ทดลองระบบ") != 2 || !strings.Contains(members, "บุตร") {
		nurse.fatalf("members %q", members)
	}
	// Two tabs edit the child: the later save is stale and keeps what was typed.
	nurse.open("/people/" + child + "/edit")
	if nurse.value("#national_id") != dashed(id) || nurse.value("#birth_date") != "12/01/2567" || nurse.value("#title") != "เด็กชาย" {
		nurse.fatalf("edit form: %q %q %q", nurse.value("#national_id"), nurse.value("#birth_date"), nurse.value("#title"))
	}
	other := nurse.newTab()
	other.open("/people/" + child + "/edit")
	nurse.fill("#phone", "081-234-5678")
	if status := nurse.clickAndWait("#save"); status != http.StatusOK || nurse.text(".flash") != thSaved {
		nurse.fatalf("edit: %d %q", status, nurse.text(".flash"))
	}
	other.fill("#nickname", "ข้าวหอม")
	if status := other.clickAndWait("#save"); status != http.StatusPreconditionFailed || other.text("#form-error") != thStale {
		other.fatalf("stale edit: %d %q", status, other.text("#form-error"))
	}
	if other.value("#nickname") != "ข้าวหอม" {
		other.fatalf("the stale form lost what was typed: %q", other.value("#nickname"))
	}
	t.Logf("TestBrowserPeople took %s", time.Since(start).Round(time.Millisecond))
}

// A mother's pregnancy, an antenatal visit on it, and the birth: the child
// is created in her household and keeps the antenatal visit on its timeline.
func TestBrowserPregnancyToBirth(t *testing.T) {
	start := time.Now()
	ts := startServer(t, testEnv(t), "--demo")
	b := newBrowser(t, ts)
	b.login("demo.nurse", demoPassword(t, ts, "demo.nurse"))
	b.open("/households/new")
	b.choose("#community_id", "ชุมชนฟื้นนครร่มเกล้า")
	b.fill("#address", "12 ถนนร่มเกล้า")
	b.clickAndWait("#save")
	b.clickAndWait("#add-member")
	b.fill("#given_name", "นางสมศรี")
	b.fill("#family_name", "ทดลองครรภ์")
	b.fill("#birth_date", "2540")
	b.choose("#relationship", "หัวหน้าครัวเรือน")
	if status := b.clickAndWait("#save"); status != http.StatusOK {
		b.fatalf("mother: %d", status)
	}
	mother := personID(b)
	due := time.Now().AddDate(0, 3, 0)
	b.fill("#expected_date", fmt.Sprintf("%02d/%02d/%d", due.Day(), due.Month(), due.Year()+543))
	if status := b.clickAndWait("#save-pregnancy"); status != http.StatusOK || b.text(".flash") != thPregnancySaved {
		b.fatalf("pregnancy: %d %q", status, b.text(".flash"))
	}
	b.clickLinkAndWait("#pregnancies", "บันทึกการฝากครรภ์")
	b.fill("#gestational_weeks", "28")
	b.fill("#weight_kg", "61.5")
	if status := b.clickAndWait("#save-record"); status != http.StatusOK {
		b.fatalf("antenatal visit: %d", status)
	}
	if e := b.timelineEntry("antenatal_visit"); !strings.Contains(e, "28 สัปดาห์") || !strings.Contains(e, "61.5 กก.") {
		b.fatalf("mother's timeline: %q", e)
	}
	// The birth: a date in the future is refused on its field first.
	b.do("open the birth form", chromedp.Click(chromedp.CSS("#pregnancies details summary"), chromedp.NodeVisible))
	b.fill("#child-given-0", "ทารก")
	b.fill("#child-birth-0", "01/01/2575")
	if status := b.clickAndWait("#birth-form-0 button"); status != http.StatusUnprocessableEntity || b.text("#child-birth-0-error") == "" {
		b.fatalf("future birth: %d %q", status, b.text("#child-birth-0-error"))
	}
	today := time.Now()
	b.fill("#child-birth-0", fmt.Sprintf("%02d/%02d/%d", today.Day(), today.Month(), today.Year()+543))
	b.choose("#child-sex-0", "หญิง")
	if status := b.clickAndWait("#birth-form-0 button"); status != http.StatusOK || b.text(".flash") != thBirthSaved {
		b.fatalf("birth: %d %q", status, b.text(".flash"))
	}
	if personID(b) == mother || b.text("#person-stage") != "ทารกแรกเกิด (ต่ำกว่า 1 ปี)" {
		b.fatalf("child page: %s %q", b.path(), b.text("#person-stage"))
	}
	if e := b.timelineEntry("antenatal_visit"); !strings.Contains(e, thBeforeBirthChip) || !strings.Contains(e, "28 สัปดาห์") {
		b.fatalf("the antenatal visit did not follow the child: %q", b.text("#timeline"))
	}
	if !strings.Contains(b.text("#identity"), "บุตร") || !b.has("#household-link") {
		b.fatalf("child not in the mother's household: %q", b.text("#identity"))
	}
	t.Logf("TestBrowserPregnancyToBirth took %s", time.Since(start).Round(time.Millisecond))
}

// a11yPeoplePages arranges a household with a pregnant mother and a child
// with records from two agencies (one restricted for a nurse), and returns
// the people pages for the accessibility test, with the pages that answer
// a form (search results, a form with errors) as steps.
func a11yPeoplePages(t *testing.T, ts *testServer) ([]string, map[string]func(*tab)) {
	t.Helper()
	db := ts.openDB(t)
	ctx := t.Context()
	actor := audit.Event{RequestID: "test"}
	community, err := db.GetPlaceByCode(ctx, "101103-C01")
	if err != nil {
		t.Fatal(err)
	}
	hh, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID, Address: "7 ซอยเคหะร่มเกล้า 29"}, actor)
	if err != nil {
		t.Fatal(err)
	}
	mother, err := db.CreatePerson(ctx, people.Person{HouseholdID: hh.ID, GivenName: "นางมาลี", FamilyName: "ทดสอบการเข้าถึง",
		BirthDate: "2539", Relation: people.RelHead}, actor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreatePregnancy(ctx, mother.ID, time.Now().AddDate(0, 2, 0).Format("2006-01-02"), actor); err != nil {
		t.Fatal(err)
	}
	child, err := db.CreatePerson(ctx, people.Person{HouseholdID: hh.ID, GivenName: "ด.ญ.มะลิ", FamilyName: "ทดสอบการเข้าถึง",
		Nickname: "มะลิ", BirthDate: "2023-03-04", NationalID: testNationalID("110140273215"), Relation: people.RelChild,
		Identifiers: []people.Identifier{{Kind: people.BirthCertificate, Value: "1234/2566"}}}, actor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveHousehold(ctx, people.Household{ID: hh.ID, Version: hh.Version, CommunityID: community.ID, Address: hh.Address,
		HeadID: mother.ID, CaregiverID: mother.ID}, actor); err != nil {
		t.Fatal(err)
	}
	orgUser := func(org, username string) (string, string) {
		o, err := db.GetOrganisationByCode(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.GetUserByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		return o.ID, u.ID
	}
	hc, nurse := orgUser("LKB-HC45", "demo.nurse")
	dsw, worker := orgUser("LKB-DSW", "demo.socialworker")
	pct := 92
	for _, r := range []people.Record{
		{Kind: people.Vaccination, OccurredOn: "2024-03-04", OrganisationID: hc, AuthorID: nurse, Data: people.RecordData{Vaccine: "MMR", Dose: 1}},
		{Kind: people.Growth, OccurredOn: "2024-09-04", OrganisationID: hc, AuthorID: nurse, Data: people.RecordData{WeightKg: 9.8, HeightCm: 76.5, HeadCm: 45}},
		{Kind: people.DevelopmentScreening, OccurredOn: "2024-09-10", OrganisationID: hc, AuthorID: nurse, Data: people.RecordData{ScreeningAge: 18,
			Domains: &people.Domains{GM: people.DSPMPass, FM: people.DSPMSuspected, RL: people.DSPMPass, EL: people.DSPMDelayed, PS: people.DSPMPass}}},
		{Kind: people.Attendance, OccurredOn: "2026-06-30", OrganisationID: hc, AuthorID: nurse, Data: people.RecordData{AttendancePct: &pct, Period: "2026-06"}},
		{Kind: people.HomeVisit, OccurredOn: "2026-10-01", OrganisationID: dsw, AuthorID: worker, Data: people.RecordData{Note: "เยี่ยมบ้าน"}},
	} {
		r.PersonID = child.ID
		if _, err := db.AddRecord(ctx, r, actor); err != nil {
			t.Fatalf("%s: %v", r.Kind, err)
		}
	}
	// An assessment, so that the flower, its concerns and the deprivation
	// chart have something to show.
	if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: child.ID, Source: store.ByStaff,
		Answers: map[string]flower.Answer{"SAF03": {Option: "once_with_child"}, "HLT06": {Option: "valid"}}, OrganisationID: dsw, AuthorID: worker}, actor); err != nil {
		t.Fatal(err)
	}
	pages := []string{"/people", "search results", "/people/new", "duplicate warning",
		"/people/" + child.ID + "/assess", "assessment with an error", "/households/" + hh.ID + "/assess", "/households/" + hh.ID + "/deprivation",
		"/people/" + child.ID, "/people/" + child.ID + "?dimension=health", "/people/" + mother.ID, "/people/" + child.ID + "/edit",
		"/people/" + child.ID + "/records/new", "/people/" + child.ID + "/records/new?kind=development_screening",
		"/people/" + child.ID + "/records/new?kind=welfare_grant", "record with an error",
		"/people/" + mother.ID + "/records/new?kind=antenatal_visit",
		"/households/new", "/households/" + hh.ID, "/households/" + hh.ID + "/edit"}
	forms := map[string]func(*tab){
		"assessment with an error": func(b *tab) {
			b.open("/households/" + hh.ID + "/assess")
			b.fill("#n-ECO01", "99999999")
			b.clickAndWait("#assess-save")
			if !b.has("#err-ECO01") {
				b.fatalf("no error to audit")
			}
		},
		"search results": func(b *tab) {
			b.open("/people")
			b.fill("#q", "มะลิ")
			b.clickAndWait("#search-submit")
			if !b.has("#result-list") {
				b.fatalf("no results to audit")
			}
		},
		"duplicate warning": func(b *tab) {
			b.open("/people/new?household=" + hh.ID)
			b.fill("#given_name", "มะลิ")
			b.fill("#family_name", "ทดสอบการเข้าถึง")
			b.fill("#birth_date", "2566")
			b.fill("#phone", "08x")
			b.clickAndWait("#save")
			if !b.has("#phone-error") {
				b.fatalf("no error to audit")
			}
			b.fill("#phone", "")
			b.clickAndWait("#save")
			if !b.has("#duplicates") {
				b.fatalf("no duplicate warning to audit")
			}
		},
		"record with an error": func(b *tab) {
			b.open("/people/" + child.ID + "/records/new?kind=development_screening")
			b.clickAndWait("#save-record")
			if !b.has("#form-error") {
				b.fatalf("no error to audit")
			}
		},
	}
	return pages, forms
}
