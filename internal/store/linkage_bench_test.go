package store_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"termtem/internal/imports"
	"termtem/internal/linkage/synth"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// BenchmarkImportLinkage measures record linkage at scale: a database of
// TERMTEM_BENCH_KNOWN synthetic children (default 100,000) without national
// IDs, stored with the raw batched insert outside the timing, and an agency
// file of TERMTEM_BENCH_INCOMING rows (default 10,000) about some of them —
// no national IDs, spelt, dated and left out the way the synthetic agency
// files are — imported as a CSV job, so that every row goes through blocking
// against the database, comparison and decision. It reports incoming rows
// per second, candidate pairs compared per row and the shares linked and
// sent to review (docs/benchmarks.md, "Record linkage at scale").
func BenchmarkImportLinkage(b *testing.B) {
	known, incoming := 100000, 10000
	if s := os.Getenv("TERMTEM_BENCH_KNOWN"); s != "" {
		fmt.Sscan(s, &known)
	}
	if s := os.Getenv("TERMTEM_BENCH_INCOMING"); s != "" {
		fmt.Sscan(s, &incoming)
	}
	o := synth.Options{People: known, Agencies: 1, Coverage: float64(incoming) / float64(known), IDShare: 0, Seed: 11}
	pop := synth.Population(o)
	file := synth.Files(pop, o)[0]
	ps := make([]people.Person, 0, len(pop))
	now := time.Now()
	for _, c := range pop {
		p := people.Person{ID: store.NewID(), GivenName: c.Given, FamilyName: c.Family, Nickname: c.Nick, GivenNameLatin: c.GivenLatin,
			FamilyNameLatin: c.FamLatin, Sex: people.Sex(c.Sex), BirthDate: c.Birth}
		if err := people.ValidatePerson(&p, now); err != nil {
			b.Fatalf("person %s: %v", c.ID, err)
		}
		ps = append(ps, p)
	}
	path := filepath.Join(b.TempDir(), "incoming.csv")
	fh, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(fh)
	// The mapping names the mother and the community (synthMapping); the
	// columns are left empty, as the people stored here have neither.
	_ = w.Write([]string{"local_id", "national_id", "given_name", "family_name", "nickname", "given_name_latin", "family_name_latin", "sex", "birth_date",
		"mother_name", "community"})
	for i, r := range file {
		_ = w.Write([]string{fmt.Sprint(i), "", r.GivenName, r.FamilyName, r.Nickname, r.GivenLatin, r.FamilyLatin, r.Sex, r.BirthDate, "", ""})
	}
	w.Flush()
	if err := fh.Close(); err != nil || w.Error() != nil {
		b.Fatal(err, w.Error())
	}
	var rate, cpuRate, pairsPerRow, linked, review float64
	var loadSecs float64
	for b.Loop() {
		b.StopTimer()
		db := storetest.Open(b)
		db.LinkageAutoTrain = -1
		org := newOrgB(b, db)
		start := time.Now()
		if err := db.InsertHouseholdsBatched(ctx, nil, ps, imports.BatchRows); err != nil {
			b.Fatal(err)
		}
		loadSecs = time.Since(start).Seconds()
		j := newJob(b, db, org, "agency", imports.CSV, path, synthMapping(), true)
		b.StartTimer()
		start, cpu := time.Now(), cpuSeconds()
		done, err := db.RunImportJob(ctx, j.ID, false, false, actor(), nil)
		if err != nil {
			b.Fatalf("import: %v (%+v)", err, done.Error)
		}
		secs, cpuSecs := time.Since(start).Seconds(), cpuSeconds()-cpu
		b.StopTimer()
		c := done.Counts
		pairs, _, err := db.LinkagePairsRecorded(ctx)
		if err != nil {
			b.Fatal(err)
		}
		_, queued, err := db.ListPairs(ctx, nil, store.PairPending, 1, 0, actor())
		if err != nil {
			b.Fatal(err)
		}
		rate = float64(c.Read) / secs
		cpuRate = float64(c.Read) / cpuSecs
		pairsPerRow = float64(pairs) / float64(c.Read)
		linked = float64(c.Linked) / float64(c.Read)
		review = float64(queued) / float64(c.Read)
		b.StartTimer()
	}
	b.ReportMetric(rate, "rows/s")
	b.ReportMetric(cpuRate, "rows/cpu-s")
	b.ReportMetric(pairsPerRow, "pairs/row")
	b.ReportMetric(linked, "linked-share")
	b.ReportMetric(review, "review-share")
	b.ReportMetric(float64(len(ps))/loadSecs, "known-load-rows/s")
}
