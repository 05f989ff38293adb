package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
)

// TestCasesAPI: issue 5's flow through the JSON API — from an urgent
// safety alert to a case with a multidisciplinary team, classification,
// conference and plan; a referral's closed loop with its illegal moves; a
// hand-off on enrolment elsewhere; the guards on closing a case and on its
// only manager.
func TestCasesAPI(t *testing.T) {
	ts := startServer(t, testEnv(t))
	db := ts.openDB(t)
	ctx := t.Context()
	district, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	subDistrict, err := db.GetPlaceByCode(ctx, "101103")
	if err != nil {
		t.Fatal(err)
	}
	community, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-CA", NameTH: "ชุมชนทดสอบรายกรณี", ParentID: subDistrict.ID}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	org := func(code string, kind organisations.Kind, name string) organisations.Organisation {
		o, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: code, Kind: kind, NameTH: name, PlaceID: district.ID, Active: true}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	dsw := org("DSW-CA", organisations.DistrictSocialWelfare, "ศูนย์บริการสังคมรายกรณี")
	school := org("SCH-CA", organisations.School, "โรงเรียนรายกรณี")
	childcare := org("CDC-CA", organisations.ChildcareCentre, "ศูนย์พัฒนาเด็กรายกรณี")
	health := ts.addOrganisation(t, "HC-CA")
	elsewhere := ts.addOrganisation(t, "HC-CA2")
	household, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID, Address: "12 ซอยร่มเกล้า 3"}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	child, err := db.CreatePerson(ctx, people.Person{GivenName: "ด.ช.ต้นกล้า", FamilyName: "ใจดี", Sex: people.Male,
		BirthDate: time.Now().AddDate(-4, 0, 0).Format("2006-01-02"), HouseholdID: household.ID, Relation: people.RelChild}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	worker := staffAPI(t, ts, "worker.ca", account.RoleCaseManager, dsw)
	colleague := staffAPI(t, ts, "colleague.ca", account.RoleCaseManager, dsw) // same unit, not on the team
	nurse := staffAPI(t, ts, "nurse.ca", account.RoleHealthStaff, health)
	teacher := staffAPI(t, ts, "teacher.ca", account.RoleSchoolTeacher, school)
	carer := staffAPI(t, ts, "carer.ca", account.RoleChildcareTeacher, childcare)
	stranger := staffAPI(t, ts, "stranger.ca", account.RoleCaseManager, elsewhere)
	en := map[string]string{"Accept-Language": "en"}
	userID := func(a apiClient) string {
		t.Helper()
		_, me, _ := a.call(t, "GET", "/api/v1/me", nil, nil)
		id, _ := me["id"].(string)
		if id == "" {
			t.Fatalf("me: %v", me)
		}
		return id
	}
	day := func(days int) string { return time.Now().AddDate(0, 0, days).Format("2006-01-02") }
	want := func(what string, status, code int, body map[string]any) {
		t.Helper()
		if status != code {
			t.Fatalf("%s: %d, want %d: %v", what, status, code, body)
		}
	}
	wantField := func(what string, status int, body map[string]any, field string) {
		t.Helper()
		if _, got, msg := errorOf(body); status != http.StatusUnprocessableEntity || got != field || msg == "" {
			t.Fatalf("%s: %d %v, want 422 on %s", what, status, body, field)
		}
	}

	// An urgent red safety answer opens an alert for the district's unit.
	status, body, _ := worker.call(t, "POST", "/api/v1/assessments", map[string]any{"subject": "child", "subject_id": child.ID,
		"answers": map[string]any{"SAF03": map[string]any{"option": "alone_or_repeated"}}}, nil)
	want("assessment", status, http.StatusCreated, body)
	alert, _ := body["alerts_opened"].([]any)[0].(map[string]any)
	if alert["key"] != "urgent:SAF03" {
		t.Fatalf("first alert %v", alert)
	}

	// The social worker opens a case from it: the case takes the alert.
	newCase := map[string]any{"subject": "child", "subject_id": child.ID, "risk": "high", "origin": "alert", "origin_id": alert["id"]}
	status, body, _ = nurse.call(t, "POST", "/api/v1/cases", newCase, nil)
	want("a nurse opens a case", status, http.StatusForbidden, body)
	status, body, _ = worker.call(t, "POST", "/api/v1/cases", map[string]any{"subject": "child", "subject_id": child.ID, "risk": "high",
		"origin": "alert", "origin_id": "0190d7a4-0000-7000-8000-000000000000"}, nil)
	wantField("a case from an unknown alert", status, body, "origin_id")
	status, body, _ = worker.call(t, "POST", "/api/v1/cases", map[string]any{"subject": "child", "subject_id": child.ID, "risk": "grave", "origin": "worker"}, nil)
	wantField("risk grave", status, body, "risk")
	status, body, _ = worker.call(t, "POST", "/api/v1/cases", map[string]any{"subject": "child", "subject_id": child.ID, "risk": "high", "origin": "worker",
		"organisation_id": health.ID}, nil)
	wantField("a case for another unit", status, body, "organisation_id")
	status, kase, hdr := worker.call(t, "POST", "/api/v1/cases", newCase, nil)
	want("open the case", status, http.StatusCreated, kase)
	caseID, _ := kase["id"].(string)
	casePath := "/api/v1/cases/" + caseID
	if hdr.Get("Location") != casePath || hdr.Get("ETag") != `"1"` || kase["status"] != "open" || kase["organisation_id"] != dsw.ID ||
		len(kase["members"].([]any)) != 1 {
		t.Fatalf("new case %v %v", hdr, kase)
	}
	status, body, _ = worker.call(t, "GET", "/api/v1/alerts?status=acknowledged", nil, nil)
	if list := items(t, body); status != http.StatusOK || len(list) != 1 || list[0]["id"] != alert["id"] {
		t.Fatalf("the alert was not taken by the case: %v", body)
	}

	// The team: the health centre's nurse and the school's teacher.
	status, body, _ = worker.call(t, "POST", casePath+"/team", map[string]any{"user_id": userID(nurse), "organisation_id": health.ID, "role": "health"}, nil)
	want("add the nurse", status, http.StatusCreated, body)
	status, body, _ = worker.call(t, "POST", casePath+"/team", map[string]any{"user_id": userID(teacher), "organisation_id": health.ID, "role": "education"}, nil)
	wantField("the teacher for the health centre", status, body, "user_id")
	status, body, hdr = worker.call(t, "POST", casePath+"/team", map[string]any{"user_id": userID(teacher), "organisation_id": school.ID, "role": "education"},
		map[string]string{"If-Match": `"2"`})
	if status != http.StatusCreated || len(items(t, body)) != 3 || hdr.Get("ETag") != `"3"` {
		t.Fatalf("add the teacher: %d %v %v", status, hdr, body)
	}
	status, body, _ = worker.call(t, "POST", casePath+"/team", map[string]any{"user_id": userID(colleague), "organisation_id": dsw.ID, "role": "welfare"},
		map[string]string{"If-Match": `"2"`})
	want("add with a stale version", status, http.StatusPreconditionFailed, body)

	// Who sees and who changes the case.
	for _, c := range []struct {
		who  string
		a    apiClient
		read int
	}{{"nurse", nurse, 200}, {"teacher", teacher, 200}, {"colleague", colleague, 200}, {"stranger", stranger, 404}, {"carer", carer, 404}} {
		if status, body, _ := c.a.call(t, "GET", casePath, nil, nil); status != c.read {
			t.Errorf("%s reads the case: %d %v", c.who, status, body)
		}
	}
	patch := map[string]any{"risk": "critical"}
	for _, c := range []struct {
		who  string
		a    apiClient
		code int
	}{{"nurse", nurse, 403}, {"colleague", colleague, 403}, {"stranger", stranger, 404}} {
		if status, body, _ := c.a.call(t, "PATCH", casePath, patch, map[string]string{"If-Match": `"3"`}); status != c.code {
			t.Errorf("%s changes the case: %d %v", c.who, status, body)
		}
	}
	if status, body, _ := worker.call(t, "PATCH", "/api/v1/cases/0190d7a4-0000-7000-8000-000000000000", patch, map[string]string{"If-Match": `"1"`}); status != 404 {
		t.Errorf("unknown case: %d %v", status, body)
	}
	status, body, _ = worker.call(t, "PATCH", casePath, patch, nil)
	want("patch without If-Match", status, http.StatusPreconditionRequired, body)
	status, kase, hdr = worker.call(t, "PATCH", casePath, patch, map[string]string{"If-Match": `"3"`})
	if status != http.StatusOK || kase["risk"] != "critical" || hdr.Get("ETag") != `"4"` {
		t.Fatalf("risk: %d %v", status, kase)
	}

	// The legal classification and a conference whose decision is a step.
	status, body, _ = worker.call(t, "POST", casePath+"/legal", map[string]any{"kind": "welfare_s32", "code": "s40_1", "decided_on": day(0),
		"decided_by": "ทีมสหวิชาชีพ"}, nil)
	wantField("an s.40 code as s.32", status, body, "code")
	status, kase, _ = worker.call(t, "POST", casePath+"/legal", map[string]any{"kind": "welfare_s32", "code": "s32_5", "decided_on": day(0),
		"decided_by": "ทีมสหวิชาชีพเขตลาดกระบัง"}, nil)
	want("s.32 classification", status, http.StatusCreated, kase)
	if legal := kase["legal"].([]any); len(legal) != 1 {
		t.Fatalf("legal %v", legal)
	}
	status, kase, _ = worker.call(t, "POST", casePath+"/conferences", map[string]any{"held_on": day(0),
		"attendees": []string{"นักสังคมสงเคราะห์", "พยาบาล", "ครู", "มารดา"}, "notes": "ประชุมรายกรณีครั้งแรก",
		"decisions": []any{
			map[string]any{"text": "ตรวจพัฒนาการ DSPM", "step": map[string]any{"what": "ตรวจพัฒนาการ DSPM", "organisation_id": health.ID,
				"responsible_id": userID(nurse), "due_on": day(10)}},
			map[string]any{"text": "ครอบครัวหาผู้ดูแลกลางวัน"},
		}}, nil)
	if status != http.StatusCreated || len(kase["conferences"].([]any)) != 1 || len(kase["steps"].([]any)) != 1 {
		t.Fatalf("conference: %d %v", status, kase)
	}
	status, body, _ = worker.call(t, "POST", casePath+"/conferences", map[string]any{"held_on": day(0)}, en)
	wantField("a conference without attendees", status, body, "attendees")

	// The plan: a goal, a step, and a step due before the plan starts.
	status, plan, hdr := worker.call(t, "POST", casePath+"/plan/goals", map[string]any{"dimension": "safety", "from_level": "red", "target_level": "yellow",
		"target_date": day(90), "family_commitment": "แม่จะฝากลูกไว้กับยายเมื่อออกไปทำงาน"}, nil)
	if status != http.StatusCreated || len(plan["goals"].([]any)) != 1 || hdr.Get("Location") != casePath+"/plan" {
		t.Fatalf("goal: %d %v", status, plan)
	}
	goalID := plan["goals"].([]any)[0].(map[string]any)["id"]
	status, body, _ = worker.call(t, "POST", casePath+"/plan/goals", map[string]any{"dimension": "safety", "from_level": "yellow", "target_level": "red",
		"target_date": day(90)}, nil)
	wantField("a worse target", status, body, "target_level")
	status, body, _ = worker.call(t, "POST", casePath+"/plan/steps", map[string]any{"what": "เยี่ยมบ้าน", "organisation_id": dsw.ID, "due_on": day(-30)}, nil)
	wantField("a step due before the plan starts", status, body, "due_on")
	status, plan, _ = worker.call(t, "POST", casePath+"/plan/steps", map[string]any{"what": "เยี่ยมบ้าน", "organisation_id": dsw.ID, "due_on": day(14),
		"goal_id": goalID}, nil)
	want("step", status, http.StatusCreated, plan)
	status, plan, _ = teacher.call(t, "GET", casePath+"/plan", nil, nil)
	if status != http.StatusOK || len(plan["goals"].([]any)) != 1 || len(plan["steps"].([]any)) != 2 {
		t.Fatalf("plan: %d %v", status, plan)
	}
	var dspm map[string]any
	for _, s := range plan["steps"].([]any) {
		if s := s.(map[string]any); s["organisation_id"] == health.ID {
			dspm = s
		}
	}
	stepPath := "/api/v1/plan-steps/" + dspm["id"].(string) + "/status"
	status, body, _ = nurse.call(t, "POST", stepPath, map[string]any{"status": "in_progress"}, nil)
	want("step without If-Match", status, http.StatusPreconditionRequired, body)
	status, body, _ = stranger.call(t, "POST", stepPath, map[string]any{"status": "in_progress"}, map[string]string{"If-Match": `"1"`})
	want("a stranger moves a step", status, http.StatusNotFound, body)
	status, body, _ = nurse.call(t, "POST", stepPath, map[string]any{"status": "done"}, map[string]string{"If-Match": `"1"`})
	wantField("done without evidence", status, body, "evidence")
	status, body, hdr = nurse.call(t, "POST", stepPath, map[string]any{"status": "in_progress"}, map[string]string{"If-Match": `"1"`})
	if status != http.StatusOK || body["status"] != "in_progress" || hdr.Get("ETag") != `"2"` {
		t.Fatalf("the nurse starts her step: %d %v", status, body)
	}

	// The referral to the health centre needs a lawful basis and another unit.
	referral := map[string]any{"person_id": child.ID, "case_id": caseID, "to_organisation_id": health.ID, "service": "health_check", "urgency": "high",
		"reason": "ตรวจสุขภาพและวัคซีนที่ค้าง", "shared_info": "ค้างวัคซีน MMR"}
	status, body, _ = worker.call(t, "POST", "/api/v1/referrals", referral, en)
	wantField("a referral without a lawful basis", status, body, "lawful_basis.kind")
	if _, _, msg := errorOf(body); !strings.Contains(msg, "lawful basis") {
		t.Errorf("message %q", msg)
	}
	referral["lawful_basis"] = map[string]any{"kind": "consent"}
	status, body, _ = worker.call(t, "POST", "/api/v1/referrals", referral, nil)
	wantField("a referral on a consent the ledger lacks", status, body, "lawful_basis.kind")
	referral["lawful_basis"] = map[string]any{"kind": "legal_duty", "reference": "พ.ร.บ.คุ้มครองเด็ก พ.ศ. 2546 ม.41"}
	referral["to_organisation_id"] = dsw.ID
	status, body, _ = worker.call(t, "POST", "/api/v1/referrals", referral, nil)
	wantField("a referral to one's own unit", status, body, "to_organisation_id")
	referral["to_organisation_id"] = health.ID
	status, ref, hdr := worker.call(t, "POST", "/api/v1/referrals", referral, nil)
	if status != http.StatusCreated || ref["status"] != "sent" || hdr.Get("ETag") != `"1"` || ref["from_organisation_id"] != dsw.ID {
		t.Fatalf("referral: %d %v", status, ref)
	}
	refPath := "/api/v1/referrals/" + ref["id"].(string)
	if hdr.Get("Location") != refPath {
		t.Fatalf("referral location %q", hdr.Get("Location"))
	}
	status, body, _ = nurse.call(t, "GET", "/api/v1/referrals?direction=incoming&open=true", nil, nil)
	if list := items(t, body); status != http.StatusOK || len(list) != 1 || list[0]["id"] != ref["id"] {
		t.Fatalf("the nurse's incoming referrals: %v", body)
	}
	status, body, _ = nurse.call(t, "GET", "/api/v1/inbox", nil, nil)
	if counts, _ := body["counts"].(map[string]any); status != http.StatusOK || counts["referrals"] != 1.0 || len(body["referrals"].([]any)) != 1 {
		t.Fatalf("the nurse's inbox: %d %v", status, body)
	}
	if status, body, _ = nurse.call(t, "GET", "/api/v1/referrals?direction=sideways", nil, nil); status != http.StatusUnprocessableEntity {
		t.Errorf("direction=sideways: %d %v", status, body)
	}
	if status, body, _ = teacher.call(t, "GET", refPath, nil, nil); status != http.StatusNotFound {
		t.Errorf("the teacher reads another unit's referral: %d %v", status, body)
	}
	status, body, _ = worker.call(t, "POST", refPath+"/accept", nil, map[string]string{"If-Match": `"1"`})
	want("the sender accepts", status, http.StatusForbidden, body)
	status, body, _ = nurse.call(t, "POST", refPath+"/accept", nil, nil)
	want("accept without If-Match", status, http.StatusPreconditionRequired, body)
	status, body, _ = nurse.call(t, "POST", refPath+"/accept", nil, map[string]string{"If-Match": `"7"`})
	want("accept with a wrong version", status, http.StatusPreconditionFailed, body)
	status, body, hdr = nurse.call(t, "POST", refPath+"/accept", nil, map[string]string{"If-Match": `"1"`})
	if status != http.StatusOK || body["status"] != "accepted" || hdr.Get("ETag") != `"2"` || body["side"] != "receiver" {
		t.Fatalf("accept: %d %v", status, body)
	}
	status, body, _ = nurse.call(t, "POST", refPath+"/accept", map[string]any{}, map[string]string{"If-Match": `"1"`})
	want("a second accept with the old version", status, http.StatusPreconditionFailed, body)
	status, body, _ = nurse.call(t, "POST", refPath+"/complete", map[string]any{"outcome": " "}, map[string]string{"If-Match": `"2"`})
	wantField("complete without an outcome", status, body, "outcome")
	status, body, _ = nurse.call(t, "POST", refPath+"/complete", map[string]any{"outcome": "ตรวจแล้ว นัดฉีดวัคซีน", "colour": "x"}, map[string]string{"If-Match": `"2"`})
	wantField("an unknown field", status, body, "colour")
	status, body, _ = nurse.call(t, "POST", refPath+"/complete", map[string]any{"outcome": "ตรวจแล้ว นัดฉีดวัคซีน MMR 15 มี.ค."}, map[string]string{"If-Match": `"2"`})
	want("complete", status, http.StatusOK, body)
	// The closed loop: the sender reads the outcome.
	status, body, hdr = worker.call(t, "GET", refPath, nil, nil)
	if status != http.StatusOK || body["status"] != "completed" || body["outcome"] != "ตรวจแล้ว นัดฉีดวัคซีน MMR 15 มี.ค." || body["side"] != "sender" || hdr.Get("ETag") != `"3"` {
		t.Fatalf("the sender sees %d %v", status, body)
	}
	status, body, _ = worker.call(t, "GET", "/api/v1/referrals?direction=outgoing", nil, nil)
	if list := items(t, body); len(list) != 1 || list[0]["status"] != "completed" {
		t.Fatalf("outgoing %v", body)
	}
	status, body, _ = worker.call(t, "POST", refPath+"/revoke", map[string]any{"reason": "x"}, map[string]string{"If-Match": `"3"`})
	want("revoking a completed referral", status, http.StatusConflict, body)

	// Completing a declined referral is refused with a clear message.
	delete(referral, "case_id")
	referral["service"], referral["urgency"] = "vaccination", "routine"
	status, ref, _ = worker.call(t, "POST", "/api/v1/referrals", referral, nil)
	want("second referral", status, http.StatusCreated, ref)
	refPath = "/api/v1/referrals/" + ref["id"].(string)
	status, body, _ = nurse.call(t, "POST", refPath+"/decline", nil, map[string]string{"If-Match": `"1"`})
	wantField("decline without a reason", status, body, "reason")
	status, body, _ = nurse.call(t, "POST", refPath+"/decline", map[string]any{"reason": "ฉีดวัคซีนครบแล้วที่โรงพยาบาลอื่น"}, map[string]string{"If-Match": `"1"`})
	want("decline", status, http.StatusOK, body)
	status, body, _ = nurse.call(t, "POST", refPath+"/complete", map[string]any{"outcome": "x"}, map[string]string{"If-Match": `"2"`, "Accept-Language": "en"})
	if code, _, msg := errorOf(body); status != http.StatusConflict || code != "conflict" || !strings.Contains(msg, "cannot change") {
		t.Fatalf("completing a declined referral: %d %v", status, body)
	}

	// Enrolment at school after the child-care centre hands the child over.
	status, body, _ = carer.call(t, "POST", "/api/v1/people/"+child.ID+"/records", map[string]any{"kind": "childcare_enrolment", "occurred_on": day(-200)}, nil)
	want("child-care enrolment", status, http.StatusCreated, body)
	status, body, _ = teacher.call(t, "POST", "/api/v1/people/"+child.ID+"/records", map[string]any{"kind": "school_enrolment", "occurred_on": day(-1),
		"data": map[string]any{"grade": "k1"}}, nil)
	want("school enrolment", status, http.StatusCreated, body)
	status, inbox, _ := teacher.call(t, "GET", "/api/v1/inbox", nil, nil)
	if counts, _ := inbox["counts"].(map[string]any); status != http.StatusOK || counts["handoffs"] != 1.0 || counts["total"] != 1.0 {
		t.Fatalf("the teacher's inbox: %d %v", status, inbox)
	}
	handoff := inbox["handoffs"].([]any)[0].(map[string]any)
	if handoff["from_organisation_id"] != childcare.ID || handoff["to_organisation_id"] != school.ID || handoff["reason"] != "enrolment" {
		t.Fatalf("hand-off %v", handoff)
	}
	if concerns := handoff["concerns"].(map[string]any); concerns["open_cases"] != 1.0 || concerns["open_steps"] != 2.0 {
		t.Fatalf("concerns %v", concerns)
	}
	hoPath := "/api/v1/handoffs/" + handoff["id"].(string) + "/acknowledge"
	status, body, _ = carer.call(t, "POST", hoPath, nil, map[string]string{"If-Match": `"1"`})
	want("the sending unit acknowledges", status, http.StatusNotFound, body)
	status, body, _ = teacher.call(t, "POST", hoPath, nil, nil)
	want("acknowledge without If-Match", status, http.StatusPreconditionRequired, body)
	status, body, hdr = teacher.call(t, "POST", hoPath, nil, map[string]string{"If-Match": `"1"`})
	if status != http.StatusOK || body["acknowledged_at"] == nil || hdr.Get("ETag") != `"2"` {
		t.Fatalf("acknowledge: %d %v", status, body)
	}
	status, body, _ = carer.call(t, "GET", "/api/v1/handoffs?direction=outgoing", nil, nil)
	if list := items(t, body); status != http.StatusOK || len(list) != 1 || list[0]["acknowledged_at"] == nil {
		t.Fatalf("the sending unit sees %v", body)
	}
	status, body, _ = teacher.call(t, "POST", "/api/v1/handoffs", map[string]any{"person_id": child.ID, "to_organisation_id": school.ID, "reason": "moved"}, nil)
	wantField("a hand-off to one's own unit", status, body, "to_organisation_id")
	status, body, _ = teacher.call(t, "POST", "/api/v1/handoffs", map[string]any{"person_id": child.ID, "to_organisation_id": elsewhere.ID, "reason": "moved"}, nil)
	want("a manual hand-off", status, http.StatusCreated, body)
	if status, body, _ = stranger.call(t, "GET", "/api/v1/handoffs?open=true", nil, nil); len(items(t, body)) != 1 {
		t.Fatalf("the receiving unit's open hand-offs: %d %v", status, body)
	}

	// The only case manager cannot be removed; other members can.
	status, team, hdr := worker.call(t, "GET", casePath+"/team", nil, nil)
	version := hdr.Get("ETag")
	var managerID, teacherMember string
	for _, m := range items(t, team) {
		switch m["role"] {
		case "case_manager":
			managerID = m["id"].(string)
		case "education":
			teacherMember = m["id"].(string)
		}
	}
	status, body, _ = worker.call(t, "DELETE", casePath+"/team/"+managerID, nil, nil)
	want("remove without If-Match", status, http.StatusPreconditionRequired, body)
	status, body, _ = worker.call(t, "DELETE", casePath+"/team/"+managerID, nil, map[string]string{"If-Match": version})
	wantField("remove the only manager", status, body, "member_id")
	if status, body, _ = nurse.call(t, "DELETE", casePath+"/team/"+teacherMember, nil, map[string]string{"If-Match": version}); status != http.StatusForbidden {
		t.Fatalf("the nurse removes the teacher: %d %v", status, body)
	}
	status, team, hdr = worker.call(t, "DELETE", casePath+"/team/"+teacherMember, nil, map[string]string{"If-Match": version})
	want("remove the teacher", status, http.StatusOK, team)
	if status, body, _ = teacher.call(t, "GET", casePath, nil, nil); status != http.StatusNotFound {
		t.Fatalf("a removed teacher still reads the case: %d", status)
	}

	// Closing needs a reason.
	version = hdr.Get("ETag")
	status, kase, hdr = worker.call(t, "PATCH", casePath, map[string]any{"status": "active"}, map[string]string{"If-Match": version})
	want("activate", status, http.StatusOK, kase)
	version = hdr.Get("ETag")
	status, body, _ = worker.call(t, "PATCH", casePath, map[string]any{"status": "closed"}, map[string]string{"If-Match": version})
	wantField("closing without a reason", status, body, "reason")
	status, body, _ = worker.call(t, "PATCH", casePath, map[string]any{"status": "closed", "reason": "ปิด", "risk": "low"}, map[string]string{"If-Match": `"1"`})
	want("closing with a stale version", status, http.StatusPreconditionFailed, body)
	status, body, _ = worker.call(t, "PATCH", casePath, map[string]any{"status": "closed", "reason": "ครอบครัวปลอดภัย ติดตามครบ 3 เดือน", "risk": "low",
		"review_on": day(30)}, map[string]string{"If-Match": version})
	if status != http.StatusOK || body["status"] != "closed" || body["risk"] != "low" || body["review_on"] != day(30) || body["close_reason"] == nil {
		t.Fatalf("close: %d %v", status, body)
	}

	// Lists: the team's cases, a subject's cases, by status.
	status, body, _ = worker.call(t, "GET", "/api/v1/cases", nil, nil)
	if list := items(t, body); status != http.StatusOK || len(list) != 0 {
		t.Fatalf("open cases after closing: %v", body)
	}
	status, body, _ = worker.call(t, "GET", "/api/v1/cases?status=closed", nil, nil)
	if list := items(t, body); len(list) != 1 || list[0]["id"] != caseID {
		t.Fatalf("closed cases: %v", body)
	}
	status, body, _ = colleague.call(t, "GET", "/api/v1/cases?status=closed&person_id="+child.ID, nil, nil)
	if list := items(t, body); len(list) != 1 {
		t.Fatalf("the unit's cases of the child: %v", body)
	}
	status, body, _ = stranger.call(t, "GET", "/api/v1/cases?status=closed&person_id="+child.ID, nil, nil)
	if list := items(t, body); len(list) != 0 {
		t.Fatalf("a stranger lists the child's cases: %v", body)
	}
	if status, body, _ = worker.call(t, "GET", "/api/v1/cases?status=archived", nil, nil); status != http.StatusUnprocessableEntity {
		t.Fatalf("status=archived: %d %v", status, body)
	}
}
