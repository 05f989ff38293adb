package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/store"
)

// TestBrowserOfflineDemoDoneWhen is issue 10's "done when", in the demo: the
// community volunteer prepares today's visits, the phone goes into airplane
// mode (DevTools network emulation), the volunteer assesses a family and
// records the visit, the phone reconnects and sends them, and the case
// manager, in a browser of her own, sees the new flower, the visit and the
// new alert on her next page. Meanwhile a nurse changed the same household
// offline while the case manager changed it online: the nurse is shown the
// conflict, both versions side by side, and both stay in the history.
func TestBrowserOfflineDemoDoneWhen(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db, ctx := ts.openDB(t), t.Context()
	user := func(name string) string {
		u, err := db.GetUserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	cmID := user("demo.socialworker")
	vol := newBrowser(t, ts)
	vol.login("demo.volunteer", demoPassword(t, ts, "demo.volunteer"))
	vol.open("/")
	vol.settle("service worker in control", `navigator.serviceWorker.controller !== null || (navigator.serviceWorker.ready.then(() => location.reload()), false)`)

	// Today's visits: a household of the volunteer's area that has no open
	// alert yet, so that the one the visit raises is new.
	vol.open("/visits")
	open, err := db.ListAlerts(ctx, cmID, store.AlertFilter{}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	alerted := map[string]bool{}
	for _, a := range open {
		alerted[a.HouseholdID] = true
	}
	var hid string
	for _, id := range jsEval[[]string](vol, `Array.from(document.querySelectorAll('#visit-candidates input[name="household_id"]')).map(e => e.value)`) {
		if !alerted[id] {
			hid = id
			break
		}
	}
	if hid == "" {
		vol.fatalf("no household of the demo volunteer's area without an open alert")
	}
	before, err := db.GetHousehold(ctx, hid, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	vol.prepareHousehold(hid)

	// A nurse of the area prepares the same household on her phone.
	nurse := vol.newDevice()
	nurse.login("demo.nurse", demoPassword(t, ts, "demo.nurse"))
	nurse.open("/")
	nurse.settle("service worker in control", `navigator.serviceWorker.controller !== null || (navigator.serviceWorker.ready.then(() => location.reload()), false)`)
	nurse.prepareHousehold(hid)

	// Airplane mode on both phones.
	for _, b := range []*tab{vol, nurse} {
		b.setOnline(false)
		b.navigate("/visits/offline")
		b.setOnline(false)
		b.settle("offline app from the device", `document.getElementById("ov") && document.getElementById("ov").dataset.ready === "1" && !!document.getElementById("ov-h-0")`)
	}
	// The volunteer assesses the family (the answer of most concern to each
	// question) and records the visit.
	vol.do("open the assessment", chromedp.Click(chromedp.CSS("#ov-h-0 details:nth-of-type(3) summary"), chromedp.NodeVisible))
	n := jsEval[int](vol, `(() => { const fs = document.querySelectorAll("#ov-h-0 .ov-assess[data-source=staff]:not([data-child]) fieldset");
		fs.forEach(f => { const o = f.querySelectorAll("input"); o[o.length - 1].click(); }); return fs.length; })()`)
	if n == 0 {
		vol.fatalf("no household questions offline")
	}
	vol.do("save the assessment", chromedp.Click(chromedp.CSS(`#ov-h-0 .ov-assess[data-source=staff]:not([data-child]) button`), chromedp.NodeVisible))
	vol.settle("assessment queued", `document.getElementById("ov-queue").textContent === "รอส่งเข้าระบบ 1 รายการ"`)
	vol.do("open the note", chromedp.Click(chromedp.CSS("#ov-h-0 details:nth-of-type(1) summary"), chromedp.NodeVisible))
	vol.fill("#ov-h-0 .ov-visit textarea", "พ่อตกงาน ค้างค่าเช่าบ้านสองเดือน เด็กไม่ได้ไปโรงเรียนสามวัน")
	vol.do("save the note", chromedp.Click(chromedp.CSS("#ov-h-0 .ov-visit button"), chromedp.NodeVisible))
	vol.settle("visit queued", `document.getElementById("ov-queue").textContent === "รอส่งเข้าระบบ 2 รายการ"`)
	// The nurse, offline too, notes the family's situation.
	nurse.editSituationOffline("แม่ตั้งครรภ์ได้ 7 เดือน ยังไม่ได้ฝากครรภ์")

	// The case manager, online, changes the same field meanwhile.
	cm := vol.newDevice()
	cm.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker"))
	cm.open("/households/" + hid + "/edit")
	cm.fill("#situation", "ครอบครัวย้ายมาอยู่บ้านญาติ")
	cm.clickAndWait("#save")

	// The volunteer's phone reconnects and sends.
	vol.setOnline(true)
	vol.settle("synced", `document.getElementById("ov-queue").textContent === "" && document.getElementById("ov-status").textContent === "ส่งเข้าระบบแล้ว 2 รายการ"`)
	synced := time.Now()

	// The case manager's next page shows the new flower and the visit, and
	// her alerts the alert the assessment opened.
	as, err := db.ListAssessments(ctx, flower.Household, hid, audit.Event{})
	if err != nil || len(as) == 0 || as[0].AuthorID != user("demo.volunteer") || len(as[0].Answers) != n {
		t.Fatalf("the volunteer's assessment on the server: %d %v", len(as), err)
	}
	cm.open("/households/" + hid)
	if !cm.has("#flower-latest") || !strings.Contains(cm.text("#flower"), "(ตัวอย่าง)") {
		cm.fatalf("the new flower is not on the household page: %q", cm.text("#flower"))
	}
	if !cm.has("#flower-levels li.level-red") {
		cm.fatalf("the flower shows no red petal: %q", cm.text("#flower-levels"))
	}
	if got := cm.text("#home-visits"); !strings.Contains(got, "พ่อตกงาน ค้างค่าเช่าบ้าน") {
		cm.fatalf("visit not on the household page: %q", got)
	}
	alerts, err := db.ListAlerts(ctx, cmID, store.AlertFilter{Household: hid}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	var fresh []string
	for _, a := range alerts {
		if a.AssessmentID == as[0].ID {
			fresh = append(fresh, a.ID)
		}
	}
	if len(fresh) == 0 {
		t.Fatalf("the assessment opened no alert for the case manager (%d alerts on the household)", len(alerts))
	}
	cm.open("/alerts")
	for _, id := range fresh {
		if !cm.has("#alert-" + id) {
			cm.fatalf("alert %s not on the case manager's alerts", id)
		}
	}
	t.Logf("the case manager saw the flower, the visit and %d new alert(s) %v after the phone had sent them", len(fresh), time.Since(synced).Round(time.Millisecond))

	// The nurse's phone reconnects: her change of the field the case
	// manager changed is shown as a conflict, not written over hers or lost.
	nurse.setOnline(true)
	nurse.settle("conflict shown", `!document.getElementById("ov-conflicts").hidden && document.getElementById("ov-queue").textContent === ""`)
	now, err := db.GetHousehold(ctx, hid, audit.Event{})
	if err != nil || now.Household.Situation != "ครอบครัวย้ายมาอยู่บ้านญาติ" {
		t.Fatalf("situation after the nurse's sync: %q %v (was %q)", now.Household.Situation, err, before.Household.Situation)
	}
	nurse.clickAndWait("#ov-conflicts")
	nurse.clickAndWait("#conflict-list a")
	if theirs, mine := nurse.text("#conflict-theirs"), nurse.text("#conflict-mine"); theirs != "ครอบครัวย้ายมาอยู่บ้านญาติ" || mine != "แม่ตั้งครรภ์ได้ 7 เดือน ยังไม่ได้ฝากครรภ์" {
		nurse.fatalf("side by side: theirs %q, mine %q", theirs, mine)
	}
	nurse.clickAndWait("#choose-mine")
	history := nurse.text("#household-conflicts")
	if !strings.Contains(history, "ครอบครัวย้ายมาอยู่บ้านญาติ") || !strings.Contains(history, "ยังไม่ได้ฝากครรภ์") {
		nurse.fatalf("both versions not kept in the history: %q", history)
	}
}
