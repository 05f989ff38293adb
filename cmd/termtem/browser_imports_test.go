package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"
)

// Message texts of the import screens, copied from internal/locale.
const (
	thImportsNav     = "นำเข้าข้อมูล"
	thEncodingTIS    = "TIS-620 / Windows-874 (แปลงแล้ว)"
	thStatusDone     = "เสร็จแล้ว"
	thReasonChecksum = "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง) โปรดตรวจสอบว่าพิมพ์ครบและถูกต้อง"
)

// tisRoster writes a school roster in TIS-620, as a Thai Excel saves "CSV":
// n children, the one at bad with a wrong check digit.
func tisRoster(t *testing.T, n, bad int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("เลขประจำตัวนักเรียน,เลขประจำตัวประชาชน,ชื่อ-นามสกุล,เพศ,วันเกิด,ชั้น,วันที่เข้าเรียน\n")
	for i := range n {
		cid := importCID(500 + i)
		if i == bad {
			cid = cid[:12] + fmt.Sprint((int(cid[12]-'0')+1)%10)
		}
		fmt.Fprintf(&b, "B%04d,%s,\"ด.ญ.ใบเตย ใจดี%d\",หญิง,%02d/03/2563,อ.1,16/05/2568\n", i, cid, i, 1+i%28)
	}
	s, err := charmap.Windows874.NewEncoder().String(b.String())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "รายชื่อนักเรียน.csv")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// upload sends a file from the imports page and lands on its mapping page.
func (b *tab) upload(path string) {
	b.t.Helper()
	b.open("/imports")
	b.do("choose file", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}))
	if status := b.clickAndWait("#upload"); status != http.StatusOK {
		b.fatalf("upload: %d", status)
	}
}

// TestBrowserImport: a data officer uploads a TIS-620 roster, sees the
// detected encoding and a preview, keeps the suggested columns, says the
// years are B.E. and to skip bad rows, follows the progress page until the
// import is done, and reads the rejected row in the report.
func TestBrowserImport(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	b := newBrowser(t, ts)
	b.open("/login")
	if status := b.login("demo.dataofficer", demoPassword(t, ts, "demo.dataofficer")); status != http.StatusOK {
		t.Fatalf("login: %d", status)
	}
	if got := b.text("#nav-imports"); got != thImportsNav {
		b.fatalf("menu: %q", got)
	}
	const n = 1500
	b.upload(tisRoster(t, n, 1200))
	if got := b.text("#file-encoding"); got != thEncodingTIS {
		b.fatalf("encoding shown: %q", got)
	}
	if got := b.text("#preview tbody tr:first-child td:nth-child(4)"); got != "ด.ญ.ใบเตย ใจดี0" {
		b.fatalf("preview: %q", got)
	}
	// The Thai headers were recognised.
	if got := b.value("#col_full_name"); got != "ชื่อ-นามสกุล" {
		b.fatalf("suggested full name column: %q", got)
	}
	if got := b.value("#col_local_id"); got != "เลขประจำตัวนักเรียน" {
		b.fatalf("suggested key column: %q", got)
	}
	b.fill("#source", "school-browser-roster")
	b.choose("#date_era", "พ.ศ.")
	b.check("#skip_bad_rows")
	if status := b.clickAndWait("#start"); status != http.StatusOK {
		b.fatalf("start: %d", status)
	}
	// htmx polls the progress until the job is done.
	b.waitFor("the import to finish", `document.querySelector("#job-status .status-done") !== null`)
	if got := b.text("#job-status"); got != thStatusDone {
		b.fatalf("status: %q", got)
	}
	for count, want := range map[string]string{"read": "1500", "created": "1499", "rejected": "1", "records": "1499"} {
		if got := b.text(fmt.Sprintf(`#job-counts [data-count="%s"]`, count)); got != want {
			b.fatalf("%s = %q, want %s", count, got, want)
		}
	}
	row := b.texts("#rejects tbody td")
	if len(row) != 3 || row[0] != "1202" || row[1] != "เลขประจำตัวประชาชน" || row[2] != thReasonChecksum {
		b.fatalf("rejected row: %q", row)
	}
	report, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(document.querySelector("#report-download").href).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("report: %v", err)
	}
	if !strings.Contains(report, "1202,เลขประจำตัวประชาชน,"+thReasonChecksum) {
		b.fatalf("report: %q", report)
	}
	// The upload held personal data: it is gone once imported.
	jobs, err := ts.openDB(t).ImportJobs(t.Context(), nil, 1)
	if err != nil || len(jobs) != 1 {
		t.Fatalf("jobs: %v", err)
	}
	if _, err := os.Stat(jobs[0].FilePath); !os.IsNotExist(err) {
		t.Fatalf("the uploaded file is still there: %v", err)
	}
	// Next month: the saved mapping loads by itself for the same source.
	b.upload(tisRoster(t, 3, -1))
	b.choose("#saved-source", "school-browser-roster")
	if status := b.clickAndWait("#load-mapping"); status != http.StatusOK {
		b.fatalf("load mapping: %d", status)
	}
	if got := b.selectedText("#date_era"); got != "พ.ศ." {
		b.fatalf("saved era: %q", got)
	}
	if status := b.clickAndWait("#start"); status != http.StatusOK {
		b.fatalf("start again: %d", status)
	}
	b.waitFor("the second import to finish", `document.querySelector("#job-status .status-done") !== null`)
	if got := b.text(`#job-counts [data-count="unchanged"]`); got != "3" {
		b.fatalf("unchanged = %q", got)
	}
}

// a11yImportPages lists the import pages for the accessibility test: the
// list with the upload form, a mapping page with its preview, and a
// finished job with a rejected row.
func a11yImportPages(t *testing.T, ts *testServer) ([]string, map[string]func(*tab)) {
	t.Helper()
	path := tisRoster(t, 4, 2)
	forms := map[string]func(*tab){
		"import mapping": func(b *tab) { b.upload(path) },
		"import report": func(b *tab) {
			b.upload(path)
			if b.value("#source") == "" {
				b.fill("#source", "a11y-roster")
			}
			b.check("#skip_bad_rows")
			b.clickAndWait("#start")
			b.waitFor("the import to finish", `document.querySelector("#job-status .status-done, #job-status .status-failed") !== null`)
		},
	}
	return []string{"/imports", "import mapping", "import report"}, forms
}
