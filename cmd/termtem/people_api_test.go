package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/organisations"
	"termtem/internal/places"
)

// apiClient calls the JSON API with a bearer token.
type apiClient struct {
	*client
	token string
}

func (a apiClient) call(t *testing.T, method, path string, body any, headers map[string]string) (int, map[string]any, http.Header) {
	t.Helper()
	var rdr *strings.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rdr = strings.NewReader(string(b))
	} else {
		rdr = strings.NewReader("")
	}
	req, err := http.NewRequest(method, a.base+path, rdr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, text := a.do(t, req)
	var out map[string]any
	if text != "" {
		if err := json.Unmarshal([]byte(text), &out); err != nil {
			t.Fatalf("%s %s: not JSON: %s", method, path, text)
		}
	}
	return resp.StatusCode, out, resp.Header
}

// staffAPI makes a user with a role at an organisation and returns an API client for them.
func staffAPI(t *testing.T, ts *testServer, username, role string, org organisations.Organisation) apiClient {
	t.Helper()
	ts.addUser(t, username, role, org.Code, testPassword)
	return demoAPI(t, ts, username)
}

func errorOf(body map[string]any) (code, field, message string) {
	e, _ := body["error"].(map[string]any)
	code, _ = e["code"].(string)
	field, _ = e["field"].(string)
	message, _ = e["message"].(string)
	return
}

