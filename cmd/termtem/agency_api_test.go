package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/people"
	"termtem/internal/store"
)

// agencyCID makes a valid national ID from a number.
func agencyCID(n int) string {
	d := fmt.Sprintf("1%011d", 70000000000+n)
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(d[i]-'0') * (13 - i)
	}
	return d + fmt.Sprint((11-sum%11)%10)
}

// ndjson posts lines to a bulk endpoint as the client.
func (a apiClient) ndjson(t *testing.T, path, body, contentType string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", a.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept-Language", "en")
	resp, text := a.do(t, req)
	out := map[string]any{}
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		t.Fatalf("%s: not JSON: %s", path, text)
	}
	return resp.StatusCode, out
}

func counts(res map[string]any) map[string]int {
	c, _ := res["counts"].(map[string]any)
	out := map[string]int{}
	for k, v := range c {
		f, _ := v.(float64)
		out[k] = int(f)
	}
	return out
}

func firstRejected(res map[string]any) (line int, field, code string) {
	rs, _ := res["rejected"].([]any)
	if len(rs) == 0 {
		return 0, "", ""
	}
	r := rs[0].(map[string]any)
	l, _ := r["line"].(float64)
	field, _ = r["field"].(string)
	code, _ = r["code"].(string)
	return int(l), field, code
}

