package store_test

import (
	"context"
	"slices"
	"syscall"
	"testing"
	"time"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/dashboards"
	"termtem/internal/demo"
	"termtem/internal/demo/benchstore"
	"termtem/internal/store"
)

// dashboardSeed keeps the dashboards' population (people plus records and
// assessments) apart from the other benchmarks' cached one.
const dashboardSeed int64 = 16

// BenchmarkDashboards reads every dashboard view at every level of place,
// as a city-wide viewer, over a generated population
// (TERMTEM_BENCH_PEOPLE people, about 5 records and 2 assessments each),
// and reports the median and 95th percentile of one view and its CPU. See docs/benchmarks.md.
func BenchmarkDashboards(b *testing.B) {
	db := benchstore.Open(b, benchstore.People(b), dashboardSeed)
	ctx := context.Background()
	var n int
	if err := db.Ping(ctx); err != nil {
		b.Fatal(err)
	}
	if org, err := db.GetOrganisationByCode(ctx, "BENCH-HC"); err == nil {
		n, _ = db.CountAssessmentsBy(ctx, org.ID)
	}
	if n == 0 {
		res, err := demo.PopulateActivity(ctx, db, demo.ActivityOptions{Seed: dashboardSeed, Progress: benchLog{b}})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("activity: %d records, %d assessments in %s (%.0f rows/s)", res.Records, res.Assessments, res.Elapsed.Round(time.Second),
			float64(res.Records+res.Assessments)/res.Elapsed.Seconds())
	}
	viewer := access.ForRequest(ctx, &account.Principal{
		User:        account.User{ID: "bench-executive", Memberships: []account.Membership{{RoleCode: account.RoleSystemAdmin}}},
		Permissions: map[account.Permission]bool{account.ReportsAggregate: true}})
	district, err := db.GetPlaceByCode(ctx, "101103")
	if err != nil {
		b.Fatal(err)
	}
	communities, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: district.ID})
	if err != nil || len(communities) == 0 {
		b.Fatalf("communities of 101103: %d %v", len(communities), err)
	}
	lkb, _ := db.GetPlaceByCode(ctx, "1011")
	levels := []struct{ name, id string }{
		{"city", mustCode(b, db, "10")}, {"zone", lkb.ParentID}, {"district", lkb.ID}, {"subdistrict", district.ID}, {"community", communities[0].ID},
	}
	period, err := dashboards.ParsePeriod("", "", db.Now())
	if err != nil {
		b.Fatal(err)
	}
	// The views read as they are between changes (the memo of protected
	// families holding what an earlier view of the same place kept: each
	// view is read once before it is timed); "changed": the dashboard
	// right after a change in the community's line of every counter table
	// (the line's places get new versions before each view, in the memo
	// only: nothing is written); "nomemo": the dashboard with the memo off,
	// as after a change of every place's counters (dash_cache.go).
	line := []string{levels[0].id, levels[1].id, levels[2].id, levels[3].id, levels[4].id}
	for _, lv := range levels {
		for _, view := range []string{"dashboard", "map_red_safety", "map_unseen", "dashboard_changed", "dashboard_nomemo"} {
			b.Run(lv.name+"/"+view, func(b *testing.B) {
				q := store.DashboardQuery{PlaceID: lv.id, Period: period}
				actor := audit.Event{ActorID: "bench-executive", RequestID: "bench"}
				times := make([]time.Duration, 0, b.N)
				read := func() error {
					var err error
					switch view {
					case "dashboard", "dashboard_changed", "dashboard_nomemo":
						_, err = db.Dashboard(viewer, q, actor)
					case "map_red_safety":
						_, err = db.DashboardIndicator(viewer, q, "red_safety", actor)
					default:
						_, err = db.DashboardIndicator(viewer, q, "unseen", actor)
					}
					return err
				}
				db.DashboardMemoForTest(view != "dashboard_nomemo")
				if err := read(); err != nil {
					b.Fatal(err)
				}
				cpu0 := processCPU()
				b.ResetTimer()
				for b.Loop() {
					if view == "dashboard_changed" {
						db.DashboardChangedForTest(line)
					}
					t0 := time.Now()
					if err := read(); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(t0))
				}
				// CPU per view as well as wall time: on a shared machine the
				// wall time is mostly waiting for a core.
				cpu := processCPU() - cpu0
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(times)), "cpu-ms/op")
			})
		}
	}
}

func mustCode(b *testing.B, db *store.DB, code string) string {
	p, err := db.GetPlaceByCode(context.Background(), code)
	if err != nil {
		b.Fatal(err)
	}
	return p.ID
}

// processCPU is the process's user and system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type benchLog struct{ b *testing.B }

func (l benchLog) Write(p []byte) (int, error) { l.b.Log(string(p)); return len(p), nil }
