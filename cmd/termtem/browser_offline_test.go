package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
)

// offlineWorld is a household with a child in Lat Krabang, where the test
// organisations work.
type offlineWorld struct {
	db        *store.DB
	household people.Household
	child     people.Person
}

func newOfflineWorld(t *testing.T, ts *testServer, code string) offlineWorld {
	t.Helper()
	db := ts.openDB(t)
	lk, err := db.GetPlaceByCode(t.Context(), "101103")
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.SavePlace(t.Context(), places.Place{Kind: places.Community, Code: "101103-" + code, NameTH: "ชุมชนหลังวัด " + code, ParentID: lk.ID}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := db.SaveHousehold(t.Context(), people.Household{CommunityID: c.ID, Address: "99 ซอยหลังวัด", Situation: "บ้านไม้สองชั้น"}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.CreatePerson(t.Context(), people.Person{GivenName: "ด.ญ.น้ำฝน", FamilyName: "ใจงาม", BirthDate: "2021-05-05", HouseholdID: h.ID,
		Relation: people.RelChild}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	return offlineWorld{db: db, household: h, child: p}
}

// prepareVisit chooses the world's household on /visits and waits until the
// offline page has it, encrypted, on the device.
func (b *tab) prepareVisit(w offlineWorld) {
	b.t.Helper()
	b.open("/visits")
	b.check(`input[name="household_id"][value="` + w.household.ID + `"]`)
	b.do("prepare", chromedp.Click(chromedp.CSS("#visits-prepare"), chromedp.NodeVisible))
	b.settle("prepared households shown", `document.getElementById("ov") && document.getElementById("ov").dataset.ready === "1" && !!document.getElementById("ov-h-0")`)
}

// offlineStore reads the device's IndexedDB as raw values.
func (b *tab) offlineStore() string {
	b.t.Helper()
	return jsAwait[string](b, `(async () => {
		const dbs = await indexedDB.databases();
		if (!dbs.some(d => d.name === "termtem-offline")) return "none";
		return await new Promise(res => { const r = indexedDB.open("termtem-offline"); r.onsuccess = () => {
			const db = r.result; if (!db.objectStoreNames.contains("kv")) { db.close(); res("empty"); return; }
			const t = db.transaction("kv").objectStore("kv").getAll(); t.onsuccess = () => { db.close();
				res(JSON.stringify(t.result.map(v => v && v.ct ? new TextDecoder("utf-8", {fatal: false}).decode(v.ct) : JSON.stringify(v)))); }; }; });
	})()`)
}

func jsAwait[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate: %v\n  at %s", err, b.location())
	}
	return v
}

// TestBrowserOfflineVisit: a volunteer prepares today's visit, goes into
// airplane mode, reopens the app, records a visit note and a flower
// assessment of the household, reconnects, and the queued changes are
// synced; a case manager sees the visit and the new flower. The device
// keeps the household only encrypted, and logging out wipes it.
func TestBrowserOfflineVisit(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-OV")
	ts.addUser(t, "vol.ov", "community_volunteer", "HC-OV", testPassword)
	ts.addUser(t, "cm.ov", "case_manager", "HC-OV", testPassword)
	w := newOfflineWorld(t, ts, "OV")
	b := newBrowser(t, ts)
	b.login("vol.ov", testPassword)
	b.open("/")
	b.settle("service worker in control", `navigator.serviceWorker.controller !== null || (navigator.serviceWorker.ready.then(() => location.reload()), false)`)
	b.prepareVisit(w)
	if got := b.text("#ov-h-0 .ov-members"); !strings.Contains(got, "น้ำฝน") {
		b.fatalf("member not shown: %q", got)
	}
	// At rest the household is ciphertext: no name, no address.
	raw := b.offlineStore()
	if raw == "none" || strings.Contains(raw, "น้ำฝน") || strings.Contains(raw, "หลังวัด") {
		b.fatalf("offline store holds plain personal data: %.300s", raw)
	}

	// Airplane mode: the app still opens, from the service worker and the
	// encrypted store.
	b.setOnline(false)
	b.navigate("/visits/offline")
	b.setOnline(false) // the new document starts with the browser's own network state
	b.settle("offline app from the device", `document.getElementById("ov") && document.getElementById("ov").dataset.ready === "1" && !!document.getElementById("ov-h-0")`)
	if got := b.text("#ov-net"); got != "ไม่มีสัญญาณ: บันทึกไว้บนเครื่องก่อน จะส่งเมื่อสัญญาณกลับมา" {
		b.fatalf("network state %q", got)
	}
	b.do("open the note", chromedp.Click(chromedp.CSS("#ov-h-0 details:nth-of-type(1) summary"), chromedp.NodeVisible))
	b.fill("#ov-h-0 .ov-visit textarea", "แม่ไปทำงานโรงงาน น้องอยู่กับยาย")
	b.do("save the note", chromedp.Click(chromedp.CSS("#ov-h-0 .ov-visit button"), chromedp.NodeVisible))
	b.settle("note queued", `document.getElementById("ov-queue").textContent === "รอส่งเข้าระบบ 1 รายการ"`)
	b.do("open the assessment", chromedp.Click(chromedp.CSS("#ov-h-0 details:nth-of-type(3) summary"), chromedp.NodeVisible))
	n := jsEval[int](b, `(() => { const fs = document.querySelectorAll("#ov-h-0 .ov-assess[data-source=staff] fieldset");
		fs.forEach(f => f.querySelector("input").click()); return fs.length; })()`)
	if n == 0 {
		b.fatalf("no assessment questions offline")
	}
	b.do("save the assessment", chromedp.Click(chromedp.CSS(`#ov-h-0 .ov-assess[data-source=staff] button`), chromedp.NodeVisible))
	b.settle("assessment queued", `document.getElementById("ov-queue").textContent === "รอส่งเข้าระบบ 2 รายการ"`)
	if raw := b.offlineStore(); strings.Contains(raw, "โรงงาน") {
		b.fatalf("queued note stored in plain text")
	}

	// Back online: the queue goes to the server.
	b.setOnline(true)
	b.settle("synced", `document.getElementById("ov-queue").textContent === "" && document.getElementById("ov-status").textContent === "ส่งเข้าระบบแล้ว 2 รายการ"`)
	visits, err := w.db.HomeVisits(t.Context(), w.household.ID)
	if err != nil || len(visits) != 1 || visits[0].Note != "แม่ไปทำงานโรงงาน น้องอยู่กับยาย" {
		t.Fatalf("visits on the server: %+v %v", visits, err)
	}
	as, err := w.db.ListAssessments(t.Context(), flower.Household, w.household.ID, audit.Event{})
	if err != nil || len(as) != 1 || as[0].Source != store.ByStaff || len(as[0].Answers) != n {
		t.Fatalf("assessments on the server: %d %v", len(as), err)
	}

	// The case manager sees the visit and the flower.
	cm := b.newDevice()
	cm.login("cm.ov", testPassword)
	cm.open("/households/" + w.household.ID)
	if got := cm.text("#home-visits"); !strings.Contains(got, "แม่ไปทำงานโรงงาน") || !strings.Contains(got, "ผู้ทดสอบ vol.ov") {
		cm.fatalf("visit on the household page: %q", got)
	}

	// Logging out wipes the device.
	b.open("/")
	b.clickAndWait("#logout")
	if got := b.offlineStore(); got != "none" {
		b.fatalf("offline store after logout: %.200s", got)
	}
}
