package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

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
	b.prepareHousehold(w.household.ID)
}

// prepareHousehold chooses one household on /visits and waits until the
// offline page has it on the device.
func (b *tab) prepareHousehold(id string) {
	b.t.Helper()
	b.open("/visits")
	b.check(`input[name="household_id"][value="` + id + `"]`)
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
	n := jsEval[int](b, `(() => { const fs = document.querySelectorAll("#ov-h-0 .ov-assess[data-source=staff]:not([data-child]) fieldset");
		fs.forEach(f => f.querySelector("input").click()); return fs.length; })()`)
	if n == 0 {
		b.fatalf("no assessment questions offline")
	}
	b.do("save the assessment", chromedp.Click(chromedp.CSS(`#ov-h-0 .ov-assess[data-source=staff]:not([data-child]) button`), chromedp.NodeVisible))
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

// editOffline changes the household's situation on the offline page.
func (b *tab) editSituationOffline(value string) {
	b.t.Helper()
	b.do("open the household", chromedp.Click(chromedp.CSS("#ov-h-0 details:nth-of-type(2) summary"), chromedp.NodeVisible))
	b.fill("#ov-h-0 .ov-edit textarea", value)
	b.do("save the household", chromedp.Click(chromedp.CSS("#ov-h-0 .ov-edit button"), chromedp.NodeVisible))
	b.settle("change queued", `document.getElementById("ov-queue").textContent === "รอส่งเข้าระบบ 1 รายการ"`)
}

// TestBrowserOfflineConflict: two case managers prepare the same household
// and change its living situation offline. The first to reconnect is
// applied; the second is shown a conflict and, on the side-by-side screen,
// chooses their own version. Both versions stay in the household's history.
func TestBrowserOfflineConflict(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-OC")
	ts.addUser(t, "cm.oc1", "case_manager", "HC-OC", testPassword)
	ts.addUser(t, "cm.oc2", "case_manager", "HC-OC", testPassword)
	w := newOfflineWorld(t, ts, "OC")
	first := newBrowser(t, ts)
	second := first.newDevice()
	for _, d := range []struct {
		b    *tab
		user string
	}{{first, "cm.oc1"}, {second, "cm.oc2"}} {
		d.b.login(d.user, testPassword)
		d.b.open("/")
		d.b.settle("service worker in control", `navigator.serviceWorker.controller !== null || (navigator.serviceWorker.ready.then(() => location.reload()), false)`)
		d.b.prepareVisit(w)
		d.b.setOnline(false)
	}
	first.editSituationOffline("แม่ย้ายไปทำงานต่างจังหวัด ยายดูแลหลาน")
	second.editSituationOffline("ครอบครัวย้ายไปอยู่ห้องเช่าใกล้ตลาด")

	first.setOnline(true)
	first.settle("first synced", `document.getElementById("ov-queue").textContent === "" && document.getElementById("ov-status").textContent === "ส่งเข้าระบบแล้ว 1 รายการ"`)
	second.setOnline(true)
	second.settle("conflict shown", `!document.getElementById("ov-conflicts").hidden && document.getElementById("ov-queue").textContent === ""`)
	if got := second.text("#ov-conflicts"); !strings.Contains(got, "1 รายการ") {
		second.fatalf("conflict link %q", got)
	}
	hv, err := w.db.GetHousehold(t.Context(), w.household.ID, audit.Event{})
	if err != nil || hv.Household.Situation != "แม่ย้ายไปทำงานต่างจังหวัด ยายดูแลหลาน" {
		t.Fatalf("the second change was written over the first: %q %v", hv.Household.Situation, err)
	}

	second.clickAndWait("#ov-conflicts")
	second.clickAndWait("#conflict-list a")
	if theirs, mine := second.text("#conflict-theirs"), second.text("#conflict-mine"); theirs != "แม่ย้ายไปทำงานต่างจังหวัด ยายดูแลหลาน" || mine != "ครอบครัวย้ายไปอยู่ห้องเช่าใกล้ตลาด" {
		second.fatalf("side by side: theirs %q, mine %q", theirs, mine)
	}
	second.clickAndWait("#choose-mine")
	if got := second.text("#household-situation"); got != "ครอบครัวย้ายไปอยู่ห้องเช่าใกล้ตลาด" || second.path() != "/households/"+w.household.ID {
		second.fatalf("after choosing: %q at %s", got, second.path())
	}
	history := second.text("#household-conflicts")
	if !strings.Contains(history, "แม่ย้ายไปทำงานต่างจังหวัด") || !strings.Contains(history, "ห้องเช่าใกล้ตลาด") || !strings.Contains(history, "เลือกใช้ฉบับที่บันทึกนอกสถานที่") {
		second.fatalf("history %q", history)
	}
	second.open("/visits/conflicts")
	if !second.has("#conflicts-none") {
		second.fatalf("conflict still waiting")
	}
}

// TestBrowserOfflineExpiry: the prepared visits are wiped when the key
// expires, and the page shows nothing of them.
func TestBrowserOfflineExpiry(t *testing.T) {
	ts := startServer(t, withEnv(testEnv(t), map[string]string{"TERMTEM_OFFLINE_KEY_LIFE": "6s"}))
	ts.addOrganisation(t, "HC-OE")
	ts.addUser(t, "cm.oe", "case_manager", "HC-OE", testPassword)
	w := newOfflineWorld(t, ts, "OE")
	b := newBrowser(t, ts)
	b.login("cm.oe", testPassword)
	b.open("/")
	b.settle("service worker in control", `navigator.serviceWorker.controller !== null || (navigator.serviceWorker.ready.then(() => location.reload()), false)`)
	b.prepareVisit(w)
	if b.offlineStore() == "none" {
		b.fatalf("nothing stored")
	}
	// The key's life ends while the page is open (offline, so that no
	// sync interferes): the store is wiped and the worker told.
	b.setOnline(false)
	b.settle("expired", `document.getElementById("ov-message").textContent === "ข้อมูลที่เตรียมไว้ครบเวลาแล้ว จึงถูกลบออกจากเครื่อง"`)
	if got := b.offlineStore(); got != "none" {
		b.fatalf("store after expiry: %.200s", got)
	}
	b.setOnline(true)
	b.navigate("/visits/offline")
	b.settle("nothing shown", `document.getElementById("ov").dataset.ready === "1"`)
	if b.has("#ov-h-0") || !jsEval[bool](b, `!document.getElementById("ov-empty").hidden`) {
		b.fatalf("households shown after expiry")
	}

}

// TestBrowserOfflineRevoked: a device withdrawn on the profile page has its
// data wiped and its queued changes refused with a message saying why.
func TestBrowserOfflineRevoked(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-OR")
	ts.addUser(t, "cm.oe", "case_manager", "HC-OR", testPassword)
	w := newOfflineWorld(t, ts, "OR")
	b := newBrowser(t, ts)
	b.login("cm.oe", testPassword)
	b.open("/")
	b.settle("service worker in control", `navigator.serviceWorker.controller !== null || (navigator.serviceWorker.ready.then(() => location.reload()), false)`)
	// Prepared, a change queued offline, the
	// device withdrawn from the profile page on the office computer; on
	// reconnecting the change is refused, and the device wiped.
	b.prepareVisit(w)
	b.setOnline(false)
	b.editSituationOffline("ข้อความที่ต้องไม่เข้าระบบ")
	profile := b.newDevice()
	profile.login("cm.oe", testPassword)
	profile.open("/profile")
	profile.clickAndWait(".kit-revoke")
	if got := profile.text(".flash"); !strings.HasPrefix(got, "ยกเลิกสิทธิ์อุปกรณ์แล้ว") {
		profile.fatalf("flash %q", got)
	}
	b.setOnline(true)
	b.do("send now", chromedp.Click(chromedp.CSS("#ov-sync"), chromedp.NodeVisible))
	b.settle("refused", `document.getElementById("ov-message").textContent.startsWith("อุปกรณ์นี้ถูกยกเลิกสิทธิ์แล้ว")`)
	if got := b.offlineStore(); got != "none" {
		b.fatalf("store after withdrawal: %.200s", got)
	}
	hv, err := w.db.GetHousehold(t.Context(), w.household.ID, audit.Event{})
	if err != nil || strings.Contains(hv.Household.Situation, "ต้องไม่เข้าระบบ") {
		t.Fatalf("a withdrawn device's change was applied: %q %v", hv.Household.Situation, err)
	}
}

// a11yConflict makes a conflict of userID's on the world's household: two
// kits, two changes of its situation from the same version.
func a11yConflict(t *testing.T, w offlineWorld, userID string) string {
	t.Helper()
	ctx := t.Context()
	base := map[string]string{"address": w.household.Address, "situation": w.household.Situation}
	var ids []string
	for i, value := range []string{"ยายป่วย ต้องมีคนดูแล", "ครอบครัวย้ายไปอยู่บ้านญาติ"} {
		kit, err := w.db.PrepareOfflineKit(ctx, userID, "a11y", "test", []string{w.household.ID}, time.Hour, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := w.db.ApplyOfflineChange(ctx, kit, store.OfflineChange{ID: fmt.Sprintf("a11y-change-%d", i), Kind: store.ChangeHousehold,
			HouseholdID: w.household.ID, BaseVersion: w.household.Version, Base: base, New: map[string]string{"situation": value}}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.Conflicts...)
	}
	if len(ids) != 1 {
		t.Fatalf("conflicts %v", ids)
	}
	return ids[0]
}

// TestBrowserOfflineChildRecords: a nurse prepares a household and, without
// a signal, weighs and measures its child, records a developmental
// screening with a suspected delay, and assesses the child's own flower;
// on reconnecting all three reach the child's record, once each.
func TestBrowserOfflineChildRecords(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-OK")
	ts.addUser(t, "nurse.ok", "health_staff", "HC-OK", testPassword)
	w := newOfflineWorld(t, ts, "OK")
	b := newBrowser(t, ts)
	b.login("nurse.ok", testPassword)
	b.open("/")
	b.settle("service worker in control", `navigator.serviceWorker.controller !== null || (navigator.serviceWorker.ready.then(() => location.reload()), false)`)
	b.prepareVisit(w)
	b.setOnline(false)
	b.navigate("/visits/offline")
	b.setOnline(false)
	b.settle("the child offline", `document.getElementById("ov") && document.getElementById("ov").dataset.ready === "1" && !!document.getElementById("ov-c-0-0")`)
	if got := b.text("#ov-c-0-0 .ov-child-name"); !strings.Contains(got, "น้ำฝน") {
		b.fatalf("child shown as %q", got)
	}

	// Growth: the form of the first kind.
	b.do("open the record", chromedp.Click(chromedp.CSS("#ov-c-0-0 .ov-records summary"), chromedp.NodeVisible))
	b.fill(`#ov-c-0-0 .ov-record input[name="weight_kg"]`, "17.5")
	b.fill(`#ov-c-0-0 .ov-record input[name="height_cm"]`, "108")
	b.do("save the growth", chromedp.Click(chromedp.CSS("#ov-c-0-0 .ov-record button"), chromedp.NodeVisible))
	b.settle("growth queued", `document.getElementById("ov-queue").textContent === "รอส่งเข้าระบบ 1 รายการ"`)

	// A DSPM screening at 60 months, gross motor suspected.
	b.do("open the record", chromedp.Click(chromedp.CSS("#ov-c-0-0 .ov-records summary"), chromedp.NodeVisible))
	if !jsEval[bool](b, `(() => { const f = document.querySelector("#ov-c-0-0 .ov-record");
		f.record_kind.value = "development_screening"; f.record_kind.dispatchEvent(new Event("change"));
		if (f.weight_kg.disabled !== true || f.screening_age.disabled) return false;
		f.screening_age.value = "60";
		for (const d of ["gm", "fm", "rl", "el", "ps"]) f[d].value = d === "gm" ? "suspected" : "pass";
		return true; })()`) {
		b.fatalf("the screening's fields did not replace the growth's")
	}
	b.do("save the screening", chromedp.Click(chromedp.CSS("#ov-c-0-0 .ov-record button"), chromedp.NodeVisible))
	b.settle("screening queued", `document.getElementById("ov-queue").textContent === "รอส่งเข้าระบบ 2 รายการ"`)

	// The child's flower.
	b.do("open the child's flower", chromedp.Click(chromedp.CSS("#ov-c-0-0 .ov-child-flower summary"), chromedp.NodeVisible))
	n := jsEval[int](b, `(() => { const fs = document.querySelectorAll("#ov-c-0-0 .ov-child-flower fieldset");
		fs.forEach(f => f.querySelector("input").click()); return fs.length; })()`)
	if n == 0 {
		b.fatalf("no questions of the child's flower offline")
	}
	b.do("save the child's flower", chromedp.Click(chromedp.CSS("#ov-c-0-0 .ov-child-flower button"), chromedp.NodeVisible))
	b.settle("flower queued", `document.getElementById("ov-queue").textContent === "รอส่งเข้าระบบ 3 รายการ"`)
	if raw := b.offlineStore(); strings.Contains(raw, "17.5") || strings.Contains(raw, "suspected") {
		b.fatalf("queued records stored in plain text")
	}

	b.setOnline(true)
	b.settle("synced", `document.getElementById("ov-queue").textContent === "" && document.getElementById("ov-status").textContent === "ส่งเข้าระบบแล้ว 3 รายการ"`)
	recs, err := w.db.Timeline(t.Context(), w.child.ID, store.TimelineFilter{}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[people.RecordKind]int{}
	for _, r := range recs {
		kinds[r.Kind]++
		switch r.Kind {
		case people.Growth:
			if r.Data.WeightKg != 17.5 || r.Data.HeightCm != 108 {
				t.Errorf("growth %+v", r.Data)
			}
		case people.DevelopmentScreening:
			if r.Data.ScreeningAge != 60 || r.Data.Domains == nil || r.Data.Domains.GM != people.DSPMSuspected || r.Data.Domains.PS != people.DSPMPass {
				t.Errorf("screening %+v", r.Data)
			}
		}
	}
	if kinds[people.Growth] != 1 || kinds[people.DevelopmentScreening] != 1 || len(recs) != 2 {
		t.Fatalf("records on the server: %v", kinds)
	}
	as, err := w.db.ListAssessments(t.Context(), flower.Child, w.child.ID, audit.Event{})
	if err != nil || len(as) != 1 || len(as[0].Answers) != n {
		t.Fatalf("child assessments on the server: %d %v", len(as), err)
	}
}
