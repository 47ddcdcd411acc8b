// Tandem's own JavaScript: keyboard shortcuts, dismissable flashes and the
// shortcut help. Everything uses event delegation on document, so content
// swapped in by htmx works without re-initialisation, and nothing is inline
// (the Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";

  var pending = ""; // first key of a two-key shortcut such as "g c"
  var pendingTimer = null;
  var goto = { h: "/", c: "/contacts", o: "/companies", p: "/pipeline", s: "/settings", d: "/my-day", a: "/calendar", i: "/import" };

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function helpDialog() { return document.getElementById("shortcut-help"); }

  // go opens url as a link in the page would: with htmx, the new page is
  // swapped in and the address bar and history follow (no whole-page
  // load); without it, a plain load. The link stays until the swap
  // replaces the page: htmx drops requests of removed elements.
  function go(url) {
    if (!window.htmx) { window.location.assign(url); return; }
    var a = document.createElement("a");
    a.href = url;
    a.hidden = true;
    document.body.appendChild(a);
    window.htmx.process(a);
    a.click();
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var key = e.key;
    if (pending === "g" && goto[key]) {
      e.preventDefault();
      pending = "";
      go(goto[key]);
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
      if (target) {
        e.preventDefault();
        var fold = target.closest("details");
        if (fold) fold.open = true; // the quick-add form may be folded away
        target.focus();
      }
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
  // ---- List views: filter builder, column picker, selection, keyboard ----

  function builderOf(el) { return el.closest("[data-builder]"); }

  // quote writes one builder value as a filter-language literal.
  function quote(type, v) {
    v = v.trim();
    if (type === "number" || type === "money") return /^[-+]?\d+(\.\d+)?$/.test(v) ? v : JSON.stringify(v);
    if (type === "bool") return /^(true|false)$/i.test(v) ? v.toLowerCase() : JSON.stringify(v);
    if (type === "user" || type === "ref") return /^(\d+|me\(\))$/.test(v) ? v : JSON.stringify(v);
    if (type === "date" || type === "datetime") {
      return /^(today|now|[-+]\d+(h|d|w|mo|y)|\d{4}-\d\d-\d\d(T[\d:.]+(Z|[-+]\d\d:\d\d))?)$/.test(v) ? v : JSON.stringify(v);
    }
    return JSON.stringify(v);
  }

  function rowType(row) {
    var f = row.querySelector("[data-b-field]");
    var o = f && f.selectedOptions[0];
    return o ? (o.getAttribute("data-type") || "text") : "text";
  }

  function builderText(b) {
    var parts = [];
    b.querySelectorAll("[data-builder-rows] [data-builder-row]").forEach(function (row) {
      var field = row.querySelector("[data-b-field]").value;
      var op = row.querySelector("[data-b-op]").value;
      var valEl = row.querySelector("[data-b-value]");
      var val = valEl ? valEl.value : "";
      if (!field) return;
      var type = rowType(row);
      if (op === "is empty" || op === "is not empty") { parts.push(field + " " + op); return; }
      if (val.trim() === "") return;
      if (op === "in" || op === "not in") {
        var vals = val.split(",").map(function (x) { return x.trim(); }).filter(Boolean).map(function (x) { return quote(type, x); });
        parts.push(field + " " + op + " (" + vals.join(", ") + ")");
        return;
      }
      parts.push(field + " " + op + " " + quote(type, val));
    });
    return parts.join(" and ");
  }

  var opNames = { "=": "is", "!=": "is not", "~": "contains", "!~": "does not contain", "<": "less than",
    "<=": "at most", ">": "more than", ">=": "at least", "in": "is any of", "not in": "is none of",
    "is empty": "is empty", "is not empty": "is not empty" };

  // valueInput puts the right kind of value box in a row: a dropdown for a
  // choice field, a text box otherwise, none for "is empty".
  function valueInput(row) {
    var f = row.querySelector("[data-b-field]");
    var opt = f.selectedOptions[0];
    var op = row.querySelector("[data-b-op]").value;
    var old = row.querySelector("[data-b-value]");
    var keep = old ? old.value : "";
    var values = [];
    try { values = JSON.parse((opt && opt.getAttribute("data-values")) || "[]") || []; } catch (e) { values = []; }
    var el;
    if (values.length && op !== "in" && op !== "not in") {
      el = document.createElement("select");
      values.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v; o.textContent = v; o.selected = v === keep;
        el.appendChild(o);
      });
    } else {
      el = document.createElement("input");
      el.type = "text";
      el.value = values.length ? "" : keep;
      var t = rowType(row);
      el.placeholder = t === "user" ? "me()" : (t === "date" || t === "datetime") ? "-30d, today, 2026-01-31" :
        values.length ? values.join(", ") : "value";
      el.hidden = op === "is empty" || op === "is not empty";
    }
    el.setAttribute("data-b-value", "");
    el.setAttribute("aria-label", "Value");
    if (old) old.replaceWith(el); else row.querySelector("[data-builder-remove]").before(el);
  }

  function opSelect(row, b) {
    var ops = {};
    try { ops = JSON.parse(b.getAttribute("data-ops") || "{}"); } catch (e) { ops = {}; }
    var sel = row.querySelector("[data-b-op]");
    var cur = sel.value;
    var list = ops[rowType(row)] || ops.text || [];
    sel.innerHTML = "";
    list.forEach(function (op) {
      var o = document.createElement("option");
      o.value = op; o.textContent = opNames[op] || op; o.selected = op === cur;
      sel.appendChild(o);
    });
  }

  function writeFilter(b) {
    var form = b.closest("form");
    var box = form && form.querySelector("[name=filter]");
    if (box) box.value = builderText(b);
  }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    var b = builderOf(t);
    if (b) {
      var row = t.closest("[data-builder-row]");
      if (t.matches("[data-b-field]")) { opSelect(row, b); valueInput(row); }
      if (t.matches("[data-b-op]")) valueInput(row);
      writeFilter(b);
      return;
    }
    if (t.matches("[data-column]")) {
      var pick = t.closest("[data-columns-pick]");
      var keys = ["name"];
      pick.querySelectorAll("[data-column]:checked").forEach(function (c) { if (c.value !== "name") keys.push(c.value); });
      pick.querySelector("[data-columns-value]").value = keys.join(",");
      return;
    }
    if (t.matches("[data-select-all]")) {
      var table = t.closest("table");
      table.querySelectorAll("[data-select]").forEach(function (c) { c.checked = t.checked; });
      selectionChanged();
      return;
    }
    if (t.matches("[data-select]")) { selectionChanged(); return; }
    if (t.matches("[data-bulk-action], [data-bulk-field]")) bulkInputs(t.closest("[data-bulk]"));
  });
  document.addEventListener("input", function (e) {
    var t = e.target;
    if (t instanceof Element && t.matches("[data-b-value]")) writeFilter(builderOf(t));
  });
  document.addEventListener("click", function (e) {
    var t = e.target instanceof Element ? e.target : null;
    if (!t) return;
    var add = t.closest("[data-builder-add]");
    if (add) {
      var b = builderOf(add);
      var tpl = b.querySelector("template[data-builder-template]");
      b.querySelector("[data-builder-rows]").appendChild(tpl.content.cloneNode(true));
      var rows = b.querySelectorAll("[data-builder-row]");
      var f = rows[rows.length - 1].querySelector("[data-b-field]");
      if (f) f.focus();
      return;
    }
    var rm = t.closest("[data-builder-remove]");
    if (rm) {
      var bb = builderOf(rm);
      rm.closest("[data-builder-row]").remove();
      writeFilter(bb);
    }
  });

  // Selection and bulk actions.
  function selectionChanged() {
    var n = document.querySelectorAll("[data-select]:checked").length;
    var bar = document.querySelector("[data-bulk]");
    if (!bar) return;
    bar.classList.toggle("has-selection", n > 0);
    var c = bar.querySelector("[data-bulk-count]");
    if (c) c.textContent = n ? n + " selected" : "Select rows to change them together";
    document.querySelectorAll("[data-row]").forEach(function (r) {
      var box = r.querySelector("[data-select]");
      r.classList.toggle("selected", !!(box && box.checked));
    });
  }
  function bulkInputs(bar) {
    if (!bar) return;
    var action = bar.querySelector("[data-bulk-action]").value;
    var field = bar.querySelector("[data-bulk-field]");
    field.hidden = action !== "edit";
    bar.querySelectorAll("[data-bulk-value]").forEach(function (el) {
      el.hidden = action !== "edit" || el.getAttribute("data-bulk-value") !== field.value;
    });
    bar.querySelector("[data-bulk-tag]").hidden = action !== "tag";
  }
  document.addEventListener("htmx:afterSettle", function () {
    bulkInputs(document.querySelector("[data-bulk]"));
  });
  document.addEventListener("DOMContentLoaded", function () {
    bulkInputs(document.querySelector("[data-bulk]"));
  });

  // j/k move a highlight through the rows, Enter opens one, x selects it.
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.key !== "j" && e.key !== "k" && e.key !== "Enter" && e.key !== "x") return;
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-list-table] [data-row]"));
    if (!rows.length) return;
    var i = rows.findIndex(function (r) { return r.classList.contains("cursor"); });
    if (e.key === "j" || e.key === "k") {
      e.preventDefault();
      if (i >= 0) rows[i].classList.remove("cursor");
      i = e.key === "j" ? Math.min(rows.length - 1, i + 1) : Math.max(0, i - 1);
      rows[i].classList.add("cursor");
      rows[i].scrollIntoView({ block: "nearest" });
      return;
    }
    if (i < 0) return;
    if (e.key === "Enter" && !(e.target instanceof Element && e.target.closest("a, button"))) {
      e.preventDefault();
      go(rows[i].getAttribute("data-href"));
    } else if (e.key === "x") {
      e.preventDefault();
      var box = rows[i].querySelector("[data-select]");
      if (box) { box.checked = !box.checked; selectionChanged(); }
    }
  });

  // ---- Record pickers (view.CompanyPicker, ContactPicker, DealPicker) ----
  // Typing asks the picker's source for matches after a short pause (only the
  // latest answer is shown); the arrow keys move through them, Enter or a
  // click chooses one. Only a chosen record is sent: leaving the box puts
  // the chosen name back, and emptying it chooses none.
  var pickTimer = null;
  var pickSeq = 0;

  function pickerText(el) {
    return el instanceof Element && el.hasAttribute("data-picker-text") ? el.closest("[data-picker]") : null;
  }

  function parts(p) {
    return { value: p.querySelector("[data-picker-value]"), text: p.querySelector("[data-picker-text]"), list: p.querySelector(".picker-list") };
  }

  function closePicker(p) {
    var x = parts(p);
    x.list.hidden = true;
    x.list.textContent = "";
    x.text.setAttribute("aria-expanded", "false");
    x.text.removeAttribute("aria-activedescendant");
  }

  function activate(p, i) {
    var x = parts(p);
    var opts = x.list.querySelectorAll("[role=option]");
    opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
    if (opts[i]) {
      x.text.setAttribute("aria-activedescendant", opts[i].id);
      opts[i].scrollIntoView({ block: "nearest" });
    }
  }

  function showChoices(p, choices, typed) {
    var x = parts(p);
    var items = [];
    var noun = p.getAttribute("data-noun") || "company", nouns = p.getAttribute("data-nouns") || "companies";
    if (typed === "" && x.value.value !== "") items.push({ id: "", name: "No " + noun, none: true });
    x.list.textContent = "";
    items = items.concat(choices);
    if (!items.length) {
      var note = document.createElement("li");
      note.className = "empty-note";
      note.textContent = typed === "" ? "No " + nouns + " yet." : "No " + noun + " matches \u201c" + typed + "\u201d.";
      x.list.appendChild(note);
    }
    items.forEach(function (c, i) {
      var li = document.createElement("li");
      li.id = x.list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("data-id", c.id);
      li.setAttribute("data-name", c.none ? "" : c.name);
      if (c.none) li.className = "none";
      var n = document.createElement("span");
      n.textContent = c.name;
      li.appendChild(n);
      if (c.detail) {
        var d = document.createElement("span");
        d.className = "d";
        d.textContent = c.detail;
        li.appendChild(d);
      }
      x.list.appendChild(li);
    });
    x.list.hidden = false;
    x.text.setAttribute("aria-expanded", "true");
    activate(p, 0);
  }

  function fetchChoices(p) {
    var x = parts(p);
    var typed = x.text.value.trim();
    if (typed === x.text.getAttribute("data-chosen")) typed = ""; // the chosen name: offer the newest
    var seq = ++pickSeq;
    fetch(p.getAttribute("data-picker") + "?q=" + encodeURIComponent(typed), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { choices: [] }; })
      .then(function (d) {
        if (seq === pickSeq && document.activeElement === x.text) showChoices(p, d.choices || [], typed);
      })
      .catch(function () {});
  }

  function choose(p, li) {
    var x = parts(p);
    x.value.value = li.getAttribute("data-id");
    x.text.value = li.getAttribute("data-name");
    x.text.setAttribute("data-chosen", x.text.value);
    closePicker(p);
    x.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("input", function (e) {
    var p = pickerText(e.target);
    if (!p) return;
    clearTimeout(pickTimer);
    pickTimer = setTimeout(function () { fetchChoices(p); }, 120);
  });
  document.addEventListener("focusin", function (e) {
    var p = pickerText(e.target);
    if (p) fetchChoices(p);
  });
  document.addEventListener("focusout", function (e) {
    var p = pickerText(e.target);
    if (!p) return;
    var x = parts(p);
    pickSeq++; // an answer still on its way is not shown
    clearTimeout(pickTimer);
    if (x.text.value.trim() === "") {
      x.value.value = "";
      x.text.setAttribute("data-chosen", "");
    } else {
      x.text.value = x.text.getAttribute("data-chosen");
    }
    closePicker(p);
  });
  // An Enter the picker used is no form's Enter: its keypress, which is
  // where a browser submits a form, is cancelled too (a cancelled keydown
  // usually has none; synthesized keys, as in the browser tests, do).
  var pickerEnter = false;
  document.addEventListener("keypress", function (e) {
    if (e.key === "Enter" && pickerEnter) e.preventDefault();
    pickerEnter = false;
  });
  // mousedown, not click: the click would come after the box lost the focus.
  document.addEventListener("mousedown", function (e) {
    var li = e.target instanceof Element && e.target.closest(".picker-list [role=option]");
    if (!li) return;
    e.preventDefault(); // the focus stays in the box
    choose(li.closest("[data-picker]"), li);
  });
  document.addEventListener("keydown", function (e) {
    var p = pickerText(e.target);
    if (!p) return;
    var x = parts(p);
    var opts = x.list.querySelectorAll("[role=option]");
    var i = -1;
    pickerEnter = false;
    opts.forEach(function (o, j) { if (o.getAttribute("aria-selected") === "true") i = j; });
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (x.list.hidden) { fetchChoices(p); return; }
      if (opts.length) activate(p, e.key === "ArrowDown" ? Math.min(i + 1, opts.length - 1) : Math.max(i - 1, 0));
    } else if (e.key === "Enter" && !x.list.hidden && i >= 0) {
      e.preventDefault(); // chooses; a second Enter submits the form
      pickerEnter = true;
      choose(p, opts[i]);
    } else if (e.key === "Enter" && x.text.value.trim() !== "" && x.text.value !== x.text.getAttribute("data-chosen")) {
      e.preventDefault(); // typed but not chosen yet: show the matches, never send without
      pickerEnter = true;
      clearTimeout(pickTimer);
      fetchChoices(p);
    } else if (e.key === "Escape" && !x.list.hidden) {
      e.preventDefault(); // closes the list, not the editor around it
      x.text.value = x.text.getAttribute("data-chosen");
      closePicker(p);
    }
  });

  // Inline editing: Escape cancels the open editor.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || e.defaultPrevented || !(e.target instanceof Element)) return;
    var f = e.target.closest("[data-inline-form]");
    var cancel = f && f.querySelector("[data-cancel]");
    if (cancel) { e.preventDefault(); cancel.click(); }
  });
  // A deal's line items changed: its value in the page header follows
  // (the line-items panel sends dealItemsChanged with the new value).
  document.body.addEventListener("dealItemsChanged", function (e) {
    var d = e.detail || {};
    var el = document.querySelector('[data-deal-value="' + d.deal_id + '"]');
    if (el && d.value) el.textContent = d.value;
  });
  // An editor swapped in by htmx takes the focus (autofocus only works on load).
  document.addEventListener("htmx:afterSettle", function (e) {
    var f = e.target instanceof Element && e.target.querySelector("[data-inline-form] [name=value]:not([type=hidden]), [data-inline-form] [data-picker-text], [data-inline-form] [autofocus]");
    if (f) { f.focus(); if (f.select && f.tagName === "INPUT") f.select(); }
  });
})();
