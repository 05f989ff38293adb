// Makes Termtem an installable app: registers the service worker, which
// keeps the app shell for use without a signal. Pages work without it.
(function () {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
})();
