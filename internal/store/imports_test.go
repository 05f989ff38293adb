package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"termtem/internal/errs"
	"termtem/internal/imports"
	"termtem/internal/people"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// testCID makes a valid national ID from a serial number.
func testCID(n int) string {
	d := fmt.Sprintf("1%011d", 10100000000+n)
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(d[i]-'0') * (13 - i)
	}
	return d + strconv.Itoa((11-sum%11)%10)
}

// badCID is a national ID whose check digit is wrong.
func badCID(n int) string {
	c := testCID(n)
	return c[:12] + strconv.Itoa((int(c[12]-'0')+1)%10)
}

var givenNames = []string{"สมชาย", "มะลิ", "ดาว", "ต้นกล้า", "น้ำฝน", "ภูผา", "ใบเตย", "กานต์"}

// rosterCSV writes a school roster of children 0..n-1: student number,
// Thai headers, B.E. birth dates, grade and enrolment date.
func rosterCSV(n int, edit func(i int, cells []string) []string) string {
	var b strings.Builder
	b.WriteString("เลขประจำตัวนักเรียน,เลขประจำตัวประชาชน,คำนำหน้า,ชื่อ,นามสกุล,เพศ,วันเกิด,ชั้น,วันที่เข้าเรียน\n")
	for i := range n {
		title, sex := "ด.ช.", "ชาย"
		if i%2 == 1 {
			title, sex = "ด.ญ.", "หญิง"
		}
		cells := []string{fmt.Sprintf("S%05d", i), testCID(i), title, givenNames[i%len(givenNames)], fmt.Sprintf("\"ใจดี, %d\"", i), sex,
			fmt.Sprintf("%02d/%02d/2562", 1+i%28, 1+i%12), "ป.1", "16/05/2568"}
		if edit != nil {
			cells = edit(i, cells)
		}
		b.WriteString(strings.Join(cells, ",") + "\n")
	}
	return b.String()
}

func rosterMapping() imports.Mapping {
	return imports.Mapping{Header: true, DateEra: imports.EraBE, Columns: map[imports.Target]string{
		imports.LocalID: "เลขประจำตัวนักเรียน", imports.NationalIDCol: "เลขประจำตัวประชาชน", imports.Title: "คำนำหน้า",
		imports.GivenName: "ชื่อ", imports.FamilyName: "นามสกุล", imports.Sex: "เพศ", imports.BirthDate: "วันเกิด",
		imports.SchoolGrade: "ชั้น", imports.EnrolledOn: "วันที่เข้าเรียน",
	}}
}

// person43 and epi43 write a health centre's PERSON and EPI files for
// children 0..n-1 (C.E. dates, CID for the even ones only).
func person43(hosp string, n int) string {
	var b strings.Builder
	b.WriteString("HOSPCODE|CID|PID|HID|PRENAME|NAME|LNAME|HN|SEX|BIRTH|NATION|TYPEAREA|D_UPDATE\n")
	for i := range n {
		cid := testCID(i)
		if i%2 == 1 {
			cid = "0000000000000"
		}
		fmt.Fprintf(&b, "%s|%s|%06d|1||%s|ใจดี|HN%d|%d|2019%02d%02d|099|1|20260101120000\n", hosp, cid, 100+i,
			givenNames[i%len(givenNames)], i, 1+i%2, 1+i%12, 1+i%28)
	}
	return b.String()
}

