package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A committee member opens the map, chooses an indicator, opens the
// district's report from the map and downloads its PDF; no child's name
// anywhere on the way.
func TestBrowserMapAndReport(t *testing.T) {
	ts := startServer(t, testEnv(t))
	reportWorld(t, ts)
	b := newBrowser(t, ts)
	if status := b.login("committee.mr", testPassword); status != http.StatusOK {
		b.fatalf("login: %d", status)
	}
	b.clickLinkAndWait("header nav", "แผนที่")
	if b.path() != "/map" || b.text("h1") != "แผนที่ 50 เขต" {
		b.fatalf("map page: %s %q", b.path(), b.text("h1"))
	}
	if n := jsEval[int](b, `document.querySelectorAll(".district-map .district").length`); n != 50 {
		b.fatalf("%d districts drawn", n)
	}
	// Choose another indicator: the caption and the address follow.
	b.choose("#indicator", "สัดส่วนเด็กที่มิติการศึกษาเป็นสีแดง")
	b.clickAndWait("#map-show")
	if !strings.Contains(b.location(), "indicator=red_education") || !strings.Contains(b.text("#map-caption"), "การศึกษา") {
		b.fatalf("indicator not chosen: %s %q", b.location(), b.text("#map-caption"))
	}
	// Back to safety; Lat Krabang's square says its value and leads to its report.
	b.choose("#indicator", "สัดส่วนเด็กที่มิติสวัสดิภาพเป็นสีแดง")
	b.clickAndWait("#map-show")
	label := jsEval[string](b, `document.querySelector('.district-map a[data-code="1011"] title').textContent`)
	if label != "ลาดกระบัง: 100.0%" {
		b.fatalf("Lat Krabang's square: %q", label)
	}
	if b.has(`.district-map a[data-code="1001"]`) {
		b.fatalf("a district outside the member's area is a link")
	}
	b.clickAndWait(`.district-map a[data-code="1011"]`)
	if !strings.HasPrefix(b.path(), "/reports/committee") || b.text("#report-title") != "รายงานเขตลาดกระบัง" {
		b.fatalf("report: %s %q", b.path(), b.text("#report-title"))
	}
	if period := b.text("#report-period"); !strings.Contains(period, "25") {
		b.fatalf("period not in B.E.: %q", period)
	}
	if text := b.bodyText(); strings.Contains(text, reportChildName) || strings.Contains(text, "ทดสอบรายงาน") {
		b.fatalf("the report shows a child's name")
	}
	// The PDF link downloads a PDF (fetched as the browser would, with its
	// session).
	href := b.jsAttr("#report-pdf", "href")
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+jsString(href)+`).then(r => r.ok && r.headers.get("Content-Type") === "application/pdf" ? r.arrayBuffer() : Promise.reject("status " + r.status))
		.then(buf => String.fromCharCode(...new Uint8Array(buf.slice(0, 5))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("PDF download: %v", err)
	}
	if got != "%PDF-" {
		b.fatalf("PDF download starts %q", got)
	}
}
