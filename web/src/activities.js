// Activities: keyboard keys for activity lists and the calendar, the
// activity form's contact chips, and the feed link's copy button.
// Event delegation on document, nothing inline (the CSP forbids it), so
// pages swapped in by htmx need no re-initialisation.
(function () {
  "use strict";

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  // On the calendar: p / n previous and next, t today, w / m week and
  // month; arrow keys move between days, Enter opens "add" on the day.
  var calKeys = { p: "[data-cal-prev]", n: "[data-cal-next]", t: "[data-cal-today]", w: "[data-cal-week]", m: "[data-cal-month]" };
  var arrows = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var cal = document.querySelector("[data-calendar]");
    if (!cal) return;
    if (calKeys[e.key]) {
      var link = document.querySelector(calKeys[e.key]);
      if (link) { e.preventDefault(); link.click(); }
      return;
    }
    if (arrows[e.key] === undefined) return;
    var cells = Array.prototype.slice.call(cal.querySelectorAll("[data-cal-cell]"));
    if (!cells.length) return;
    var i = cells.indexOf(document.activeElement);
    if (i < 0) {
      var today = cal.querySelector(".today [data-cal-cell]");
      i = today ? cells.indexOf(today) : 0;
    } else {
      i = Math.max(0, Math.min(cells.length - 1, i + arrows[e.key]));
    }
    e.preventDefault();
    cells[i].focus();
  });

  // Activity lists (my day, record panels): j / k move a highlight, x checks
  // the highlighted activity off (or on again), Enter opens it. The row is
  // swapped by htmx after x, so the highlight follows its id.
  var cursorID = "";
  function actRows() { return Array.prototype.slice.call(document.querySelectorAll("[data-acts] [data-act]")); }
  function mark() {
    actRows().forEach(function (r) { r.classList.toggle("cursor", r.id === cursorID); });
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (document.querySelector("[data-list-table], [data-calendar]")) return; // those pages have their own keys
    if (e.key !== "j" && e.key !== "k" && e.key !== "x" && e.key !== "Enter") return;
    var rows = actRows();
    if (!rows.length) return;
    var i = rows.findIndex(function (r) { return r.id === cursorID; });
    if (e.key === "j" || e.key === "k") {
      e.preventDefault();
      i = e.key === "j" ? Math.min(rows.length - 1, i + 1) : Math.max(0, i - 1);
      cursorID = rows[i].id;
      mark();
      rows[i].scrollIntoView({ block: "nearest" });
      return;
    }
    if (i < 0) return;
    if (e.key === "x") {
      e.preventDefault();
      var b = rows[i].querySelector(".act-check button");
      if (b) b.click();
    } else if (!(e.target instanceof Element && e.target.closest("a, button"))) {
      e.preventDefault();
      rows[i].querySelector(".act-title").click();
    }
  });
  document.addEventListener("htmx:afterSettle", mark);

  // The activity form's contacts: a contact chosen in the picker becomes a
  // ticked chip (unticking one unlinks it, no script needed), and the
  // picker empties for the next one.
  document.addEventListener("change", function (e) {
    var v = e.target;
    var chips = v instanceof Element && v.hasAttribute("data-picker-value") ? v.closest("[data-act-contacts]") : null;
    if (!chips || v.value === "") return;
    var picker = v.closest("[data-picker]");
    var text = picker.querySelector("[data-picker-text]");
    var box = chips.querySelector('input[type=checkbox][value="' + v.value + '"]');
    if (!box) {
      var chip = document.createElement("label");
      chip.className = "act-chip";
      chip.title = "Linked \u2014 click to unlink";
      box = document.createElement("input");
      box.type = "checkbox";
      box.name = "contact_id";
      box.value = v.value;
      var name = document.createElement("span");
      name.textContent = text.value;
      chip.append(box, name);
      chips.insertBefore(chip, picker);
    }
    box.checked = true;
    v.value = "";
    text.value = "";
    text.setAttribute("data-chosen", "");
  });

  document.addEventListener("click", function (e) {
    var t = e.target instanceof Element ? e.target.closest("[data-copy]") : null;
    if (!t) return;
    var src = document.querySelector(t.getAttribute("data-copy"));
    if (!src) return;
    src.select();
    var done = function () { t.textContent = "Copied"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(src.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
  document.addEventListener("focusin", function (e) {
    var t = e.target;
    if (t instanceof HTMLInputElement && t.hasAttribute("data-select-on-focus")) t.select();
  });
})();
