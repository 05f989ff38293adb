package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"termtem/internal/audit"
)

const testPassword = "ดอกไม้สี่กลีบ-สีเขียว"

func login(t *testing.T, c *client, username, password string) (*http.Response, string) {
	t.Helper()
	return c.post(t, "/login", url.Values{"username": {username}, "password": {password}}, nil)
}

func TestLoginLogoutAndSessionCookie(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-T1")
	ts.addUser(t, "nurse.a", "health_staff", "HC-T1", testPassword)
	c := newClient(t, ts.URL)

	// Anonymous pages send the visitor to the login form, in Thai.
	resp, _ := c.get(t, "/", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("anonymous home: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := c.get(t, "/login", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `<html lang="th">`) || !strings.Contains(body, "เข้าสู่ระบบ") {
		t.Fatalf("login page not Thai: %d\n%s", resp.StatusCode, body)
	}

	resp, _ = login(t, c, "nurse.a", testPassword)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "termtem" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || !strings.HasPrefix(session.Value, "tts_") {
		t.Fatalf("session cookie wrong: %+v", session)
	}
	resp, body = c.get(t, "/", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "ผู้ทดสอบ nurse.a") {
		t.Fatalf("home after login: %d\n%s", resp.StatusCode, body)
	}
	if resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("security headers missing: %v", resp.Header)
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, " onclick=") {
		t.Fatal("inline script on a page; the CSP forbids it")
	}

	// Logout ends the session on the server: replaying the old cookie fails.
	resp, _ = c.post(t, "/logout", nil, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	replay := newClient(t, ts.URL)
	u, _ := url.Parse(ts.URL)
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: "termtem", Value: session.Value}})
	resp, _ = replay.get(t, "/", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("old session still works after logout: %d", resp.StatusCode)
	}
	db := ts.openDB(t)
	events, err := db.RecentAudit(t.Context(), audit.Logout, 10)
	if err != nil || len(events) != 1 {
		t.Fatalf("logout audit: %v %v", events, err)
	}
}

func TestBadLoginsLookAlike(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-T2")
	ts.addUser(t, "teacher.b", "school_teacher", "HC-T2", testPassword)
	c := newClient(t, ts.URL)

	respWrong, bodyWrong := login(t, c, "teacher.b", "not-the-password")
	respUnknown, bodyUnknown := login(t, c, "nobody.here", "not-the-password")
	if respWrong.StatusCode != http.StatusUnauthorized || respUnknown.StatusCode != http.StatusUnauthorized {
		t.Fatalf("statuses: wrong password %d, unknown user %d", respWrong.StatusCode, respUnknown.StatusCode)
	}
	msg := "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
	if !strings.Contains(bodyWrong, msg) || !strings.Contains(bodyUnknown, msg) {
		t.Fatal("wrong password and unknown user must show the same message")
	}
	// Apart from the echoed username, the two pages are identical.
	if strings.ReplaceAll(bodyWrong, "teacher.b", "X") != strings.ReplaceAll(bodyUnknown, "nobody.here", "X") {
		t.Fatal("wrong-password and unknown-user pages differ")
	}
}

func TestCrossOriginAndMissingOriginRefused(t *testing.T) {
	ts := startServer(t, testEnv(t))
	c := newClient(t, ts.URL)
	form := url.Values{"username": {"x"}, "password": {"y"}}

	resp, body := c.post(t, "/login", form, map[string]string{"Origin": ""})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "ถูกปฏิเสธเพื่อความปลอดภัย") {
		t.Fatalf("post without Origin: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = c.post(t, "/login", form, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", resp.StatusCode)
	}
	resp, _ = c.post(t, "/login", form, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": ""})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("same-origin post should reach the login check: %d", resp.StatusCode)
	}
}

func TestAPITokensAndErrors(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-T3")
	ts.addUser(t, "worker.c", "case_manager", "HC-T3", testPassword)
	out, err := ts.cli(t, "", "token", "create", "--user", "worker.c", "--expires", "7d", "--name", "test")
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, out)
	}
	var token string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "ttk_") {
			token = line
		}
	}
	if token == "" {
		t.Fatalf("no token printed:\n%s", out)
	}
	c := newClient(t, ts.URL)
	bearer := map[string]string{"Authorization": "Bearer " + token}

	resp, body := c.get(t, "/api/v1/me", bearer)
	var me struct {
		Username    string   `json:"username"`
		Permissions []string `json:"permissions"`
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &me) != nil || me.Username != "worker.c" || !contains(me.Permissions, "cases:manage") {
		t.Fatalf("me: %d %s", resp.StatusCode, body)
	}
	resp, body = c.get(t, "/api/v1/places?kind=district", bearer)
	var places struct {
		Count int `json:"count"`
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &places) != nil || places.Count != 50 {
		t.Fatalf("districts: %d %s", resp.StatusCode, body)
	}

	type apiErr struct {
		Error struct{ Code, Message, Field string } `json:"error"`
	}
	check := func(name string, headers map[string]string, path string, status int, code, lang string) apiErr {
		t.Helper()
		resp, body := c.get(t, path, headers)
		var e apiErr
		if resp.StatusCode != status || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != code || e.Error.Message == "" {
			t.Fatalf("%s: %d %s", name, resp.StatusCode, body)
		}
		return e
	}
	e := check("malformed bearer", map[string]string{"Authorization": "Bearer abc"}, "/api/v1/me", 401, "unauthenticated", "th")
	if !strings.Contains(e.Error.Message, "Bearer") {
		t.Fatalf("malformed bearer message: %q", e.Error.Message)
	}
	check("no token", nil, "/api/v1/me", 401, "unauthenticated", "th")
	e = check("bad kind", map[string]string{"Authorization": "Bearer " + token, "Accept-Language": "en"}, "/api/v1/places?kind=planet", 422, "invalid", "en")
	if e.Error.Field != "kind" || !strings.Contains(e.Error.Message, "kind") {
		t.Fatalf("bad kind error: %+v", e)
	}
	check("unknown place", bearer, "/api/v1/places/0190a0a0-0000-7000-8000-000000000000", 404, "not_found", "th")

	// A revoked token stops working at once.
	db := ts.openDB(t)
	u, err := db.GetUserByUsername(t.Context(), "worker.c")
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := db.ListAPITokens(t.Context(), u.ID)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens: %v %v", tokens, err)
	}
	if out, err := ts.cli(t, "", "token", "revoke", "--id", tokens[0].ID); err != nil {
		t.Fatalf("revoke: %v %s", err, out)
	}
	check("revoked token", bearer, "/api/v1/me", 401, "unauthenticated", "th")
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

func TestHealthReadyAndMetrics(t *testing.T) {
	ts := startServer(t, testEnv(t))
	c := newClient(t, ts.URL)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 401} {
		resp, _ := c.get(t, path, nil)
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}
