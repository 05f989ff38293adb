package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/organisations"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// testServer is the real termtem binary's run function serving on a free
// loopback port, against a fresh SQLite file or PostgreSQL schema.
type testServer struct {
	URL    string
	getenv func(string) string
	cancel context.CancelFunc
	done   chan error
	out    *syncBuffer
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testEnv gives a command the database of this test and nothing else from
// the real environment.
func testEnv(t *testing.T) func(string) string {
	opts := storetest.Options(t)
	// Users made by tests are not made to enrol a second factor before their
	// first page; the demo's accounts with sensitive roles have one and log
	// in with a code, and the MFA tests turn the requirement on.
	vars := map[string]string{"TERMTEM_LOG_FORMAT": "json", "TERMTEM_REQUIRE_MFA": "false"}
	if opts.DatabaseURL != "" {
		vars["TERMTEM_DATABASE_URL"] = opts.DatabaseURL
		// No data directory to keep a key file in: the key comes from the
		// environment, as on a real PostgreSQL deployment.
		vars["TERMTEM_AUDIT_KEY"] = "test-audit-chain-key-0123456789abcdef"
		vars["TERMTEM_DATA_KEY"] = storetest.TestDataKey
		// Uploads and key files of a command that is not given the keys
		// (the kill -9 import's child) go to the test's own directory, not
		// to ./termtem-data in the source tree.
		vars["TERMTEM_DATA"] = t.TempDir()
	} else {
		vars["TERMTEM_DATA"] = opts.DataDir
	}
	return func(k string) string { return vars[k] }
}

var runningAt = regexp.MustCompile(`running at (http://[0-9.:]+)`)

// scanRunningAt reads a server's standard output and sends the address
// it says it runs at; the channel closes when the output ends.
func scanRunningAt(r io.Reader) <-chan string {
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if m := runningAt.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	return found
}

// startServer boots "termtem serve" in-process and waits until /healthz answers.
func startServer(t *testing.T, getenv func(string) string, args ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{getenv: getenv, cancel: cancel, done: make(chan error, 1), out: &syncBuffer{}, logs: &syncBuffer{}}
	pr, pw := io.Pipe()
	go func() {
		ts.done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), getenv, strings.NewReader(""), io.MultiWriter(pw, ts.out), ts.logs)
		pw.Close()
	}()
	found := scanRunningAt(pr)
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatalf("server stopped before listening: %v\nstdout: %s\nlogs: %s", <-ts.done, ts.out.String(), ts.logs.String())
		}
		ts.URL = u
	case <-time.After(2 * time.Minute):
		t.Fatalf("server did not start\nstdout: %s\nlogs: %s", ts.out.String(), ts.logs.String())
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ts.done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("server did not shut down within 30 s")
		}
	})
	resp, err := http.Get(ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return ts
}

// cli runs a termtem sub-command against the server's database.
func (ts *testServer) cli(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, ts.getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

// addUser makes a user through the command line, as an administrator would.
func (ts *testServer) addUser(t *testing.T, username, role, org, password string) {
	t.Helper()
	if out, err := ts.cli(t, password+"\n", "user", "add", "--username", username, "--role", role, "--org", org, "--name", "ผู้ทดสอบ "+username, "--password-stdin"); err != nil {
		t.Fatalf("user add %s: %v\n%s", username, err, out)
	}
}

// client is a browser-like HTTP client: it keeps cookies and sends the
// Origin header browsers send with form posts.
type client struct {
	*http.Client
	base string
}

func newClient(t *testing.T, base string) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{Client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, base: base}
}

func (c *client) post(t *testing.T, path string, form url.Values, headers map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return c.do(t, req)
}

func (c *client) get(t *testing.T, path string, headers map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.do(t, req)
}

func (c *client) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

// openDB opens the server's database beside it, for arranging and checking.
func (ts *testServer) openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{DataDir: ts.getenv("TERMTEM_DATA"), DatabaseURL: ts.getenv("TERMTEM_DATABASE_URL"),
		DataKey: []byte(ts.getenv("TERMTEM_DATA_KEY"))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// addOrganisation makes a health centre in Lat Krabang for tests that run
// without the demo data.
func (ts *testServer) addOrganisation(t *testing.T, code string) organisations.Organisation {
	t.Helper()
	db := ts.openDB(t)
	ctx := context.Background()
	latKrabang, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		t.Fatal(err)
	}
	o, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: code, Kind: organisations.HealthCentre,
		NameTH: "ศูนย์บริการสาธารณสุขทดสอบ " + code, NameEN: "Test health centre " + code, PlaceID: latKrabang.ID, Active: true}, audit.Event{RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}