func TestPeopleAPI(t *testing.T) {
	ts := startServer(t, testEnv(t))
	health := ts.addOrganisation(t, "HC-API")
	db := ts.openDB(t)
	parent, err := db.GetPlaceByCode(t.Context(), "101103")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePlace(t.Context(), places.Place{Kind: places.Community, Code: "101103-API", NameTH: "ชุมชนทดสอบ API", ParentID: parent.ID}, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	school, err := db.SaveOrganisation(t.Context(), organisations.Organisation{Code: "SCH-API", Kind: organisations.School, NameTH: "โรงเรียนทดสอบ",
		PlaceID: parent.ID, Active: true}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	nurse := staffAPI(t, ts, "nurse.api", account.RoleHealthStaff, health)
	teacher := staffAPI(t, ts, "teacher.api", account.RoleSchoolTeacher, school)
	committee := staffAPI(t, ts, "committee.api", account.RoleCommitteeMember, school)

	status, hh, _ := nurse.call(t, "POST", "/api/v1/households", map[string]any{"community_code": "101103-API", "address": "12/3 ซอยร่มเกล้า 5"}, nil)
	if status != http.StatusCreated {
		t.Fatalf("household: %d %v", status, hh)
	}
	child := map[string]any{"given_name": "ด.ช.สมชาย", "family_name": "ใจดี", "birth_date": "12/01/2562", "national_id": "1-1009-00359-65-7",
		"household_id": hh["id"], "relationship": "child", "given_name_latin": "Somchai"}
	status, p, hdr := nurse.call(t, "POST", "/api/v1/people", child, nil)
	if status != http.StatusCreated || p["title"] != "เด็กชาย" || p["given_name"] != "สมชาย" || p["birth_date"] != "2019-01-12" ||
		p["life_stage"] != "primary" || p["community_code"] != "101103-API" || p["district_code"] != "1011" || p["sex"] != "male" {
		t.Fatalf("create: %d %v", status, p)
	}
	id := p["id"].(string)
	if loc := hdr.Get("Location"); loc != "/api/v1/people/"+id || hdr.Get("ETag") != `"1"` {
		t.Fatalf("Location %q ETag %q", loc, hdr.Get("ETag"))
	}

	// Bad input: each a clear error naming the field, nothing saved.
	bad := []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"given_name": "ก", "national_id": "1100900359658"}, "national_id"},
		{map[string]any{"given_name": "ก", "national_id": "110090035965"}, "national_id"},
		{map[string]any{"given_name": "ก", "birth_date": "2030-01-01"}, "birth_date"},
		{map[string]any{"given_name": "ก", "birth_date": "1476-01-01"}, "birth_date"},
		{map[string]any{"given_name": ""}, "given_name"},
		{map[string]any{"given_name": strings.Repeat("ก", 500)}, "given_name"},
		{map[string]any{"given_name": "<b>x</b>"}, "given_name"},
		{map[string]any{"given_name": "ก", "is_admin": true}, "is_admin"},
		{map[string]any{"given_name": 42}, "given_name"},
	}
	for _, b := range bad {
		status, body, _ := nurse.call(t, "POST", "/api/v1/people", b.body, map[string]string{"Accept-Language": "en"})
		code, field, msg := errorOf(body)
		if status != http.StatusUnprocessableEntity || code != "invalid" || field != b.field || msg == "" {
			t.Errorf("%v: %d %v", b.body, status, body)
		}
	}
	status, body, _ := nurse.call(t, "POST", "/api/v1/people", map[string]any{"given_name": "สมหญิง", "national_id": "1100900359657"}, nil)
	if code, field, _ := errorOf(body); status != http.StatusConflict || code != "conflict" || field != "national_id" {
		t.Fatalf("duplicate national ID: %d %v", status, body)
	}
	// A probable duplicate needs confirmation.
	twin := map[string]any{"given_name": "สมชาญ", "family_name": "ใจดี", "birth_date": "2019-01-12"}
	status, body, _ = nurse.call(t, "POST", "/api/v1/people", twin, nil)
	if code, field, _ := errorOf(body); status != http.StatusConflict || code != "conflict" || field != "confirm_new" {
		t.Fatalf("possible duplicate: %d %v", status, body)
	}
	twin["confirm_new"] = true
	if status, body, _ = nurse.call(t, "POST", "/api/v1/people", twin, nil); status != http.StatusCreated {
		t.Fatalf("confirmed new: %d %v", status, body)
	}

	// PATCH needs If-Match; a stale version is refused.
	status, body, _ = nurse.call(t, "PATCH", "/api/v1/people/"+id, map[string]any{"nickname": "ต้น"}, nil)
	if status != http.StatusPreconditionRequired {
		t.Fatalf("patch without If-Match: %d %v", status, body)
	}
	status, body, _ = nurse.call(t, "PATCH", "/api/v1/people/"+id, map[string]any{"nickname": "ต้น"}, map[string]string{"If-Match": `"1"`})
	if status != http.StatusOK || body["nickname"] != "ต้น" || body["version"].(float64) != 2 || body["family_name"] != "ใจดี" {
		t.Fatalf("patch: %d %v", status, body)
	}
	status, body, _ = nurse.call(t, "PATCH", "/api/v1/people/"+id, map[string]any{"nickname": "ตั้ม"}, map[string]string{"If-Match": `"1"`})
	if code, _, _ := errorOf(body); status != http.StatusPreconditionFailed || code != "stale" {
		t.Fatalf("stale patch: %d %v", status, body)
	}

	// Lookup and search: names and IDs only in bodies.
	status, body, _ = teacher.call(t, "POST", "/api/v1/people/lookup", map[string]any{"national_id": "1100900359657"}, nil)
	if status != http.StatusOK || body["id"] != id {
		t.Fatalf("lookup: %d %v", status, body)
	}
	for _, q := range []string{"สมชาญ", "somchai"} {
		status, body, _ = teacher.call(t, "POST", "/api/v1/people/search", map[string]any{"q": q, "birth_year": 2562}, nil)
		items, _ := body["items"].([]any)
		if status != http.StatusOK || len(items) == 0 || items[0].(map[string]any)["given_name"] == nil {
			t.Fatalf("search %q: %d %v", q, status, body)
		}
		names := []string{}
		for _, it := range items {
			names = append(names, it.(map[string]any)["given_name"].(string))
		}
		if !contains(names, "สมชาย") {
			t.Fatalf("search %q found %v", q, names)
		}
	}

	// Records from two agencies on one timeline.
	today := time.Now().Format("2006-01-02")
	status, body, _ = nurse.call(t, "POST", "/api/v1/people/"+id+"/records", map[string]any{"kind": "vaccination", "occurred_on": today,
		"data": map[string]any{"vaccine": "MMR", "dose": 2}}, nil)
	if status != http.StatusCreated {
		t.Fatalf("vaccination: %d %v", status, body)
	}
	status, body, _ = teacher.call(t, "POST", "/api/v1/people/"+id+"/records", map[string]any{"kind": "school_enrolment", "occurred_on": today,
		"data": map[string]any{"grade": "p1"}}, nil)
	if status != http.StatusCreated {
		t.Fatalf("enrolment: %d %v", status, body)
	}
	status, body, _ = teacher.call(t, "POST", "/api/v1/people/"+id+"/records", map[string]any{"kind": "home_visit", "occurred_on": today,
		"data": map[string]any{"note": "ครูเยี่ยมบ้าน"}}, nil)
	if status != http.StatusCreated {
		t.Fatalf("home visit: %d %v", status, body)
	}
	status, body, _ = teacher.call(t, "POST", "/api/v1/people/"+id+"/records", map[string]any{"kind": "vaccination", "occurred_on": today,
		"organisation_code": "HC-API", "data": map[string]any{"vaccine": "MMR", "dose": 2}}, nil)
	if _, field, _ := errorOf(body); status != http.StatusUnprocessableEntity || field != "organisation_code" {
		t.Fatalf("record for someone else's organisation: %d %v", status, body)
	}
	timeline := func(a apiClient) []map[string]any {
		t.Helper()
		status, body, _ := a.call(t, "GET", "/api/v1/people/"+id+"/timeline", nil, nil)
		if status != http.StatusOK {
			t.Fatalf("timeline: %d %v", status, body)
		}
		var out []map[string]any
		for _, it := range body["items"].([]any) {
			out = append(out, it.(map[string]any))
		}
		return out
	}
	nurseView := timeline(nurse)
	if len(nurseView) != 3 {
		t.Fatalf("nurse timeline: %v", nurseView)
	}
	for _, rec := range nurseView {
		switch rec["kind"] {
		case "home_visit": // the school's sensitive note: the nurse sees that it exists, not what it says
			if rec["restricted"] != true || rec["data"] != nil {
				t.Fatalf("sensitive home visit shown to the nurse: %v", rec)
			}
		default:
			if rec["restricted"] != false || rec["data"] == nil {
				t.Fatalf("record hidden from the nurse: %v", rec)
			}
		}
	}
	for _, rec := range timeline(teacher) {
		if rec["restricted"] != false {
			t.Fatalf("teacher cannot read a record: %v", rec)
		}
	}
	status, body, _ = teacher.call(t, "GET", "/api/v1/people/"+id, nil, nil)
	if status != http.StatusOK || body["life_stage"] != "primary" {
		t.Fatalf("teacher reads the child: %d %v", status, body)
	}

	// Aggregates-only roles see no person.
	for _, path := range []string{"/api/v1/people/" + id, "/api/v1/people/" + id + "/timeline", "/api/v1/households/" + hh["id"].(string)} {
		if status, _, _ := committee.call(t, "GET", path, nil, nil); status != http.StatusForbidden {
			t.Errorf("committee member reads %s: %d", path, status)
		}
	}
	if status, _, _ := committee.call(t, "POST", "/api/v1/people/search", map[string]any{"q": "สมชาย"}, nil); status != http.StatusForbidden {
		t.Errorf("committee member searches people: %d", status)
	}

	// The household shows its members.
	status, body, _ = teacher.call(t, "GET", "/api/v1/households/"+hh["id"].(string), nil, nil)
	if members, _ := body["members"].([]any); status != http.StatusOK || len(members) != 1 {
		t.Fatalf("household: %d %v", status, body)
	}
}
