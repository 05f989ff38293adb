package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// networkConditions are the parameters of DevTools'
// Network.emulateNetworkConditions, which cdproto no longer lists but
// Chromium still serves; offline=true is a phone in airplane mode.
type networkConditions struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

var emulateNetworkConditions = cdp.Command[networkConditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

// workerSessions are the DevTools sessions attached to service workers.
var workerSessions = map[target.ID]context.Context{}

// setOnline switches the tab's network off (airplane mode) or on: its
// service workers first (requests their page leaves to the network go out
// under the worker's conditions), then the page, whose navigator.onLine and
// online/offline events follow.
func (b *tab) setOnline(online bool) {
	b.t.Helper()
	set := func(ctx context.Context, t *chromedp.Target, navigator bool) error {
		if _, err := cdp.Call(ctx, t, cdp.Command[cdp.Empty, cdp.Empty]{Method: "Network.enable"}, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, emulateNetworkConditions, networkConditions{Offline: !online, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
			return err
		}
		if !navigator {
			return nil
		}
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: !online, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}
	targets, err := chromedp.Targets(b.ctx)
	if err != nil {
		b.t.Fatal(err)
	}
	// This tab's browser context: another device's workers are left alone.
	var mine cdp.BrowserContextID
	for _, ti := range targets {
		if c := chromedp.FromContext(b.ctx); c != nil && c.Target != nil && ti.TargetID == c.Target.TargetID {
			mine = ti.BrowserContextID
		}
	}
	for _, ti := range targets {
		if ti.Type != "service_worker" || ti.BrowserContextID != mine {
			continue
		}
		// One session per worker for the whole test: its conditions last
		// as long as the session does.
		swCtx, ok := workerSessions[ti.TargetID]
		if !ok {
			var cancel context.CancelFunc
			swCtx, cancel = chromedp.NewContext(b.ctx, chromedp.WithTargetID(ti.TargetID))
			workerSessions[ti.TargetID] = swCtx
			b.t.Cleanup(func() { cancel(); delete(workerSessions, ti.TargetID) })
		}
		if err := chromedp.Do(swCtx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error { return set(ctx, t, false) })); err != nil {
			b.t.Fatalf("service worker network: %v", err)
		}
	}
	b.do("network online="+map[bool]string{true: "on", false: "off"}[online], chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		return set(ctx, t, true)
	}))
}

// openOffline navigates without waiting for a response (there is none from
// the network when offline: the service worker answers).
func (b *tab) navigate(path string) {
	b.t.Helper()
	b.do("navigate "+path, chromedp.Navigate(b.base+path))
}

// TestBrowserInstallableApp: the manifest is read without errors, the
// service worker takes control, and in airplane mode a page the worker has
// not prepared shows the offline page rather than the browser's error.
func TestBrowserInstallableApp(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-P1")
	ts.addUser(t, "pwa.nurse", "health_staff", "HC-P1", testPassword)
	b := newBrowser(t, ts)
	b.login("pwa.nurse", testPassword)

	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	m, err := chromedp.Run(ctx, chromedp.Action[page.GetAppManifestResult](func(ctx context.Context, t *chromedp.Target) (page.GetAppManifestResult, error) {
		return cdp.Call(ctx, t, page.GetAppManifest, page.GetAppManifestParams{})
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Errors) > 0 || m.Manifest == nil || m.Manifest.Name != "แพลตฟอร์มเติมเต็ม" || m.Manifest.Display != "kStandalone" || len(m.Manifest.Icons) < 3 {
		t.Fatalf("manifest %s: errors %v, %+v", m.URL, m.Errors, m.Manifest)
	}

	b.waitFor("service worker ready", `navigator.serviceWorker.controller !== null || (navigator.serviceWorker.ready.then(() => location.reload()), false)`)
	b.waitFor("shell cached", `(async () => { const ks = await caches.keys(); if (!ks.length) return false;
		const c = await caches.open(ks[0]); return !!(await c.match("/offline")) && !!(await c.match("/static/termtem.css")); })()`)

	b.setOnline(false)
	b.navigate("/people")
	b.waitFor("offline page", `document.querySelector("h1") && document.querySelector("h1").textContent === "ไม่มีสัญญาณอินเทอร์เน็ต"`)
	if b.has("#nav-people") || b.has(".who") {
		b.fatalf("offline page shows a menu or a name")
	}
	b.setOnline(true)
	b.navigate("/people")
	b.waitFor("people page back", `location.pathname === "/people" && !!document.querySelector("#nav-people")`)
}

// settle waits until a JavaScript condition holds on whatever page the tab
// shows, through the page loads a script starts (a poll alone fails when
// its page goes away).
func (b *tab) settle(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(browserStepTimeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond, chromedp.EvalAwaitPromise))
		cancel()
		if err == nil && ok {
			return
		}
		select {
		case <-b.ctx.Done():
			b.fatalf("waiting for %s: %v", what, b.ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	b.fatalf("waiting for %s (%s): not within %s", what, cond, browserStepTimeout)
}
