/**
 * The self-contained HTML inspector: every drawing (forward; forward + backward; each collapsed
 * grouping of both) inline as SVG, the graph data as JSON for the details panel, search, filters
 * and gradient paths, and the page's style and script inline, so the file opens from disk with no
 * network.
 */
import type { GraphDrawings } from "./drawings.js";
import type { Grouping } from "./groups.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { PAGE_STYLE } from "./page-style.js";
import { escapeXml, renderSvg, SVG_STYLE } from "./svg.js";

export interface HtmlPage {
  readonly forward: GraphDrawings;
  /** Forward + backward; absent when the model cannot be differentiated. */
  readonly full?: GraphDrawings;
  /** Why there is no backward view. */
  readonly fullNote?: string;
  readonly initial: "forward" | "full";
}

const GROUP_LABELS: Record<Grouping | "none", string> = { none: "nothing", forward: "forward node", kernel: "kernel", family: "op family" };

/** JSON inside `<script>`: `<` escaped so no `</script>` or `<!--` can end or confuse it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function viewsHtml(key: string, d: GraphDrawings, shown: boolean): string {
  const drawings: [string, GraphDrawings["all"]][] = [["none", d.all], ...Object.entries(d.grouped)];
  return drawings
    .map(([group, drawing]) => {
      const note = drawing.view.kernelNote ? `<div class="note">no kernel clusters: ${escapeXml(drawing.view.kernelNote)}</div>` : "";
      const hidden = shown && group === "none" ? "" : " hidden";
      return `<div class="view" data-view="${key}" data-group="${group}"${hidden}>${renderSvg(drawing.view, drawing.layout, { idPrefix: `${key}-${group}-` })}${note}</div>`;
    })
    .join("\n");
}

function toggleButton(key: string, label: string, d: GraphDrawings | undefined, note: string | undefined): string {
  const n = d?.all.view.nodes.length;
  const count = d ? `<span class="count">${n}</span>` : "";
  const title = d ? `${n} nodes` : `unavailable: ${note ?? "no backward graph"}`;
  return `<button type="button" data-view="${key}" aria-pressed="false" title="${escapeXml(title)}"${d ? "" : " disabled"}>${label}${count}</button>`;
}

/** The page's data: per view, each drawing's graph view (for the details panel) and the paths. */
function pageData(page: HtmlPage): unknown {
  const entry = (d: GraphDrawings) => ({
    drawings: Object.fromEntries([["none", d.all.view], ...Object.entries(d.grouped).map(([k, v]) => [k, v.view])]),
    paths: d.paths,
  });
  return { initial: page.initial, groupLabels: GROUP_LABELS, views: { forward: entry(page.forward), ...(page.full ? { full: entry(page.full) } : {}) } };
}

export function renderHtml(page: HtmlPage): string {
  const name = page.forward.all.view.name;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(name)} — matprop graph</title>
<style>${SVG_STYLE}${PAGE_STYLE}</style>
</head>
<body>
<header>
<div class="row">
<h1>matprop graph · <span class="model">${escapeXml(name)}</span></h1>
<div class="toggle" role="group" aria-label="view">${toggleButton("forward", "Forward", page.forward, undefined)}${toggleButton("full", "Forward + backward", page.full, page.fullNote)}</div>
<div class="legend">
<span><i class="swatch forward"></i>op</span><span><i class="swatch source"></i>input / param</span><span><i class="swatch constant"></i>constant</span>
<span><i class="swatch backward"></i>backward op</span><span><i class="swatch group"></i>group</span><span><i class="swatch grad"></i>differentiates</span><span><i class="swatch kernel"></i>fused kernel</span>
</div>
</div>
<div class="row controls">
<span class="search"><input id="search" type="search" placeholder="Search: op, name, %value, file:line  (/)" aria-label="search nodes" autocomplete="off"><span id="search-count" class="count-label"></span></span>
<label>Collapse by <select id="group" aria-label="collapse by"></select></label>
<label>Show <select id="filter" aria-label="show only"></select></label>
<label>Gradient path <select id="path" aria-label="gradient path"></select></label>
</div>
</header>
<main>
<div id="canvas">
<div class="tools"><span>drag to pan · wheel to zoom · click a node</span><button type="button" id="fit" title="fit the whole graph (f)">Fit</button></div>
<svg id="overview" class="matprop-graph" aria-label="overview: click or drag to move"></svg>
${viewsHtml("forward", page.forward, page.initial === "forward")}
${page.full ? viewsHtml("full", page.full, page.initial === "full") : ""}
</div>
<aside id="details" aria-live="polite"></aside>
</main>
<script type="application/json" id="graph-data">${scriptJson(pageData(page))}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
