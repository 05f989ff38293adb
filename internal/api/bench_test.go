package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/auth"
	"termtem/internal/demo"
	"termtem/internal/demo/benchstore"
	"termtem/internal/errs"
	"termtem/internal/locale"
	"termtem/internal/organisations"
	"termtem/internal/server"
	"termtem/internal/store"
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
	token := benchToken(b, db)
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
	bare := httptest.NewServer(http.HandlerFunc(bareJSON))
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
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		got, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != want {
			return fmt.Errorf("POST %s %s: %d %s", url, body, resp.StatusCode, got)
		}
		return nil
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
				byKind := map[string]benchstore.Latencies{}
				for i, d := range lat {
					k := queries[i%len(queries)].Kind
					byKind[k] = append(byKind[k], d)
				}
				for _, k := range slices.Sorted(maps.Keys(byKind)) {
					b.Logf("%-15s n=%4d p50 %6.1f ms  p95 %6.1f ms", k, len(byKind[k]),
						float64(byKind[k].Percentile(50).Microseconds())/1000, float64(byKind[k].Percentile(95).Microseconds())/1000)
				}
			}
		})
	}
}

// bareJSON is the baseline: decode a small JSON body, answer a fixed JSON
// object about the size of a person.
func bareJSON(w http.ResponseWriter, r *http.Request) {
	var in struct {
		NationalID string `json:"national_id"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"id": "0195f3a2-0000-7000-8000-000000000000", "version": 1,
		"national_id": in.NationalID, "title": "เด็กหญิง", "given_name": "ณัฐธิดา", "family_name": "ใจดี", "sex": "female",
		"birth_date": "2019-11-30", "nationality": "thai", "life_stage": "primary", "community_code": "101103-G001"})
}

// benchToken makes (once per store) a health-centre reader and returns a
// new bearer token for it.
func benchToken(b *testing.B, db *store.DB) string {
	b.Helper()
	ctx := context.Background()
	actor := audit.Event{RequestID: "bench"}
	// A city-wide unit: the benchmark looks up people anywhere in Bangkok,
	// and a district's unit sees only its district (the access policy).
	org, err := db.GetOrganisationByCode(ctx, "BENCH-CITY")
	if errs.Is(err, errs.NotFound) {
		city, perr := db.GetPlaceByCode(ctx, "10")
		if perr != nil {
			b.Fatal(perr)
		}
		org, err = db.SaveOrganisation(ctx, organisations.Organisation{Code: "BENCH-CITY", Kind: organisations.HealthCentre,
			NameTH: "หน่วยทดสอบสมรรถนะ", NameEN: "Benchmark unit", PlaceID: city.ID, Active: true}, actor)
	}
	if err != nil {
		b.Fatal(err)
	}
	u, err := db.GetUserByUsername(ctx, "bench.city")
	if errs.Is(err, errs.NotFound) {
		svc, aerr := auth.New(db, account.SessionRules{Idle: time.Hour, Absolute: time.Hour}, storetest.FastHash())
		if aerr != nil {
			b.Fatal(aerr)
		}
		u, err = svc.CreateUser(ctx, account.User{Username: "bench.city", DisplayName: "Benchmark reader", Kind: account.StaffAccount,
			Lang: "th", Memberships: []account.Membership{{OrganisationID: org.ID, RoleCode: account.RoleHealthStaff}}},
			"bench-Reader-pass-2569!", actor)
	}
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := db.CreateAPIToken(ctx, u.ID, "bench", 24*time.Hour, actor)
	if err != nil {
		b.Fatal(err)
	}
	return token
}
