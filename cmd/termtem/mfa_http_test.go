package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
)

// With --require-mfa, a health-centre nurse without a second factor gets
// the enrolment page for every page she asks for; her API token works as
// before; a school teacher is not held. The administrator's mfa-reset
// removes a lost second factor.
func TestMFARequiredOverHTTP(t *testing.T) {
	ts := startServer(t, testEnv(t), "--require-mfa")
	ts.addOrganisation(t, "HC-M1")
	ts.addUser(t, "nurse.m", "health_staff", "HC-M1", testPassword)
	ts.addUser(t, "teacher.m", "school_teacher", "HC-M1", testPassword)
	db := ts.openDB(t)

	c := newClient(t, ts.URL)
	if resp, _ := login(t, c, "nurse.m", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	for _, path := range []string{"/", "/people", "/profile"} {
		if resp, _ := c.get(t, path, nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/profile/mfa" {
			t.Errorf("%s: %d to %q, want the enrolment", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if resp, body := c.get(t, "/profile/mfa", nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="mfa-required"`) ||
		resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("enrolment page: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	nurse, err := db.GetUserByUsername(t.Context(), "nurse.m")
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := db.CreateAPIToken(t.Context(), nurse.ID, "app", time.Hour, audit.Event{})
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.get(t, "/api/v1/me", map[string]string{"Authorization": "Bearer " + token}); resp.StatusCode != http.StatusOK {
		t.Errorf("API token held back: %d", resp.StatusCode)
	}

	tc := newClient(t, ts.URL)
	login(t, tc, "teacher.m", testPassword)
	if resp, _ := tc.get(t, "/", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("school teacher's home: %d", resp.StatusCode)
	}

	// Enrolled (as the demo does), the password leads to the code form.
	secret, _, err := account.NewTOTPKey("nurse.m")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetTOTPForDemo(t.Context(), nurse.ID, secret, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	c2 := newClient(t, ts.URL)
	if resp, _ := login(t, c2, "nurse.m", testPassword); resp.Header.Get("Location") != "/login/mfa" {
		t.Fatalf("enrolled login went to %q", resp.Header.Get("Location"))
	}
	if resp, _ := c2.get(t, "/", nil); resp.Header.Get("Location") != "/login" {
		t.Errorf("before the code, home sends to %q, want the login", resp.Header.Get("Location"))
	}

	if out, err := ts.cli(t, "", "user", "mfa-reset", "--username", "nurse.m"); err != nil || !strings.Contains(out, "removed") {
		t.Fatalf("mfa-reset: %v\n%s", err, out)
	}
	if has, _ := db.HasTOTP(t.Context(), nurse.ID); has {
		t.Error("second factor still there after mfa-reset")
	}
	if evs, _ := db.RecentAudit(t.Context(), audit.MFARemoved, 5); len(evs) != 1 {
		t.Errorf("%d mfa.removed rows", len(evs))
	}
}
