package main

import (
	"database/sql"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/committees"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// TestResendForms: every creating form (besides the service record, the
// referral and the case, which the browser test covers) carries a one-time
// nonce. Sent twice, as a double tap or back-and-send does, the form makes
// one thing: the second sending is sent on to what the first made, with
// the message saying so. Sent without its nonce (a form opened before the
// user last signed in), it makes nothing and says why.
func TestResendForms(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	rememberServer(ts) // the demo accounts' authenticator secrets
	db := ts.openDB(t)
	ctx := t.Context()
	hh, child := flowerHousehold(t, db, "ด.ช.ส่งสอง", "สอง", 40)
	actor := audit.Event{RequestID: "test"}
	mother, err := db.CreatePerson(ctx, people.Person{HouseholdID: hh.ID, GivenName: "นางมาลี", FamilyName: "รักดี", Sex: people.Female,
		BirthDate: "1996-04-02", Relation: people.RelSpouse}, actor)
	if err != nil {
		t.Fatal(err)
	}
	user, org := func(name string) string { return userID(t, db, name) }, func(code string) string { return orgID(t, db, code) }
	dsw, cpc := org("LKB-DSW"), org("LKB-CPC")
	c, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: child.ID, Risk: cases.RiskMedium, Origin: cases.FromWorker,
		OrganisationID: dsw, ManagerID: user("demo.socialworker")}, actor)
	if err != nil {
		t.Fatal(err)
	}
	// A lesson is written on a closed case.
	by := audit.Event{ActorID: user("demo.socialworker"), RequestID: "test"}
	if c, err = db.MoveCase(ctx, c.ID, c.Version, cases.Active, "", by); err != nil {
		t.Fatal(err)
	}
	if c, err = db.MoveCase(ctx, c.ID, c.Version, cases.Closed, "ครอบครัวปลอดภัย", by); err != nil {
		t.Fatal(err)
	}
	meeting, err := db.SaveMeeting(ctx, committees.Meeting{CommitteeID: cpc, Title: "ประชุมทดสอบ", HeldOn: "2026-10-01"},
		audit.Event{ActorID: user("demo.secretary"), RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}

	rows := rowCounter(t, ts)

	forms := []struct {
		name, user, page, form, table string
		set                           url.Values
	}{
		{"person", "demo.socialworker", "/people/new?household=" + hh.ID, "person-form", "people",
			url.Values{"given_name": {"ด.ญ.ใหม่"}, "family_name": {"รักดี"}, "sex": {"female"}, "birth_date": {"01/02/2566"},
				"relationship": {"child"}, "confirm_new": {"on"}}},
		{"household", "demo.socialworker", "/households/new", "household-form", "households",
			url.Values{"address": {"99 ซอยทดสอบส่งซ้ำ"}, "community_id": {hh.CommunityID}}},
		{"pregnancy", "demo.socialworker", "/people/" + mother.ID, "pregnancy-form", "pregnancies",
			url.Values{"expected_date": {"01/03/2570"}}},
		{"assessment", "demo.socialworker", "/people/" + child.ID + "/assess", "assess-form", "assessments",
			url.Values{"a.SAF03": {"alone_or_repeated"}}},
		{"consent", "demo.socialworker", "/people/" + child.ID + "/consents", "consent-form", "consents",
			url.Values{"organisation_id": {dsw}, "basis": {"consent"}, "purposes": {"referral"}, "given_by": {"mother"},
				"giver_name": {"นางสายใจ รักดี"}, "given_on": {"01/10/2569"}}},
		{"rectification", "demo.socialworker", "/people/" + child.ID + "/rights", "rectify-form", "rectification_requests",
			url.Values{"what": {"นามสกุลสะกดผิด"}, "asked_by": {"มารดา"}}},
		{"meeting", "demo.secretary", "/meetings/new?committee=" + cpc, "meeting-form", "committee_meetings",
			url.Values{"title": {"ประชุมครั้งที่ 2"}, "held_on": {"02/10/2569"}}},
		{"resolution", "demo.secretary", "/meetings/" + meeting.ID, "resolution-form", "resolutions",
			url.Values{"text": {"ติดตามเด็กที่ขาดเรียน"}, "due_on": {"01/12/2569"}}},
		{"constraint", "demo.secretary", "/constraints/new?organisation=" + cpc, "constraint-form", "system_constraints",
			url.Values{"title": {"ขาดนักจิตวิทยา"}, "description": {"ไม่มีนักจิตวิทยาเด็กในเขต"}}},
		{"lesson", "demo.socialworker", "/lessons/new?case=" + c.ID, "lesson-form", "lessons",
			url.Values{"situation": {"เด็กถูกปล่อยไว้ลำพัง"}, "lesson": {"เยี่ยมบ้านตอนเย็น"}}},
		{"service", "demo.supervisor", "/services/new", "service-form", "services",
			url.Values{"name_th": {"บริการทดสอบส่งซ้ำ"}}},
	}
	clients := map[string]*client{}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			sendTwice(t, formClient(t, ts, clients, f.user), rows, resendForm{page: f.page, form: f.form, table: f.table, set: f.set})
		})
	}
}

