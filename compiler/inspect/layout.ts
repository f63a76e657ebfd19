/**
 * Graph view → positions, with dagre (top to bottom): node boxes, operand edges as polylines,
 * fused kernels as compound-graph clusters around their nodes, and for backward nodes a link to
 * the forward node they differentiate.
 *
 * A backward graph is laid out as the mirror of the forward one: each backward node is pulled to
 * the rank just below the forward node it differentiates (a weighted layout edge), and edges
 * between backward nodes are laid out reversed, so the backward pass climbs from `loss` back up
 * towards the inputs next to the forward pass instead of hanging below it with long edges back
 * to every forward value it reads (those edges constrain nothing: weight 0).
 */
import dagre from "@dagrejs/dagre";
import { boxLines, boxSize, type BoxLine } from "./box.js";
import type { GraphView } from "./describe.js";

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Rect {
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedNode extends Rect {
  readonly id: number;
  readonly lines: readonly BoxLine[];
}

export interface PlacedEdge {
  readonly from: number;
  readonly to: number;
  readonly points: readonly Point[];
}

export interface PlacedCluster extends Rect {
  readonly index: number;
  readonly name: string;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly gradLinks: readonly PlacedEdge[];
  readonly clusters: readonly PlacedCluster[];
}

const MARGIN = 24;
const nodeKey = (id: number) => `n${id}`;
const clusterKey = (i: number) => `k${i}`;

export function layoutGraph(view: GraphView): GraphLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 36, edgesep: 10, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  view.clusters.forEach((_, i) => g.setNode(clusterKey(i), {}));
  const lines = new Map<number, BoxLine[]>();
  for (const n of view.nodes) {
    const l = boxLines(n);
    lines.set(n.id, l);
    g.setNode(nodeKey(n.id), boxSize(l));
    if (n.cluster !== undefined) g.setParent(nodeKey(n.id), clusterKey(n.cluster));
  }
  const backward = new Set(view.nodes.filter((n) => n.backward).map((n) => n.id));
  const reversed = new Set<number>();
  view.edges.forEach((e, i) => {
    if (backward.has(e.from) && backward.has(e.to)) {
      reversed.add(i);
      g.setEdge(nodeKey(e.to), nodeKey(e.from), {}, `e${i}`);
    } else g.setEdge(nodeKey(e.from), nodeKey(e.to), { weight: backward.has(e.to) ? 0 : 1 }, `e${i}`);
  });
  // (minlen 0, the same rank, would be closer still, but dagre fails on it in compound graphs.)
  for (const n of view.nodes) if (n.gradOf !== undefined && lines.has(n.gradOf)) g.setEdge(nodeKey(n.gradOf), nodeKey(n.id), { weight: 4 }, `d${n.id}`);
  dagre.layout(g);

  const rect = (key: string): Rect => {
    const l = g.node(key) as { x: number; y: number; width: number; height: number };
    return { x: l.x - l.width / 2, y: l.y - l.height / 2, width: l.width, height: l.height };
  };
  const nodes = view.nodes.map((n): PlacedNode => ({ id: n.id, lines: lines.get(n.id)!, ...rect(nodeKey(n.id)) }));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = view.edges.map((e, i): PlacedEdge => {
    const rev = reversed.has(i);
    const label = g.edge({ v: nodeKey(rev ? e.to : e.from), w: nodeKey(rev ? e.from : e.to), name: `e${i}` }) as { points?: Point[] };
    const points = (label.points ?? []).map((p) => ({ x: p.x, y: p.y }));
    return { from: e.from, to: e.to, points: rev ? points.reverse() : points };
  });
  const clusters = view.clusters.map((c, i): PlacedCluster => ({ index: i, name: c.name, ...rect(clusterKey(i)) }));
  const gradLinks = view.nodes.flatMap((n) => (n.gradOf !== undefined && byId.has(n.gradOf) ? [{ from: n.id, to: n.gradOf, points: sideLink(byId.get(n.id)!, byId.get(n.gradOf)!) }] : []));

  const all: Rect[] = [...nodes, ...clusters];
  const width = Math.ceil(Math.max(...all.map((r) => r.x + r.width), ...gradLinks.flatMap((l) => l.points.map((p) => p.x))) + MARGIN);
  const height = Math.ceil(Math.max(...all.map((r) => r.y + r.height)) + MARGIN);
  return { width, height, nodes, edges, gradLinks, clusters };
}

/**
 * A link between the facing sides of two boxes, as the four points of a cubic Bézier that bulges
 * sideways, so it does not run along the operand edges between them.
 */
function sideLink(from: Rect, to: Rect): Point[] {
  const fc = from.x + from.width / 2;
  const tc = to.x + to.width / 2;
  const rightward = tc >= fc;
  const start = { x: rightward ? from.x + from.width : from.x, y: from.y + from.height / 2 };
  const sameColumn = Math.abs(tc - fc) < (from.width + to.width) / 2;
  // Boxes above each other: leave and enter on the same side, looping out.
  const end = sameColumn ? { x: rightward ? to.x + to.width : to.x, y: to.y + to.height / 2 } : { x: rightward ? to.x : to.x + to.width, y: to.y + to.height / 2 };
  const bulge = Math.max(40, Math.abs(end.y - start.y) * 0.25);
  const dir = rightward ? 1 : -1;
  const c1 = { x: start.x + dir * bulge, y: start.y };
  const c2 = { x: end.x + (sameColumn ? dir : -dir) * bulge, y: end.y };
  return [start, c1, c2, end];
}
