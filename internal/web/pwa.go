package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"sort"
)

func init() {
	// Not in Go's table: browsers want the manifest's own type.
	_ = mime.AddExtensionType(".webmanifest", "application/manifest+json")
}

// shellVersion is a hash of every static file: the service worker names its
// cache after it, so a release with changed files replaces the old shell.
var shellVersion = func() string {
	sum := sha256.New()
	var names []string
	_ = fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return nil
	})
	sort.Strings(names)
	for _, n := range names {
		b, _ := staticFS.ReadFile(n)
		sum.Write([]byte(n))
		sum.Write(b)
	}
	return hex.EncodeToString(sum.Sum(nil))[:16]
}()

// wipeDevice tells the browser to delete everything this site stored on the
// device — the encrypted offline visits (IndexedDB), the app shell's cache
// and the service worker — so that nothing is left on a shared phone after
// logging out.
func wipeDevice(w http.ResponseWriter) {
	w.Header().Set("Clear-Site-Data", `"cache", "storage"`)
}

// ServiceWorker serves the service worker from the root, so that its scope
// is the whole site; it is re-checked on every visit (no-cache) so that a
// new release takes over promptly.
func (h *Handler) ServiceWorker(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/sw.js")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b = bytes.Replace(b, []byte("SHELL_VERSION"), []byte(shellVersion), 1)
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Service-Worker-Allowed", "/")
	_, _ = w.Write(b)
}

// Offline is the page the service worker shows when there is no signal. It
// is rendered for nobody in particular (no name in the header): the service
// worker keeps a copy of it.
func (h *Handler) Offline(w http.ResponseWriter, r *http.Request) {
	v := h.view(r, "offline.title", nil)
	v.Principal = nil
	h.render(w, r, http.StatusOK, "offline", v)
}
