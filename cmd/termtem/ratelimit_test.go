package main

import (
	"net/http"
	"strconv"
	"testing"

	"termtem/internal/account"
)

// TestClientRateLimit runs a real server with a per-client rate limit so
// slow (a token every 100 s) that no token comes back during the test:
// each token gets its burst, then 429 with Retry-After and a localised
// message, while another token and health checks are still served.
func TestClientRateLimit(t *testing.T) {
	base := testEnv(t)
	ts := startServer(t, func(k string) string {
		switch k {
		case "TERMTEM_CLIENT_RATE":
			return "0.01"
		case "TERMTEM_CLIENT_BURST":
			return "3"
		}
		return base(k)
	})
	org := ts.addOrganisation(t, "HC-RATE")
	a := staffAPI(t, ts, "nurse.rate.a", account.RoleHealthStaff, org)
	b := staffAPI(t, ts, "nurse.rate.b", account.RoleHealthStaff, org)
	for i := range 3 {
		if status, body, _ := a.call(t, "GET", "/api/v1/me", nil, nil); status != http.StatusOK {
			t.Fatalf("request %d of the burst: %d %v", i+1, status, body)
		}
	}
	status, body, hdr := a.call(t, "GET", "/api/v1/me", nil, nil)
	code, _, msg := errorOf(body)
	if status != http.StatusTooManyRequests || code != "too_many_requests" || msg != "คุณส่งคำขอถี่เกินไป โปรดรอสักครู่แล้วลองใหม่" {
		t.Fatalf("over the limit: %d %v", status, body)
	}
	if s, err := strconv.Atoi(hdr.Get("Retry-After")); err != nil || s < 1 || s > 100 {
		t.Errorf("Retry-After %q: want the seconds until the next token (1-100)", hdr.Get("Retry-After"))
	}
	status, body, _ = a.call(t, "GET", "/api/v1/me", nil, map[string]string{"Accept-Language": "en"})
	if _, _, msg := errorOf(body); status != http.StatusTooManyRequests || msg != "You are sending requests too often; please wait a moment and try again" {
		t.Errorf("in English: %d %v", status, body)
	}
	// Another client has its own bucket.
	if status, body, _ := b.call(t, "GET", "/api/v1/me", nil, nil); status != http.StatusOK {
		t.Errorf("another token: %d %v", status, body)
	}
	// Health checks are never limited.
	for range 5 {
		resp, err := http.Get(ts.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/healthz: %d", resp.StatusCode)
		}
	}
}
