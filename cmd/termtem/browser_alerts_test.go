package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/store"
)

// An urgent alert (a child left alone) goes to the district's
// social-welfare unit; nobody acknowledges it, so 25 hours later it is the
// supervisor's and 25 hours after that the committee secretary's, who may
// not read what it is about; the social worker then acknowledges it (first
// from a page read before the escalation: stale) and resolves it. An older
// red alert shows as overdue. Time moves through store handles on the same
// database with their clocks set ahead, as the server's escalation job
// would see it.
func TestBrowserAlertsEscalate(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	ctx := t.Context()
	hh, child := flowerHousehold(t, db, "ด.ช.ภูผา", "ภู", 30)
	dsw, err := db.GetOrganisationByCode(ctx, "LKB-DSW")
	if err != nil {
		t.Fatal(err)
	}
	worker, err := db.GetUserByUsername(ctx, "demo.socialworker")
	if err != nil {
		t.Fatal(err)
	}
	by := audit.Event{ActorID: worker.ID, RequestID: "test"}
	a, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: child.ID,
		Answers: map[string]flower.Answer{"SAF03": {Option: "alone_or_repeated"}}, Source: store.ByStaff,
		OrganisationID: dsw.ID, AuthorID: worker.ID}, by)
	if err != nil {
		t.Fatal(err)
	}
	var urgent store.Alert
	for _, al := range a.Alerts {
		if al.Key == "urgent:SAF03" {
			urgent = al
		}
	}
	if urgent.ID == "" || urgent.OrganisationID != dsw.ID {
		t.Fatalf("alerts opened: %+v", a.Alerts)
	}
	// A household found without income eight days ago: its red alert
	// (7 days) is overdue now.
	past := ts.openDB(t)
	past.Now = func() time.Time { return time.Now().Add(-8 * 24 * time.Hour) }
	old, err := past.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Household, SubjectID: hh.ID,
		Answers: map[string]flower.Answer{"ECO02": {Option: "none"}}, Source: store.ByStaff, OrganisationID: dsw.ID, AuthorID: worker.ID}, by)
	if err != nil || len(old.Alerts) != 1 || old.Alerts[0].Key != "red:economy" {
		t.Fatalf("household alert %+v %v", old.Alerts, err)
	}
	overdue := old.Alerts[0]
	card := "#alert-" + urgent.ID

	sw := newBrowser(t, ts)
	sw.phone()
	if status := sw.login("demo.socialworker", demoPassword(t, ts, "demo.socialworker")); status != http.StatusOK {
		sw.fatalf("login: %d", status)
	}
	sw.clickLinkAndWait("header nav", thAlertsNav)
	if sw.path() != "/alerts" || sw.text("h1") != thAlertsNav || sw.jsAttr("#tab-open", "aria-current") != "page" {
		sw.fatalf("inbox: %s %q", sw.path(), sw.text("h1"))
	}
	if got := sw.text(card + " .severity"); got != "‼ เร่งด่วน" {
		sw.fatalf("severity %q", got)
	}
	if got := sw.text(card + " .alert-about a"); got != "ภูผา รักดี" || sw.jsAttr(card+" .alert-about a", "href") != "/people/"+child.ID {
		sw.fatalf("about %q → %s", got, sw.jsAttr(card+" .alert-about a", "href"))
	}
	if got := sw.text(card + " .alert-dimension"); got != "สวัสดิภาพ" {
		sw.fatalf("dimension %q", got)
	}
	// The social worker may read safety matters.
	if got := sw.text(card + " .alert-indicators"); got != "ปล่อยเด็กไว้ตามลำพัง" {
		sw.fatalf("indicators %q", got)
	}
	if sw.has(card+" .overdue-mark") || sw.has(card+" .escalated") {
		sw.fatalf("a fresh alert marked overdue or escalated")
	}
	if got := sw.text(card + " .alert-due"); !strings.Contains(got, "25") || !strings.Contains(got, "น.") {
		sw.fatalf("deadline %q is not a B.E. date with a time", got)
	}
	if got := sw.text("#alert-" + overdue.ID + " .overdue-mark"); got != "⏰ เลยกำหนดแล้ว" {
		sw.fatalf("overdue mark %q", got)
	}
	sw.fitsPhone("alerts")
	sw.screenshot("alerts-phone-th")

	// 25 hours on, nobody has acknowledged it: the supervisor's.
	escalate := func(ahead time.Duration) {
		t.Helper()
		later := ts.openDB(t)
		later.Now = func() time.Time { return time.Now().Add(ahead) }
		if n, err := later.EscalateAlerts(ctx); err != nil || n < 1 {
			t.Fatalf("escalate at +%s: %d %v", ahead, n, err)
		}
	}
	escalate(25 * time.Hour)
	sup := sw.newDevice()
	if status := sup.login("demo.supervisor", demoPassword(t, ts, "demo.supervisor")); status != http.StatusOK {
		sup.fatalf("supervisor login: %d", status)
	}
	sup.open("/alerts")
	if got := sup.text("#to-me-" + urgent.ID); got != "⬆ "+thToMeSupervisor {
		sup.fatalf("supervisor's badge %q", got)
	}
	if got := sup.text(card + " .alert-indicators"); got != "ปล่อยเด็กไว้ตามลำพัง" {
		sup.fatalf("supervisor's indicators %q", got)
	}
	sec := sw.newDevice()
	if status := sec.login("demo.secretary", demoPassword(t, ts, "demo.secretary")); status != http.StatusOK {
		sec.fatalf("secretary login: %d", status)
	}
	sec.clickLinkAndWait("header nav", thAlertsNav)
	if sec.has(card) {
		sec.fatalf("the committee sees the alert at the first escalation")
	}

	// A further 25 hours: the committee secretary's, who may not read
	// safety matters.
	escalate(50 * time.Hour)
	sec.open("/alerts")
	if got := sec.text("#to-me-" + urgent.ID); got != "⬆ "+thToMeCommittee {
		sec.fatalf("secretary's badge %q", got)
	}
	if got := sec.text(card + " .alert-indicators"); got != "🔒 "+thRestrictedShort {
		sec.fatalf("secretary reads %q", got)
	}
	sec.screenshot("alerts-committee-desktop-th")

	// The social worker's page was read before both escalations: stale.
	if status := sw.clickAndWait("#ack-" + urgent.ID); status != http.StatusPreconditionFailed && status != http.StatusConflict {
		sw.fatalf("stale acknowledge: %d", status)
	}
	if got := sw.text("#form-error"); got != thStale {
		sw.fatalf("stale message %q", got)
	}
	// The fresh page says where it went.
	if got := sw.text(card + " .alert-head .badge"); got != "ส่งต่อถึงคณะกรรมการแล้ว" {
		sw.fatalf("escalation shown to the unit %q", got)
	}
	if status := sw.clickAndWait("#ack-" + urgent.ID); status != http.StatusOK || sw.text(".flash") != thAcknowledged {
		sw.fatalf("acknowledge: %d %q", status, sw.text(".flash"))
	}
	if sw.has(card) {
		sw.fatalf("an acknowledged alert stays among the waiting ones")
	}
	sw.clickAndWait("#tab-acknowledged")
	if sw.path() != "/alerts?status=acknowledged" || !sw.has(card) || sw.has("#ack-"+urgent.ID) {
		sw.fatalf("acknowledged tab at %s", sw.path())
	}
	// Resolving needs a word on what was done (the browser asks first;
	// the server too).
	jsEval[bool](sw, `(() => { document.getElementById("resolution-`+urgent.ID+`").required = false; return true })()`)
	if status := sw.clickAndWait("#resolve-" + urgent.ID); status != http.StatusUnprocessableEntity {
		sw.fatalf("empty resolution: %d", status)
	}
	if got := sw.text("#resolution-" + urgent.ID + "-error"); got != thRequired {
		sw.fatalf("resolution error %q", got)
	}
	sw.fill("#resolution-"+urgent.ID, "เยี่ยมบ้านแล้ว ยายมาดูแลตอนกลางวัน")
	if status := sw.clickAndWait("#resolve-" + urgent.ID); status != http.StatusOK || sw.text(".flash") != thResolved {
		sw.fatalf("resolve: %d %q", status, sw.text(".flash"))
	}
	sw.clickAndWait("#tab-resolved")
	if got := sw.text(card + " .alert-resolution"); got != "เยี่ยมบ้านแล้ว ยายมาดูแลตอนกลางวัน" {
		sw.fatalf("resolution shown %q", got)
	}
	if a, err := db.GetAlert(ctx, urgent.ID, worker.ID); err != nil || a.Status != store.AlertResolved || a.Escalation != store.EscalationCommittee {
		t.Fatalf("stored alert %+v %v", a, err)
	}
	// Nobody else's: a nurse has no inbox entry for it.
	nurse := sw.newDevice()
	nurse.login("demo.nurse", demoPassword(t, ts, "demo.nurse"))
	nurse.open("/alerts?status=resolved")
	if nurse.has(card) {
		nurse.fatalf("the nurse sees the unit's alert")
	}
}