// resendForm is a creating form to send twice: where it is (page, the
// form's id), what it makes (rows of table), what is filled in (set, over
// what the page gives), and what a fresh form changes (fresh: a unique
// code the first sending took).
type resendForm struct {
	page, form, table string
	set, fresh        url.Values
	file              *formFile // a form that sends a file (multipart)
}

// formFile is the file a form sends.
type formFile struct {
	field, name, content string
}

// formClient is a signed-in client of a demo user, one per user.
func formClient(t *testing.T, ts *testServer, clients map[string]*client, user string) *client {
	t.Helper()
	if cl := clients[user]; cl != nil {
		return cl
	}
	cl := newClient(t, ts.URL)
	resp, _ := login(t, cl, user, demoPassword(t, ts, user))
	if resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/login/mfa" {
		// A role that sees sensitive notes: the code of its authenticator.
		resp, _ = cl.post(t, "/login/mfa", url.Values{"code": {nextTOTP(t, ts.URL, user)}}, nil)
	}
	if resp.StatusCode != http.StatusSeeOther || strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("login %s: %d to %s", user, resp.StatusCode, resp.Header.Get("Location"))
	}
	clients[user] = cl
	return cl
}

// sendTwice sends a creating form without its nonce (nothing made, a clear
// answer), then twice as a double tap or back-and-send does (one made; the
// second goes where the first went, with a flash.resend message), then a
// freshly opened one (made: the user is not locked out).
func sendTwice(t *testing.T, cl *client, rows func(string) int, f resendForm) {
	t.Helper()
	open := func() (string, url.Values) {
		t.Helper()
		resp, page := cl.get(t, f.page, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", f.page, resp.StatusCode)
		}
		action, values := formValues(t, page, f.form)
		for k, v := range f.set {
			values[k] = v
		}
		return action, values
	}
	send := func(action string, values url.Values) (*http.Response, string) {
		t.Helper()
		if f.file == nil {
			return cl.post(t, action, values, nil)
		}
		return cl.postFile(t, action, values, f.file.field, f.file.name, f.file.content)
	}
	before := rows(f.table)

	// Without a nonce: nothing made, and a clear answer.
	action, values := open()
	stale := url.Values{}
	for k, v := range values {
		if k != "nonce" && k != "nonce_page" {
			stale[k] = v
		}
	}
	resp, body := send(action, stale)
	if n := rows(f.table); n != before {
		t.Fatalf("sent without a nonce: %d rows, want %d", n, before)
	}
	if !staleAnswer(resp, body) {
		t.Fatalf("sent without a nonce: %d %q, want the form-opened-before-signing-in message", resp.StatusCode, flashOf(resp))
	}

	// Sent, then the same form again: one made; the second goes where the first went.
	if values.Get("nonce_page") == "" {
		t.Fatalf("the form carries no nonce: %v", values)
	}
	first, body := send(action, values)
	if first.StatusCode != http.StatusSeeOther {
		t.Fatalf("first sending: %d %.400q", first.StatusCode, formError(body))
	}
	again, _ := send(action, values)
	if again.StatusCode != http.StatusSeeOther || again.Header.Get("Location") != first.Header.Get("Location") ||
		!strings.HasPrefix(flashOf(again), "flash.resend") {
		t.Fatalf("sent again: %d to %s (first to %s), flash %q", again.StatusCode, again.Header.Get("Location"),
			first.Header.Get("Location"), flashOf(again))
	}
	if n := rows(f.table); n != before+1 {
		t.Fatalf("%d rows after the same form twice, want %d", n, before+1)
	}
	// A fresh page is a fresh form: the user is not locked out.
	action, values = open()
	for k, v := range f.fresh {
		values[k] = v
	}
	if fresh, body := send(action, values); fresh.StatusCode != http.StatusSeeOther || strings.HasPrefix(flashOf(fresh), "flash.resend") {
		t.Fatalf("a fresh form: %d %q %.400q", fresh.StatusCode, flashOf(fresh), formError(body))
	}
	if n := rows(f.table); n != before+2 {
		t.Fatalf("%d rows after a fresh form, want %d", n, before+2)
	}
}

