// Copy buttons: a button with data-copy="ID" copies the value of the
// element with that ID (a new token, shown once) and says so for screen
// readers. Without JavaScript the button stays hidden and the field can be
// selected and copied by hand.
(function () {
  document.querySelectorAll("button[data-copy]").forEach(function (b) {
    var field = document.getElementById(b.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        var s = document.getElementById(b.id.replace(/-copy$/, "-copied"));
        if (s) s.textContent = b.getAttribute("data-copied");
      }, function () {
        field.select();
      });
    });
  });
})();
