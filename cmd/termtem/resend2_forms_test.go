package main

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/consent"
	"termtem/internal/directory"
	"termtem/internal/imports"
	"termtem/internal/people"
	"termtem/internal/store"
)

// TestResendFormsMore: the creating forms protected after the first
// eighteen — a new community, organisation and user account (a unique code
// used to answer "taken"), break-the-glass (one grant, one notice) and the
// offline visit kit (one key) — sent twice make one thing, and the second
// sending goes where the first went, told so.
func TestResendFormsMore(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	rememberServer(ts)
	db := ts.openDB(t)
	ctx := t.Context()
	hh, _ := flowerHousehold(t, db, "ด.ญ.ส่งซ้ำสอง", "ซ้ำ", 30)
	near := personIn(t, db, "1003", "RS2", "น้ำค้าง", "ส่งซ้ำนอกเขต", "2021-01-01", people.RelChild)
	sub, err := db.GetPlaceByCode(ctx, "101103")
	if err != nil {
		t.Fatal(err)
	}
	district, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	dsw, err := db.GetOrganisationByCode(ctx, "LKB-DSW")
	if err != nil {
		t.Fatal(err)
	}
	family, err := db.GetUserByUsername(ctx, "demo.family")
	if err != nil {
		t.Fatal(err)
	}
	plans, err := db.FamilyPlans(ctx, family.ID, audit.Event{ActorID: family.ID, RequestID: "test"})
	if err != nil || len(plans) != 1 || len(plans[0].Commitments) == 0 {
		t.Fatalf("demo family plan %+v %v", plans, err)
	}
	plan := plans[0]
	rows := rowCounter(t, ts)
	forms := []struct {
		name, user string
		f          resendForm
	}{
		{"place", "demo.admin", resendForm{page: "/places/new?parent=" + sub.ID, form: "place-form", table: "places",
			set: url.Values{"code": {"101103-RS2"}, "name_th": {"ชุมชนส่งซ้ำ"}}, fresh: url.Values{"code": {"101103-RS3"}}}},
		{"organisation", "demo.admin", resendForm{page: "/organisations/new", form: "organisation-form", table: "organisations",
			set: url.Values{"code": {"RS2-ORG"}, "name_th": {"หน่วยงานส่งซ้ำ"}, "active": {"on"},
				"place_id": {district.ID}}, fresh: url.Values{"code": {"RS3-ORG"}}}},
		{"user", "demo.admin", resendForm{page: "/users/new", form: "user-form", table: "users",
			set: url.Values{"username": {"resend.two"}, "display_name": {"ผู้ใช้ส่งซ้ำ"}, "password": {"ส่งซ้ำ-รหัสผ่าน-2569"},
				"org": {dsw.ID}, "role": {account.RoleCaseManager}}, fresh: url.Values{"username": {"resend.three"}}}},
		{"break-glass", "demo.nurse", resendForm{page: "/people/" + near.ID + "/break-glass", form: "glass-form", table: "glass_grants",
			set: url.Values{"reason": {"เด็กถูกนำส่งศูนย์บริการกลางดึก ต้องดูประวัติวัคซีน"}}}},
		{"offline-kit", "demo.socialworker", resendForm{page: "/visits", form: "visits-form", table: "offline_kits",
			set: url.Values{"household_id": {hh.ID}}}},
		{"import-upload", "demo.dataofficer", resendForm{page: "/imports", form: "upload-form", table: "import_jobs",
			file: &formFile{field: "file", name: "children.csv", content: "cid,given_name,family_name,birth_date\n1101700000001,สมใจ,ส่งซ้ำ,01/02/2563\n"}}},
		// A report replaces the period's one: what counts is that the
		// second sending writes nothing (one audit entry per real report).
		{"plan-report", "demo.family", resendForm{page: "/my-plan", form: "progress-form-" + plan.CaseID,
			table: "audit_events WHERE action = '" + store.ActionCommitmentsReported + "'",
			set:   url.Values{"progress." + plan.Commitments[0].ID: {"on_track"}}}},
	}
	clients := map[string]*client{}
	for _, q := range forms {
		t.Run(q.name, func(t *testing.T) {
			sendTwice(t, formClient(t, ts, clients, q.user), rows, q.f)
		})
	}
}

