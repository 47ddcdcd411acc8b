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

  // Menus are <details> elements (they open without JS); a click elsewhere
  // or Escape closes them, as people expect of a menu.
  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (m) {
      if (m !== except) m.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (e) {
    var t = e.target instanceof Element ? e.target : null;
    closeMenus(t ? t.closest("details[data-menu]") : null);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closeMenus(null);
  });

  // htmx leaves error responses alone by default. A boosted link or form
  // shows the server's page (our branded 404, the sign-in form with its
  // message) like a normal navigation would; a failed fragment request says
  // so in a flash instead of doing nothing.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var d = e.detail;
    if (d.boosted && d.xhr && d.xhr.status >= 400 && d.xhr.responseText) {
      d.shouldSwap = true;
      d.isError = false;
    }
  });
  function problem(text) {
    var main = document.getElementById("content");
    if (!main) return;
    var box = main.querySelector(".flashes");
    if (!box) {
      box = document.createElement("div");
      box.className = "flashes";
      box.setAttribute("role", "status");
      main.insertBefore(box, main.firstChild);
    }
    var f = document.createElement("div");
    f.className = "flash flash-error";
    var span = document.createElement("span");
    span.textContent = text;
    var b = document.createElement("button");
    b.type = "button";
    b.setAttribute("data-dismiss", "");
    b.setAttribute("aria-label", "Dismiss");
    b.textContent = "\u00d7";
    f.appendChild(span);
    f.appendChild(b);
    box.appendChild(f);
  }
  document.addEventListener("htmx:responseError", function (e) {
    if (e.detail.boosted) return;
    var s = e.detail.xhr ? e.detail.xhr.status : 0;
    problem(s === 401 ? "Your session has ended. Reload the page to sign in again." :
      "That did not work (error " + s + "). Please try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    problem("Tandem cannot be reached. Check your connection and try again.");
  });
})();
