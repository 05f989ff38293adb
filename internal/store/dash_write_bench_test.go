package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/demo/benchstore"
	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
)

// BenchmarkDashboardWrites measures writes under concurrency: writers at
// once, each in a district of its own, each adding a home visit (a service
// record dated today) and an assessment of a child of its district in
// turn, as staff of different districts on several nodes would. Every
// such write moves the dashboard counters of the child's community and of
// every place above it (dash_agg.go), so on PostgreSQL writers of
// different districts meet on the rows of the places they share (their
// zone group, the city) and wait for each other's commits. "counters" is
// production; "nocounters" keeps no dashboard counters at all, the floor.
// It reports writes/s (all writers together) and the p50/p95 of one write.
// See docs/benchmarks.md ("Writes under concurrency").
func BenchmarkDashboardWrites(b *testing.B) {
	db := benchstore.Open(b, benchstore.People(b), 1)
	ctx := context.Background()
	if db.DataKey == nil {
		// Home visits are sensitive, kept encrypted: a fixed key, so that
		// a later run reads what an earlier one wrote.
		key := sha256.Sum256([]byte("termtem benchmark data key"))
		db.DataKey = key[:]
	}
	org, err := db.GetOrganisationByCode(ctx, "BENCH-HC")
	if errs.Is(err, errs.NotFound) {
		city, perr := db.GetPlaceByCode(ctx, "10")
		if perr != nil {
			b.Fatal(perr)
		}
		org, err = db.SaveOrganisation(ctx, organisations.Organisation{Code: "BENCH-HC", Kind: organisations.HealthCentre,
			NameTH: "หน่วยบริการสังเคราะห์ (ทดสอบสมรรถนะ)", NameEN: "Synthetic service unit (benchmarks)", PlaceID: city.ID, Active: true},
			audit.Event{RequestID: "bench"})
	}
	if err != nil {
		b.Fatal(err)
	}
	// Children by district, from the first people (enough for eight
	// districts with many children each).
	today := db.Now().UTC()
	district := map[string]string{} // community → district
	byDistrict := map[string][]string{}
	after := ""
	for len(byDistrict) < 8 || after == "" {
		subjects, err := db.ActivitySubjects(ctx, after, 5000)
		if err != nil {
			b.Fatal(err)
		}
		if len(subjects) == 0 {
			break
		}
		for _, s := range subjects {
			after = s.ID
			born, err := time.Parse(time.DateOnly, s.BirthDate)
			if err != nil || s.CommunityID == "" || today.Sub(born) > 15*365*24*time.Hour || today.Sub(born) < 400*24*time.Hour {
				continue
			}
			d, ok := district[s.CommunityID]
			if !ok {
				path, err := db.PlacePath(ctx, s.CommunityID)
				if err != nil || len(path) < 3 {
					b.Fatalf("path of %s: %v", s.CommunityID, err)
				}
				d = path[2].ID
				district[s.CommunityID] = d
			}
			byDistrict[d] = append(byDistrict[d], s.ID)
		}
	}
	var districts []string
	for d, cs := range byDistrict {
		if len(cs) >= 20 {
			districts = append(districts, d)
		}
	}
	slices.Sort(districts)
	if len(districts) < 8 {
		b.Fatalf("only %d districts with 20 children among the first people", len(districts))
	}
	actor := audit.Event{ActorID: "bench-writer", RequestID: "bench"}
	write := func(child string, k int) error {
		if k%2 == 0 {
			_, err := db.AddRecord(ctx, people.Record{PersonID: child, Kind: people.HomeVisit, OccurredOn: today.Format(time.DateOnly),
				OrganisationID: org.ID, Data: people.RecordData{Note: "เยี่ยมบ้าน"}}, actor)
			return err
		}
		_, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: child,
			Source: store.ByStaff, OrganisationID: org.ID}, actor)
		return err
	}
	for _, mode := range []string{"counters", "nocounters"} {
		for _, writers := range []int{1, 2, 4, 8} {
			b.Run(fmt.Sprintf("%s/writers=%d", mode, writers), func(b *testing.B) {
				db.DashboardCountersForTest(mode == "counters")
				b.Cleanup(func() { db.DashboardCountersForTest(true) })
				times := make([][]time.Duration, writers)
				errc := make(chan error, writers)
				var wg sync.WaitGroup
				b.ResetTimer()
				start := time.Now()
				for w := range writers {
					n := b.N / writers
					if w < b.N%writers {
						n++
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						children := byDistrict[districts[w]]
						for k := range n {
							t0 := time.Now()
							if err := write(children[k%len(children)], k); err != nil {
								errc <- err
								return
							}
							times[w] = append(times[w], time.Since(t0))
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				close(errc)
				if err := <-errc; err != nil {
					b.Fatal(err)
				}
				all := slices.Concat(times...)
				slices.Sort(all)
				b.ReportMetric(float64(len(all))/elapsed.Seconds(), "writes/s")
				b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(all[len(all)*95/100].Microseconds())/1000, "p95-ms")
			})
		}
	}
}
