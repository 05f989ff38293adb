package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/people"
)

// A social worker assesses a child and its family on a phone: the form
// starts from what the records say (a vaccine overdue, a missed DSPM
// screening), an urgent safety answer opens an alert, the flower and the
// deprivation chart show the right colours, and a nurse, whose role may not
// see safety details, sees that something is there but not what.
func TestBrowserAssessment(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	ctx := context.Background()
	db := ts.openDB(t)
	community, err := db.GetPlaceByCode(ctx, "101103-C02")
	if err != nil {
		t.Fatal(err)
	}
	hc, err := db.GetOrganisationByCode(ctx, "LKB-HC45")
	if err != nil {
		t.Fatal(err)
	}
	hh, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID, Address: "12/3 ซอยฟื้นนคร"}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	// Two years old, with only the birth doses on record.
	birth := db.Now().AddDate(-2, 0, -10).Format("2006-01-02")
	child, err := db.CreatePerson(ctx, people.Person{GivenName: "ด.ญ.ใบบัว", FamilyName: "ทดสอบดอกไม้", Nickname: "บัว", Sex: people.Female,
		BirthDate: birth, HouseholdID: hh.ID, Relation: people.RelChild}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddRecord(ctx, people.Record{PersonID: child.ID, Kind: people.Vaccination, OccurredOn: birth, OrganisationID: hc.ID,
		Data: people.RecordData{Vaccine: "BCG", Dose: 1}}, audit.Event{}); err != nil {
		t.Fatal(err)
	}

	sw := newBrowser(t, ts)
	sw.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	if status := sw.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		sw.fatalf("login: %d", status)
	}
	sw.open("/people/" + child.ID)
	if !sw.has("#flower-empty svg") {
		sw.fatalf("no grey flower before any assessment")
	}
	sw.clickAndWait("#assess")
	if sw.path() != "/people/"+child.ID+"/assess" {
		sw.fatalf("assess form at %s", sw.path())
	}
	if w := jsEval[int](sw, `document.documentElement.scrollWidth`); w > 390 {
		sw.fatalf("the form is %d px wide on a 390 px phone", w)
	}
	// Derived from the records: vaccines overdue, the DSPM screening missed.
	if got := sw.text("#derived-HLT02"); !strings.Contains(got, "ค้าง") && !strings.Contains(got, "เกิน") {
		sw.fatalf("HLT02 proposal %q", got)
	}
	if v := jsEval[string](sw, `document.querySelector('input[name="a.HLT02"]:checked').value`); v != "overdue_2plus" {
		sw.fatalf("HLT02 starts at %q", v)
	}
	// Changing what the records say without a reason is refused, and the
	// form keeps what was chosen.
	sw.check(`input[name="a.SAF03"][value="alone_or_repeated"]`)
	sw.check(`input[name="a.HLT02"][value="up_to_date"]`)
	if status := sw.clickAndWait("#assess-save"); status != http.StatusUnprocessableEntity {
		sw.fatalf("override without reason: %d", status)
	}
	if !sw.has("#err-HLT02") || jsEval[string](sw, `document.querySelector('input[name="a.SAF03"]:checked').value`) != "alone_or_repeated" {
		sw.fatalf("error not at HLT02 or the answers were lost")
	}
	sw.check(`input[name="a.HLT02"][value="overdue_2plus"]`)
	if status := sw.clickAndWait("#assess-save"); status != http.StatusOK || sw.path() != "/people/"+child.ID {
		sw.fatalf("save: %d at %s", status, sw.path())
	}
	if !strings.Contains(sw.text(".flash"), "แจ้งเตือน") {
		sw.fatalf("flash %q", sw.text(".flash"))
	}
	levels := jsEval[map[string]string](sw, `Object.fromEntries([...document.querySelectorAll('#flower-levels li')].map(li => [li.dataset.dimension, li.querySelector('strong').textContent]))`)
	if levels["safety"] != "แดง" || levels["health"] != "แดง" || levels["education"] != "แดง" || levels["economy"] != "ยังไม่ทราบ" {
		sw.fatalf("levels %v", levels)
	}
	if !sw.has(`#flower-latest svg[role="img"]`) || !strings.Contains(sw.text(`#flower-concerns li[data-code="SAF03"]`), "ด่วน") {
		sw.fatalf("flower or urgent concern missing")
	}

	// The household: one answer, then the deprivation chart with the
	// family's and the child's red items.
	sw.open("/households/" + hh.ID)
	if !sw.has(`#members .flower-list svg[role="img"]`) {
		sw.fatalf("the assessed child has no flower in the member list")
	}
	sw.clickAndWait("#assess")
	sw.check(`input[name="a.ECO05"][value="often"]`)
	if status := sw.clickAndWait("#assess-save"); status != http.StatusOK {
		sw.fatalf("household save: %d", status)
	}
	sw.clickAndWait("#deprivation-link")
	red := sw.texts(`ul[data-level="red"] li`)
	joined := strings.Join(red, " | ")
	if !strings.Contains(joined, "อดมื้อ") || !strings.Contains(joined, "ลำพัง") {
		sw.fatalf("red items %v", red)
	}
	if !sw.has(`li[data-code="SAF03"]`) || !sw.has(`li[data-code="ECO05"]`) || !sw.has(`li[data-code="HLT02"]`) {
		sw.fatalf("deprivation chart misses items: %v", red)
	}

	// The nurse sees the flower but not the safety detail.
	nurse := sw.newDevice()
	if status := nurse.login("demo.nurse", demoPassword(t, ts, "demo.nurse")); status != http.StatusOK {
		nurse.fatalf("nurse login: %d", status)
	}
	nurse.open("/people/" + child.ID)
	if got := nurse.text(`#flower-concerns li[data-code="SAF03"]`); !strings.Contains(got, "ข้อมูลจำกัดสิทธิ์") || strings.Contains(got, "ลำพัง") {
		nurse.fatalf("nurse sees SAF03 as %q", got)
	}
	if got := nurse.text(`#flower-concerns li[data-code="HLT02"]`); !strings.Contains(got, "แดง") {
		nurse.fatalf("nurse sees HLT02 as %q", got)
	}
}

