package main

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"termtem/internal/audit"
	"termtem/internal/flower"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// reportChildName is a child of the committee's district: the map, the
// report and its PDF must never show it.
const reportChildName = "ด.ญ.ลับเฉพาะ"

// reportWorld adds a committee member of Lat Krabang (HC-MR) and six
// children there red in safety, one of them named reportChildName.
func reportWorld(t *testing.T, ts *testServer) {
	t.Helper()
	org := ts.addOrganisation(t, "HC-MR")
	ts.addUser(t, "committee.mr", "committee_member", "HC-MR", testPassword)
	db := ts.openDB(t)
	ctx := t.Context()
	sub, err := db.GetPlaceByCode(ctx, "101103")
	if err != nil {
		t.Fatal(err)
	}
	community, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: "101103-MR", NameTH: "ชุมชนรายงาน", ParentID: sub.ID}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	hh, err := db.SaveHousehold(ctx, people.Household{CommunityID: community.ID}, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		name := "ด.ช.ทดสอบรายงาน"
		if i == 0 {
			name = reportChildName
		}
		child, err := db.CreatePerson(ctx, people.Person{GivenName: name, BirthDate: "2020-06-01", HouseholdID: hh.ID}, audit.Event{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: child.ID, Source: store.ByStaff,
			OrganisationID: org.ID, Answers: map[string]flower.Answer{"SAF01": {Option: "no"}}}, audit.Event{}); err != nil {
			t.Fatal(err)
		}
	}
}

// The map and the committee report over HTTP: what a committee member of
// Lat Krabang sees, and the bad addresses.
func TestMapAndReportHTTP(t *testing.T) {
	ts := startServer(t, testEnv(t))
	reportWorld(t, ts)
	c := newClient(t, ts.URL)
	if resp, _ := login(t, c, "committee.mr", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	resp, body := c.get(t, "/map", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/map: %d", resp.StatusCode)
	}
	for _, want := range []string{`class="district-map"`, `<title>ลาดกระบัง: 100.0%</title>`, `data-class="-2"`, "สัดส่วนเด็กที่มิติสวัสดิภาพเป็นสีแดง",
		`href="/reports/committee?area=1011&amp;indicator=red_safety"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/map lacks %s", want)
		}
	}
	if strings.Count(body, `class="district"`) != 50 {
		t.Errorf("/map draws %d districts", strings.Count(body, `class="district"`))
	}
	// Bad addresses: a clear 400 naming the value; another district 403.
	for path, want := range map[string]int{
		"/map?indicator=red_everything":                 http.StatusBadRequest,
		"/map?area=9999":                                http.StatusBadRequest,
		"/map?area=1001":                                http.StatusForbidden,
		"/map?area=10-Z4":                               http.StatusForbidden, // the zone group: other districts in it
		"/map?area=10":                                  http.StatusForbidden,
		"/reports/committee?area=1001":                  http.StatusForbidden,
		"/reports/committee?area=10-Z4":                 http.StatusForbidden,
		"/reports/committee?from=2026-10&to=2026-03":    http.StatusBadRequest,
		"/reports/committee?from=1976-01&to=2026-01":    http.StatusBadRequest,
		"/reports/committee?from=2026-1x":               http.StatusBadRequest,
		"/reports/committee?indicator=nope":             http.StatusBadRequest,
		"/reports/committee.pdf?area=1001":              http.StatusForbidden,
		"/reports/committee.pdf?from=2026-10&to=2026-3": http.StatusBadRequest,
	} {
		resp, body := c.get(t, path, nil)
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
		if strings.Contains(body, reportChildName) {
			t.Errorf("%s shows a child's name", path)
		}
	}
	if _, body := c.get(t, "/map?indicator=red_everything", nil); !strings.Contains(body, "ไม่รู้จักตัวชี้วัด") || !strings.Contains(body, "red_everything") {
		t.Errorf("unknown indicator: message missing")
	}
	if _, body := c.get(t, "/reports/committee?from=2026-10&to=2026-03", nil); !strings.Contains(body, "เดือนเริ่มต้นอยู่หลังเดือนสุดท้าย") {
		t.Errorf("reversed period: message missing")
	}
	resp, body = c.get(t, "/reports/committee", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/reports/committee: %d", resp.StatusCode)
	}
	for _, want := range []string{"รายงานเขตลาดกระบัง", "การกระจายของดอกไม้ 4 มิติ", `id="table-gaps"`, `id="table-flower_children"`, `id="report-pdf"`, `class="district-map"`} {
		if !strings.Contains(body, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	if strings.Contains(body, reportChildName) || strings.Contains(body, "ทดสอบรายงาน") {
		t.Error("the report shows a child's name")
	}
	// A role without aggregates: refused.
	ts.addUser(t, "nurse.mr", "health_staff", "HC-MR", testPassword)
	n := newClient(t, ts.URL)
	login(t, n, "nurse.mr", testPassword)
	if resp, _ := n.get(t, "/map", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("/map as a nurse: %d", resp.StatusCode)
	}
}

// The committee report printed to PDF by Chromium: a PDF, in Thai, without
// names; without Chromium a clear 503.
func TestReportPDF(t *testing.T) {
	chromium := os.Getenv("TERMTEM_TEST_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		storetest.Skip(t, "no Chromium for the PDF: "+err.Error())
	}
	env := testEnv(t)
	getenv := func(k string) string {
		if k == "TERMTEM_CHROMIUM" {
			return chromium
		}
		return env(k)
	}
	ts := startServer(t, getenv)
	reportWorld(t, ts)
	c := newClient(t, ts.URL)
	login(t, c, "committee.mr", testPassword)
	resp, body := c.get(t, "/reports/committee.pdf", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PDF: %d %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("content type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="termtem-report-1011-`) {
		t.Errorf("disposition %q", cd)
	}
	if !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("not a PDF: %q", body[:min(len(body), 20)])
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		storetest.Skip(t, "no pdftotext (Debian poppler-utils) to read the PDF back")
	}
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	// The period and the date are in the Buddhist Era (25xx).
	for _, want := range []string{"รายงานเขตลาดกระบัง", "การกระจายของดอกไม้", "สวัสดิภาพ", "กรุงเทพตะวันออก", " 256"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, reportChildName) || strings.Contains(text, "ทดสอบรายงาน") {
		t.Error("the PDF names a child")
	}
	fonts, err := exec.Command("pdffonts", file).Output()
	if err == nil && !strings.Contains(string(fonts), "Waree") && !strings.Contains(string(fonts), "Loma") && !strings.Contains(string(fonts), "Garuda") {
		t.Errorf("no Thai font embedded:\n%s", fonts)
	}

	// Without Chromium: 503 with a message that says what is missing.
	getenv = func(k string) string {
		if k == "TERMTEM_CHROMIUM" {
			return "/nonexistent/chromium"
		}
		return env(k)
	}
	ts2 := startServer(t, getenv)
	ts2.addUser(t, "committee.mr2", "committee_member", "HC-MR", testPassword)
	c2 := newClient(t, ts2.URL)
	login(t, c2, "committee.mr2", testPassword)
	resp, body = c2.get(t, "/reports/committee.pdf", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "TERMTEM_CHROMIUM") || !strings.Contains(body, "fonts-thai-tlwg") {
		t.Errorf("PDF without Chromium: %d", resp.StatusCode)
	}
	if resp, _ := c2.get(t, "/reports/committee", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("HTML report without Chromium: %d", resp.StatusCode)
	}
}

