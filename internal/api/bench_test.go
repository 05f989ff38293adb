package api_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/auth"
	"termtem/internal/demo"
	"termtem/internal/demo/benchstore"
	"termtem/internal/locale"
	"termtem/internal/server"
	"termtem/internal/store/storetest"
)

// BenchmarkPeopleAPI measures the people API over loopback HTTP against a
// store of TERMTEM_BENCH_PEOPLE (default 1,000,000) generated people —
// SQLite, or PostgreSQL when TERMTEM_TEST_POSTGRES is set — with
// TERMTEM_BENCH_CLIENTS (default 16) concurrent clients, each request
// authenticated by a bearer token and its read audited, as in production:
//
//   - bare: a bare net/http handler that decodes the same JSON body and
//     answers a fixed JSON person: the ceiling of HTTP and JSON on this
//     machine, which the other two report themselves against (x-bare);
//   - lookup: POST /api/v1/people/lookup by national ID;
//   - search-1clients and search-Nclients: POST /api/v1/people/search with
//     realistic Thai queries, misspelt ones and Latin spellings, from one
//     client (the latency a user sees) and from N.
//
// See docs/benchmarks.md for the figures and how to run it.
func BenchmarkPeopleAPI(b *testing.B) {
	engine := "sqlite"
	if storetest.Postgres() {
		engine = "postgres"
	}
	db := benchstore.Open(b, benchstore.People(b), demo.PopulationSeed)
	clients := benchstore.Clients(b)
	token, _ := benchstore.Token(b, db, benchstore.Caller{OrgCode: "BENCH-CITY", OrgNameTH: "หน่วยทดสอบสมรรถนะ", OrgNameEN: "Benchmark unit",
		Username: "bench.city", DisplayName: "Benchmark reader", Password: "bench-Reader-pass-2569!", Roles: []string{account.RoleHealthStaff}})
	cat, err := locale.Load()
	if err != nil {
		b.Fatal(err)
	}
	svc, err := auth.New(db, account.SessionRules{Idle: time.Hour, Absolute: 12 * time.Hour}, storetest.FastHash())
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Deps{DB: db, Auth: svc, Cat: cat, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	api := httptest.NewServer(srv)
	defer api.Close()
	bare := httptest.NewServer(http.HandlerFunc(benchstore.BareJSON))
	defer bare.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, DisableCompression: true}}

	ids := benchstore.NationalIDs(b, db, 20000)
	lookups := make([][]byte, len(ids))
	for i, id := range ids {
		lookups[i], _ = json.Marshal(map[string]string{"national_id": id})
	}
	queries := benchstore.Queries(b, db, 5000)
	searches := make([][]byte, len(queries))
	for i, q := range queries {
		searches[i], _ = json.Marshal(map[string]any{"q": q.Text, "birth_year": q.BirthYear, "district_code": q.DistrictCode})
	}

	post := func(url string, body []byte, want int) error {
		return benchstore.Call(client, token, http.MethodPost, url, body, want)
	}

	var bareRate float64
	b.Run(engine+"/bare", func(b *testing.B) {
		lat := benchstore.Drive(b, clients, func(i int) error { return post(bare.URL+"/", lookups[i%len(lookups)], http.StatusOK) })
		lat.Report(b)
		bareRate = float64(b.N) / b.Elapsed().Seconds()
	})
	vsBare := func(b *testing.B) {
		if bareRate > 0 {
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/bareRate, "x-bare")
		}
	}
	b.Run(engine+"/lookup", func(b *testing.B) {
		lat := benchstore.Drive(b, clients, func(i int) error {
			return post(api.URL+"/api/v1/people/lookup", lookups[i%len(lookups)], http.StatusOK)
		})
		lat.Report(b)
		vsBare(b)
	})
	// Search latency as one person at a desk sees it, then under load.
	for _, c := range []int{1, clients} {
		b.Run(fmt.Sprintf("%s/search-%dclients", engine, c), func(b *testing.B) {
			lat := benchstore.Drive(b, c, func(i int) error {
				return post(api.URL+"/api/v1/people/search", searches[i%len(searches)], http.StatusOK)
			})
			lat.Report(b)
			vsBare(b)
			if c == 1 {
				// Which kinds of query set the tail (go test -v shows it).
				byKind := lat.By(func(i int) string { return queries[i%len(queries)].Kind })
				for _, k := range slices.Sorted(maps.Keys(byKind)) {
					b.Logf("%-15s %s", k, byKind[k].Summary())
				}
			}
		})
	}
}
