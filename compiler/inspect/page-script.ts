/**
 * The HTML inspector's script, shipped inline as text: the core (drawings, pan and zoom,
 * selection, details: page-core.ts), the finding tools (search, filters, gradient paths:
 * page-find.ts) and the overview (page-overview.ts) share one scope; this part wires them to the
 * page's controls and keys.
 */
import { PAGE_CORE } from "./page-core.js";
import { PAGE_FIND } from "./page-find.js";
import { PAGE_OVERVIEW } from "./page-overview.js";

const PAGE_WIRING = String.raw`
  var groupSelect = document.getElementById("group");

  function fillGroups() {
    var keep = current.group;
    groupSelect.textContent = "";
    Object.keys(data.groupLabels).forEach(function (g) {
      if (data.views[current.key].drawings[g]) groupSelect.appendChild(option(g, data.groupLabels[g]));
    });
    groupSelect.value = keep;
    groupSelect.disabled = groupSelect.options.length < 2;
  }
  /** Show drawing (view, group); the selection, search, filter and path carry over. */
  function show(key, group) {
    var d = drawings[key + "/" + group] || drawings[key + "/none"];
    if (current && selected !== null && current.byId.get(selected) && current.byId.get(selected).members && !d.byId.get(selected)) {
      selected = current.byId.get(selected).members[0];
    }
    Object.keys(drawings).forEach(function (k) { drawings[k].host.hidden = drawings[k] !== d; });
    document.querySelectorAll(".toggle button").forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === key)); });
    var viewChanged = !current || current.key !== d.key;
    current = d;
    if (viewChanged) { fillFilter(); fillPaths(); }
    fillGroups();
    if (!d.state) fit(d, false); else apply(d);
    applyFocus();
    var drawn = markSelection(d);
    if (drawn !== null) renderDetails(d, d.byId.get(drawn)); else showDefaultPanel();
  }
  function setGroup(group) { show(current.key, group); }

  document.querySelectorAll(".toggle button").forEach(function (b) {
    b.addEventListener("click", function () { show(b.getAttribute("data-view"), current.group); });
  });
  groupSelect.addEventListener("change", function () { setGroup(groupSelect.value); });
  filterSelect.addEventListener("change", applyFocus);
  pathSelect.addEventListener("change", function () {
    applyFocus();
    var p = currentPath();
    if (p) { selected = null; clearMarks(current); renderPath(p); }
    else if (selected === null) showDefaultPanel();
  });
  searchBox.addEventListener("input", function () { matchIndex = -1; applyFocus(); });
  searchBox.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); nextMatch(e.shiftKey ? -1 : 1); }
    if (e.key === "Escape") { searchBox.value = ""; matchIndex = -1; applyFocus(); searchBox.blur(); }
  });
  document.getElementById("fit").addEventListener("click", function () { fit(current, true); });

  var drag = null;
  canvas.addEventListener("pointerdown", function (e) {
    if (e.button !== 0 || (e.target.closest && e.target.closest(".tools, #overview"))) return;
    var onLink = e.target.closest && e.target.closest("a");
    drag = { x: e.clientX, y: e.clientY, moved: false, node: e.target.closest ? e.target.closest("g.node") : null, link: !!onLink };
    if (!onLink) canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!drag || !current) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!drag.moved) canvas.classList.add("dragging");
    drag.moved = true;
    var s = current.state;
    current.state = { k: s.k, x: s.x - dx / s.k, y: s.y - dy / s.k };
    drag.x = e.clientX;
    drag.y = e.clientY;
    apply(current);
  });
  function endDrag(e) {
    if (!drag) return;
    canvas.classList.remove("dragging");
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    if (!drag.moved && current) {
      if (drag.node) selectNode(Number(drag.node.getAttribute("data-node")), false);
      else if (!drag.link) clearSelection();
    }
    drag = null;
  }
  canvas.addEventListener("pointerup", endDrag);
  canvas.addEventListener("pointercancel", endDrag);
  canvas.addEventListener("wheel", function (e) {
    if (!current) return;
    e.preventDefault();
    var r = canvas.getBoundingClientRect();
    var delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    zoomAt(current, e.clientX - r.left, e.clientY - r.top, Math.exp(-delta * 0.0015));
  }, { passive: false });
  window.addEventListener("resize", function () { if (current && current.state) apply(current); });
  document.addEventListener("keydown", function (e) {
    if (!current || e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
    if (e.key === "/") { e.preventDefault(); searchBox.focus(); searchBox.select(); }
    if (e.key === "f") fit(current, true);
    if (e.key === "Escape") clearSelection();
  });

  show(data.initial, "none");
`;

export const PAGE_SCRIPT = `
(function () {
  "use strict";
${PAGE_CORE}
${PAGE_FIND}
${PAGE_OVERVIEW}
${PAGE_WIRING}
})();
`;
