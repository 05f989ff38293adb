package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"termtem/internal/store"
)

// Search reads from a real streaming replica (TERMTEM_DATABASE_REPLICA_URL)
// while writes, reads of one record and the search's own audit rows go to
// the primary: with the replica's replay paused, a person just created is
// found by ID but not yet by search, and is found once replay resumes;
// with the replica stopped, search falls back to the primary.
func TestSearchReadsFromReplica(t *testing.T) {
	c := startPGCluster(t, true)
	ts := startServer(t, c.env(t, map[string]string{"TERMTEM_DATABASE_REPLICA_URL": c.ReplicaURL}))
	w := newFaultWorld(t, ts, "REPL")
	create := func(given string) string {
		t.Helper()
		status, p, _ := w.nurse.call(t, "POST", "/api/v1/people", map[string]any{"given_name": given, "family_name": "ทดสอบสำเนา",
			"birth_date": "2019-05-05", "household_id": w.household, "relationship": "child"}, nil)
		if status != http.StatusCreated {
			t.Fatalf("create %s: %d %v", given, status, p)
		}
		return p["id"].(string)
	}
	found := func(name string) float64 {
		t.Helper()
		status, body, _ := w.nurse.call(t, "POST", "/api/v1/people/search", map[string]any{"q": name}, nil)
		if status != http.StatusOK {
			t.Fatalf("search %s: %d %v", name, status, body)
		}
		return body["total"].(float64)
	}
	caughtUp := func() {
		t.Helper()
		// The insert position, not the write position: the throw-away
		// cluster commits asynchronously, so a commit may still be in
		// WAL buffers that the replica has not been sent.
		lsn := pgQuery(t, c.URL, "SELECT pg_current_wal_insert_lsn()::text")
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
			if pgQuery(t, c.ReplicaURL, "SELECT (pg_last_wal_replay_lsn() >= '"+lsn+"'::pg_lsn)::text") == "true" {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("the replica did not catch up within a minute")
			}
		}
	}
	if pgQuery(t, c.ReplicaURL, "SELECT pg_is_in_recovery()::text") != "true" {
		t.Fatal("the replica is not a standby")
	}
	create("ด.ช.สมชาย")
	caughtUp()
	if n := found("สมชาย"); n != 1 {
		t.Fatalf("search on the caught-up replica found %v", n)
	}

	pgQuery(t, c.ReplicaURL, "SELECT pg_wal_replay_pause()::text")
	id := create("ด.ญ.สมปอง")
	if status, p, _ := w.nurse.call(t, "GET", "/api/v1/people/"+id, nil, nil); status != http.StatusOK || p["given_name"] != "สมปอง" {
		t.Fatalf("reading one's own write (from the primary): %d %v", status, p)
	}
	if n := found("สมปอง"); n != 0 {
		t.Fatalf("search found %v people while the replica's replay was paused: it did not read the replica", n)
	}
	// The searches were audited on the primary (a standby refuses writes).
	db := ts.openDB(t)
	events, err := db.RecentAudit(t.Context(), store.ActionPeopleSearched, 10)
	if err != nil || len(events) < 2 {
		t.Fatalf("search audit on the primary: %d %v", len(events), err)
	}
	pgQuery(t, c.ReplicaURL, "SELECT pg_wal_replay_resume()::text")
	caughtUp()
	if n := found("สมปอง"); n != 1 {
		t.Fatalf("search after replay resumed found %v", n)
	}
	// The replica gone: search falls back to the primary at once, no
	// request fails.
	c.sh(t, "pg_tmp_replica_halt")
	for i := 0; i < 3; i++ {
		if n := found("สมปอง"); n != 1 {
			t.Fatalf("search with the replica stopped found %v", n)
		}
	}
}

// PostgreSQL stopped and started again under load: during the outage
// every request fails at once and clearly (503, the error shape,
// Retry-After), none hangs; afterwards the same process serves again
// without a restart.
func TestPostgresRestartUnderLoad(t *testing.T) {
	c := startPGCluster(t, false)
	ts := startServer(t, c.env(t, nil))
	w := newFaultWorld(t, ts, "PGRS")
	status, p, _ := w.nurse.call(t, "POST", "/api/v1/people", map[string]any{"given_name": "ด.ช.ภูมิ", "family_name": "ทนทาน",
		"birth_date": "2018-08-08", "household_id": w.household, "relationship": "child"}, nil)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, p)
	}
	id := p["id"].(string)
	hc := &http.Client{Timeout: 70 * time.Second} // past the request timeout: a hang shows as a client error
	type result struct {
		status  int
		elapsed time.Duration
		err     error
	}
	var mu sync.Mutex
	var during []result
	outage := false
	stop := make(chan struct{})
	var wg sync.WaitGroup
	clients := pick(4, 16)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				var status int
				var body map[string]any
				var hdr http.Header
				var err error
				if n%2 == 0 {
					status, body, hdr, err = rawCall(hc, ts.URL, w.nurse.token, "GET", "/api/v1/people/"+id, nil, nil)
				} else {
					status, body, hdr, err = rawCall(hc, ts.URL, w.nurse.token, "POST", "/api/v1/people/search", map[string]any{"q": "ภูมิ"}, nil)
				}
				if err == nil && status == http.StatusServiceUnavailable {
					if code, _, msg := errorOf(body); code != "unavailable" || msg == "" || hdr.Get("Retry-After") == "" {
						err = fmt.Errorf("503 without the error shape or Retry-After: %v %v", hdr, body)
					}
				} else if err == nil && status != http.StatusOK {
					err = fmt.Errorf("status %d: %v", status, body)
				}
				mu.Lock()
				if outage {
					during = append(during, result{status, time.Since(start), err})
				} else if err != nil {
					t.Errorf("before or after the outage: %v", err)
				}
				mu.Unlock()
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	time.Sleep(500 * time.Millisecond)
	mu.Lock()
	outage = true
	mu.Unlock()
	c.sh(t, "pg_tmp_halt")
	time.Sleep(time.Duration(pick(2, 10)) * time.Second)
	c.sh(t, "pg_tmp_resume")
	mu.Lock()
	outage = false
	mu.Unlock()
	// Requests work again, from the same process.
	recovered := false
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if status, _, _, err := rawCall(hc, ts.URL, w.nurse.token, "GET", "/api/v1/people/"+id, nil, nil); err == nil && status == 200 {
			recovered = true
			break
		}
	}
	time.Sleep(500 * time.Millisecond) // some load after recovery too
	close(stop)
	wg.Wait()
	if !recovered {
		t.Fatal("the server did not serve again within a minute of PostgreSQL's restart")
	}
	unavailable := 0
	var slowest time.Duration
	for _, r := range during {
		if r.err != nil {
			t.Errorf("during the outage: %v", r.err)
		}
		if r.status == http.StatusServiceUnavailable {
			unavailable++
		}
		slowest = max(slowest, r.elapsed)
	}
	t.Logf("%d requests during the outage, %d answered 503, slowest %s", len(during), unavailable, slowest)
	if unavailable == 0 {
		t.Error("no request failed during the outage: was PostgreSQL stopped?")
	}
	if status, _, _ := w.nurse.call(t, "POST", "/api/v1/people", map[string]any{"given_name": "ด.ญ.ฟ้า", "family_name": "ทนทาน",
		"birth_date": "2018-09-09", "household_id": w.household, "relationship": "child"}, nil); status != http.StatusCreated {
		t.Fatalf("write after the restart: %d", status)
	}
}
