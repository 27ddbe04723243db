// The upload's progress page: asks the small status endpoint where the import is, moves the
// <progress> bar and the status text (a live region, read out by screen readers), and shows
// the result by loading the page again once the import has finished.
(function () {
  "use strict";
  var box = document.getElementById("upload-progress");
  if (!box || box.dataset.finished === "1") return;
  var bar = document.getElementById("upload-bar");
  var text = document.getElementById("upload-step");
  var url = box.dataset.statusUrl;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        bar.max = s.steps;
        bar.value = s.step;
        bar.textContent = s.step + "/" + s.steps;
        var line = s.step_label + ": " + s.label;
        if (text.textContent !== line) text.textContent = line;
        if (s.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
