package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"termtem/internal/account"
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

// Dashboards read their figures from a real streaming replica while it is
// close enough behind, and from the primary when it lags further than
// TERMTEM_DATABASE_REPLICA_MAX_LAG or is down. Two servers share one
// cluster: one tolerates an hour of lag, the other a millisecond. With the
// replica's replay paused after a seventh child is written (and received
// by the replica), the first still shows six children (it read the
// replica), the second seven (it fell back to the primary); with the
// replica stopped, both show seven and no request fails.
func TestDashboardsReadFromReplica(t *testing.T) {
	c := startPGCluster(t, true)
	patient := startServer(t, c.env(t, map[string]string{"TERMTEM_DATABASE_REPLICA_URL": c.ReplicaURL,
		"TERMTEM_DATABASE_REPLICA_MAX_LAG": "1h"}))
	strict := startServer(t, c.env(t, map[string]string{"TERMTEM_DATABASE_REPLICA_URL": c.ReplicaURL,
		"TERMTEM_DATABASE_REPLICA_MAX_LAG": "1ms"}))
	w := newFaultWorld(t, patient, "DREP")
	org, err := patient.openDB(t).GetOrganisationByCode(t.Context(), "HC-DREP")
	if err != nil {
		t.Fatal(err)
	}
	exec := staffAPI(t, patient, "exec.drep", account.RoleExecutive, org)
	viewers := map[string]apiClient{"patient": exec, "strict": {client: newClient(t, strict.URL), token: exec.token}}
	children := func(who string) float64 {
		t.Helper()
		status, body, _ := viewers[who].call(t, "GET", "/api/v1/dashboards/101103", nil, nil)
		if status != http.StatusOK {
			t.Fatalf("%s dashboard: %d %v", who, status, body)
		}
		for _, tab := range body["tables"].([]any) {
			tab := tab.(map[string]any)
			if tab["id"] != "flower_children" {
				continue
			}
			for i, row := range tab["rows"].([]any) {
				if row.(map[string]any)["key"] == "safety" {
					cell := tab["row_totals"].([]any)[i].(map[string]any)
					if cell["status"] != "shown" {
						t.Fatalf("%s: children's safety total is %v", who, cell)
					}
					return cell["n"].(float64)
				}
			}
		}
		t.Fatalf("%s: no children table in %v", who, body)
		return 0
	}
	create := func(i int) {
		t.Helper()
		status, p, _ := w.nurse.call(t, "POST", "/api/v1/people", map[string]any{"given_name": fmt.Sprintf("ด.ช.สำเนา%d", i),
			"family_name": "ทดสอบแดชบอร์ด", "birth_date": "2019-05-05", "household_id": w.household, "relationship": "child",
			"confirm_new": true}, nil)
		if status != http.StatusCreated {
			t.Fatalf("create child %d: %d %v", i, status, p)
		}
	}
	// waitReplica waits until the replica has received (what) or replayed
	// everything the primary has written so far.
	waitReplica := func(what string) {
		t.Helper()
		lsn := pgQuery(t, c.URL, "SELECT pg_current_wal_insert_lsn()::text")
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
			if pgQuery(t, c.ReplicaURL, "SELECT (pg_last_wal_"+what+"_lsn() >= '"+lsn+"'::pg_lsn)::text") == "true" {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the replica did not %s the primary's WAL within a minute", what)
			}
		}
	}
	for i := range 6 {
		create(i)
	}
	waitReplica("replay")
	for _, who := range []string{"patient", "strict"} {
		if n := children(who); n != 6 {
			t.Fatalf("%s: %v children on the caught-up replica, want 6", who, n)
		}
	}
	pgQuery(t, c.ReplicaURL, "SELECT pg_wal_replay_pause()::text")
	create(6)
	waitReplica("receive")
	if n := children("patient"); n != 6 {
		t.Fatalf("with replay paused the patient server shows %v children: it did not read the replica", n)
	}
	if n := children("strict"); n != 7 {
		t.Fatalf("with replay paused the strict server shows %v children: it did not fall back to the primary", n)
	}
	// The views were audited on the primary (a standby refuses writes).
	events, err := patient.openDB(t).RecentAudit(t.Context(), store.ActionDashboardViewed, 10)
	if err != nil || len(events) < 4 {
		t.Fatalf("dashboard audit on the primary: %d %v", len(events), err)
	}
	pgQuery(t, c.ReplicaURL, "SELECT pg_wal_replay_resume()::text")
	waitReplica("replay")
	if n := children("patient"); n != 7 {
		t.Fatalf("after replay resumed: %v children", n)
	}
	c.sh(t, "pg_tmp_replica_halt")
	for _, who := range []string{"patient", "strict", "patient"} {
		if n := children(who); n != 7 {
			t.Fatalf("%s with the replica stopped: %v children", who, n)
		}
	}
}
