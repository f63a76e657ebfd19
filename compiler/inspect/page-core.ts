/**
 * The inspector script's core, shipped inline as text (see page-script.ts for how the parts are
 * put together): the drawings and which one shows, pan and zoom, selection and the details panel.
 * It reads the graph data from `#graph-data` and builds the panel with DOM calls (no innerHTML of
 * data).
 */
export const PAGE_CORE = String.raw`
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var canvas = document.getElementById("canvas");
  var panel = document.getElementById("details");
  // Below this scale the node text is too small to read; a large graph opens at this scale at its top.
  var READABLE = 0.8;

  // ---- drawings: one per (view, grouping), each with its own pan/zoom state
  var drawings = {};
  Object.keys(data.views).forEach(function (key) {
    Object.keys(data.views[key].drawings).forEach(function (group) {
      var v = data.views[key].drawings[group];
      var byId = new Map(), users = new Map(), drawnAs = new Map();
      v.nodes.forEach(function (n) {
        byId.set(n.id, n);
        drawnAs.set(n.id, n.id);
        (n.members || []).forEach(function (m) { drawnAs.set(m, n.id); });
        n.inputs.forEach(function (from) {
          var list = users.get(from) || [];
          if (list.indexOf(n.id) < 0) list.push(n.id);
          users.set(from, list);
        });
      });
      var host = canvas.querySelector('.view[data-view="' + key + '"][data-group="' + group + '"]');
      var svg = host.querySelector("svg");
      drawings[key + "/" + group] = {
        key: key, group: group, data: v, byId: byId, users: users, drawnAs: drawnAs, host: host, svg: svg,
        width: Number(svg.getAttribute("width")), height: Number(svg.getAttribute("height")), state: null
      };
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
    });
  });
  var current = null;
  /** The selected node, as an id of the graph (not of a group box), so it survives regrouping. */
  var selected = null;
  /** The raw graph of the current view (every node, no groups). */
  function raw() { return drawings[current.key + "/none"]; }

  function size() {
    var r = canvas.getBoundingClientRect();
    return { w: Math.max(1, r.width), h: Math.max(1, r.height) };
  }
  function fitScale(d) {
    var c = size(), pad = 16;
    return Math.min((c.w - 2 * pad) / d.width, (c.h - 2 * pad) / d.height, 1.25);
  }
  function apply(d) {
    var s = d.state, c = size();
    d.svg.setAttribute("viewBox", [s.x, s.y, c.w / s.k, c.h / s.k].join(" "));
    if (d === current) updateOverview();
  }
  function boxOf(d, id) {
    var r = d.svg.querySelector('g.node[data-node="' + id + '"] rect:not(.stack)');
    if (!r) return null;
    return { x: Number(r.getAttribute("x")), y: Number(r.getAttribute("y")), w: Number(r.getAttribute("width")), h: Number(r.getAttribute("height")) };
  }
  // "all": the whole drawing. Otherwise a readable view: the whole drawing when it fits at a
  // readable scale, else its top at READABLE, centred on the forward nodes (the graph's spine).
  function fit(d, all) {
    var c = size(), pad = 16, k = fitScale(d), x, y;
    if (all || k >= READABLE) {
      x = (d.width - c.w / k) / 2;
      y = (d.height - c.h / k) / 2;
    } else {
      k = READABLE;
      var xs = d.data.nodes.filter(function (n) { return !n.backward; }).map(function (n) { var b = boxOf(d, n.id); return b ? b.x + b.w / 2 : null; }).filter(function (v) { return v !== null; });
      var cx = xs.length ? xs.reduce(function (a, b) { return a + b; }, 0) / xs.length : d.width / 2;
      x = Math.max(-pad, Math.min(d.width + pad - c.w / k, cx - c.w / k / 2));
      y = -pad;
    }
    d.state = { k: k, x: x, y: y };
    apply(d);
  }
  function zoomAt(d, px, py, factor) {
    var s = d.state;
    var k = Math.min(4, Math.max(0.05, s.k * factor));
    var wx = s.x + px / s.k, wy = s.y + py / s.k;
    d.state = { k: k, x: wx - px / k, y: wy - py / k };
    apply(d);
  }
  function centerAt(d, x, y) {
    var s = d.state, c = size();
    d.state = { k: s.k, x: x - c.w / s.k / 2, y: y - c.h / s.k / 2 };
    apply(d);
  }
  /** Centre a node, zooming in to a readable scale if the view is smaller. */
  function centerOn(d, id) {
    var b = boxOf(d, id);
    if (!b) return;
    if (d.state.k < READABLE) d.state = { k: READABLE, x: d.state.x, y: d.state.y };
    centerAt(d, b.x + b.w / 2, b.y + b.h / 2);
  }

  // ---- the details panel
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function section(title, body) { return [el("h3", { text: title }), body]; }
  function nodeLabel(d, id) {
    var n = d.byId.get(id) || raw().byId.get(id);
    if (!n) return "node " + id;
    if (n.members) return n.title + "  (" + n.members.length + " nodes)";
    // Values are named as the text IR (matprop ir) names them.
    var names = n.values.map(function (v) { return v.name; }).join(", ");
    return (names ? names + " " : "") + n.title + (n.values.length ? "  " + n.values.map(function (v) { return v.type; }).join(", ") : "");
  }
  /** Buttons that select nodes; with expand set, the drawing is ungrouped first (a group's members). */
  function refList(d, ids, expand) {
    if (!ids.length) return el("div", { class: "muted", text: "none" });
    return el("ul", null, ids.map(function (id) {
      var b = el("button", { class: "ref", type: "button", "data-ref": String(id), text: nodeLabel(d, id) });
      b.addEventListener("click", function () {
        if (expand) setGroup("none");
        selectNode(id, true);
      });
      return el("li", null, [b]);
    }));
  }
  function table(rows) {
    if (!rows.length) return el("div", { class: "muted", text: "none" });
    return el("table", null, rows.map(function (r) { return el("tr", null, [el("td", { text: r[0] }), el("td", { text: r[1] })]); }));
  }
  function kernelText(d, n) {
    if (n.kernels.length) return n.kernels.join("; ") + (n.kernels.length > 1 ? "  (recomputed in each)" : "");
    if (raw().data.kernelNote) return "not known: " + raw().data.kernelNote;
    if (n.kind === "source") return "none: a buffer uploaded before the first kernel";
    if (n.kind === "constant") return "none: inlined as a literal into its consumers";
    return "none";
  }
  function renderDetails(d, n) {
    panel.textContent = "";
    var side = n.backward ? "backward" : "forward";
    panel.appendChild(el("h2", { text: n.title }));
    panel.appendChild(el("div", { class: "sub" }, n.members ? [n.summary + " ", el("span", { class: "badge " + side, text: side })] : ["op ", el("b", { text: n.op }), " ", el("span", { class: "badge " + side, text: side })]));
    var parts = [];
    if (n.members) parts = parts.concat(section("Nodes (" + n.members.length + ")", refList(raw(), n.members, true)));
    else parts = parts.concat(section("Type" + (n.values.length > 1 ? "s" : ""), table(n.values.map(function (v) { return [v.name, v.type]; }))));
    if (n.outputs.length) parts = parts.concat(section("Graph output", el("div", { class: "mono", text: n.outputs.join(", ") })));
    if (!n.members) parts = parts.concat(section("Attributes", table(n.attrs)));
    var src;
    if (n.loc) {
      src = el("div", null, [el("a", { href: n.loc.href, target: "_blank", class: "mono", text: n.loc.text }), n.loc.snippet ? el("code", { text: n.loc.snippet }) : null]);
    } else src = el("div", { class: "muted", text: "no source location" });
    parts = parts.concat(section("Source", src));
    parts = parts.concat(section("Kernel" + (n.kernels.length > 1 ? "s" : ""), el("div", { class: "mono", text: kernelText(d, n) })));
    if (n.gradOf !== undefined) parts = parts.concat(section("Differentiates", refList(d, [n.gradOf])));
    if (n.grads.length) parts = parts.concat(section("Differentiated by (" + n.grads.length + ")", refList(d, n.grads)));
    parts = parts.concat(section("Operands", refList(d, n.inputs.filter(function (id, i, a) { return a.indexOf(id) === i; }))));
    parts = parts.concat(section("Used by", refList(d, d.users.get(n.id) || [])));
    parts.forEach(function (p) { panel.appendChild(p); });
  }

  // ---- selection (the selected node and its neighbours stand out)
  function clearMarks(d) {
    d.svg.classList.remove("has-selection");
    d.svg.querySelectorAll(".selected, .neighbor, .related").forEach(function (e) { e.classList.remove("selected", "neighbor", "related"); });
  }
  function markSelection(d) {
    clearMarks(d);
    if (selected === null) return null;
    var id = d.drawnAs.get(selected);
    if (id === undefined) return null;
    d.svg.classList.add("has-selection");
    var mark = function (nid, cls) {
      var g = d.svg.querySelector('g.node[data-node="' + nid + '"]');
      if (g) g.classList.add(cls);
    };
    mark(id, "selected");
    d.svg.querySelectorAll(".edge, .grad-link").forEach(function (e) {
      var from = Number(e.getAttribute("data-from")), to = Number(e.getAttribute("data-to"));
      if (from === id || to === id) {
        e.classList.add("related");
        mark(from === id ? to : from, "neighbor");
      }
    });
    return id;
  }
  /** Select a node: an id of the graph, or of a group box of the current drawing. */
  function selectNode(id, pan) {
    var n = current.byId.get(id) || raw().byId.get(id);
    if (!n) return;
    selected = id;
    var drawn = markSelection(current);
    if (drawn === null) return;
    renderDetails(current, current.byId.get(drawn));
    if (pan) centerOn(current, drawn);
  }
  function clearSelection() {
    selected = null;
    clearMarks(current);
    showDefaultPanel();
  }
`;
