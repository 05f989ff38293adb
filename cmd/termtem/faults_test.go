package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/places"
)

// Fault tests. Each has a short variant that runs in the normal suite and
// a long one (more clients, more rounds, longer load) when
// TERMTEM_TEST_LONG=1 (docs/operations.md, "Fault drills").
func longFaults() bool { return os.Getenv("TERMTEM_TEST_LONG") == "1" }

// pick returns short in the normal suite and long under TERMTEM_TEST_LONG=1.
func pick(short, long int) int {
	if longFaults() {
		return long
	}
	return short
}

// rawCall is an API call safe to make from many goroutines: it reports
// failures as errors instead of failing the test.
func rawCall(hc *http.Client, base, token, method, path string, body any, headers map[string]string) (int, map[string]any, http.Header, error) {
	var rdr io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, nil, err
		}
		rdr = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rdr)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, resp.Header, err
	}
	var out map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			return resp.StatusCode, nil, resp.Header, fmt.Errorf("%s %s: %d, not JSON: %.200s", method, path, resp.StatusCode, b)
		}
	}
	return resp.StatusCode, out, resp.Header, nil
}

// faultWorld is a health centre with a nurse's API client and a household
// in a community of its district, on a running server.
type faultWorld struct {
	nurse     apiClient
	household string
}

func newFaultWorld(t *testing.T, ts *testServer, community string) faultWorld {
	t.Helper()
	health := ts.addOrganisation(t, "HC-"+community)
	db := ts.openDB(t)
	parent, err := db.GetPlaceByCode(t.Context(), "101103")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePlace(t.Context(), places.Place{Kind: places.Community, Code: "101103-" + community, NameTH: "ชุมชนทดสอบ " + community,
		ParentID: parent.ID}, audit.Event{}); err != nil {
		t.Fatal(err)
	}
	nurse := staffAPI(t, ts, "nurse."+strings.ToLower(community), account.RoleHealthStaff, health)
	status, hh, _ := nurse.call(t, "POST", "/api/v1/households", map[string]any{"community_code": "101103-" + community, "address": "99 ซอยร่มเกล้า 7"}, nil)
	if status != http.StatusCreated {
		t.Fatalf("household: %d %v", status, hh)
	}
	return faultWorld{nurse: nurse, household: hh["id"].(string)}
}

