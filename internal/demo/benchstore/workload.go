package benchstore

import (
	"context"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
)

// NationalIDs returns n national IDs held by people in the store, spread
// over the index, some typed with dashes or spaces as people type them.
func NationalIDs(tb testing.TB, db *store.DB, n int) []string {
	tb.Helper()
	ids, err := db.SampleIdentifiers(context.Background(), people.NationalID, n)
	if err != nil {
		tb.Fatal(err)
	}
	if len(ids) == 0 {
		tb.Fatal("benchstore: no national IDs in the store")
	}
	rng := rand.New(rand.NewPCG(7, 7))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	for i, id := range ids {
		switch i % 10 {
		case 1: // as the card prints it
			ids[i] = id[:1] + "-" + id[1:5] + "-" + id[5:10] + "-" + id[10:12] + "-" + id[12:]
		case 2:
			ids[i] = id[:1] + " " + id[1:5] + " " + id[5:10] + " " + id[10:12] + " " + id[12:]
		}
	}
	return ids
}

// Query is one name search as a person at a front desk types it.
type Query struct {
	Kind         string // what sort of query, for the report
	Text         string
	BirthYear    int
	DistrictCode string
}

// soundAlike are letters typed for one another: same sound, different
// spelling (ศ ษ ส, ท ธ, ภ พ, ณ น, ญ ย), or r and l, which many speakers
// do not tell apart.
var soundAlike = map[rune]rune{
	'ญ': 'ย', 'ย': 'ญ', 'ศ': 'ส', 'ส': 'ศ', 'ษ': 'ส', 'ท': 'ธ', 'ธ': 'ท', 'ร': 'ล', 'ล': 'ร',
	'ณ': 'น', 'น': 'ณ', 'ภ': 'พ', 'พ': 'ภ', 'ค': 'ฆ', 'ต': 'ฏ', 'ถ': 'ฐ', 'ช': 'ฌ',
}

// misspell replaces one sound-alike letter of a Thai word (after the
// first letter, where people slip most).
func misspell(rng *rand.Rand, s string) string {
	rs := []rune(s)
	var at []int
	for i := 1; i < len(rs); i++ {
		if _, ok := soundAlike[rs[i]]; ok {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s
	}
	i := at[rng.IntN(len(at))]
	rs[i] = soundAlike[rs[i]]
	return string(rs)
}

// Queries returns n realistic name searches built from people in the
// store: a given name alone, given and family name, misspelt names,
// Latin spellings, names typed with their title, and names narrowed by
// birth year or district.
func Queries(tb testing.TB, db *store.DB, n int) []Query {
	tb.Helper()
	ctx := context.Background()
	communities, err := db.ListPlaces(ctx, store.PlaceFilter{Kind: places.Community})
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for i := 0; i < len(communities) && len(ids) < 12; i += max(len(communities)/12, 1) {
		ids = append(ids, communities[i].ID)
	}
	sample, err := db.PeopleInCommunities(ctx, ids)
	if err != nil {
		tb.Fatal(err)
	}
	if len(sample) == 0 {
		tb.Fatal("benchstore: no people to build queries from")
	}
	district := map[string]string{}
	for _, c := range communities {
		if _, d, err := db.CommunityCodes(ctx, c.ID); err == nil {
			district[c.ID] = d
		}
	}
	rng := rand.New(rand.NewPCG(11, 11))
	out := make([]Query, 0, n)
	for len(out) < n {
		p := sample[rng.IntN(len(sample))]
		var q Query
		switch r := rng.IntN(100); {
		case r < 25:
			q = Query{Kind: "given", Text: p.GivenName}
		case r < 45:
			q = Query{Kind: "given+family", Text: p.GivenName + " " + p.FamilyName}
		case r < 60:
			q = Query{Kind: "misspelt", Text: misspell(rng, p.GivenName) + " " + misspell(rng, p.FamilyName)}
		case r < 75:
			if p.GivenNameLatin == "" {
				continue
			}
			q = Query{Kind: "latin", Text: strings.ToLower(p.GivenNameLatin + " " + p.FamilyNameLatin)}
		case r < 85:
			q = Query{Kind: "title", Text: p.Title + p.GivenName + " " + p.FamilyName}
		case r < 93:
			y, _ := strconv.Atoi(p.BirthDate[:min(4, len(p.BirthDate))])
			q = Query{Kind: "given+year", Text: p.GivenName, BirthYear: y}
		default:
			q = Query{Kind: "given+district", Text: misspell(rng, p.GivenName), DistrictCode: district[p.CommunityID]}
		}
		out = append(out, q)
	}
	return out
}

// Latencies are the durations of a benchmark's operations.
type Latencies []time.Duration

// Percentile returns the p-th percentile (0–100).
func (l Latencies) Percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(int(float64(len(s))*p/100), len(s)-1)]
}

// Report adds req/s, p50, p95 and p99 in milliseconds to the benchmark.
func (l Latencies) Report(b *testing.B) {
	b.ReportMetric(float64(len(l))/b.Elapsed().Seconds(), "req/s")
	l.ReportAs(b, "")
}

// Drive runs b.N calls of do on clients goroutines at once (do gets the
// call's index) and returns each call's latency. The timer covers the
// calls only.
//
// By default each client sends its next request when the last is answered
// (closed loop): the rate is the most the server gives, and latencies are
// mostly the wait behind the other clients. With TERMTEM_BENCH_RATE=R
// (requests/s) call i is due at R·i seconds after the start instead (open
// loop, the clients being a pool of that many connections), and its latency
// counts from when it was due, not from when a client was free to send it:
// a server falling behind shows as latency, not as a lower rate quietly
// offered (the "coordinated omission" of closed-loop tools).
func Drive(b *testing.B, clients int, do func(i int) error) Latencies {
	rate := Rate(b)
	lat := make(Latencies, b.N)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	cpu0 := processCPU()
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				t0 := time.Now()
				if rate > 0 {
					t0 = start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
					time.Sleep(time.Until(t0))
				}
				if err := do(i); err != nil {
					if failed.CompareAndSwap(false, true) {
						b.Error(err)
					}
					return
				}
				lat[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if rate > 0 {
		b.ReportMetric(rate, "offered-req/s")
	}
	// CPU time of the whole process (clients, server and, for SQLite, the
	// database) per request: unlike requests/s it hardly moves when other
	// work shares the machine, so before/after pairs compare on a busy one.
	// Two cores' worth divided by it is the rate an idle machine could reach.
	if b.N > 0 {
		b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
	}
	return lat
}

// Rate is the open-loop request rate of the benchmarks
// (TERMTEM_BENCH_RATE, requests/s; unset or 0: closed loop, see Drive).
func Rate(tb testing.TB) float64 {
	s := envOr("TERMTEM_BENCH_RATE", "0")
	r, err := strconv.ParseFloat(s, 64)
	if err != nil || r < 0 {
		tb.Fatalf("TERMTEM_BENCH_RATE=%q: want requests per second (0 or unset: as fast as the clients go)", s)
	}
	return r
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Clients is the number of concurrent clients of the benchmarks
// (TERMTEM_BENCH_CLIENTS, default 16).
func Clients(tb testing.TB) int {
	s := envOr("TERMTEM_BENCH_CLIENTS", "16")
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		tb.Fatalf("TERMTEM_BENCH_CLIENTS=%q: want a positive number", s)
	}
	return n
}
