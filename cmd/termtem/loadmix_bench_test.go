package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/demo"
	"termtem/internal/demo/benchstore"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// BenchmarkAPIMix drives the API of a real `termtem serve` process (the
// binary, started on the benchmark population: TERMTEM_BENCH_PEOPLE
// people, default 1,000,000, with their records, assessments and
// casework) from a bounded loopback load generator of
// TERMTEM_BENCH_CLIENTS clients (default 16), with a weighted mix of what
// front-line staff and managers do:
//
//	lookup 30 %   POST /api/v1/people/lookup (national ID)
//	search 20 %   POST /api/v1/people/search (realistic Thai queries)
//	person 25 %   GET  /api/v1/people/{id}
//	record 10 %   POST /api/v1/people/{id}/records (a home visit)
//	assess  5 %   POST /api/v1/assessments (a child's flower)
//	dash   10 %   GET  /api/v1/dashboards/{district}
//
// TERMTEM_BENCH_MIX=dash,person runs only the kinds named.
//
// It reports requests/s of the mix and p50/p95/p99 per kind, the ratio to
// a bare net/http JSON handler measured in the same run, the server's
// start-up time (process start to /readyz answering) and its resident
// memory (VmRSS) at rest, the highest seen under load, and after. See
// docs/benchmarks.md.
func BenchmarkAPIMix(b *testing.B) {
	n := benchstore.People(b)
	db := benchstore.Open(b, n, demo.PopulationSeed)
	if err := ensureActivity(b, db); err != nil {
		b.Fatal(err)
	}
	token, orgID := benchstore.Token(b, db, benchstore.Caller{OrgCode: "BENCH-MIX", OrgNameTH: "หน่วยทดสอบสมรรถนะ (งานผสม)",
		OrgNameEN: "Benchmark unit (API mix)", Username: "bench.mix", DisplayName: "Benchmark worker", Password: "bench-Mix-pass-2569!",
		Roles: []string{account.RoleHealthStaff, account.RoleExecutive}})
	work := mixWorkload(b, db)
	opts := benchstore.Options(b, n, demo.PopulationSeed)
	db.Close() // the server has the database to itself

	env := map[string]string{"TERMTEM_REQUIRE_MFA": "false", "TERMTEM_LOG_FORMAT": "json", "TERMTEM_LOG_LEVEL": "warn",
		"TERMTEM_DATA": opts.DataDir, "TERMTEM_DATABASE_URL": opts.DatabaseURL}
	if opts.DataDir == "" { // PostgreSQL: the keys come from the environment
		env["TERMTEM_DATA"] = b.TempDir()
		env["TERMTEM_AUDIT_KEY"] = "bench-audit-chain-key-0123456789abcdef"
		env["TERMTEM_DATA_KEY"] = storetest.TestDataKey
	}
	bin := buildTermtem(b)
	t0 := time.Now()
	srv := startBin(b, bin, func(k string) string { return env[k] })
	clients := benchstore.Clients(b)
	hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, DisableCompression: true}}
	for {
		resp, err := hc.Get(srv.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Since(t0) > 5*time.Minute {
			b.Fatalf("not ready after 5 minutes: %v\n%s", err, srv.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	startup := time.Since(t0)
	b.Cleanup(func() {
		srv.cmd.Process.Signal(os.Interrupt)
		srv.cmd.Wait()
		if b.Failed() {
			out := srv.out.String()
			b.Logf("server output (end):\n%s", out[max(len(out)-4000, 0):])
		}
	})
	rssRest := vmRSS(srv.cmd.Process.Pid)

	bare := httptest.NewServer(http.HandlerFunc(benchstore.BareJSON))
	defer bare.Close()
	do := func(method, url string, body []byte, want int) error {
		return benchstore.Call(hc, token, method, url, body, want)
	}

	var bareRate float64
	b.Run("bare", func(b *testing.B) {
		lat := benchstore.Drive(b, clients, func(i int) error {
			return do("POST", bare.URL+"/", work.lookups[i%len(work.lookups)], http.StatusOK)
		})
		lat.Report(b)
		bareRate = float64(b.N) / b.Elapsed().Seconds()
	})
	b.Run("mix", func(b *testing.B) {
		// Sample the server's memory while the load runs.
		var peak int64
		var atPeak map[string]int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					if st := procStatus(srv.cmd.Process.Pid); st["VmRSS"] > peak {
						peak, atPeak = st["VmRSS"], st
					}
				}
			}
		})
		cpu0 := processCPUOf(srv.cmd.Process.Pid)
		lat := benchstore.Drive(b, clients, func(i int) error {
			k := work.kinds[i%len(work.kinds)]
			switch k {
			case "lookup":
				return do("POST", srv.url+"/api/v1/people/lookup", work.lookups[i%len(work.lookups)], http.StatusOK)
			case "search":
				return do("POST", srv.url+"/api/v1/people/search", work.searches[i%len(work.searches)], http.StatusOK)
			case "person":
				return do("GET", srv.url+"/api/v1/people/"+work.children[i%len(work.children)], nil, http.StatusOK)
			case "record":
				body, _ := json.Marshal(map[string]any{"kind": "home_visit", "occurred_on": work.today, "organisation_code": "BENCH-MIX",
					"data": map[string]any{"note": "เยี่ยมบ้าน (ทดสอบสมรรถนะ)"}})
				return do("POST", srv.url+"/api/v1/people/"+work.children[i%len(work.children)]+"/records", body, http.StatusCreated)
			case "assess":
				body, _ := json.Marshal(map[string]any{"subject": "child", "subject_id": work.children[i%len(work.children)], "organisation_id": orgID,
					"answers": map[string]any{"SAF03": map[string]any{"option": "never"}}})
				return do("POST", srv.url+"/api/v1/assessments", body, http.StatusCreated)
			default:
				return do("GET", srv.url+"/api/v1/dashboards/"+work.districts[i%len(work.districts)], nil, http.StatusOK)
			}
		})
		// The server's own CPU per request (Drive's cpu-µs/op is the
		// load generator's: the server is another process).
		b.ReportMetric(float64((processCPUOf(srv.cmd.Process.Pid)-cpu0).Microseconds())/float64(b.N), "server-cpu-µs/op")
		close(stop)
		wg.Wait()
		lat.Report(b)
		if bareRate > 0 {
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/bareRate, "x-bare")
		}
		byKind := lat.By(func(i int) string { return work.kinds[i%len(work.kinds)] })
		for _, k := range mixKinds {
			if l := byKind[k.name]; len(l) > 0 {
				l.ReportAs(b, k.name)
				b.Logf("%-7s %s", k.name, l.Summary())
			}
		}
		b.ReportMetric(float64(peak)/(1<<20), "rss-load-MB")
		b.Logf("at the peak: RssAnon %.0f MB, RssFile %.0f MB", float64(atPeak["RssAnon"])/(1<<20), float64(atPeak["RssFile"])/(1<<20))
		// With GODEBUG=gctrace=1 the server logs its Go heap at every
		// collection: the largest goal shows how much of RssAnon is Go's.
		if gc := largestGCGoal(srv.out.String()); gc != "" {
			b.Logf("largest Go heap goal under load: %s", gc)
		}
	})
	b.ReportMetric(startup.Seconds(), "startup-s")
	b.ReportMetric(float64(rssRest)/(1<<20), "rss-rest-MB")
	b.Logf("start-up %s; RSS at rest %.0f MB, after the load %.0f MB", startup.Round(time.Millisecond), float64(rssRest)/(1<<20),
		float64(vmRSS(srv.cmd.Process.Pid))/(1<<20))
}

