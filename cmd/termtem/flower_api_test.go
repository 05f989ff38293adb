package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
)

// raw sends a body as it is and answers the status, body and headers.
func (a apiClient) raw(t *testing.T, method, path string, body []byte, headers map[string]string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, a.base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, text := a.do(t, req)
	return resp.StatusCode, text, resp.Header
}

func items(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	raw, ok := body["items"].([]any)
	if !ok {
		t.Fatalf("no items in %v", body)
	}
	out := make([]map[string]any, 0, len(raw))
	for _, it := range raw {
		out = append(out, it.(map[string]any))
	}
	return out
}

// indicator finds an indicator's entry by code in an assessment's list.
func indicator(a map[string]any, list, code string) map[string]any {
	xs, _ := a[list].([]any)
	for _, x := range xs {
		if m := x.(map[string]any); m["code"] == code {
			return m
		}
	}
	return nil
}

// TestFlowerAPI: instruments, assessments, sensitive indicators, the flower
// SVG, alerts and self-assessment codes through the JSON API.
func TestFlowerAPI(t *testing.T) {
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
	community, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-FA", NameTH: "ชุมชนทดสอบดอกไม้", ParentID: subDistrict.ID}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	dsw, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "DSW-FA", Kind: organisations.DistrictSocialWelfare,
		NameTH: "ศูนย์บริการสังคมทดสอบ", NameEN: "Test social-welfare unit", PlaceID: district.ID, Active: true}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	health := ts.addOrganisation(t, "HC-FA")
	household, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID, Address: "9 ซอยร่มเกล้า 1"}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	// 21 months old, with no vaccination or screening on record.
	child, err := db.CreatePerson(ctx, people.Person{GivenName: "ด.ญ.ใบเตย", FamilyName: "ดีใจ", Sex: people.Female,
		BirthDate: time.Now().AddDate(0, -21, 0).Format("2006-01-02"), HouseholdID: household.ID, Relation: people.RelChild}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	worker := staffAPI(t, ts, "worker.fa", account.RoleCaseManager, dsw)                 // sensitive:safety, the district's alerts
	volunteer := staffAPI(t, ts, "volunteer.fa", account.RoleCommunityVolunteer, health) // assessments, no sensitive category
	nurse := staffAPI(t, ts, "nurse.fa", account.RoleHealthStaff, health)                // alerts of another unit
	admin := staffAPI(t, ts, "admin.fa", account.RoleSystemAdmin, health)
	en := map[string]string{"Accept-Language": "en"}

	// Instruments: the seeded version, a new one, and files refused with
	// every problem named by field and line.
	status, body, _ := volunteer.call(t, "GET", "/api/v1/instruments", nil, nil)
	if list := items(t, body); status != http.StatusOK || len(list) != 1 || list[0]["code"] != "termtem-default" || list[0]["current"] != true {
		t.Fatalf("instruments: %d %v", status, body)
	}
	v1 := flower.DefaultFileBytes()
	v2 := bytes.Replace(v1, []byte(`"version": 1`), []byte(`"version": 2`), 1)
	if status, _, _ := volunteer.raw(t, "POST", "/api/v1/instruments", v2, nil); status != http.StatusForbidden {
		t.Fatalf("a volunteer published an instrument: %d", status)
	}
	broken := bytes.ReplaceAll(v2, []byte(`"kind": "worst"`), []byte(`"kind": "best"`))
	status, text, _ := admin.raw(t, "POST", "/api/v1/instruments", broken, en)
	var failed struct {
		Error struct {
			Code, Message, Field string
			Line                 int
			Problems             []struct {
				Message, Field string
				Line           int
			}
		}
	}
	if err := json.Unmarshal([]byte(text), &failed); err != nil || status != http.StatusUnprocessableEntity || len(failed.Error.Problems) != 4 {
		t.Fatalf("broken rules: %d %s", status, text)
	}
	for _, p := range failed.Error.Problems {
		if !strings.HasPrefix(p.Field, "dimensions") || p.Line < 2 || p.Message == "" || strings.Contains(p.Message, "flower.") {
			t.Errorf("problem without field, line or message: %+v", p)
		}
	}
	if failed.Error.Field != failed.Error.Problems[0].Field || failed.Error.Line != failed.Error.Problems[0].Line {
		t.Errorf("the first problem is not the error's: %+v", failed.Error)
	}
	status, text, hdr := admin.raw(t, "POST", "/api/v1/instruments", v2, nil)
	if status != http.StatusCreated || hdr.Get("Location") != "/api/v1/instruments/termtem-default/2" || !strings.Contains(text, `"current":true`) {
		t.Fatalf("publish v2: %d %s", status, text)
	}
	status, text, _ = admin.raw(t, "POST", "/api/v1/instruments", v2, en)
	_ = json.Unmarshal([]byte(text), &failed)
	if status != http.StatusUnprocessableEntity || failed.Error.Field != "version" || failed.Error.Line != 3 || !strings.Contains(failed.Error.Message, "3") {
		t.Fatalf("reused version: %d %s", status, text)
	}
	status, body2, _ := volunteer.call(t, "GET", "/api/v1/instruments", nil, nil)
	if list := items(t, body2); status != http.StatusOK || len(list) != 2 || list[0]["version"] != 2.0 || list[0]["current"] != true || list[1]["current"] != false {
		t.Fatalf("instruments after publishing: %v", body2)
	}
	status, text, hdr = volunteer.raw(t, "GET", "/api/v1/instruments/termtem-default/1", nil, nil)
	if status != http.StatusOK || text != string(v1) || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("instrument file: %d %.200s", status, text)
	}
	for _, path := range []string{"/api/v1/instruments/termtem-default/9", "/api/v1/instruments/termtem-default/x", "/api/v1/instruments/nope/1"} {
		if status, _, _ := volunteer.raw(t, "GET", path, nil, nil); status != http.StatusNotFound {
			t.Errorf("%s: %d", path, status)
		}
	}

	// Bad answers: 422 naming the answer, nothing stored.
	for _, c := range []struct {
		subject, id string
		answers     map[string]any
		field       string
	}{
		{"child", child.ID, map[string]any{"SAF03": map[string]any{"option": "sometimes_maybe"}}, "answers[SAF03].option"},
		{"child", child.ID, map[string]any{"ECO01": map[string]any{"number": 3000}}, "answers[ECO01]"}, // a household question
		{"household", household.ID, map[string]any{"ECO01": map[string]any{"number": 2000000}}, "answers[ECO01].number"},
		{"child", child.ID, map[string]any{"SAF03": map[string]any{"option": "never", "colour": "green"}}, "colour"},
		{"child", "0190d7a4-0000-7000-8000-000000000000", map[string]any{}, "subject_id"},
		{"pet", child.ID, map[string]any{}, "subject"},
	} {
		status, body, _ := worker.call(t, "POST", "/api/v1/assessments", map[string]any{"subject": c.subject, "subject_id": c.id, "answers": c.answers}, en)
		if code, field, msg := errorOf(body); status != http.StatusUnprocessableEntity || code != "invalid" || field != c.field || msg == "" {
			t.Errorf("%v: %d %v, want field %s", c.answers, status, body, c.field)
		}
	}
	status, body, _ = worker.call(t, "POST", "/api/v1/assessments", map[string]any{"subject": "child", "subject_id": child.ID,
		"organisation_id": health.ID, "answers": map[string]any{}}, nil)
	if _, field, _ := errorOf(body); status != http.StatusUnprocessableEntity || field != "organisation_id" {
		t.Fatalf("assessing for another organisation: %d %v", status, body)
	}
	if status, _, _ := admin.call(t, "POST", "/api/v1/assessments", map[string]any{"subject": "child", "subject_id": child.ID}, nil); status != http.StatusForbidden {
		t.Fatalf("an administrator assessed a child: %d", status)
	}

	// An urgent red safety answer opens an alert for the district's unit.
	status, created, _ := worker.call(t, "POST", "/api/v1/assessments", map[string]any{"subject": "child", "subject_id": child.ID,
		"answers": map[string]any{"SAF03": map[string]any{"option": "alone_or_repeated", "note": "อยู่บ้านคนเดียวตอนกลางวัน"}}}, nil)
	if status != http.StatusCreated || created["instrument_version"] != 2.0 || created["source"] != "staff" || created["person_id"] != child.ID ||
		created["organisation_id"] != dsw.ID {
		t.Fatalf("assessment: %d %v", status, created)
	}
	levels, _ := created["levels"].(map[string]any)
	if levels["safety"] != "red" || levels["health"] != "red" || levels["economy"] != "unknown" {
		t.Fatalf("levels %v", levels)
	}
	if saf := indicator(created, "indicators", "SAF03"); saf == nil || saf["level"] != "red" || saf["urgent"] != true || saf["restricted"] != false {
		t.Fatalf("SAF03 for the social worker: %v", saf)
	}
	opened, _ := created["alerts_opened"].([]any)
	if len(opened) != 3 || opened[0].(map[string]any)["key"] != "urgent:SAF03" {
		t.Fatalf("alerts opened: %v", opened)
	}

	// Sensitive content only for roles granted it; the petal stays.
	read := func(a apiClient, path string) []map[string]any {
		t.Helper()
		status, body, _ := a.call(t, "GET", path, nil, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %v", path, status, body)
		}
		return items(t, body)
	}
	hidden := read(volunteer, "/api/v1/people/"+child.ID+"/assessments")
	if len(hidden) != 1 || hidden[0]["levels"].(map[string]any)["safety"] != "red" {
		t.Fatalf("volunteer's assessments: %v", hidden)
	}
	saf := indicator(hidden[0], "indicators", "SAF03")
	if saf == nil || saf["restricted"] != true || len(saf) != 3 || saf["dimension"] != "safety" {
		t.Fatalf("SAF03 shown to a volunteer: %v", saf)
	}
	for _, list := range []string{"concerns", "urgent"} {
		for _, x := range hidden[0][list].([]any) {
			if m := x.(map[string]any); m["dimension"] == "safety" && (m["restricted"] != true || m["code"] != nil || m["note"] != nil) {
				t.Fatalf("%s shows a restricted indicator: %v", list, m)
			}
		}
	}
	if strings.Contains(mustJSON(t, hidden), "อยู่บ้านคนเดียว") || strings.Contains(mustJSON(t, hidden), "alone_or_repeated") {
		t.Fatal("the volunteer sees the safety note or answer")
	}
	if hlt := indicator(hidden[0], "indicators", "HLT02"); hlt == nil || hlt["restricted"] != false || hlt["level"] != "red" || hlt["derived"] != true {
		t.Fatalf("a non-sensitive derived indicator: %v", hlt)
	}
	shown := read(worker, "/api/v1/people/"+child.ID+"/assessments")
	if saf := indicator(shown[0], "indicators", "SAF03"); saf["option"] != "alone_or_repeated" || saf["note"] != "อยู่บ้านคนเดียวตอนกลางวัน" {
		t.Fatalf("SAF03 for the social worker: %v", saf)
	}
	if got := read(volunteer, "/api/v1/households/"+household.ID+"/assessments"); len(got) != 0 {
		t.Fatalf("household assessments %v", got)
	}
	for _, path := range []string{"/api/v1/people/" + household.ID + "/assessments", "/api/v1/households/" + child.ID + "/assessments",
		"/api/v1/people/" + household.ID + "/flower.svg"} {
		if status, _, _ := worker.raw(t, "GET", path, nil, nil); status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, status)
		}
	}
	if status, _, _ := admin.raw(t, "GET", "/api/v1/people/"+child.ID+"/assessments", nil, nil); status != http.StatusForbidden {
		t.Errorf("an administrator read assessments: %d", status)
	}

	// The flower: the latest staff levels, grey when never assessed.
	status, svg, hdr := volunteer.raw(t, "GET", "/api/v1/people/"+child.ID+"/flower.svg", nil, en)
	if status != http.StatusOK || hdr.Get("Content-Type") != "image/svg+xml; charset=utf-8" || hdr.Get("Cache-Control") != "private, no-store" {
		t.Fatalf("flower: %d %v %.200s", status, hdr, svg)
	}
	mustXML(t, svg)
	for _, want := range []string{`data-dimension="safety" data-level="red"`, `data-dimension="economy" data-level="unknown"`,
		`fill="` + flower.ColourRed + `"`, "Safety (S): red", `width="200"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("flower lacks %s", want)
		}
	}
	_, svg, _ = volunteer.raw(t, "GET", "/api/v1/households/"+household.ID+"/flower.svg?size=small", nil, nil)
	mustXML(t, svg)
	if strings.Count(svg, `data-level="unknown"`) != 4 || strings.Contains(svg, flower.ColourRed) || !strings.Contains(svg, `width="64"`) ||
		!strings.Contains(svg, "ยังไม่ทราบ") {
		t.Fatalf("unassessed household's flower: %s", svg)
	}
	if status, _, _ := volunteer.raw(t, "GET", "/api/v1/people/"+child.ID+"/flower.svg?size=huge", nil, nil); status != http.StatusUnprocessableEntity {
		t.Fatalf("size=huge: %d", status)
	}

	// The alert reaches the district's social worker, not the nurse.
	status, body, _ = worker.call(t, "GET", "/api/v1/alerts?status=open", nil, nil)
	inbox := items(t, body)
	if status != http.StatusOK || len(inbox) != 3 || inbox[0]["key"] != "urgent:SAF03" || inbox[0]["to_me"] != "organisation" {
		t.Fatalf("worker's alerts: %d %v", status, body)
	}
	alert := "/api/v1/alerts/" + inbox[0]["id"].(string)
	if status, body, _ = nurse.call(t, "GET", "/api/v1/alerts", nil, nil); status != http.StatusOK || len(items(t, body)) != 0 {
		t.Fatalf("nurse's alerts: %d %v", status, body)
	}
	if status, _, _ = worker.call(t, "GET", "/api/v1/alerts?status=late", nil, nil); status != http.StatusUnprocessableEntity {
		t.Fatalf("status=late: %d", status)
	}
	if status, _, _ = admin.call(t, "GET", "/api/v1/alerts", nil, nil); status != http.StatusForbidden {
		t.Fatalf("administrator's alerts: %d", status)
	}
	if status, _, _ = worker.call(t, "POST", alert+"/acknowledge", nil, nil); status != http.StatusPreconditionRequired {
		t.Fatalf("acknowledge without If-Match: %d", status)
	}
	if status, body, _ = worker.call(t, "POST", alert+"/acknowledge", nil, map[string]string{"If-Match": `"7"`}); status != http.StatusPreconditionFailed {
		t.Fatalf("stale acknowledge: %d %v", status, body)
	}
	if status, _, _ = nurse.call(t, "POST", alert+"/acknowledge", nil, map[string]string{"If-Match": `"1"`}); status != http.StatusNotFound {
		t.Fatalf("nurse acknowledges another unit's alert: %d", status)
	}
	status, body, hdr = worker.call(t, "POST", alert+"/acknowledge", nil, map[string]string{"If-Match": `"1"`})
	if status != http.StatusOK || body["status"] != "acknowledged" || hdr.Get("ETag") != `"2"` {
		t.Fatalf("acknowledge: %d %v", status, body)
	}
	if status, _, _ = worker.call(t, "POST", alert+"/acknowledge", nil, map[string]string{"If-Match": `"1"`}); status != http.StatusPreconditionFailed {
		t.Fatalf("acknowledge twice with the old version: %d", status)
	}
	if status, body, _ = worker.call(t, "POST", alert+"/resolve", map[string]any{"resolution": " "}, map[string]string{"If-Match": `"2"`}); status != http.StatusUnprocessableEntity {
		t.Fatalf("resolve without saying what was done: %d %v", status, body)
	}
	if status, _, _ = nurse.call(t, "POST", alert+"/resolve", map[string]any{"resolution": "x"}, map[string]string{"If-Match": `"2"`}); status != http.StatusNotFound {
		t.Fatalf("nurse resolves another unit's alert: %d", status)
	}
	status, body, _ = worker.call(t, "POST", alert+"/resolve", map[string]any{"resolution": "เยี่ยมบ้าน จัดผู้ดูแลกลางวันแล้ว"}, map[string]string{"If-Match": `"2"`})
	if status != http.StatusOK || body["status"] != "resolved" || body["resolution"] != "เยี่ยมบ้าน จัดผู้ดูแลกลางวันแล้ว" {
		t.Fatalf("resolve: %d %v", status, body)
	}
	if status, body, _ = worker.call(t, "GET", "/api/v1/alerts?status=resolved", nil, nil); len(items(t, body)) != 1 {
		t.Fatalf("resolved alerts: %d %v", status, body)
	}

	// The answer to an assessment is restricted the same way.
	status, created, _ = volunteer.call(t, "POST", "/api/v1/assessments", map[string]any{"subject": "child", "subject_id": child.ID,
		"answers": map[string]any{"SAF03": map[string]any{"option": "never"}}}, nil)
	if saf := indicator(created, "indicators", "SAF03"); status != http.StatusCreated || saf == nil || saf["restricted"] != true || saf["option"] != nil {
		t.Fatalf("volunteer's assessment: %d %v", status, created)
	}

	// A self-assessment code, shown once and never logged.
	status, body, _ = worker.call(t, "POST", "/api/v1/households/"+household.ID+"/self-assessment-codes", nil, nil)
	code, _ := body["code"].(string)
	if status != http.StatusCreated || !regexp.MustCompile(`^\d{5} \d{5}$`).MatchString(code) || body["expires_at"] == nil {
		t.Fatalf("self-assessment code: %d %v", status, body)
	}
	if digits := strings.ReplaceAll(code, " ", ""); strings.Contains(ts.logs.String(), digits) || strings.Contains(ts.logs.String(), code) {
		t.Fatal("the self-assessment code is in the log")
	}
	if status, _, _ = worker.call(t, "POST", "/api/v1/households/"+child.ID+"/self-assessment-codes", map[string]any{}, nil); status != http.StatusNotFound {
		t.Fatalf("a code for an unknown household: %d", status)
	}
	if status, _, _ = admin.call(t, "POST", "/api/v1/households/"+household.ID+"/self-assessment-codes", nil, nil); status != http.StatusForbidden {
		t.Fatalf("an administrator made a code: %d", status)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mustXML checks that a document is well-formed XML with an <svg> root.
func mustXML(t *testing.T, doc string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v\n%s", err, doc)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q", root)
	}
}
