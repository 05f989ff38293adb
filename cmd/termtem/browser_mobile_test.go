package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// On a phone every page fits the screen's width, and every form field has a
// label. The Thai home page and a places page are also saved as screenshots.
func TestBrowserMobileLayout(t *testing.T) {
	ts := startServer(t, testEnv(t), "--demo")
	b := newBrowser(t, ts)
	b.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2),
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))

	checkPage := func(what string) {
		t.Helper()
		if w := jsEval[int](b, `window.innerWidth`); w != 390 {
			b.fatalf("%s: viewport %d px wide, want a 390 px phone", what, w)
		}
		wide := jsEval[[]string](b, `(() => {
			if (document.documentElement.scrollWidth <= window.innerWidth) return [];
			return [...document.querySelectorAll("body *")]
				.filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
				.map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "") +
					" right=" + Math.round(e.getBoundingClientRect().right))
				.slice(0, 8)
				.concat(["scrollWidth=" + document.documentElement.scrollWidth]);
		})()`)
		if len(wide) > 0 {
			b.fatalf("%s: wider than the phone: %s", what, strings.Join(wide, ", "))
		}
		unlabelled := jsEval[[]string](b, `[...document.querySelectorAll("input, select, textarea")]
			.filter(e => e.type !== "hidden" && !e.hidden)
			.filter(e => ![...(e.labels || [])].some(l => l.innerText.trim() !== ""))
			.map(e => e.outerHTML.slice(0, 100))`)
		if len(unlabelled) > 0 {
			b.fatalf("%s: fields without a label: %q", what, unlabelled)
		}
		fields := jsEval[int](b, `document.querySelectorAll("input:not([type=hidden]):not([hidden]), select, textarea").length`)
		t.Logf("%s: fits %d px, %d labelled fields", what, 390, fields)
	}

	b.open("/login")
	checkPage("login")
	b.login("demo.admin", demoPassword(t, ts, "demo.admin"))
	if b.path() != "/" || b.lang() != "th" {
		b.fatalf("home on the phone: %s lang %q", b.path(), b.lang())
	}
	checkPage("home")
	// The menu and the logout button are reachable on the phone.
	for _, sel := range []string{`header nav a[href="/organisations"]`, "#logout", "#lang-switch"} {
		if !jsEval[bool](b, `(() => { const r = document.querySelector(`+jsString(sel)+`).getBoundingClientRect();
			return r.width > 0 && r.height >= 24 && r.left >= 0 && r.right <= window.innerWidth; })()`) {
			b.fatalf("%s is not on the phone's screen", sel)
		}
	}
	b.screenshot("home-phone-th")

	b.clickLinkAndWait("header nav", "หน่วยบริการ")
	checkPage("organisations")
	// On a phone the table becomes cards: each cell names its column.
	if got := jsEval[string](b, `getComputedStyle(document.querySelector("#org-table tbody td"), "::before").content`); !strings.Contains(got, "ชื่อ") {
		b.fatalf("organisation cells have no column name on the phone: %s", got)
	}
	b.clickAndWait("#new-organisation")
	checkPage("new organisation")
	b.open("/users")
	checkPage("users")
	b.clickAndWait("#new-user")
	checkPage("new user")
	b.open("/profile")
	checkPage("profile")

	b.open("/places")
	for _, name := range []string{"กรุงเทพตะวันออก", "ลาดกระบัง", "คลองสามประเวศ"} {
		b.clickLinkAndWait("#place-children", name)
	}
	checkPage("places (sub-district)")
	b.screenshot("places-subdistrict-phone-th")
	b.clickAndWait("#add-community")
	checkPage("new community")
}
