package main

import (
	"bytes"
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
	}
	clients := map[string]*client{}
	for _, q := range forms {
		t.Run(q.name, func(t *testing.T) {
			sendTwice(t, formClient(t, ts, clients, q.user), rows, q.f)
		})
	}
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
