// The workbench's own few lines (no inline scripts: the pages' CSP allows only these files).
// Files dropped on a drop zone go into its file input; the chosen files are listed by name.
(function () {
  "use strict";
  function list(zone) {
    var input = zone.querySelector("input[type=file]");
    var out = zone.querySelector("[data-chosen]");
    if (!input || !out) return;
    out.textContent = "";
    Array.prototype.forEach.call(input.files, function (f) {
      var li = document.createElement("li");
      li.textContent = f.name + "（" + Math.max(1, Math.round(f.size / 1024)) + " KB）";
      out.appendChild(li);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-drop]").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      input.addEventListener("change", function () { list(zone); });
      ["dragenter", "dragover"].forEach(function (kind) {
        zone.addEventListener(kind, function (e) { e.preventDefault(); zone.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (kind) {
        zone.addEventListener(kind, function () { zone.classList.remove("over"); });
      });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        if (e.dataTransfer && e.dataTransfer.files.length) {
          input.files = e.dataTransfer.files;
          list(zone);
        }
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (a) {
      a.addEventListener("click", function (e) { e.preventDefault(); window.print(); });
    });
  });
  // While an action runs its buttons are disabled, so a second click cannot start it twice.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.target.closest("form");
    if (form) form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.target.closest("form");
    if (form) form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
  });
})();
