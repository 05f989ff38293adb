package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"termtem/internal/store/storetest"
)

// The browser tests drive the real server with a real headless Chromium.
// Each test starts one browser (one allocator); tabs and separate browser
// contexts (own cookie jars, like a second device) are cheap within it.

const (
	browserTestTimeout = 5 * time.Minute
	browserStepTimeout = 15 * time.Second
)

// tab is one browser tab, logged in or not, pointed at a test server.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	root context.Context // the first tab: new tabs and browser contexts hang off it
}

// watchConsole fails the test, when it ends, if the tab's pages logged an
// error or threw an exception: a script the Content-Security-Policy blocks,
// a missing asset, a failing htmx request all show up there.
func watchConsole(ctx context.Context, t *testing.T, name string) {
	var mu sync.Mutex
	var bad []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || (m.Type == chromedp.ConsoleWarning && m.Source == "security") {
				// The server answers some pages with an error status on
				// purpose (a wrong password is a 401, a stale save a 412);
				// the browser logs those. A failed asset is a fault.
				if m.Source == "network" && strings.Contains(m.Text, "status of 4") && !strings.Contains(m.URL, "/static/") {
					continue
				}
				// Chromium logs a fetch of the manifest that a navigation or
				// reload cut short (seen on a loaded machine) as a syntax
				// error at its first character. The manifest itself is checked
				// whole, through DevTools, by TestBrowserInstallableApp.
				if m.Source == "other" && strings.HasPrefix(m.Text, "Manifest: Line: 1, column: 1,") && strings.HasSuffix(m.URL, "/static/manifest.webmanifest") {
					continue
				}
				// A request made in the test's own airplane mode (the offline
				// visit tests): the app expects it to fail.
				if m.Source == "network" && strings.Contains(m.Text, "ERR_INTERNET_DISCONNECTED") {
					continue
				}
				mu.Lock()
				bad = append(bad, fmt.Sprintf("%s %s: %s (%s:%d)", m.Type, m.Source, m.Text, m.URL, m.Line+1))
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range bad {
			t.Errorf("browser console (%s): %s", name, m)
		}
	})
}

// newBrowser starts Chromium for one test. The browser, its tabs and its
// profile directory go away when the test ends.
func newBrowser(t *testing.T, ts *testServer) *tab {
	t.Helper()
	execPath := os.Getenv("TERMTEM_TEST_CHROMIUM")
	if execPath == "" {
		execPath = "/usr/bin/chromium"
	}
	if _, err := os.Stat(execPath); err != nil {
		storetest.Skip(t, "no Chromium for the browser tests: "+err.Error())
	}
	// Chromium now and then dies while starting on this machine (its
	// wrapper script, a crash reporter): one more try, with a fresh profile,
	// tells that apart from a browser that cannot start at all.
	var tabCtx context.Context
	var err error
	for attempt := 1; attempt <= 2; attempt++ {
		if tabCtx, err = startChromium(t, execPath); err == nil {
			break
		}
		t.Logf("starting Chromium (%s), attempt %d: %v", execPath, attempt, err)
	}
	if err != nil {
		t.Fatalf("starting Chromium (%s): %v", execPath, err)
	}
	watchConsole(tabCtx, t, "first tab")
	rememberServer(ts)
	return &tab{t: t, ctx: tabCtx, base: ts.URL, root: tabCtx}
}

// startChromium starts a headless Chromium with a profile of its own, stopped
// and removed when the test ends.
func startChromium(t *testing.T, execPath string) (context.Context, error) {
	// Not t.TempDir: Chromium's helpers can write to the profile for a moment
	// after the browser stops, so removal is retried below.
	profile, err := os.MkdirTemp("", "termtem-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), browserTestTimeout)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.NoSandbox, // the tests may run as root
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// An English browser: the pages must still come in Thai first.
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(profile),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit
		cancel()
		for range 50 {
			if err := os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove %s", profile)
	})
	return tabCtx, chromedp.Do(tabCtx) // starts the browser
}

// newTab opens another tab in the same browser context: same cookies, as a
// second tab of the same person.
func (b *tab) newTab() *tab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("new tab: %v", err)
	}
	watchConsole(ctx, b.t, "second tab")
	return &tab{t: b.t, ctx: ctx, base: b.base, root: b.root}
}

