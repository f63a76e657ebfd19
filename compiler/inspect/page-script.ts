/**
 * The HTML inspector's script, shipped inline as text: pan (drag), zoom (wheel), node selection
 * with a details panel, and the forward / forward + backward toggle. It reads the graph data from
 * the page's `#graph-data` JSON and builds the panel with DOM calls (no innerHTML of data).
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var canvas = document.getElementById("canvas");
  var panel = document.getElementById("details");
  var views = {};
  Object.keys(data.views).forEach(function (key) {
    var v = data.views[key];
    var byId = new Map();
    v.nodes.forEach(function (n) { byId.set(n.id, n); });
    var users = new Map();
    v.nodes.forEach(function (n) {
      n.inputs.forEach(function (from) {
        var list = users.get(from) || [];
        if (list.indexOf(n.id) < 0) list.push(n.id);
        users.set(from, list);
      });
    });
    var host = canvas.querySelector('.view[data-view="' + key + '"]');
    var svg = host.querySelector("svg");
    views[key] = {
      key: key, data: v, byId: byId, users: users, host: host, svg: svg,
      width: Number(svg.getAttribute("width")), height: Number(svg.getAttribute("height")),
      state: null, selected: null
    };
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
  });
  var current = null;

  function size() {
    var r = canvas.getBoundingClientRect();
    return { w: Math.max(1, r.width), h: Math.max(1, r.height) };
  }
  function apply(view) {
    var s = view.state, c = size();
    view.svg.setAttribute("viewBox", [s.x, s.y, c.w / s.k, c.h / s.k].join(" "));
  }
  // Fit the whole graph, but never below a readable scale: a tall graph then opens at its top.
  function fit(view, all) {
    var c = size(), pad = 16;
    var k = Math.min((c.w - 2 * pad) / view.width, (c.h - 2 * pad) / view.height, 1.25);
    if (!all) k = Math.max(k, Math.min(0.9, (c.w - 2 * pad) / view.width));
    var x = (view.width - c.w / k) / 2;
    var y = view.height * k <= c.h ? (view.height - c.h / k) / 2 : -pad / k;
    view.state = { k: k, x: x, y: y };
    apply(view);
  }
  function zoomAt(view, px, py, factor) {
    var s = view.state;
    var k = Math.min(4, Math.max(0.1, s.k * factor));
    var wx = s.x + px / s.k, wy = s.y + py / s.k;
    view.state = { k: k, x: wx - px / k, y: wy - py / k };
    apply(view);
  }
  function centerOn(view, id) {
    var g = view.svg.querySelector('g.node[data-node="' + id + '"] rect');
    if (!g) return;
    var s = view.state, c = size();
    var x = Number(g.getAttribute("x")) + Number(g.getAttribute("width")) / 2;
    var y = Number(g.getAttribute("y")) + Number(g.getAttribute("height")) / 2;
    view.state = { k: s.k, x: x - c.w / s.k / 2, y: y - c.h / s.k / 2 };
    apply(view);
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function section(title, body) { return [el("h3", { text: title }), body]; }
  function nodeLabel(view, id) {
    var n = view.byId.get(id);
    if (!n) return "node " + id;
    // Values are named as the text IR (matprop ir) names them.
    var names = n.values.map(function (v) { return v.name; }).join(", ");
    return (names ? names + " " : "") + n.title + (n.values.length ? "  " + n.values.map(function (v) { return v.type; }).join(", ") : "");
  }
  function refList(view, ids) {
    if (!ids.length) return el("div", { class: "muted", text: "none" });
    return el("ul", null, ids.map(function (id) {
      var b = el("button", { class: "ref", type: "button", "data-ref": String(id), text: nodeLabel(view, id) });
      b.addEventListener("click", function () { select(view, id, true); });
      return el("li", null, [b]);
    }));
  }
  function table(rows) {
    if (!rows.length) return el("div", { class: "muted", text: "none" });
    return el("table", null, rows.map(function (r) { return el("tr", null, [el("td", { text: r[0] }), el("td", { text: r[1] })]); }));
  }
  function kernelText(view, n) {
    if (n.kernels.length) return n.kernels.join("; ") + (n.kernels.length > 1 ? "  (recomputed in each)" : "");
    if (view.data.kernelNote) return "not known: " + view.data.kernelNote;
    if (n.kind === "source") return "none: a buffer uploaded before the first kernel";
    if (n.kind === "constant") return "none: inlined as a literal into its consumers";
    return "none";
  }
  function renderDetails(view, n) {
    panel.textContent = "";
    var badge = el("span", { class: "badge " + (n.backward ? "backward" : "forward"), text: n.backward ? "backward" : "forward" });
    panel.appendChild(el("h2", { text: n.title }));
    panel.appendChild(el("div", { class: "sub" }, ["op ", el("b", { text: n.op }), " ", badge]));
    var parts = [];
    parts = parts.concat(section("Type" + (n.values.length > 1 ? "s" : ""), table(n.values.map(function (v) { return [v.name, v.type]; }))));
    if (n.outputs.length) parts = parts.concat(section("Graph output", el("div", { class: "mono", text: n.outputs.join(", ") })));
    parts = parts.concat(section("Attributes", table(n.attrs)));
    var src;
    if (n.loc) {
      src = el("div", null, [el("a", { href: n.loc.href, target: "_blank", class: "mono", text: n.loc.text }), n.loc.snippet ? el("code", { text: n.loc.snippet }) : null]);
    } else src = el("div", { class: "muted", text: "no source location" });
    parts = parts.concat(section("Source", src));
    parts = parts.concat(section("Kernel", el("div", { class: "mono", text: kernelText(view, n) })));
    if (n.gradOf !== undefined) parts = parts.concat(section("Differentiates", refList(view, [n.gradOf])));
    if (n.grads.length) parts = parts.concat(section("Differentiated by (" + n.grads.length + ")", refList(view, n.grads)));
    parts = parts.concat(section("Operands", refList(view, n.inputs.filter(function (id, i, a) { return a.indexOf(id) === i; }))));
    parts = parts.concat(section("Used by", refList(view, view.users.get(n.id) || [])));
    parts.forEach(function (p) { panel.appendChild(p); });
  }
  function clearSelection(view) {
    view.svg.classList.remove("has-selection");
    view.svg.querySelectorAll(".selected, .neighbor, .related").forEach(function (e) { e.classList.remove("selected", "neighbor", "related"); });
    view.selected = null;
  }
  function select(view, id, pan) {
    var n = view.byId.get(id);
    if (!n) return;
    clearSelection(view);
    view.selected = id;
    view.svg.classList.add("has-selection");
    var mark = function (nid, cls) {
      var g = view.svg.querySelector('g.node[data-node="' + nid + '"]');
      if (g) g.classList.add(cls);
    };
    mark(id, "selected");
    view.svg.querySelectorAll('.edge, .grad-link').forEach(function (e) {
      var from = Number(e.getAttribute("data-from")), to = Number(e.getAttribute("data-to"));
      if (from === id || to === id) {
        e.classList.add("related");
        mark(from === id ? to : from, "neighbor");
      }
    });
    renderDetails(view, n);
    if (pan) centerOn(view, id);
  }
  function emptyPanel() {
    panel.textContent = "";
    panel.appendChild(el("div", { class: "empty", text: "Click a node to see its types, attributes, source line and kernel." }));
  }

  function show(key) {
    var view = views[key];
    if (!view) return;
    Object.keys(views).forEach(function (k) { views[k].host.hidden = k !== key; });
    document.querySelectorAll(".toggle button").forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === key)); });
    current = view;
    if (!view.state) fit(view, false); else apply(view);
    if (view.selected !== null) renderDetails(view, view.byId.get(view.selected)); else emptyPanel();
  }

  document.querySelectorAll(".toggle button").forEach(function (b) {
    b.addEventListener("click", function () { show(b.getAttribute("data-view")); });
  });
  document.getElementById("fit").addEventListener("click", function () { fit(current, true); });

  var drag = null;
  canvas.addEventListener("pointerdown", function (e) {
    if (e.button !== 0 || (e.target.closest && e.target.closest(".tools"))) return;
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
      if (drag.node) select(current, Number(drag.node.getAttribute("data-node")), false);
      else if (!drag.link) { clearSelection(current); emptyPanel(); }
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
    if (e.key === "f") fit(current, true);
    if (e.key === "Escape") { clearSelection(current); emptyPanel(); }
  });

  show(data.initial);
})();
`;
