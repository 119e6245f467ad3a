// Small progressive enhancements; every page works without them. Loaded as a file: the CSP
// forbids inline scripts.
(function () {
  "use strict";
  function init(root) {
    root.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    root.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { ev.preventDefault(); }
      });
    });
    var summary = root.querySelector("[data-focus]");
    if (summary) { summary.focus(); }
    // Show the outcome fields only when "closed" is chosen.
    root.querySelectorAll("[data-closing-select]").forEach(function (select) {
      var target = document.getElementById(select.getAttribute("data-closing-select"));
      function sync() { if (target) { target.hidden = select.value !== "closed"; } }
      select.addEventListener("change", sync);
      sync();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (ev) { init(ev.target); });
})();
