// Live progress of an import: the page's [data-import-events] element names
// a server-sent events stream; each "progress" event updates the bar and the
// counts, and the last one reloads the page to show the final report.
// Loaded on every page (scripts inside boosted page swaps do not run); it
// does nothing where there is no such element.
(function () {
  if (window.tandemImportWatch) return;
  window.tandemImportWatch = true;

  function text(sel, value) {
    document.querySelectorAll(sel).forEach(function (el) { el.textContent = value; });
  }

  function watch() {
    var el = document.querySelector("[data-import-events]");
    if (!el || el.dataset.watching) return;
    el.dataset.watching = "1";
    var es = new EventSource(el.dataset.importEvents);
    es.addEventListener("progress", function (e) {
      var d = JSON.parse(e.data);
      document.querySelectorAll("[data-import-bar]").forEach(function (b) { b.value = d.percent; });
      text("[data-import-rows]", d.rows.toLocaleString());
      text("[data-import-rate]", d.rate);
      text("[data-import-eta]", d.eta);
      text("[data-import-summary]", d.summary);
      text("[data-import-status]", d.status);
      if (d.final) {
        es.close();
        window.location.reload();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", watch);
  document.addEventListener("htmx:load", watch);
  watch();
})();
