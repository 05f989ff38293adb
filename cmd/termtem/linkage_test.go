package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"termtem/internal/audit"
	"termtem/internal/imports"
	"termtem/internal/linkage"
	"termtem/internal/store"
)

// linkageTestPair imports a school roster and then a welfare list that
// names one of its children under a new family name with day and month
// swapped and no national ID: record linkage is unsure, and the pair waits
// in the review queue. It returns the pair's ID.
func linkageTestPair(t *testing.T, db *store.DB, orgID string) string {
	t.Helper()
	m, err := imports.DecodeMapping(rosterMappingJSON)
	if err != nil {
		t.Fatal(err)
	}
	m.Columns[imports.MotherName] = "ชื่อมารดา" // linkage evidence: shown beside the pair to who may see both
	const header = "เลขประจำตัวนักเรียน,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,เพศ,วันเกิด,ชั้น,วันที่เข้าเรียน,ชื่อมารดา\n"
	for i, body := range []string{
		"L1," + importCID(901) + ",เด็กหญิงพิมพ์ชนก,ทองคำสายทอง,หญิง,03/07/2560,อ.3,16/05/2568,นางมาลี ทองคำสายทอง\n",
		"W1,,ด.ญ.พิมพ์ชนก,แสงจันทร์,หญิง,07/03/2560,อ.3,01/06/2568,มาลี แสงจันทร์\n",
	} {
		path := filepath.Join(t.TempDir(), "list.csv")
		if err := os.WriteFile(path, []byte(header+body), 0o600); err != nil {
			t.Fatal(err)
		}
		hash, size, err := imports.HashFile(path)
		if err != nil {
			t.Fatal(err)
		}
		source := []string{"linkage-school", "linkage-welfare"}[i]
		j, err := db.CreateImportJob(t.Context(), imports.Job{Source: source, Format: imports.CSV, FileName: "list.csv", FileHash: hash, FilePath: path,
			FileSize: size, Mapping: m, OrganisationID: orgID, CreatedBy: "cli", Status: imports.Queued}, audit.Event{RequestID: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RunImportJob(t.Context(), j.ID, false, false, audit.Event{RequestID: "test"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	pairs, _, err := db.ListPairs(t.Context(), nil, store.PairPending, 0, 0, audit.Event{RequestID: "test"})
	if err != nil || len(pairs) != 1 {
		t.Fatalf("pending pairs: %d %v", len(pairs), err)
	}
	return pairs[0].ID
}

// dataOfficerOrg is the demo data officer's organisation: a data officer
// sees the pairs of their own organisations' imports.
func dataOfficerOrg(t *testing.T, db *store.DB) string {
	t.Helper()
	u, err := db.GetUserByUsername(t.Context(), "demo.dataofficer")
	if err != nil || len(u.Memberships) == 0 {
		t.Fatalf("demo data officer: %+v %v", u.Memberships, err)
	}
	return u.Memberships[0].OrganisationID
}

const (
	thLinkageNav     = "บุคคลซ้ำ"
	thStatusPending  = "รอตรวจสอบ"
	thStatusLinked   = "รวมเป็นคนเดียวกันแล้ว"
	thStatusSeparate = "เป็นคนละคน"
)

// TestBrowserLinkage: a data officer opens the review queue, compares the
// pair side by side, links it (one person), undoes the merge (the pair
// waits again) and then keeps the two apart.
func TestBrowserLinkage(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	pair := linkageTestPair(t, db, dataOfficerOrg(t, db))
	b := newBrowser(t, ts)
	b.open("/login")
	if status := b.login("demo.dataofficer", demoPassword(t, ts, "demo.dataofficer")); status != http.StatusOK {
		t.Fatalf("login: %d", status)
	}
	if got := b.text("#nav-linkage"); got != thLinkageNav {
		b.fatalf("menu: %q", got)
	}
	b.clickAndWait("#nav-linkage")
	if got := b.text("#pair-" + pair); got != "พิมพ์ชนก แสงจันทร์" {
		b.fatalf("queue row: %q", got)
	}
	b.clickAndWait("#pair-" + pair)
	cells := b.texts("#pair-compare tbody tr:nth-child(3) td")
	if len(cells) != 2 || cells[0] != "แสงจันทร์" || cells[1] != "ทองคำสายทอง" {
		b.fatalf("family names side by side: %q", cells)
	}
	// The data officer may open both girls' records: the mothers' names
	// stand side by side (she took another family name).
	if b.has("#pair-family-hidden") {
		b.fatalf("mothers hidden from a reader who may open both records")
	}
	rows := b.texts("#pair-compare tbody tr")
	if len(rows) != 10 || rows[8] != "ชื่อมารดา\tมาลี แสงจันทร์\tนางมาลี ทองคำสายทอง" {
		b.fatalf("mothers side by side: %q", rows)
	}
	if ev := b.texts("#pair-evidence tbody tr"); len(ev) != 8 {
		b.fatalf("evidence rows: %q", ev)
	}
	if got := b.text("#pair-status .badge"); got != thStatusPending {
		b.fatalf("status: %q", got)
	}
	if status := b.clickAndWait("#pair-link"); status != http.StatusOK {
		b.fatalf("link: %d", status)
	}
	if got := b.text("#pair-status .badge"); got != thStatusLinked {
		b.fatalf("status after linking: %q", got)
	}
	// The imported girl's enrolment is now on the known girl's timeline.
	known, err := db.LookupIdentifier(t.Context(), "national_id", importCID(901), audit.Event{RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	tl, err := db.Timeline(t.Context(), known.ID, store.TimelineFilter{}, audit.Event{RequestID: "test"})
	if err != nil || len(tl) != 2 {
		t.Fatalf("timeline after the merge: %d %v", len(tl), err)
	}
	if status := b.clickAndWait("#pair-unmerge"); status != http.StatusOK {
		b.fatalf("unmerge: %d", status)
	}
	if got := b.text("#pair-status .badge"); got != thStatusPending {
		b.fatalf("status after undoing: %q", got)
	}
	if tl, _ := db.Timeline(t.Context(), known.ID, store.TimelineFilter{}, audit.Event{RequestID: "test"}); len(tl) != 1 {
		t.Fatalf("timeline after the undo: %d records", len(tl))
	}
	if status := b.clickAndWait("#pair-separate"); status != http.StatusOK {
		b.fatalf("separate: %d", status)
	}
	if got := b.text("#pair-status .badge"); got != thStatusSeparate {
		b.fatalf("status after separating: %q", got)
	}
	if b.has("#pair-link") || b.has("#pair-unmerge") {
		b.fatalf("a decided pair still offers actions")
	}
}

// TestBrowserLinkageWeights: the review queue shows the weights in use —
// the defaults until training, then the trained version, which the pair
// page's score also uses.
func TestBrowserLinkageWeights(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	org := dataOfficerOrg(t, db)
	pair := linkageTestPair(t, db, org)
	m, err := imports.DecodeMapping(synthMappingJSON)
	if err != nil {
		t.Fatal(err)
	}
	for i, path := range synthFiles(t, t.TempDir(), 600) {
		hash, size, err := imports.HashFile(path)
		if err != nil {
			t.Fatal(err)
		}
		j, err := db.CreateImportJob(t.Context(), imports.Job{Source: fmt.Sprintf("synth-%d", i), Format: imports.CSV, FileName: "f.csv", FileHash: hash,
			FilePath: path, FileSize: size, Mapping: m, OrganisationID: org, CreatedBy: "cli", Status: imports.Queued, SkipBadRows: true},
			audit.Event{RequestID: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RunImportJob(t.Context(), j.ID, false, false, audit.Event{RequestID: "test"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, ts)
	b.open("/login")
	if status := b.login("demo.dataofficer", demoPassword(t, ts, "demo.dataofficer")); status != http.StatusOK {
		t.Fatalf("login: %d", status)
	}
	b.open("/linkage")
	if got := b.text("#weights-version"); !strings.Contains(got, "น้ำหนักตั้งต้น") {
		b.fatalf("weights before training: %q", got)
	}
	lm, err := db.TrainLinkage(t.Context(), store.TrainOptions{MinPairs: 100}, audit.Event{RequestID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	b.open("/linkage")
	if got := b.text("#weights-version"); !strings.Contains(got, "รุ่นที่ 1") || !strings.Contains(got, fmt.Sprint(lm.BlockedPairs)) {
		b.fatalf("weights after training: %q", got)
	}
	b.do("open the weights", chromedp.Click(chromedp.CSS("#linkage-weights summary"), chromedp.NodeVisible))
	rows := b.texts("#weights-table tbody tr")
	levels := 0 // one row a level of every field
	for _, f := range linkage.Fields {
		levels += f.Levels()
	}
	if len(rows) != levels || levels != 27 {
		b.fatalf("weights table: %d rows, want %d", len(rows), levels)
	}
	want := fmt.Sprintf("%+.1f", lm.Model.Weight(linkage.Given, 0))
	if !strings.Contains(rows[0], want) {
		b.fatalf("given name exact: %q, want %s", rows[0], want)
	}
	b.open("/linkage/pairs/" + pair)
	if got := b.text("#pair-weights"); !strings.Contains(got, "รุ่นที่ 1") {
		b.fatalf("pair page weights: %q", got)
	}
}
