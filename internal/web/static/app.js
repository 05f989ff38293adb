// Makes Termtem an installable app: registers the service worker, which
// keeps the app shell for use without a signal. Pages work without it.
(function () {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
})();

// A form's one-time nonce (templates/_form_once.html): the page's own,
// unless going back put the first sending's back in the field. The
// browser keeps a field's value for going back only when it differs from
// the page's, so the field starts empty and is filled here.
(function () {
  var fields = document.querySelectorAll("input[data-form-once]");
  for (var i = 0; i < fields.length; i++) {
    if (!fields[i].value) fields[i].value = fields[i].getAttribute("data-form-once");
  }
})();
