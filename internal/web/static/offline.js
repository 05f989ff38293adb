// Offline home visits. The households prepared for today are kept in
// IndexedDB encrypted with AES-GCM under a key the server releases only to
// the worker's login and only until it expires; the key is stored as a
// non-extractable CryptoKey, so the page can use it but not read it out.
// What the worker records offline is queued, encrypted too, and sent to
// the server's sync endpoint when there is a signal; the server applies it
// with the same rules as the online forms. Expiry, logout (the server's
// Clear-Site-Data) and a revoked device wipe everything.
(function () {
  var root = document.getElementById("ov");
  if (!root || !window.indexedDB || !window.crypto || !crypto.subtle) return;
  var T = root.dataset, DB = "termtem-offline", kit = null, data = null, queue = [];
  var $ = function (id) { return document.getElementById(id); };
  function msg(key, n, t) { return (T[key] || "").replace("%n", n).replace("%t", t); }

  // --- storage -------------------------------------------------------
  function open() {
    return new Promise(function (res, rej) {
      var r = indexedDB.open(DB, 1);
      r.onupgradeneeded = function () { r.result.createObjectStore("kv"); };
      r.onsuccess = function () { res(r.result); };
      r.onerror = function () { rej(r.error); };
    });
  }
  function tx(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (res, rej) {
        var t = db.transaction("kv", mode), out = fn(t.objectStore("kv"));
        t.oncomplete = function () { db.close(); res(out && out.result); };
        t.onerror = function () { db.close(); rej(t.error); };
      });
    });
  }
  function get(k) { return tx("readonly", function (s) { return s.get(k); }); }
  function put(k, v) { return tx("readwrite", function (s) { s.put(v, k); }); }
  function wipe() {
    kit = null; data = null; queue = [];
    return new Promise(function (res) {
      var r = indexedDB.deleteDatabase(DB);
      r.onsuccess = r.onerror = r.onblocked = function () { res(); };
    });
  }
  function seal(obj) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, kit.key, new TextEncoder().encode(JSON.stringify(obj)))
      .then(function (ct) { return { iv: iv, ct: ct }; });
  }
  function unseal(box) {
    if (!box) return Promise.resolve(null);
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv }, kit.key, box.ct)
      .then(function (pt) { return JSON.parse(new TextDecoder().decode(pt)); });
  }
  function saveQueue() { return seal(queue).then(function (b) { return put("queue", b); }); }

  // --- talking to the server -------------------------------------------
  function call(path, body) {
    var opt = { credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body) { opt.method = "POST"; opt.headers["Content-Type"] = "application/json"; opt.body = JSON.stringify(body); }
    return fetch(path, opt).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { j.status = r.status; return j; });
    });
  }
  // A refused key means the device must forget everything.
  function refused(j) {
    if (j.status === 403 || j.status === 404) {
      return wipe().then(function () { show(j.error || T.wiped); render(); return true; });
    }
    if (j.status === 401) { show(j.error || T.login); return Promise.resolve(true); }
    return Promise.resolve(false);
  }
  function prepare(id) {
    return call("/visits/kits/" + id + "/key").then(function (k) {
      if (k.status !== 200) return refused(k);
      var raw = Uint8Array.from(atob(k.key), function (c) { return c.charCodeAt(0); });
      return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]).then(function (key) {
        var old = queue;
        kit = { id: id, expiresAt: Date.parse(k.expires_at), key: key };
        return call("/visits/kits/" + id + "/data").then(function (d) {
          if (d.status !== 200) return refused(d);
          data = d.households; queue = old || [];
          return seal(data).then(function (b) {
            arm();
            return put("kit", kit).then(function () { return put("data", b); }).then(saveQueue);
          });
        });
      });
    });
  }
  var tries = 0;
  function sync() {
    if (!kit || !navigator.onLine) return Promise.resolve();
    return call("/visits/kits/" + kit.id + "/key").then(function (k) {
      if (k.status !== 200) return refused(k);
      if (!queue.length) return refresh();
      return call("/visits/kits/" + kit.id + "/sync", { changes: queue }).then(function (j) {
        if (j.status !== 200) return refused(j);
        var done = {}, sent = 0, conflicts = 0, problems = [];
        j.results.forEach(function (r) {
          done[r.id] = true;
          if (r.status === "applied") sent++;
          if (r.status === "conflict") conflicts += (r.conflicts || []).length;
          if (r.status === "refused") problems.push(r.message);
        });
        queue = queue.filter(function (c) { return !done[c.id]; });
        return saveQueue().then(refresh).then(function () {
          status(msg("synced", sent));
          if (conflicts) { $("ov-conflicts").hidden = false; $("ov-conflicts").textContent = msg("conflicts", conflicts); }
          if (problems.length) show(problems.join(" · "));
        });
      });
    }).then(function () { tries = 0; }, function () {
      // The signal is often back before the connection is usable: try again
      // a few times, then wait for the next online event or button press.
      status(T.down);
      if (navigator.onLine && ++tries < 6) setTimeout(sync, 2000 * tries);
    });
  }
  // The households as the server has them now (new versions after sync).
  function refresh() {
    return call("/visits/kits/" + kit.id + "/data").then(function (d) {
      if (d.status !== 200) return refused(d);
      data = d.households;
      return seal(data).then(function (b) { return put("data", b); }).then(render);
    });
  }

  // --- the page ----------------------------------------------------------
  function status(s) { $("ov-status").textContent = s; }
  function show(s) { $("ov-message").textContent = s; $("ov-message").hidden = !s; }
  function net() { $("ov-net").textContent = navigator.onLine ? T.up : T.down; }
  function today() { var d = new Date(); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 10); }
  function enqueue(change) {
    change.id = crypto.randomUUID();
    // A later edit of the same household replaces the earlier one: both
    // start from the version the phone had.
    if (change.kind === "household") {
      queue = queue.filter(function (c) { return !(c.kind === "household" && c.household_id === change.household_id); });
    }
    queue.push(change);
    return saveQueue().then(function () { status(T.saved); render(); return sync(); });
  }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; }
  function questions(box, h, family) {
    var q = $("ov-question");
    (h.indicators || []).filter(function (i) { return !family || i.family; }).forEach(function (ind) {
      var f = q.content.firstElementChild.cloneNode(true);
      f.querySelector("legend").textContent = ind.question;
      ind.options.forEach(function (o) {
        var l = el("label"), r = el("input");
        r.type = "radio"; r.name = ind.code; r.value = o.code;
        l.appendChild(r); l.appendChild(document.createTextNode(" " + o.label));
        f.querySelector(".ov-options").appendChild(l);
      });
      box.appendChild(f);
    });
    return box.children.length;
  }
  function render() {
    var list = $("ov-households");
    list.textContent = "";
    $("ov-empty").hidden = !!(kit && data && data.length);
    $("ov-queue").textContent = queue.length ? msg("queued", queue.length) : "";
    if (!kit || !data) return;
    status(msg("until", "", new Date(kit.expiresAt).toLocaleString(T.lang === "th" ? "th-TH" : "en-GB")));
    data.forEach(function (h, i) {
      var s = $("ov-household").content.firstElementChild.cloneNode(true);
      s.id = "ov-h-" + i;
      s.querySelector(".ov-title").textContent = h.address || (h.members[0] && h.members[0].name) || h.community;
      s.querySelector(".ov-community").textContent = h.community;
      h.members.forEach(function (m) { s.querySelector(".ov-members").appendChild(el("li", m.name + (m.age ? " · " + m.age : ""))); });
      var visit = s.querySelector(".ov-visit");
      visit.visited_on.value = today();
      visit.addEventListener("submit", function (e) {
        e.preventDefault();
        enqueue({ kind: "visit", household_id: h.id, visited_on: visit.visited_on.value, note: visit.note.value });
      });
      var edit = s.querySelector(".ov-edit"), mine = queue.filter(function (c) { return c.kind === "household" && c.household_id === h.id; })[0];
      edit.address.value = mine ? mine.new.address : h.address;
      edit.situation.value = mine ? mine.new.situation : h.situation;
      edit.addEventListener("submit", function (e) {
        e.preventDefault();
        enqueue({ kind: "household", household_id: h.id, base_version: h.version, base: { address: h.address, situation: h.situation },
          new: { address: edit.address.value, situation: edit.situation.value } });
      });
      Array.prototype.forEach.call(s.querySelectorAll(".ov-assess:not([data-child])"), function (form) {
        if (!questions(form.querySelector(".ov-questions"), h, !!form.dataset.family)) form.closest("details").hidden = true;
        form.addEventListener("submit", function (e) {
          e.preventDefault();
          var answers = {};
          Array.prototype.forEach.call(form.querySelectorAll("input:checked"), function (r) { answers[r.name] = r.value; });
          enqueue({ kind: "assessment", household_id: h.id, source: form.dataset.source, answers: answers });
        });
      });
      h.members.forEach(function (m, j) { if (m.id) s.querySelector(".ov-children").appendChild(child(h, m, "ov-c-" + i + "-" + j)); });
      list.appendChild(s);
    });
  }
  // A child the worker may open: a service record (growth, vaccination,
  // DSPM screening, home visit) and the child's own flower.
  function child(h, m, id) {
    var c = $("ov-child").content.firstElementChild.cloneNode(true), rec = c.querySelector(".ov-record");
    c.id = id;
    c.querySelector(".ov-child-name").textContent = m.name + (m.age ? " · " + m.age : "");
    if (!h.records) rec.closest("details").hidden = true;
    rec.occurred_on.value = today();
    function kind() {
      Array.prototype.forEach.call(rec.querySelectorAll("[data-kind]"), function (box) {
        box.hidden = box.dataset.kind !== rec.record_kind.value;
        Array.prototype.forEach.call(box.querySelectorAll("input, select"), function (f) { f.disabled = box.hidden; });
      });
      rec.note.required = rec.record_kind.value === "home_visit";
    }
    rec.record_kind.addEventListener("change", kind);
    kind();
    rec.addEventListener("submit", function (e) {
      e.preventDefault();
      var k = rec.record_kind.value, d = { note: rec.note.value };
      function num(n) { return rec[n].value === "" ? 0 : Number(rec[n].value); }
      if (k === "growth") { d.weight_kg = num("weight_kg"); d.height_cm = num("height_cm"); d.head_cm = num("head_cm"); }
      if (k === "vaccination") { d.vaccine = rec.vaccine.value; d.dose = num("dose"); }
      if (k === "development_screening") {
        d.screening_age = num("screening_age");
        d.domains = { gm: rec.gm.value, fm: rec.fm.value, rl: rec.rl.value, el: rec.el.value, ps: rec.ps.value };
      }
      enqueue({ kind: "record", household_id: h.id, person_id: m.id, record_kind: k, occurred_on: rec.occurred_on.value, data: d });
    });
    var flower = c.querySelector(".ov-assess");
    if (!questions(flower.querySelector(".ov-questions"), m, false)) flower.closest("details").hidden = true;
    flower.addEventListener("submit", function (e) {
      e.preventDefault();
      var answers = {};
      Array.prototype.forEach.call(flower.querySelectorAll("input:checked"), function (r) { answers[r.name] = r.value; });
      enqueue({ kind: "assessment", household_id: h.id, person_id: m.id, source: "staff", answers: answers });
    });
    return c;
  }
  // Wipe when the key's life ends, whether or not there is a signal.
  var timer = 0;
  function arm() {
    clearTimeout(timer);
    timer = setTimeout(function () { wipe().then(function () { show(T.expired); render(); }); }, Math.min(kit.expiresAt - Date.now(), 2147483647));
  }
  function load() {
    return get("kit").then(function (k) {
      if (!k) return;
      kit = k;
      if (Date.now() >= kit.expiresAt) return wipe().then(function () { show(T.expired); });
      arm();
      return get("data").then(unseal).then(function (d) { data = d; return get("queue").then(unseal); })
        .then(function (q) { queue = q || []; });
    });
  }

  window.addEventListener("online", function () { net(); sync(); });
  window.addEventListener("offline", net);
  $("ov-sync").addEventListener("click", function () { sync(); });
  net();
  var m = /^#kit=([0-9a-f-]{36})$/.exec(location.hash);
  load().then(function () {
    if (!m) return;
    history.replaceState(null, "", location.pathname);
    return prepare(m[1]);
  }).then(function () { render(); return sync(); })
    .then(function () { root.dataset.ready = "1"; })
    .catch(function () { show(T.failed); root.dataset.ready = "1"; });
})();
