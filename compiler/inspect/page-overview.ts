/**
 * The inspector script's overview (part of the script page-script.ts assembles): a small copy of
 * the whole drawing in a corner, boxes and edges without text, with the part on screen outlined;
 * click or drag in it to move there. Shown only while the drawing does not fit on screen.
 */
export const PAGE_OVERVIEW = String.raw`
  var overview = document.getElementById("overview");
  var SVGNS = "http://www.w3.org/2000/svg";
  var overviewOf = null;
  /** Set when the drawing's focus changed, so the copy is made again (not on every pan). */
  var overviewDirty = true;
  var OVERVIEW_MAX = { w: 220, h: 170 };

  function buildOverview(d) {
    overview.textContent = "";
    var k = Math.min(OVERVIEW_MAX.w / d.width, OVERVIEW_MAX.h / d.height);
    overview.setAttribute("width", String(Math.round(d.width * k)));
    overview.setAttribute("height", String(Math.round(d.height * k)));
    overview.setAttribute("viewBox", "0 0 " + d.width + " " + d.height);
    ["clusters", "edges", "nodes"].forEach(function (layer) {
      var g = d.svg.querySelector("g." + layer);
      if (!g) return;
      var copy = g.cloneNode(true);
      copy.querySelectorAll("text, title, a, rect.stack").forEach(function (e) { e.remove(); });
      copy.querySelectorAll("[marker-end]").forEach(function (e) { e.removeAttribute("marker-end"); });
      overview.appendChild(copy);
    });
    var view = document.createElementNS(SVGNS, "rect");
    view.setAttribute("class", "viewport");
    overview.appendChild(view);
    overview.classList.toggle("has-focus", d.svg.classList.contains("has-focus"));
    overviewOf = d;
  }
  function updateOverview() {
    var d = current;
    if (!d || !d.state) return;
    var c = size(), s = d.state;
    var whole = s.x <= 0 && s.y <= 0 && s.x + c.w / s.k >= d.width && s.y + c.h / s.k >= d.height;
    overview.style.display = whole ? "none" : "block";
    if (whole) return;
    if (overviewOf !== d || overviewDirty) buildOverview(d);
    overviewDirty = false;
    var v = overview.querySelector(".viewport");
    v.setAttribute("x", String(s.x));
    v.setAttribute("y", String(s.y));
    v.setAttribute("width", String(c.w / s.k));
    v.setAttribute("height", String(c.h / s.k));
  }
  function overviewPoint(e) {
    var r = overview.getBoundingClientRect();
    return { x: (e.clientX - r.left) / r.width * current.width, y: (e.clientY - r.top) / r.height * current.height };
  }
  var overviewDrag = false;
  overview.addEventListener("pointerdown", function (e) {
    e.stopPropagation();
    overviewDrag = true;
    overview.setPointerCapture(e.pointerId);
    var p = overviewPoint(e);
    centerAt(current, p.x, p.y);
  });
  overview.addEventListener("pointermove", function (e) {
    if (!overviewDrag) return;
    var p = overviewPoint(e);
    centerAt(current, p.x, p.y);
  });
  overview.addEventListener("pointerup", function (e) {
    overviewDrag = false;
    if (overview.hasPointerCapture(e.pointerId)) overview.releasePointerCapture(e.pointerId);
  });
`;