// TestServiceAccountsAndBulkAPI: an organisation administrator makes a
// service account and its tokens; the account uploads people and records
// as NDJSON; bad lines are reported by line and field with nothing of
// their batch written; another organisation's token and a revoked one get
// nothing.
func TestServiceAccountsAndBulkAPI(t *testing.T) {
	ts := startServer(t, testEnv(t))
	orgA := ts.addOrganisation(t, "HC-SA1")
	orgB := ts.addOrganisation(t, "HC-SA2")
	db := ts.openDB(t)
	adminA := staffAPI(t, ts, "admin.sa1", account.RoleOrganisationAdmin, orgA)
	adminB := staffAPI(t, ts, "admin.sa2", account.RoleOrganisationAdmin, orgB)

	// Making service accounts: own organisation only, no administrator role.
	status, body, _ := adminA.call(t, "POST", "/api/v1/service-accounts", map[string]any{"username": "moe.sync", "display_name": "ระบบ DMC",
		"organisation_id": orgB.ID, "role": account.RoleDataOfficer}, nil)
	if status != http.StatusForbidden {
		t.Fatalf("account in another organisation: %d %v", status, body)
	}
	status, body, _ = adminA.call(t, "POST", "/api/v1/service-accounts", map[string]any{"username": "moe.sync", "display_name": "ระบบ DMC",
		"organisation_id": orgA.ID, "role": account.RoleOrganisationAdmin}, nil)
	if code, field, _ := errorOf(body); status != http.StatusUnprocessableEntity || code != "invalid" || field != "role" {
		t.Fatalf("administrator role: %d %v", status, body)
	}
	status, body, _ = adminA.call(t, "POST", "/api/v1/service-accounts", map[string]any{"username": "moe.sync", "display_name": "ระบบ DMC",
		"organisation_id": orgA.ID, "role": account.RoleDataOfficer, "password": "x"}, nil)
	if _, field, _ := errorOf(body); status != http.StatusUnprocessableEntity || field != "password" {
		t.Fatalf("unknown field: %d %v", status, body)
	}
	status, sa, hdr := adminA.call(t, "POST", "/api/v1/service-accounts", map[string]any{"username": "moe.sync", "display_name": "ระบบ DMC",
		"organisation_id": orgA.ID, "role": account.RoleDataOfficer}, nil)
	if status != http.StatusCreated || sa["organisation_code"] != "HC-SA1" || sa["role"] != account.RoleDataOfficer || hdr.Get("Location") == "" {
		t.Fatalf("create: %d %v", status, sa)
	}
	saID := sa["id"].(string)
	if u, err := db.GetUser(t.Context(), saID); err != nil || u.Kind != account.ServiceAccount || u.PasswordHash != "" {
		t.Fatalf("stored account %+v %v", u, err)
	}
	// Another organisation's administrator neither sees it nor issues for it.
	if status, list, _ := adminB.call(t, "GET", "/api/v1/service-accounts", nil, nil); status != http.StatusOK || list["count"].(float64) != 0 {
		t.Fatalf("B's list: %d %v", status, list)
	}
	if status, body, _ := adminB.call(t, "POST", "/api/v1/service-accounts/"+saID+"/tokens", map[string]any{"name": "x"}, nil); status != http.StatusNotFound {
		t.Fatalf("B issues for A's account: %d %v", status, body)
	}
	// A token, shown once, stored hashed, its issue audited.
	status, tok, hdr := adminA.call(t, "POST", "/api/v1/service-accounts/"+saID+"/tokens", map[string]any{"name": "nightly", "expires_in_days": 30}, nil)
	secret, _ := tok["token"].(string)
	if status != http.StatusCreated || !strings.HasPrefix(secret, account.APITokenPrefix) || hdr.Get("Cache-Control") != "no-store" {
		t.Fatalf("issue: %d %v", status, tok)
	}
	tokenID := tok["id"].(string)
	stored, err := db.GetAPITokenByHash(t.Context(), account.HashSecret(secret))
	if err != nil || stored.ID != tokenID || stored.TokenHash == secret {
		t.Fatalf("stored token %+v %v", stored, err)
	}
	status, list, _ := adminA.call(t, "GET", "/api/v1/service-accounts", nil, nil)
	if status != http.StatusOK || strings.Contains(fmt.Sprint(list), secret) || list["count"].(float64) != 1 {
		t.Fatalf("A's list: %d %v", status, list)
	}
	svc := apiClient{client: newClient(t, ts.URL), token: secret}
	if status, me, _ := svc.call(t, "GET", "/api/v1/me", nil, nil); status != http.StatusOK || me["kind"] != "service" {
		t.Fatalf("me: %d %v", status, me)
	}
	// A service account administers nothing.
	if status, _, _ := svc.call(t, "GET", "/api/v1/service-accounts", nil, nil); status != http.StatusForbidden {
		t.Fatalf("service account lists accounts: %d", status)
	}

	// Bulk people: three children, one with an enrolment.
	roster := fmt.Sprintf(`{"local_id":"S1","national_id":"%s","given_name":"สมชาย","family_name":"ใจดี","sex":"ชาย","birth_date":"2019-05-31","school_grade":"ป.1","enrolled_on":"2025-05-16"}
{"local_id":"S2","given_name":"สมหญิง","family_name":"ใจดี","sex":"หญิง","birth_date":"2018-02-01"}
{"local_id":"S3","national_id":"%s","given_name":"มานี","birth_date":"2017-12-24"}
`, agencyCID(1), agencyCID(3))
	if status, res := svc.ndjson(t, "/api/v1/bulk/people", roster, "application/json"); status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong content type: %d %v", status, res)
	}
	status, res := svc.ndjson(t, "/api/v1/bulk/people?source=dmc", roster, "application/x-ndjson")
	if c := counts(res); status != http.StatusOK || res["status"] != "done" || c["created"] != 3 || c["records"] != 1 {
		t.Fatalf("bulk people: %d %v", status, res)
	}
	jobID := res["job_id"].(string)
	// The same lines again change nothing.
	status, res = svc.ndjson(t, "/api/v1/bulk/people?source=dmc", roster, "application/x-ndjson; charset=utf-8")
	if c := counts(res); status != http.StatusOK || c["unchanged"] != 3 || c["created"] != 0 {
		t.Fatalf("again: %d %v", status, res)
	}
	// Bad JSON on line 2: the batch is not written, the answer names the line.
	bad := fmt.Sprintf(`{"local_id":"S4","national_id":"%s","given_name":"ปิติ","birth_date":"2019-01-01"}
{"local_id":"S5","given_name":"ชูใจ"
`, agencyCID(4))
	status, res = svc.ndjson(t, "/api/v1/bulk/people?source=dmc", bad, "application/x-ndjson")
	if code, _, _ := errorOf(res); status != http.StatusUnprocessableEntity || res["status"] != "failed" || code != "invalid" || counts(res)["created"] != 0 {
		t.Fatalf("bad JSON: %d %v", status, res)
	}
	if line, _, code := firstRejected(res); line != 2 || code != "bulk.bad_json" {
		t.Fatalf("bad JSON reported as line %d %s: %v", line, code, res)
	}
	if e := res["error"].(map[string]any); e["line"].(float64) != 2 || !strings.Contains(e["message"].(string), "JSON") {
		t.Fatalf("error %v", e)
	}
	if _, err := db.LookupIdentifier(t.Context(), people.NationalID, agencyCID(4), audit.Event{}); err == nil {
		t.Fatal("the good line of a stopped batch was written")
	}
	// An unknown field names the field; skipping bad rows imports the rest.
	status, res = svc.ndjson(t, "/api/v1/bulk/people?source=dmc&skip_bad_rows=true",
		bad[:strings.Index(bad, "\n")+1]+`{"local_id":"S5","given_name":"ชูใจ","colour":"red"}`+"\n", "application/x-ndjson")
	if line, field, code := firstRejected(res); status != http.StatusOK || counts(res)["created"] != 1 || counts(res)["rejected"] != 1 ||
		line != 2 || field != "colour" || code != "bulk.unknown_field" {
		t.Fatalf("skip bad rows: %d %v", status, res)
	}
	if _, err := db.LookupIdentifier(t.Context(), people.NationalID, agencyCID(4), audit.Event{}); err != nil {
		t.Fatalf("line 1 after skipping the bad one: %v", err)
	}

	// Bulk records about a person sent before.
	status, res = svc.ndjson(t, "/api/v1/bulk/records?source=dmc", `{"person_key":"S2","childcare_enrolled_on":"2021-06-01"}
{"national_id":"`+agencyCID(3)+`","grant":"education_support","grant_amount":"1,200","granted_on":"2025-06-01"}
`, "application/x-ndjson")
	if c := counts(res); status != http.StatusOK || c["added"] != 2 || c["records"] != 2 {
		t.Fatalf("bulk records: %d %v", status, res)
	}
	if status, job, _ := svc.call(t, "GET", "/api/v1/bulk/jobs/"+jobID, nil, nil); status != http.StatusOK || job["status"] != "done" {
		t.Fatalf("job: %d %v", status, job)
	}

	// A service account of another organisation: not A's jobs, not A's keys.
	status, saB, _ := adminB.call(t, "POST", "/api/v1/service-accounts", map[string]any{"username": "other.sync", "display_name": "ระบบอื่น",
		"organisation_id": orgB.ID, "role": account.RoleDataOfficer}, nil)
	if status != http.StatusCreated {
		t.Fatalf("B's account: %d %v", status, saB)
	}
	_, tokB, _ := adminB.call(t, "POST", "/api/v1/service-accounts/"+saB["id"].(string)+"/tokens", map[string]any{}, nil)
	other := apiClient{client: newClient(t, ts.URL), token: tokB["token"].(string)}
	if status, body, _ := other.call(t, "GET", "/api/v1/bulk/jobs/"+jobID, nil, nil); status != http.StatusNotFound {
		t.Fatalf("B reads A's job: %d %v", status, body)
	}
	status, res = other.ndjson(t, "/api/v1/bulk/records?source=dmc", `{"person_key":"S2","childcare_enrolled_on":"2022-06-01"}`+"\n", "application/x-ndjson")
	if line, _, code := firstRejected(res); status != http.StatusUnprocessableEntity || line != 1 || code != "import.person_unknown" {
		t.Fatalf("B writes to A's person by A's key: %d %v", status, res)
	}

	// Rotation: the old token stops at once, the new one works; revoked:
	// nothing works. Every issue and revocation is audited.
	status, rot, _ := adminA.call(t, "POST", "/api/v1/service-accounts/"+saID+"/tokens/"+tokenID+"/rotate", nil, nil)
	if status != http.StatusCreated || rot["name"] != "nightly" || rot["token"] == secret {
		t.Fatalf("rotate: %d %v", status, rot)
	}
	if status, _, _ := svc.call(t, "GET", "/api/v1/me", nil, nil); status != http.StatusUnauthorized {
		t.Fatalf("rotated-out token: %d", status)
	}
	fresh := apiClient{client: newClient(t, ts.URL), token: rot["token"].(string)}
	if status, _, _ := fresh.call(t, "GET", "/api/v1/me", nil, nil); status != http.StatusOK {
		t.Fatalf("new token: %d", status)
	}
	if status, _, _ := adminA.call(t, "DELETE", "/api/v1/service-accounts/"+saID+"/tokens/"+rot["id"].(string), nil, nil); status != http.StatusNoContent {
		t.Fatalf("revoke: %d", status)
	}
	status, res = fresh.ndjson(t, "/api/v1/bulk/people?source=dmc", roster, "application/x-ndjson")
	if code, _, _ := errorOf(res); status != http.StatusUnauthorized || code != "unauthenticated" {
		t.Fatalf("revoked token uploads: %d %v", status, res)
	}
	if status, _, _ := adminA.call(t, "DELETE", "/api/v1/service-accounts/"+saID+"/tokens/"+rot["id"].(string), nil, nil); status != http.StatusNotFound {
		t.Fatalf("revoke twice: %d", status)
	}
	for action, want := range map[string]int{audit.TokenCreated: 2, audit.TokenRevoked: 2} {
		n := 0
		evs, err := db.RecentAudit(t.Context(), action, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.ObjectID == tokenID || e.ObjectID == rot["id"] {
				n++
			}
		}
		if n != want {
			t.Errorf("%s events of A's tokens: %d, want %d", action, n, want)
		}
	}
	evs, err := db.RecentAudit(t.Context(), store.ActionServiceAccountCreated, 10)
	if err != nil || len(evs) != 2 {
		t.Errorf("service_account.created events: %d %v", len(evs), err)
	}
	// Disabling ends B's account and its token.
	if status, _, _ := adminB.call(t, "POST", "/api/v1/service-accounts/"+saB["id"].(string)+"/disable", nil, nil); status != http.StatusNoContent {
		t.Fatalf("disable: %d", status)
	}
	if status, _, _ := other.call(t, "GET", "/api/v1/me", nil, nil); status != http.StatusUnauthorized {
		t.Fatalf("disabled account's token: %d", status)
	}
}
