// The family self-assessment link carries its code in the fragment
// (/self#code=1234567890), which browsers never send to the server. Put it
// in the field, then take it out of the address bar and the history so
// that it is not left on a shared phone.
(function () {
  var m = /(?:^#|&)code=([0-9\u0E50-\u0E59 -]{1,24})/.exec(location.hash);
  if (!m) return;
  var field = document.getElementById("code");
  if (field && !field.value) field.value = m[1];
  history.replaceState(null, "", location.pathname + location.search);
})();
