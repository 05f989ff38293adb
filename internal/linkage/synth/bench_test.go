package synth_test

import (
	"testing"

	"termtem/internal/linkage"
	"termtem/internal/linkage/synth"
)

// BenchmarkLink measures whole linkage runs — blocking, comparison and
// decision for every row of three agency files of a 20,000-child
// population (about 40,000 rows) — and reports rows per second.
func BenchmarkLink(b *testing.B) {
	o := synth.Defaults()
	o.People = 20000
	files := synth.Files(synth.Population(o), o)
	rows := 0
	for _, f := range files {
		rows += len(f)
	}
	m := linkage.Default()
	b.ResetTimer()
	for b.Loop() {
		synth.Link(files, m)
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkDecide measures one row's decision against its candidates in
// an index of 100,000 people.
func BenchmarkDecide(b *testing.B) {
	o := synth.Defaults()
	o.People, o.Agencies, o.Coverage = 100000, 2, 1
	files := synth.Files(synth.Population(o), o)
	ix := linkage.NewIndex()
	for _, r := range files[0] {
		ix.Add(linkage.Prepare(r.Record))
	}
	m := linkage.Default()
	rows := files[1]
	b.ResetTimer()
	i := 0
	for b.Loop() {
		p := linkage.Prepare(rows[i%len(rows)].Record)
		m.Decide(p, ix.Candidates(p), nil)
		i++
	}
}

// BenchmarkTrain measures estimating a model from the blocked and random
// pairs of three files of 20,000 children.
func BenchmarkTrain(b *testing.B) {
	o := synth.Defaults()
	o.People = 20000
	files := synth.Files(synth.Population(o), o)
	blocked, random := synth.Pairs(files), synth.RandomPairs(files, 20000, 1)
	b.ResetTimer()
	for b.Loop() {
		linkage.Train(blocked, random, linkage.Default(), 30)
	}
}
