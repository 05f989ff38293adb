// Termtem's service worker. It keeps the app shell (styles, scripts, icons
// and the offline page, none of which holds personal data) so that the app
// opens without a signal. Pages with personal data are never cached here:
// they come from the network or not at all; offline, the offline page reads
// the prepared visits from the browser's encrypted store.
// The server fills in the shell version below with a hash of the static files, so a
// new release replaces the old shell.
var SHELL = "termtem-shell-SHELL_VERSION";
var FILES = ["/offline", "/visits/offline", "/static/termtem.css", "/static/htmx.min.js", "/static/app.js", "/static/offline.js",
  "/static/flower.svg", "/static/icon.svg", "/static/icon-192.png", "/static/manifest.webmanifest"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(SHELL).then(function (c) { return c.addAll(FILES); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (e) {
  var r = e.request;
  if (r.method !== "GET") return;
  var u = new URL(r.url);
  if (u.origin !== location.origin) return;
  if (u.pathname.indexOf("/static/") === 0) {
    e.respondWith(caches.match(r).then(function (hit) { return hit || fetch(r); }));
  } else if (r.mode === "navigate") {
    // Online: the page itself, never stored. Offline: the page if it is
    // part of the shell (the offline visits), else the offline page.
    e.respondWith(fetch(r).catch(function () {
      return caches.match(u.pathname).then(function (hit) { return hit || caches.match("/offline"); });
    }));
  }
});

// A push names nobody: a short text and a link to the notices.
self.addEventListener("push", function (e) {
  var d = {};
  try { d = e.data ? e.data.json() : {}; } catch (_) { d = {}; }
  e.waitUntil(self.registration.showNotification(d.title || "แพลตฟอร์มเติมเต็ม", {
    body: d.body || "", icon: "/static/icon-192.png", tag: "termtem", data: { link: d.link || "/notifications" }
  }));
});

self.addEventListener("notificationclick", function (e) {
  e.notification.close();
  var link = (e.notification.data && e.notification.data.link) || "/notifications";
  if (link.charAt(0) !== "/" || link.charAt(1) === "/") link = "/notifications";
  e.waitUntil(self.clients.openWindow(link));
});