// An administrator gives a community its location on the community form
// (a slip refused on the form, naming the field); the committee member's
// map then shows it as a point with its value.
func TestCommunityLocationAndPoints(t *testing.T) {
	ts := startServer(t, testEnv(t))
	reportWorld(t, ts)
	ts.addUser(t, "admin.mr", "system_admin", "HC-MR", testPassword)
	db := ts.openDB(t)
	community, err := db.GetPlaceByCode(t.Context(), "101103-MR")
	if err != nil {
		t.Fatal(err)
	}
	a := newClient(t, ts.URL)
	login(t, a, "admin.mr", testPassword)
	resp, body := a.get(t, "/places/"+community.ID+"/edit", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="latitude"`) {
		t.Fatalf("community form: %d, location fields: %v", resp.StatusCode, strings.Contains(body, `id="latitude"`))
	}
	form := url.Values{"code": {community.Code}, "name_th": {community.NameTH}, "version": {strconv.Itoa(community.Version)},
		"latitude": {"100.7782"}, "longitude": {"13.7279"}} // swapped
	resp, body = a.post(t, "/places/"+community.ID, form, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="latitude-error"`) || !strings.Contains(body, "นอกกรุงเทพมหานคร") {
		t.Fatalf("swapped coordinates: %d", resp.StatusCode)
	}
	if !strings.Contains(body, `value="100.7782"`) {
		t.Error("the form lost what was typed")
	}
	form.Set("latitude", "13,7279") // a phone's decimal comma
	form.Set("longitude", "")
	if resp, body = a.post(t, "/places/"+community.ID, form, nil); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="longitude-error"`) {
		t.Fatalf("latitude alone: %d", resp.StatusCode)
	}
	form.Set("longitude", "100.7782")
	if resp, _ = a.post(t, "/places/"+community.ID, form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save location: %d", resp.StatusCode)
	}
	if got, _ := db.GetPlace(t.Context(), community.ID); !got.Located || got.Lat != 13.7279 || got.Lon != 100.7782 {
		t.Fatalf("stored %+v", got)
	}

	c := newClient(t, ts.URL)
	login(t, c, "committee.mr", testPassword)
	resp, body = c.get(t, "/map?area=1011&view=communities", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("community map: %d", resp.StatusCode)
	}
	for _, want := range []string{`class="community-map"`, `<title>ชุมชนรายงาน: 100.0%</title>`, `id="map-table"`} {
		if !strings.Contains(body, want) {
			t.Errorf("community map lacks %s", want)
		}
	}
	if strings.Contains(body, reportChildName) {
		t.Error("the community map names a child")
	}
	if resp, _ := c.get(t, "/map?area=1011&view=houses", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown view: %d", resp.StatusCode)
	}
	if resp, _ := c.get(t, "/map?area=1001&view=communities", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another district's communities: %d", resp.StatusCode)
	}
}
