/**
 * The self-contained HTML inspector: both drawings (forward; forward + backward) inline, the graph
 * data as JSON for the details panel, and the page's style and script inline, so the file opens
 * from disk with no network.
 */
import type { GraphView } from "./describe.js";
import type { GraphLayout } from "./layout.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { PAGE_STYLE } from "./page-style.js";
import { escapeXml, renderSvg, SVG_STYLE } from "./svg.js";

export interface Drawing {
  readonly view: GraphView;
  readonly layout: GraphLayout;
}

export interface HtmlPage {
  readonly forward: Drawing;
  /** Forward + backward; absent when the model cannot be differentiated. */
  readonly full?: Drawing;
  /** Why there is no backward view. */
  readonly fullNote?: string;
  readonly initial: "forward" | "full";
}

/** JSON inside `<script>`: `<` escaped so no `</script>` or `<!--` can end or confuse it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function viewHtml(key: string, d: Drawing, hidden: boolean): string {
  const note = d.view.kernelNote ? `<div class="note">no kernel clusters: ${escapeXml(d.view.kernelNote)}</div>` : "";
  return `<div class="view" data-view="${key}"${hidden ? " hidden" : ""}>${renderSvg(d.view, d.layout, { idPrefix: `${key}-` })}${note}</div>`;
}

function toggleButton(key: string, label: string, d: Drawing | undefined, note: string | undefined): string {
  const count = d ? `<span class="count">${d.view.nodes.length}</span>` : "";
  const title = d ? `${d.view.nodes.length} nodes` : `unavailable: ${note ?? "no backward graph"}`;
  return `<button type="button" data-view="${key}" aria-pressed="false" title="${escapeXml(title)}"${d ? "" : " disabled"}>${label}${count}</button>`;
}

export function renderHtml(page: HtmlPage): string {
  const name = page.forward.view.name;
  const views: Record<string, GraphView> = { forward: page.forward.view };
  if (page.full) views.full = page.full.view;
  const data = { initial: page.initial, views };
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
<h1>matprop graph · <span class="model">${escapeXml(name)}</span></h1>
<div class="toggle" role="group" aria-label="view">${toggleButton("forward", "Forward", page.forward, undefined)}${toggleButton("full", "Forward + backward", page.full, page.fullNote)}</div>
<div class="legend">
<span><i class="swatch forward"></i>op</span><span><i class="swatch source"></i>input / param</span><span><i class="swatch constant"></i>constant</span>
<span><i class="swatch backward"></i>backward op</span><span><i class="swatch grad"></i>differentiates</span><span><i class="swatch kernel"></i>fused kernel</span>
</div>
</header>
<main>
<div id="canvas">
<div class="tools"><span>drag to pan · wheel to zoom · click a node</span><button type="button" id="fit" title="fit the whole graph (f)">Fit</button></div>
${viewHtml("forward", page.forward, page.initial !== "forward")}
${page.full ? viewHtml("full", page.full, page.initial !== "full") : ""}
</div>
<aside id="details" aria-live="polite"></aside>
</main>
<script type="application/json" id="graph-data">${scriptJson(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