// rowCounter counts a table's rows, straight from the server's database.
func rowCounter(t *testing.T, ts *testServer) func(table string) int {
	driver, dsn := "sqlite", filepath.Join(ts.getenv("TERMTEM_DATA"), store.SQLiteFileName)
	if u := ts.getenv("TERMTEM_DATABASE_URL"); u != "" {
		driver, dsn = "pgx", u
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return func(table string) int {
		t.Helper()
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
}

// staleAnswer reports whether a form sent without its nonce was answered
// with the message that it was opened before the last sign-in: on the form
// again (409), or on the page it came from.
func staleAnswer(resp *http.Response, body string) bool {
	if resp.StatusCode == http.StatusSeeOther {
		return flashOf(resp) == "flash.resend_stale"
	}
	return resp.StatusCode == http.StatusConflict && strings.Contains(body, "แบบฟอร์มนี้เปิดไว้ก่อนการเข้าสู่ระบบครั้งล่าสุด")
}

// flashOf is the message ID a redirect leaves for the next page.
func flashOf(resp *http.Response) string {
	for _, c := range resp.Cookies() {
		if c.Name == "termtem_flash" {
			v, _ := url.QueryUnescape(c.Value)
			return v
		}
	}
	return ""
}

// formError is the error a form shows, for failure messages.
func formError(page string) string {
	if i := strings.Index(page, `id="form-error"`); i >= 0 {
		return page[i:min(len(page), i+400)]
	}
	if i := strings.Index(page, `<main`); i >= 0 {
		return page[i:min(len(page), i+400)]
	}
	return page
}

// formValues reads a form of a page as a browser would send it untouched:
// its action, and its fields' values (text, hidden, checked boxes, the
// selected or first option, text areas).
func formValues(t *testing.T, page, id string) (string, url.Values) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val, true
			}
		}
		return "", false
	}
	var form *html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "form" {
			if v, _ := attr(n, "id"); v == id {
				form = n
				break
			}
		}
	}
	if form == nil {
		t.Fatalf("no form #%s on the page: %.600q", id, formError(page))
	}
	values := url.Values{}
	for n := range form.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		name, ok := attr(n, "name")
		if !ok {
			continue
		}
		switch n.Data {
		case "input":
			typ, _ := attr(n, "type")
			if _, checked := attr(n, "checked"); (typ == "checkbox" || typ == "radio") && !checked {
				continue
			}
			v, _ := attr(n, "value")
			if _, fills := attr(n, "data-form-once"); fills {
				v, _ = attr(n, "data-form-once") // what static/app.js puts in
			}
			values.Add(name, v)
		case "textarea":
			text := ""
			for c := range n.ChildNodes() {
				text += c.Data
			}
			values.Add(name, text)
		case "select":
			var first, chosen string
			found := false
			for o := range n.Descendants() {
				if o.Type != html.ElementNode || o.Data != "option" {
					continue
				}
				v, _ := attr(o, "value")
				if !found {
					first, found = v, true
				}
				if _, sel := attr(o, "selected"); sel {
					chosen = v
				}
			}
			if chosen == "" {
				chosen = first
			}
			values.Add(name, chosen)
		}
	}
	action, _ := attr(form, "action")
	return action, values
}
