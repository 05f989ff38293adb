package main

import (
	"net/http"
	"strings"
	"testing"
)

// The demo's committee member of Lat Krabang (พชข.) opens the dashboard
// from the menu and sees the district's flower distribution, the monthly
// trend, the referral flow and the continuity gaps; chooses another
// dimension; drills into a sub-district; and cannot reach any name: no
// link to a person anywhere, the names drill-down refused, another
// district refused, nonsense periods answered with a clear 400.
func TestBrowserCommitteeDashboard(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	b := newBrowser(t, ts)
	if status := b.login("demo.committee", demoPassword(t, ts, "demo.committee")); status != http.StatusOK {
		b.fatalf("login: %d", status)
	}
	b.clickLinkAndWait("header nav", "แดชบอร์ด")
	if b.path() != "/dashboards/1011" || !strings.Contains(b.text("h1"), "ลาดกระบัง") {
		b.fatalf("dashboard: %s %q", b.path(), b.text("h1"))
	}
	for _, sel := range []string{"#table-flower_children", "#table-flower_households", "#table-trend", "#table-referral_services", "#table-gaps"} {
		if !b.has(sel) {
			b.fatalf("%s missing; withheld: %v", sel, b.texts(".dash-table p.muted"))
		}
	}
	if c := b.text("#table-flower_children caption"); !strings.Contains(c, "ดอกไม้") {
		b.fatalf("flower caption %q", c)
	}
	// The safety row of the flower: counts or "< 5"/"—", never a name.
	row := b.rowWith("#table-flower_children tbody tr", "สวัสดิภาพ")
	if row == "" || !strings.ContainsAny(row, "0123456789") {
		b.fatalf("safety row %q", row)
	}
	if trend := b.texts("#table-trend tbody th"); len(trend) != 12 || !strings.Contains(trend[11], "25") {
		b.fatalf("trend months (B.E.) %v", trend)
	}
	if !strings.Contains(b.text("#table-gaps"), "DSPM") || !strings.Contains(b.text("#table-gaps"), "เงินอุดหนุน") {
		b.fatalf("gaps %q", b.text("#table-gaps"))
	}
	if n := jsEval[int](b, `document.querySelectorAll('a[href^="/people"], a[href*="/names"]').length`); n != 0 {
		b.fatalf("%d links towards people on a committee member's dashboard", n)
	}
	// Another dimension for the breakdowns.
	b.choose("#dimension", "สุขภาพ")
	b.clickAndWait("#dashboard-show")
	if !strings.Contains(b.location(), "dimension=health") || !strings.Contains(b.text("#h-stages"), "สุขภาพ") {
		b.fatalf("dimension not chosen: %s %q", b.location(), b.text("#h-stages"))
	}
	// Drill down to a sub-district when the breakdown is published.
	if b.has("#table-places tbody th a") {
		b.clickAndWait("#table-places tbody th a")
		if !strings.HasPrefix(b.path(), "/dashboards/1011") || b.path() == "/dashboards/1011" {
			b.fatalf("drill-down went to %s", b.path())
		}
	}
	// No names, whatever the address.
	if status := b.open("/dashboards/1011/names?dimension=health&level=red"); status != http.StatusForbidden {
		b.fatalf("names drill-down: %d", status)
	}
	if text := b.bodyText(); !strings.Contains(text, "ข้อมูลภาพรวม") {
		b.fatalf("names refusal says %q", text)
	}
	// Another district is refused, not shown empty; bad periods are named.
	if status := b.open("/dashboards/1001"); status != http.StatusForbidden {
		b.fatalf("another district: %d", status)
	}
	for path, want := range map[string]string{
		"/dashboards/1011?from=2026-06&to=2026-01": "เดือนเริ่มต้นต้องไม่อยู่หลังเดือนสิ้นสุด",
		"/dashboards/1011?from=1976-01&to=2026-01": "ช่วงเวลายาวเกินไป",
		"/dashboards/1011?dimension=happiness":     "ไม่รู้จักตัวชี้วัดนี้",
		"/dashboards/1011?from=2026-01&to=2099-01": "ต้องไม่เกินเดือนปัจจุบัน",
	} {
		if status := b.open(path); status != http.StatusBadRequest || !strings.Contains(b.bodyText(), want) {
			b.fatalf("%s: %d %q", path, status, b.bodyText())
		}
	}
}