// mixKinds are the kinds of request and their weights (of 100).
var mixKinds = []struct {
	name   string
	weight int
}{{"lookup", 30}, {"search", 20}, {"person", 25}, {"record", 10}, {"assess", 5}, {"dash", 10}}

// mixWork is what the clients send.
type mixWork struct {
	kinds               []string // request i is of kind kinds[i % len]
	lookups, searches   [][]byte
	children, districts []string
	today               string
}

func mixWorkload(b *testing.B, db *store.DB) mixWork {
	b.Helper()
	ctx := context.Background()
	var w mixWork
	// TERMTEM_BENCH_MIX=dash,person keeps only those kinds (their weights
	// unchanged): to see which kind costs what.
	only := os.Getenv("TERMTEM_BENCH_MIX")
	for _, k := range mixKinds {
		if only != "" && !slices.Contains(strings.Split(only, ","), k.name) {
			continue
		}
		for range k.weight {
			w.kinds = append(w.kinds, k.name)
		}
	}
	rng := rand.New(rand.NewPCG(3, 3))
	rng.Shuffle(len(w.kinds), func(i, j int) { w.kinds[i], w.kinds[j] = w.kinds[j], w.kinds[i] })
	for _, id := range benchstore.NationalIDs(b, db, 20000) {
		body, _ := json.Marshal(map[string]string{"national_id": id})
		w.lookups = append(w.lookups, body)
	}
	for _, q := range benchstore.Queries(b, db, 5000) {
		body, _ := json.Marshal(map[string]any{"q": q.Text, "birth_year": q.BirthYear, "district_code": q.DistrictCode})
		w.searches = append(w.searches, body)
	}
	// Children under five (the flower's SAF03 asks about them), spread
	// over the whole population: every page of people gives a few.
	now := db.Now()
	w.today = now.Format(time.DateOnly)
	young := now.AddDate(-4, 0, 0).Format(time.DateOnly)
	after := ""
	for {
		page, err := db.ActivitySubjects(ctx, after, 5000)
		if err != nil {
			b.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
		taken := 0
		for _, s := range page {
			if s.BirthDate >= young && taken < 20 {
				w.children = append(w.children, s.ID)
				taken++
			}
		}
	}
	rng.Shuffle(len(w.children), func(i, j int) { w.children[i], w.children[j] = w.children[j], w.children[i] })
	// Districts all over the city.
	for _, code := range []string{"1001", "1005", "1011", "1015", "1020", "1027", "1033", "1040", "1044", "1050"} {
		w.districts = append(w.districts, code)
	}
	if len(w.children) == 0 {
		b.Fatal("no children under five in the population")
	}
	return w
}

// ensureActivity adds the population's records, assessments and
// casework if it has none yet (kept in the cached database after).
func ensureActivity(b *testing.B, db *store.DB) error {
	ctx := context.Background()
	if org, err := db.GetOrganisationByCode(ctx, "BENCH-HC"); err == nil {
		if k, err := db.CountAssessmentsBy(ctx, org.ID); err != nil || k > 0 {
			return err
		}
	}
	b.Log("the population has no activity yet: generating it (once; it stays in the cached database)")
	res, err := demo.PopulateActivity(ctx, db, demo.ActivityOptions{Seed: demo.PopulationSeed, Progress: benchWriter{b}})
	if err == nil {
		b.Logf("activity: %d records, %d assessments, %d cases, %d referrals in %s", res.Records, res.Assessments, res.Cases, res.Referrals,
			res.Elapsed.Round(time.Second))
	}
	return err
}

type benchWriter struct{ b *testing.B }

func (w benchWriter) Write(p []byte) (int, error) {
	w.b.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// processCPUOf is the user and system CPU time a process has used, from
// /proc (in clock ticks of 10 ms, as Linux counts them by default).
func processCPUOf(pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name (which may hold spaces).
	f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// vmRSS is a process's resident memory in bytes, from /proc.
func vmRSS(pid int) int64 { return procStatus(pid)["VmRSS"] }

// procStatus reads a process's memory figures (kB in /proc, bytes here):
// VmRSS is RssAnon (the Go heap and SQLite's page caches, which modernc's
// C allocator takes from the kernel directly) plus RssFile (the mapped
// binary).
func procStatus(pid int) map[string]int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil
	}
	out := map[string]int64{}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[2] == "kB" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			out[strings.TrimSuffix(f[0], ":")] = kb << 10
		}
	}
	return out
}

// largestGCGoal finds, in a gctrace log, the collection with the largest
// heap goal ("gc 12 @3.1s 2%: … 40->41->20 MB, 42 MB goal, …").
func largestGCGoal(log string) string {
	best, bestMB := "", -1
	for _, line := range strings.Split(log, "\n") {
		if !strings.HasPrefix(line, "gc ") {
			continue
		}
		for _, part := range strings.Split(line, ",") {
			if f := strings.Fields(part); len(f) == 3 && f[1] == "MB" && f[2] == "goal" {
				if mb, err := strconv.Atoi(f[0]); err == nil && mb > bestMB {
					best, bestMB = strings.TrimSpace(line), mb
				}
			}
		}
	}
	return best
}