func epi43(hosp string, n int) string {
	var b strings.Builder
	b.WriteString("HOSPCODE|PID|SEQ|DATE_SERV|VACCINETYPE|VACCINEPLACE|PROVIDER|D_UPDATE|CID\n")
	for i := range n {
		fmt.Fprintf(&b, "%s|%06d|%d|2020%02d15|010|%s|P1|20260101120000|\n", hosp, 100+i, i, 1+i%12, hosp)
		fmt.Fprintf(&b, "%s|%06d|%d|2020%02d16|081|%s|P1|20260101120000|\n", hosp, 100+i, i, 1+i%12, hosp)
	}
	return b.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// newJob stores a queued job for a file.
func newJob(t testing.TB, db *store.DB, orgID, source string, format imports.Format, path string, m imports.Mapping, skip bool) imports.Job {
	t.Helper()
	h, size, err := imports.HashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	j, err := db.CreateImportJob(ctx, imports.Job{Source: source, Format: format, FileName: filepath.Base(path), FileHash: h,
		FilePath: path, FileSize: size, Mapping: m, SkipBadRows: skip, OrganisationID: orgID, CreatedBy: "cli"}, actor())
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func runImport(t *testing.T, db *store.DB, orgID, source string, format imports.Format, path string, m imports.Mapping, skip bool) (imports.Job, error) {
	t.Helper()
	j := newJob(t, db, orgID, source, format, path, m, skip)
	return db.RunImportJob(ctx, j.ID, false, false, actor(), nil)
}

func mustImport(t *testing.T, db *store.DB, orgID, source string, format imports.Format, path string, m imports.Mapping) imports.Job {
	t.Helper()
	j, err := runImport(t, db, orgID, source, format, path, m, false)
	if err != nil {
		t.Fatalf("import %s: %v (job error %+v)", filepath.Base(path), err, j.Error)
	}
	return j
}

func personByCID(t *testing.T, db *store.DB, cid string) people.Person {
	t.Helper()
	p, err := db.LookupIdentifier(ctx, people.NationalID, cid, actor())
	if err != nil {
		t.Fatalf("lookup %s: %v", cid, err)
	}
	return p
}

func TestImportRosterEncodingsAndIdempotence(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "SCH-1")
	content := rosterCSV(25, nil)
	tis, err := charmap.Windows874.NewEncoder().String(content)
	if err != nil {
		t.Fatal(err)
	}
	tisPath := writeFile(t, "roster-tis620.csv", tis)
	j := mustImport(t, db, org.ID, "school-a", imports.CSV, tisPath, rosterMapping())
	if j.Encoding != imports.Windows874 || j.Counts.Created != 25 || j.Counts.Records != 25 || j.Status != imports.Done {
		t.Fatalf("TIS-620 roster: %+v", j)
	}
	p := personByCID(t, db, testCID(3))
	if p.GivenName != givenNames[3] || p.FamilyName != "ใจดี, 3" || p.BirthDate != "2019-04-04" || p.Sex != people.Female || p.Title != "เด็กหญิง" {
		t.Fatalf("person 3: %+v", p)
	}
	// The same file again, now in UTF-8 with a BOM: nothing changes.
	bomPath := writeFile(t, "roster-bom.csv", "\ufeff"+content)
	j2 := mustImport(t, db, org.ID, "school-a", imports.CSV, bomPath, rosterMapping())
	if j2.Encoding != imports.UTF8BOM || j2.Counts.Unchanged != 25 || j2.Counts.Created+j2.Counts.Updated+j2.Counts.Records != 0 {
		t.Fatalf("second import: %+v", j2.Counts)
	}
	if again := personByCID(t, db, testCID(3)); again.Version != p.Version {
		t.Fatalf("version moved from %d to %d on an identical import", p.Version, again.Version)
	}
	if n, _ := db.CountPeople(ctx); n != 25 {
		t.Fatalf("people = %d, want 25", n)
	}
	// A corrected row (a new family name) updates that person in place.
	fixed := rosterCSV(25, func(i int, c []string) []string {
		if i == 3 {
			c[4] = "ใจงาม"
		}
		return c
	})
	j3 := mustImport(t, db, org.ID, "school-a", imports.CSV, writeFile(t, "roster-fixed.csv", fixed), rosterMapping())
	if j3.Counts.Updated != 1 || j3.Counts.Unchanged != 24 || j3.Counts.Created != 0 {
		t.Fatalf("corrected import: %+v", j3.Counts)
	}
	after := personByCID(t, db, testCID(3))
	if after.ID != p.ID || after.FamilyName != "ใจงาม" || after.Version != p.Version+1 {
		t.Fatalf("corrected person: %+v (was version %d)", after, p.Version)
	}
	if n := auditCount(t, db, store.ActionPersonUpdated, p.ID); n != 1 {
		t.Fatalf("person.updated audits = %d", n)
	}
	tl, err := db.Timeline(ctx, p.ID, store.TimelineFilter{}, actor())
	if err != nil || len(tl) != 1 || tl[0].Kind != people.SchoolEnrolment || tl[0].Data.Grade != "p1" {
		t.Fatalf("timeline: %+v %v", tl, err)
	}
}

func TestImport43LinksByCID(t *testing.T) {
	db := storetest.Open(t)
	school := newOrg(t, db, "SCH-2")
	hc := newOrg(t, db, "10669") // the health centre's code is its HOSPCODE
	mustImport(t, db, school.ID, "school-b", imports.CSV, writeFile(t, "roster.csv", rosterCSV(10, nil)), rosterMapping())
	j := mustImport(t, db, school.ID, "moph43", imports.MOPH43, writeFile(t, "PERSON.txt", person43("10669", 10)), imports.Mapping{})
	// Even children carry a valid CID and join the school's person; odd ones
	// have a placeholder, but record linkage finds them by name, birth date
	// and sex (the school wrote the family name "ใจดี, 1", the health
	// centre "ใจดี").
	if j.Counts.Linked != 10 || j.Counts.Created != 0 {
		t.Fatalf("PERSON: %+v", j.Counts)
	}
	e := mustImport(t, db, school.ID, "moph43", imports.MOPH43, writeFile(t, "EPI.txt", epi43("10669", 10)), imports.Mapping{})
	if e.Counts.Added != 20 || e.Counts.Records != 20 {
		t.Fatalf("EPI: %+v", e.Counts)
	}
	if n, _ := db.CountPeople(ctx); n != 10 {
		t.Fatalf("people = %d, want 10 (the health centre's CID-less PERSON rows linked by name and birth date)", n)
	}
	p := personByCID(t, db, testCID(4))
	tl, err := db.Timeline(ctx, p.ID, store.TimelineFilter{}, actor())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[people.RecordKind]string{}
	for _, r := range tl {
		kinds[r.Kind] = r.OrganisationID
	}
	if len(tl) != 3 || kinds[people.SchoolEnrolment] != school.ID || kinds[people.Vaccination] != hc.ID {
		t.Fatalf("one timeline from both agencies: %+v", tl)
	}
	// The same EPI file twice changes nothing.
	e2 := mustImport(t, db, school.ID, "moph43", imports.MOPH43, writeFile(t, "EPI.txt", epi43("10669", 10)), imports.Mapping{})
	if e2.Counts.Unchanged != 20 || e2.Counts.Records != 0 {
		t.Fatalf("EPI again: %+v", e2.Counts)
	}
	// An EPI row for a PID nobody sent is rejected with its line and field.
	bad := epi43("10669", 1) + "10669|999999|1|20200115|010|10669|P1|20260101120000|\n"
	j3, err := runImport(t, db, school.ID, "moph43", imports.MOPH43, writeFile(t, "EPI.txt", bad), imports.Mapping{}, false)
	if !errors.Is(err, imports.ErrStopped) || j3.Error == nil || j3.Error.Line != 4 || j3.Error.Field != "PID" || j3.Error.MessageID != "import.person_unknown" {
		t.Fatalf("unknown PID: %v %+v", err, j3.Error)
	}
}

func TestImportBadBatchRolledBackAndSkip(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "SCH-3")
	// Row 1,500 (line 1,502) has a bad check digit: batch 1 (rows 1–1,000)
	// is committed, batch 2 is not written at all, and the job stops.
	content := rosterCSV(2500, func(i int, c []string) []string {
		if i == 1500 {
			c[1] = badCID(i)
		}
		return c
	})
	path := writeFile(t, "roster.csv", content)
	j, err := runImport(t, db, org.ID, "school-c", imports.CSV, path, rosterMapping(), false)
	if !errors.Is(err, imports.ErrStopped) {
		t.Fatalf("err = %v", err)
	}
	if j.Status != imports.Failed || j.Error.Line != 1502 || j.Error.Field != "เลขประจำตัวประชาชน" || j.Error.MessageID != "person.national_id_checksum" {
		t.Fatalf("job: %+v %+v", j, j.Error)
	}
	if n, _ := db.CountPeople(ctx); n != 1000 {
		t.Fatalf("people = %d, want exactly the first batch", n)
	}
	rej, err := db.ImportRejects(ctx, j.ID, 0, actor())
	if err != nil || len(rej) != 1 || rej[0].Line != 1502 {
		t.Fatalf("rejects: %+v %v", rej, err)
	}
	// Resumed with "skip bad rows", it goes on from batch 2 and keeps the
	// bad row in the report.
	j2, err := db.RunImportJob(ctx, j.ID, true, false, actor(), nil)
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	if j2.Status != imports.Done || j2.Counts.Created != 2499 || j2.Counts.Rejected != 1 || j2.Counts.Read != 2500 {
		t.Fatalf("resumed: %+v", j2.Counts)
	}
	if n, _ := db.CountPeople(ctx); n != 2499 {
		t.Fatalf("people = %d", n)
	}
	if rej, _ := db.ImportRejects(ctx, j.ID, 0, actor()); len(rej) != 1 {
		t.Fatalf("rejects after resume: %+v", rej)
	}
}

