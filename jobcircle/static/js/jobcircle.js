/* JobCircle behaviours. Hooks are data-jc-* attributes; no inline scripts or handlers (CSP, SEC-27). */
(function () {
  "use strict";

  // Visible progress for anything that may take more than two seconds: a form or link with
  // data-jc-busy shows its .busy element and disables its buttons while the request runs.
  function showBusy(container) {
    var busy = container.querySelector(".busy") || document.querySelector(container.getAttribute("data-jc-busy-target") || "#none");
    if (busy) { busy.classList.add("is-active"); busy.setAttribute("aria-hidden", "false"); }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-jc-busy")) { return; }
    showBusy(form);
    var buttons = form.querySelectorAll("button[type=submit]");
    // Disable after the submit has been dispatched so the clicked button's name/value is still sent.
    window.setTimeout(function () { buttons.forEach(function (b) { b.disabled = true; }); }, 0);
    if (form.hasAttribute("data-jc-download")) {
      // Downloads do not navigate away: re-enable once the file has had time to arrive.
      window.setTimeout(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        var busy = form.querySelector(".busy"); if (busy) { busy.classList.remove("is-active"); }
      }, 6000);
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-jc-busy]");
    if (link) { showBusy(link.parentElement); }
    var confirmer = event.target.closest("[data-jc-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-jc-confirm"))) { event.preventDefault(); }
  });

  // Selects that filter a list submit their form on change (the button stays for keyboard users).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-jc-autosubmit]")) { event.target.form.requestSubmit(); }
  });

  // "获取验证码" countdown: data-jc-countdown="60" on the send button after a code was sent.
  function countdown(button) {
    var left = parseInt(button.getAttribute("data-jc-countdown"), 10);
    if (!left || left <= 0) { return; }
    var label = button.textContent;
    button.disabled = true;
    var timer = window.setInterval(function () {
      left -= 1;
      button.textContent = left > 0 ? left + "秒后可重新获取" : label;
      if (left <= 0) { button.disabled = false; window.clearInterval(timer); }
    }, 1000);
    button.textContent = left + "秒后可重新获取";
  }
  function init(root) {
    root.querySelectorAll("[data-jc-countdown]").forEach(countdown);
    root.querySelectorAll("[data-jc-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