// newDevice opens a tab in a fresh browser context: no cookies shared with
// the other tabs, as another person's device.
func (b *tab) newDevice() *tab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("new browser context: %v", err)
	}
	watchConsole(ctx, b.t, "other browser context")
	return &tab{t: b.t, ctx: ctx, base: b.base, root: b.root}
}

// fatalf fails the test with where the tab is and what it shows.
func (b *tab) fatalf(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("%s\n  at %s\n  page text: %.600q", fmt.Sprintf(format, args...), b.location(), b.bodyText())
}

// do runs steps with a timeout of their own, so that a missing element fails
// one step quickly instead of hanging until the test's deadline.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// open loads a path of the server and returns the HTTP status of the page.
func (b *tab) open(path string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// clickAndWait clicks a link or a submit button and waits for the page that
// the click loads; it returns that page's HTTP status (after redirects).
func (b *tab) clickAndWait(sel string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.fatalf("click %s: %v", sel, err)
	}
	if resp == nil {
		b.fatalf("click %s: no page loaded", sel)
	}
	return resp.Status
}

// clickLinkAndWait clicks the link inside scope whose text is exactly text.
func (b *tab) clickLinkAndWait(scope, text string) int64 {
	b.t.Helper()
	id := fmt.Sprintf("tt-link-%d", time.Now().UnixNano())
	found := jsEval[bool](b, fmt.Sprintf(`(() => {
		const a = [...document.querySelectorAll(%s + " a")].find(a => a.textContent.trim() === %s);
		if (!a) return false;
		a.id = %s;
		return true;
	})()`, jsString(scope), jsString(text), jsString(id)))
	if !found {
		b.fatalf("no link %q in %s", text, scope)
	}
	return b.clickAndWait("#" + id)
}

