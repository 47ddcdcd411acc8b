// Tandem's own JavaScript: keyboard shortcuts, dismissable flashes and the
// shortcut help. Everything uses event delegation on document, so content
// swapped in by htmx works without re-initialisation, and nothing is inline
// (the Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";

  var pending = ""; // first key of a two-key shortcut such as "g c"
  var pendingTimer = null;
  var goto = { h: "/", c: "/contacts", o: "/companies", s: "/settings" };

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function helpDialog() { return document.getElementById("shortcut-help"); }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var key = e.key;
    if (pending === "g" && goto[key]) {
      e.preventDefault();
      pending = "";
      window.location.assign(goto[key]);
      return;
    }
    pending = "";
    if (key === "g") {
      pending = "g";
      clearTimeout(pendingTimer);
      pendingTimer = setTimeout(function () { pending = ""; }, 1200);
      return;
    }
    if (key === "/" || key === "n") {
      var target = document.querySelector(key === "/" ? "[data-shortcut-search]" : "[data-shortcut-new]");
      if (target) { e.preventDefault(); target.focus(); }
      return;
    }
    if (key === "?") {
      var d = helpDialog();
      if (d && d.showModal) { e.preventDefault(); d.open ? d.close() : d.showModal(); }
    }
  });

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    var dismiss = t.closest("[data-dismiss]");
    if (dismiss) {
      var box = dismiss.closest(".flash");
      if (box) box.remove();
      return;
    }
    if (t.closest("[data-close-dialog]")) {
      var d = t.closest("dialog");
      if (d) d.close();
      return;
    }
    if (t.closest("[data-show-help]")) {
      var h = helpDialog();
      if (h && h.showModal) h.showModal();
    }
  });
})();
