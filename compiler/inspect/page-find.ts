/**
 * The inspector script's finding tools (part of the script page-script.ts assembles): search by
 * op, name, value or source line; "show only" filters by op family, kernel or forward node (with
 * the backward nodes that differentiate it); the path of one gradient back to `loss`. Each gives a
 * set of graph nodes; the drawing dims everything outside their intersection, and a group box
 * counts as inside when one of its members is.
 */
export const PAGE_FIND = String.raw`
  var searchBox = document.getElementById("search");
  var searchCount = document.getElementById("search-count");
  var filterSelect = document.getElementById("filter");
  var pathSelect = document.getElementById("path");
  var matches = [];
  var matchIndex = -1;

  /** "model.ts:12", ":12", "12" (a source line), "%7" (a value), else words of op, title, names. */
  function matcher(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var value = /^%\d+$/.test(q);
    var line = /^(?:(.*?):)?(\d+)(?::\d+)?$/.exec(q);
    return function (n) {
      if (value) return n.values.some(function (v) { return v.name === q; });
      if (line && n.loc) {
        var at = /^(.*):(\d+):(\d+)$/.exec(n.loc.text);
        if (at && Number(at[2]) === Number(line[2]) && (!line[1] || at[1].toLowerCase().indexOf(line[1]) >= 0)) return true;
      }
      if (line) return false;
      var hay = [n.op, n.title, n.name || "", n.family].concat(n.outputs, n.kernels).join("\n").toLowerCase();
      return hay.indexOf(q) >= 0;
    };
  }
  function searchSet() {
    var m = matcher(searchBox.value);
    if (!m) return null;
    return new Set(raw().data.nodes.filter(m).map(function (n) { return n.id; }));
  }

  // ---- "show only": families, kernels, forward nodes with their gradient nodes
  function option(value, text) { return el("option", { value: value, text: text }); }
  function fillFilter() {
    var v = raw().data, keep = filterSelect.value;
    filterSelect.textContent = "";
    filterSelect.appendChild(option("", "everything"));
    var count = function (pred) { return v.nodes.filter(pred).length; };
    var families = [], kernels = [];
    v.nodes.forEach(function (n) {
      if (families.indexOf(n.family) < 0) families.push(n.family);
      n.kernels.forEach(function (k) { if (kernels.indexOf(k) < 0) kernels.push(k); });
    });
    var group = function (label, items) {
      if (!items.length) return;
      var g = el("optgroup", { label: label });
      items.forEach(function (o) { g.appendChild(o); });
      filterSelect.appendChild(g);
    };
    group("op family", families.sort().map(function (f) { return option("family:" + f, f + " (" + count(function (n) { return n.family === f; }) + ")"); }));
    group("kernel", kernels.map(function (k) { return option("kernel:" + k, k + " (" + count(function (n) { return n.kernels.indexOf(k) >= 0; }) + ")"); }));
    group("forward node and its gradient", v.nodes.filter(function (n) { return n.grads.length; }).map(function (n) {
      return option("forward:" + n.id, nodeLabel(raw(), n.id) + " + " + n.grads.length + " backward");
    }));
    filterSelect.value = keep;
    if (filterSelect.value !== keep) filterSelect.value = "";
  }
  function filterSet() {
    var f = filterSelect.value;
    if (!f) return null;
    var kind = f.slice(0, f.indexOf(":")), arg = f.slice(f.indexOf(":") + 1), v = raw();
    var ids = v.data.nodes.filter(function (n) {
      if (kind === "family") return n.family === arg;
      if (kind === "kernel") return n.kernels.indexOf(arg) >= 0;
      return String(n.id) === arg || String(n.gradOf) === arg;
    }).map(function (n) { return n.id; });
    return new Set(ids);
  }

  // ---- gradient paths
  function paths() { return data.views[current.key].paths; }
  function fillPaths() {
    var keep = pathSelect.value;
    pathSelect.textContent = "";
    pathSelect.appendChild(option("", paths().length ? "none" : "none (no gradients here)"));
    paths().forEach(function (p) { pathSelect.appendChild(option(p.output, p.output + " ← loss")); });
    pathSelect.value = keep;
    if (pathSelect.value !== keep) pathSelect.value = "";
    pathSelect.disabled = !paths().length;
  }
  function currentPath() {
    var name = pathSelect.value;
    return paths().filter(function (p) { return p.output === name; })[0] || null;
  }
  function renderPath(p) {
    panel.textContent = "";
    var v = raw();
    panel.appendChild(el("h2", { text: p.output + " ← loss" }));
    panel.appendChild(el("div", { class: "sub", text: "The forward nodes through which " + p.output.slice(5) + " reaches loss, last first, each with the backward nodes that differentiate it (" + p.nodes.length + " nodes highlighted)." }));
    var list = el("ol", { class: "path" }, p.steps.map(function (s) {
      return el("li", null, [refList(v, [s.forward]), s.grads.length ? el("div", { class: "grads" }, [refList(v, s.grads)]) : null]);
    }));
    panel.appendChild(el("h3", { text: "Chain" }));
    panel.appendChild(list);
    panel.appendChild(el("h3", { text: "Gradient output" }));
    panel.appendChild(refList(v, [p.node]));
  }

  // ---- focus: the intersection of what search, filter and path select
  function focusSet() {
    var sets = [searchSet(), filterSet()];
    var p = currentPath();
    if (p) sets.push(new Set(p.nodes));
    var active = sets.filter(function (s) { return s; });
    if (!active.length) return null;
    return new Set(Array.from(active[0]).filter(function (id) { return active.every(function (s) { return s.has(id); }); }));
  }
  function applyFocus() {
    var d = current, focus = focusSet(), p = currentPath();
    d.svg.classList.toggle("has-focus", !!focus);
    d.svg.querySelectorAll(".in-focus, .on-path").forEach(function (e) { e.classList.remove("in-focus", "on-path"); });
    var drawnFocus = new Set(), drawnPath = new Set();
    if (focus) focus.forEach(function (id) { if (d.drawnAs.has(id)) drawnFocus.add(d.drawnAs.get(id)); });
    if (p) p.nodes.forEach(function (id) { if (d.drawnAs.has(id)) drawnPath.add(d.drawnAs.get(id)); });
    drawnFocus.forEach(function (id) {
      var g = d.svg.querySelector('g.node[data-node="' + id + '"]');
      if (g) g.classList.add("in-focus");
    });
    d.svg.querySelectorAll(".edge, .grad-link").forEach(function (e) {
      var from = Number(e.getAttribute("data-from")), to = Number(e.getAttribute("data-to"));
      if (drawnFocus.has(from) && drawnFocus.has(to)) e.classList.add("in-focus");
      if (drawnPath.has(from) && drawnPath.has(to) && drawnFocus.has(from) && drawnFocus.has(to)) e.classList.add("on-path");
    });
    drawnPath.forEach(function (id) {
      var g = d.svg.querySelector('g.node[data-node="' + id + '"]');
      if (g && drawnFocus.has(id)) g.classList.add("on-path");
    });
    var s = searchSet();
    matches = s ? raw().data.nodes.filter(function (n) { return s.has(n.id); }).map(function (n) { return n.id; }) : [];
    searchCount.textContent = s ? matches.length + (matches.length === 1 ? " match" : " matches") : "";
    overviewDirty = true;
    updateOverview();
  }
  function nextMatch(step) {
    if (!matches.length) return;
    matchIndex = (matchIndex + step + matches.length) % matches.length;
    selectNode(matches[matchIndex], true);
    searchCount.textContent = (matchIndex + 1) + " of " + matches.length;
  }
  function showDefaultPanel() {
    var p = currentPath();
    if (p) return renderPath(p);
    panel.textContent = "";
    panel.appendChild(el("div", { class: "empty", text: "Click a node to see its types, attributes, source line and kernel. Search by op, name, %value or file:line; collapse large graphs by forward node, kernel or op family; pick a gradient to see its path back to loss." }));
  }
`;
