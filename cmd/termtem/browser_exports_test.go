package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"termtem/internal/demo"
	"termtem/internal/store"
)

// Message texts of the export screens, copied from internal/locale.
const (
	thExportsNav       = "ส่งออกข้อมูล"
	thExportsFieldsReq = "เลือกข้อมูลที่จะส่งออกอย่างน้อยหนึ่งรายการ"
	thFieldNationalID  = "เลขประจำตัวประชาชน"
)

// demoBundle writes the demo health centre's FHIR bundle to a file.
func demoBundle(t *testing.T, children int) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := demo.FHIRBundle(&buf, time.Now(), children); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "demo-fhir.json")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// jsAwait evaluates a promise in the page and returns what it resolves to.
func jsAwait[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// chooseArea picks the area whose option ends with the place's code.
func (b *tab) chooseArea(code string) {
	b.t.Helper()
	if !jsEval[bool](b, fmt.Sprintf(`(() => { const s = document.querySelector("#area_id");
		const o = [...s.options].find(o => o.text.endsWith("(" + %s + ")")); if (!o) return false; s.value = o.value; return true; })()`, jsString(code))) {
		b.fatalf("no area %s to choose", code)
	}
}

// postExport submits the export form with fetch, as the form would, and
// returns the status, the content type and the body (base64 for binary).
func (b *tab) postExport() (int, string, []byte) {
	b.t.Helper()
	res := jsAwait[string](b, `fetch("/exports", {method: "POST", body: new URLSearchParams(new FormData(document.querySelector("#export-form")))})
		.then(async r => { const buf = new Uint8Array(await r.arrayBuffer()); let s = ""; for (const c of buf) s += String.fromCharCode(c);
			return r.status + "|" + r.headers.get("content-type") + "|" + btoa(s); })`)
	parts := strings.SplitN(res, "|", 3)
	if len(parts) != 3 {
		b.fatalf("export answer: %q", res)
	}
	status, _ := strconv.Atoi(parts[0])
	body, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil {
		b.fatalf("export body: %v", err)
	}
	return status, parts[1], body
}

// TestBrowserExportAndFHIR: a data officer imports the demo generator's
// FHIR bundle (its children link to the demo's own by national ID), then
// exports the district as CSV and as XLSX; a nurse, whose role has no
// export permission, is refused.
func TestBrowserExportAndFHIR(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	db := ts.openDB(t)
	before, err := db.CountPeople(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, ts)
	b.open("/login")
	if status := b.login("demo.dataofficer", demoPassword(t, ts, "demo.dataofficer")); status != http.StatusOK {
		t.Fatalf("login: %d", status)
	}
	// The FHIR bundle: uploaded, recognised, imported without a mapping.
	b.upload(demoBundle(t, 5))
	if got := b.text("#file-format"); got != "FHIR R4 (JSON)" {
		b.fatalf("format shown: %q", got)
	}
	if !b.has("#fhir-hint") || b.has("#columns") {
		b.fatalf("the FHIR mapping page shows columns")
	}
	if status := b.clickAndWait("#start"); status != http.StatusOK {
		b.fatalf("start: %d", status)
	}
	b.waitFor("the FHIR import to finish", `document.querySelector("#job-status .status-done, #job-status .status-failed") !== null`)
	if got := b.text(`#job-counts [data-count="rejected"]`); got != "0" {
		b.fatalf("rejected entries: %s (%s)", got, b.bodyText())
	}
	if got := b.text(`#job-counts [data-count="linked"]`); got == "0" || got == "" {
		b.fatalf("no child linked to the demo by national ID: %s", b.bodyText())
	}
	after, err := db.CountPeople(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	created, _ := strconv.Atoi(b.text(`#job-counts [data-count="created"]`))
	if after-before != created || created >= 5 {
		t.Fatalf("people %d → %d with %d created: the demo children were copied, not linked", before, after, created)
	}

	// Export the district as CSV.
	if got := b.text("#nav-exports"); got != thExportsNav {
		b.fatalf("menu: %q", got)
	}
	if status := b.open("/exports"); status != http.StatusOK {
		b.fatalf("exports page: %d", status)
	}
	b.chooseArea("1011")
	status, ctype, body := b.postExport()
	if status != http.StatusOK || !strings.HasPrefix(ctype, "text/csv") || !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		b.fatalf("CSV: %d %s", status, ctype)
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		b.fatalf("CSV: %v", err)
	}
	if len(rows) < 10 || rows[0][1] != thFieldNationalID {
		b.fatalf("CSV: %d rows, header %q", len(rows), rows[0])
	}
	evs, err := db.RecentAudit(t.Context(), store.ActionExport, 5)
	if err != nil || len(evs) != 1 || !strings.Contains(evs[0].Detail, "people="+strconv.Itoa(len(rows)-1)) {
		t.Fatalf("export audit: %+v %v", evs, err)
	}
	// The same as XLSX.
	b.check("#format-xlsx")
	status, ctype, body = b.postExport()
	if status != http.StatusOK || !strings.Contains(ctype, "spreadsheetml") {
		b.fatalf("XLSX: %d %s", status, ctype)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		b.fatalf("XLSX: %v", err)
	}
	xrows, err := f.GetRows("termtem")
	f.Close()
	if err != nil || len(xrows) != len(rows) {
		b.fatalf("XLSX rows %d, CSV rows %d: %v", len(xrows), len(rows), err)
	}
	// No fields: the form says so, and nothing is sent.
	b.open("/exports")
	b.chooseArea("1011")
	jsEval[bool](b, `(() => { document.querySelectorAll("#fields input").forEach(c => c.checked = false); return true; })()`)
	if status := b.clickAndWait("#export"); status != http.StatusUnprocessableEntity {
		b.fatalf("no fields: %d", status)
	}
	if got := b.text("#form-error"); got != thExportsFieldsReq {
		b.fatalf("no fields: %q", got)
	}

	// A nurse's role has no export permission: no menu, no page, no file.
	n := newBrowser(t, ts)
	n.open("/login")
	if status := n.login("demo.nurse", demoPassword(t, ts, "demo.nurse")); status != http.StatusOK {
		t.Fatalf("nurse login: %d", status)
	}
	if n.has("#nav-exports") {
		n.fatalf("the nurse sees the export menu")
	}
	if status := n.open("/exports"); status != http.StatusForbidden {
		n.fatalf("nurse export page: %d", status)
	}
	res := jsAwait[int](n, `fetch("/exports", {method: "POST", body: new URLSearchParams({area_id: "x", format: "csv", fields: "given_name"})}).then(r => r.status)`)
	if res != http.StatusForbidden {
		n.fatalf("nurse export: %d", res)
	}
	if evs, _ := db.RecentAudit(t.Context(), store.ActionExport, 5); len(evs) != 2 { // the officer's CSV and XLSX only
		t.Fatalf("exports audited: %d", len(evs))
	}
}

// a11yExportPages lists the export pages for the accessibility test: the
// form, the form refusing an export without fields, and the mapping page
// of a FHIR bundle.
func a11yExportPages(t *testing.T) ([]string, map[string]func(*tab)) {
	t.Helper()
	path := demoBundle(t, 2)
	forms := map[string]func(*tab){
		"export refused": func(b *tab) {
			b.open("/exports")
			jsEval[bool](b, `(() => { document.querySelectorAll("#fields input").forEach(c => c.checked = false); return true; })()`)
			b.clickAndWait("#export")
		},
		"fhir mapping": func(b *tab) { b.upload(path) },
	}
	return []string{"/exports", "export refused", "fhir mapping"}, forms
}