// TestResendFilesTwice: the forms that send a file — a new version of the
// assessment instrument, an HSDS directory file — sent twice publish or
// import once; the second sending is told the first did it.
func TestResendFilesTwice(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	rememberServer(ts)
	db := ts.openDB(t)
	ctx := t.Context()
	rows := rowCounter(t, ts)
	admin := formClient(t, ts, map[string]*client{}, "demo.admin")
	sendFile := func(t *testing.T, page, form, name, content string) (*http.Response, string, func() (*http.Response, string)) {
		t.Helper()
		resp, body := admin.get(t, page, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", page, resp.StatusCode)
		}
		action, values := formValues(t, body, form)
		first, body := admin.postFile(t, action, values, "file", name, content)
		return first, body, func() (*http.Response, string) { return admin.postFile(t, action, values, "file", name, content) }
	}

	t.Run("instrument", func(t *testing.T) {
		list, err := db.ListInstruments(ctx)
		if err != nil || len(list) == 0 {
			t.Fatalf("instruments %v %v", list, err)
		}
		file := func(version int) string {
			t.Helper()
			body, err := db.InstrumentFile(ctx, list[0].Code, list[0].Version)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			doc["version"] = version
			out, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			return string(out)
		}
		before := rows("instruments")
		first, body, again := sendFile(t, "/instruments", "publish-form", "flower.json", file(list[0].Version+1))
		if first.StatusCode != http.StatusSeeOther || flashOf(first) != "flash.instrument_published" {
			t.Fatalf("first: %d %q %.400q", first.StatusCode, flashOf(first), formError(body))
		}
		if resp, body := again(); resp.StatusCode != http.StatusSeeOther || flashOf(resp) != "flash.resend2_instrument" {
			t.Fatalf("again: %d %q %.400q (not \"the version is no longer the next\")", resp.StatusCode, flashOf(resp), formError(body))
		}
		if n := rows("instruments"); n != before+1 {
			t.Fatalf("%d instruments after the file sent twice, want %d", n, before+1)
		}
	})

	t.Run("hsds", func(t *testing.T) {
		// A directory entry as another directory exports it, without the
		// ID it had there: a new entry here.
		resp, body := admin.get(t, "/services/hsds.json", nil)
		var page directory.HSDSPage
		if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &page) != nil || len(page.Contents) == 0 {
			t.Fatalf("export: %d %.200q", resp.StatusCode, body)
		}
		entry := page.Contents[0]
		entry.ID, entry.Name = "", "บริการนำเข้าส่งซ้ำ"
		file, err := json.Marshal([]directory.HSDSService{entry})
		if err != nil {
			t.Fatal(err)
		}
		before := rows("services")
		first, body, again := sendFile(t, "/services/import", "import-form", "directory.json", string(file))
		if first.StatusCode != http.StatusOK || rows("services") != before+1 {
			t.Fatalf("first: %d, %d services (want %d) %.400q", first.StatusCode, rows("services"), before+1, formError(body))
		}
		if resp, body := again(); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/services" ||
			flashOf(resp) != "flash.resend2_services_import" {
			t.Fatalf("again: %d to %s %q %.400q", resp.StatusCode, resp.Header.Get("Location"), flashOf(resp), formError(body))
		}
		if n := rows("services"); n != before+1 {
			t.Fatalf("%d services after the file sent twice, want %d", n, before+1)
		}
	})
}

