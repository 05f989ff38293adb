package store_test

import (
	"context"
	"testing"

	"termtem/internal/audit"
	"termtem/internal/demo"
	"termtem/internal/demo/benchstore"
	"termtem/internal/people"
	"termtem/internal/store"
)

// Store-level benchmarks on a large generated population (see
// internal/demo/benchstore and docs/benchmarks.md): the store's share of
// the API figures, without HTTP, JSON or authentication.

func benchActor() audit.Event { return audit.Event{ActorID: "bench", RequestID: "bench"} }

// BenchmarkStoreLookup looks people up by national ID from concurrent
// goroutines; each lookup waits for its audit row (group commit).
func BenchmarkStoreLookup(b *testing.B) {
	db := benchstore.Open(b, benchstore.People(b), demo.PopulationSeed)
	ids := benchstore.NationalIDs(b, db, 20000)
	ctx := context.Background()
	lat := benchstore.Drive(b, benchstore.Clients(b), func(i int) error {
		_, err := db.LookupIdentifier(ctx, people.NationalID, ids[i%len(ids)], benchActor())
		return err
	})
	lat.Report(b)
}

// BenchmarkStoreSearch runs realistic name searches, one client at a time
// (latency) and concurrently (throughput).
func BenchmarkStoreSearch(b *testing.B) {
	db := benchstore.Open(b, benchstore.People(b), demo.PopulationSeed)
	queries := benchstore.Queries(b, db, 5000)
	ctx := context.Background()
	for _, clients := range []int{1, benchstore.Clients(b)} {
		b.Run(map[bool]string{true: "serial", false: "concurrent"}[clients == 1], func(b *testing.B) {
			lat := benchstore.Drive(b, clients, func(i int) error {
				q := queries[i%len(queries)]
				_, _, err := db.SearchPeople(ctx, store.PersonQuery{Text: q.Text, BirthYear: q.BirthYear, DistrictCode: q.DistrictCode}, benchActor())
				return err
			})
			lat.Report(b)
			if clients == 1 { // where the time goes, by sort of query
				byKind := map[string]benchstore.Latencies{}
				for i, d := range lat {
					k := queries[i%len(queries)].Kind
					byKind[k] = append(byKind[k], d)
				}
				for k, l := range byKind {
					b.Logf("%-15s %5d queries: p50 %6.1f ms, p95 %6.1f ms", k, len(l),
						float64(l.Percentile(50).Microseconds())/1000, float64(l.Percentile(95).Microseconds())/1000)
				}
			}
		})
	}
}

// BenchmarkAuditRead measures the group-committed read audit alone: the
// floor under every audited read.
func BenchmarkAuditRead(b *testing.B) {
	db := benchstore.Open(b, benchstore.People(b), demo.PopulationSeed)
	ctx := context.Background()
	for _, clients := range []int{1, benchstore.Clients(b)} {
		b.Run(map[bool]string{true: "serial", false: "concurrent"}[clients == 1], func(b *testing.B) {
			lat := benchstore.Drive(b, clients, func(i int) error {
				return db.AuditRead(ctx, audit.Event{ActorID: "bench", Action: "bench.read", RequestID: "bench"})
			})
			lat.Report(b)
		})
	}
}