// Many clients edit one person at once, each adding one to a counter kept
// in the nickname by read, modify, write with If-Match, retrying on 412.
// Every version has exactly one winner, the losers get 412 (never another
// status), and no increment is lost: the counter ends at clients × edits.
func TestConcurrentEditsOfOnePerson(t *testing.T) {
	ts := startServer(t, testEnv(t))
	w := newFaultWorld(t, ts, "EDIT")
	status, p, _ := w.nurse.call(t, "POST", "/api/v1/people", map[string]any{"given_name": "ด.ญ.แก้วตา", "family_name": "ทดสอบ",
		"birth_date": "2020-02-02", "household_id": w.household, "relationship": "child", "nickname": "n0"}, nil)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, p)
	}
	id := p["id"].(string)
	clients, edits := pick(6, 16), pick(5, 25)
	hc := &http.Client{Timeout: 30 * time.Second}
	var mu sync.Mutex
	winners := map[string]int{} // If-Match version → how many writes won with it
	conflicts := 0
	var wg sync.WaitGroup
	errc := make(chan error, clients)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for done := 0; done < edits; {
				status, cur, hdr, err := rawCall(hc, ts.URL, w.nurse.token, "GET", "/api/v1/people/"+id, nil, nil)
				if err != nil || status != http.StatusOK {
					errc <- fmt.Errorf("read: %d %v %v", status, cur, err)
					return
				}
				n, err := strconv.Atoi(strings.TrimPrefix(cur["nickname"].(string), "n"))
				if err != nil {
					errc <- fmt.Errorf("nickname %v", cur["nickname"])
					return
				}
				etag := hdr.Get("ETag")
				status, out, _, err := rawCall(hc, ts.URL, w.nurse.token, "PATCH", "/api/v1/people/"+id,
					map[string]any{"nickname": "n" + strconv.Itoa(n+1)}, map[string]string{"If-Match": etag})
				switch {
				case err != nil:
					errc <- err
					return
				case status == http.StatusOK:
					mu.Lock()
					winners[etag]++
					mu.Unlock()
					done++
				case status == http.StatusPreconditionFailed:
					if code, _, msg := errorOf(out); code != "stale" || msg == "" {
						errc <- fmt.Errorf("412 without the error shape: %v", out)
						return
					}
					mu.Lock()
					conflicts++
					mu.Unlock()
				default:
					errc <- fmt.Errorf("edit: %d %v", status, out)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	total := clients * edits
	if len(winners) != total {
		t.Errorf("%d versions won, want %d", len(winners), total)
	}
	for v, n := range winners {
		if n != 1 {
			t.Errorf("version %s won %d times", v, n)
		}
	}
	_, final, hdr := w.nurse.call(t, "GET", "/api/v1/people/"+id, nil, nil)
	if final["nickname"] != "n"+strconv.Itoa(total) || hdr.Get("ETag") != strconv.Quote(strconv.Itoa(total+1)) {
		t.Errorf("after %d edits: nickname %v, ETag %s", total, final["nickname"], hdr.Get("ETag"))
	}
	t.Logf("%d clients × %d edits: %d refused with 412 and retried", clients, edits, conflicts)
}

// At far more requests than the server may serve at once it sheds the
// rest at once with 503, Retry-After and the error shape, answers its
// health check meanwhile, and afterwards is back to its goroutines and
// memory of before.
func TestOverloadShedsAndRecovers(t *testing.T) {
	ts, w, hc := sheddingServer(t, 2, "5ms", "LOAD")
	search := map[string]any{"q": "สมชาย"}
	// Warm up, then take the baseline.
	for i := 0; i < 20; i++ {
		if status, body, _, err := rawCall(hc, ts.URL, w.nurse.token, "POST", "/api/v1/people/search", search, nil); err != nil || status != 200 {
			t.Fatalf("warm-up search: %d %v %v", status, body, err)
		}
	}
	goroutines0, heap0 := settle()

	clients, each := pick(48, 200), pick(20, 200)
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	errc := make(chan error, clients+1)
	stop := make(chan struct{})
	healthy := 0
	go func() { // the load balancer's health check, throughout
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			resp, err := hc.Get(ts.URL + "/healthz")
			if err != nil {
				errc <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode == 200 {
				mu.Lock()
				healthy++
				mu.Unlock()
			}
		}
	}()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				status, body, hdr, err := rawCall(hc, ts.URL, w.nurse.token, "POST", "/api/v1/people/search", search, map[string]string{"Accept-Language": "en"})
				if err != nil {
					errc <- err
					return
				}
				if status == http.StatusServiceUnavailable {
					if code, _, msg := errorOf(body); code != "unavailable" || msg == "" || hdr.Get("Retry-After") == "" {
						errc <- fmt.Errorf("503 without Retry-After or the error shape: %v %v", hdr, body)
						return
					}
				}
				mu.Lock()
				counts[status]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(stop)
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	t.Logf("%d clients × %d searches with 2 slots: %v; health checks answered: %d", clients, each, counts, healthy)
	if counts[http.StatusOK] == 0 || counts[http.StatusServiceUnavailable] == 0 || counts[http.StatusOK]+counts[http.StatusServiceUnavailable] != clients*each {
		t.Errorf("statuses %v: want only 200 and 503, some of each", counts)
	}
	if healthy == 0 {
		t.Error("the health check was never answered during the overload")
	}
	// Still serving, and back to where it was.
	if status, body, _, err := rawCall(hc, ts.URL, w.nurse.token, "POST", "/api/v1/people/search", search, nil); err != nil || status != 200 {
		t.Fatalf("search after the overload: %d %v %v", status, body, err)
	}
	hc.CloseIdleConnections()
	goroutines1, heap1 := settle()
	t.Logf("goroutines %d → %d, heap in use %.1f → %.1f MB", goroutines0, goroutines1, float64(heap0)/1e6, float64(heap1)/1e6)
	if goroutines1 > goroutines0+10 {
		t.Errorf("goroutines %d after the overload, %d before", goroutines1, goroutines0)
	}
	if heap1 > heap0+32<<20 {
		t.Errorf("heap in use %d after the overload, %d before", heap1, heap0)
	}
}

// sheddingServer starts a server with few slots and a short queue, a
// world in it, and an HTTP client keeping many connections.
func sheddingServer(t *testing.T, slots int, queue, community string) (*testServer, faultWorld, *http.Client) {
	t.Helper()
	base := testEnv(t)
	getenv := func(k string) string {
		switch k {
		case "TERMTEM_MAX_CONCURRENT":
			return strconv.Itoa(slots)
		case "TERMTEM_QUEUE_TIMEOUT":
			return queue
		}
		return base(k)
	}
	ts := startServer(t, getenv)
	return ts, newFaultWorld(t, ts, community), &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
}

// settle collects garbage until the goroutine count stops falling (idle
// connections closing) and returns it with the heap in use.
func settle() (int, uint64) {
	n := runtime.NumGoroutine()
	for i := 0; i < 50; i++ {
		runtime.GC()
		time.Sleep(100 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m >= n && i >= 5 {
			break
		}
		n = m
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapInuse
}

// The long drill (TERMTEM_TEST_LONG=1): measure what the server sustains
// with as many clients as it has slots, then offer twice that rate, open
// loop, for 15 seconds. It sheds the excess with 503, serves the rest,
// and is back to its goroutines and memory of before afterwards.
func TestOverloadAtTwiceSustainableRate(t *testing.T) {
	if !longFaults() {
		t.Skip("long drill: TERMTEM_TEST_LONG=1")
	}
	const slots = 4
	ts, w, hc := sheddingServer(t, slots, "50ms", "RATE")
	search := map[string]any{"q": "สมชาย"}
	call := func() (int, error) {
		status, body, hdr, err := rawCall(hc, ts.URL, w.nurse.token, "POST", "/api/v1/people/search", search, nil)
		if err == nil && status == http.StatusServiceUnavailable && hdr.Get("Retry-After") == "" {
			err = fmt.Errorf("503 without Retry-After: %v", body)
		}
		return status, err
	}
	for i := 0; i < 50; i++ {
		if status, err := call(); err != nil || status != 200 {
			t.Fatalf("warm-up: %d %v", status, err)
		}
	}
	goroutines0, heap0 := settle()

	// Sustainable: closed loop, one client per slot.
	var served int64
	var mu sync.Mutex
	measureFor := 5 * time.Second
	end := time.Now().Add(measureFor)
	var wg sync.WaitGroup
	for c := 0; c < slots; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				if status, err := call(); err == nil && status == 200 {
					mu.Lock()
					served++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	rate := float64(served) / measureFor.Seconds()
	if rate < 1 {
		t.Fatalf("sustained %.1f requests/s", rate)
	}

	// Twice that, open loop.
	offered := 2 * rate
	overFor := 15 * time.Second
	total := int(offered * overFor.Seconds())
	counts := map[int]int{}
	errs := 0
	// Paced by the clock, not a ticker (a ticker drops ticks when the
	// generator falls behind, quietly lowering the rate), into a queue
	// that a fixed pool of clients empties — as a real crowd of clients,
	// not thousands of goroutines on the server's own two cores. A
	// request the pool cannot take up in time is counted as not sent.
	const pool = 8 * slots
	queue := make(chan struct{}, pool)
	notSent := 0
	for c := 0; c < pool; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range queue {
				status, err := call()
				mu.Lock()
				if err != nil {
					errs++
				} else {
					counts[status]++
				}
				mu.Unlock()
			}
		}()
	}
	start := time.Now()
	for i := 0; i < total; i++ {
		if d := time.Until(start.Add(time.Duration(float64(i) / offered * float64(time.Second)))); d > 0 {
			time.Sleep(d)
		}
		select {
		case queue <- struct{}{}:
		default:
			notSent++
		}
	}
	close(queue)
	wg.Wait()
	took := time.Since(start)
	sent := total - notSent
	t.Logf("sustained %.0f requests/s with %d slots; offered %.0f/s for %s by %d clients: %d sent (%.0f/s), %d not sent (clients busy): %v, %d errors",
		rate, slots, offered, overFor, pool, sent, float64(sent)/took.Seconds(), notSent, counts, errs)
	if errs > 0 || counts[200] == 0 || counts[503] == 0 || counts[200]+counts[503] != sent {
		t.Errorf("at twice the sustainable rate: %v, %d errors: want only 200 and 503, some of each", counts, errs)
	}
	if status, err := call(); err != nil || status != 200 {
		t.Fatalf("after the overload: %d %v", status, err)
	}
	hc.CloseIdleConnections()
	goroutines1, heap1 := settle()
	t.Logf("goroutines %d → %d, heap in use %.1f → %.1f MB", goroutines0, goroutines1, float64(heap0)/1e6, float64(heap1)/1e6)
	if goroutines1 > goroutines0+10 || heap1 > heap0+32<<20 {
		t.Errorf("not back to baseline: goroutines %d → %d, heap %d → %d", goroutines0, goroutines1, heap0, heap1)
	}
}