func TestImportBadInput(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "SCH-4")
	head := "เลขประจำตัวนักเรียน,เลขประจำตัวประชาชน,คำนำหน้า,ชื่อ,นามสกุล,เพศ,วันเกิด,ชั้น,วันที่เข้าเรียน\n"
	row := func(id, cid, birth string) string {
		return id + "," + cid + ",ด.ช.,สมชาย,ใจดี,ชาย," + birth + ",ป.1,16/05/2568\n"
	}
	cases := []struct {
		name, content string
		line          int
		field, msg    string
	}{
		{"not csv", "%PDF-1.4 binary\x00\x01", 1, "", "import.not_csv"},
		{"xlsx named csv", "PK\x03\x04rest", 1, "", "import.not_csv_xlsx"},
		{"no header", strings.TrimPrefix(rosterCSV(2, nil), head), 1, "", "import.header_missing"},
		{"wrong encoding", head + row("S1", testCID(1), "01/01/2562") + "S2," + testCID(2) + ",ด.ช.,\xca\xc1\xaa\xd2\xc2,ใจดี,ชาย,01/01/2562,ป.1,16/05/2568\n",
			3, "", "import.encoding_changed"},
		{"broken quotes", head + row("S1", testCID(1), "01/01/2562") + "S2,\"" + testCID(2) + ",x\n", 3, "", "import.csv_quote"},
		{"bad check digit", head + row("S1", badCID(1), "01/01/2562"), 2, "เลขประจำตัวประชาชน", "person.national_id_checksum"},
		{"future date", head + row("S1", testCID(1), "01/01/2600"), 2, "วันเกิด", "date.future"},
		{"C.E. year in a B.E. column", head + row("S1", testCID(1), "01/01/2019"), 2, "วันเกิด", "import.date_ce_in_be"},
		{"duplicate row", head + row("S1", testCID(1), "01/01/2562") + row("S1", testCID(1), "01/01/2562"), 3, "เลขประจำตัวนักเรียน", "import.duplicate_row"},
		{"duplicate key", head + row("S1", testCID(1), "01/01/2562") + row("S1", testCID(2), "01/01/2562"), 3, "เลขประจำตัวนักเรียน", "import.duplicate_key"},
		{"quotes and newlines are data", head + "S1," + testCID(1) + ",ด.ช.,\"สม\"\"ชาย\"\"\",\"ใจ\nดี\",ชาย,01/01/2562,ป.1,16/05/2568\n", 2, "ชื่อ", "person.name_characters"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := db.CountPeople(ctx)
			j, err := runImport(t, db, org.ID, "bad-"+strconv.Itoa(i), imports.CSV, writeFile(t, "f.csv", c.content), rosterMapping(), false)
			if !errors.Is(err, imports.ErrStopped) || j.Error == nil {
				t.Fatalf("err = %v, job %+v", err, j)
			}
			if j.Error.Line != c.line || j.Error.Field != c.field || j.Error.MessageID != c.msg {
				t.Fatalf("error = %+v, want line %d field %q %s", j.Error, c.line, c.field, c.msg)
			}
			if after, _ := db.CountPeople(ctx); after != before {
				t.Fatalf("people %d → %d: a bad file wrote something", before, after)
			}
		})
	}
}

