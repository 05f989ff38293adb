package main

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/committees"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/store"
)

// TestIdempotencyKeyAPIMore: every creating endpoint of the API besides
// the first four takes an Idempotency-Key. Retried with the same key, the
// request makes nothing twice: it is answered 200 with what the first made
// (the same ID), marked Idempotent-Replayed; where the first answer held a
// secret (a token, a family's code) the retry is a 409 saying the secret is
// shown once, and still nothing is made.
func TestIdempotencyKeyAPIMore(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	ctx := t.Context()
	hh, child := flowerHousehold(t, db, "ด.ช.คีย์ซ้ำ", "คีย์", 40)
	near := personIn(t, db, "1003", "IK2", "ฝนพรำ", "คีย์นอกเขต", "2021-01-01", people.RelChild)
	community, err := db.GetPlace(ctx, hh.CommunityID)
	if err != nil {
		t.Fatal(err)
	}
	org, user := func(code string) string { return orgID(t, db, code) }, func(name string) string { return userID(t, db, name) }
	dsw, cpc := org("LKB-DSW"), org("LKB-CPC")
	worker, secretary, nurse, orgAdmin := demoAPI(t, ts, "demo.socialworker"), demoAPI(t, ts, "demo.secretary"), demoAPI(t, ts, "demo.nurse"),
		demoAPI(t, ts, "demo.orgadmin")
	by := audit.Event{ActorID: user("demo.socialworker"), RequestID: "test"}
	open, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: child.ID, Risk: cases.RiskMedium, Origin: cases.FromWorker,
		OrganisationID: dsw, ManagerID: user("demo.socialworker")}, by)
	if err != nil {
		t.Fatal(err)
	}
	closed, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Household, SubjectID: hh.ID, Risk: cases.RiskMedium, Origin: cases.FromWorker,
		OrganisationID: dsw, ManagerID: user("demo.socialworker")}, by)
	if err == nil {
		if closed, err = db.MoveCase(ctx, closed.ID, closed.Version, cases.Active, "", by); err == nil {
			closed, err = db.MoveCase(ctx, closed.ID, closed.Version, cases.Closed, "ครอบครัวปลอดภัย", by)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	meeting, err := db.SaveMeeting(ctx, committees.Meeting{CommitteeID: cpc, Title: "ประชุมคีย์ซ้ำ", HeldOn: "2026-10-01"},
		audit.Event{ActorID: user("demo.secretary"), RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	status, sa, _ := orgAdmin.call(t, "POST", "/api/v1/service-accounts", map[string]any{"username": "ik.first", "display_name": "ระบบทดสอบ",
		"organisation_id": org(orgAdminOrg(t, db)), "role": account.RoleDataOfficer}, nil)
	if status != http.StatusCreated {
		t.Fatalf("a service account for tokens: %d %v", status, sa)
	}
	status, tok, _ := orgAdmin.call(t, "POST", "/api/v1/service-accounts/"+sa["id"].(string)+"/tokens", map[string]any{"name": "rotate-me"}, nil)
	if status != http.StatusCreated {
		t.Fatalf("a token to rotate: %d %v", status, tok)
	}
	nurseUser, err := db.GetUserByUsername(ctx, "demo.nurse")
	if err != nil || len(nurseUser.Memberships) == 0 {
		t.Fatalf("demo.nurse: %v", err)
	}
	instruments, err := db.ListInstruments(ctx)
	if err != nil || len(instruments) == 0 {
		t.Fatalf("instruments: %v", err)
	}
	file, err := db.InstrumentFile(ctx, instruments[0].Code, instruments[0].Version)
	var instrument map[string]any
	if err != nil || json.Unmarshal(file, &instrument) != nil {
		t.Fatalf("instrument file: %v", err)
	}
	instrument["version"] = instruments[0].Version + 1
	guides, err := db.GuideVersions(ctx, "SAF03", "red")
	if err != nil {
		t.Fatal(err)
	}
	district, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	day := func(n int) string { return time.Now().AddDate(0, 0, n).Format("2006-01-02") }
	rows := rowCounter(t, ts)
	casePath := "/api/v1/cases/" + open.ID
	requests := []struct {
		name   string
		as     apiClient
		path   string
		body   map[string]any
		table  string
		secret bool
	}{
		{"household", worker, "/api/v1/households", map[string]any{"community_code": community.Code, "address": "8 ซอยคีย์ซ้ำ"}, "households", false},
		{"assessment", worker, "/api/v1/assessments", map[string]any{"subject": "child", "subject_id": child.ID,
			"answers": map[string]any{"SAF03": map[string]any{"option": "alone_or_repeated"}}}, "assessments", false},
		{"case legal", worker, casePath + "/legal", map[string]any{"kind": "welfare_s32", "code": "s32_5", "decided_on": day(0),
			"decided_by": "ทีมสหวิชาชีพเขตลาดกระบัง"}, "case_legal", false},
		{"case conference", worker, casePath + "/conferences", map[string]any{"held_on": day(0), "attendees": []string{"นักสังคมสงเคราะห์", "มารดา"},
			"notes": "ประชุมรายกรณี"}, "case_conferences", false},
		{"plan goal", worker, casePath + "/plan/goals", map[string]any{"dimension": "safety", "from_level": "red", "target_level": "yellow",
			"target_date": day(90), "family_commitment": "แม่จะฝากลูกไว้กับยาย"}, "plan_goals", false},
		{"plan step", worker, casePath + "/plan/steps", map[string]any{"what": "เยี่ยมบ้าน", "organisation_id": dsw, "due_on": day(14)},
			"plan_steps", false},
		{"case team", worker, casePath + "/team", map[string]any{"user_id": nurseUser.ID, "organisation_id": nurseUser.Memberships[0].OrganisationID,
			"role": "health"}, "case_members", false},
		{"instrument", demoAPI(t, ts, "demo.admin"), "/api/v1/instruments", instrument, "instruments", false},
		{"token rotation", orgAdmin, "/api/v1/service-accounts/" + sa["id"].(string) + "/tokens/" + tok["id"].(string) + "/rotate", map[string]any{},
			"api_tokens", true},
		{"handoff", worker, "/api/v1/handoffs", map[string]any{"person_id": child.ID, "to_organisation_id": cpc, "reason": "moved"}, "handoffs", false},
		{"service", demoAPI(t, ts, "demo.supervisor"), "/api/v1/services", map[string]any{"organisation_id": dsw, "name_th": "บริการคีย์ซ้ำ",
			"dimension": "safety", "referral_kind": "other", "area_place_id": district.ID, "free": true, "active": true}, "services", false},
		{"guide", demoAPI(t, ts, "demo.supervisor"), "/api/v1/guides/SAF03/red", map[string]any{"base_version": len(guides),
			"what_to_check": "เด็กอยู่บ้านลำพังกี่ชั่วโมง", "first_steps": "หาผู้ดูแลกลางวัน"}, "practice_guides", false},
		{"lesson", worker, "/api/v1/lessons", map[string]any{"case_id": closed.ID, "organisation_id": dsw, "situation": "เด็กถูกปล่อยไว้ลำพัง", "lesson": "เยี่ยมบ้านตอนเย็น"},
			"lessons", false},
		{"meeting", secretary, "/api/v1/meetings", map[string]any{"committee_id": cpc, "title": "ประชุมครั้งที่ 3", "held_on": day(0)},
			"committee_meetings", false},
		{"resolution", secretary, "/api/v1/meetings/" + meeting.ID + "/resolutions", map[string]any{"text": "ติดตามเด็กที่ขาดเรียน", "due_on": day(60),
			"owner_id": user("demo.secretary")},
			"resolutions", false},
		{"constraint", secretary, "/api/v1/constraints", map[string]any{"organisation_id": cpc, "theme": "staff_shortage", "title": "ขาดนักจิตวิทยา",
			"description": "ไม่มีนักจิตวิทยาเด็กในเขต"}, "system_constraints", false},
		{"break-glass", nurse, "/api/v1/people/" + near.ID + "/break-glass", map[string]any{"reason": "เด็กถูกนำส่งศูนย์บริการกลางดึก ต้องดูประวัติวัคซีน"},
			"glass_grants", false},
		{"service account", orgAdmin, "/api/v1/service-accounts", map[string]any{"username": "ik.second", "display_name": "ระบบทดสอบสอง",
			"organisation_id": org(orgAdminOrg(t, db)), "role": account.RoleDataOfficer}, "users", false},
		{"token", orgAdmin, "/api/v1/service-accounts/" + sa["id"].(string) + "/tokens", map[string]any{"name": "nightly"}, "api_tokens", true},
		{"self-assessment code", worker, "/api/v1/households/" + hh.ID + "/self-assessment-codes", map[string]any{}, "self_assessment_codes", true},
	}
	for _, q := range requests {
		t.Run(q.name, func(t *testing.T) {
			before := rows(q.table)
			key := map[string]string{"Idempotency-Key": "retry-" + strings.ReplaceAll(q.name, " ", "-")}
			// What names what was made in the answer; a plan or a team
			// (no ID of its own) is answered whole, as it was.
			same, whole := "id", false
			switch q.name {
			case "instrument":
				same = "version"
			case "break-glass":
				same = "until"
			case "plan goal", "plan step", "case team":
				whole = true
			}
			status, first, _ := q.as.call(t, "POST", q.path, q.body, key)
			if status != http.StatusCreated {
				t.Fatalf("first: %d %v", status, first)
			}
			status, again, hdr := q.as.call(t, "POST", q.path, q.body, key)
			switch {
			case hdr.Get("Idempotent-Replayed") != "true":
				t.Fatalf("retried: %d %v, not marked as a replay", status, again)
			case q.secret:
				if _, _, msg := errorOf(again); status != http.StatusConflict || msg == "" || again["token"] != nil || again["code"] != nil {
					t.Fatalf("retried: %d %v, want 409 saying the secret is shown once", status, again)
				}
			case whole && (status != http.StatusOK || !reflect.DeepEqual(again, first)):
				t.Fatalf("retried: %d %v, want 200 and the answer of the first, %v", status, again, first)
			case !whole && (status != http.StatusOK || again[same] == nil || again[same] != first[same]):
				t.Fatalf("retried: %d %s %v, want 200, a replay of %v", status, same, again[same], first[same])
			}
			if n := rows(q.table); n != before+1 {
				t.Fatalf("%d rows after a retry, want %d", n, before+1)
			}
		})
	}
}

// demoAPI is an API client with a token of an existing account (a demo
// account, or one a test made).
func demoAPI(t *testing.T, ts *testServer, username string) apiClient {
	t.Helper()
	return apiClient{client: newClient(t, ts.URL), token: createToken(t, ts, username)}
}

// orgAdminOrg is the code of the organisation demo.orgadmin administers.
func orgAdminOrg(t *testing.T, db *store.DB) string {
	t.Helper()
	u, err := db.GetUserByUsername(t.Context(), "demo.orgadmin")
	if err != nil || len(u.Memberships) == 0 {
		t.Fatalf("demo.orgadmin: %v %+v", err, u)
	}
	o, err := db.GetOrganisation(t.Context(), u.Memberships[0].OrganisationID)
	if err != nil {
		t.Fatal(err)
	}
	return o.Code
}

// orgID is the ID of the organisation of a code.
func orgID(t *testing.T, db *store.DB, code string) string {
	t.Helper()
	o, err := db.GetOrganisationByCode(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// userID is the ID of the user of a username.
func userID(t *testing.T, db *store.DB, username string) string {
	t.Helper()
	u, err := db.GetUserByUsername(t.Context(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
