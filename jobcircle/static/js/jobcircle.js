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
  // data-jc-map-load: a map whose library loads only when asked for (slow phones open the page without it).
  // data-jc-css is one stylesheet, data-jc-scripts the scripts to run in order (all from this server).
  function loadScripts(urls, done) {
    if (!urls.length) { done(); return; }
    var script = document.createElement("script");
    script.src = urls[0];
    script.onload = function () { loadScripts(urls.slice(1), done); };
    document.head.appendChild(script);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-jc-map-load]");
    if (!button || button.disabled) { return; }
    button.disabled = true;
    var box = document.querySelector(button.getAttribute("data-jc-map-load"));
    if (box) { box.hidden = false; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = button.getAttribute("data-jc-css");
    document.head.appendChild(css);
    loadScripts(button.getAttribute("data-jc-scripts").split(" ").filter(Boolean), function () { button.hidden = true; });
  });
  // data-jc-geolocate="URL": "use my location" — the browser's position (WGS-84) goes to URL?lat=&lng=;
  // the button shows only where the browser can locate.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-jc-geolocate]");
    if (!button) { return; }
    var status = document.querySelector("[data-jc-geolocate-status]");
    if (status) { status.textContent = "正在获取您的位置…"; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var url = button.getAttribute("data-jc-geolocate");
      window.location.href = url + "?lat=" + position.coords.latitude.toFixed(6) + "&lng=" + position.coords.longitude.toFixed(6);
    }, function () {
      if (status) { status.textContent = "没能获取位置（可能未允许定位），请输入社区（村）名称查找。"; }
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
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
    if (navigator.geolocation) {
      root.querySelectorAll("[data-jc-geolocate]").forEach(function (b) { b.hidden = false; });
    }
    root.querySelectorAll("[data-jc-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
