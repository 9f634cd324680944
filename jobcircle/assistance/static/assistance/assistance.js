/* Casework screens. Hooks are data-jc-* attributes; no inline scripts (CSP). */
(function () {
  "use strict";

  // Import batch page: poll the progress endpoint and move the bar; reload when the batch is done.
  function pollProgress(box) {
    var url = box.getAttribute("data-jc-progress-url");
    var bar = box.querySelector("[data-jc-progress-bar]");
    var message = box.querySelector("[data-jc-progress-message]");
    var state = box.querySelector("[data-jc-progress-state]");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
          if (message && data.message) { message.textContent = data.message; }
          if (state) { state.textContent = data.state_label; }
          if (data.finished) { window.location.reload(); } else { window.setTimeout(tick, 1000); }
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    window.setTimeout(tick, 500);
  }

  // Monthly monitoring form: show the questions that apply to the chosen employment status.
  var WORKING = ["employed", "flexible"];
  function toggleMonitoring(form) {
    var select = form.querySelector("select[name=employment_status]");
    if (!select) { return; }
    function apply() {
      var value = select.value;
      form.querySelectorAll("[data-jc-show-when]").forEach(function (group) {
        var when = group.getAttribute("data-jc-show-when");
        var show = !value || (when === "working" ? WORKING.indexOf(value) >= 0 : value === when);
        group.hidden = !show;
      });
    }
    select.addEventListener("change", apply);
    // Answers to questions that do not apply are not sent (they would contradict the status).
    form.addEventListener("submit", function () {
      form.querySelectorAll("[data-jc-show-when][hidden] input, [data-jc-show-when][hidden] select").forEach(function (input) {
        input.value = "";
      });
    });
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-jc-progress-url]").forEach(pollProgress);
    document.querySelectorAll("[data-jc-monitoring-form]").forEach(toggleMonitoring);
  });
})();
