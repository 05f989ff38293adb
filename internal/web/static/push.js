// Push notices on this device: the profile page's buttons subscribe the
// browser with the server's VAPID key and send the subscription to the
// server, or unsubscribe it. The list below them revokes any device.
(function () {
  var box = document.getElementById("push");
  if (!box) return;
  var on = document.getElementById("push-on"), off = document.getElementById("push-off"), state = document.getElementById("push-state");
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    document.getElementById("push-unsupported").hidden = false;
    return;
  }
  function say(key) { state.textContent = box.dataset[key]; state.hidden = false; }
  function key() {
    var s = box.dataset.key.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(s + "===".slice((s.length + 3) % 4));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function post(path, sub) {
    return fetch(path, { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(sub.toJSON ? sub.toJSON() : sub) }).then(function (r) { if (!r.ok) throw new Error(r.status); });
  }
  function show(sub) {
    on.hidden = !!sub; off.hidden = !sub;
    say(sub ? "isOn" : "isOff");
  }
  navigator.serviceWorker.ready.then(function (reg) {
    reg.pushManager.getSubscription().then(show);
    on.addEventListener("click", function () {
      Notification.requestPermission().then(function (perm) {
        if (perm !== "granted") { say("denied"); return; }
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key() })
          .then(function (sub) { return post("/profile/push", sub); })
          .then(function () { location.reload(); });
      }).catch(function () { say("failed"); });
    });
    off.addEventListener("click", function () {
      reg.pushManager.getSubscription().then(function (sub) {
        if (!sub) return show(null);
        return post("/profile/push/unsubscribe", sub).then(function () { return sub.unsubscribe(); }).then(function () { location.reload(); });
      }).catch(function () { say("failed"); });
    });
  });
})();
