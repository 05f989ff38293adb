package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/auth"
	"termtem/internal/locale"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/server"
	"termtem/internal/store/storetest"
)

// TestCanariesNeverLeak plants a fake HIV note and a national ID on a
// child, and a password, a session and an API token on a user; then, as a
// teacher of the child's district without sensitive:health, a case
// manager of another district and an anonymous client, it asks every GET
// route of the route table with the child's and household's IDs, unknown
// IDs and malformed bodies, and checks that no canary appears in a
// response body, header or redirect, nor in the server's log.
func TestCanariesNeverLeak(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ctx := t.Context()
	db := ts.openDB(t)
	svc, err := auth.New(db, account.SessionRules{Idle: time.Hour, Absolute: time.Hour}, storetest.FastHash())
	if err != nil {
		t.Fatal(err)
	}
	random := func() string {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	}
	hiv := "CANARY-HIV-" + random()
	password := "Canary-Pw-" + random()
	nid := testNationalID(fmt.Sprintf("1%011d", time.Now().UnixNano()%1e11))

	hc := ts.addOrganisation(t, "HC-CAN")
	latKrabang, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	school, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "SCH-CAN", Kind: organisations.School, NameTH: "โรงเรียนนกขมิ้น",
		PlaceID: latKrabang.ID, Active: true}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	phraNakhon, err := db.GetPlaceByCode(ctx, "1001")
	if err != nil {
		t.Fatal(err)
	}
	far, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "DSW-FAR", Kind: organisations.DistrictSocialWelfare, NameTH: "ฝ่ายพัฒนาสังคมพระนคร",
		PlaceID: phraNakhon.ID, Active: true}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := db.GetPlaceByCode(ctx, "101103")
	if err != nil {
		t.Fatal(err)
	}
	community, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-CAN", NameTH: "ชุมชนเฝ้าระวัง", ParentID: sub.ID}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	household, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	child, err := db.CreatePerson(ctx, people.Person{GivenName: "ด.ญ.นกขมิ้น", FamilyName: "ทดสอบรั่ว", BirthDate: "2019-03-03", NationalID: nid,
		HouseholdID: household.ID, Relation: people.RelChild}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	user := func(name, role, org, pw string) account.User {
		u, err := svc.CreateUser(ctx, account.User{Username: name, DisplayName: "ผู้ทดสอบ " + name, Kind: account.StaffAccount, Lang: "th",
			Memberships: []account.Membership{{OrganisationID: org, RoleCode: role}}}, pw, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	nurse := user("can.nurse", account.RoleHealthStaff, hc.ID, password)
	if _, err := db.AddRecord(ctx, people.Record{PersonID: child.ID, Kind: people.Condition, OccurredOn: "2025-05-05", OrganisationID: hc.ID,
		AuthorID: nurse.ID, Sensitivity: people.SensitiveHealth, Data: people.RecordData{Condition: "hiv", Note: hiv}}, audit.Event{ActorID: nurse.ID}); err != nil {
		t.Fatal(err)
	}
	// The nurse's session and token are canaries too: a login through the
	// real form, so that the password passes through the server once.
	nc := newClient(t, ts.URL)
	resp, _ := login(t, nc, "can.nurse", password)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("nurse login: %d", resp.StatusCode)
	}
	var session string
	for _, c := range resp.Cookies() {
		if len(c.Value) >= 20 {
			session = c.Value
		}
	}
	if session == "" {
		t.Fatal("no session cookie")
	}
	nurseToken, _, err := db.CreateAPIToken(ctx, nurse.ID, "canary", time.Hour, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{"HIV note": hiv, "password": password, "session": session, "API token": nurseToken}
	idCanaries := map[string]string{"national ID": nid, "national ID (dashed)": dashed(nid)}

	// The paths: every GET of the route table, with the child's, the
	// household's and unknown IDs.
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Deps{DB: db, Auth: svc, Cat: cat, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	const unknown = "0190a0a0-0000-7000-8000-00000000dead"
	var paths []string
	for _, r := range srv.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		p := strings.ReplaceAll(r.Pattern, "{$}", "")
		p = strings.ReplaceAll(p, "{code}/{version}", "termtem-default/1")
		if p == "/api/" {
			p = "/api/v1/no-such-thing"
		}
		if !strings.Contains(p, "{") {
			paths = append(paths, p)
			continue
		}
		id := child.ID
		if strings.Contains(p, "households/") {
			id = household.ID
		}
		for _, v := range []string{id, unknown, "not-an-id"} {
			q := p
			for strings.Contains(q, "{") {
				i, j := strings.Index(q, "{"), strings.Index(q, "}")
				q = q[:i] + v + q[j+1:]
			}
			paths = append(paths, q)
		}
	}
	paths = append(paths, "/people?q=ทดสอบรั่ว", "/referrals/new?person="+child.ID, "/api/v1/cases?person_id="+child.ID,
		"/people/"+child.ID+"?organisation="+hc.ID+"&dimension=health")

	type visitor struct {
		name  string
		c     *client
		token string
		// ids: whether the national ID is theirs to see (the teacher works
		// in the child's district and may open the record; only the HIV
		// note is hidden from them).
		ids bool
	}
	newVisitor := func(name, role, org string, ids bool) visitor {
		user(name, role, org, testPassword)
		c := newClient(t, ts.URL)
		if resp, _ := login(t, c, name, testPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s login: %d", name, resp.StatusCode)
		}
		u, err := db.GetUserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := db.CreateAPIToken(ctx, u.ID, "canary", time.Hour, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		return visitor{name: name, c: c, token: tok, ids: ids}
	}
	visitors := []visitor{
		newVisitor("can.teacher", account.RoleSchoolTeacher, school.ID, true),
		newVisitor("can.far", account.RoleCaseManager, far.ID, false),
		{name: "anonymous", c: newClient(t, ts.URL)},
	}
	check := func(v visitor, what string, resp *http.Response, body string) {
		t.Helper()
		var hdr strings.Builder
		for k, vs := range resp.Header {
			fmt.Fprintf(&hdr, "%s: %s\n", k, strings.Join(vs, ","))
		}
		look := map[string]string{}
		for k, s := range secrets {
			look[k] = s
		}
		if !v.ids {
			for k, s := range idCanaries {
				look[k] = s
			}
		}
		for k, s := range look {
			if strings.Contains(body, s) {
				t.Errorf("%s %s: the %s in the body (%d)", v.name, what, k, resp.StatusCode)
			}
			if strings.Contains(hdr.String(), s) {
				t.Errorf("%s %s: the %s in a header (%d)", v.name, what, k, resp.StatusCode)
			}
		}
	}
	for _, v := range visitors {
		for _, p := range paths {
			headers := map[string]string{}
			if strings.HasPrefix(p, "/api/") && v.token != "" {
				headers["Authorization"] = "Bearer " + v.token
			}
			resp, body := v.c.get(t, p, headers)
			check(v, "GET "+p, resp, body)
		}
		// Forced errors: malformed and hostile bodies, a lookup by the
		// canary ID itself (the answer and the log must not hold it).
		api := func(method, path, body string, extra map[string]string) {
			req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			if v.token != "" {
				req.Header.Set("Authorization", "Bearer "+v.token)
			}
			for k, val := range extra {
				req.Header.Set(k, val)
			}
			resp, b := v.c.do(t, req)
			check(v, method+" "+path, resp, b)
		}
		api("POST", "/api/v1/people/search", `{"q": `, nil)
		api("POST", "/api/v1/people/search", `{"q": "ทดสอบรั่ว"}`, nil)
		api("POST", "/api/v1/people/lookup", `{"national_id": "`+nid+`"}`, nil)
		api("POST", "/api/v1/people", `{"given_name": 7}`, nil)
		api("PATCH", "/api/v1/people/"+child.ID, `{"given_name": `, map[string]string{"If-Match": `"1"`})
		api("PATCH", "/api/v1/people/"+child.ID, `{"phone": "0812345678"}`, map[string]string{"If-Match": `"99"`})
		api("POST", "/api/v1/people/"+child.ID+"/records", `{"kind": "condition", "data": {"note": "x"}}`, nil)
		api("POST", "/api/v1/people/"+child.ID+"/break-glass", `{"reason": "อยากรู้เฉยๆ เท่านั้นเอง"}`, nil)
		api("POST", "/api/v1/assessments", `{"subject": "child", "subject_id": "`+child.ID+`", "answers": {"X": 1}}`, nil)
		api("POST", "/api/v1/referrals", `not json at all`, nil)
		// A search by the ID: the form shows the visitor's own query again,
		// which is not a leak; the log must still not hold it.
		resp, body := v.c.post(t, "/people/search", url.Values{"q": {nid}}, nil)
		echo := v
		echo.ids = true
		check(echo, "POST /people/search", resp, body)
		if v.ids || v.token == "" {
			// nothing more: the teacher may find the child, the anonymous
			// client is sent to the login page
		} else if strings.Contains(body, child.FamilyName) {
			i := strings.Index(body, child.FamilyName)
			t.Errorf("%s found the child by national ID: %s", v.name, body[max(0, i-300):min(len(body), i+200)])
		}
		for _, form := range []struct {
			path string
			vals url.Values
		}{
			{"/people/" + child.ID + "/break-glass", url.Values{"reason": {"ดู"}}},
			{"/people/" + child.ID + "/rectifications", url.Values{"what": {"x"}, "asked_by": {"y"}}},
			{"/people/" + child.ID + "/erase", url.Values{"confirm": {"yes"}}},
			{"/login", url.Values{"username": {"can.nurse"}, "password": {"wrong-" + password}}},
		} {
			resp, body := v.c.post(t, form.path, form.vals, nil)
			check(v, "POST "+form.path, resp, body)
		}
	}
	// The log of everything above, the nurse's own login included.
	logs := ts.logs.String()
	for k, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the %s is in the server log", k)
		}
	}
	for k, s := range idCanaries {
		if strings.Contains(logs, s) {
			t.Errorf("the %s is in the server log", k)
		}
	}
	if len(paths) < 60 {
		t.Fatalf("only %d paths from the route table", len(paths))
	}
	// The record is still whole for its author: the canaries are there to
	// be found, so a test that found nothing was not blind.
	resp, body := nc.get(t, "/people/"+child.ID, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, hiv) || !strings.Contains(body, dashed(nid)) {
		t.Fatalf("the nurse's own view lacks the canaries: %d", resp.StatusCode)
	}
}
