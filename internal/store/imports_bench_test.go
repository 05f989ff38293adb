package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"termtem/internal/imports"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// BenchmarkImport100k imports a roster of 100,000 children (national ID,
// student number, names, sex, B.E. birth date) as a CSV import job — parse,
// validate, link by national ID, key and row hash, audit, batches of 1,000
// — and, in the same run, stores the same people with the raw batched
// insert (store.InsertHouseholdsBatched, also 1,000 a transaction) into a
// fresh database of the same engine. It reports both rates and their ratio
// (docs/benchmarks.md, "Imports"). TERMTEM_BENCH_IMPORT_ROWS changes the size.
func BenchmarkImport100k(b *testing.B) {
	rows := 100000
	if s := os.Getenv("TERMTEM_BENCH_IMPORT_ROWS"); s != "" {
		fmt.Sscan(s, &rows)
	}
	var csv strings.Builder
	csv.WriteString("เลขประจำตัวนักเรียน,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,เพศ,วันเกิด\n")
	for i := range rows {
		fmt.Fprintf(&csv, "S%07d,%s,%s,ใจดี %d,%s,%02d/%02d/2562\n", i, testCID(i), givenNames[i%len(givenNames)], i,
			[]string{"ชาย", "หญิง"}[i%2], 1+i%28, 1+i%12)
	}
	path := filepath.Join(b.TempDir(), "roster.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	m := imports.Mapping{Header: true, DateEra: imports.EraBE, Columns: map[imports.Target]string{
		imports.LocalID: "เลขประจำตัวนักเรียน", imports.NationalIDCol: "เลขประจำตัวประชาชน", imports.GivenName: "ชื่อ",
		imports.FamilyName: "นามสกุล", imports.Sex: "เพศ", imports.BirthDate: "วันเกิด"}}
	var importRate, rawRate, importCPU, rawCPU, importThread, rawThread float64
	// The writer's own thread: the import commits its batches on this
	// goroutine (the file is read on another), and so does the raw insert.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for b.Loop() {
		b.StopTimer()
		db := storetest.Open(b)
		org := newOrgB(b, db)
		j := newJob(b, db, org, "bench", imports.CSV, path, m, false)
		b.StartTimer()
		start, cpu, thread := time.Now(), cpuSeconds(), threadCPUSeconds()
		done, err := db.RunImportJob(ctx, j.ID, false, false, actor(), nil)
		if err != nil || done.Counts.Created != rows {
			b.Fatalf("import: %v %+v", err, done.Counts)
		}
		importRate = float64(rows) / time.Since(start).Seconds()
		importCPU = float64(rows) / (cpuSeconds() - cpu)
		importThread = float64(rows) / (threadCPUSeconds() - thread)
		b.StopTimer()

		// The raw insert of the same people, parsed and validated outside
		// the timing (the import's time includes both).
		ps := make([]people.Person, 0, rows)
		for i := range rows {
			p := people.Person{ID: store.NewID(), GivenName: givenNames[i%len(givenNames)], FamilyName: fmt.Sprintf("ใจดี %d", i),
				Sex: []people.Sex{people.Male, people.Female}[i%2], BirthDate: fmt.Sprintf("2019-%02d-%02d", 1+i%12, 1+i%28),
				NationalID: testCID(i)}
			if err := people.ValidatePerson(&p, time.Now()); err != nil {
				b.Fatal(err)
			}
			ps = append(ps, p)
		}
		raw := storetest.Open(b)
		b.StartTimer()
		start, cpu, thread = time.Now(), cpuSeconds(), threadCPUSeconds()
		if err := raw.InsertHouseholdsBatched(ctx, nil, ps, imports.BatchRows); err != nil {
			b.Fatal(err)
		}
		rawRate = float64(rows) / time.Since(start).Seconds()
		rawCPU = float64(rows) / (cpuSeconds() - cpu)
		rawThread = float64(rows) / (threadCPUSeconds() - thread)
	}
	b.ReportMetric(importRate, "import-rows/s")
	b.ReportMetric(rawRate, "raw-rows/s")
	b.ReportMetric(importRate/rawRate, "ratio")
	// Rows per second of this process's CPU (user + system, all threads):
	// on a machine shared with other work the wall-clock rates move with
	// everyone else's load, the CPU each row costs does not. On SQLite
	// all the database work is in this process; on PostgreSQL the
	// server's is not, so there it is the client's share only.
	b.ReportMetric(importCPU, "import-rows/cpu-s")
	b.ReportMetric(rawCPU, "raw-rows/cpu-s")
	b.ReportMetric(importCPU/rawCPU, "cpu-ratio")
	// Rows per CPU-second of the writer's thread alone: the work that
	// cannot overlap anything else (SQLite has one writer), so on an idle
	// machine with a core to spare for the rest it bounds the wall-clock
	// rate, whatever the load was when measured. Waits for the disk are
	// not in it.
	b.ReportMetric(importThread, "import-rows/writer-cpu-s")
	b.ReportMetric(rawThread, "raw-rows/writer-cpu-s")
}

// threadCPUSeconds is the CPU time the calling thread has used so far
// (the caller holds its OS thread).
func threadCPUSeconds() float64 {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// cpuSeconds is the CPU time this process has used so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func newOrgB(b *testing.B, db *store.DB) string {
	b.Helper()
	p, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		b.Fatal(err)
	}
	o, err := db.SaveOrganisation(ctx, organisations.Organisation{Code: "SCH-B", Kind: organisations.HealthCentre, NameTH: "โรงเรียน",
		PlaceID: p.ID, Active: true}, actor())
	if err != nil {
		b.Fatal(err)
	}
	return o.ID
}