// An administrator publishes a new instrument version from a file: a broken
// file is refused with every problem named by field and line, a right one
// becomes the version new assessments use.
func TestBrowserInstrumentPublish(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	dir := t.TempDir()
	v1 := string(flower.DefaultFileBytes())
	v2 := strings.Replace(v1, `"version": 1`, `"version": 2`, 1)
	broken := strings.Replace(v2, `"kind": "worst"`, `"kind": "best"`, 1)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	b := newBrowser(t, ts)
	if status := b.login("demo.admin", demoPassword(t, ts, "demo.admin")); status != http.StatusOK {
		b.fatalf("login: %d", status)
	}
	b.open("/instruments")
	if got := b.texts(`#instruments tbody tr`); len(got) != 1 || !strings.Contains(got[0], "termtem-default") {
		b.fatalf("instruments %v", got)
	}
	b.do("choose the broken file", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{write("broken.json", broken)}))
	if status := b.clickAndWait("#publish"); status != http.StatusUnprocessableEntity {
		b.fatalf("broken file: %d", status)
	}
	problems := b.text("#instrument-problems")
	if !strings.Contains(problems, "dimensions[") || !strings.Contains(problems, "บรรทัด") {
		b.fatalf("problems %q", problems)
	}
	b.do("choose version 2", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{write("v2.json", v2)}))
	if status := b.clickAndWait("#publish"); status != http.StatusOK || b.path() != "/instruments" {
		b.fatalf("publish: %d at %s", status, b.path())
	}
	if !b.has(`#instruments tr[data-version="2"] .badge`) || b.has(`#instruments tr[data-version="1"] .badge`) {
		b.fatalf("version 2 is not the one in use: %v", b.texts(`#instruments tbody tr`))
	}
}