// TestResendSettled: acts whose wish already holds the second time — a
// person erased, a kit withdrawn, a restriction set, a correction request
// resolved — answer the second sending by saying so, on the page it leads
// to, instead of an error; and they do nothing twice.
func TestResendSettled(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	rememberServer(ts)
	db := ts.openDB(t)
	ctx := t.Context()
	hh, child := flowerHousehold(t, db, "ด.ช.ทำแล้ว", "แล้ว", 50)
	clients := map[string]*client{}
	worker := formClient(t, ts, clients, "demo.socialworker")
	rows := rowCounter(t, ts)
	twice := func(t *testing.T, cl *client, path string, values url.Values, firstFlash, againFlash string) string {
		t.Helper()
		first, body := cl.post(t, path, values, nil)
		if first.StatusCode != http.StatusSeeOther || flashOf(first) != firstFlash {
			t.Fatalf("first: %d %q %.400q", first.StatusCode, flashOf(first), formError(body))
		}
		again, body := cl.post(t, path, values, nil)
		if again.StatusCode != http.StatusSeeOther || again.Header.Get("Location") != first.Header.Get("Location") || flashOf(again) != againFlash {
			t.Fatalf("again: %d to %s (first to %s) %q, want %q %.400q", again.StatusCode, again.Header.Get("Location"),
				first.Header.Get("Location"), flashOf(again), againFlash, formError(body))
		}
		// The page it leads to says it, in words.
		resp, page := cl.get(t, again.Header.Get("Location"), nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `class="flash`) {
			t.Fatalf("the page after: %d, no message", resp.StatusCode)
		}
		return page
	}

	t.Run("restriction", func(t *testing.T) {
		sibling, err := db.CreatePerson(ctx, people.Person{HouseholdID: hh.ID, GivenName: "ด.ญ.จำกัด", FamilyName: "ทำแล้ว", Sex: people.Female,
			BirthDate: "2019-04-02", Relation: people.RelChild}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		resp, page := worker.get(t, "/people/"+sibling.ID+"/rights", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("rights: %d", resp.StatusCode)
		}
		action, values := formValues(t, page, "restrict-form")
		values.Set("reason", "มารดาคัดค้านการเปิดเผยนอกทีมดูแล")
		before := personNow(t, db, sibling.ID).Version
		// The worker is not on the child's care team: restricted, the
		// child is out of their sight, and the second sending is told it
		// holds all the same (not "not found").
		twice(t, worker, action, values, "flash.restriction_set", "flash.resend2_already_restricted")
		if p := personNow(t, db, sibling.ID); p.Version != before+1 {
			t.Fatalf("version %d after the restriction sent twice, want %d", p.Version, before+1)
		}
		// Lifted by the care team; the old form to restrict is then stale:
		// it does not restrict again behind their back.
		if err := db.SetRestricted(ctx, sibling.ID, before+1, false, "มารดาถอนคำคัดค้าน", audit.Event{}); err != nil {
			t.Fatal(err)
		}
		if resp, body := worker.post(t, action, values, nil); resp.StatusCode != http.StatusPreconditionFailed || !strings.Contains(body, "มีผู้อื่นแก้ไขรายการนี้ก่อนคุณ") {
			t.Fatalf("an old form to restrict after the lifting: %d, want 412 (changed by someone else)", resp.StatusCode)
		}
	})

	t.Run("rectification", func(t *testing.T) {
		rec, err := db.RequestRectification(ctx, child.ID, "ชื่อสะกดผิด", "มารดา", audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		twice(t, worker, "/rectifications/"+rec.ID+"/resolve", url.Values{"resolution": {"แก้ชื่อแล้ว"}, "person": {child.ID}},
			"flash.rectification_resolved", "flash.resend2_already_resolved")
	})

	t.Run("kit", func(t *testing.T) {
		u, err := db.GetUserByUsername(ctx, "demo.socialworker")
		if err != nil {
			t.Fatal(err)
		}
		kit, err := db.PrepareOfflineKit(ctx, u.ID, "test-session", "ทดสอบ", []string{hh.ID}, time.Hour, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		twice(t, worker, "/visits/kits/"+kit.ID+"/revoke", url.Values{}, "flash.kit_revoked", "flash.resend2_kit_revoked")
		// Someone else's kit is still not theirs to hear of.
		nurse := formClient(t, ts, clients, "demo.nurse")
		if resp, _ := nurse.post(t, "/visits/kits/"+kit.ID+"/revoke", url.Values{}, nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("another user's kit: %d, want 404", resp.StatusCode)
		}
	})

	t.Run("consent-withdraw", func(t *testing.T) {
		c, err := db.RecordConsent(ctx, consent.Grant{PersonID: child.ID, Basis: consent.Consent, Purposes: []consent.Purpose{consent.ForReferral},
			GivenBy: "mother", GiverName: "นางสายใจ รักดี", GivenOn: "2026-10-01"}, orgID(t, db, "LKB-DSW"), audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		twice(t, worker, "/consents/"+c.ID+"/withdraw", url.Values{"reason": {"มารดาขอถอน"}}, "flash.consent_withdrawn",
			"flash.resend2_consent_withdrawn")
	})

	t.Run("birth", func(t *testing.T) {
		mother, err := db.CreatePerson(ctx, people.Person{HouseholdID: hh.ID, GivenName: "นางแม่", FamilyName: "คลอดแล้ว", Sex: people.Female,
			BirthDate: "1995-04-02", Relation: people.RelSpouse}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		pr, err := db.CreatePregnancy(ctx, mother.ID, time.Now().AddDate(0, 1, 0).Format("2006-01-02"), audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		before := rows("people")
		first := twice(t, worker, "/people/"+mother.ID+"/pregnancies/"+pr.ID+"/birth", url.Values{"given_name": {"ทารก"},
			"family_name": {"คลอดแล้ว"}, "sex": {"female"}, "birth_date": {time.Now().AddDate(543, 0, 0).Format("02/01/2006")}},
			"flash.birth_saved", "flash.resend2_birth")
		if n := rows("people"); n != before+1 || !strings.Contains(first, "ทารก") {
			t.Fatalf("%d people after the birth sent twice, want %d", n, before+1)
		}
	})

	t.Run("push-removal", func(t *testing.T) {
		sub, err := db.SavePushSubscription(ctx, userID(t, db, "demo.socialworker"), store.PushSubscription{Endpoint: "https://push.example/rs2",
			// an RFC 8291 example key
			P256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", Auth: "BTBZMqHH6r4Tts7J_aSIgg", Device: "Android · Chrome"}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		twice(t, worker, "/profile/push/"+sub.ID+"/delete", url.Values{}, "flash.push_revoked", "flash.resend2_push_removed")
	})

	t.Run("import-start", func(t *testing.T) {
		officer := formClient(t, ts, clients, "demo.dataofficer")
		resp, page := officer.get(t, "/imports", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("imports: %d", resp.StatusCode)
		}
		action, values := formValues(t, page, "upload-form")
		up, body := officer.postFile(t, action, values, "file", "bundle.json", `{"resourceType": "Bundle", "type": "collection", "entry": []}`)
		if up.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %.400q", up.StatusCode, formError(body))
		}
		mapping := up.Header.Get("Location")
		resp, page = officer.get(t, mapping, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("mapping: %d", resp.StatusCode)
		}
		start, values := formValues(t, page, "mapping-form")
		first, body := officer.post(t, start, values, nil)
		if first.StatusCode != http.StatusSeeOther {
			t.Fatalf("start: %d %.400q", first.StatusCode, formError(body))
		}
		again, _ := officer.post(t, start, values, nil)
		if again.StatusCode != http.StatusSeeOther || again.Header.Get("Location") != first.Header.Get("Location") ||
			flashOf(again) != "flash.resend2_import_started" {
			t.Fatalf("started again: %d to %s %q", again.StatusCode, again.Header.Get("Location"), flashOf(again))
		}
		// Resuming what is done: told, not refused (once the background
		// run has finished; the wait is for it, not a timing check).
		jobID := strings.TrimPrefix(first.Header.Get("Location"), "/imports/")
		for i := 0; ; i++ {
			j, err := db.ImportJob(ctx, jobID)
			if err != nil {
				t.Fatal(err)
			}
			if j.Status == imports.Done {
				break
			}
			if i == 600 {
				t.Fatalf("the empty bundle's import is %s after a minute", j.Status)
			}
			time.Sleep(100 * time.Millisecond)
		}
		resume, _ := officer.post(t, first.Header.Get("Location")+"/resume", url.Values{}, nil)
		if resume.StatusCode != http.StatusSeeOther || flashOf(resume) != "flash.resend2_import_done" {
			t.Fatalf("resume: %d %q", resume.StatusCode, flashOf(resume))
		}
	})

	t.Run("unmerge", func(t *testing.T) {
		org := dataOfficerOrg(t, db)
		pairID := linkageTestPair(t, db, org)
		pair, err := db.GetPair(ctx, []string{org}, pairID, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.LinkPair(ctx, []string{org}, pairID, pair.Version, audit.Event{}); err != nil {
			t.Fatal(err)
		}
		officer := formClient(t, ts, clients, "demo.dataofficer")
		twice(t, officer, "/linkage/pairs/"+pairID+"/unmerge", url.Values{}, "flash.linkage_unmerged", "flash.resend2_unmerged")
	})

	t.Run("erase", func(t *testing.T) {
		aunt, err := db.CreatePerson(ctx, people.Person{HouseholdID: hh.ID, GivenName: "นางป้า", FamilyName: "ลบแล้ว", Sex: people.Female,
			BirthDate: "1980-04-02", Relation: people.RelOther}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		twice(t, worker, "/people/"+aunt.ID+"/erase", url.Values{"confirm": {"yes"}}, "flash.person_erased", "flash.resend2_already_erased")
		// Only the one who erased is told: to anyone else the ID is unknown.
		other := formClient(t, ts, clients, "demo.nurse")
		if resp, body := other.post(t, "/people/"+aunt.ID+"/erase", url.Values{"confirm": {"yes"}}, nil); resp.StatusCode == http.StatusSeeOther ||
			strings.Contains(body, "ลบไปแล้ว") {
			t.Fatalf("another user erasing the erased: %d %q", resp.StatusCode, flashOf(resp))
		}
	})
}

// personNow reads a person as the database holds them now.
func personNow(t *testing.T, db *store.DB, id string) people.Person {
	t.Helper()
	p, err := db.GetPerson(t.Context(), id, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// postFile sends a form with a file, as a browser sends a form of
// enctype multipart/form-data: the fields first, in order, then the file.
func (c *client) postFile(t *testing.T, path string, form url.Values, field, name, content string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(form)) {
		if k == field {
			continue
		}
		for _, v := range form[k] {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(fw, content); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", c.base+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.base)
	return c.do(t, req)
}
