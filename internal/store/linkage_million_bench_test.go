package store_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"termtem/internal/demo/benchstore"
	"termtem/internal/imports"
	"termtem/internal/linkage"
	"termtem/internal/linkage/synth"
	"termtem/internal/people"
)

// BenchmarkLinkageMillion measures blocking and scoring of an import batch
// against the benchmark population (benchstore: 1,000,000 people unless
// TERMTEM_BENCH_PEOPLE says otherwise). TERMTEM_BENCH_INCOMING people
// (default 5,000; the same people every run) are drawn from the database and written again
// the way another agency's file would (the synthetic files' noise: typos,
// sound-alike spellings, swapped or partial dates, nicknames, changed family
// names, the mother's name and the address missing or changed; no national
// ID), and decided in batches of imports.BatchRows exactly as an import
// batch decides them (blocking in the database, linkage_blocking.go;
// comparison, decision) on the read pool, writing nothing. Reported: rows
// per second and per CPU second, people read as candidates and pairs scored
// per row, block keys asked and cut at their bound per row, the shares
// linked (and linked to the right person) and sent to review, and the
// recall: rows linked to the right person (every row is about someone in
// the database) (docs/linkage.md, docs/benchmarks.md).
func BenchmarkLinkageMillion(b *testing.B) {
	n := 5000
	if s := os.Getenv("TERMTEM_BENCH_INCOMING"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	db := benchstore.Open(b, benchstore.People(b), 1)
	recs, err := db.LinkageSampleForTest(ctx, n)
	if err != nil {
		b.Fatal(err)
	}
	pop := make([]synth.Person, 0, len(recs))
	for _, r := range recs {
		pop = append(pop, synth.Person{ID: r.ID, Given: r.GivenName, Family: r.FamilyName, Nick: r.Nickname, GivenLatin: r.GivenLatin,
			FamLatin: r.FamilyLatin, Sex: r.Sex, Birth: r.BirthDate, Mother: r.MotherName, Community: r.Address})
	}
	o := synth.Options{People: len(pop), Agencies: 1, Coverage: 1, IDShare: 0, Seed: 5}
	file := synth.Files(pop, o)[0]
	var batches [][]*imports.Row
	withMother, withPlace := 0, 0
	for i := 0; i < len(file); i += imports.BatchRows {
		var rows []*imports.Row
		for _, r := range file[i:min(i+imports.BatchRows, len(file))] {
			p := &people.Person{GivenName: r.GivenName, FamilyName: r.FamilyName, Nickname: r.Nickname, GivenNameLatin: r.GivenLatin,
				FamilyNameLatin: r.FamilyLatin, Sex: people.Sex(r.Sex), BirthDate: r.BirthDate}
			row := &imports.Row{Key: r.Truth, Person: p, Evidence: imports.Evidence{MotherName: r.MotherName, Address: r.Address}}
			if r.MotherName != "" {
				withMother++
			}
			if r.Address != "" {
				withPlace++
			}
			rows = append(rows, row)
		}
		batches = append(batches, rows)
	}
	var secs, cpuSecs float64
	var cands, compared, linked, right, review, keys, capped, full int
	var found [3]int
	// missed counts the rows not linked to their person by the noise
	// they carry (a row may carry several), to say what blocking and
	// scoring still miss.
	missed, unread := map[string]int{}, map[string]int{}
	blocked := 0
	for b.Loop() {
		cands, compared, linked, right, review, keys, capped, full = 0, 0, 0, 0, 0, 0, 0, 0
		found = [3]int{}
		clear(missed)
		clear(unread)
		blocked = 0
		start, cpu := time.Now(), cpuSeconds()
		for bi, rows := range batches {
			pr, err := db.LinkageProbeForTest(ctx, rows)
			if err != nil {
				b.Fatal(err)
			}
			cands += pr.Candidates
			keys += pr.Keys
			capped += pr.Capped
			for i, f := range pr.Found {
				found[i] += f
			}
			if pr.Full {
				full++
			}
			compared += pr.Compared
			for i, oc := range pr.Outcomes {
				noise := file[bi*imports.BatchRows+i].Noise
				if pr.Read[rows[i].Key] {
					blocked++
				} else {
					for _, n := range noise {
						unread[n]++
					}
				}
				if oc != linkage.Link || pr.Best[i] != rows[i].Key {
					for _, n := range noise {
						missed[n]++
					}
				}
				switch oc {
				case linkage.Link:
					linked++
					if pr.Best[i] == rows[i].Key {
						right++
					}
				case linkage.Review:
					review++
				}
			}
		}
		secs, cpuSecs = time.Since(start).Seconds(), cpuSeconds()-cpu
	}
	rows := float64(len(file))
	b.ReportMetric(rows/secs, "rows/s")
	b.ReportMetric(rows/cpuSecs, "rows/cpu-s")
	b.ReportMetric(float64(cands)/rows, "candidates/row")
	b.ReportMetric(float64(compared)/rows, "pairs/row")
	b.ReportMetric(float64(linked)/rows, "linked-share")
	b.ReportMetric(float64(right)/max(1, float64(linked)), "right-share")
	b.ReportMetric(float64(right)/rows, "recall")
	b.ReportMetric(float64(blocked)/rows, "pairs-completeness")
	b.ReportMetric(float64(keys)/rows, "keys/row")
	b.ReportMetric(float64(capped)/rows, "capped-keys/row")
	b.ReportMetric(float64(review)/rows, "review-share")
	b.Logf("%d rows in %d batches against %d people; %d with the mother's name, %d with an address; %d batches reached the cap of candidates; "+
		"people found by the passes (family name's sound and year, given name's sound and date, both sounds): %v",
		len(file), len(batches), benchstore.People(b), withMother, withPlace, full, found)
	b.Logf("rows not linked to their person, by the noise they carry: %v", missed)
	b.Logf("rows whose person blocking did not read, by the noise they carry: %v", unread)
}
