package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"termtem/internal/notify"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// Two "termtem serve" processes against one PostgreSQL database behave as
// one system: a login made on node A works on node B, logging out on A
// ends it on B, a token revoked (by the administrator's command) and a
// user disabled stop working on B at once although B had just verified
// them, and every message of the notification outbox reaches the
// operator's gateway exactly once although both nodes' workers poll it.
func TestTwoNodesOneSystem(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("several nodes share a PostgreSQL database; SQLite serves one node")
	}
	var mu sync.Mutex
	calls := map[string]int{}
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var p notify.Payload
		if err := json.Unmarshal(b, &p); err != nil || p.ID == "" {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		mu.Lock()
		calls[p.ID]++
		mu.Unlock()
		// A gateway that takes its time keeps one node's worker busy
		// long enough for the other node's to poll meanwhile.
		time.Sleep(100 * time.Millisecond)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(gateway.Close)
	base := testEnv(t)
	vars := map[string]string{"TERMTEM_WEBHOOK_URL": gateway.URL + "/termtem", "TERMTEM_WEBHOOK_SECRET": "gateway-shared-secret-0123"}
	getenv := func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		return base(k)
	}
	a := startServer(t, getenv)
	b := startServer(t, getenv)
	if a.URL == b.URL {
		t.Fatal("both nodes on one address")
	}
	a.addOrganisation(t, "HC-N1")
	a.addUser(t, "nurse.n", "health_staff", "HC-N1", testPassword)

	// A login on A is a session on B.
	ca := newClient(t, a.URL)
	if resp, _ := login(t, ca, "nurse.n", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login on A: %d", resp.StatusCode)
	}
	au, _ := url.Parse(a.URL)
	cb := newClient(t, b.URL)
	bu, _ := url.Parse(b.URL)
	cb.Jar.SetCookies(bu, ca.Jar.Cookies(au))
	if resp, body := cb.get(t, "/", nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "ผู้ทดสอบ nurse.n") {
		t.Fatalf("A's session on B: %d", resp.StatusCode)
	}
	// Logging out on A ends it on B, at the next request.
	if resp, _ := ca.post(t, "/logout", nil, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout on A: %d", resp.StatusCode)
	}
	if resp, _ := cb.get(t, "/", nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("A's ended session on B: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// A token verified on B (and so in B's cache) is refused on B right
	// after its revocation.
	token := createToken(t, a, "nurse.n")
	me := func(node *testServer) int {
		t.Helper()
		req, _ := http.NewRequest("GET", node.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if sa, sb := me(a), me(b); sa != 200 || sb != 200 {
		t.Fatalf("token on A %d, on B %d", sa, sb)
	}
	db := a.openDB(t)
	u, err := db.GetUserByUsername(t.Context(), "nurse.n")
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := db.ListAPITokens(t.Context(), u.ID)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens %v %v", tokens, err)
	}
	if out, err := a.cli(t, "", "token", "revoke", "--id", tokens[0].ID); err != nil {
		t.Fatalf("revoke: %v %s", err, out)
	}
	if s := me(b); s != http.StatusUnauthorized {
		t.Fatalf("revoked token on B: %d, want 401", s)
	}
	// A disabled user's fresh token and session stop on B at once too.
	token = createToken(t, a, "nurse.n")
	if resp, _ := login(t, cb, "nurse.n", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login on B: %d", resp.StatusCode)
	}
	if s := me(b); s != 200 {
		t.Fatalf("new token on B: %d", s)
	}
	if out, err := a.cli(t, "", "user", "disable", "--username", "nurse.n"); err != nil {
		t.Fatalf("disable: %v %s", err, out)
	}
	if s := me(b); s != http.StatusUnauthorized {
		t.Fatalf("disabled user's token on B: %d, want 401", s)
	}
	if resp, _ := cb.get(t, "/", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disabled user's session on B: %d", resp.StatusCode)
	}

	// The outbox: both nodes' workers poll it every few seconds; each
	// message goes out once.
	a.addUser(t, "nurse.o", "health_staff", "HC-N1", testPassword)
	recipient, err := db.GetUserByUsername(t.Context(), "nurse.o")
	if err != nil {
		t.Fatal(err)
	}
	db.Channels = store.Channels{Webhook: true}
	const messages = 60
	for i := 0; i < messages; i++ {
		err := db.InTx(t.Context(), func(tx *store.Tx) error {
			return tx.Enqueue(t.Context(), store.Notification{Kind: "notify.alert_opened", UserIDs: []string{recipient.ID},
				Link: fmt.Sprintf("/alerts?n=%d", i)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		mu.Lock()
		n := len(calls)
		mu.Unlock()
		if n >= messages || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	// A little longer, for a duplicate to show up if there were one.
	time.Sleep(2 * notify.Every)
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != messages {
		t.Fatalf("%d distinct messages reached the gateway, want %d", len(calls), messages)
	}
	for id, n := range calls {
		if n != 1 {
			t.Errorf("message %s delivered %d times", id, n)
		}
	}
	sentA, sentB := strings.Count(a.logs.String(), "notification sent"), strings.Count(b.logs.String(), "notification sent")
	if sentA+sentB != messages {
		t.Errorf("nodes logged %d + %d sends, want %d in all", sentA, sentB, messages)
	}
	t.Logf("node A sent %d, node B sent %d", sentA, sentB)
}

// createToken makes an API token with the administrator's command and returns it.
func createToken(t *testing.T, ts *testServer, username string) string {
	t.Helper()
	out, err := ts.cli(t, "", "token", "create", "--user", username, "--expires", "1d")
	if err != nil {
		t.Fatalf("token create: %v %s", err, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "ttk_") {
			return line
		}
	}
	t.Fatalf("no token in %q", out)
	return ""
}
