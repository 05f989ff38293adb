package main

import (
	"net/http"
	"strings"
	"testing"

	"termtem/internal/people"
)

// A nurse in Lat Krabang finds a child of Nong Chok (the same zone group)
// only as "outside your area", opens the record by breaking the glass with
// a reason, and never finds a child of Phra Nakhon at all.
func TestBrowserBreakTheGlass(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	child := func(district, code, given string) people.Person {
		return personIn(t, db, district, code, given, "ข้ามเขตทดสอบ", "2021-01-01", people.RelChild)
	}
	near := child("1003", "GL1", "น้ำฝน")
	far := child("1001", "GL2", "ฟ้าใส")

	b := newBrowser(t, ts)
	if status := b.login("demo.nurse", demoPassword(t, ts, "demo.nurse")); status != http.StatusOK {
		b.fatalf("login: %d", status)
	}
	b.open("/people")
	b.fill("#q", "ข้ามเขตทดสอบ")
	b.clickAndWait("#search-submit")
	list := b.text("#result-list")
	if !strings.Contains(list, "น้ำฝน") || !strings.Contains(list, "นอกพื้นที่") || strings.Contains(list, "ฟ้าใส") {
		b.fatalf("results %q", list)
	}
	if b.has(`#result-list a[href="/people/` + near.ID + `"]`) {
		b.fatalf("a restricted result links to the record")
	}
	// The record itself leads to the question, not to the data.
	b.open("/people/" + near.ID)
	if b.path() != "/people/"+near.ID+"/break-glass" || strings.Contains(b.bodyText(), "น้ำฝน") {
		b.fatalf("opening the record directly")
	}
	b.fill("#reason", "ดู")
	if status := b.clickAndWait("#glass-submit"); status != http.StatusUnprocessableEntity || !b.has("#reason-error") {
		b.fatalf("a one-word reason: %d", status)
	}
	b.fill("#reason", "เด็กถูกนำส่งศูนย์บริการกลางดึก ต้องดูประวัติวัคซีน")
	if status := b.clickAndWait("#glass-submit"); status != http.StatusOK || b.path() != "/people/"+near.ID {
		b.fatalf("break the glass: %d at %s", status, b.path())
	}
	if !strings.Contains(b.text("#person-name"), "น้ำฝน") {
		b.fatalf("the record did not open")
	}
	if status := b.open("/people/" + far.ID); status != http.StatusNotFound {
		b.fatalf("a child outside the search area: %d", status)
	}
}
