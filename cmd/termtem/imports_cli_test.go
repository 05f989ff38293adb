package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"termtem/internal/audit"
	"termtem/internal/imports"
	"termtem/internal/organisations"
	"termtem/internal/store"
)

// importCID makes a valid national ID from a serial number.
func importCID(n int) string { return testNationalID(fmt.Sprintf("1%011d", 10200000000+n)) }

// writeRoster writes a school roster CSV of n children; bad, when ≥ 0,
// gets a national ID with a wrong check digit.
func writeRoster(t *testing.T, dir string, n, bad int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("เลขประจำตัวนักเรียน,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,เพศ,วันเกิด,ชั้น,วันที่เข้าเรียน\n")
	for i := range n {
		cid := importCID(i)
		if i == bad {
			cid = cid[:12] + strconv.Itoa((int(cid[12]-'0')+1)%10)
		}
		fmt.Fprintf(&b, "S%06d,%s,เด็กชายต้นกล้า,ใจดี %d,ชาย,%02d/%02d/2562,ป.1,16/05/2568\n", i, cid, i, 1+i%28, 1+i%12)
	}
	p := filepath.Join(dir, fmt.Sprintf("roster-%d.csv", n))
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const rosterMappingJSON = `{"header":true,"date_era":"be","columns":{"local_id":"เลขประจำตัวนักเรียน","national_id":"เลขประจำตัวประชาชน",
"given_name":"ชื่อ","family_name":"นามสกุล","sex":"เพศ","birth_date":"วันเกิด","school_grade":"ชั้น","enrolled_on":"วันที่เข้าเรียน"}}`

// importSetup migrates the test's database and adds the school.
func importSetup(t *testing.T) (func(string) string, *store.DB) {
	t.Helper()
	getenv := testEnv(t)
	if out, err := runCLI(getenv, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	db, err := store.Open(context.Background(), store.Options{DataDir: getenv("TERMTEM_DATA"), DatabaseURL: getenv("TERMTEM_DATABASE_URL")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	place, err := db.GetPlaceByCode(t.Context(), "1011")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"SCH-K", "10669"} {
		if _, err := db.SaveOrganisation(t.Context(), organisations.Organisation{Code: code, Kind: organisations.HealthCentre,
			NameTH: "หน่วย " + code, PlaceID: place.ID, Active: true}, audit.Event{RequestID: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return getenv, db
}

func TestImportCommands(t *testing.T) {
	getenv, db := importSetup(t)
	dir := t.TempDir()
	mapping := filepath.Join(dir, "mapping.json")
	if err := os.WriteFile(mapping, []byte(rosterMappingJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	roster := writeRoster(t, dir, 30, -1)
	out, err := runCLI(getenv, "", "import", "csv", "--source", "school-k", "--file", roster, "--mapping", mapping, "--org", "SCH-K")
	if err != nil || !strings.Contains(out, "done: read 30, new people 30") || !strings.Contains(out, "[##############################] 100%") {
		t.Fatalf("import csv: %v\n%s", err, out)
	}
	// Next month: one command, the saved mapping and organisation.
	out, err = runCLI(getenv, "", "import", "csv", "--source", "school-k", "--file", roster)
	if err != nil || !strings.Contains(out, "unchanged 30") {
		t.Fatalf("import with the saved mapping: %v\n%s", err, out)
	}
	// A bad check digit stops the import with line and column.
	bad := writeRoster(t, t.TempDir(), 5, 2)
	out, err = runCLI(getenv, "", "import", "csv", "--source", "school-k", "--file", bad)
	if err == nil || !strings.Contains(err.Error(), "line 4, column เลขประจำตัวประชาชน: This national ID is not valid") {
		t.Fatalf("bad file: %v\n%s", err, out)
	}
	jobs, _ := db.ImportJobs(t.Context(), nil, 1)
	out, err = runCLI(getenv, "", "import", "report", jobs[0].ID)
	if err != nil || !strings.Contains(out, "4,เลขประจำตัวประชาชน,") {
		t.Fatalf("report: %v\n%s", err, out)
	}
	if out, err = runCLI(getenv, "", "import", "status"); err != nil || !strings.Contains(out, jobs[0].ID) || !strings.Contains(out, "failed") {
		t.Fatalf("status: %v\n%s", err, out)
	}
	// 43 files, EPI given first: PERSON is imported first anyway.
	person := filepath.Join(dir, "PERSON.txt")
	epi := filepath.Join(dir, "EPI.txt")
	_ = os.WriteFile(person, []byte("HOSPCODE|CID|PID|PRENAME|NAME|LNAME|SEX|BIRTH|NATION\n10669|"+importCID(1)+"|000001||ต้นกล้า|ใจดี 1|1|20190202|099\n"), 0o600)
	_ = os.WriteFile(epi, []byte("HOSPCODE|PID|SEQ|DATE_SERV|VACCINETYPE\n10669|000001|1|20190202|010\n"), 0o600)
	out, err = runCLI(getenv, "", "import", "43", "--file", epi, "--file", person)
	if err != nil || !strings.Contains(out, "linked by national ID 1") || !strings.Contains(out, "records added 1") {
		t.Fatalf("import 43: %v\n%s", err, out)
	}
	if n, _ := db.CountPeople(t.Context()); n != 30 {
		t.Fatalf("people = %d, want 30 (the health centre's child is the school's)", n)
	}
}

// killedImport runs "termtem import" of a roster of rows children as its
// own process and kills it with SIGKILL after a few batches, leaving the
// job marked running as a crash would.
func killedImport(t *testing.T, getenv func(string) string, db *store.DB, rows int) imports.Job {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "termtem")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mapping := filepath.Join(dir, "mapping.json")
	if err := os.WriteFile(mapping, []byte(rosterMappingJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	roster := writeRoster(t, dir, rows, -1)
	cmd := exec.Command(bin, "import", "csv", "--source", "school-k", "--file", roster, "--mapping", mapping, "--org", "SCH-K")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TERMTEM_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for _, k := range []string{"TERMTEM_DATA", "TERMTEM_DATABASE_URL"} {
		if v := getenv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var job imports.Job
	deadline := time.Now().Add(2 * time.Minute)
	for {
		jobs, err := db.ImportJobs(t.Context(), nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) == 1 && jobs[0].BatchesDone >= 3 {
			job = jobs[0]
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no batch committed in time\n%s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no clean-up runs
		t.Fatal(err)
	}
	_ = cmd.Wait()
	job, err := db.ImportJob(t.Context(), job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if job.Status != imports.Running || job.BatchesDone >= rows/imports.BatchRows {
		t.Fatalf("killed too late to test anything: %+v", job)
	}
	people, _ := db.CountPeople(t.Context())
	if people != job.BatchesDone*imports.BatchRows || job.Counts.Created != people || job.LinesDone != people+1 {
		t.Fatalf("after kill -9: %d people, job %+v: not whole batches", people, job)
	}
	return job
}

// TestImportKilled runs "termtem import" as its own process, kills it with
// SIGKILL in the middle, and checks that the database holds whole batches
// only and that "import resume" finishes with exactly the expected counts.
func TestImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	getenv, db := importSetup(t)
	const rows = 60000
	job := killedImport(t, getenv, db, rows)
	t.Logf("killed after %d batches", job.BatchesDone)
	// The job still looks running; an operator who knows the process is
	// gone forces the resume (a later one would find it stale by itself).
	if out, err := runCLI(getenv, "", "import", "resume", job.ID); err == nil || !strings.Contains(err.Error(), "running in another process") {
		t.Fatalf("resume of a fresh job: %v\n%s", err, out)
	}
	out, err := runCLI(getenv, "", "import", "resume", job.ID, "--force")
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	done, err := db.ImportJob(t.Context(), job.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := done.Counts
	if done.Status != imports.Done || c.Read != rows || c.Created != rows || c.Records != rows || c.Rejected+c.Updated+c.Unchanged+c.Linked != 0 ||
		done.BatchesDone != rows/imports.BatchRows {
		t.Fatalf("resumed: %+v %+v\n%s", done, c, out)
	}
	if n, _ := db.CountPeople(t.Context()); n != rows {
		t.Fatalf("people = %d, want %d", n, rows)
	}
}

// importMatrixJob stores an import awaiting its mapping in an organisation,
// for the role × route matrix.
func importMatrixJob(t *testing.T, db *store.DB, orgID string) string {
	t.Helper()
	path := writeRoster(t, t.TempDir(), 2, -1)
	hash, size, err := imports.HashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	j, err := db.CreateImportJob(t.Context(), imports.Job{Format: imports.CSV, FileName: "roster.csv", FileHash: hash, FilePath: path,
		FileSize: size, Encoding: imports.UTF8, OrganisationID: orgID, CreatedBy: "test", Status: imports.Draft}, audit.Event{RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return j.ID
}
