/**
 * Positioned graph → SVG markup: boxes with their op, types and a source link, operand edges with
 * arrowheads, dashed links from backward nodes to the forward nodes they differentiate, and kernel
 * clusters. The same markup is a standalone `.svg` file and the drawing inside the HTML page.
 */
import { FONT_FAMILY, FONT_SIZE, LINE_GAP, lineHeight, PAD_X, PAD_Y } from "./box.js";
import type { GraphView, NodeView } from "./describe.js";
import type { GraphLayout, PlacedNode, Point } from "./layout.js";

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

const num = (x: number) => String(Math.round(x * 10) / 10);

export const SVG_STYLE = `
.matprop-graph { font-family: ${FONT_FAMILY}; }
.matprop-graph .background { fill: #fbfbfd; }
.matprop-graph .node rect { stroke-width: 1.4; }
.matprop-graph .node.forward rect { fill: #eaf1fd; stroke: #4a6fb5; }
.matprop-graph .node.forward.source rect { fill: #e7f5ea; stroke: #3f8f55; }
.matprop-graph .node.constant rect { fill: #f2f2f4; stroke: #9a9aa6; }
.matprop-graph .node.backward rect { fill: #fdeede; stroke: #c7772e; }
.matprop-graph .node.group rect { stroke-width: 1.8; }
.matprop-graph .node.group rect.stack { fill: #fff; }
.matprop-graph .node .summary { fill: #4d566a; }
.matprop-graph .node .title { font-weight: bold; fill: #1d2433; }
.matprop-graph .node .type { fill: #3d4658; }
.matprop-graph .node .output { fill: #1f7a3a; font-weight: bold; }
.matprop-graph .node .source { fill: #5165a8; text-decoration: underline; }
.matprop-graph .node.backward .source { fill: #a35a17; }
.matprop-graph .edge { fill: none; stroke: #8390a6; stroke-width: 1.3; }
.matprop-graph .grad-link { fill: none; stroke: #d98b43; stroke-width: 1.2; stroke-dasharray: 5 4; opacity: 0.45; }
.matprop-graph .cluster > rect { fill: #7a5cc7; fill-opacity: 0.05; stroke: #8b71cf; stroke-width: 1.2; stroke-dasharray: 7 4; }
.matprop-graph .cluster-label rect { fill: #f1ecfb; stroke: #8b71cf; stroke-width: 1; }
.matprop-graph .cluster-label text { fill: #5b3fa6; font-size: 11px; }
`;

/** A smooth path through dagre's edge points (quadratic pieces through the midpoints). */
function edgePath(points: readonly Point[]): string {
  if (points.length < 2) return "";
  let d = `M${num(points[0].x)},${num(points[0].y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const q = points[i + 1];
    const mid = i === points.length - 2 ? q : { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
    d += ` Q${num(p.x)},${num(p.y)} ${num(mid.x)},${num(mid.y)}`;
  }
  if (points.length === 2) d += ` L${num(points[1].x)},${num(points[1].y)}`;
  return d;
}

function bezierPath([a, b, c, d]: readonly Point[]): string {
  return `M${num(a.x)},${num(a.y)} C${num(b.x)},${num(b.y)} ${num(c.x)},${num(c.y)} ${num(d.x)},${num(d.y)}`;
}

function tooltip(n: NodeView): string {
  const types = n.values.map((v) => `${v.name}: ${v.type}`).join("\n");
  return [n.title, types, n.summary, n.loc?.text].filter(Boolean).join("\n");
}

function renderNode(n: NodeView, box: PlacedNode): string {
  const classes = ["node", n.backward ? "backward" : "forward", n.kind].join(" ");
  const parts = [
    `<g class="${classes}" data-node="${n.id}">`,
    `<title>${escapeXml(tooltip(n))}</title>`,
    // A group box is drawn as a small stack of cards.
    ...(n.kind === "group" ? [`<rect class="stack" x="${num(box.x + 4)}" y="${num(box.y + 4)}" width="${num(box.width)}" height="${num(box.height)}" rx="6" ry="6"/>`] : []),
    `<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}" rx="6" ry="6"/>`,
  ];
  let y = box.y + PAD_Y;
  box.lines.forEach((line, i) => {
    const h = lineHeight(line.kind);
    // Baseline about 80% down the line box.
    const base = y + h * 0.8;
    const text = `<text class="${line.kind}" x="${num(box.x + PAD_X)}" y="${num(base)}" font-size="${FONT_SIZE[line.kind]}">${escapeXml(line.text)}</text>`;
    if (line.kind === "source" && n.loc) {
      const href = escapeXml(n.loc.href);
      parts.push(`<a href="${href}" xlink:href="${href}" target="_blank"><title>${escapeXml(n.loc.text)}</title>${text}</a>`);
    } else parts.push(text);
    y += h + (i < box.lines.length - 1 ? LINE_GAP : 0);
  });
  parts.push("</g>");
  return parts.join("");
}

export interface SvgOptions {
  /** Prefix for element ids, so two drawings can share one HTML page. */
  readonly idPrefix?: string;
  /** Include the XML declaration and the style sheet (a standalone .svg file). */
  readonly standalone?: boolean;
}

export function renderSvg(view: GraphView, layout: GraphLayout, opts: SvgOptions = {}): string {
  const p = opts.idPrefix ?? "";
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const caption = `${view.name}${view.backward ? " (forward + backward)" : " (forward)"}`;
  const out: string[] = [];
  if (opts.standalone) out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="matprop-graph" ` +
      `width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">`,
    `<title>${escapeXml(caption)}</title>`,
  );
  if (opts.standalone) out.push(`<style>${SVG_STYLE}</style>`);
  out.push(
    `<defs>`,
    `<marker id="${p}arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8390a6"/></marker>`,
    `<marker id="${p}arrow-grad" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d98b43"/></marker>`,
    `</defs>`,
    `<rect class="background" x="0" y="0" width="${layout.width}" height="${layout.height}"/>`,
    `<g class="clusters">`,
  );
  for (const c of layout.clusters) {
    const labelWidth = c.name.length * 11 * 0.62 + 14;
    out.push(
      `<g class="cluster" data-cluster="${c.index}"><title>${escapeXml(`kernel ${c.name}`)}</title>`,
      `<rect x="${num(c.x)}" y="${num(c.y)}" width="${num(c.width)}" height="${num(c.height)}" rx="10" ry="10"/>`,
      `<g class="cluster-label"><rect x="${num(c.x + 10)}" y="${num(c.y - 9)}" width="${num(labelWidth)}" height="18" rx="9" ry="9"/>`,
      `<text x="${num(c.x + 17)}" y="${num(c.y + 4)}">${escapeXml(c.name)}</text></g></g>`,
    );
  }
  out.push(`</g><g class="edges">`);
  for (const e of layout.edges) {
    out.push(`<path class="edge" data-from="${e.from}" data-to="${e.to}" d="${edgePath(e.points)}" marker-end="url(#${p}arrow)"/>`);
  }
  out.push(`</g><g class="grad-links">`);
  for (const l of layout.gradLinks) {
    out.push(`<path class="grad-link" data-from="${l.from}" data-to="${l.to}" d="${bezierPath(l.points)}" marker-end="url(#${p}arrow-grad)"/>`);
  }
  out.push(`</g><g class="nodes">`);
  for (const box of layout.nodes) out.push(renderNode(byId.get(box.id)!, box));
  out.push(`</g></svg>`);
  return out.join("\n") + "\n";
}