// fill replaces a field's value by typing, as a person would.
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	if !jsEval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e) return false; e.value = ""; return true; })()`, jsString(sel))) {
		b.fatalf("no field %s", sel)
	}
	b.do("type into "+sel, chromedp.Focus(chromedp.CSS(sel), chromedp.NodeVisible), typeText(value))
	if got := b.value(sel); got != value {
		b.fatalf("typed %q into %s, field holds %q", value, sel, got)
	}
}

// typeText types into the focused element: a key press per character, as a
// keyboard with a Thai layout sends it. chromedp's SendKeys cannot be used
// for Thai: its key table gives some code points a second meaning (U+0E02,
// the letter ข, is its AudioBassBoostToggle key), and those letters vanish.
func typeText(s string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range s {
			if r < 0x80 {
				if _, err := chromedp.KeyEvent(string(r))(ctx, t); err != nil {
					return err
				}
				continue
			}
			for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeChar, input.DispatchKeyEventTypeKeyUp} {
				p := input.DispatchKeyEventParams{Type: typ, Key: "Unidentified"}
				if typ == input.DispatchKeyEventTypeChar {
					p.Text, p.UnmodifiedText = string(r), string(r)
				}
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, p); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// choose picks the option of a <select> whose text contains label and fires
// the input and change events that a person's pick fires (htmx listens for
// them); it returns the option's value. Headless Chromium has no native
// drop-down to click in.
func (b *tab) choose(sel, label string) string {
	b.t.Helper()
	v := jsEval[*string](b, fmt.Sprintf(`(() => {
		const s = document.querySelector(%s);
		if (!s) return null;
		const o = [...s.options].find(o => o.textContent.includes(%s));
		if (!o) return null;
		s.value = o.value;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return o.value;
	})()`, jsString(sel), jsString(label)))
	if v == nil {
		b.fatalf("no option %q in %s", label, sel)
	}
	return *v
}

// check ticks a checkbox by clicking it.
func (b *tab) check(sel string) {
	b.t.Helper()
	if jsEval[bool](b, fmt.Sprintf(`document.querySelector(%s).checked`, jsString(sel))) {
		return
	}
	b.do("tick "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if !jsEval[bool](b, fmt.Sprintf(`document.querySelector(%s).checked`, jsString(sel))) {
		b.fatalf("%s did not become ticked", sel)
	}
}

// text returns the visible text of the first element matching sel, or ""
// when there is none. It does not wait.
func (b *tab) text(sel string) string {
	b.t.Helper()
	s := jsEval[*string](b, fmt.Sprintf(`document.querySelector(%s)?.innerText ?? null`, jsString(sel)))
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

// texts returns the visible texts of every element matching sel.
func (b *tab) texts(sel string) []string {
	b.t.Helper()
	return jsEval[[]string](b, fmt.Sprintf(`[...document.querySelectorAll(%s)].map(e => e.innerText.trim())`, jsString(sel)))
}

// has reports whether an element matching sel is on the page.
func (b *tab) has(sel string) bool {
	b.t.Helper()
	return jsEval[bool](b, fmt.Sprintf(`document.querySelector(%s) !== null`, jsString(sel)))
}

// value returns the current value of a form field.
func (b *tab) value(sel string) string {
	b.t.Helper()
	s := jsEval[*string](b, fmt.Sprintf(`document.querySelector(%s)?.value ?? null`, jsString(sel)))
	if s == nil {
		b.fatalf("no field %s", sel)
	}
	return *s
}

// jsAttr returns an attribute of the first element matching sel.
func (b *tab) jsAttr(sel, name string) string {
	b.t.Helper()
	s := jsEval[*string](b, fmt.Sprintf(`document.querySelector(%s)?.getAttribute(%s) ?? null`, jsString(sel), jsString(name)))
	if s == nil {
		return ""
	}
	return *s
}

// selectedText returns the text of the chosen option of a <select>.
func (b *tab) selectedText(sel string) string {
	b.t.Helper()
	s := jsEval[*string](b, fmt.Sprintf(`document.querySelector(%s)?.selectedOptions[0]?.textContent ?? null`, jsString(sel)))
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

// path is the current path and query.
func (b *tab) path() string {
	b.t.Helper()
	return jsEval[string](b, `location.pathname + location.search`)
}

// lang is the language the page declares on <html>.
func (b *tab) lang() string {
	b.t.Helper()
	return jsEval[string](b, `document.documentElement.lang`)
}

func (b *tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return s
}

func (b *tab) bodyText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return s
}

// waitFor polls a JavaScript condition until it holds.
func (b *tab) waitFor(what, cond string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.fatalf("waiting for %s (%s): %v", what, cond, err)
	}
}

// login fills the login form of the current page and submits it.
func (b *tab) login(username, password string) int64 {
	b.t.Helper()
	if !strings.HasPrefix(b.path(), "/login") {
		b.open("/login")
	}
	b.fill("#username", username)
	b.fill("#password", password)
	status := b.clickAndWait("#login-submit")
	if b.path() == "/login/mfa" {
		// A role that sees sensitive notes: the code of its authenticator.
		return b.enterTOTP(username)
	}
	return status
}

// screenshot saves a full-page PNG in $TERMTEM_SCREENSHOTS, or in the
// test's temporary directory, and returns its path.
func (b *tab) screenshot(name string) string {
	b.t.Helper()
	dir := os.Getenv("TERMTEM_SCREENSHOTS")
	if dir == "" {
		dir = b.t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fatalf("screenshot %s: %v", name, err)
	}
	if len(png) < 1000 {
		b.fatalf("screenshot %s: only %d bytes", name, len(png))
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", file)
	return file
}

// jsEval evaluates a JavaScript expression in the tab and decodes its value.
func jsEval[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v\n  at %s", expr, err, b.location())
	}
	return v
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// Message texts of the UI, copied from internal/locale: the tests check
// what people read, so a changed text is a changed test.
const (
	thBadLogin        = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
	thLogout          = "ออกจากระบบ"
	thLoggedOut       = "ออกจากระบบแล้ว"
	thSaved           = "บันทึกแล้ว"
	thStale           = "มีผู้อื่นแก้ไขรายการนี้ก่อนคุณ โปรดโหลดหน้าใหม่แล้วแก้ไขอีกครั้ง"
	thPasswordShort   = "รหัสผ่านต้องยาวอย่างน้อย 8 ตัวอักษร"
	thPasswordChanged = "เปลี่ยนรหัสผ่านแล้ว อุปกรณ์อื่นที่เข้าระบบไว้ถูกออกจากระบบ"
	thCurrentWrong    = "รหัสผ่านปัจจุบันไม่ถูกต้อง"
	thMismatch        = "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน"
)
