package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// homeBudget is the most the home page may weigh on first load: its HTML
// and every same-origin file it loads (styles, scripts, icons, manifest),
// uncompressed. Frontline workers open it on low-end phones over weak
// signals.
const homeBudget = 100 * 1024

// subresources lists the same-origin files a page loads: scripts, linked
// files (style sheet, icons, manifest) and images.
func subresources(t *testing.T, page string) []string {
	t.Helper()
	var out []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			want := map[string]string{"script": "src", "link": "href", "img": "src"}[tok.Data]
			for _, a := range tok.Attr {
				if want != "" && a.Key == want && strings.HasPrefix(a.Val, "/") && !strings.HasPrefix(a.Val, "//") {
					out = append(out, a.Val)
				}
			}
		}
	}
}

// TestHomePageWeight measures the bytes of the home page, as a case
// manager with the most tiles sees it, and of its same-origin subresources,
// and fails above the budget. A byte count, not a timing: it does not
// depend on the machine.
func TestHomePageWeight(t *testing.T) {
	ts := startServer(t, testEnv(t))
	ts.addOrganisation(t, "HC-W1")
	ts.addUser(t, "weigh.manager", "case_manager", "HC-W1", testPassword)
	c := newClient(t, ts.URL)
	if resp, _ := login(t, c, "weigh.manager", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	resp, page := c.get(t, "/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="home-inbox"`) {
		t.Fatalf("home: %d", resp.StatusCode)
	}
	total := len(page)
	files := subresources(t, page)
	for _, want := range []string{"/static/termtem.css", "/static/htmx.min.js", "/static/app.js", "/static/manifest.webmanifest"} {
		if !contains(files, want) {
			t.Errorf("home page does not load %s (loads %v)", want, files)
		}
	}
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f] {
			continue
		}
		seen[f] = true
		resp, body := c.get(t, f, nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", f, resp.StatusCode)
		}
		t.Logf("%6d bytes  %s", len(body), f)
		total += len(body)
	}
	t.Logf("home page: %d bytes of HTML, %d bytes in all with %d files (budget %d)", len(page), total, len(seen), homeBudget)
	if total > homeBudget {
		t.Errorf("home page weighs %d bytes on first load, over the budget of %d", total, homeBudget)
	}
}

// The manifest makes the app installable: Thai name, standalone, icons that
// exist; the service worker is served from the root with the whole site as
// its scope, and the offline page needs no account.
func TestManifestAndServiceWorker(t *testing.T) {
	ts := startServer(t, testEnv(t))
	c := newClient(t, ts.URL)
	resp, body := c.get(t, "/static/manifest.webmanifest", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var m struct {
		Name, ShortName, StartURL, Display, Lang string
		Icons                                    []struct{ Src, Sizes, Type string }
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(raw["name"], &m.Name)
	_ = json.Unmarshal(raw["short_name"], &m.ShortName)
	_ = json.Unmarshal(raw["start_url"], &m.StartURL)
	_ = json.Unmarshal(raw["display"], &m.Display)
	_ = json.Unmarshal(raw["lang"], &m.Lang)
	_ = json.Unmarshal(raw["icons"], &m.Icons)
	if m.Name != "แพลตฟอร์มเติมเต็ม" || m.ShortName != "เติมเต็ม" || m.StartURL != "/" || m.Display != "standalone" || m.Lang != "th" {
		t.Errorf("manifest %+v", m)
	}
	sizes := map[string]bool{}
	for _, ic := range m.Icons {
		resp, body := c.get(t, ic.Src, nil)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ic.Type) || len(body) == 0 {
			t.Errorf("icon %s: %d %s", ic.Src, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		sizes[ic.Sizes] = true
	}
	if !sizes["192x192"] || !sizes["512x512"] {
		t.Errorf("icons for install need 192 and 512 px: %v", sizes)
	}
	resp, body = c.get(t, "/sw.js", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") ||
		resp.Header.Get("Service-Worker-Allowed") != "/" || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("sw.js: %d %v", resp.StatusCode, resp.Header)
	}
	if strings.Contains(body, "SHELL_VERSION") || !strings.Contains(body, `"/offline"`) {
		t.Errorf("sw.js shell version not filled in or offline page not kept")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("sw.js CSP %q", csp)
	}
	resp, body = c.get(t, "/offline", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ไม่มีสัญญาณอินเทอร์เน็ต") {
		t.Fatalf("offline page: %d", resp.StatusCode)
	}
}
