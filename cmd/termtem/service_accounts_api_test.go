package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/auth"
	"termtem/internal/store/storetest"
)

// TestServiceAccountVersionsAndMixedAdmins: on the API, If-Match with an
// account's version makes token changes conditional (412 once someone
// else changed it); and someone who administers unit A while holding a
// lesser role in unit B manages A's service accounts only — on the API
// and on the web page.
func TestServiceAccountVersionsAndMixedAdmins(t *testing.T) {
	ts := startServer(t, testEnv(t))
	orgA := ts.addOrganisation(t, "SCH-V1")
	orgB := ts.addOrganisation(t, "SCH-V2")
	adminA := staffAPI(t, ts, "admin.v1", account.RoleOrganisationAdmin, orgA)
	adminB := staffAPI(t, ts, "admin.v2", account.RoleOrganisationAdmin, orgB)

	status, sa, _ := adminA.call(t, "POST", "/api/v1/service-accounts", map[string]any{"username": "dmc.v1", "display_name": "ระบบ A",
		"organisation_id": orgA.ID, "role": account.RoleDataOfficer}, nil)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, sa)
	}
	id := sa["id"].(string)
	seen := fmt.Sprintf(`"%v"`, sa["version"])
	ifMatch := func(v string) map[string]string { return map[string]string{"If-Match": v} }
	status, tok, _ := adminA.call(t, "POST", "/api/v1/service-accounts/"+id+"/tokens", map[string]any{"name": "nightly"}, ifMatch(seen))
	if status != http.StatusCreated {
		t.Fatalf("issue with the version seen: %d %v", status, tok)
	}
	// The version seen before that issue is stale now: nothing happens.
	if status, body, _ := adminA.call(t, "POST", "/api/v1/service-accounts/"+id+"/tokens/"+tok["id"].(string)+"/rotate", nil, ifMatch(seen)); status != http.StatusPreconditionFailed {
		t.Fatalf("rotate with a stale version: %d %v", status, body)
	}
	if status, _, _ := adminA.call(t, "DELETE", "/api/v1/service-accounts/"+id+"/tokens/"+tok["id"].(string), nil, ifMatch(seen)); status != http.StatusPreconditionFailed {
		t.Fatalf("revoke with a stale version: %d", status)
	}
	_, list, _ := adminA.call(t, "GET", "/api/v1/service-accounts", nil, nil)
	items := list["items"].([]any)
	current := fmt.Sprintf(`"%v"`, items[0].(map[string]any)["version"])
	if current == seen {
		t.Fatalf("the version did not move with the issue: %s", current)
	}
	if status, _, _ := adminA.call(t, "DELETE", "/api/v1/service-accounts/"+id+"/tokens/"+tok["id"].(string), nil, ifMatch(current)); status != http.StatusNoContent {
		t.Fatalf("revoke with the current version: %d", status)
	}
	// Without If-Match the change applies to the account as it is.
	if status, _, _ := adminA.call(t, "POST", "/api/v1/service-accounts/"+id+"/tokens", map[string]any{"name": "spare"}, nil); status != http.StatusCreated {
		t.Fatalf("issue without If-Match: %d", status)
	}

	// B's account, and someone who administers A and is a nurse in B.
	_, saB, _ := adminB.call(t, "POST", "/api/v1/service-accounts", map[string]any{"username": "his.v2", "display_name": "ระบบ B",
		"organisation_id": orgB.ID, "role": account.RoleDataOfficer}, nil)
	idB := saB["id"].(string)
	db := ts.openDB(t)
	svc, err := auth.New(db, account.SessionRules{Idle: time.Hour, Absolute: time.Hour}, storetest.FastHash())
	if err != nil {
		t.Fatal(err)
	}
	mixed, err := svc.CreateUser(t.Context(), account.User{Username: "mixed.v1", DisplayName: "ผู้ดูแล A พยาบาล B", Kind: account.StaffAccount, Lang: "th",
		Memberships: []account.Membership{{OrganisationID: orgA.ID, RoleCode: account.RoleOrganisationAdmin}, {OrganisationID: orgB.ID, RoleCode: account.RoleHealthStaff}}},
		testPassword, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := db.CreateAPIToken(t.Context(), mixed.ID, "t", time.Hour, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	m := apiClient{client: newClient(t, ts.URL), token: secret}
	_, list, _ = m.call(t, "GET", "/api/v1/service-accounts", nil, nil)
	if s := fmt.Sprint(list); !strings.Contains(s, id) || strings.Contains(s, idB) {
		t.Errorf("mixed administrator's list: %v", list)
	}
	if status, _, _ := m.call(t, "POST", "/api/v1/service-accounts/"+idB+"/disable", nil, nil); status != http.StatusNotFound {
		t.Errorf("mixed administrator disables B's account: %d", status)
	}
	if status, _, _ := m.call(t, "POST", "/api/v1/service-accounts", map[string]any{"username": "x.v2", "display_name": "x",
		"organisation_id": orgB.ID, "role": account.RoleDataOfficer}, nil); status != http.StatusForbidden {
		t.Errorf("mixed administrator makes an account in B: %d", status)
	}
	c := newClient(t, ts.URL)
	login(t, c, "mixed.v1", testPassword)
	if resp, body := c.get(t, "/service-accounts", nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "ระบบ A") || strings.Contains(body, "ระบบ B") {
		t.Errorf("mixed administrator's page: %d", resp.StatusCode)
	}
	if resp, _ := c.get(t, "/service-accounts/"+idB, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("mixed administrator opens B's account: %d", resp.StatusCode)
	}
	if sa, err := db.GetServiceAccount(t.Context(), idB); err != nil || sa.Disabled {
		t.Errorf("B's account after the refusals: %+v %v", sa, err)
	}
}
