// The pipeline board: drag a card to another stage (saved at once, with an
// Undo), or onto the Won / Lost zones (Lost asks for a reason). Pointer
// events rather than HTML5 drag-and-drop, so mouse, pen and touch behave the
// same and browser tests can drive it. Keyboard: Shift+←/→ moves the focused
// card one stage, ↑/↓ walks the cards, w / l mark it won or lost.
// Event delegation on document: nothing to re-initialise after htmx swaps.
(function () {
  "use strict";

  var drag = null;      // the drag in progress
  var swallowClick = false;
  var toastTimer = null;

  function boardOf(el) { return el && el.closest ? el.closest("[data-board]") : null; }
  function editable(card) { var b = boardOf(card); return b && b.hasAttribute("data-can-edit"); }
  // The filter the board shows: the URL's or the chosen view's (the server
  // writes it on the board; a refused filter shows the whole board).
  function filterText() {
    var b = document.querySelector("[data-board]");
    return (b && b.getAttribute("data-filter")) || "";
  }

  // post sends a board action and resolves with the deal's new state.
  function post(url, fields) {
    var body = new URLSearchParams(fields);
    body.set("filter", filterText());
    var b = document.querySelector("[data-board]");
    body.set("sort", (b && b.getAttribute("data-sort")) || "");
    return fetch(url, { method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) {
          var msg = j.detail || "Not saved.";
          if (j.errors) { for (var k in j.errors) { msg = j.errors[k]; break; } }
          throw new Error(msg);
        }
        return j;
      });
    });
  }

  function totals(state) {
    (state.columns || []).forEach(function (c) {
      var col = document.querySelector('[data-board] [data-stage="' + c.stage_id + '"]');
      if (!col) return;
      col.querySelector("[data-count]").textContent = c.count;
      col.querySelector("[data-sum]").textContent = c.sum || "—";
      col.querySelector("[data-weighted]").textContent = c.weighted || "—";
    });
  }

  function toast(text, undo) {
    var t = document.querySelector("[data-toast]");
    if (!t) return;
    t.querySelector("[data-toast-text]").textContent = text;
    var btn = t.querySelector("[data-undo]");
    btn.hidden = !undo;
    btn.onclick = function () { t.hidden = true; if (undo) undo(); };
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { t.hidden = true; }, 8000);
  }

  function cardsOf(col) { return col.querySelector("[data-cards]"); }
  function columnOf(el) { return el.closest("[data-stage]"); }
  function stageName(col) { return col.getAttribute("aria-label"); }

  // place puts card at the top of col's cards (or back before `before`).
  function place(card, col, before) {
    var list = cardsOf(col);
    if (before && before.parentNode === list) list.insertBefore(card, before);
    else list.insertBefore(card, list.firstChild);
  }

  // sortsBefore reports whether sort key a comes before b in a column: per
  // key [value, descending], as deals.CardKey writes them.
  function sortsBefore(a, b) {
    for (var i = 0; i < a.length && i < b.length; i++) {
      var x = a[i][0], y = b[i][0];
      if (x === y) continue;
      var lt = typeof x === "number" && typeof y === "number" ? x < y : String(x) < String(y);
      return a[i][1] ? !lt : lt;
    }
    return false;
  }

  // settle puts a card that a move brought into col where the column's
  // order puts it among the cards shown (after them all when it sorts past
  // the last: the next page holds its place).
  function settle(card, col, key) {
    card.setAttribute("data-sort-key", JSON.stringify(key));
    var list = cardsOf(col), at = null;
    var others = Array.prototype.filter.call(list.querySelectorAll(".card[data-sort-key]"), function (c) { return c !== card; });
    for (var i = 0; i < others.length && !at; i++) {
      try { if (sortsBefore(key, JSON.parse(others[i].getAttribute("data-sort-key")))) at = others[i]; } catch (e) { /* a card without a key stays put */ }
    }
    if (!at) at = others.length ? others[others.length - 1].nextSibling : list.firstChild;
    if (at !== card) list.insertBefore(card, at);
  }

  // looks is what a move changes on a card besides its column: the rotting
  // marker and the time in stage, put back by an undo.
  function looks(card) {
    var rot = card.querySelector(".card-rot"), age = card.querySelector('[data-field="stage_entered_at"]');
    return { rotting: card.classList.contains("rotting"), rot: rot, rotAt: rot && rot.parentNode, rotNext: rot && rot.nextSibling,
      age: age, ageText: age && age.textContent };
  }

  function moveCard(card, to) {
    var from = columnOf(card), before = card.nextSibling, was = looks(card);
    if (!from || from === to) return;
    place(card, to);
    card.classList.add("saving");
    post("/deals/" + card.dataset.deal + "/move", { stage_id: to.dataset.stage, version: card.dataset.version })
      .then(function (s) {
        card.dataset.version = s.version;
        if (s.sort_key && columnOf(card) === to) settle(card, to, s.sort_key);
        card.classList.remove("saving", "rotting");
        if (was.rot) was.rot.remove();
        if (was.age) was.age.textContent = "today";
        totals(s);
        toast("Moved to " + stageName(to) + ".", function () { undo(card, from, before, was); });
      })
      .catch(function (err) {
        card.classList.remove("saving");
        place(card, from, before);
        toast(err.message);
      });
  }

  function close(card, how, reason) {
    var from = columnOf(card), before = card.nextSibling;
    card.classList.add("saving");
    var fields = { version: card.dataset.version };
    if (how === "lost") fields.reason = reason;
    post("/deals/" + card.dataset.deal + "/" + how, fields)
      .then(function (s) {
        card.dataset.version = s.version;
        card.classList.remove("saving");
        card.remove();
        totals(s);
        toast((how === "won" ? "Marked won" : "Marked lost: " + reason) + ".", function () { undo(card, from, before, null); });
      })
      .catch(function (err) {
        card.classList.remove("saving");
        place(card, from, before);
        toast(err.message);
      });
  }

  // undo takes back the card's last move or decision (POST /deals/{id}/undo):
  // the server puts the deal back as it was, time in stage included, and
  // the card goes back to col where it was, looking as it did.
  function undo(card, col, before, was) {
    card.classList.add("saving");
    post("/deals/" + card.dataset.deal + "/undo", { version: card.dataset.version })
      .then(function (s) {
        card.dataset.version = s.version;
        card.classList.remove("saving");
        if (columnOf(card) !== col) place(card, col, before);
        if (s.sort_key) settle(card, col, s.sort_key);
        if (was) {
          card.classList.toggle("rotting", was.rotting);
          if (was.rot && !was.rot.isConnected) was.rotAt.insertBefore(was.rot, was.rotNext && was.rotNext.parentNode === was.rotAt ? was.rotNext : null);
          if (was.age) was.age.textContent = was.ageText;
        }
        totals(s);
      })
      .catch(function (err) { card.classList.remove("saving"); toast(err.message); });
  }

  function askLost(card) {
    var dlg = document.querySelector("[data-lost-dialog]");
    if (!dlg || !dlg.showModal) return;
    dlg.returnValue = "";
    dlg.onclose = function () {
      if (dlg.returnValue !== "ok") return;
      var reason = dlg.querySelector("[data-lost-reason]").value.trim();
      if (reason) close(card, "lost", reason);
    };
    dlg.showModal();
    dlg.querySelector("[data-lost-reason]").focus();
  }

  function targetAt(x, y) {
    var el = document.elementFromPoint(x, y);
    if (!el) return null;
    return el.closest("[data-drop]") || el.closest("[data-board] [data-stage]");
  }

  function highlight(t) {
    if (drag.target === t) return;
    if (drag.target) drag.target.classList.remove("drop-over");
    drag.target = t;
    if (t) t.classList.add("drop-over");
  }

  document.addEventListener("pointerdown", function (e) {
    if (e.button !== 0 || !(e.target instanceof Element)) return;
    var card = e.target.closest(".card[data-deal]");
    if (!card || !editable(card)) return;
    drag = { card: card, x: e.clientX, y: e.clientY, started: false, target: null };
  });

  document.addEventListener("pointermove", function (e) {
    if (!drag) return;
    if (!drag.started) {
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) < 6) return;
      drag.started = true;
      var r = drag.card.getBoundingClientRect();
      drag.dx = drag.x - r.left;
      drag.dy = drag.y - r.top;
      drag.ghost = drag.card.cloneNode(true);
      drag.ghost.classList.add("card-ghost");
      drag.ghost.style.width = r.width + "px";
      document.body.appendChild(drag.ghost);
      drag.card.classList.add("dragging");
      document.body.classList.add("board-dragging");
    }
    e.preventDefault();
    drag.ghost.style.transform = "translate(" + (e.clientX - drag.dx) + "px," + (e.clientY - drag.dy) + "px)";
    highlight(targetAt(e.clientX, e.clientY));
  });

  function endDrag() {
    if (!drag) return null;
    var d = drag;
    drag = null;
    if (!d.started) return null;
    if (d.target) d.target.classList.remove("drop-over");
    d.ghost.remove();
    d.card.classList.remove("dragging");
    document.body.classList.remove("board-dragging");
    swallowClick = true;
    setTimeout(function () { swallowClick = false; }, 0);
    return d;
  }

  document.addEventListener("pointerup", function (e) {
    var d = endDrag();
    if (!d) return;
    var t = targetAt(e.clientX, e.clientY);
    if (!t) return;
    if (t.dataset.drop === "won") close(d.card, "won");
    else if (t.dataset.drop === "lost") askLost(d.card);
    else moveCard(d.card, t);
  });
  document.addEventListener("pointercancel", endDrag);

  // A drag that ends on the card's link must not follow it.
  document.addEventListener("click", function (e) {
    if (swallowClick) { e.preventDefault(); e.stopPropagation(); swallowClick = false; }
  }, true);

  document.addEventListener("keydown", function (e) {
    var card = e.target instanceof Element ? e.target.closest(".card[data-deal]") : null;
    if (!card || e.ctrlKey || e.metaKey || e.altKey) return;
    var col = columnOf(card);
    var cols = Array.prototype.slice.call(document.querySelectorAll("[data-board] [data-stage]"));
    var i = cols.indexOf(col);
    if (e.shiftKey && (e.key === "ArrowLeft" || e.key === "ArrowRight") && editable(card)) {
      var to = cols[i + (e.key === "ArrowLeft" ? -1 : 1)];
      if (to) { e.preventDefault(); moveCard(card, to); card.focus(); }
      return;
    }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      var sib = e.key === "ArrowDown" ? card.nextElementSibling : card.previousElementSibling;
      if (sib && sib.matches(".card")) { e.preventDefault(); sib.focus(); }
      return;
    }
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      var next = cols[i + (e.key === "ArrowLeft" ? -1 : 1)];
      var first = next && next.querySelector(".card");
      if (first) { e.preventDefault(); first.focus(); }
      return;
    }
    if (e.key === "Enter" && e.target === card) { card.querySelector(".card-title").click(); return; }
    if (e.key === "w" && editable(card)) { e.preventDefault(); close(card, "won"); return; }
    if (e.key === "l" && editable(card)) { e.preventDefault(); askLost(card); }
  });

  // Changing the pipeline picker shows that pipeline at once.
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (!(t instanceof Element) || !t.matches("select[data-autosubmit]")) return;
    // A change can come before htmx has processed a form it just swapped
    // in; processing it here (a no-op when done) keeps the submit boosted
    // instead of loading the whole page.
    if (window.htmx) window.htmx.process(t.form);
    t.form.requestSubmit();
  });
})();