// crashSink fails the batch after `after` batches, as a process that dies
// mid-import: the failing batch's transaction never commits.
type crashSink struct {
	imports.Sink
	after int
}

var errCrash = errors.New("simulated crash")

func (c *crashSink) CommitBatch(ctx context.Context, j *imports.Job, b *imports.Batch) (imports.Counts, []imports.RowError, error) {
	if b.Number > c.after {
		return imports.Counts{}, nil, errCrash
	}
	return c.Sink.CommitBatch(ctx, j, b)
}

func TestImportResumeAfterCrash(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "SCH-5")
	path := writeFile(t, "roster.csv", rosterCSV(3500, nil))
	j := newJob(t, db, org.ID, "school-d", imports.CSV, path, rosterMapping(), false)
	claimed, err := db.ClaimImportJob(ctx, j.ID, "first-process", false, false, actor())
	if err != nil {
		t.Fatal(err)
	}
	err = imports.Run(ctx, &crashSink{Sink: db.ImportSink("first-process", actor()), after: 2}, &claimed, db.Now(), nil)
	if !errors.Is(err, errCrash) {
		t.Fatalf("err = %v", err)
	}
	mid, _ := db.ImportJob(ctx, j.ID)
	if mid.Status != imports.Running || mid.BatchesDone != 2 || mid.LinesDone != 2001 {
		t.Fatalf("after crash: %+v", mid)
	}
	if n, _ := db.CountPeople(ctx); n != 2000 {
		t.Fatalf("people = %d, want two whole batches", n)
	}
	// The dead process still looks busy; resume refuses unless it is stale
	// or forced.
	if _, err := db.RunImportJob(ctx, j.ID, false, false, actor(), nil); !errs.Is(err, errs.Conflict) {
		t.Fatalf("resume of a fresh running job: %v", err)
	}
	done, err := db.RunImportJob(ctx, j.ID, false, true, actor(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != imports.Done || done.Counts.Created != 3500 || done.Counts.Read != 3500 || done.BatchesDone != 4 {
		t.Fatalf("resumed: %+v %+v", done, done.Counts)
	}
	if n, _ := db.CountPeople(ctx); n != 3500 {
		t.Fatalf("people = %d", n)
	}
	// A file changed since the job began is refused.
	j2 := newJob(t, db, org.ID, "school-d", imports.CSV, path, rosterMapping(), false)
	if err := os.WriteFile(path, []byte(rosterCSV(5, nil)), 0o600); err != nil {
		t.Fatal(err)
	}
	if j, err := db.RunImportJob(ctx, j2.ID, false, false, actor(), nil); !errors.Is(err, imports.ErrStopped) || j.Error.MessageID != "import.file_changed" {
		t.Fatalf("changed file: %v %+v", err, j.Error)
	}
}

func TestImportXLSX(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "SCH-6")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	_ = sw.SetRow("A1", []any{"เลขประจำตัวนักเรียน", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "วันเกิด"})
	for i := range 1200 {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		// Birth dates as Excel dates (serial numbers), IDs as text.
		_ = sw.SetRow(cell, []any{fmt.Sprintf("X%04d", i), testCID(900 + i), givenNames[i%len(givenNames)], "ใจดี",
			time.Date(2019, 1, 12, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%300)})
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	m := imports.Mapping{Header: true, Columns: map[imports.Target]string{imports.LocalID: "เลขประจำตัวนักเรียน",
		imports.NationalIDCol: "เลขประจำตัวประชาชน", imports.GivenName: "ชื่อ", imports.FamilyName: "นามสกุล", imports.BirthDate: "วันเกิด"}}
	j := mustImport(t, db, org.ID, "xlsx-roster", imports.XLSX, path, m)
	if j.Counts.Created != 1200 || j.BatchesDone != 2 {
		t.Fatalf("xlsx: %+v", j.Counts)
	}
	if p := personByCID(t, db, testCID(901)); p.BirthDate != "2019-01-13" || p.GivenName != givenNames[1] {
		t.Fatalf("person: %+v", p)
	}
}

func TestImport43ServiceFiles(t *testing.T) {
	db := storetest.Open(t)
	org := newOrg(t, db, "10670")
	person := "HOSPCODE|CID|PID|PRENAME|NAME|LNAME|SEX|BIRTH|NATION\n" +
		"10670|" + testCID(700) + "|000001||ดาว|ใจดี|2|20240110|099\n" + // the child
		"10670|" + testCID(701) + "|000002||มะลิ|ใจดี|2|19950301|099\n" // the mother
	mustImport(t, db, org.ID, "moph43", imports.MOPH43, writeFile(t, "PERSON.txt", person), imports.Mapping{})
	files := map[string]string{
		"NEWBORN.txt":   "HOSPCODE|PID|MPID|GA|BDATE|BWEIGHT\n10670|000001|000002|38|20240110|2950\n",
		"NUTRITION.txt": "HOSPCODE|PID|SEQ|DATE_SERV|WEIGHT|HEIGHT|HEADCIRCUM\n10670|000001|1|20250110|9.5|75.2|45\n",
		"SPECIALPP.txt": "HOSPCODE|PID|SEQ|DATE_SERV|PPSPECIAL\n10670|000001|1|20241015|1B2602\n",
		"ANC.txt":       "HOSPCODE|PID|SEQ|DATE_SERV|GA|ANCNO\n10670|000002|1|20260115|12|1\n",
	}
	for _, name := range []string{"NEWBORN.txt", "NUTRITION.txt", "SPECIALPP.txt", "ANC.txt"} {
		j := mustImport(t, db, org.ID, "moph43", imports.MOPH43, writeFile(t, name, files[name]), imports.Mapping{})
		if j.Counts.Added != 1 || j.Counts.Records != 1 {
			t.Fatalf("%s: %+v", name, j.Counts)
		}
	}
	child := personByCID(t, db, testCID(700))
	tl, err := db.Timeline(ctx, child.ID, store.TimelineFilter{}, actor())
	if err != nil {
		t.Fatal(err)
	}
	got := map[people.RecordKind]people.RecordData{}
	for _, r := range tl {
		got[r.Kind] = r.Data
	}
	if got[people.Birth].BirthWeightGrams != 2950 || got[people.Growth].HeightCm != 75.2 || got[people.Growth].AgeMonths != 12 ||
		got[people.DevelopmentScreening].ScreeningAge != 9 || got[people.DevelopmentScreening].Domains.GM != people.DSPMSuspected ||
		got[people.DevelopmentScreening].RescreenBy != "2024-11-14" {
		t.Fatalf("child's timeline: %+v", got)
	}
	mother := personByCID(t, db, testCID(701))
	ps, err := db.Pregnancies(ctx, mother.ID)
	if err != nil || len(ps) != 1 || ps[0].Status != people.Ongoing || ps[0].ExpectedDate != "2026-07-30" {
		t.Fatalf("pregnancy from ANC: %+v %v", ps, err)
	}
	// A vaccine code nobody mapped is rejected, not guessed.
	j, err := runImport(t, db, org.ID, "moph43", imports.MOPH43, writeFile(t, "EPI.txt",
		"HOSPCODE|PID|SEQ|DATE_SERV|VACCINETYPE\n10670|000001|1|20240110|Z99\n"), imports.Mapping{}, false)
	if !errors.Is(err, imports.ErrStopped) || j.Error.Field != "VACCINETYPE" || j.Error.MessageID != "import.vaccine_code" {
		t.Fatalf("unknown vaccine: %v %+v", err, j.Error)
	}
}
